/* Descriptor tables: the GDT with one TSS per CPU, and the IDT. */
#ifndef X86_DESC_H
#define X86_DESC_H

#include <stdint.h>

#define IST_CRITICAL 1   /* #DF, NMI and #MC run on their own stack */

/* Loads the shared GDT, this CPU's TSS (with an IST stack) and the IDT. */
void desc_init_cpu(unsigned int cpu_id);
/* Fills the IDT once, on the boot CPU. */
void idt_init(void);

#endif
