"""The emulated machine and the images every system boots, in one place."""
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / os.environ.get('BUILD', 'build')

# The same QEMU machine for every system: -machine q35 -cpu max (TCG, AMD
# with SVM and NPT), these CPUs and this memory; the hypervisors give dom0
# DOM0_MEM and as many vCPUs as the machine has CPUs.
SMP = int(os.environ.get('BENCH_SMP', '2'))
MEM_MIB = int(os.environ.get('BENCH_MEM', '2048'))
DOM0_MEM = os.environ.get('BENCH_DOM0_MEM', '512M')

# The same kernel and initramfs for every system: Debian's ELF vmlinux and
# the dom0 initramfs with Xen's toolstack and the domU appended
# (bench/xen/make-initrd.sh).
VMLINUX = BUILD / 'dom0' / 'vmlinux'
KERNEL_RELEASE_FILE = BUILD / 'dom0' / 'kernel-version'
KERNEL_STAMP = BUILD / 'dom0' / 'pkg' / 'kernel.stamp'
INITRD = BUILD / 'bench' / 'initrd.img'
XEN_PKG = BUILD / 'bench' / 'pkg'
XEN_EFI = XEN_PKG / 'root' / 'boot' / 'xen-4.17-amd64.efi'
RESULTS_DIR = REPO / 'bench' / 'results'
LOG_ROOT = BUILD / 'bench' / 'logs'

DOM0_READY = r'mica-dom0: ready'
DOMU_READY = r'mica-domu: ready'
