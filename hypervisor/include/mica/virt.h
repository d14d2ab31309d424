/* Which hardware virtualization the machine offers, as common code sees it. */
#ifndef MICA_VIRT_H
#define MICA_VIRT_H

#include <stdbool.h>

struct virt_caps {
    const char *backend;        /* "SVM", "VMX", or NULL when neither works */
    const char *nested_paging;  /* "NPT", "EPT", or NULL when absent */
    char details[160];          /* what else the backend found, for the log */
    char problem[96];           /* why it is unusable, when backend is NULL */
};

/* Probes the boot CPU; fills caps and returns true when guests can run. */
bool virt_probe(struct virt_caps *caps);

#endif
