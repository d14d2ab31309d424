"""How a figure is taken from a running machine.

A probe's measure(session) returns a Sample. MarkerSpan times the console
from one line (or QEMU's start) to another; later figures that parse a
number from the console get their own probe class here.
"""
import os
import re
import time
from dataclasses import dataclass

from harness import MachineError

from figures import Sample


class NotYet:
    """The system cannot produce this figure yet (printed as "not yet")."""
    label = 'not yet'


class NotApplicable:
    """The figure has no meaning for this system (bare QEMU has no domU)."""
    label = 'n/a'


NOT_YET, NOT_APPLICABLE = NotYet(), NotApplicable()


def qemu_cpu_seconds(pid):
    """User + system CPU time the process has used so far, from /proc/PID/stat."""
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


class Session:
    """One running machine as the probes see it: its console and its clocks."""

    def __init__(self, machine):
        self.machine = machine
        self.pid = machine._proc.pid
        self.start_wall = time.monotonic()

    def now(self):
        """(monotonic wall time, QEMU CPU seconds) at this moment."""
        return time.monotonic(), qemu_cpu_seconds(self.pid)

    def wait_for(self, regex, timeout, fail=None):
        """Wait for regex on the console, then return now().

        A line matching fail first ends the wait with a MachineError.
        """
        pattern = f'(?P<wanted>{regex})'
        if fail:
            pattern += f'|(?P<failed>{fail})'
        try:
            match = self.machine.expect(re.compile(pattern, re.MULTILINE), timeout=timeout)
        except MachineError as e:   # say what we waited for, not the combined pattern
            raise type(e)(str(e).replace(pattern, regex, 1)) from None
        moment = self.now()
        if match.group('wanted') is None:
            raise MachineError(self.machine._failure(
                f'/{fail}/ appeared before /{regex}/: {match.group(0)!r}'))
        return moment


@dataclass
class MarkerSpan:
    """From the line matching start (None: QEMU's start) to the line matching end.

    A line matching fail before either ends the measurement as failed at once.
    """
    end: str
    start: str = None
    timeout: float = 300
    fail: str = None

    def measure(self, session):
        if self.start is None:
            begin = (session.start_wall, 0.0)
        else:
            begin = session.wait_for(self.start, self.timeout, self.fail)
        finish = session.wait_for(self.end, self.timeout, self.fail)
        return Sample(wall=finish[0] - begin[0], cpu=finish[1] - begin[1])
