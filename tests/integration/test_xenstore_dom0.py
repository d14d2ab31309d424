"""mica-xenstored in Mica's dom0: /init starts it, it serves dom0's own
kernel xenbus (the ring from /dev/xen/xenbus_backend), and Debian's
xenstore clients work both over its socket and through /dev/xen/xenbus
(dom0-tools/xenstored/tests/xenstore-dom0.sh does the checks)."""
import os
import re

from harness import Machine

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
VMLINUX = os.path.join(ROOT, 'build', 'dom0', 'vmlinux')
INITRD = os.path.join(ROOT, 'build', 'dom0', 'initrd.img')


def test_xenstore_clients_in_dom0():
    with Machine(boot='grub', smp=2, mem_mib=1024,
                 cmdline='dom0_mem=384M dom0_max_vcpus=2',
                 dom0_kernel=VMLINUX, dom0_initrd=INITRD,
                 dom0_cmdline='console=hvc0 mica.run=xenstore-dom0.sh mica.poweroff') as m:
        m.expect(r'mica-dom0: started mica-xenstored', timeout=600)
        m.expect(r'mica-test: xenstore-dom0 done, (\d+) failed', timeout=300)
        failed = re.findall(r'mica-test: xenstore .*FAILED.*', m.text)
        checks = re.findall(r'mica-test: xenstore (\S+): ok', m.text)
        assert not failed, failed
        assert set(checks) >= {'socket-read', 'socket-list', 'socket-chmod', 'socket-rm',
                               'kernel-read', 'kernel-write', 'kernel-nodes', 'watch'}, checks
        m.expect(r'xenstore-dom0.sh exited with status 0', timeout=60)
        m.reject(r'Kernel panic|PANIC|fatal exception')
