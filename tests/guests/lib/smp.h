/*
 * Secondary vCPUs in a test guest. smp_start() gives a vCPU a 64-bit
 * VCPUOP_initialise context that shares the boot vCPU's page tables, GDT
 * and IDT, runs fn(vcpu) on a stack of its own and takes the vCPU down
 * (VCPUOP_down) when fn returns; then it brings the vCPU up.
 *
 * The runtime's console and check counters are not shared safely: make
 * the checks on one vCPU, print from the others only with smp_printf(),
 * and let the checking vCPU print only while no other one can.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/hvm_vcpu.h>

/* vCPUs 1 .. SMP_MAX_VCPUS - 1 can be started. */
#define SMP_MAX_VCPUS 8

typedef void (*smp_entry_fn)(unsigned int vcpu);

/* The calling vCPU's id (CPUID leaf base+4); 0 without one. */
unsigned int smp_vcpu_id(void);

/* Fills ctx with the start state smp_start() uses for vcpu, so that a test
 * can spoil a field of a context that is otherwise good. */
void smp_context(struct vcpu_hvm_context *ctx, unsigned int vcpu, smp_entry_fn fn);

/* VCPUOP_initialise with smp_context(), then VCPUOP_up. Returns 0, the
 * first call's error, or -XEN_EINVAL for a vCPU id out of range. */
long smp_start(unsigned int vcpu, smp_entry_fn fn);

/* SCHEDOP_yield: let the other vCPUs on this CPU run. */
void smp_yield(void);

/* guest_printf() under a lock that every vCPU takes. */
void smp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
