"""Boot Mica in QEMU or Bochs with its COM1 console captured: the integration tests' library."""

import bisect
import codecs
import contextlib
import errno
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bochs import Bochs
from bootmedia import HYPERVISOR_ELF, REPO, UEFI_LOADER, Medium

LOG_ROOT = REPO / 'build' / 'test-logs'
DEFAULT_TIMEOUT = 60.0
TAIL_LINES = 40
QEMU_MESSAGES = '--- QEMU messages ---\n'
# The emulator gets SIGKILL if the harness dies, never outlives it.
KILL_WITH_US = ['setpriv', '--pdeathsig', 'KILL']


class MachineError(Exception):
    """The machine did not do what the test expected; the message shows its console."""


class Timeout(MachineError):
    """A bounded wait ran out."""


def env_timeout_scale():
    """The factor from MICA_TIMEOUT_SCALE (default 1) applied to every timeout."""
    return float(os.environ.get('MICA_TIMEOUT_SCALE', '1'))


def debug_exit_value(status):
    """The value v a guest wrote to isa-debug-exit, given QEMU's exit status (v << 1) | 1.

    None when the status cannot come from isa-debug-exit (0 is a normal
    power-off or, with -no-reboot, a reset or triple fault). Status 1 is
    ambiguous: v = 0, or QEMU failing on its own; prefer non-zero values.
    """
    if status is None or status <= 0 or status % 2 == 0:
        return None
    return status >> 1


def log_dir():
    """Where this test's logs go: MICA_TEST_LOG_DIR (set by run.py) or test-logs/adhoc."""
    return Path(os.environ.get('MICA_TEST_LOG_DIR') or LOG_ROOT / 'adhoc')


