"""Domain lifecycle actions in Debian's dom0 (docs/mxl.md): `mxl create`
leaves a monitor per domain that applies on_reboot, on_poweroff and
on_crash. With the example Debian domU: `mxl reboot -w` gives a new domain
of the same name that boots again; `poweroff` typed in the guest's console
makes the domain go away by itself; on_poweroff=preserve keeps it listed as
shut down until `mxl destroy`; a crash takes on_crash (preserve: listed
as crashed); with its monitor killed, `shutdown -w` destroys the domain
itself; no monitor outlives its domain and every page comes back."""
import re

from test_mxl import (EXAMPLE, PROMPT, attach_console, boot, domain_row, memory_account,
                      ready, run, status, wait_in_log, wait_monitors)

MONITOR_LOG = '/var/log/mica/mxl-{}.log'


def wait_gone(m, name, timeout=300):
    """Waits until no domain named `name` is listed, without mxl's help."""
    run(m, f'for i in $(seq {timeout}); do mxl list | grep -q "^{name} " || break; '
           'sleep 1; done')
    assert domain_row(m, name) is None, run(m, 'mxl list')


def count_in_log(m, name, regex, count, timeout=600):
    """Waits until the guest's console log has `count` lines matching regex
    (the log goes on across a restart: same name, same file)."""
    log = f'/var/log/mica/console/guest-{name}.log'
    out = run(m, f'for i in $(seq {timeout}); do '
                 f'[ "$(grep -Ec \'{regex}\' {log})" -ge {count} ] && break; sleep 1; done; '
                 f'echo "count=$(grep -Ec \'{regex}\' {log})"')
    found = int(re.search(r'count=(\d+)', out).group(1))
    assert found >= count, f'{name}: {found} of {count} /{regex}/ in {log}:\n{out}'


