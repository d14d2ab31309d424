"""The reference: Debian's Xen 4.17 (xen.efi through OVMF), its dom0, and xl.

dom0 is PV by default: under QEMU TCG a PVH dom0 with two vCPUs sometimes
hangs in stop_machine (a soft lockup in multi_cpu_stop; see
docs/benchmarks.md). BENCH_XEN_DOM0=pvh boots it as PVH, as Mica's dom0 is,
with cpuid=no-rdtscp (without NRIP save Xen cannot decode a trapped RDTSCP)
and the emulated IOMMU a PVH dom0 needs. Both need smap=0 smep=0 under TCG.
"""
import os
import shutil
from pathlib import Path

from bootmedia import OVMF_CODE, OVMF_VARS, make_fat_image
from harness import Machine

import config
from probes import MarkerSpan

DOM0_MODE = os.environ.get('BENCH_XEN_DOM0', 'pv')


class XenEfiMedium:
    """An ESP with xen.efi as the default boot program and its BOOTX64.cfg beside it."""

    def __init__(self, options, dom0_cmdline):
        self.config_text = '\n'.join([
            '[global]', 'default=bench', '', '[bench]',
            f'options={options}',
            f'kernel=vmlinux {dom0_cmdline}',
            'ramdisk=initrd.img', ''])

    def build(self, workdir):
        workdir = Path(workdir)
        cfg = workdir / 'BOOTX64.cfg'
        cfg.write_text(self.config_text)
        image = workdir / 'esp.img'
        make_fat_image(image, {'/EFI/BOOT/BOOTX64.EFI': config.XEN_EFI,
                               '/EFI/BOOT/BOOTX64.cfg': cfg,
                               '/EFI/BOOT/vmlinux': config.VMLINUX,
                               '/EFI/BOOT/initrd.img': config.INITRD})
        vars_copy = workdir / 'OVMF_VARS.fd'
        shutil.copyfile(OVMF_VARS, vars_copy)
        return ['-drive', f'if=pflash,format=raw,readonly=on,file={OVMF_CODE}',
                '-drive', f'if=pflash,format=raw,file={vars_copy}',
                '-drive', f'if=none,id=esp,format=raw,file={image}',
                '-device', 'ide-hd,drive=esp,bootindex=0']


class Xen:
    key = 'xen'
    title = 'Xen 4.17'
    options = ' '.join([
        'console=com1', 'com1=115200,8n1', 'smap=0', 'smep=0', 'noreboot',
        f'dom0_mem={config.DOM0_MEM},max:{config.DOM0_MEM}',
        f'dom0_max_vcpus={config.SMP}'] +
        (['dom0=pvh', 'iommu=1', 'cpuid=no-rdtscp'] if DOM0_MODE == 'pvh' else []))
    # Xen's own xenstored and xenconsoled serve this dom0, not Mica's daemons.
    dom0_cmdline = 'console=hvc0 mica.xenstored=no mica.run=xl-create.sh'
    extra_qemu_args = ['-device', 'intel-iommu,intremap=on'] if DOM0_MODE == 'pvh' else []
    probes = {
        'dom0_boot': MarkerSpan(end=config.DOM0_READY, timeout=240,
                                fail=r'Kernel panic.*|\(XEN\) Panic on CPU.*'),
        'domu_create': MarkerSpan(start=r'bench-xen: creating domU', end=config.DOMU_READY,
                                  timeout=240, fail=r'bench-xen: FAILED.*'),
    }

    def machine(self, name):
        m = Machine(smp=config.SMP, mem_mib=config.MEM_MIB, name=name,
                    extra_qemu_args=self.extra_qemu_args)
        m.medium = XenEfiMedium(self.options, self.dom0_cmdline)
        return m

    def describe(self):
        return {'boot': 'OVMF + xen.efi', 'dom0': DOM0_MODE, 'options': self.options,
                'dom0_cmdline': self.dom0_cmdline,
                'extra_qemu_args': ' '.join(self.extra_qemu_args),
                'domu': 'bench/xen/domu.cfg'}
