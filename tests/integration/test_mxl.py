"""mxl, the toolstack CLI, in Debian's dom0 (docs/mxl.md): it creates a
PVH test guest that runs and says so on the hypervisor console, lists it,
destroys it with every page back, refuses bad configs without creating
anything, and survives create/destroy cycles; it builds the example Debian
domU, whose kernel boots."""
import re
import time

from harness import Machine
from test_dom0_linux import INITRD, PROMPT, VMLINUX

_runs = [0]


def run(m, command):
    """Runs a shell command in dom0 and returns what it printed. The end
    marker is computed by the shell, so the echoed command line (which a
    guest's console output may split from its prompt) never matches it."""
    _runs[0] += 1
    n = 1000 + _runs[0]
    m.sendline(f'{command}; echo __done_$(({n} + 0))__')
    out = m.expect(rf'(?s)\n(.*?)__done_{n}__\r?\n', timeout=300).group(1)
    m.expect(PROMPT, timeout=60)
    out = out.split(f'__done_$(({n} + 0))__', 1)[-1]
    return re.sub(r'\(d0\) ', '', out)


def boot(mem_mib=2048, dom0_mem='768M'):
    return Machine(boot='grub', smp=2, mem_mib=mem_mib,
                   cmdline=f'dom0_mem={dom0_mem} dom0_max_vcpus=2',
                   dom0_kernel=VMLINUX, dom0_initrd=INITRD, dom0_cmdline='console=hvc0')


def ready(m):
    m.expect(r'mica-dom0: started mica-xenstored', timeout=600)
    m.expect(r'mica-dom0: ready', timeout=120)
    m.expect(PROMPT, timeout=120)
    run(m, 'stty cols 500')     # long command lines unwrapped


def free_pages(m):
    return int(re.search(r'free_pages\s+: (\d+)', run(m, 'mxl info')).group(1))


def memory_account(m):
    """(free_pages + heap_pages, heap_used_bytes) from `mxl info`: both come
    back to their values once a domain is gone (docs/control.md)."""
    info = run(m, 'mxl info')
    field = {k: int(re.search(rf'{k}\s+: (\d+)', info).group(1))
             for k in ('free_pages', 'heap_pages', 'heap_used_bytes')}
    return field['free_pages'] + field['heap_pages'], field['heap_used_bytes']


def status(m, command):
    out = run(m, f'{command}; echo "status=$?"')
    return out, int(re.search(r'status=(\d+)', out).group(1))


