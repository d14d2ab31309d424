# Mica: the one entry point. `make` builds, `make run` boots Mica in QEMU,
# `make test` runs every test. Outputs go to build/.

BUILD := build
export BUILD

.PHONY: all deps run test unit integration clean image
all: hypervisor loader guests

include mk/deps.mk
include hypervisor/build.mk
include boot/build.mk
include tests/unit/build.mk
include qemu-harness/build.mk
include tests/guests/build.mk
include dom0-tools/selftest/build.mk
include dom0-tools/image/build.mk

# `make run`: boot Mica through UEFI in QEMU with its console on this terminal.
run: deps all
	qemu-harness/mica-qemu --uefi --interactive $(RUN_ARGS)

test: deps all unit
	tests/run-all

clean:
	rm -rf $(BUILD)
