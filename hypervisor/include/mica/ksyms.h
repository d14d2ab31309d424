/* Function names of the hypervisor itself, for readable backtraces. */
#ifndef MICA_KSYMS_H
#define MICA_KSYMS_H

#include <stdint.h>

/* Writes "name+0xoff" for addr into buf, or "?" when it is not ours. */
void ksym_describe(uint64_t addr, char *buf, unsigned int size);

#endif
