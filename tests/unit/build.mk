# Host-compiled cmocka unit tests for the hypervisor's and the loader's pure
# logic. Each test is tests/unit/<name>.c plus the sources it exercises,
# listed as UNIT_SRCS_<name>; every test gets ASan and UBSan.

UNIT_OUT := $(BUILD)/unit
UNIT_CC := gcc
UNIT_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Ihypervisor/include -Ihypervisor/arch/x86/include -Iboot
UNIT_LDLIBS := -lcmocka

UNIT_TESTS := test_frame test_heap test_memmap test_cmdline test_multiboot2 \
	test_madt test_format test_vlapic \
	test_acpi_tables test_log_ring test_foreign_table
UNIT_SRCS_test_frame := hypervisor/common/frame.c
UNIT_SRCS_test_heap := hypervisor/common/heap.c
UNIT_SRCS_test_memmap := hypervisor/common/memmap.c
UNIT_SRCS_test_cmdline := hypervisor/common/cmdline.c
UNIT_SRCS_test_multiboot2 := hypervisor/arch/x86/boot/multiboot2.c \
	hypervisor/common/memmap.c
UNIT_SRCS_test_madt := hypervisor/arch/x86/madt.c
UNIT_SRCS_test_format := hypervisor/common/format.c
UNIT_SRCS_test_log_ring := hypervisor/common/log_ring.c
UNIT_SRCS_test_foreign_table := hypervisor/common/foreign_table.c
UNIT_SRCS_test_vlapic := hypervisor/arch/x86/hvm/vlapic.c
UNIT_SRCS_test_acpi_tables := hypervisor/arch/x86/hvm/acpi_tables.c \
	hypervisor/arch/x86/madt.c
# Our formatter must not stand in for the C library's inside cmocka.
UNIT_CFLAGS_test_format := -Dvsnprintf=mica_vsnprintf -Dsnprintf=mica_snprintf

-include tests/unit/boot.mk

UNIT_BINS := $(addprefix $(UNIT_OUT)/,$(UNIT_TESTS))

.PHONY: unit unit-list
unit: $(UNIT_BINS)

# Paths of the built test binaries, one a line, for tests/run-all.
unit-list:
	@for t in $(UNIT_BINS); do echo $$t; done

.SECONDEXPANSION:
$(UNIT_OUT)/%: tests/unit/%.c $$(UNIT_SRCS_%) $$(wildcard hypervisor/include/mica/*.h)
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) $(UNIT_CFLAGS_$*) -o $@ $(filter %.c,$^) $(UNIT_LDLIBS)
