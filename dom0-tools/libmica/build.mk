# libmica: the dom0 toolstack's library, $(BUILD)/libmica/libmica.a. Parts
# add their sources to LIBMICA_SRCS; programs that link it add
# $(LIBMICA_LDLIBS). Its domain.xsd is compiled in (no schema file to ship).

LIBMICA_DIR := dom0-tools/libmica
LIBMICA_OUT := $(BUILD)/libmica
LIBMICA_LIB := $(LIBMICA_OUT)/libmica.a
LIBMICA_XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
LIBMICA_XML_LDLIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
LIBMICA_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror \
	-I$(LIBMICA_DIR) -I$(LIBMICA_DIR)/hvshim -Ihypervisor/include/public -Ihypervisor/arch/x86/include \
	$(LIBMICA_XML_CFLAGS)
# A bzImage kernel's payload is xz or gzip.
LIBMICA_ZIP_CFLAGS := $(shell pkg-config --cflags liblzma zlib 2>/dev/null)
LIBMICA_ZIP_LDLIBS := $(shell pkg-config --libs liblzma zlib 2>/dev/null || echo -llzma -lz)
LIBMICA_CFLAGS += $(LIBMICA_ZIP_CFLAGS)
LIBMICA_LDLIBS := $(LIBMICA_XML_LDLIBS) $(LIBMICA_ZIP_LDLIBS)

# The domain config model and its xl.cfg and XML readers and writers.
LIBMICA_CONFIG_SRCS := $(addprefix $(LIBMICA_DIR)/,config_error.c domain_config.c \
	config_checks.c device_spec.c xlcfg_keys.c xlcfg_parse.c xlcfg_write.c xml_config.c \
	xml_write.c config_load.c) $(LIBMICA_OUT)/domain_xsd.c
LIBMICA_SRCS += $(LIBMICA_CONFIG_SRCS)

# The domain builder: control calls over privcmd, foreign mappings, the ELF
# loader and the bzImage reader in front of it, a xenstore client, and two
# pure files of the hypervisor compiled as they are: its ACPI table writer
# and the ELF reader it shares with the loader (hvshim/ stands in for their
# <mica/...> headers).
LIBMICA_HV_SRCS := hypervisor/arch/x86/hvm/acpi_tables.c hypervisor/common/elf.c
LIBMICA_BUILD_SRCS := $(addprefix $(LIBMICA_DIR)/,mica_ctl.c mica_foreign.c mica_elf.c \
	mica_kernel.c mica_xs.c mica_domain_store.c mica_device_store.c mica_loop.c mica_vbd.c mica_build.c) $(LIBMICA_HV_SRCS)
LIBMICA_SRCS += $(LIBMICA_BUILD_SRCS)

# Event channels (/dev/xen/evtchn) and granted pages (/dev/xen/gntdev).
# These, mica_ctl and mica_foreign need only the C library: a program that
# uses no more than them links $(LIBMICA_LIB) without $(LIBMICA_LDLIBS), so
# the linker takes just those objects and fails if one needs more.
LIBMICA_DEVICE_SRCS := $(addprefix $(LIBMICA_DIR)/,mica_evtchn.c mica_gnttab.c)
LIBMICA_SRCS += $(LIBMICA_DEVICE_SRCS)

# domain.xsd as one C string.
$(LIBMICA_OUT)/domain_xsd.c: $(LIBMICA_DIR)/domain.xsd
	@mkdir -p $(@D)
	{ echo '/* Generated from $< by $(LIBMICA_DIR)/build.mk. */'; \
	  echo '#include "domain_xsd.h"'; \
	  echo 'const char domain_xsd[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } >$@

# What every object may include: our headers and the hypervisor's public ABI.
LIBMICA_HEADERS := $(wildcard $(LIBMICA_DIR)/*.h $(LIBMICA_DIR)/hvshim/mica/*.h \
	hypervisor/include/public/*/*.h)

LIBMICA_OBJS = $(patsubst %.c,$(LIBMICA_OUT)/obj/%.o,$(notdir $(LIBMICA_SRCS)))

$(LIBMICA_OUT)/obj/%.o: $(LIBMICA_DIR)/%.c $(LIBMICA_HEADERS)
	@mkdir -p $(@D)
	gcc $(LIBMICA_CFLAGS) -c -o $@ $<

$(LIBMICA_OUT)/obj/acpi_tables.o: hypervisor/arch/x86/hvm/acpi_tables.c \
		$(wildcard hypervisor/arch/x86/include/x86/acpi*.h)
$(LIBMICA_OUT)/obj/elf.o: hypervisor/common/elf.c hypervisor/include/mica/elf.h
$(patsubst %.c,$(LIBMICA_OUT)/obj/%.o,$(notdir $(LIBMICA_HV_SRCS))):
	@mkdir -p $(@D)
	gcc $(LIBMICA_CFLAGS) -c -o $@ $<

$(LIBMICA_OUT)/obj/%.o: $(LIBMICA_OUT)/%.c $(LIBMICA_HEADERS)
	@mkdir -p $(@D)
	gcc $(LIBMICA_CFLAGS) -c -o $@ $<

# Expanded late, so that parts listed after this file are in the archive too.
.SECONDEXPANSION:
$(LIBMICA_LIB): $$(LIBMICA_OBJS)
	rm -f $@
	ar rcs $@ $^

.PHONY: libmica
libmica: $(LIBMICA_LIB)
all: libmica
