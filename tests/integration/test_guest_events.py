"""Event channels and grant tables through test guests: evtchn_local inside
one domain, evtchn_pair and grant_pair between two, on one and on several
host CPUs, and every pair at once."""
import re

from harness import Machine
from guest_checks import GUESTS, wait_all

GUEST_TIMEOUT = 90          # seconds for all guests of a boot, before scaling


def guest(name, args=''):
    return (str(GUESTS / f'{name}.elf'), args)


def run_guests(smp, modules, names, extra_cmdline='', mem_mib=256):
    """Boots the modules as domains 0..N-1 (names[i] is domain i's guest) and
    checks that each prints RESULT PASS, no FAIL line, and powers off."""
    domus = len(modules) - 1
    cmdline = f'dom0_mem=32M domus={domus} domu_mem=32M {extra_cmdline}'.strip()
    with Machine(boot='grub', smp=smp, mem_mib=mem_mib, cmdline=cmdline,
                 modules=modules) as m:
        m.expect('mica> ', timeout=120)
        # Whole words only: a line can be seen while it is still arriving.
        wanted = [rf'^domain {d}: shut down \(\w+\)' for d in range(len(names))]
        wanted += [rf'^\(d{d}\) RESULT {name} (PASS|FAIL)' for d, name in enumerate(names)]
        text = wait_all(m, wanted)
        m.reject(r'PANIC|fatal exception')
        failed = re.findall(r'^\(d\d+\) (?:TEST .*: FAIL.*|RESULT .* FAIL.*)$', text,
                            re.MULTILINE)
        assert not failed, '\n'.join(failed)
        for d, name in enumerate(names):
            assert re.search(rf'^\(d{d}\) RESULT {name} PASS$', text, re.MULTILINE), d
            assert re.search(rf'^domain {d}: shut down \(poweroff\)$', text,
                             re.MULTILINE), d
        return text


def test_evtchn_local_one_cpu():
    run_guests(1, [guest('evtchn_local')], ['evtchn_local'],
               extra_cmdline='dom0_max_vcpus=2')


def test_evtchn_local_privileged_and_not_four_cpus():
    # Two domains at once, each with two vCPUs: the domU sees the
    # unprivileged answers (another domain's port status is EPERM).
    run_guests(4, [guest('evtchn_local'), guest('evtchn_local')],
               ['evtchn_local', 'evtchn_local'],
               extra_cmdline='dom0_max_vcpus=2 domu_vcpus=2')


def test_evtchn_pair_one_cpu():
    text = run_guests(1, [guest('evtchn_pair', 'role=server peer=1'),
                          guest('evtchn_pair', 'role=client peer=0')],
                      ['evtchn_pair', 'evtchn_pair'])
    assert re.search(r'^\(d0\) INFO server: 200 round trips', text, re.MULTILINE)


def test_evtchn_pair_client_in_dom0_two_cpus():
    run_guests(2, [guest('evtchn_pair', 'role=client peer=1'),
                   guest('evtchn_pair', 'role=server peer=0')],
               ['evtchn_pair', 'evtchn_pair'])


def test_grant_pair_one_cpu():
    run_guests(1, [guest('grant_pair', 'role=granter peer=1'),
                   guest('grant_pair', 'role=grantee peer=0')],
               ['grant_pair', 'grant_pair'])


def test_grant_pair_grantee_in_dom0_four_cpus():
    run_guests(4, [guest('grant_pair', 'role=grantee peer=1'),
                   guest('grant_pair', 'role=granter peer=0')],
               ['grant_pair', 'grant_pair'])


def test_both_pairs_and_local_at_once_four_cpus():
    run_guests(4, [guest('grant_pair', 'role=granter peer=1'),
                   guest('grant_pair', 'role=grantee peer=0'),
                   guest('evtchn_pair', 'role=server peer=3'),
                   guest('evtchn_pair', 'role=client peer=2'),
                   guest('evtchn_local')],
               ['grant_pair', 'grant_pair', 'evtchn_pair', 'evtchn_pair',
                'evtchn_local'],
               mem_mib=512)
