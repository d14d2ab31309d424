"""Test guests for vCPUs, timers and scheduling: timer, sched and vcpus on
one and four host CPUs, and two spinning domains that must share one CPU."""
import re
from pathlib import Path

from harness import Machine

GUESTS = Path(__file__).resolve().parents[2] / 'build' / 'guests'
GUEST_TIMEOUT = 60          # seconds, before MICA_TIMEOUT_SCALE; boot included
SPIN_MS = 2000
SPIN_MAX_RATIO = 4          # a sanity bound on unfairness, not a timing test


def guest(name):
    return str(GUESTS / f'{name}.elf')


def line(domid, rest):
    """A regex for a domain's console line; the first may follow the prompt."""
    return rf'^(?:mica> )?\(d{domid}\) {rest}$'


def assert_passed(text, domid, name):
    failed = re.findall(line(domid, r'TEST .*: FAIL.*'), text, re.MULTILINE)
    assert not failed, '\n'.join(failed)
    assert re.search(line(domid, rf'RESULT {name} PASS'), text, re.MULTILINE), (
        f'no "RESULT {name} PASS" from d{domid}')


def assert_host_fine(m):
    """No hypervisor crash, and its console still answers."""
    m.reject(r'PANIC|fatal exception|VMRUN refused')
    m.sendline('cpus')
    m.expect(r'\d+ of \d+ CPUs online')


def run_guest(name, smp, vcpus):
    """Boots the guest as dom0 with `vcpus` vCPUs; checks that it passed and
    returns (console text, the shutdown reason the hypervisor reported)."""
    with Machine(boot='grub', smp=smp, mem_mib=256,
                 cmdline=f'dom0_mem=32M dom0_max_vcpus={vcpus}',
                 modules=[(guest(name), '')], name=f'{name}-smp{smp}') as m:
        m.expect(line(0, rf'RESULT {name} (PASS|FAIL)'), timeout=GUEST_TIMEOUT)
        reason = m.expect(r'^domain 0: shut down \((\w+)\)$', timeout=GUEST_TIMEOUT).group(1)
        assert_host_fine(m)
        text = m.text
        assert_passed(text, 0, name)
        return text, reason


def run_timer(smp):
    _, reason = run_guest('timer', smp, vcpus=1)
    assert reason == 'poweroff', reason


def test_timer_one_cpu():
    run_timer(1)


def test_timer_four_cpus():
    run_timer(4)


def run_sched(smp):
    _, reason = run_guest('sched', smp, vcpus=2)
    # The guest recorded reboot with SCHEDOP_shutdown_code, then powered off:
    # as on Xen, the recorded code is the one reported.
    assert reason == 'reboot', reason


def test_sched_one_cpu():
    run_sched(1)


def test_sched_four_cpus():
    run_sched(4)


def run_vcpus(smp):
    text, reason = run_guest('vcpus', smp, vcpus=4)
    assert reason == 'poweroff', reason
    for v in (1, 2, 3):
        assert re.search(line(0, rf'INFO vcpu {v} up, stack at 0x[0-9a-f]+'), text,
                         re.MULTILINE), f'vCPU {v} never reported'


def test_vcpus_one_cpu():
    run_vcpus(1)


def test_vcpus_four_cpus():
    run_vcpus(4)


def spin_counts(smp):
    """Two sched_spin domains (d0, d1) spin for SPIN_MS each; their counts."""
    with Machine(boot='grub', smp=smp, mem_mib=256,
                 cmdline='dom0_mem=32M domus=1 domu_mem=32M',
                 modules=[(guest('sched_spin'), f'ms={SPIN_MS}')] * 2,
                 name=f'spin-smp{smp}') as m:
        # Either domain may finish first: take both lines of each as they come.
        event = (r'^(?:mica> )?(?:\(d(\d)\) INFO spin count=(\d+) ms=\d+'
                 r'|domain (\d): shut down \((\w+)\))$')
        counts, down = {}, {}
        while len(counts) < 2 or len(down) < 2:
            found = m.expect(event, timeout=GUEST_TIMEOUT)
            if found.group(1):
                counts[int(found.group(1))] = int(found.group(2))
            else:
                down[int(found.group(3))] = found.group(4)
        assert down == {0: 'poweroff', 1: 'poweroff'}, down
        assert_host_fine(m)
        for domid in (0, 1):
            assert_passed(m.text, domid, 'sched_spin')
        return counts


def test_spinning_domains_share_one_cpu():
    counts = spin_counts(1)
    assert sorted(counts) == [0, 1], counts
    low, high = min(counts.values()), max(counts.values())
    assert low > 0 and high <= SPIN_MAX_RATIO * low, f'unfair shares: {counts}'


def test_spinning_domains_four_cpus():
    counts = spin_counts(4)
    assert sorted(counts) == [0, 1] and min(counts.values()) > 0, counts
