/* mica.cfg, the UEFI loader's text config: parsed from a byte buffer, no EFI types. */
#ifndef MICA_BOOT_CONFIG_H
#define MICA_BOOT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <mica/boot_info.h>

#define CFG_PATH_MAX  256   /* resolved ESP path, NUL included */
#define CFG_ERROR_MAX 160

struct cfg_module {
    char path[CFG_PATH_MAX];
    char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

/*
 * Paths are absolute on the ESP, '\'-separated, with '.' and '..' resolved:
 * ready to hand to the firmware's file protocol.
 */
struct boot_config {
    char hypervisor[CFG_PATH_MAX];
    char cmdline[BOOT_CMDLINE_MAX];
    unsigned module_count;
    struct cfg_module modules[BOOT_MAX_MODULES]; /* dom0 kernel, dom0 initrd, then `module` lines */
};

struct cfg_error {
    unsigned line;                /* 1-based; 0 when no single line is at fault */
    char message[CFG_ERROR_MAX];
};

/*
 * Parse `len` bytes of config text. `dir` is the config's own directory on
 * the ESP (e.g. "\EFI\BOOT"); relative paths are taken from there. Returns
 * false and fills *err on the first problem.
 */
bool cfg_parse(const char *text, size_t len, const char *dir,
               struct boot_config *cfg, struct cfg_error *err);

#endif
