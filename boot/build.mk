# The UEFI loader: boot/*.c plus the shared ELF reader, linked with gnu-efi
# into $(BUILD)/boot/BOOTX64.EFI.

BOOT_EFI_INC  := /usr/include/efi
BOOT_EFI_LIB  := /usr/lib
BOOT_OUT      := $(BUILD)/boot
BOOT_SRCS     := $(wildcard boot/*.c) hypervisor/common/elf.c
BOOT_OBJS     := $(patsubst %.c,$(BOOT_OUT)/obj/%.o,$(BOOT_SRCS))

# gnu-efi's headers are not -Wextra clean, hence -isystem. GNU_EFI_USE_MS_ABI
# lets us call firmware function pointers directly (they are ms_abi).
BOOT_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g \
	-ffreestanding -fpic -fshort-wchar -fno-stack-protector -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables \
	-mno-red-zone -mno-mmx -mno-sse -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI -isystem $(BOOT_EFI_INC) -isystem $(BOOT_EFI_INC)/x86_64 \
	-Ihypervisor/include -Iboot -MMD -MP
BOOT_LDFLAGS := -nostdlib -shared -Bsymbolic -znocombreloc \
	-T $(BOOT_EFI_LIB)/elf_x86_64_efi.lds $(BOOT_EFI_LIB)/crt0-efi-x86_64.o

.PHONY: loader
loader: $(BOOT_OUT)/BOOTX64.EFI

$(BOOT_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BOOT_CFLAGS) -c $< -o $@

$(BOOT_OUT)/loader.so: $(BOOT_OBJS)
	$(LD) $(BOOT_LDFLAGS) $^ -o $@ -L$(BOOT_EFI_LIB) -lefi -lgnuefi

# Keep the sections gnu-efi's linker script makes for a PE image (crt0
# applies .rela itself at start-up); objcopy writes the PE/COFF headers.
$(BOOT_OUT)/BOOTX64.EFI: $(BOOT_OUT)/loader.so
	objcopy -j .text -j .data -j .dynamic -j .dynsym -j .rela -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

-include $(BOOT_OBJS:.o=.d)
