"""Debian's kernel with our dom0 and domU initramfs, booted by bare QEMU (no hypervisor).

QEMU's own PVH loader starts the ELF vmlinux through its
XEN_ELFNOTE_PHYS32_ENTRY note, as Mica does, so this checks what
`make dom0-image domu-image` built before any hypervisor is involved. Without
Xen the Xen modules load and then refuse to start (ENODEV): that proves the
files are in the image, indexed, and match the kernel.
"""

import re
import shlex
import time

from bootmedia import REPO
from harness import Machine

DOM0 = REPO / 'build' / 'dom0'
DOMU = REPO / 'build' / 'domu'
VMLINUX = DOM0 / 'vmlinux'
DOM0_MODULES = ['xen-evtchn', 'xen-privcmd', 'xenfs', 'xen-gntdev', 'xen-gntalloc',
                'xen-blkback', 'xen-netback']
DOMU_MODULES = ['xen-blkfront', 'xen-netfront']
# Tests power off or reboot on a panic: QEMU runs with -no-reboot.
BASE_CMDLINE = 'console=ttyS0 panic=-1'
# About 6 s to /init under TCG on a quiet machine.
BOOT_TIMEOUT = 120


class DirectKernel:
    """Stands in for the harness's boot medium: QEMU loads the kernel and initrd itself."""

    def __init__(self, initrd, cmdline):
        for path in (VMLINUX, initrd):
            if not path.exists():
                raise AssertionError(f'{path.relative_to(REPO)} is missing: '
                                     'run `make dom0-image domu-image` first')
        self.args = ['-kernel', str(VMLINUX), '-initrd', str(initrd), '-append', cmdline]
        self.config_text = shlex.join(self.args)

    def build(self, workdir):
        return self.args


def direct_machine(initrd, cmdline, name):
    """A harness Machine that boots VMLINUX and initrd straight from QEMU."""
    machine = Machine(name=name)
    machine.medium = DirectKernel(initrd, cmdline)
    return machine


def kernel_release():
    return (DOM0 / 'kernel-version').read_text().strip()


def expect_boot(machine, role, modules):
    """Wait for the kernel banner, the init marker and each module's load attempt.

    Returns the seconds from QEMU's start to the init marker.
    """
    release = re.escape(kernel_release())
    start = time.monotonic()
    machine.expect(rf'Linux version {release} ', timeout=BOOT_TIMEOUT)
    machine.expect(rf'^mica-{role}: init started \(kernel {release}\)$', timeout=BOOT_TIMEOUT)
    seconds = time.monotonic() - start
    print(f'{role}: init marker {seconds:.1f} s after QEMU started')
    for module in modules:
        machine.expect(rf'^mica-{role}: (loaded {module}'
                       rf'|loading {module} FAILED: .*No such device)$')
    machine.expect(rf'^mica-{role}: ready$')
    return seconds


def test_dom0_image_modules():
    """dom0: init runs, every Xen module is in the image and matches the kernel, poweroff."""
    release = kernel_release()
    in_image = (DOM0 / 'modules.list').read_text().split()
    cmdline = f'{BASE_CMDLINE} mica.run=modules-present.sh mica.poweroff'
    with direct_machine(DOM0 / 'initrd.img', cmdline, 'dom0') as m:
        expect_boot(m, 'dom0', DOM0_MODULES)
        module_dir = re.escape(f'/lib/modules/{release}/')
        for module in DOM0_MODULES:
            # \n, not $: the line may still be arriving.
            path = m.expect(rf'^mica-test: module {module} at {module_dir}(\S+)\n').group(1)
            assert path in in_image, f'{path} is not in build/dom0/modules.list'
        m.expect(r'^mica-test: modules-present done, 0 missing$')
        m.expect(r'^mica-dom0: /mica/tests/modules-present.sh exited with status 0$')
        m.expect(r'^mica-dom0: powering off$')
        assert m.wait_exit(60) == 0
        m.reject(r'Kernel panic|BUG:|Oops')


def test_dom0_image_domu_shell():
    """domU: init runs, then a shell on the console with job control: Ctrl-C stops a job."""
    with direct_machine(DOMU / 'initrd.img', BASE_CMDLINE, 'domu') as m:
        expect_boot(m, 'domu', DOMU_MODULES)
        m.expect('domu:/# ')
        # The job is a child shell, so "sleeping" is printed only once the job holds
        # the terminal's foreground and takes SIGINT's default action. With
        # `echo; sleep` run by the login shell itself, a Ctrl-C could reach the shell
        # between the two commands (CI once saw no prompt for 60 s after it). The
        # echo prints "sleeping", which its own echoed command line does not contain.
        m.sendline('sh -c \'echo sleep""ing; exec sleep 600\'')
        m.expect(r'^sleeping$')
        m.send('\x03')
        m.expect('domu:/# ')
        m.sendline('echo $((6 * 7))')
        m.expect(r'^42$')
        m.sendline('poweroff -f')
        assert m.wait_exit(60) == 0
        m.reject(r'Kernel panic|BUG:|Oops')
