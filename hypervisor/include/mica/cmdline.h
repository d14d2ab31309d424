/* The hypervisor command line: Xen-style `name=value` options. */
#ifndef MICA_CMDLINE_H
#define MICA_CMDLINE_H

#include <stdint.h>
#include <stdbool.h>
#include <mica/log.h>

enum console_port {
    CONSOLE_PORT_NONE = 0,
    CONSOLE_PORT_COM1 = 1,
    CONSOLE_PORT_COM2 = 2,
};

/* Exceptions the test-only `test_exception=` option can raise at boot. */
enum test_exception {
    TEST_EXCEPTION_NONE = 0,
    TEST_EXCEPTION_UD,   /* invalid opcode */
    TEST_EXCEPTION_PF,   /* page fault on an unmapped address */
    TEST_EXCEPTION_GP,   /* general protection: non-canonical access */
    TEST_EXCEPTION_DE,   /* divide error */
};

struct hv_options {
    enum console_port console;
    enum log_level loglvl;
    uint64_t dom0_mem;      /* bytes; 0 means "the default" */
    uint64_t dom0_mem_min;  /* bytes; 0 means no lower bound */
    uint64_t dom0_mem_max;  /* bytes; 0 means no upper bound */
    unsigned int max_cpus;  /* 0 means every CPU the firmware lists */
    unsigned int dom0_max_vcpus;    /* vCPUs of dom0 (default 1) */
    unsigned int domus;     /* the last N boot modules are domU kernels */
    uint64_t domu_mem;      /* bytes for each boot-time domU */
    unsigned int domu_vcpus;
    enum test_exception test_exception;
};

typedef void (*cmdline_warn_fn)(const char *option, const char *problem);

/* Default options, then `cmdline` applied on top. Bad options are reported
 * through `warn` (which may be NULL) and otherwise ignored. */
void cmdline_parse(const char *cmdline, struct hv_options *opts,
                   cmdline_warn_fn warn);

/* Parses "<number>[BKMGT]" (default unit KiB, as Xen does) into bytes.
 * Returns false on garbage or overflow. */
bool cmdline_parse_size(const char *s, uint64_t *bytes);

#endif
