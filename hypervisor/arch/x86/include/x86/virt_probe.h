/* Per-vendor probes behind virt_probe(). */
#ifndef X86_VIRT_PROBE_H
#define X86_VIRT_PROBE_H

#include <stdbool.h>
#include <mica/virt.h>

/* Each returns false if the CPU lacks that extension at all; otherwise it
 * fills caps (backend NULL plus a problem if the extension is unusable). */
bool svm_probe(struct virt_caps *caps);
bool vmx_probe(struct virt_caps *caps);

#endif