def seen(m, regex, timeout):
    """Waits until regex is anywhere in the console text (also before the
    last expect's match: a guest may print while a dom0 command runs)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(regex, m.text, re.MULTILINE)
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f'/{regex}/ not seen within {timeout} s: {m.text[-3000:]}')


def test_mxl_hello_guest():
    with boot() as m:
        ready(m)
        out, rc = status(m, 'mxl --help')
        assert rc == 0 and 'create' in out and 'console' in out, out
        out, rc = status(m, 'mxl shutdown --help')
        assert rc == 0 and 'usage: mxl shutdown [-w] ID|NAME' in out, out
        out, rc = status(m, 'mxl destroy')
        assert rc == 2 and 'usage: mxl destroy' in out, out
        assert 'domain 0: privileged' in run(m, 'mxl dmesg')
        before = free_pages(m)
        out, rc = status(m, 'mxl create -p /mica/tests/mxl-hello.cfg')
        assert rc == 0, out
        domid = re.search(r'created domain (\d+) \(hello\)', out).group(1)
        out = run(m, 'mxl list')
        row = re.search(rf'^hello\s+{domid}\s+(\d+)\s+(\d+)\s+(\S+)', out, re.MULTILINE)
        assert row and row.group(1) == '16' and row.group(2) == '1' and 'p' in row.group(3), out
        assert '"name": "hello"' in run(m, 'mxl list --json')
        assert run(m, f'xenstore-read /local/domain/{domid}/name').strip() == 'hello'
        out, rc = status(m, 'mxl unpause hello')
        assert rc == 0, out
        seen(m, rf'^\(d{domid}\) RESULT hello PASS', 120)
        out, rc = status(m, 'mxl destroy hello')
        assert rc == 0, out
        assert 'hello' not in run(m, 'mxl list')
        # The first domain may grow the hypervisor's heap for good
        # (docs/control.md): compare from here on.
        before = free_pages(m)
        out, rc = status(m, 'mxl destroy hello')
        assert rc == 1 and "no domain named 'hello'" in out, out
        check_bad_configs(m, before)
        check_cycles(m)
        m.reject(r'PANIC|fatal exception')


BAD_CONFIGS = {
    'unknown key': ("printf 'name=\"x\"\\nkernel=\"/mica/tests/hello.elf\"\\nbogus = 1\\n' "
                    ">/tmp/bad.cfg; mxl create /tmp/bad.cfg", r"/tmp/bad.cfg:3: .*bogus"),
    'missing kernel': ('mxl create /mica/tests/mxl-hello.cfg kernel=/no/such/vmlinux',
                       r'/no/such/vmlinux'),
    'not a PVH kernel': ('mxl create /mica/tests/mxl-hello.cfg kernel=/bin/busybox',
                         r'not a PVH kernel|not an ELF'),
    'more memory than free': ('mxl create /mica/tests/mxl-hello.cfg memory=1000000',
                              r'memory.*free'),
    'malformed XML': ("printf '<domain><name>x</name>' >/tmp/bad.xml; mxl create /tmp/bad.xml",
                      r'/tmp/bad.xml'),
    'no such file': ('mxl create /tmp/none.cfg', r'/tmp/none.cfg: No such file'),
    'a missing disk image': ("mxl create /mica/tests/mxl-hello.cfg "
                             "'disk=[\"/no/such.img,raw,xvda,r\"]'", r'/no/such.img'),
    'a vif': ("mxl create /mica/tests/mxl-hello.cfg 'vif=[\"mac=00:16:3e:12:34:56\"]'",
              r'network interfaces are not supported yet'),
}


def check_bad_configs(m, free_before):
    for what, (command, message) in BAD_CONFIGS.items():
        out, rc = status(m, command)
        assert rc == 1, (what, out)
        assert re.search(r'^mxl: .*' + message, out, re.MULTILINE), (what, out)
    out = run(m, 'mxl list')
    assert len(re.findall(r'^\S+\s+\d+\s+\d+', out, re.MULTILINE)) == 1, out
    assert free_pages(m) == free_before
    out, rc = status(m, 'mxl frobnicate')
    assert rc == 2 and "unknown command 'frobnicate'" in out, out


MONITOR_DIR = '/var/run/mica/mxl'


def monitors(m):
    """The live mxl monitor processes in dom0 (zombies do not count)."""
    out = run(m, 'for p in /proc/[0-9]*; do '
                 'grep -q "^Name:.mxl-monitor$" $p/status 2>/dev/null && '
                 'grep -q "^State:.[RSD]" $p/status && echo "monitor ${p#/proc/}"; '
                 'done; echo end')
    return re.findall(r'^monitor (\d+)', out, re.MULTILINE)


def wait_monitors(m, count, timeout=60):
    """Waits until `count` monitors run (one exits within a poll period of
    its domain going away) with as many state files; returns the files'
    names (the domids)."""
    out = run(m, f'for i in $(seq {timeout * 2}); do '
                 f'[ "$(ls {MONITOR_DIR} 2>/dev/null | wc -l)" -eq {count} ] && break; '
                 f'sleep 0.5; done; ls {MONITOR_DIR}')
    files = out.split()
    assert len(files) == count, out
    found = monitors(m)
    for _ in range(timeout):
        if len(found) == count:
            break
        run(m, 'sleep 1')
        found = monitors(m)
    assert len(found) == count, (found, files)
    return files


def check_cycles(m):
    """20 create/destroy cycles of the test guest leak no page, and no
    monitor outlives its domain."""
    before = free_pages(m)
    out = run(m, 'for i in $(seq 20); do mxl create /mica/tests/mxl-hello.cfg >/dev/null && '
                 'mxl destroy hello || echo CYCLE-FAILED; done')
    assert 'CYCLE-FAILED' not in out, out
    assert free_pages(m) == before
    assert 'hello' not in run(m, 'mxl list')
    wait_monitors(m, 0)


def warm_up(m):
    """One create/destroy of the test guest: the first domain may grow the
    hypervisor's heap for good (docs/control.md)."""
    out, rc = status(m, 'mxl create -p /mica/tests/mxl-hello.cfg && mxl destroy hello')
    assert rc == 0, out


EXAMPLE = '/etc/mica/examples/debian-domu.cfg'
EXAMPLE_XML = '/etc/mica/examples/debian-domu.xml'
CONSOLE_LOG = '/var/log/mica/console/guest-{}.log'


def wait_in_log(m, name, regex, timeout=600):
    """Waits (in dom0) until the guest's console log has a line matching
    regex (grep -E); returns the log's tail."""
    log = CONSOLE_LOG.format(name)
    out = run(m, f'for i in $(seq {timeout}); do grep -Eq \'{regex}\' {log} 2>/dev/null '
                 f'&& break; sleep 1; done; grep -Ec \'{regex}\' {log}; tail -n 5 {log}')
    assert re.match(r'\s*[1-9]', out), f'{name}: /{regex}/ not in {log}:\n{out}'
    return out


def domain_row(m, name):
    """(domid, MiB, vCPUs, state) of the domain in `mxl list`, or None."""
    row = re.search(rf'^{re.escape(name)}\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)',
                    run(m, 'mxl list'), re.MULTILINE)
    return row and (int(row.group(1)), int(row.group(2)), int(row.group(3)), row.group(4))


def attach_console(m, name):
    """`mxl console NAME` from dom0's shell, up to the guest's prompt."""
    m.sendline(f'mxl console {name}')
    m.expect(r"connected to domain \d+'s console", timeout=60)
    m.sendline('')
    m.expect(r'domu:/# ', timeout=120)


