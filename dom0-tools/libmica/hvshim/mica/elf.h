/* The hypervisor's freestanding ELF reader (hypervisor/common/elf.c),
 * which libmica compiles as it is. */
#include "../../../../hypervisor/include/mica/elf.h"
