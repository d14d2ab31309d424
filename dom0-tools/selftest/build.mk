# xen-selftest: a dom0 program proving privcmd, evtchn and gntdev work;
# shipped in the dom0 initramfs.

SELFTEST_BIN := $(BUILD)/dom0-tools/xen-selftest

$(SELFTEST_BIN): dom0-tools/selftest/xen-selftest.c
	@mkdir -p $(dir $@)
	gcc -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -o $@ $<

IMAGE_DOM0_BINARIES += $(SELFTEST_BIN)