def in_guest_console(m, command, n):
    """Runs command in the guest's shell while `mxl console` is attached."""
    m.sendline(f'{command}; echo __guest_$(({n} + 0))__')
    out = m.expect(rf'(?s)\n(.*?)__guest_{n}__\r?\n', timeout=120).group(1)
    return out.split(f'__guest_$(({n} + 0))__', 1)[-1]


def check_running_domu_controls(m, name):
    """vcpu-list, pause/unpause and mem-set on a running Linux domU."""
    out = run(m, f'mxl vcpu-list {name}')
    assert re.search(rf'^{name}\s+\d+\s+0\s+ui\s+64\s+0x', out, re.MULTILINE), out
    out, rc = status(m, f'mxl pause {name}')
    assert rc == 0 and 'p' in domain_row(m, name)[3], out
    out, rc = status(m, f'mxl pause {name}')
    assert rc == 1 and 'not running' in out, out
    out, rc = status(m, f'mxl unpause {name}')
    assert rc == 0 and 'p' not in domain_row(m, name)[3], out
    # The balloon target through xenstore: the guest's balloon driver gives
    # pages back until the hypervisor counts 128 MiB (a little slack for
    # what the driver rounds).
    out, rc = status(m, f'mxl mem-set {name} 128')
    assert rc == 0, out
    out, rc = status(m, f'mxl mem-set {name} 100000')
    assert rc == 1 and 'maxmem' in out, out
    for _ in range(120):
        if domain_row(m, name)[1] <= 130:
            break
        time.sleep(1)
    assert domain_row(m, name)[1] <= 130, run(m, 'mxl list')


def test_mxl_debian_domus_console_isolation_shutdown():
    """Debian's own kernel as two PVH domUs made by `mxl create` from dom0:
    they boot to their init marker, are listed with their memory and vCPUs,
    one's shell (through `mxl console`) cannot read or write the other's
    xenstore nodes, the other is paused, unpaused and ballooned down,
    `mxl shutdown` powers one off through xenstore, and every page comes
    back."""
    with boot() as m:
        ready(m)
        # A first Debian domU, destroyed while it runs, grows dom0's
        # foreign-mapping table (the builder maps the whole kernel at once)
        # to the size it keeps.
        out, rc = status(m, f'mxl create {EXAMPLE} name=first')
        assert rc == 0, out
        wait_in_log(m, 'first', 'mica-domu: ready')
        out, rc = status(m, 'mxl destroy first')
        assert rc == 0 and domain_row(m, 'first') is None, out
        before = memory_account(m)
        out, rc = status(m, f'mxl create {EXAMPLE}')
        assert rc == 0, out
        # The peer from the same domain in XML (docs/config.md).
        out, rc = status(m, f'mxl create {EXAMPLE_XML} name=peer memory=192')
        assert rc == 0, out
        for name in ('debian-domu', 'peer'):
            wait_in_log(m, name, 'mica-domu: ready')
        guest, peer = domain_row(m, 'debian-domu'), domain_row(m, 'peer')
        assert guest[1:3] == (256, 1) and peer[1:3] == (192, 1), (guest, peer)
        assert memory_account(m)[0] <= before[0] - (256 + 192) * 256

        # The guest's own console, from dom0's shell; Ctrl-] detaches.
        attach_console(m, 'debian-domu')
        own = in_guest_console(m, f'xenstore-read /local/domain/{guest[0]}/name', 1)
        assert 'debian-domu' in own, own
        other = in_guest_console(m, f'xenstore-read /local/domain/{peer[0]}/name; '
                                    'echo "rc=$?"', 2)
        assert 'rc=1' in other and 'peer' not in other.replace('rc=', ''), other
        listing = in_guest_console(m, f'xenstore-ls /local/domain/{peer[0]}; echo "rc=$?"', 3)
        assert 'rc=1' in listing, listing
        write = in_guest_console(m, f'xenstore-write /local/domain/{peer[0]}/name x; '
                                    'echo "rc=$?"', 4)
        assert 'rc=1' in write, write
        m.send('\x1d')
        m.expect(r"detached from domain \d+'s console", timeout=60)
        m.expect(PROMPT, timeout=60)
        assert run(m, f'xenstore-read /local/domain/{peer[0]}/name').strip() == 'peer'

        check_running_domu_controls(m, 'peer')

        # A graceful stop: the guest's Linux runs poweroff for control/shutdown.
        out, rc = status(m, 'mxl shutdown -w debian-domu')
        assert rc == 0 and 'shut down and destroyed' in out, out
        wait_in_log(m, 'debian-domu', 'mica-domu: poweroff requested', timeout=30)
        assert domain_row(m, 'debian-domu') is None
        out, rc = status(m, 'mxl destroy peer')
        assert rc == 0, out
        assert domain_row(m, 'peer') is None
        assert memory_account(m) == before
        m.reject(r'PANIC|fatal exception')
