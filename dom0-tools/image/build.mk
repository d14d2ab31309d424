# dom0 and domU images from Debian's own kernel (see dom0-tools/image/README.md).
# `make dom0-image`: $(BUILD)/dom0/{vmlinux,initrd.img,modules.list,kernel-version};
# `make domu-image`: $(BUILD)/domu/{vmlinuz,initrd.img,modules.list}: the same
# kernel as the package ships it (a bzImage, for the toolstack to build domUs
# from) and the domU initramfs.

# The Debian kernel package both boot: the one linux-image-amd64 depends on
# now. Override: make dom0-image IMAGE_KERNEL_PACKAGE=linux-image-6.1.0-56-amd64
IMAGE_KERNEL_PACKAGE ?= $(shell apt-cache depends linux-image-amd64 2>/dev/null | \
	sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$$/\1/p' | head -n 1)

IMAGE_BUSYBOX ?= /bin/busybox
# The lists below take `+=` from other build.mk files, included before or
# after this one.
# Modules /init loads, in this order (dependencies come along).
IMAGE_DOM0_MODULES += xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc \
	xen-blkback xen-netback virtio_pci virtio_blk ext4 e1000 loop
IMAGE_DOMU_MODULES += xen-blkfront xen-netfront ext4
# Executables installed in /usr/bin with their shared libraries; the toolstack
# appends its binaries here (they are prerequisites, so make builds them first).
IMAGE_DOM0_BINARIES +=
# Directories (absolute) where ldd finds those binaries' libraries when they
# come from packages unpacked in the build tree rather than installed.
IMAGE_DOM0_LIBRARY_PATH +=
# The same for the domU image (e.g. xenstore clients a guest runs).
IMAGE_DOMU_BINARIES +=
IMAGE_DOMU_LIBRARY_PATH +=
# Plain files as SRC=/DEST (DEST absolute), e.g. the example domU's kernel.
IMAGE_DOM0_FILES +=
# Scripts for mica.run=NAME, installed in /mica/tests/.
IMAGE_DOM0_TESTS += dom0-tools/image/tests/modules-present.sh \
	dom0-tools/image/tests/hw-disk.sh dom0-tools/image/tests/hw-net.sh
IMAGE_DOMU_TESTS += dom0-tools/image/tests/modules-present.sh

IMAGE_DIR := dom0-tools/image
IMAGE_OUT := $(BUILD)/dom0
IMAGE_DOMU_OUT := $(BUILD)/domu
IMAGE_PKG_DIR := $(IMAGE_OUT)/pkg
IMAGE_STAMP := $(IMAGE_PKG_DIR)/kernel.stamp
IMAGE_RELEASE_FILE := $(IMAGE_OUT)/kernel-version
IMAGE_VMLINUX := $(IMAGE_OUT)/vmlinux
IMAGE_DOM0_INITRD := $(IMAGE_OUT)/initrd.img
IMAGE_DOMU_INITRD := $(IMAGE_DOMU_OUT)/initrd.img
IMAGE_DOMU_KERNEL := $(IMAGE_DOMU_OUT)/vmlinuz
# A missing busybox is for make-initramfs.sh to explain, not for make.
IMAGE_INITRAMFS_INPUTS := $(IMAGE_STAMP) $(IMAGE_DIR)/make-initramfs.sh $(IMAGE_DIR)/init \
	$(IMAGE_DIR)/stop $(IMAGE_DIR)/profile \
	$(wildcard $(IMAGE_BUSYBOX))

.PHONY: dom0-image domu-image image-force
dom0-image: $(IMAGE_VMLINUX) $(IMAGE_DOM0_INITRD)
domu-image: $(IMAGE_VMLINUX) $(IMAGE_DOMU_KERNEL) $(IMAGE_DOMU_INITRD)

# image-force is never up to date, so these recipes always run; they rewrite
# their targets only on a change. fetch-kernel.sh downloads and unpacks only
# what is missing.
image-force:
$(IMAGE_STAMP): image-force
	@$(IMAGE_DIR)/fetch-kernel.sh "$(IMAGE_KERNEL_PACKAGE)" $(IMAGE_PKG_DIR) $(IMAGE_RELEASE_FILE)

$(IMAGE_VMLINUX): $(IMAGE_STAMP) $(IMAGE_DIR)/extract-vmlinux.py
	@$(IMAGE_DIR)/extract-vmlinux.py \
		$(IMAGE_PKG_DIR)/root/boot/vmlinuz-$$(cat $(IMAGE_RELEASE_FILE)) $@

# Copied only when it changed, so that the dom0 image that carries it is
# not rebuilt for nothing.
$(IMAGE_DOMU_KERNEL): $(IMAGE_STAMP)
	@mkdir -p $(@D)
	@src=$(IMAGE_PKG_DIR)/root/boot/vmlinuz-$$(cat $(IMAGE_RELEASE_FILE)); \
		cmp -s $$src $@ || cp $$src $@

# A file holding a variable's words, rewritten only when they change, so that
# a changed list rebuilds the initramfs: $(call image_record,WORDS)
define image_record
	@mkdir -p $(@D)
	@printf '%s\n' $(1) >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
endef

$(IMAGE_OUT)/initrd.inputs: image-force
	$(call image_record,$(IMAGE_BUSYBOX) -- $(IMAGE_DOM0_MODULES) -- $(IMAGE_DOM0_BINARIES) \
		-- $(IMAGE_DOM0_TESTS) -- $(IMAGE_DOM0_LIBRARY_PATH) -- $(IMAGE_DOM0_FILES))
$(IMAGE_DOMU_OUT)/initrd.inputs: image-force
	$(call image_record,$(IMAGE_BUSYBOX) -- $(IMAGE_DOMU_MODULES) -- $(IMAGE_DOMU_BINARIES) \
		-- $(IMAGE_DOMU_TESTS) -- $(IMAGE_DOMU_LIBRARY_PATH))

# $(call image_initramfs,ROLE,OUT_DIR,MODULES,BINARIES,TESTS[,LIBRARY_PATH[,FILES]])
define image_initramfs
	@$(IMAGE_DIR)/make-initramfs.sh --role $(1) --kernel-root $(IMAGE_PKG_DIR)/root \
		--release $$(cat $(IMAGE_RELEASE_FILE)) --busybox $(IMAGE_BUSYBOX) \
		--init $(IMAGE_DIR)/init --stop $(IMAGE_DIR)/stop --profile $(IMAGE_DIR)/profile --stage $(2)/initramfs --modules-list $(2)/modules.list \
		--out $@ --modules "$(3)" --binaries "$(4)" --tests "$(5)" \
		--library-path "$(subst $(eval) ,:,$(strip $(6)))" --files "$(7)"
endef

$(IMAGE_DOM0_INITRD): $(IMAGE_INITRAMFS_INPUTS) $(IMAGE_OUT)/initrd.inputs \
		$(IMAGE_DOM0_BINARIES) $(IMAGE_DOM0_TESTS) $(foreach f,$(IMAGE_DOM0_FILES),$(firstword $(subst =, ,$(f))))
	$(call image_initramfs,dom0,$(IMAGE_OUT),$(IMAGE_DOM0_MODULES),$(IMAGE_DOM0_BINARIES),\
		$(IMAGE_DOM0_TESTS),$(IMAGE_DOM0_LIBRARY_PATH),$(IMAGE_DOM0_FILES))

$(IMAGE_DOMU_INITRD): $(IMAGE_INITRAMFS_INPUTS) $(IMAGE_DOMU_OUT)/initrd.inputs \
		$(IMAGE_DOMU_BINARIES) $(IMAGE_DOMU_TESTS)
	$(call image_initramfs,domu,$(IMAGE_DOMU_OUT),$(IMAGE_DOMU_MODULES),$(IMAGE_DOMU_BINARIES),\
		$(IMAGE_DOMU_TESTS),$(IMAGE_DOMU_LIBRARY_PATH))