def qemu_command(smp, mem_mib, serial_args, medium_args, extra_args=(), debug_log=None):
    """The QEMU command line every Mica run shares."""
    cmd = ['qemu-system-x86_64', '-machine', 'q35', '-cpu', 'max',
           '-smp', str(smp), '-m', str(mem_mib),
           '-nic', 'none', '-display', 'none', '-no-reboot',
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
    if debug_log:
        # Register dumps at each CPU reset; with -no-reboot the last one shows
        # the state at a triple fault.
        cmd += ['-d', 'cpu_reset', '-D', str(debug_log)]
    return cmd + list(serial_args) + list(medium_args) + list(extra_args)


def free_tcp_port():
    """A TCP port free on 127.0.0.1 now, for -netdev socket,listen=127.0.0.1:PORT."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def check_network_args(args):
    """Refuse networking other than loopback sockets (never user-mode networking)."""
    for option, value in zip(args, args[1:]):
        if option not in ('-netdev', '-nic', '-net'):
            continue
        kind = value.split(',')[0]
        addresses = re.findall(r'\d+\.\d+\.\d+\.\d+', value)
        if (kind not in ('socket', 'dgram', 'none', 'nic')
                or any(not a.startswith('127.') for a in addresses)):
            raise ValueError(f'{option} {value}: tests may only use loopback socket networking')


def compile_regex(regex):
    """A str regex compiled with re.MULTILINE, or an already compiled pattern."""
    return regex if isinstance(regex, re.Pattern) else re.compile(regex, re.MULTILINE)


class Machine:
    """One QEMU machine booting Mica, as a context manager.

    boot='bochs' runs the GRUB ISO in Bochs instead (see bochs.py); its
    messages go to <name>.bochs.log.

    Console text is kept decoded (UTF-8, '\\r' dropped) in memory and raw in
    <name>.serial.log under the test's log directory. expect() consumes it
    left to right; reject() looks at all of it. Regexes given as strings are
    compiled with re.MULTILINE. All timeouts are in seconds and get scaled
    by timeout_scale and MICA_TIMEOUT_SCALE.
    """
    _names_taken = set()

    def __init__(self, boot='grub', smp=1, mem_mib=512, cmdline='', modules=(),
                 dom0_kernel=None, dom0_cmdline='', dom0_initrd=None,
                 esp_config=None, esp_files=None, extra_qemu_args=(),
                 timeout_scale=1.0, name='machine',
                 hypervisor=HYPERVISOR_ELF, loader=UEFI_LOADER, echo=None):
        self.medium = Medium(boot=boot, hypervisor=hypervisor, loader=loader,
                             cmdline=cmdline, modules=list(modules),
                             dom0_kernel=dom0_kernel, dom0_cmdline=dom0_cmdline,
                             dom0_initrd=dom0_initrd, esp_config=esp_config,
                             esp_files=esp_files)
        self.smp, self.mem_mib = smp, mem_mib
        self.extra_qemu_args = list(extra_qemu_args)
        check_network_args(self.extra_qemu_args)
        self.emulator = 'Bochs' if boot == 'bochs' else 'QEMU'
        if self.emulator == 'Bochs' and self.extra_qemu_args:
            raise ValueError('extra_qemu_args need QEMU, not boot="bochs"')
        self.scale = timeout_scale * env_timeout_scale()
        self.name = self._unique_name(name)
        self.log_dir = log_dir()
        self.serial_log = self.log_dir / f'{self.name}.serial.log'
        self.emulator_log = self.log_dir / f'{self.name}.{self.emulator.lower()}.log'
        self.debug_log = self.log_dir / f'{self.name}.qemu-debug.log'
        self.echo = echo
        self._chunks = []          # decoded console text, as it arrived
        self._starts = []          # character offset where each chunk starts
        self._length = 0           # characters in _chunks
        self._pos = 0              # end of the last expect() match
        self._eof = False
        self._cond = threading.Condition()
        self._proc = None
        self._reader = None
        self._workdir = None

    @classmethod
    def _unique_name(cls, name):
        unique, n = name, 1
        while unique in cls._names_taken:
            n += 1
            unique = f'{name}{n}'
        cls._names_taken.add(unique)
        return unique

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def start(self):
        """Build the boot medium and start the emulator with the console piped to us."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.debug_log.unlink(missing_ok=True)
        self._workdir = Path(tempfile.mkdtemp(prefix='mica-qemu-'))
        try:
            medium_args = self.medium.build(self._workdir)
            if self.emulator == 'Bochs':
                self._proc = Bochs(self.smp, self.mem_mib, medium_args, self._workdir,
                                   self.emulator_log, self.medium.config_text, KILL_WITH_US)
            else:
                self._start_qemu(medium_args)
            self._reader = threading.Thread(target=self._read_console, daemon=True)
            self._reader.start()
        except BaseException:
            self.close()
            raise

    def _start_qemu(self, medium_args):
        serial = ['-chardev', 'stdio,id=ser0,signal=off', '-serial', 'chardev:ser0',
                  '-monitor', 'none']
        self.command = qemu_command(self.smp, self.mem_mib, serial, medium_args,
                                    self.extra_qemu_args, self.debug_log)
        with open(self.emulator_log, 'w') as log:
            log.write(f'$ {shlex.join(self.command)}\n\n'
                      f'--- boot configuration ---\n{self.medium.config_text}\n'
                      f'{QEMU_MESSAGES}')
            log.flush()
            self._proc = subprocess.Popen(KILL_WITH_US + self.command,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=log)

    def close(self):
        """Kill the emulator (if still running) and remove the boot medium."""
        if self._proc:
            self._proc.kill()
            self._proc.wait()
            with contextlib.suppress(BrokenPipeError):
                self._proc.stdin.close()
        if self._reader:
            self._reader.join()
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def _read_console(self):
        decoder = codecs.getincrementaldecoder('utf-8')('replace')
        fd = self._proc.stdout.fileno()
        with open(self.serial_log, 'wb') as log:
            while True:
                try:
                    data = os.read(fd, 65536)
                except OSError as e:    # a pty (Bochs's COM1) whose far end closed
                    if e.errno != errno.EIO:
                        raise
                    data = b''
                log.write(data)
                log.flush()
                if self.echo:
                    self.echo.write(data)
                    self.echo.flush()
                text = decoder.decode(data, final=not data).replace('\r', '')
                with self._cond:
                    if text:
                        self._starts.append(self._length)
                        self._chunks.append(text)
                        self._length += len(text)
                    self._eof = not data
                    self._cond.notify_all()
                if not data:
                    self._proc.stdout.close()
                    return

    @property
    def text(self):
        """All console text so far."""
        with self._cond:
            if len(self._chunks) > 1:
                self._chunks, self._starts = [''.join(self._chunks)], [0]
            return self._text_since(0)

    def _text_since(self, offset):
        """Console text after character offset; the caller holds the lock."""
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        if i >= len(self._chunks):
            return ''
        return self._chunks[i][offset - self._starts[i]:] + ''.join(self._chunks[i + 1:])

    def expect(self, regex, timeout=DEFAULT_TIMEOUT):
        """Wait for regex in the console after the previous match; return the match.

        The match's offsets are relative to the end of the previous match.
        timeout is in seconds before scaling. Raises Timeout, or MachineError
        if QEMU exits first.
        """
        pattern = compile_regex(regex)
        deadline = time.monotonic() + timeout * self.scale
        with self._cond:
            window = self._text_since(self._pos)
            seen = self._length
            while True:
                match = pattern.search(window)
                if match:
                    self._pos += match.end()
                    return match
                if self._eof:
                    raise MachineError(self._failure(
                        f'{self.emulator} exited before /{pattern.pattern}/ appeared'))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Timeout(self._failure(
                        f'/{pattern.pattern}/ did not appear within {timeout * self.scale:.0f} s'))
                self._cond.wait(left)
                window += self._text_since(seen)
                seen = self._length

    def reject(self, regex):
        """Fail if regex appears anywhere in the console so far."""
        pattern = compile_regex(regex)
        text = self.text
        match = pattern.search(text)
        if match:
            line_start = text.rfind('\n', 0, match.start()) + 1
            line_end = text.find('\n', match.end())
            line = text[line_start:line_end if line_end >= 0 else None]
            raise MachineError(self._failure(f'/{pattern.pattern}/ appeared: {line!r}'))

    def send(self, text):
        """Write text to the console input.

        QEMU feeds the UART only as fast as its FIFO drains, so no pacing is
        needed; but a guest that resets its FIFO drops what came before, so
        send after a prompt, not before.
        """
        try:
            self._proc.stdin.write(text.encode())
            self._proc.stdin.flush()
        except OSError:         # a broken pipe (QEMU) or EIO (Bochs's pty)
            raise MachineError(self._failure(f'cannot send: {self.emulator} has exited')) from None

    def sendline(self, line):
        """send() the line followed by a carriage return (the Enter key)."""
        self.send(line + '\r')

    def wait_exit(self, timeout=DEFAULT_TIMEOUT):
        """Wait for the emulator to exit and return its exit status.

        For QEMU see debug_exit_value; Bochs gives 0 after a guest reset or
        power-off and 1 after a panic such as a triple fault.
        """
        try:
            status = self._proc.wait(timeout * self.scale)
        except subprocess.TimeoutExpired:
            raise Timeout(self._failure(
                f'{self.emulator} did not exit within {timeout * self.scale:.0f} s')) from None
        self._reader.join()
        return status

    def _failure(self, what):
        """An error message: what happened, the emulator's state, the console's last lines."""
        lines = self.text.splitlines()[-TAIL_LINES:]
        parts = [what]
        status = self._exit_status()
        if status is not None:
            parts.append(f'{self.emulator} exit status {status}{self._exit_cause(status)}')
        parts.append(f'logs: {self.serial_log} (console), {self.emulator_log} ({self.emulator})')
        parts.append(f'--- last {len(lines)} console lines ---')
        return '\n'.join(parts + lines)

    def _exit_status(self):
        """The emulator's exit status, or None while it runs (a closed console: it is exiting)."""
        if not self._eof:
            return self._proc.poll()
        try:
            return self._proc.wait(10)
        except subprocess.TimeoutExpired:
            return None

    def _exit_cause(self, status):
        if self.emulator == 'Bochs':
            causes = self._proc.exit_causes()
            return f' ({"; ".join(causes)})' if causes else ''
        causes = []
        value = debug_exit_value(status)
        if value is not None:
            causes.append(f'debug-exit value {value:#x}')
        if self.debug_log.exists() and 'Triple fault' in self.debug_log.read_text(errors='replace'):
            causes.append('triple fault')
        messages = self.emulator_log.read_text(errors='replace').split(QEMU_MESSAGES)[-1].strip()
        if messages:
            causes.append(f'QEMU said: {messages}')
        return f' ({"; ".join(causes)})' if causes else ''
