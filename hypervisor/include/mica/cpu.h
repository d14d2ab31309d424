/* Which CPUs the hypervisor runs on, as common code sees them. */
#ifndef MICA_CPU_H
#define MICA_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 64

struct cpu_status {
    unsigned int id;
    uint32_t apic_id;
    uint32_t acpi_id;
    bool online;
    uint64_t ticks;
};

/* CPUs the firmware listed (capped by maxcpus=) and CPUs running now. */
unsigned int cpu_possible_count(void);
unsigned int cpu_online_count(void);
bool cpu_get_status(unsigned int id, struct cpu_status *out);

#endif
