#!/usr/bin/env python3
"""`make bench`: Mica beside Debian's Xen 4.17 and bare QEMU, on the same emulated machine.

Each run boots every system once, in turn (never two QEMUs at a time), and
takes every figure that system can give from that one boot. The runs are
interleaved (Xen, bare, Mica; Xen, bare, Mica; ...) so that a noisy
neighbour on the host spreads over all columns. Prints one table and writes
bench/results/<UTC timestamp>.json. A measurement, never a test.
"""
import argparse
import datetime
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / 'qemu-harness')]

import config  # noqa: E402
import hostinfo  # noqa: E402
import report  # noqa: E402
from figures import FIGURES  # noqa: E402
from runner import run_once  # noqa: E402
from systems import SYSTEMS  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('-n', '--runs', type=int, default=int(os.environ.get('BENCH_RUNS', '3')),
                   help='boots of each system (default BENCH_RUNS or 3)')
    p.add_argument('-s', '--systems', default=os.environ.get('BENCH_SYSTEMS', ''),
                   help='comma-separated subset of: ' + ', '.join(s.key for s in SYSTEMS))
    p.add_argument('-o', '--out', type=Path, default=config.RESULTS_DIR,
                   help='directory for the JSON (default bench/results)')
    p.add_argument('--list', action='store_true', help='list the figures and exit')
    return p.parse_args()


def check_inputs():
    missing = [p for p in (config.VMLINUX, config.INITRD, config.XEN_EFI) if not p.is_file()]
    if missing:
        sys.exit('bench: missing ' + ', '.join(map(str, missing)) + ' (run make bench)')


def main():
    args = parse_args()
    if args.list:
        for figure in FIGURES:
            print(f'{figure.key:<14} {figure.meaning}')
        return
    if args.runs < 1:
        sys.exit('bench: --runs (BENCH_RUNS) must be at least 1')
    chosen = set(filter(None, args.systems.split(',')))
    unknown = chosen - {s.key for s in SYSTEMS}
    if unknown:
        sys.exit(f'bench: unknown system(s) {", ".join(sorted(unknown))}')
    systems = [s for s in SYSTEMS if not chosen or s.key in chosen]
    check_inputs()

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    os.environ['MICA_TEST_LOG_DIR'] = str(config.LOG_ROOT / stamp)
    machine = hostinfo.describe()
    samples = {s.key: [] for s in systems}
    for run in range(1, args.runs + 1):
        for system in systems:
            print(f'bench: run {run}/{args.runs}: {system.title} ...', flush=True)
            result = run_once(system, f'{system.key}-run{run}')
            samples[system.key].append(result)
            for key, sample in result.items():
                shown = (f'{sample.wall:.1f} s wall, {sample.cpu:.1f} s CPU' if sample.ok
                         else sample.error)
                print(f'bench:   {key}: {shown}', flush=True)

    results = {s.key: {'title': s.title, 'setup': s.describe(),
                       'figures': report.figure_results(s, samples[s.key])}
               for s in systems}
    machine['host']['load_average_at_end'] = list(os.getloadavg())
    text = report.table(systems, results)
    print()
    print(text)
    path = args.out / f'{stamp}.json'
    report.write_json(path, {
        'date': stamp,
        'runs': args.runs,
        'figures': {f.key: f.meaning for f in FIGURES},
        'machine': machine,
        'systems': results,
        'table': text.splitlines(),
        'logs': os.path.relpath(os.environ['MICA_TEST_LOG_DIR'], config.REPO),
    })
    shown = path.relative_to(config.REPO) if path.is_relative_to(config.REPO) else path
    print(f'\nbench: wrote {shown}; console logs in {os.environ["MICA_TEST_LOG_DIR"]}')


if __name__ == '__main__':
    main()
