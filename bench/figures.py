"""What the benchmark measures: the figures, one sample per run, and their statistics.

A figure is one number a run of a system yields, in seconds, measured as
wall time and as the QEMU process's CPU time (user + sys) over the same
span. New figures are added to FIGURES; each system says how it measures
each one (see systems/).
"""
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    key: str        # the name in the JSON
    title: str      # the name in the table
    meaning: str    # one sentence for docs and --list


FIGURES = [
    Figure('dom0_boot', 'dom0 boot',
           'QEMU start to the dom0 init\'s "mica-dom0: ready" line'),
    Figure('domu_create', 'domU create',
           'the toolstack\'s create command to the domU init\'s "mica-domu: ready" line'),
]


@dataclass
class Sample:
    """One run's measurement of one figure; error is set when it failed."""
    wall: float = None
    cpu: float = None
    error: str = None

    @property
    def ok(self):
        return self.error is None


def summary(samples):
    """Median, min and max of wall and CPU time over the successful samples, or None."""
    good = [s for s in samples if s.ok]
    if not good:
        return None
    result = {'runs': len(samples), 'ok_runs': len(good)}
    for what in ('wall', 'cpu'):
        values = [getattr(s, what) for s in good]
        result[what] = {'median': statistics.median(values),
                        'min': min(values), 'max': max(values)}
    return result
