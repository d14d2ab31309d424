/*
 * Mica's control interface: the one hypercall with which the control
 * domain (dom0) creates, runs, inspects and destroys other domains.
 * Ours, not Xen's domctl/sysctl; docs/control.md describes every command.
 *
 * Call: hypercall __HYPERVISOR_mica_control with one argument, the
 * guest-virtual address of a struct mica_control. The result is 0 (or a
 * count where a command says so) or a negative Xen errno; out-fields are
 * written back into the struct only on success. Every command from a
 * domain that is not the control domain fails with -XEN_EPERM before the
 * struct is read; then a struct whose interface_version is not
 * MICA_CONTROL_INTERFACE_VERSION fails with -XEN_EACCES.
 *
 * Every struct has fixed sizes and explicit padding (checked below), so
 * 32- and 64-bit callers share one layout; buffers are named by 64-bit
 * guest-virtual addresses ("handles") in the caller's address space.
 */
#ifndef MICA_PUBLIC_MICA_CONTROL_H
#define MICA_PUBLIC_MICA_CONTROL_H

#include "../xen/xen.h"
#include "../xen/hvm_vcpu.h"

/* Xen leaves hypercalls 48-55 to each architecture; x86 Xen uses 48 (mca)
 * and 49 (paging_domctl_cont) and never 55 (__HYPERVISOR_arch_7). */
#define __HYPERVISOR_mica_control 55

/* Major in the high 16 bits: a change there breaks old callers. */
#define MICA_CONTROL_INTERFACE_VERSION 0x00010000

#define MICA_CONTROL_create_domain    1
#define MICA_CONTROL_destroy_domain   2
#define MICA_CONTROL_pause            3
#define MICA_CONTROL_unpause          4
#define MICA_CONTROL_set_max_mem      5
#define MICA_CONTROL_set_max_vcpus    6
#define MICA_CONTROL_get_vcpu_context 7
#define MICA_CONTROL_set_vcpu_context 8
#define MICA_CONTROL_list_domains     9
#define MICA_CONTROL_get_hvm_param    10
#define MICA_CONTROL_set_hvm_param    11
#define MICA_CONTROL_read_console     12
#define MICA_CONTROL_physinfo         13
#define MICA_CONTROL_set_grant_entry  14

/* create_domain: the domain starts paused, with its vCPUs down and no
 * memory. In: domid 0 picks the lowest free id, anything else asks for
 * that one. Out: domid. */
struct mica_ctl_create_domain {
    uint32_t flags;             /* none defined yet: must be 0 */
    uint32_t max_vcpus;         /* 1 .. MICA_CONTROL_MAX_VCPUS */
    uint64_t max_pages;         /* memory limit in 4 KiB pages */
};

/* set_max_mem: a new limit in pages (what it holds may exceed it; it
 * then cannot grow). */
struct mica_ctl_max_mem {
    uint64_t max_pages;
};

/* set_max_vcpus: the domain must be paused; vCPUs taken away must never
 * have been given a register state. */
struct mica_ctl_max_vcpus {
    uint32_t max_vcpus;
    uint32_t pad;
};

/* get_vcpu_context: the registers of one vCPU (take them from a paused
 * domain: a running vCPU's change under the copy). */
#define MICA_VCPU_FLAG_UP          (1u << 0)   /* runnable, running or blocked */
#define MICA_VCPU_FLAG_INITIALISED (1u << 1)   /* has a register state */
struct mica_vcpu_context {
    uint32_t vcpu;              /* in */
    uint32_t flags;             /* out: MICA_VCPU_FLAG_* */
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t cr0, cr3, cr4, efer;
    uint64_t cs_base;
    uint32_t cpl;
    uint32_t mode;              /* VCPU_HVM_MODE_32B or VCPU_HVM_MODE_64B */
};

/* set_vcpu_context: loads a start state into a vCPU of a paused domain
 * (Xen's VCPUOP_initialise layout, so a PVH kernel's 32-bit entry with
 * %ebx = its start info is one 32-bit context) and brings the vCPU up: it
 * runs from there once the domain is unpaused. */
struct mica_ctl_set_vcpu_context {
    uint32_t vcpu;
    uint32_t pad;
    struct vcpu_hvm_context ctx;
};

/* list_domains: records of the domains with id >= first_domid, in id
 * order, into buffer. Returns how many were written (at most
 * max_entries). */
