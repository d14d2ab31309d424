/* Domains and their virtual CPUs. */
#ifndef MICA_DOMAIN_H
#define MICA_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/spinlock.h>
#include <mica/time.h>
#include <public/xen/xen.h>
#include <public/xen/hvm_op.h>
#include <public/xen/sched.h>
#include <public/xen/start_info.h>
#include <public/xen/vcpu.h>

#define MAX_DOMAINS 64
#define MAX_VCPUS   32      /* shared_info holds 32 vcpu_info slots */
#define GUEST_MEMMAP_MAX 64 /* dom0's follows the host's, with holes */

struct domain;
struct evtchn_table;
struct grant_table;

enum vcpu_state {
    VCPU_DOWN,              /* not started, or VCPUOP_down */
    VCPU_RUNNABLE,          /* on a run queue */
    VCPU_RUNNING,
    VCPU_BLOCKED,           /* waiting for an event or a timer */
};

/* General registers as the backends save them around guest entry. */
struct guest_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
};

struct vcpu {
    unsigned int id;
    struct domain *domain;
    unsigned int cpu;               /* the physical CPU it runs on */
    volatile enum vcpu_state state;
    struct vcpu *runq_next;
    bool queued;                    /* on its CPU's run queue */
    bool yield;                     /* leave the CPU at the next exit */
    struct guest_regs regs;
    void *arch;                     /* the backend's per-vCPU state */
    void *arch_hvm;                 /* the arch's own per-vCPU state (APIC) */

    /* Where this vCPU's vcpu_info lives (shared_info slot or registered). */
    struct vcpu_info *vcpu_info;
    uint64_t vcpu_info_mfn;
    bool vcpu_info_registered;      /* VCPUOP_register_vcpu_info done */
    bool initialised;               /* has a register state to start from */
    bool upcall_inject;             /* deliver the upcall vector on entry */
    uint8_t upcall_vector;          /* per-vCPU (HVMOP_set_evtchn_upcall_vector) */

    struct timer singleshot;        /* VCPUOP_set_singleshot_timer */
    struct timer periodic;
    uint64_t periodic_period;
    spinlock_t periodic_lock;       /* re-arming against set/stop from elsewhere */
    struct timer poll_timer;        /* SCHEDOP_poll timeout */
    bool polling;                   /* SCHEDOP_poll in progress */
    uint64_t runstate_gva;          /* VCPUOP_register_runstate_memory_area */
    struct vcpu_runstate_info runstate; /* sched.c, under the run-queue lock */
    uint64_t run_tsc;               /* TSC cycles spent in guest mode */
    volatile uint64_t exits;        /* guest exits so far */
    volatile bool in_guest;         /* between the p2m check and the exit */
    uint16_t virq_ports[24];        /* VIRQ -> bound port, 0 = none */
};

enum domain_state {
    DOMAIN_RUNNING,
    DOMAIN_PAUSED,
    DOMAIN_SHUTDOWN,                /* the guest asked; reason in shutdown_code */
    DOMAIN_DYING,
};

struct domain {
    domid_t id;
    bool privileged;
    spinlock_t lock;
    enum domain_state state;
    int refcnt;                     /* domain_get() holders, + 1 while listed */
    int shutdown_code;              /* SHUTDOWN_*, or -1 until given */

    void *p2m;                      /* the arch's nested page tables */
    uint64_t tot_pages;             /* RAM frames it holds */
    uint64_t max_pages;

    unsigned int max_vcpus;
    struct vcpu *vcpus[MAX_VCPUS];

    struct shared_info *shared_info;/* hypervisor page, mapped on request */
    uint64_t shared_info_gfn;       /* where the guest asked for it, or ~0 */
    uint64_t hvm_params[HVM_NR_PARAMS];
    uint8_t callback_vector;        /* HVM_PARAM_CALLBACK_IRQ, vector type */
    void *arch_backend;             /* the virtualization backend's data */
    void *hw_domain;                /* the arch's state for the devices dom0
                                     * drives; NULL for other domains */

