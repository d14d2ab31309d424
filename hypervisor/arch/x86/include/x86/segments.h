/* GDT selectors shared by the boot code, the AP trampoline and C. */
#ifndef X86_SEGMENTS_H
#define X86_SEGMENTS_H

#define SEL_CODE64  0x08
#define SEL_DATA    0x10
#define SEL_CODE32  0x18
#define SEL_TSS     0x20   /* each CPU's TSS takes two slots from here */

#define BOOT_STACK_SIZE 16384

#endif