def test_mxl_lifecycle_reboot_poweroff_preserve():
    with boot() as m:
        ready(m)
        # A first Debian domU, destroyed while it runs: it grows what stays
        # grown (test_mxl's Debian test); `mxl destroy` ends its monitor.
        out, rc = status(m, f'mxl create {EXAMPLE} name=first')
        assert rc == 0, out
        assert len(wait_monitors(m, 1)) == 1
        wait_in_log(m, 'first', 'mica-domu: ready')
        out, rc = status(m, 'mxl destroy first')
        assert rc == 0 and domain_row(m, 'first') is None, out
        wait_monitors(m, 0)
        log = run(m, f'cat {MONITOR_LOG.format("first")}')
        assert 'watching domain' in log and 'is gone' in log, log
        before = memory_account(m)

        # on_reboot = "restart". mxl create returns at once although the
        # monitor runs: not even a command substitution waits for it.
        out, rc = status(m, f'out=$(mxl create {EXAMPLE} 2>&1); echo "$out"')
        assert rc == 0 and 'created domain' in out, out
        wait_in_log(m, 'debian-domu', 'mica-domu: ready')
        old = domain_row(m, 'debian-domu')
        assert wait_monitors(m, 1) == [str(old[0])]
        out, rc = status(m, 'mxl reboot -w debian-domu')
        assert rc == 0, out
        new_id = int(re.search(rf'domain {old[0]} \(debian-domu\) restarted as domain (\d+)',
                               out).group(1))
        wait_in_log(m, 'debian-domu', 'mica-domu: reboot requested', timeout=60)
        # A new domain (ids are reused: it may have the old one) that boots
        # again: its init's markers come a second time in the same log.
        new = domain_row(m, 'debian-domu')
        assert new and new[0] == new_id and new[1:3] == old[1:3], (old, new)
        count_in_log(m, 'debian-domu', 'mica-domu: init started', 2)
        count_in_log(m, 'debian-domu', 'mica-domu: ready', 2)
        assert wait_monitors(m, 1) == [str(new_id)]
        log = run(m, f'cat {MONITOR_LOG.format("debian-domu")}')
        assert re.search(rf'domain {old[0]} shut down \(reboot\): restart', log), log
        assert f"restarted 'debian-domu' as domain {new_id}" in log, log

        # on_poweroff = "destroy": poweroff typed in the guest's shell.
        attach_console(m, 'debian-domu')
        # The images' /etc/profile makes it their stop script, not busybox's
        # applet (which only signals /init).
        m.sendline('poweroff')
        m.expect(r'mica-domu: poweroff requested', timeout=120)
        m.expect(rf"detached from domain {new_id}'s console", timeout=300)
        m.expect(PROMPT, timeout=60)
        wait_gone(m, 'debian-domu')
        wait_monitors(m, 0)
        log = run(m, f'cat {MONITOR_LOG.format("debian-domu")}')
        assert re.search(rf'domain {new_id} shut down \(poweroff\): destroy', log), log

        # on_poweroff = "preserve" from the command line; create -c still
        # attaches the console with the monitor forked before.
        m.sendline(f'mxl create -c {EXAMPLE} on_poweroff=preserve name=keep')
        keep_id = int(m.expect(r'created domain (\d+) \(keep\)', timeout=120).group(1))
        m.expect(rf"connected to domain {keep_id}'s console", timeout=60)
        m.expect(r'mica-domu: ready', timeout=600)
        m.sendline('')
        m.expect(r'domu:/# ', timeout=120)
        m.send('\x1d')
        m.expect(rf"detached from domain {keep_id}'s console", timeout=60)
        m.expect(PROMPT, timeout=60)
        assert wait_monitors(m, 1) == [str(keep_id)]
        out, rc = status(m, 'mxl shutdown -w keep')
        assert rc == 0 and 'preserved' in out, out
        wait_in_log(m, 'keep', 'mica-domu: poweroff requested', timeout=60)
        row = domain_row(m, 'keep')
        assert row and row[0] == keep_id and 's' in row[3], row
        assert wait_monitors(m, 1) == [str(keep_id)]
        out, rc = status(m, 'mxl destroy keep')
        assert rc == 0 and domain_row(m, 'keep') is None, out
        wait_monitors(m, 0)
        log = run(m, f'cat {MONITOR_LOG.format("keep")}')
        assert re.search(rf'domain {keep_id} shut down \(poweroff\): preserve', log), log

        # A crash (the guest's Linux panics: SCHEDOP_shutdown, reason crash)
        # takes on_crash, not on_poweroff: preserved, listed as crashed.
        out, rc = status(m, f'mxl create {EXAMPLE} on_crash=preserve name=crashy')
        assert rc == 0, out
        wait_in_log(m, 'crashy', 'mica-domu: ready')
        crash_id = domain_row(m, 'crashy')[0]
        attach_console(m, 'crashy')
        m.sendline('echo c > /proc/sysrq-trigger')
        m.expect(r'Kernel panic', timeout=120)
        run_log = f'for i in $(seq 120); do grep -q "shut down (crash)" ' \
                  f'{MONITOR_LOG.format("crashy")} && break; sleep 1; done'
        m.send('\x1d')
        m.expect(rf"detached from domain {crash_id}'s console", timeout=60)
        m.expect(PROMPT, timeout=60)
        run(m, run_log)
        row = domain_row(m, 'crashy')
        assert row and row[0] == crash_id and 'c' in row[3], row
        log = run(m, f'cat {MONITOR_LOG.format("crashy")}')
        assert re.search(rf'domain {crash_id} shut down \(crash\): preserve', log), log
        out, rc = status(m, 'mxl destroy crashy')
        assert rc == 0 and domain_row(m, 'crashy') is None, out
        wait_monitors(m, 0)

        # Without a monitor (killed: it lets go of its file) shutdown -w
        # destroys the domain itself, as before monitors.
        out, rc = status(m, f'mxl create {EXAMPLE} name=orphan')
        assert rc == 0, out
        wait_in_log(m, 'orphan', 'mica-domu: ready')
        orphan_id = domain_row(m, 'orphan')[0]
        assert wait_monitors(m, 1) == [str(orphan_id)]
        run(m, f"kill $(sed -n 's/^pid //p' /var/run/mica/mxl/{orphan_id})")
        wait_monitors(m, 0)
        out, rc = status(m, 'mxl shutdown -w orphan')
        assert rc == 0 and 'shut down and destroyed (no monitor)' in out, out
        assert domain_row(m, 'orphan') is None
        log = run(m, f'cat {MONITOR_LOG.format("orphan")}')
        assert 'stopped by signal 15' in log, log

        assert memory_account(m) == before
        m.reject(r'PANIC|fatal exception')
