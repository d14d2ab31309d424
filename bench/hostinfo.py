"""A description of the machine and the software a benchmark run used, for its JSON."""
import os
import platform
import subprocess

import config


def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.splitlines()[0].strip() if out.strip() else None


def read(path):
    try:
        return path.read_text().strip()
    except OSError:
        return None


def cpu_model():
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    return platform.processor() or None


def mem_total_mib():
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('MemTotal:'):
                return int(line.split()[1]) // 1024
    return None


def mica_commit():
    commit = first_line(['git', '-C', str(config.REPO), 'rev-parse', 'HEAD'])
    dirty = subprocess.run(['git', '-C', str(config.REPO), 'diff', '--quiet', 'HEAD'],
                           capture_output=True).returncode != 0
    return f'{commit}{" (with uncommitted changes)" if dirty else ""}' if commit else None


def describe():
    """Host, emulator, firmware, and the exact packages and commit measured."""
    stamp = read(config.KERNEL_STAMP)
    return {
        'host': {
            'cpu_model': cpu_model(),
            'nproc': os.cpu_count(),
            'mem_total_mib': mem_total_mib(),
            'kernel': platform.release(),
            'load_average_at_start': list(os.getloadavg()),
        },
        'qemu': first_line(['qemu-system-x86_64', '--version']),
        'ovmf': first_line(['dpkg-query', '-W', '-f=${Version}', 'ovmf']),
        'guest_kernel': {
            'package': stamp.split()[0] if stamp else None,
            'deb': stamp.split()[1] if stamp and len(stamp.split()) > 1 else None,
            'release': read(config.KERNEL_RELEASE_FILE),
        },
        'xen_packages': (read(config.XEN_PKG / 'versions') or '').splitlines(),
        'mica_commit': mica_commit(),
        'machine': {'qemu': f'-machine q35 -cpu max -smp {config.SMP} -m {config.MEM_MIB}',
                    'accel': 'tcg', 'dom0_mem': config.DOM0_MEM},
    }
