# `make deps`: install what the build and the tests need from Debian's
# registry. Idempotent: it asks apt-get only for packages that are missing.

DEB_PACKAGES := build-essential gnu-efi libcmocka-dev pkg-config python3 libxml2-dev \
	liblzma-dev zlib1g-dev \
	qemu-system-x86 ovmf grub-pc-bin grub-common xorriso mtools \
	bochs bochsbios vgabios bochs-term \
	kmod busybox-static xz-utils cpio gzip

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing $$missing"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