    /* The memory map the guest sees (XENMEM_memory_map, start info). */
    struct hvm_memmap_table_entry e820[GUEST_MEMMAP_MAX];
    unsigned int e820_entries;

    struct evtchn_table *evtchn;
    struct grant_table *gnttab;
    struct foreign_table *foreign;  /* what it mapped of others (foreign.c) */

    char console_line[128];         /* console_io output until a newline */
    unsigned int console_len;
    bool console_midline;           /* a partial line is already printed */
};

/* Creates an empty, paused domain with `max_vcpus` vCPUs (all down). */
struct domain *domain_create(domid_t id, bool privileged, unsigned int max_vcpus,
                             uint64_t max_pages);
/* The lowest free domain id above 0, or DOMID_INVALID when all are taken. */
domid_t domain_free_id(void);
/* Whether a domain (live or not yet freed) holds the id. */
bool domain_id_taken(domid_t id);
/* Kills the domain: it stops running for good, leaves the lookups, and
 * everything it holds is freed once the last domain_get() reference is
 * put. Its id stays taken until then. Never for the caller's own domain. */
void domain_destroy(struct domain *d);
/* A counted reference to a live domain (not being destroyed), or NULL.
 * Every hypercall path that acts on another domain holds one. */
struct domain *domain_get(domid_t id);
void domain_put(struct domain *d);
/* One more reference, for a caller that already holds one. */
void domain_hold(struct domain *d);
/* Looks a live domain up by id without a reference: only for callers that
 * hold a lock the teardown of that domain also takes (the event-channel
 * lock, the grant operations lock), so it cannot be freed under them. */
struct domain *domain_by_id(domid_t id);
/* Iterates domains not yet being freed (dying ones too), in id order: returns the next
 * after `after` (or the first when after is DOMID_INVALID), NULL at the
 * end. The same locking rule as domain_by_id(). */
struct domain *domain_next(domid_t after);
/* The same with a reference, for callers without such a lock; puts the
 * reference to `prev` (may be NULL). */
struct domain *domain_next_get(struct domain *prev);
/* Writes the current wall clock (time at system time 0) into shared_info. */
void domain_update_wallclock(struct domain *d);
/* Gives the domain `count` frames of RAM at gfn (2 MiB pages when it can). */
int domain_populate(struct domain *d, uint64_t gfn, uint64_t count);
/* Takes one frame of RAM at gfn back from the domain. */
int domain_release_frame(struct domain *d, uint64_t gfn);
/* Serializes giving frames back against copies into them, so that a page
 * a guest releases is never written after it changed hands. */
void domain_frames_lock(void);
void domain_frames_unlock(void);
/* Whether the host frame is in use by the hypervisor for this domain
 * (a registered vcpu_info), so the guest may not give it away. */
bool domain_frame_pinned(const struct domain *d, uint64_t mfn);
/* Stops a running domain's vCPUs until domain_unpause(); returns once none
 * of them is on a CPU. -XEN_EINVAL unless it was running. */
int domain_pause(struct domain *d);
int domain_unpause(struct domain *d);
/* Makes vCPU `id` of d, down. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id);
/* Changes the number of vCPUs of a paused domain; vCPUs removed must be
 * down and never given a register state. */
int domain_set_max_vcpus(struct domain *d, unsigned int max_vcpus);
/* Records the guest's shutdown reason, stops its vCPUs and reports it. */
void domain_shutdown(struct domain *d, int reason);
/* Raises VIRQ_DOM_EXC in the control domain: d shut down or went away. */
void domain_notify_control(const struct domain *d);
/* CPU time its vCPUs have run, in ns. */
uint64_t domain_cpu_time(struct domain *d);

/* The vCPU this physical CPU is running right now, if any. */
struct vcpu *current_vcpu(void);

#endif
