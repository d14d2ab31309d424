/* Guest FPU/SSE state: saved and restored lazily, only when another vCPU
 * takes the CPU's FPU. The hypervisor itself never uses it. */
#ifndef X86_FPU_H
#define X86_FPU_H

struct fpu_state;

void fpu_cpu_init(void);
struct fpu_state *fpu_state_alloc(void);
void fpu_state_free(struct fpu_state *s);
/* Back to the power-on state (FCW 0x37f, MXCSR 0x1f80). */
void fpu_state_reset(struct fpu_state *s);
/* Makes s the state in this CPU's FPU registers. */
void fpu_switch_to(struct fpu_state *s);
/* Forgets s on every CPU, before it is freed. */
void fpu_forget(struct fpu_state *s);

#endif
