"""Shared checks for the boot tests: what Mica's boot log says."""
import re

MIB = 1024 * 1024


def boot_to_prompt(m):
    """Waits for the banner and the console prompt; returns the log so far."""
    m.expect(r'Mica hypervisor \d+\.\d+\.\d+ \(x86-64\)', timeout=120)
    m.expect(r'mica> ', timeout=120)
    m.reject(r'PANIC|fatal exception')
    return m.text


def logged(m, regex):
    """The first match of regex anywhere in the console log so far."""
    found = re.search(regex, m.text)
    assert found, f'/{regex}/ is not in the console log'
    return found


def usable_kib(m):
    """The usable RAM the hypervisor reported at boot, in KiB."""
    return int(logged(m, r'memory: (\d+) KiB usable RAM').group(1))


def assert_ram_matches(reported_kib, given_mib, firmware_slack_mib):
    """Usable RAM is what QEMU was given, less at most the firmware's share."""
    given_kib = given_mib * 1024
    low = given_kib - firmware_slack_mib * 1024
    assert low <= reported_kib <= given_kib, (
        f'hypervisor reports {reported_kib} KiB usable; QEMU gave '
        f'{given_kib} KiB, so expected between {low} and {given_kib}')


def cpu_ticks(m):
    """Runs `cpus` on the console; returns {cpu: ticks} for online CPUs."""
    m.sendline('cpus')
    listing = m.expect(r'(?s)cpus\r?\n(.*?)\d+ of \d+ CPUs online').group(1)
    m.expect('mica> ')
    return {int(cpu): int(ticks) for cpu, ticks in
            re.findall(r'CPU (\d+): APIC id \d+, online, (\d+) ticks', listing)}
