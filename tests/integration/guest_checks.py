"""Helpers the test-guest scenarios share: where the guests are, waiting for
their lines in any order, their failures, and a host that is still fine."""
import re
import time
from pathlib import Path

from harness import Timeout

GUESTS = Path(__file__).resolve().parents[2] / 'build' / 'guests'
GUEST_TIMEOUT = 60          # seconds, before MICA_TIMEOUT_SCALE


def guest(name):
    return str(GUESTS / f'{name}.elf')


def wait_all(m, regexes, timeout=GUEST_TIMEOUT):
    """Waits until every regex has appeared somewhere in the console, in any
    order; returns the console text."""
    deadline = time.monotonic() + timeout * m.scale
    while True:
        text = m.text
        missing = [r for r in regexes if not re.search(r, text, re.MULTILINE)]
        if not missing:
            return text
        assert time.monotonic() < deadline, (
            f'not seen within {timeout * m.scale:.0f} s: {missing}\n'
            f'--- console ---\n' + '\n'.join(text.splitlines()[-40:]))
        try:
            m.expect(r'\n', timeout=1)      # the next line, whatever it is
        except Timeout:
            pass


def failures(text, domid):
    """The TEST ... FAIL lines a domain printed."""
    return re.findall(rf'^(?:mica> )?\(d{domid}\) TEST .*: FAIL.*$', text, re.MULTILINE)


def assert_host_fine(m):
    """No hypervisor crash so far, and the console still answers."""
    m.reject(r'PANIC|fatal exception')
    m.sendline('cpus')
    m.expect(r'\d+ of \d+ CPUs online')
    m.sendline('memory')
    m.expect(r'free: +\d+ KiB')
    m.expect('mica> ')
