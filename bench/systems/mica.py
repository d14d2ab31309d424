"""Mica, booted through OVMF and its UEFI loader, as `make run` does."""
from harness import Machine

import config
from probes import MarkerSpan


class Mica:
    key = 'mica'
    title = 'Mica'
    cmdline = f'dom0_mem={config.DOM0_MEM} dom0_max_vcpus={config.SMP}'
    dom0_cmdline = 'console=hvc0 mica.run=mxl-create.sh'
    probes = {
        'dom0_boot': MarkerSpan(end=config.DOM0_READY, timeout=180),
        'domu_create': MarkerSpan(start=r'bench-mica: creating domU', end=config.DOMU_READY,
                                  timeout=240, fail=r'bench-mica: FAILED.*'),
    }

    def machine(self, name):
        return Machine(boot='uefi', smp=config.SMP, mem_mib=config.MEM_MIB,
                       cmdline=self.cmdline, dom0_kernel=config.VMLINUX,
                       dom0_cmdline=self.dom0_cmdline, dom0_initrd=config.INITRD,
                       name=name)

    def describe(self):
        return {'boot': 'OVMF + Mica UEFI loader', 'cmdline': self.cmdline,
                'dom0_cmdline': self.dom0_cmdline}
