# Unit tests for the UEFI loader's pure parts and the shared ELF reader;
# included by tests/unit/build.mk.

UNIT_TESTS += test_boot_config test_boot_memmap test_elf
UNIT_SRCS_test_boot_config := boot/config.c
UNIT_SRCS_test_boot_memmap := boot/uefi_map.c
UNIT_SRCS_test_elf := hypervisor/common/elf.c

# The generic rule only watches hypervisor headers; these live in boot/.
$(UNIT_OUT)/test_boot_config: boot/config.h
$(UNIT_OUT)/test_boot_memmap: boot/uefi_map.h
