#!/usr/bin/env python3
"""Run Mica's integration tests (test_* functions in test_*.py), each in its own process."""

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LOG_ROOT = REPO / 'build' / 'test-logs'
sys.path.insert(0, str(REPO / 'qemu-harness'))

from harness import env_timeout_scale  # noqa: E402

# A safety net only: every harness wait is bounded on its own.
TEST_TIME_LIMIT = 1800


def load_module(path):
    """Import a test file by path, with its directory importable for shared helpers."""
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def discover(paths, patterns):
    """[(name, file, function name)] for every selected test, in file and definition order.

    A file that fails to import yields one test that reports the error.
    """
    files = []
    for path in paths:
        files += sorted(path.glob('test_*.py')) if path.is_dir() else [path]
    tests = []
    for path in files:
        try:
            module = load_module(path)
        except Exception:
            tests.append((path.stem, path, None))
            continue
        for attr, value in vars(module).items():
            if (attr.startswith('test_') and callable(value)
                    and getattr(value, '__module__', None) == module.__name__):
                tests.append((f'{path.stem}.{attr}', path, attr))
    return [t for t in tests if not patterns or any(p in t[0] for p in patterns)]


def failure_text(exc, path):
    """What went wrong: the failing line of the test file, then the exception."""
    frames = traceback.extract_tb(exc.__traceback__)
    in_test = [f for f in frames if f.filename == str(path)]
    where = in_test[-1] if in_test else frames[-1]
    message = str(exc) or '(no message)'
    return (f'{Path(where.filename).name}:{where.lineno}: {where.line}\n'
            f'{type(exc).__name__}: {message}')


def run_in_child(path, function):
    """The child process: run one test; on failure write failure.txt beside its logs."""
    try:
        module = load_module(Path(path))
        if function:
            getattr(module, function)()
    except BaseException as exc:
        traceback.print_exc()
        text = failure_text(exc, path)
        Path(os.environ['MICA_TEST_LOG_DIR'], 'failure.txt').write_text(text)
        return 1
    return 0


EMULATOR_CRASH = 'QEMU exit status -11'


def run_test(name, path, function, scale):
    """Run one test in a child process; return (passed, seconds, error text)."""
    logs = LOG_ROOT / name
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    env = dict(os.environ, MICA_TEST_LOG_DIR=str(logs), MICA_TEST_NAME=name)
    argv = [sys.executable, __file__, '--child', str(path), function or '']
    start = time.monotonic()
    with open(logs / 'output.log', 'w') as output:
        try:
            status = subprocess.run(argv, env=env, stdout=output, stderr=subprocess.STDOUT,
                                    timeout=TEST_TIME_LIMIT * scale).returncode
        except subprocess.TimeoutExpired:
            status = None
    seconds = time.monotonic() - start
    if status == 0:
        return True, seconds, ''
    failure = logs / 'failure.txt'
    if failure.exists():
        error = failure.read_text()
    elif status is None:
        error = f'killed after the {TEST_TIME_LIMIT * scale:.0f} s limit per test'
    else:
        error = f'test process exited with status {status}'
    return False, seconds, f'{error}\nlogs: {logs.relative_to(REPO)}/'


def main():
    parser = argparse.ArgumentParser(description='Run Mica integration tests.')
    parser.add_argument('-j', type=int, default=1, metavar='N', help='tests run in parallel')
    parser.add_argument('-k', action='append', default=[], metavar='PATTERN',
                        help='run only tests whose name (file.function) contains PATTERN')
    parser.add_argument('--child', nargs=2, help=argparse.SUPPRESS)
    parser.add_argument('paths', nargs='*', type=Path, default=[HERE],
                        help='test files or directories (default: tests/integration)')
    args = parser.parse_args()
    if args.child:
        return run_in_child(*args.child)

    tests = discover([p.resolve() for p in args.paths], args.k)
    if not tests:
        print('run.py: no tests found', file=sys.stderr)
    counts = {True: 0, False: 0}
    lock = threading.Lock()

    def run_and_report(test):
        passed, seconds, error = run_test(*test, env_timeout_scale())
        if not passed and EMULATOR_CRASH in error:
            # QEMU 7.2 itself could segfault during dom0's PCI scan (a TCG
            # race that Mica now avoids, x86/quiesce.h); should an emulator
            # crash happen anyway, run once more, keeping its logs beside the
            # new ones.
            crashed = LOG_ROOT / (test[0] + '.emulator-crash')
            shutil.rmtree(crashed, ignore_errors=True)
            (LOG_ROOT / test[0]).rename(crashed)
            passed, seconds, error = run_test(*test, env_timeout_scale())
            error = (f'(QEMU crashed on the first run, logs in {crashed.relative_to(REPO)}/;'
                     f' ran again)\n' + error).rstrip('\n') if not passed else \
                f'(QEMU crashed on the first run, logs in {crashed.relative_to(REPO)}/; ran again)'
        with lock:
            counts[passed] += 1
            print(f'{"PASS" if passed else "FAIL"} {test[0]} ({seconds:.1f}s)')
            for line in error.splitlines():
                print(f'    {line}')
            sys.stdout.flush()

    with ThreadPoolExecutor(max_workers=max(args.j, 1)) as pool:
        list(pool.map(run_and_report, tests))
    print(f'{counts[True]} passed, {counts[False]} failed')
    return 1 if counts[False] else 0


if __name__ == '__main__':
    sys.exit(main())
