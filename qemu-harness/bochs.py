"""Mica's GRUB ISO under Bochs (Intel VMX with EPT), driven like QEMU's process."""

import contextlib
import os
import re
import subprocess
import threading
import tty
from pathlib import Path

BXSHARE = Path('/usr/share/bochs')
CPU_MODEL = 'corei7_skylake_x'     # VMX with EPT and unrestricted guest
# About this machine's emulation speed, so that while the guest is busy its
# time runs close to wall time. Halted CPUs skip ahead to the next timer event.
IPS = 50_000_000
MAX_HOST_MIB = 2048
BOCHS_MESSAGES = '--- Bochs messages ---\n'

SCREEN = re.compile(rb'connected to screen "([^"]+)"')
RESET = b'bx_pc_system_c::Reset('            # once at power-on, then at each guest reset
POWER_OFF = re.compile(rb'Shutdown port: shutdown requested|ACPI control: soft power off')
TRIPLE_FAULT = re.compile(rb'3rd \(\d+\) exception with no resolution')
EXIT_BANNER = b'Bochs is exiting with the following message:'


def bochsrc(smp, mem_mib, medium_lines, serial_dev):
    """The bochsrc text: medium_lines attach the boot medium, COM1 is serial_dev."""
    return '\n'.join([
        f'cpu: model={CPU_MODEL}, count={smp}, ips={IPS}, reset_on_triple_fault=0',
        # Bochs allocates at most 2 GiB of host memory; more guest RAM pages out to a file.
        f'memory: guest={mem_mib}, host={min(mem_mib, MAX_HOST_MIB)}',
        f'romimage: file={BXSHARE / "BIOS-bochs-latest"}',
        f'vgaromimage: file={BXSHARE / "VGABIOS-lgpl-latest"}',
        *medium_lines,
        f'com1: enabled=1, mode=term, dev={serial_dev}',
        # The only headless display in Debian's build; it draws on a pty of
        # its own, which the watcher drains.
        'display_library: term',
        # Every clock (PIT, RTC, LAPIC timer, TSC) counts emulated
        # instructions: sync=realtime would tie only the PIT and RTC to the
        # host's clock, so rates calibrated against the PIT would follow the
        # host's load. sync=none also makes runs repeatable.
        'clock: sync=none, time0=utc',
        'speaker: enabled=0',
        'log: -',
        'panic: action=fatal',
    ]) + '\n'


class Bochs:
    """A running Bochs with the interface of the subprocess.Popen the harness drives.

    stdin and stdout are COM1 (a pty). Bochs's own messages go to log_path
    after a header. A guest reset ends Bochs, as QEMU's -no-reboot does;
    then, and after a power-off (ACPI S5, or the string "Shutdown" written
    to port 0x8900), the exit status is 0. A triple fault is a Bochs panic:
    status 1, with the CPU state in the log.
    """

    def __init__(self, smp, mem_mib, medium_lines, workdir, log_path, boot_config,
                 wrapper=()):
        self.reset = self.powered_off = self.triple_fault = False
        self.exit_message = None
        master, slave = os.openpty()
        tty.setraw(slave)      # no echo or line editing before Bochs takes the pty
        self.bochsrc = bochsrc(smp, mem_mib, medium_lines, f'/dev/fd/{slave}')
        (workdir / 'bochsrc').write_text(self.bochsrc)
        (workdir / 'debugger.rc').write_text('c\n')   # the debugger starts stopped
        self.args = ['bochs', '-q', '-f', 'bochsrc', '-rc', 'debugger.rc']
        log_path.write_text(f'$ cd {workdir} && {" ".join(self.args)}\n\n'
                            f'--- bochsrc ---\n{self.bochsrc}\n'
                            f'--- boot configuration ---\n{boot_config}\n{BOCHS_MESSAGES}')
        try:
            self._popen = subprocess.Popen(list(wrapper) + self.args, cwd=workdir,
                                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, pass_fds=(slave,))
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)    # Bochs holds it now: its exit closes COM1
        self.stdout = open(master, 'rb', buffering=0)
        self.stdin = open(os.dup(master), 'wb', buffering=0)
        self._watcher = threading.Thread(target=self._watch, args=(log_path,), daemon=True)
        self._watcher.start()

    def poll(self):
        if self._popen.poll() is None:
            return None
        return self.wait()

    def wait(self, timeout=None):
        """Bochs's exit status, 0 after a guest reset or power-off; may raise TimeoutExpired."""
        status = self._popen.wait(timeout)
        self._watcher.join()
        return 0 if self.reset or self.powered_off else status

    def kill(self):
        self._popen.kill()

    def _watch(self, log_path):
        """Copy Bochs's messages to the log and act on what they say."""
        resets = 0
        with open(log_path, 'ab') as log:
            for line in self._popen.stdout:
                log.write(line)
                log.flush()
                screen = SCREEN.search(line)
                if screen:
                    threading.Thread(target=drain, args=(screen.group(1),), daemon=True).start()
                resets += RESET in line
                if resets > 1 and not self.reset:
                    self.reset = True
                    self._popen.kill()
                self.powered_off |= bool(POWER_OFF.search(line))
                self.triple_fault |= bool(TRIPLE_FAULT.search(line))
                if self.exit_message == '':
                    self.exit_message = line.decode(errors='replace').strip()
                if EXIT_BANNER in line:
                    self.exit_message = ''
        self._popen.stdout.close()

    def exit_causes(self):
        """Why Bochs ended, as short phrases for a failure message."""
        causes = []
        if self.reset:
            causes.append('guest reset; the harness ended Bochs')
        if self.triple_fault:
            causes.append('triple fault')
        if self.exit_message:
            causes.append(f'Bochs said: {self.exit_message}')
        return causes


def drain(path):
    """Read and drop the term display's output, so that Bochs never blocks drawing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOCTTY)
    except OSError:        # Bochs has already gone
        return
    with open(fd, 'rb', buffering=0) as screen, contextlib.suppress(OSError):
        while screen.read(65536):   # until EIO: Bochs closed its end
            pass
