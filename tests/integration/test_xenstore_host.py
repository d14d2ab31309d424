"""mica-xenstored on the build host, driven by Debian's own xenstore-utils.

The daemon listens on sockets in a temporary directory: one for dom0
(privileged) and one whose clients act as unprivileged domain 5, so that
the real clients (xenstore-read, -write, -ls, -list, -exists, -rm, -chmod,
-watch; `make xenstore-clients` unpacks them into build/, never into the
host) see permission checks too. A small client of our own speaks the wire
protocol directly for transaction conflicts and malformed input.
"""

import os
import select
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from harness import env_timeout_scale

REPO = Path(__file__).resolve().parents[2]
DAEMON = REPO / 'build' / 'dom0-tools' / 'mica-xenstored'
CLIENTS = REPO / 'build' / 'xenstore-utils' / 'root'
CLIENT_BIN = CLIENTS / 'usr' / 'bin'
CLIENT_LIBS = CLIENTS / 'usr' / 'lib' / 'x86_64-linux-gnu'
TIMEOUT = 20 * env_timeout_scale()

XS_READ, XS_WATCH, XS_TRANSACTION_START, XS_TRANSACTION_END = 2, 4, 6, 7
XS_WRITE, XS_WATCH_EVENT, XS_ERROR = 11, 15, 16


