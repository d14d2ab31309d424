/* A domU kernel as xl takes it: an ELF (vmlinux), or a Linux x86 bzImage
 * (vmlinuz) whose protected-mode payload is that ELF compressed with xz or
 * gzip. Either way the result is the ELF's bytes for mica_elf_parse. */
#ifndef LIBMICA_KERNEL_H
#define LIBMICA_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "mica_elf.h"

/* The most a bzImage's payload may decompress to; a real kernel's vmlinux
 * is a few tens of MiB. */
#define MICA_KERNEL_MAX_ELF (256u << 20)

/* The pure part: the ELF inside the `size` bytes at `img`.
 * - An ELF gives *elf = a view of img itself (elf->heap false: the caller
 *   still owns img, and must not pass *elf to mica_file_unmap).
 * - A bzImage gives its payload, decompressed to a heap buffer of at most
 *   max_elf bytes (elf->heap true: mica_file_unmap frees it).
 * Nothing is checked of the ELF itself: that is mica_elf_parse's job.
 * Returns 0, or -ENOEXEC (not a kernel we read, a malformed header, an
 * unsupported compression, corrupt or truncated data), -EFBIG (more than
 * max_elf bytes) or -ENOMEM, with *why set to a static text. */
int mica_kernel_extract(const uint8_t *img, size_t size, size_t max_elf,
                        struct mica_file *elf, const char **why);

/* Opens the kernel at path and gives its ELF in *elf: the mapped file for
 * an ELF, a heap buffer for a bzImage; release it with mica_file_unmap.
 * Returns 0 or -errno; *why is the failure's text (strerror's for a file
 * that cannot be mapped). */
int mica_kernel_open(const char *path, struct mica_file *elf, const char **why);

#endif
