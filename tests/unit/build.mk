# Host-compiled cmocka unit tests for the hypervisor's, the loader's and the
# dom0 tools' pure logic. Each test is tests/unit/<name>.c plus the sources it
# exercises, listed as UNIT_SRCS_<name>; UNIT_CFLAGS_<name> and
# UNIT_LDLIBS_<name> add flags and libraries for one test. Every test gets
# ASan and UBSan.

UNIT_OUT := $(BUILD)/unit
UNIT_CC := gcc
UNIT_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Ihypervisor/include -Ihypervisor/arch/x86/include -Iboot
UNIT_LDLIBS := -lcmocka

UNIT_TESTS := test_frame test_heap test_memmap test_cmdline test_multiboot2 \
	test_madt test_format test_vlapic \
	test_acpi_tables test_acpi_s5 test_guest_memmap test_vioapic test_pci_caps \
	test_log_ring test_foreign_table \
	test_xenstore_path test_xenstore_store test_xenstore_codec test_xenstore_watch \
	test_xenstore_txn test_xenstore_ring
UNIT_SRCS_test_frame := hypervisor/common/frame.c
UNIT_SRCS_test_heap := hypervisor/common/heap.c
UNIT_SRCS_test_memmap := hypervisor/common/memmap.c
UNIT_SRCS_test_cmdline := hypervisor/common/cmdline.c
UNIT_SRCS_test_multiboot2 := hypervisor/arch/x86/boot/multiboot2.c \
	hypervisor/common/memmap.c
UNIT_SRCS_test_madt := hypervisor/arch/x86/madt.c
UNIT_SRCS_test_format := hypervisor/common/format.c
UNIT_SRCS_test_guest_memmap := hypervisor/common/guest_memmap.c
UNIT_SRCS_test_vioapic := hypervisor/arch/x86/hvm/vioapic.c
UNIT_SRCS_test_pci_caps := hypervisor/arch/x86/hvm/pci_caps.c
UNIT_SRCS_test_acpi_s5 := hypervisor/arch/x86/acpi_s5.c
UNIT_SRCS_test_log_ring := hypervisor/common/log_ring.c
UNIT_SRCS_test_foreign_table := hypervisor/common/foreign_table.c
UNIT_SRCS_test_vlapic := hypervisor/arch/x86/hvm/vlapic.c
UNIT_SRCS_test_acpi_tables := hypervisor/arch/x86/hvm/acpi_tables.c \
	hypervisor/arch/x86/hvm/acpi_dom0.c hypervisor/arch/x86/madt.c
# The xenstore daemon's engine (dom0-tools/xenstored; its headers stay there).
XENSTORE_UNIT_SRCS := $(addprefix dom0-tools/xenstored/, xs_proto.c xs_path.c xs_perms.c \
	xs_store.c xs_txn.c xs_watch.c xs_conn.c xs_engine.c xs_req_node.c xs_req_watch.c \
	xs_req_domain.c xs_ring.c)
