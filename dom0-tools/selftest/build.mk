# Self-tests for dom0, shipped in its initramfs: xen-selftest proves that
# privcmd, evtchn and gntdev work; control-selftest drives Mica's control
# interface (its header comes from hypervisor/include/public).

SELFTEST_BIN := $(BUILD)/dom0-tools/xen-selftest
CONTROL_SELFTEST_BIN := $(BUILD)/dom0-tools/control-selftest
SELFTEST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror

$(SELFTEST_BIN): dom0-tools/selftest/xen-selftest.c
	@mkdir -p $(dir $@)
	gcc $(SELFTEST_CFLAGS) -o $@ $<

$(CONTROL_SELFTEST_BIN): $(addprefix dom0-tools/selftest/,control-selftest.c control_util.c control_util.h control_build.c control_build.h) \
		$(wildcard hypervisor/include/public/mica/*.h hypervisor/include/public/xen/*.h)
	@mkdir -p $(dir $@)
	gcc $(SELFTEST_CFLAGS) -Ihypervisor/include/public -o $@ $(filter %.c,$^)

# console-selftest: mica-consoled end to end (docs/consoled.md); it speaks
# to the store with the daemon's own small client.
CONSOLE_SELFTEST_BIN := $(BUILD)/dom0-tools/console-selftest
$(CONSOLE_SELFTEST_BIN): $(addprefix dom0-tools/selftest/,console-selftest.c control_util.c control_util.h control_build.c control_build.h) \
		dom0-tools/consoled/cons_xs.c dom0-tools/consoled/cons_xs.h \
		$(wildcard hypervisor/include/public/mica/*.h hypervisor/include/public/xen/*.h)
	@mkdir -p $(dir $@)
	gcc $(SELFTEST_CFLAGS) -Ihypervisor/include/public -Idom0-tools/consoled -o $@ $(filter %.c,$^)

IMAGE_DOM0_BINARIES += $(SELFTEST_BIN) $(CONTROL_SELFTEST_BIN) $(CONSOLE_SELFTEST_BIN)
# A test guest for control-selftest to build into a new domain.
IMAGE_DOM0_TESTS += $(BUILD)/guests/hello.elf $(BUILD)/guests/console_ring.elf
