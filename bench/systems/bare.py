"""The floor: the same kernel and initramfs booted by QEMU itself, no hypervisor."""
from harness import Machine

import config
from probes import NOT_APPLICABLE, MarkerSpan


class DirectKernelMedium:
    """QEMU's own loader takes the ELF vmlinux through its PVH entry (SeaBIOS firmware)."""

    def __init__(self, cmdline):
        self.args = ['-kernel', str(config.VMLINUX), '-initrd', str(config.INITRD),
                     '-append', cmdline]
        self.config_text = ' '.join(self.args)

    def build(self, workdir):
        return self.args


class BareQemu:
    key = 'bare'
    title = 'bare QEMU'
    # mem= gives the kernel the memory a dom0 gets; vCPUs are the machine's.
    cmdline = f'console=ttyS0 mem={config.DOM0_MEM}'
    probes = {
        'dom0_boot': MarkerSpan(end=config.DOM0_READY, timeout=120),
        'domu_create': NOT_APPLICABLE,
    }

    def machine(self, name):
        m = Machine(smp=config.SMP, mem_mib=config.MEM_MIB, name=name)
        m.medium = DirectKernelMedium(self.cmdline)
        return m

    def describe(self):
        return {'boot': 'QEMU -kernel (PVH entry), SeaBIOS', 'kernel_cmdline': self.cmdline}
