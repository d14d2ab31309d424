/* System time from the pvclock records the hypervisor keeps in each
 * vcpu_info: nanoseconds, the clock its timers and poll timeouts use. */
#ifndef GUEST_PVCLOCK_H
#define GUEST_PVCLOCK_H

#include <stdint.h>
#include <xen/xen.h>

#define NS_PER_MS 1000000ULL
#define NS_PER_SEC 1000000000ULL

/* System time from one record and the TSC, retried until the record's
 * version is even and unchanged across the read. */
uint64_t pvclock_read(const volatile struct vcpu_time_info *t);

/* System time from the calling vCPU's own record in shared_info (mapped
 * on first use); 0 if shared_info cannot be mapped. */
uint64_t pvclock_now(void);

#endif
