#!/usr/bin/env python3
"""Measures time from QEMU start to the dom0 init's "ready" marker: Mica
with Debian's kernel as dom0 (GRUB and UEFI paths), and the same kernel and
initramfs booted straight by QEMU. Wall and QEMU CPU time, median of N runs.
A measurement, not a test: `bench/dom0_boot.py [-n RUNS]`."""
import argparse
import os
import statistics
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
sys.path.insert(0, os.path.join(ROOT, 'qemu-harness'))
from harness import Machine  # noqa: E402

VMLINUX = os.path.join(ROOT, 'build', 'dom0', 'vmlinux')
INITRD = os.path.join(ROOT, 'build', 'dom0', 'initrd.img')
MARKER = r'mica-dom0: ready'


class DirectKernel:
    """Boot medium for the reference: QEMU's own PVH loader takes vmlinux."""

    def __init__(self, cmdline):
        self.args = ['-kernel', VMLINUX, '-initrd', INITRD, '-append', cmdline]
        self.config_text = ' '.join(self.args)

    def build(self, workdir):
        return self.args


def qemu_cpu_seconds(m):
    with open(f'/proc/{m._proc.pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def measure(kind):
    if kind == 'bare QEMU':
        m = Machine(smp=2, mem_mib=512, name='bench-bare')
        m.medium = DirectKernel('console=ttyS0')
    else:
        m = Machine(boot='grub' if 'GRUB' in kind else 'uefi', smp=2, mem_mib=1024,
                    cmdline='dom0_mem=512M dom0_max_vcpus=2', dom0_kernel=VMLINUX,
                    dom0_cmdline='console=hvc0', dom0_initrd=INITRD, name='bench-mica')
    with m:
        start = time.monotonic()
        m.expect(MARKER, timeout=600)
        return time.monotonic() - start, qemu_cpu_seconds(m)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('-n', type=int, default=3, help='runs of each (default 3)')
    n = p.parse_args().n
    print(f'{"setup":<22} {"wall s (median, min-max)":<28} {"QEMU CPU s (median)":<20}')
    for kind in ('Mica, GRUB', 'Mica, UEFI', 'bare QEMU'):
        runs = [measure(kind) for _ in range(n)]
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        print(f'{kind:<22} {statistics.median(walls):5.1f} ({min(walls):.1f}-{max(walls):.1f})'
              f'{"":<14} {statistics.median(cpus):5.1f}')


if __name__ == '__main__':
    main()
