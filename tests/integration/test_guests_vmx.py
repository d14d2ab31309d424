"""The test guests under Bochs (Intel VMX with EPT): the scenarios of the
SVM guest tests (test_guest_basics, _events, _vcpus, _hostile, and the
domU half of test_control), with the same module arguments and
expectations, on a small machine. Bochs reaches
Mica's prompt in about 3 s, but runs guest code several times slower than
the guests' own clock (a 1 s spin takes about 4 s), and with two CPUs
about half as fast again: each boot here takes 3-20 s."""
import re
from pathlib import Path

from harness import Machine
from test_guest_basics import failures, wait_all

GUESTS = Path(__file__).resolve().parents[2] / 'build' / 'guests'
GUEST_TIMEOUT = 180         # seconds for all guests of a boot, before scaling
BOOT_TIMEOUT = 120          # BIOS, GRUB and Mica up to the prompt
MEM_MIB = 128
DOM_MEM = '16M'
PEER_BEATS = 30             # as in test_guest_hostile
SPIN_MS = 1000              # test_guest_vcpus spins 2000: Bochs runs guests slowly
SPIN_MAX_RATIO = 4


def guest(name, args=''):
    return (str(GUESTS / f'{name}.elf'), args)


def line(domid, rest):
    """A regex for a domain's console line; the first may follow the prompt."""
    return rf'^(?:mica> )?\(d{domid}\) {rest}$'


def assert_host_fine(m):
    """No hypervisor crash nor refused VM entry, and the console answers."""
    m.reject(r'PANIC|fatal exception|VM entry (?:failed|refused)|unexpected VM exit')
    m.sendline('cpus')
    m.expect(r'\d+ of \d+ CPUs online')
    m.sendline('memory')
    m.expect(r'free: +\d+ KiB')
    m.expect('mica> ')


def wait_domains(m, ndomains, regexes):
    """Waits until domains 0..ndomains-1 have all shut down, then for the
    other regexes, which come before that: a failure shows in seconds, not
    after GUEST_TIMEOUT. Returns the console text."""
    wait_all(m, [rf'^domain {d}: shut down \(\w+\)' for d in range(ndomains)],
             timeout=GUEST_TIMEOUT)
    return wait_all(m, regexes, timeout=10)


def bochs(smp, modules, extra_cmdline='', name='machine'):
    """A Bochs machine booting the modules as domains 0..N-1."""
    domus = len(modules) - 1
    cmdline = f'dom0_mem={DOM_MEM}'
    if domus:
        cmdline += f' domus={domus} domu_mem={DOM_MEM}'
    cmdline = f'{cmdline} {extra_cmdline}'.strip()
    return Machine(boot='bochs', smp=smp, mem_mib=MEM_MIB, cmdline=cmdline,
                   modules=modules, name=name)


def run_guests(smp, modules, names, extra_cmdline='', reasons=None, name='machine'):
    """Boots the modules as domains 0..N-1 (names[i] is domain i's guest);
    checks each printed RESULT PASS and no FAIL line, and shut down for
    reasons[i] (default poweroff). Returns the console text."""
    reasons = reasons or ['poweroff'] * len(names)
    with bochs(smp, modules, extra_cmdline, name) as m:
        m.expect('mica> ', timeout=BOOT_TIMEOUT)
        wait_domains(m, len(names),
                     [line(d, f'RESULT {n} .*') for d, n in enumerate(names)])
        assert_host_fine(m)
        text = m.text
        failed = re.findall(r'^(?:mica> )?\(d\d+\) (?:TEST .*: FAIL.*|RESULT .* FAIL.*)$',
                            text, re.MULTILINE)
        assert not failed, '\n'.join(failed)
        for d, (n, reason) in enumerate(zip(names, reasons)):
            assert re.search(line(d, f'RESULT {n} PASS'), text, re.MULTILINE), d
            assert re.search(rf'^domain {d}: shut down \({reason}\)$', text,
                             re.MULTILINE), (d, reason)
        return text


# --- basics (test_guest_basics) ---

def test_vmx_hello_two_domains():
    text = run_guests(2, [guest('hello'), guest('hello')], ['hello', 'hello'])
    # Each sees its own id in CPUID leaf 4.
    assert re.search(line(1, r'INFO cpuid leaf4 eax=0x[0-9a-f]+ ebx=0x0 ecx=0x1:.*'),
                     text, re.MULTILINE)


