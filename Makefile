# Mica: the one entry point. `make` builds, `make run` boots Mica in QEMU,
# `make test` runs every test. Outputs go to build/.

BUILD := build
export BUILD

.PHONY: all deps run test unit integration clean
all: hypervisor loader guests

include mk/deps.mk
include hypervisor/build.mk
include boot/build.mk
include dom0-tools/libmica/build.mk
include tests/unit/build.mk
include qemu-harness/build.mk
include tests/guests/build.mk
include dom0-tools/selftest/build.mk
include dom0-tools/xenstored/build.mk
include dom0-tools/consoled/build.mk
include dom0-tools/mxl/build.mk
include dom0-tools/image/build.mk
include bench/build.mk

# `make run`: boot Mica through UEFI in QEMU with Debian's kernel as dom0;
# the console is this terminal (dom0's shell; Ctrl-A three times switches
# to the Mica shell and back; Ctrl-A X leaves QEMU).
RUN_SMP ?= 2
RUN_MEM ?= 2048
RUN_DOM0_MEM ?= 512M
run: deps all dom0-image
	qemu-harness/mica-qemu --uefi --interactive --smp $(RUN_SMP) --mem $(RUN_MEM) \
		--cmdline "dom0_mem=$(RUN_DOM0_MEM) dom0_max_vcpus=$(RUN_SMP)" \
		--dom0-kernel $(BUILD)/dom0/vmlinux --dom0-cmdline "console=hvc0" \
		--dom0-initrd $(BUILD)/dom0/initrd.img $(RUN_ARGS)

test: deps all unit dom0-image domu-image xenstore-clients
	tests/run-all

clean:
	rm -rf $(BUILD)
