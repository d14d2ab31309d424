# `make bench`: Mica beside Debian's Xen 4.17 and bare QEMU (bench/run.py;
# docs/benchmarks.md). Never part of `make test`. BENCH_RUNS=N boots each
# system N times (default 3); BENCH_ARGS passes options to bench/run.py,
# e.g. BENCH_ARGS="--systems xen,bare".

BENCH_RUNS ?= 3
BENCH_ARGS ?=
BENCH_OUT := $(BUILD)/bench
BENCH_PKG := $(BENCH_OUT)/pkg
BENCH_INITRD := $(BENCH_OUT)/initrd.img
# Debian's Xen and what its toolstack links against that a Debian host
# lacks; fetched into $(BENCH_PKG), never installed on the host.
BENCH_XEN_PACKAGES := xen-hypervisor-4.17-amd64 xen-utils-4.17 \
	libxenmisc4.17 libxenstore4 libxencall1 libxenevtchn1 libxenforeignmemory1 \
	libxengnttab1 libxentoollog1 libxendevicemodel1 libxentoolcore1 libxenhypfs1 \
	libyajl2

.PHONY: bench bench-force
bench: deps all dom0-image domu-image $(BENCH_INITRD)
	BENCH_RUNS=$(BENCH_RUNS) bench/run.py $(BENCH_ARGS)

# bench-force is never up to date: fetch-xen.sh runs every time, downloads
# and unpacks only what is missing, and rewrites versions only on a change.
bench-force:
$(BENCH_PKG)/versions: bench-force
	@bench/xen/fetch-xen.sh $(BENCH_PKG) $(BENCH_XEN_PACKAGES)

$(BENCH_INITRD): $(BENCH_PKG)/versions $(IMAGE_DOM0_INITRD) $(IMAGE_VMLINUX) \
		$(IMAGE_DOMU_INITRD) bench/xen/make-initrd.sh bench/xen/xl-create.sh \
		bench/xen/domu.cfg bench/mica/mxl-create.sh bench/mica/domu.cfg
	@bench/xen/make-initrd.sh $(BENCH_PKG)/root $(IMAGE_DOM0_INITRD) $(IMAGE_VMLINUX) \
		$(IMAGE_DOMU_INITRD) $(BENCH_OUT)/stage $@
