"""Debian's own kernel as Mica's PVH dom0: boots to the busybox shell, with
its vCPUs, its memory, the Xen modules and working Xen device files."""
import os
import re

from harness import Machine

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
VMLINUX = os.path.join(ROOT, 'build', 'dom0', 'vmlinux')
INITRD = os.path.join(ROOT, 'build', 'dom0', 'initrd.img')
MODULES = ('xen-evtchn', 'xen-privcmd', 'xenfs', 'xen-gntdev', 'xen-gntalloc',
           'xen-blkback', 'xen-netback')
PROMPT = r'dom0:/# '


def boot_dom0(boot, smp, dom0_mem_mib, vcpus):
    dom0 = dict(dom0_kernel=VMLINUX, dom0_cmdline='console=hvc0',
                dom0_initrd=INITRD)
    return Machine(boot=boot, smp=smp, mem_mib=1024,
                   cmdline=f'dom0_mem={dom0_mem_mib}M dom0_max_vcpus={vcpus}',
                   **dom0)


def run(m, command):
    """Runs a shell command in dom0 and returns what it printed."""
    marker = f'__done_{abs(hash(command)) % 10000}__'
    m.sendline(f'{command}; echo {marker}')
    out = m.expect(rf'(?s)\n(.*?){marker}\r?\n', timeout=120).group(1)
    m.expect(PROMPT, timeout=60)
    return re.sub(r'\(d0\) ', '', out)


def check_dom0(m, vcpus, dom0_mem_mib):
    m.expect(r'domain 0: privileged, \d+ MiB', timeout=120)
    version = m.expect(r'\(d0\) \[ *[\d.]+\] Linux version (6\.1\.\d+-\d+-amd64)',
                       timeout=300).group(1)
    m.expect(r'Booting kernel on Xen PVH', timeout=120)
    for module in MODULES:
        m.expect(rf'mica-dom0: loaded {module}\n', timeout=300)
    m.expect(r'mica-dom0: ready', timeout=120)
    m.expect(PROMPT, timeout=120)
    m.reject(r'FAILED|Kernel panic|PANIC|fatal exception')
    # The platform and physdev calls Linux makes as dom0 are answered.
    m.reject(r'Failed to sync pcpu info|Failed to add - passthrough')

    assert run(m, 'uname -r').strip().endswith(version)
    assert int(run(m, 'nproc').strip()) == vcpus
    total_kib = int(re.search(r'MemTotal:\s+(\d+) kB',
                              run(m, 'cat /proc/meminfo')).group(1))
    # What Linux reports is what Mica gave, less the kernel's own reservations.
    assert dom0_mem_mib * 1024 * 0.75 < total_kib <= dom0_mem_mib * 1024, total_kib
    devices = run(m, 'ls /dev/xen')
    for dev in ('privcmd', 'evtchn', 'gntdev'):
        assert dev in devices, devices
    pcpus = run(m, 'ls /sys/devices/system/xen_cpu')
    assert 'xen_cpu0' in pcpus, pcpus
    selftest = run(m, 'xen-selftest')
    assert 'xen-selftest: PASS' in selftest, selftest
    assert 'xen_version 4.17' in selftest, selftest

    # Ctrl-A three times gives the console back to the hypervisor shell.
    m.send('\x01\x01\x01')
    m.expect(r'console input now goes to the Mica shell', timeout=60)
    m.sendline('cpus')
    m.expect(r'CPUs online', timeout=60)
    m.sendline('domains')
    mib = int(m.expect(rf'\n +0  running +(\d+) MiB +{vcpus}  \d+\.\d{{3}} s  '
                       r'\(privileged\)', timeout=60).group(1))
    # Linux gives a few pages back (for shared_info and grant frames).
    assert dom0_mem_mib - 4 <= mib <= dom0_mem_mib, mib


def test_dom0_one_vcpu_grub():
    with boot_dom0('grub', smp=1, dom0_mem_mib=384, vcpus=1) as m:
        check_dom0(m, vcpus=1, dom0_mem_mib=384)


def test_dom0_two_vcpus_grub():
    with boot_dom0('grub', smp=2, dom0_mem_mib=512, vcpus=2) as m:
        check_dom0(m, vcpus=2, dom0_mem_mib=512)


def test_dom0_two_vcpus_uefi():
    with boot_dom0('uefi', smp=2, dom0_mem_mib=512, vcpus=2) as m:
        m.expect(r'mica-boot: loaded \\EFI\\MICA\\\S+ \(\d+ bytes\)', timeout=120)
        check_dom0(m, vcpus=2, dom0_mem_mib=512)


def test_dom0_four_vcpus_grub():
    with boot_dom0('grub', smp=4, dom0_mem_mib=512, vcpus=4) as m:
        check_dom0(m, vcpus=4, dom0_mem_mib=512)
        # `poweroff` typed in dom0 powers the machine off, as with Xen.
        m.send('\x01\x01\x01')
        m.expect(r'console input now goes to dom0', timeout=60)
        m.sendline('')
        m.expect(PROMPT, timeout=60)
        assert re.search(r'^hwdom: ACPI S5 \(soft-off\) is SLP_TYP \d+/\d+', m.text, re.MULTILINE)
        m.sendline('poweroff')
        m.expect(r'mica-dom0: poweroff requested', timeout=60)
        m.expect(r'domain 0: ACPI S5 request: powering the machine off', timeout=120)
        assert m.wait_exit(120) == 0
