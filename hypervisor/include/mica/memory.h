/* Physical memory of the machine: the frame allocator the whole hypervisor
 * uses, and what the boot memory map said. */
#ifndef MICA_MEMORY_H
#define MICA_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/boot_info.h>
#include <mica/frame.h>

/* RAM as the firmware described it, and what the hypervisor made of it. */
struct memory_stats {
    uint64_t usable_bytes;     /* usable RAM incl. boot images */
    uint64_t firmware_bytes;   /* RAM kept by firmware: ACPI, runtime */
    uint64_t hypervisor_bytes; /* the hypervisor image */
    uint64_t module_bytes;     /* boot modules kept for domains */
    uint64_t total_frames;     /* frames the allocator manages */
};

/* Builds the frame allocator from the boot map; panics if it cannot. */
void memory_init(const struct boot_info *bi, uint64_t image_start,
                 uint64_t image_end);
const struct memory_stats *memory_stats(void);
uint64_t memory_free_bytes(void);

/* The hypervisor maps all RAM 1:1, so a frame's address is its pointer. */
static inline void *phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)pa; }
static inline uint64_t virt_to_phys(const void *va) { return (uint64_t)(uintptr_t)va; }

/* Contiguous, zeroed pages; 0 when memory is exhausted. `below` limits the
 * end address (0: anywhere), for tables that must sit low. */
uint64_t page_alloc(uint64_t count);
uint64_t page_alloc_below(uint64_t count, uint64_t below);
/* Aligned to `align` pages (a power of two). */
uint64_t page_alloc_aligned(uint64_t count, uint64_t align);
void page_free(uint64_t pa, uint64_t count);
/* Whether the boot memory map says pa's page is wholly RAM (anyone's:
 * Mica's, a domain's or free), as opposed to firmware ranges, MMIO,
 * holes and pages only partly RAM, which Mica never uses. */
bool memory_is_host_ram(uint64_t pa);
/* Takes exactly these frames (zeroed) if all of them are free. */
bool page_claim(uint64_t pa, uint64_t count);

/* Copies the boot modules to the top of RAM and frees where the loader put
 * them (GRUB puts them low, where dom0's kernel must go). Needs all RAM
 * mapped. */
void memory_move_modules_high(struct boot_info *bi);

#endif
