"""A hostile unprivileged domain next to a well-behaved one: every malicious
hypercall must fail cleanly, the host must stay up and the neighbour must
keep running. Also unbacked guest memory (MMIO with nothing behind it) in an
unprivileged domain: dom0 would reach the real devices there."""
import re

from harness import Machine
from guest_checks import GUEST_TIMEOUT, assert_host_fine, failures, guest, wait_all

PEER_BEATS = 30             # x 100 ms: the peer outlives the attack many times over


def run_attack(smp):
    with Machine(boot='grub', smp=smp, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('hostile'), f'role=peer beats={PEER_BEATS} interval_ms=100'),
                          (guest('hostile'), 'role=attack')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^\(d1\) RESULT hostile (PASS|FAIL)', r'^\(d0\) RESULT hostile (PASS|FAIL)',
                            r'^domain 0: shut down \(\w+\)'])
        probes = len(re.findall(r'^(?:mica> )?\(d1\) TEST ', text, re.MULTILINE))
        assert probes > 150, f'only {probes} probes ran'
        bad = failures(text, 1)
        assert not bad, f'{len(bad)} of {probes} probes failed:\n' + '\n'.join(bad)
        assert re.search(r'^\(d1\) RESULT hostile PASS$', text, re.MULTILINE)
        assert re.search(r'^domain 1: shut down \(poweroff\)$', text, re.MULTILINE)

        assert not failures(text, 0), failures(text, 0)
        assert re.search(r'^\(d0\) RESULT hostile PASS$', text, re.MULTILINE)
        assert re.search(r'^domain 0: shut down \(poweroff\)$', text, re.MULTILINE)
        # The peer was still beating when the attack was over.
        done = text.index('(d1) RESULT hostile')
        assert text.find(f'(d0) INFO heartbeat {PEER_BEATS}/{PEER_BEATS}') > done
        assert_host_fine(m)


def test_hostile_domu_next_to_peer_two_cpus():
    run_attack(2)


def test_hostile_domu_next_to_peer_one_cpu():
    # Both domains share the one CPU: the attacker also competes for it.
    run_attack(1)


def test_mmio_unbacked_loads_read_all_ones():
    with Machine(boot='grub', smp=1, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('hello'), ''), (guest('mmio'), 'mode=check')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^\(d1\) RESULT mmio (PASS|FAIL)', r'^domain 1: shut down \(\w+\)'])
        assert not failures(text, 1), failures(text, 1)
        assert len(re.findall(r'^(?:mica> )?\(d1\) TEST mmio ', text, re.MULTILINE)) > 50
        assert re.search(r'^\(d1\) RESULT mmio PASS$', text, re.MULTILINE)
        assert_host_fine(m)


def test_mmio_unemulated_instruction_crashes_only_that_domain():
    with Machine(boot='grub', smp=2, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('hostile'), 'role=peer beats=20 interval_ms=100'),
                          (guest('mmio'), 'mode=unsupported')]) as m:
        m.expect('mica> ', timeout=120)
        text = wait_all(m, [r'^d1 v0: unhandled access to 0xe0000000 at rip 0x[0-9a-f]+$',
                            r'^domain 1: shut down \(crash\)$',
                            r'^\(d0\) RESULT hostile (PASS|FAIL)', r'^domain 0: shut down \(\w+\)'])
        assert '(d1) RESULT' not in text, 'domain 1 went on after the bad access'
        assert not failures(text, 0), failures(text, 0)
        assert re.search(r'^\(d0\) RESULT hostile PASS$', text, re.MULTILINE)
        assert_host_fine(m)