class Daemon:
    """mica-xenstored in a temporary directory, with a dom0 and a domain-5 socket."""

    def __init__(self, *options):
        for need in (DAEMON, CLIENT_BIN / 'xenstore-read'):
            assert need.exists(), f'{need} is missing: make xenstored xenstore-clients'
        self.dir = tempfile.TemporaryDirectory(prefix='mica-xenstored-')
        self.sock = os.path.join(self.dir.name, 'run', 'socket')
        self.sock5 = os.path.join(self.dir.name, 'socket-dom5')
        self.log = open(Path(os.environ.get('MICA_TEST_LOG_DIR', self.dir.name))
                        / 'xenstored.log', 'w+')
        self.proc = subprocess.Popen(
            [str(DAEMON), '--socket', self.sock, '--domain-socket', f'{self.sock5}:5',
             '--kernel-ring', 'no', *options],
            stderr=subprocess.PIPE, text=True)
        self._wait_for_line(f'listening on {self.sock5} for domain 5')

    def _wait_for_line(self, marker):
        """Read the daemon's stderr (unbuffered, so select sees every byte) up to marker."""
        deadline = time.monotonic() + TIMEOUT
        seen = ''
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stderr], [], [], 1)
            if not ready:
                continue
            chunk = os.read(self.proc.stderr.fileno(), 4096).decode(errors='replace')
            assert chunk, f'mica-xenstored exited early (status {self.proc.poll()}): {seen}'
            self.log.write(chunk)
            seen += chunk
            if marker in seen:
                return
        raise AssertionError(f'mica-xenstored never printed "{marker}": {seen}')

    def run(self, tool, *args, domain=0, check=True):
        """Run xenstore-TOOL against the daemon (as dom0, or as domain 5)."""
        env = dict(os.environ, LD_LIBRARY_PATH=str(CLIENT_LIBS),
                   XENSTORED_PATH=self.sock if domain == 0 else self.sock5)
        result = subprocess.run([str(CLIENT_BIN / f'xenstore-{tool}'), *args], env=env,
                                capture_output=True, text=True, timeout=TIMEOUT)
        self.log.write(f'$ xenstore-{tool} {" ".join(args)} (domain {domain}): '
                       f'{result.returncode}\n{result.stdout}{result.stderr}')
        if check:
            assert result.returncode == 0, \
                f'xenstore-{tool} {args} failed ({result.returncode}): {result.stderr}'
        return result

    def connect(self, domain=0):
        return WireClient(self.sock if domain == 0 else self.sock5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.log.write(self.proc.stderr.read())
            self.log.close()
            self.dir.cleanup()
        assert self.proc.returncode == 0, f'mica-xenstored ended with {self.proc.returncode}'


class WireClient:
    """The xenstore wire protocol by hand: header (type, req_id, tx_id, len) + payload."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(TIMEOUT)
        self.s.connect(path)
        self.req_id = 0

    def send_raw(self, data):
        self.s.sendall(data)

    def receive(self):
        header = self._exactly(16)
        if header is None:
            return None
        kind, req_id, tx_id, length = struct.unpack('<IIII', header)
        return kind, req_id, tx_id, self._exactly(length)

    def _exactly(self, n):
        data = b''
        while len(data) < n:
            chunk = self.s.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def call(self, kind, *args, tx=0, raw=None):
        """Send a request; return (reply type, payload), skipping watch events."""
        self.req_id += 1
        payload = raw if raw is not None else b''.join(a.encode() + b'\0' for a in args)
        self.send_raw(struct.pack('<IIII', kind, self.req_id, tx, len(payload)) + payload)
        while True:
            reply = self.receive()
            assert reply is not None, 'the daemon closed the connection'
            if reply[0] != XS_WATCH_EVENT:
                assert reply[1] == self.req_id
                return reply[0], reply[3]

    def close(self):
        self.s.close()


def test_write_read_list_ls_exists_rm():
    with Daemon() as d:
        d.run('write', '/vm/1/name', 'guest-one', '/vm/1/memory', '256', '/vm/2/name', 'two')
        assert d.run('read', '/vm/1/name').stdout == 'guest-one\n'
        assert d.run('read', '/vm/1/name', '/vm/2/name').stdout == 'guest-one\ntwo\n'
        assert d.run('read', '-p', '/vm/1/memory').stdout == '/vm/1/memory: 256\n'
        assert d.run('list', '/vm').stdout == '1\n2\n'
        ls = d.run('ls', '/vm').stdout
        assert ls == '1 = ""\n name = "guest-one"\n memory = "256"\n2 = ""\n name = "two"\n', ls
        full = d.run('ls', '-f', '/vm/1').stdout
        assert '/vm/1/name = "guest-one"' in full, full
        assert d.run('exists', '/vm/2').returncode == 0
        assert d.run('exists', '/vm/3', check=False).returncode != 0
        d.run('rm', '/vm/2')
        assert d.run('exists', '/vm/2', check=False).returncode != 0
        assert d.run('read', '/vm/2/name', check=False).returncode != 0
        d.run('rm', '/vm/never-was')          # its parent exists: not an error
        # -t also removes the parents that became empty.
        d.run('write', '/tidy/a/b', 'x')
        d.run('rm', '-t', '/tidy/a/b')
        assert d.run('exists', '/tidy', check=False).returncode != 0
        # The daemon's initial tree and relative paths (dom0's home).
        assert 'local = ""' in d.run('ls', '/').stdout
        d.run('write', 'name', 'Domain-0')
        assert d.run('read', '/local/domain/0/name').stdout == 'Domain-0\n'


def test_permissions_are_enforced_for_a_domain():
    with Daemon() as d:
        d.run('write', '/secret', 'dom0 only', '/shared', 'for all')
        d.run('chmod', '/shared', 'n0', 'r5')
        assert d.run('ls', '-p', '/').stdout.count('(n0,r5)') == 1
        # Domain 5 may read what it was given, nothing else, and writes nowhere.
        assert d.run('read', '/shared', domain=5).stdout == 'for all\n'
        denied = d.run('read', '/secret', domain=5, check=False)
        assert denied.returncode != 0 and "couldn't read path /secret" in denied.stderr, \
            denied.stderr
        assert d.run('write', '/shared', 'mine', domain=5, check=False).returncode != 0
        raw = d.connect(domain=5)
        assert raw.call(XS_READ, '/secret') == (XS_ERROR, b'EACCES\0')
        assert raw.call(XS_WRITE, raw=b'/shared\0mine') == (XS_ERROR, b'EACCES\0')
        raw.close()
        assert d.run('read', '/shared').stdout == 'for all\n'
        assert d.run('rm', '/shared', domain=5, check=False).returncode != 0
        # Its home, once the toolstack made it and gave it away, is its own;
        # relative paths land there.
        d.run('write', '/local/domain/5', '')
        d.run('chmod', '/local/domain/5', 'n5')
        d.run('write', 'device/vif/0/mac', '00:16:3e:00:00:05', domain=5)
        assert d.run('read', '/local/domain/5/device/vif/0/mac').stdout == '00:16:3e:00:00:05\n'
        assert d.run('read', 'device/vif/0/mac', domain=5).stdout == '00:16:3e:00:00:05\n'
        perms = d.run('ls', '-p', '/local/domain/5').stdout
        assert '(n5)' in perms, perms
        # ... and the owner may open a node to others, but not give it away.
        d.run('chmod', 'device/vif/0/mac', 'n5', 'r0', domain=5)
        assert d.run('chmod', 'device', 'b7', domain=5, check=False).returncode != 0
        # -r applies the mode to the whole subtree.
        d.run('chmod', '-r', '/local/domain/5/device', 'n5', 'b0')
        assert d.run('ls', '-p', '/local/domain/5/device/vif').stdout.count('(n5,b0)') == 2


def test_node_quota_for_a_domain():
    with Daemon('--quota-nodes', '4') as d:
        d.run('write', '/local/domain/5', '')
        d.run('chmod', '/local/domain/5', 'n5')            # the home counts: 1 of 4
        d.run('write', 'a', '1', 'b', '2', 'c', '3', domain=5)
        over = d.run('write', 'd', '4', domain=5, check=False)
        assert over.returncode != 0, over.stdout
        assert d.run('exists', '/local/domain/5/d', check=False).returncode != 0
        d.run('rm', 'a', domain=5)
        d.run('write', 'd', '4', domain=5)
        d.run('write', '/local/domain/5/e', 'dom0 is not limited')
        big = d.run('write', 'c', 'x' * 3000, domain=5, check=False)
        assert big.returncode != 0


def test_watch_sees_changes():
    with Daemon() as d:
        d.run('write', '/w/start', '0')
        env = dict(os.environ, LD_LIBRARY_PATH=str(CLIENT_LIBS), XENSTORED_PATH=d.sock)
        watch = subprocess.Popen([str(CLIENT_BIN / 'xenstore-watch'), '-n', '4', '/w'],
                                 env=env, stdout=subprocess.PIPE, text=True)
        try:
            def next_line():
                ready, _, _ = select.select([watch.stdout], [], [], TIMEOUT)
                assert ready, 'xenstore-watch printed nothing'
                return watch.stdout.readline().strip()

            assert next_line() == '/w'                     # the initial event
            d.run('write', '/w/a/b', '1')
            assert next_line() == '/w/a/b'
            d.run('write', '/elsewhere', '1')              # not below /w
            d.run('chmod', '/w/start', 'r0')
            assert next_line() == '/w/start'
            d.run('rm', '/w/a')
            assert next_line() == '/w/a'
            assert watch.wait(timeout=TIMEOUT) == 0
        finally:
            if watch.poll() is None:
                watch.kill()
            watch.stdout.close()


def test_transactions_commit_and_conflict():
    with Daemon() as d:
        d.run('write', '/counter', '0')
        a, b = d.connect(), d.connect()
        kind, tx = a.call(XS_TRANSACTION_START, '')
        assert kind == XS_TRANSACTION_START
        tx = int(tx.rstrip(b'\0'))
        assert a.call(XS_READ, '/counter', tx=tx) == (XS_READ, b'0')
        assert a.call(XS_WRITE, raw=b'/counter\x001', tx=tx) == (XS_WRITE, b'OK\0')
        # Not visible outside before the commit.
        assert d.run('read', '/counter').stdout == '0\n'
        assert a.call(XS_TRANSACTION_END, 'T', tx=tx) == (XS_TRANSACTION_END, b'OK\0')
        assert d.run('read', '/counter').stdout == '1\n'

        # Another writer between the read and the commit: EAGAIN, no change.
        kind, tx = a.call(XS_TRANSACTION_START, '')
        tx = int(tx.rstrip(b'\0'))
        a.call(XS_READ, '/counter', tx=tx)
        assert b.call(XS_WRITE, raw=b'/counter\x00b') == (XS_WRITE, b'OK\0')
        a.call(XS_WRITE, raw=b'/counter\x002', tx=tx)
        assert a.call(XS_TRANSACTION_END, 'T', tx=tx) == (XS_ERROR, b'EAGAIN\0')
        assert d.run('read', '/counter').stdout == 'b\n'
        assert a.call(XS_READ, '/counter', tx=tx) == (XS_ERROR, b'ENOENT\0')
        a.close()
        b.close()


def test_malformed_input_gets_errors_and_the_daemon_survives():
    with Daemon() as d:
        c = d.connect()
        assert c.call(XS_READ, '/no//path') == (XS_ERROR, b'EINVAL\0')
        assert c.call(XS_READ, raw=b'') == (XS_ERROR, b'EINVAL\0')
        assert c.call(XS_READ, '/nowhere') == (XS_ERROR, b'ENOENT\0')
        assert c.call(XS_WATCH_EVENT, '/x', 't') == (XS_ERROR, b'EINVAL\0')
        assert c.call(999, 'x') == (XS_ERROR, b'EINVAL\0')
        assert c.call(XS_WRITE, raw=b'/v\x00' + b'x' * 4000) == (XS_WRITE, b'OK\0')
        # A header announcing more than the protocol's 4096 bytes: an error,
        # then the daemon hangs up (it cannot find the next header).
        c.send_raw(struct.pack('<IIII', XS_WRITE, 77, 0, 1 << 20))
        reply = c.receive()
        assert reply is not None and reply[0] == XS_ERROR and reply[3] == b'E2BIG\0', reply
        assert c.receive() is None
        c.close()
        # A client that vanishes mid-message.
        c = d.connect()
        c.send_raw(struct.pack('<IIII', XS_WRITE, 1, 0, 100) + b'/half')
        c.close()
        # Everyone else is still served.
        assert d.run('read', '/v').stdout == 'x' * 4000 + '\n'
        assert d.proc.poll() is None