#define MICA_DOMINFO_PRIVILEGED (1u << 0)
#define MICA_DOMINFO_RUNNING    (1u << 1)
#define MICA_DOMINFO_PAUSED     (1u << 2)
#define MICA_DOMINFO_SHUTDOWN   (1u << 3)   /* reason in shutdown_reason */
#define MICA_DOMINFO_DYING      (1u << 4)
#define MICA_DOMINFO_BLOCKED    (1u << 5)   /* every vCPU up is blocked */
struct mica_ctl_list_domains {
    uint16_t first_domid;
    uint16_t pad;
    uint32_t max_entries;
    uint64_t buffer;            /* handle: struct mica_domain_info[max_entries] */
};
struct mica_domain_info {
    uint16_t domid;
    uint16_t pad;
    uint32_t flags;             /* MICA_DOMINFO_* */
    uint32_t shutdown_reason;   /* SHUTDOWN_*, or ~0 */
    uint32_t vcpus_online;
    uint32_t max_vcpus;
    uint32_t pad2;
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t cpu_time_ns;
    uint64_t shared_info_gfn;   /* ~0 until the guest placed it */
};

/* get_hvm_param / set_hvm_param of the domain named by domid
 * (HVM_PARAM_*). CALLBACK_IRQ belongs to the guest: not settable here. */
struct mica_ctl_hvm_param {
    uint32_t index;
    uint32_t pad;
    uint64_t value;
};

/* read_console: the hypervisor's log (dmesg). Copies up to size bytes
 * from byte position pos (0: the oldest kept) into buffer; pos comes back
 * moved past what was copied, for the next call. Returns the byte count;
 * MICA_CONSOLE_CLEAR then forgets what was logged so far. */
#define MICA_CONSOLE_CLEAR (1u << 0)
struct mica_ctl_read_console {
    uint64_t buffer;            /* handle */
    uint32_t size;
    uint32_t flags;             /* MICA_CONSOLE_* */
    uint64_t pos;               /* in and out */
};

/* physinfo: out only. free_pages is what the frame allocator has free.
 * The hypervisor heap takes pages from it and never gives them back:
 * free_pages + heap_pages returns to the same value after a domain is
 * created and destroyed, and so does heap_used_bytes once the heap's
 * long-lived users (e.g. dom0's foreign-mapping table) reached their size. */
#define MICA_PHYS_CAP_SVM  (1u << 0)
#define MICA_PHYS_CAP_VMX  (1u << 1)
#define MICA_PHYS_CAP_HAP  (1u << 2)    /* nested paging: NPT or EPT */
struct mica_ctl_physinfo {
    uint32_t nr_cpus;           /* CPUs online */
    uint32_t max_cpus;          /* CPUs the firmware listed (capped) */
    uint32_t cpu_khz;
    uint32_t virt_caps;         /* MICA_PHYS_CAP_* */
    uint64_t total_pages;       /* frames the hypervisor manages */
    uint64_t free_pages;
    uint32_t max_domains;       /* domain ids run 0 .. max_domains - 1 */
    uint32_t max_vcpus;         /* per domain */
    uint64_t heap_pages;        /* pages the hypervisor heap holds */
    uint64_t heap_used_bytes;   /* of which allocated now */
};

/* set_grant_entry: writes one of the reserved grant entries of a new
 * domain (GNTTAB_RESERVED_CONSOLE, GNTTAB_RESERVED_XENSTORE) so that the
 * backend domain may map the page at gfn before the guest runs. */
struct mica_ctl_grant_entry {
    uint32_t ref;               /* 0 or 1 */
    uint16_t backend;           /* the domain the access is granted to */
    uint16_t pad;
    uint64_t gfn;
};

#define MICA_CONTROL_MAX_VCPUS 32

struct mica_control {
    uint32_t cmd;               /* MICA_CONTROL_* */
    uint32_t interface_version; /* MICA_CONTROL_INTERFACE_VERSION */
    uint16_t domid;             /* the domain the command is about */
    uint16_t pad[3];
    union {
        struct mica_ctl_create_domain create_domain;
        struct mica_ctl_max_mem max_mem;
        struct mica_ctl_max_vcpus max_vcpus;
        struct mica_vcpu_context vcpu_context;
        struct mica_ctl_set_vcpu_context set_vcpu_context;
        struct mica_ctl_list_domains list_domains;
        struct mica_ctl_hvm_param hvm_param;
        struct mica_ctl_read_console read_console;
        struct mica_ctl_physinfo physinfo;
        struct mica_ctl_grant_entry grant_entry;
        uint8_t raw[256];       /* room to grow without moving anything */
    } u;
};

_Static_assert(sizeof(struct mica_ctl_create_domain) == 16, "create_domain");
_Static_assert(sizeof(struct mica_vcpu_context) == 200, "vcpu_context");
_Static_assert(sizeof(struct mica_ctl_set_vcpu_context) == 136, "set_vcpu_context");
_Static_assert(sizeof(struct mica_ctl_list_domains) == 16, "list_domains");
_Static_assert(sizeof(struct mica_domain_info) == 56, "domain_info");
_Static_assert(sizeof(struct mica_ctl_read_console) == 24, "read_console");
_Static_assert(sizeof(struct mica_ctl_physinfo) == 56, "physinfo");
_Static_assert(sizeof(struct mica_ctl_grant_entry) == 16, "grant_entry");
_Static_assert(sizeof(struct mica_control) == 272, "mica_control");

#endif
