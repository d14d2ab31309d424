"""Mica, booted through OVMF and its UEFI loader, as `make run` does."""
from harness import Machine

import config
from probes import NOT_YET, MarkerSpan


class Mica:
    key = 'mica'
    title = 'Mica'
    cmdline = f'dom0_mem={config.DOM0_MEM} dom0_max_vcpus={config.SMP}'
    dom0_cmdline = 'console=hvc0'
    probes = {
        'dom0_boot': MarkerSpan(end=config.DOM0_READY, timeout=180),
        # Needs the toolstack (mxl create, issue #5): then a MarkerSpan from
        # its "creating" line to config.DOMU_READY, as for Xen.
        'domu_create': NOT_YET,
    }

    def machine(self, name):
        return Machine(boot='uefi', smp=config.SMP, mem_mib=config.MEM_MIB,
                       cmdline=self.cmdline, dom0_kernel=config.VMLINUX,
                       dom0_cmdline=self.dom0_cmdline, dom0_initrd=config.INITRD,
                       name=name)

    def describe(self):
        return {'boot': 'OVMF + Mica UEFI loader', 'cmdline': self.cmdline,
                'dom0_cmdline': self.dom0_cmdline}