def test_vmx_shutdown_reasons():
    for reason in ('poweroff', 'reboot', 'crash'):
        with bochs(1, [guest('shutdown', f'reason={reason}')],
                   name=f'shutdown-{reason}') as m:
            m.expect('mica> ', timeout=BOOT_TIMEOUT)
            m.expect(rf'\(d0\) INFO sched shutdown reason={reason} code=\d+',
                     timeout=GUEST_TIMEOUT)
            said = m.expect(r'domain 0: shut down \((\w+)\)', timeout=GUEST_TIMEOUT).group(1)
            assert said == reason, f'reason={reason}, hypervisor says {said}'
            text = m.text
            assert not failures(text, 0), failures(text, 0)
            # The hypercall never returns, so no RESULT line follows.
            assert '(d0) RESULT' not in text
            assert_host_fine(m)


def test_vmx_triple_fault_crashes_only_that_guest():
    with bochs(2, [guest('hostile', 'role=peer beats=20 interval_ms=100'),
                   guest('hostile', 'role=triplefault')]) as m:
        m.expect('mica> ', timeout=BOOT_TIMEOUT)
        text = wait_domains(m, 2, [r'^d1 v0: triple fault at rip 0x[0-9a-f]+$',
                                   r'^domain 1: shut down \(crash\)$',
                                   line(0, 'RESULT hostile .*')])
        assert '(d1) RESULT' not in text, 'the triple fault did not stop domain 1'
        assert not failures(text, 0), failures(text, 0)
        assert re.search(line(0, 'RESULT hostile PASS'), text, re.MULTILINE)
        assert re.search(r'^domain 0: shut down \(poweroff\)$', text, re.MULTILINE)
        # The peer kept beating after domain 1 was gone.
        crash = text.index('domain 1: shut down (crash)')
        assert text.find('(d0) INFO heartbeat 20/20') > crash
        assert_host_fine(m)


# --- event channels and grants (test_guest_events) ---

def test_vmx_evtchn_local():
    run_guests(1, [guest('evtchn_local')], ['evtchn_local'],
               extra_cmdline='dom0_max_vcpus=2')


def test_vmx_evtchn_pair():
    text = run_guests(2, [guest('evtchn_pair', 'role=server peer=1'),
                          guest('evtchn_pair', 'role=client peer=0')],
                      ['evtchn_pair', 'evtchn_pair'])
    assert re.search(line(0, 'INFO server: 200 round trips.*'), text, re.MULTILINE)


def test_vmx_grant_pair():
    run_guests(2, [guest('grant_pair', 'role=granter peer=1'),
                   guest('grant_pair', 'role=grantee peer=0')],
               ['grant_pair', 'grant_pair'])


# --- vCPUs, timers, scheduling (test_guest_vcpus) ---

def test_vmx_timer():
    run_guests(1, [guest('timer')], ['timer'], extra_cmdline='dom0_max_vcpus=1')


def test_vmx_sched():
    # The guest records reboot with SCHEDOP_shutdown_code, then powers off:
    # the recorded code is the one reported.
    run_guests(2, [guest('sched')], ['sched'], extra_cmdline='dom0_max_vcpus=2',
               reasons=['reboot'])


def test_vmx_vcpus():
    text = run_guests(2, [guest('vcpus')], ['vcpus'], extra_cmdline='dom0_max_vcpus=4')
    for v in (1, 2, 3):
        assert re.search(line(0, rf'INFO vcpu {v} up, stack at 0x[0-9a-f]+'), text,
                         re.MULTILINE), f'vCPU {v} never reported'


def test_vmx_spinning_domains_share_one_cpu():
    # Two domains that never give the CPU up (and never enable interrupts)
    # next to a peer that beats every 100 ms: only preemption at the host's
    # tick lets each have its turn, so the peer must be done before the
    # spinners, and they must have had fair shares.
    text = run_guests(1, [guest('sched_spin', f'ms={SPIN_MS}')] * 2 +
                      [guest('hostile', 'role=peer beats=5 interval_ms=100')],
                      ['sched_spin', 'sched_spin', 'hostile'])
    counts = {int(d): int(n) for d, n in re.findall(
        r'^(?:mica> )?\(d(\d)\) INFO spin count=(\d+) ms=\d+$', text, re.MULTILINE)}
    assert sorted(counts) == [0, 1], counts
    low, high = min(counts.values()), max(counts.values())
    assert low > 0 and high <= SPIN_MAX_RATIO * low, f'unfair shares: {counts}'
    peer_done = text.index('(d2) RESULT hostile')
    assert peer_done < text.index('(d0) INFO spin count'), 'd0 kept the CPU'
    assert peer_done < text.index('(d1) INFO spin count'), 'd1 kept the CPU'


