/* The toolstack's one model of a domain's configuration, whichever syntax
 * (xl.cfg or XML) it was read from: defaults, per-value checks, whole-model
 * validation and the checks that need the host (files, free memory). */
#ifndef MICA_DOMAIN_CONFIG_H
#define MICA_DOMAIN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_error.h"
#include "device_spec.h"

#define DOMAIN_NAME_MAX 64
#define DOMAIN_VCPUS_MAX 128
#define DOMAIN_MEMORY_MAX_MIB (16u * 1024 * 1024)   /* 16 TiB */
#define DOMAIN_CMDLINE_MAX 2047                     /* Linux x86 COMMAND_LINE_SIZE - 1 */
#define DOMAIN_PATH_MAX 4095
#define DOMAIN_DEVICES_MAX 64                       /* disks, and vifs, each */
#define DOMAIN_DEFAULT_MEMORY_MIB 128
#define DOMAIN_DEFAULT_VCPUS 1

/* What Mica does when a guest powers off, reboots or crashes. */
enum domain_action {
    DOMAIN_ACTION_DESTROY,
    DOMAIN_ACTION_RESTART,
    DOMAIN_ACTION_PRESERVE,
};

struct domain_config {
    char *name;
    char *kernel;
    char *ramdisk;          /* NULL: none */
    char *cmdline;          /* NULL: empty */
    uint64_t memory_mib;
    uint64_t maxmem_mib;    /* 0 until validation makes it memory_mib */
    unsigned vcpus;
    enum domain_action on_poweroff;
    enum domain_action on_reboot;
    enum domain_action on_crash;
    struct domain_disk *disks;
    size_t disk_count;
    struct domain_vif *vifs;
    size_t vif_count;
};

/* Which of the three on_* keys an action belongs to. */
enum domain_event {
    DOMAIN_EVENT_POWEROFF,
    DOMAIN_EVENT_REBOOT,
    DOMAIN_EVENT_CRASH,
};

/* Defaults: 128 MiB, 1 vCPU, destroy on poweroff and crash, restart on reboot. */
void domain_config_init(struct domain_config *cfg);
void domain_config_free(struct domain_config *cfg);
bool domain_config_equal(const struct domain_config *a, const struct domain_config *b);

/* Setters for one value given as text, shared by both parsers and the
 * overrides. Each checks its value and returns 0, or -EINVAL with err set
 * ("AT: memory must be a positive number of MiB, got '-1'"). */
int domain_config_set_name(struct domain_config *cfg, const char *text,
                           struct config_pos at, struct config_error *err);
/* The only type is "pvh": this checks what the file says, the model has no field. */
int domain_config_check_type(const char *text, struct config_pos at, struct config_error *err);
int domain_config_set_kernel(struct domain_config *cfg, const char *text,
                             struct config_pos at, struct config_error *err);
int domain_config_set_ramdisk(struct domain_config *cfg, const char *text,
                              struct config_pos at, struct config_error *err);
int domain_config_set_cmdline(struct domain_config *cfg, const char *text,
                              struct config_pos at, struct config_error *err);
/* key names the value in messages ("memory", "maxmem"); unit is "MiB" for
 * xl.cfg, or one of "KiB", "MiB", "GiB" from XML. */
int domain_config_parse_size(const char *key, const char *text, const char *unit,
                             uint64_t *mib, struct config_pos at, struct config_error *err);
int domain_config_set_vcpus(struct domain_config *cfg, const char *text,
                            struct config_pos at, struct config_error *err);
int domain_config_set_action(struct domain_config *cfg, enum domain_event event,
                             const char *text, struct config_pos at, struct config_error *err);
/* Take ownership of the disk's and vif's strings, also on failure; check the
 * disk's target as a path and refuse a vdev or MAC already used. */
int domain_config_add_disk(struct domain_config *cfg, struct domain_disk *disk,
                           struct config_pos at, struct config_error *err);
int domain_config_add_vif(struct domain_config *cfg, struct domain_vif *vif,
                          struct config_pos at, struct config_error *err);
void domain_config_clear_disks(struct domain_config *cfg);
void domain_config_clear_vifs(struct domain_config *cfg);

const char *domain_action_name(enum domain_action action);
const char *domain_event_key(enum domain_event event);

/* Checks the model as a whole once everything is read: name and kernel
 * given, maxmem >= memory (filling maxmem in when not given). Messages name
 * `source` without a line. */
int domain_config_validate(struct domain_config *cfg, const char *source,
                           struct config_error *err);

/* Host checks for the toolstack, after validation (config_checks.c): the
 * kernel and ramdisk can be read, each disk target read and, unless it is
 * read-only, written; the domain's memory fits in what the hypervisor
 * reports free. */
int domain_config_check_files(const struct domain_config *cfg, struct config_error *err);
int domain_config_check_memory(const struct domain_config *cfg, uint64_t free_mib,
                               struct config_error *err);

/* Reads a whole config file of either syntax (XML when its first non-blank
 * character is '<'), applies the "key=value" overrides on top, validates.
 * On failure cfg holds nothing and err says why. */
int domain_config_load(const char *path, char *const *overrides, size_t override_count,
                       struct domain_config *cfg, struct config_error *err);

#endif
