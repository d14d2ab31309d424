"""mica-consoled in Mica's dom0 (docs/consoled.md): /init starts it after
mica-xenstored; console-selftest builds the console_ring test guest with a
console page, event channel, reserved grant and xenstore nodes, reads the
guest's line on the pty the daemon names in console/tty, types a line the
guest echoes back, finds both in the domain's log file, and sees the daemon
let go once the domain is destroyed and its nodes removed."""
import re

from test_dom0_linux import PROMPT, boot_dom0


def test_guest_console_through_consoled():
    with boot_dom0('grub', smp=2, dom0_mem_mib=384, vcpus=2) as m:
        m.expect(r'mica-dom0: started mica-consoled', timeout=600)
        m.expect(r'mica-dom0: ready', timeout=120)
        m.expect(PROMPT, timeout=120)
        domids = {}
        for kind, flag in (('test', ''), ('hostile', '--hostile ')):
            m.sendline(f'console-selftest {flag}/mica/tests/console_ring.elf; echo __{kind}_done__')
            out = m.expect(rf'(?s)\n(.*?)__{kind}_done__\r?\n', timeout=600).group(1)
            m.expect(PROMPT, timeout=60)
            out = re.sub(r'\(d0\) ', '', out)
            bad = [line for line in out.splitlines() if 'FAILED' in line]
            if bad or 'console-selftest: PASS' not in out:
                m.sendline('cat /var/log/mica-consoled.log; echo __log""_done__')
                log = m.expect(r'(?s)\n(.*?)__log_done__\r?\n', timeout=60).group(1)
                raise AssertionError(f'{out}\n--- mica-consoled.log ---\n{log}')
            domid = domids[kind] = re.search(r'starting domain (\d+)', out).group(1)
            # The guest's own verdict, on the hypervisor console.
            assert re.search(rf'^\(d{domid}\) RESULT console_ring PASS', m.text,
                             re.MULTILINE), m.text[-3000:]
        # The daemon's side: attached, then closed on each domain's release;
        # the hostile guest's indices were noticed and skipped.
        m.sendline('cat /var/log/mica-consoled.log; echo __log_done__')
        log = m.expect(r'(?s)\n(.*?)__log_done__\r?\n', timeout=60).group(1)
        for kind, domid in domids.items():
            name = f'console-{kind}-{domid}'
            assert re.search(rf'domain {domid} \({name}\): console on /dev/pts/\d+', log), log
            assert re.search(rf'domain {domid} \({name}\): console closed', log), log
        hostile = domids['hostile']
        assert re.search(rf'domain {hostile}: output ring indices out of range', log), log
        assert re.search(rf'domain {hostile}: input ring indices out of range', log), log
        # Unmapping the ring of a destroyed domain is clean (no gntdev warning).
        m.reject(r'Kernel panic|PANIC|fatal exception|WARNING: CPU|cut here')