# --- hostile and MMIO (test_guest_hostile) ---

def run_attack(smp):
    with bochs(smp, [guest('hostile', f'role=peer beats={PEER_BEATS} interval_ms=100'),
                   guest('hostile', 'role=attack')]) as m:
        m.expect('mica> ', timeout=BOOT_TIMEOUT)
        text = wait_domains(m, 2, [line(1, 'RESULT hostile .*'),
                                   line(0, 'RESULT hostile .*')])
        probes = len(re.findall(r'^(?:mica> )?\(d1\) TEST ', text, re.MULTILINE))
        assert probes > 150, f'only {probes} probes ran'
        bad = failures(text, 1)
        assert not bad, f'{len(bad)} of {probes} probes failed:\n' + '\n'.join(bad)
        assert re.search(line(1, 'RESULT hostile PASS'), text, re.MULTILINE)
        assert re.search(r'^domain 1: shut down \(poweroff\)$', text, re.MULTILINE)
        assert not failures(text, 0), failures(text, 0)
        assert re.search(line(0, 'RESULT hostile PASS'), text, re.MULTILINE)
        assert re.search(r'^domain 0: shut down \(poweroff\)$', text, re.MULTILINE)
        # The peer was still beating when the attack was over.
        done = text.index('(d1) RESULT hostile')
        assert text.find(f'(d0) INFO heartbeat {PEER_BEATS}/{PEER_BEATS}') > done
        assert_host_fine(m)


def test_vmx_hostile_domu_next_to_peer_two_cpus():
    run_attack(2)


def test_vmx_hostile_domu_next_to_peer_one_cpu():
    # Both domains share the one CPU: the attacker also competes for it.
    run_attack(1)


def test_vmx_mmio_unbacked_loads_and_unemulated_instruction():
    # mode=check in one domU while a mode=unsupported domU crashes on its
    # own; unprivileged, since dom0 would reach the real devices there.
    with bochs(2, [guest('hello'), guest('mmio', 'mode=check'),
                   guest('mmio', 'mode=unsupported')]) as m:
        m.expect('mica> ', timeout=BOOT_TIMEOUT)
        text = wait_domains(m, 3, [
            r'^d2 v0: unhandled access to 0xe0000000 at rip 0x[0-9a-f]+$',
            r'^domain 2: shut down \(crash\)$', line(1, 'RESULT mmio .*')])
        assert '(d2) RESULT' not in text, 'domain 2 went on after the bad access'
        assert not failures(text, 1), failures(text, 1)
        assert len(re.findall(r'^(?:mica> )?\(d1\) TEST mmio ', text, re.MULTILINE)) > 50
        assert re.search(line(1, 'RESULT mmio PASS'), text, re.MULTILINE)
        assert re.search(r'^domain 1: shut down \(poweroff\)$', text, re.MULTILINE)
        assert_host_fine(m)


def test_vmx_control_refused_to_unprivileged_domain():
    # As test_control's: every control command from a domU is -EPERM.
    with bochs(1, [guest('hostile', 'role=peer beats=10 interval_ms=100'),
                   guest('control_eperm')]) as m:
        m.expect('mica> ', timeout=BOOT_TIMEOUT)
        text = wait_domains(m, 2, [line(1, 'RESULT control_eperm .*'),
                                   line(0, 'RESULT hostile .*')])
        assert not failures(text, 1), failures(text, 1)
        assert len(re.findall(r'^(?:mica> )?\(d1\) TEST control ', text, re.MULTILINE)) >= 70
        assert re.search(line(1, 'RESULT control_eperm PASS'), text, re.MULTILINE)
        assert re.search(line(0, 'RESULT hostile PASS'), text, re.MULTILINE)
        assert_host_fine(m)


def test_vmx_control_from_test_guest_dom0():
    # As test_control's: dom0 pauses, reads and destroys a running domU.
    with bochs(2, [guest('control_ops'), guest('hostile', 'role=peer beats=1000 interval_ms=100')]) as m:
        m.expect('mica> ', timeout=BOOT_TIMEOUT)
        text = wait_domains(m, 1, [line(0, 'RESULT control_ops .*'), r'^domain 1: destroyed$'])
        assert not failures(text, 0), failures(text, 0)
        assert re.search(line(0, 'RESULT control_ops PASS'), text, re.MULTILINE)
        assert '(d1) RESULT' not in text
        assert_host_fine(m)
