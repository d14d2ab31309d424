/* The checks `mxl create` makes against the host before it creates a domain:
 * its files can be read, and its memory is free. */
#include "domain_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file opens (for writing too if a disk is writable) and is a regular
 * file or, for a disk, a block device. O_NONBLOCK: a FIFO given as a kernel
 * must not hang the toolstack. */
static int check_file(const char *what, const char *path, bool disk, bool writable,
                      struct config_error *err)
{
    struct config_pos at = { NULL, 0 };
    struct stat st;
    int fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK);
    int saved;

    if (fd < 0) {
        saved = errno;
        return config_error_set(err, at, "%s '%s': %s", what, path, strerror(saved));
    }
    saved = fstat(fd, &st) ? errno : 0;
    close(fd);
    if (saved)
        return config_error_set(err, at, "%s '%s': %s", what, path, strerror(saved));
    if (!S_ISREG(st.st_mode) && !(disk && S_ISBLK(st.st_mode)))
        return config_error_set(err, at, "%s '%s' is not a %s", what, path,
                                disk ? "file or block device" : "regular file");
    return 0;
}

int domain_config_check_files(const struct domain_config *cfg, struct config_error *err)
{
    char what[32];
    int rc = check_file("kernel", cfg->kernel, false, false, err);

    if (rc == 0 && cfg->ramdisk)
        rc = check_file("ramdisk", cfg->ramdisk, false, false, err);
    for (size_t i = 0; rc == 0 && i < cfg->disk_count; i++) {
        snprintf(what, sizeof(what), "disk %s target", cfg->disks[i].vdev);
        rc = check_file(what, cfg->disks[i].target, true, !cfg->disks[i].readonly, err);
    }
    return rc;
}

int domain_config_check_memory(const struct domain_config *cfg, uint64_t free_mib,
                               struct config_error *err)
{
    struct config_pos at = { NULL, 0 };

    if (cfg->memory_mib <= free_mib)
        return 0;
    return config_error_set(err, at, "domain '%s' needs %llu MiB of memory but only %llu MiB "
                            "is free", cfg->name, (unsigned long long)cfg->memory_mib,
                            (unsigned long long)free_mib);
}
