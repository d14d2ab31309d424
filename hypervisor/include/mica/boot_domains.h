/* Domains built at boot from the boot modules: dom0 and, on request,
 * unprivileged domains that can talk to each other before any toolstack. */
#ifndef MICA_BOOT_DOMAINS_H
#define MICA_BOOT_DOMAINS_H

#include <mica/boot_info.h>
#include <mica/cmdline.h>

void boot_domains(const struct boot_info *bi, const struct hv_options *opts);

#endif
