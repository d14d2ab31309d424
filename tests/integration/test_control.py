"""The control interface (docs/control.md): refused with -EPERM to an
unprivileged domain; from Debian's dom0, control-selftest drives every
command against real domains (create, populate, list, pause, destroy, no
leaks, bad arguments, foreign mappings) and builds a PVH test guest into a
new domain through privcmd, which then runs."""
import re

from harness import Machine
from guest_checks import assert_host_fine, failures, guest, wait_all
from test_dom0_linux import PROMPT, boot_dom0, run


def test_control_refused_to_unprivileged_domain():
    with Machine(boot='grub', smp=2, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('hostile'), 'role=peer beats=20 interval_ms=100'),
                          (guest('control_eperm'), '')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^\(d1\) RESULT control_eperm (PASS|FAIL)',
                            r'^\(d0\) RESULT hostile (PASS|FAIL)'])
        probes = len(re.findall(r'^(?:mica> )?\(d1\) TEST control ', text, re.MULTILINE))
        assert probes >= 13 * 5 + 5, f'only {probes} probes ran'
        assert not failures(text, 1), failures(text, 1)
        assert re.search(r'^\(d1\) RESULT control_eperm PASS$', text, re.MULTILINE)
        assert re.search(r'^\(d0\) RESULT hostile PASS$', text, re.MULTILINE)
        assert_host_fine(m)


def test_control_from_test_guest_dom0():
    # A test guest as dom0 pauses, inspects and destroys a running domU.
    with Machine(boot='grub', smp=2, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('control_ops'), ''),
                          (guest('hostile'), 'role=peer beats=1000 interval_ms=100')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^\(d0\) RESULT control_ops (PASS|FAIL)'])
        assert not failures(text, 0), failures(text, 0)
        assert re.search(r'^\(d0\) RESULT control_ops PASS$', text, re.MULTILINE)
        assert re.search(r'^domain 1: destroyed$', text, re.MULTILINE)
        assert '(d1) RESULT' not in text
        assert_host_fine(m)


def test_control_from_dom0_linux():
    with boot_dom0('grub', smp=2, dom0_mem_mib=384, vcpus=2) as m:
        m.expect(r'mica-dom0: ready', timeout=600)
        m.expect(PROMPT, timeout=120)
        out = run(m, 'control-selftest /mica/tests/hello.elf')
        bad = [line for line in out.splitlines() if 'FAILED' in line]
        assert not bad and 'control-selftest: PASS' in out, out
        # The guest dom0 built ran and said so on the hypervisor console.
        domid = re.search(r'build: starting domain (\d+)', out).group(1)
        assert re.search(rf'^\(d{domid}\) RESULT hello PASS', m.text, re.MULTILINE), m.text[-3000:]
        # The hypervisor's side of the story, on its console.
        assert re.search(r'domain \d+: shut down \(crash\)', m.text), m.text[-2000:]
        assert len(re.findall(r'domain \d+: destroyed', m.text)) >= 20
        m.reject(r'PANIC|fatal exception')