XENSTORE_UNIT_HDRS := $(wildcard dom0-tools/xenstored/*.h)
UNIT_SRCS_test_xenstore_path := dom0-tools/xenstored/xs_path.c $(XENSTORE_UNIT_HDRS)
UNIT_SRCS_test_xenstore_store := dom0-tools/xenstored/xs_store.c \
	dom0-tools/xenstored/xs_perms.c dom0-tools/xenstored/xs_path.c $(XENSTORE_UNIT_HDRS)
UNIT_SRCS_test_xenstore_codec := $(XENSTORE_UNIT_SRCS) $(XENSTORE_UNIT_HDRS)
UNIT_SRCS_test_xenstore_watch := $(XENSTORE_UNIT_SRCS) $(XENSTORE_UNIT_HDRS)
UNIT_SRCS_test_xenstore_txn := $(XENSTORE_UNIT_SRCS) $(XENSTORE_UNIT_HDRS)
UNIT_SRCS_test_xenstore_ring := $(XENSTORE_UNIT_SRCS) $(XENSTORE_UNIT_HDRS)
$(foreach t,path store codec watch txn ring,\
	$(eval UNIT_CFLAGS_test_xenstore_$(t) := -Idom0-tools/xenstored))
# The console daemon's ring copies (dom0-tools/consoled).
UNIT_TESTS += test_console_ring
UNIT_SRCS_test_console_ring := dom0-tools/consoled/cons_ring.c dom0-tools/consoled/cons_ring.h
UNIT_CFLAGS_test_console_ring := -Idom0-tools/consoled
# Our formatter must not stand in for the C library's inside cmocka.
UNIT_CFLAGS_test_format := -Dvsnprintf=mica_vsnprintf -Dsnprintf=mica_snprintf

# libmica's domain config model and parsers (dom0-tools/libmica/build.mk);
# the tests read the example configs from the source tree.
LIBMICA_UNIT_TESTS := test_domain_config test_xlcfg test_xml_config
LIBMICA_UNIT_CFLAGS = -I$(LIBMICA_DIR) $(LIBMICA_XML_CFLAGS) \
	-DEXAMPLES_DIR='"$(CURDIR)/dom0-tools/examples"'
UNIT_TESTS += $(LIBMICA_UNIT_TESTS)
UNIT_SRCS_test_domain_config = $(LIBMICA_CONFIG_SRCS)
UNIT_SRCS_test_xlcfg = $(LIBMICA_CONFIG_SRCS)
UNIT_SRCS_test_xml_config = $(LIBMICA_CONFIG_SRCS)
UNIT_CFLAGS_test_domain_config = $(LIBMICA_UNIT_CFLAGS)
UNIT_CFLAGS_test_xlcfg = $(LIBMICA_UNIT_CFLAGS)
UNIT_CFLAGS_test_xml_config = $(LIBMICA_UNIT_CFLAGS)
UNIT_LDLIBS_test_domain_config = $(LIBMICA_LDLIBS)
UNIT_LDLIBS_test_xlcfg = $(LIBMICA_LDLIBS)
UNIT_LDLIBS_test_xml_config = $(LIBMICA_LDLIBS)
$(addprefix $(UNIT_OUT)/,$(LIBMICA_UNIT_TESTS)): $(wildcard dom0-tools/libmica/*.h)
# libmica's xenstore client against a scripted server on a unix socket.
UNIT_TESTS += test_mica_xs
UNIT_SRCS_test_mica_xs := dom0-tools/libmica/mica_xs.c dom0-tools/libmica/mica_xs.h
UNIT_CFLAGS_test_mica_xs := -Idom0-tools/libmica
UNIT_LDLIBS_test_mica_xs := -lpthread
# libmica's kernel reader (ELF or bzImage), checked with mica_elf_parse.
UNIT_TESTS += test_mica_kernel
UNIT_SRCS_test_mica_kernel := $(addprefix dom0-tools/libmica/,mica_kernel.c mica_kernel.h \
	mica_elf.c mica_elf.h mica_foreign.c mica_foreign.h mica_ctl.c mica_ctl.h) \
	hypervisor/common/elf.c
UNIT_CFLAGS_test_mica_kernel = -Idom0-tools/libmica -Ihypervisor/include/public \
	$(LIBMICA_ZIP_CFLAGS)
UNIT_LDLIBS_test_mica_kernel = $(LIBMICA_ZIP_LDLIBS)
# libmica's evtchn and gnttab modules: argument checks and closed handles.
UNIT_TESTS += test_mica_devices
UNIT_SRCS_test_mica_devices := $(LIBMICA_DEVICE_SRCS) $(LIBMICA_DEVICE_SRCS:.c=.h)
UNIT_CFLAGS_test_mica_devices := -I$(LIBMICA_DIR) -Ihypervisor/include/public
-include tests/unit/boot.mk

UNIT_BINS := $(addprefix $(UNIT_OUT)/,$(UNIT_TESTS))

.PHONY: unit unit-list
unit: $(UNIT_BINS)

# Paths of the built test binaries, one a line, for tests/run-all.
unit-list:
	@for t in $(UNIT_BINS); do echo $$t; done

.SECONDEXPANSION:
$(UNIT_OUT)/%: tests/unit/%.c $$(UNIT_SRCS_%) $$(wildcard hypervisor/include/mica/*.h) \
		$$(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) $(UNIT_CFLAGS_$*) -o $@ $(filter %.c,$^) $(UNIT_LDLIBS) \
		$(UNIT_LDLIBS_$*)
