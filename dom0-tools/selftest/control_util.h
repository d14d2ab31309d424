/* What the control self-tests share: checks that print one line each,
 * hypercalls through /dev/xen/privcmd, and short forms of the control
 * commands they use most. */
#ifndef CONTROL_UTIL_H
#define CONTROL_UTIL_H

#include <stdint.h>
#include <mica/control.h>

/* Open before anything else is called. */
extern int privcmd_fd;
extern int check_failures;

/* What check() lines start with ("control-selftest" unless changed). */
extern const char *check_prefix;
/* Prints "<check_prefix>: <what>: ok|FAILED[ - detail]"; counts failures. */
void check(int ok, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The hypercall's result: >= 0, or a negative errno. */
long hypercall(uint64_t op, uint64_t a0, uint64_t a1);
/* One control command; c's union holds its arguments and gets its answer. */
long control(uint32_t cmd, uint16_t domid, struct mica_control *c);
/* A command with no arguments. */
long control_simple(uint32_t cmd, uint16_t domid);
uint64_t free_pages(void);
long create_domain(uint16_t want, uint32_t vcpus, uint64_t max_pages, uint16_t *domid);
/* XENMEM_populate_physmap for another domain: 2 MiB extents from gfn 0;
 * returns how many extents it got. */
long populate(uint16_t domid, uint64_t pages);
/* The list record of domid; 0 if found. */
int find_domain(uint16_t domid, struct mica_domain_info *out);
/* A flat 32-bit protected-mode start state (the PVH entry's). */
struct vcpu_hvm_context start_state(uint32_t eip, uint32_t ebx);
/* Waits up to WAIT_MS for port on the /dev/xen/evtchn fd; 1 if it came. */
int wait_event(int evtchn, unsigned int port);

#define WAIT_MS 10000

#endif
