/* Turning GRUB's Multiboot2 information into struct boot_info. */
#ifndef X86_MULTIBOOT2_H
#define X86_MULTIBOOT2_H

#include <stddef.h>
#include <stdint.h>
#include <mica/boot_info.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u

/* Fills bi from the information block at `info` (at most max_len bytes
 * readable). Returns NULL on success, else what was wrong with it. */
const char *mb2_parse(const void *info, size_t max_len, struct boot_info *bi);

#endif
