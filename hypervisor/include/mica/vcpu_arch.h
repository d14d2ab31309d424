/* What common code asks of the virtualization backend for each vCPU. */
#ifndef MICA_VCPU_ARCH_H
#define MICA_VCPU_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;
struct domain;

/* Whether a virtualization backend was found at boot. */
bool arch_virt_available(void);
/* Enables virtualization on the calling physical CPU. */
int arch_virt_cpu_enable(void);
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);
/* Resets the vCPU to the PVH entry state: 32-bit flat protected mode,
 * paging off, at `entry` with %ebx = `ebx`. */
void arch_vcpu_reset_pvh(struct vcpu *v, uint32_t entry, uint32_t ebx);
/* Loads a guest-supplied start state (VCPUOP_initialise); -XEN_EINVAL if
 * it is not one a CPU can run. */
struct vcpu_hvm_context;
int arch_vcpu_initialise(struct vcpu *v, const struct vcpu_hvm_context *ctx);
/* Reads the registers of a vCPU that is not on a CPU, for the control
 * interface (general registers, control registers, mode). */
struct mica_vcpu_context;
void arch_vcpu_get_context(struct vcpu *v, struct mica_vcpu_context *out);
/* Which hardware virtualization runs guests: MICA_PHYS_CAP_* bits. */
uint32_t arch_virt_caps(void);
/* Runs the vCPU until it blocks, is preempted or stops. */
void arch_vcpu_run(struct vcpu *v);
int arch_domain_create(struct domain *d);
/* Firmware tables (ACPI on x86) for a new guest, built to sit at base_gpa;
 * returns their size (0 when they do not fit) and where the root is. */
size_t arch_build_acpi_tables(struct domain *d, uint8_t *buf, size_t size,
                              uint64_t base_gpa, uint64_t *root_gpa);
void arch_domain_destroy(struct domain *d);

#endif
