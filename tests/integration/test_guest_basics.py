"""Test guests as domains: hello and shutdown on one and four CPUs, the
shutdown reasons, a guest that triple-faults, and two domains side by side."""
import re

from harness import Machine
from guest_checks import GUEST_TIMEOUT, assert_host_fine, failures, guest, wait_all  # noqa: F401


def run_hello(smp):
    with Machine(boot='grub', smp=smp, mem_mib=256, cmdline='dom0_mem=32M',
                 modules=[(guest('hello'), '')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^\(d0\) RESULT hello (PASS|FAIL)', r'^domain 0: shut down \(\w+\)'])
        assert not failures(text, 0), failures(text, 0)
        assert re.search(r'^\(d0\) RESULT hello PASS$', text, re.MULTILINE)
        assert re.search(r'^domain 0: shut down \(poweroff\)$', text, re.MULTILINE)
        assert_host_fine(m)


def test_hello_one_cpu():
    run_hello(1)


def test_hello_four_cpus():
    run_hello(4)


def run_shutdown_reasons(smp):
    for reason in ('poweroff', 'reboot', 'crash'):
        with Machine(boot='grub', smp=smp, mem_mib=256, cmdline='dom0_mem=32M',
                     modules=[(guest('shutdown'), f'reason={reason}')],
                     name=f'shutdown-{reason}') as m:
            m.expect('mica> ', timeout=120)
            m.expect(rf'\(d0\) INFO sched shutdown reason={reason} code=\d+',
                     timeout=GUEST_TIMEOUT)
            m.expect(r'domain 0: shut down \((\w+)\)', timeout=GUEST_TIMEOUT)
            text = m.text
            said = re.search(r'domain 0: shut down \((\w+)\)', text).group(1)
            assert said == reason, f'reason={reason}, hypervisor says {said}'
            assert not failures(text, 0), failures(text, 0)
            # The hypercall never returns, so no RESULT line follows.
            assert '(d0) RESULT' not in text
            assert_host_fine(m)


def test_shutdown_reasons_one_cpu():
    run_shutdown_reasons(1)


def test_shutdown_reasons_four_cpus():
    run_shutdown_reasons(4)


def test_triple_fault_crashes_only_that_guest():
    with Machine(boot='grub', smp=2, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('hostile'), 'role=peer beats=20 interval_ms=100'),
                          (guest('hostile'), 'role=triplefault')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^d1 v0: triple fault at rip 0x[0-9a-f]+$',
                            r'^domain 1: shut down \(crash\)$',
                            r'^\(d0\) RESULT hostile (PASS|FAIL)', r'^domain 0: shut down \(\w+\)'])
        assert '(d1) RESULT' not in text, 'the triple fault did not stop domain 1'
        assert not failures(text, 0), failures(text, 0)
        assert re.search(r'^\(d0\) RESULT hostile PASS$', text, re.MULTILINE)
        assert re.search(r'^domain 0: shut down \(poweroff\)$', text, re.MULTILINE)
        # The peer kept beating after domain 1 was gone.
        crash = text.index('domain 1: shut down (crash)')
        assert text.find('(d0) INFO heartbeat 20/20') > crash
        assert_host_fine(m)


def test_two_domains_both_pass():
    with Machine(boot='grub', smp=2, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('hello'), ''), (guest('hello'), '')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^\(d0\) RESULT hello (PASS|FAIL)', r'^\(d1\) RESULT hello (PASS|FAIL)',
                            r'^domain 0: shut down \(\w+\)', r'^domain 1: shut down \(\w+\)'])
        for domid in (0, 1):
            assert not failures(text, domid), failures(text, domid)
            assert re.search(rf'^\(d{domid}\) RESULT hello PASS$', text, re.MULTILINE)
            assert re.search(rf'^domain {domid}: shut down \(poweroff\)$', text,
                             re.MULTILINE)
        # Each sees its own id in CPUID leaf 4.
        assert re.search(r'^\(d1\) INFO cpuid leaf4 eax=0x[0-9a-f]+ ebx=0x0 ecx=0x1:', text,
                         re.MULTILINE)
        assert_host_fine(m)
        # The console lists both, stopped, with their memory (32 MiB less the
        # page each gave back for shared_info) and vCPUs.
        m.sendline('domains')
        for line in (r'\n +0  poweroff +(\d+) MiB +1  \d+\.\d{3} s  \(privileged\)',
                     r'\n +1  poweroff +(\d+) MiB +1  \d+\.\d{3} s\r?\n'):
            assert int(m.expect(line).group(1)) in (31, 32)
