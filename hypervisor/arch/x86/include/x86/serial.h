/* The 16550 UART that carries the hypervisor console. */
#ifndef X86_SERIAL_H
#define X86_SERIAL_H

#include <stdint.h>

#define COM1_BASE 0x3f8
#define COM2_BASE 0x2f8

/* Programs 115200 8N1 with FIFOs; base 0 turns console output off. */
void serial_init(uint16_t base);
/* The console UART's base port, 0 when there is none. */
uint16_t serial_port(void);
#define SERIAL_PORTS 8

#endif
