# Builds the test guests: tiny PVH kernels, one per tests/guests/<name>.c,
# each linked with the runtime in tests/guests/lib/ at 1 MiB into
# $(BUILD)/guests/<name>.elf. `make guests` builds them all.

GUEST_OUT := $(BUILD)/guests
GUEST_NAMES := $(basename $(notdir $(wildcard tests/guests/*.c)))
GUEST_ELFS := $(GUEST_NAMES:%=$(GUEST_OUT)/%.elf)

GUEST_CC := gcc
GUEST_INCLUDES := -Ihypervisor/include/public -Itests/guests/lib
GUEST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fcf-protection=none -mno-red-zone -mgeneral-regs-only -mcmodel=small \
	$(GUEST_INCLUDES) -MMD -MP
GUEST_ASFLAGS := $(GUEST_INCLUDES) -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
	-Wl,--build-id=none -T tests/guests/lib/guest.ld

GUEST_LIB_SRCS := $(wildcard tests/guests/lib/*.c tests/guests/lib/*.S)
GUEST_LIB_OBJS := $(patsubst tests/guests/%,$(GUEST_OUT)/obj/%,$(addsuffix .o,$(basename $(GUEST_LIB_SRCS))))

.PHONY: guests
guests: $(GUEST_ELFS)

$(GUEST_ELFS): $(GUEST_OUT)/%.elf: $(GUEST_OUT)/obj/%.o $(GUEST_LIB_OBJS) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_LDFLAGS) -o $@ $(GUEST_LIB_OBJS) $<

$(GUEST_OUT)/obj/%.o: tests/guests/%.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_OUT)/obj/%.o: tests/guests/%.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_ASFLAGS) -c -o $@ $<

-include $(GUEST_LIB_OBJS:.o=.d) $(GUEST_NAMES:%=$(GUEST_OUT)/obj/%.d)
