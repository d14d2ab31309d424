"""One run of one system: boot its machine once and take every figure it has, in order."""
import sys

from harness import MachineError
from bootmedia import MediumError

from figures import FIGURES, Sample
from probes import Session


def run_once(system, name):
    """{figure key: Sample} for the figures this system measures.

    A failure is recorded in the figure's sample with the console tail (and
    printed); the figures after it in the same boot are recorded as skipped.
    """
    samples = {}
    measured = [f for f in FIGURES if hasattr(system.probes[f.key], 'measure')]
    machine = system.machine(name)
    try:
        with machine:
            session = Session(machine)
            for figure in measured:
                probe = system.probes[figure.key]
                try:
                    samples[figure.key] = probe.measure(session)
                except MachineError as e:
                    samples[figure.key] = Sample(error=first_line(e))
                    print(f'  {system.title}, {figure.title}: FAILED\n{indent(str(e))}',
                          file=sys.stderr)
                    break
    except (MachineError, MediumError, OSError) as e:
        print(f'  {system.title}: could not start: {e}', file=sys.stderr)
        error = f'could not start: {first_line(e)}'
        samples = {}
    else:
        error = 'skipped: an earlier figure of the same boot failed'
    for figure in measured:
        samples.setdefault(figure.key, Sample(error=error))
    return samples


def first_line(error):
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def indent(text):
    return '\n'.join('    ' + line for line in text.splitlines())
