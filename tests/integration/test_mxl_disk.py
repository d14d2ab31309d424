"""Virtual disks (docs/config.md): `mxl create` with `disk = [...]` gives a
Debian domU block devices served by dom0's xen-blkback, image files bound
to loop devices by the toolstack. Data crosses both ways intact, a
read-only disk refuses writes, a filesystem the guest makes is one dom0
can mount, and when the domain goes every loop device, backend node and
page goes with it."""
import re

from test_dom0_linux import PROMPT
from test_mxl import (EXAMPLE, attach_console, boot, domain_row, in_guest_console,
                      memory_account, ready, run, status, wait_in_log, warm_up)

HELLO = '/mica/tests/mxl-hello.cfg'
CYCLES = 5


def md5(out):
    found = re.search(r'\b([0-9a-f]{32})\b', out)
    assert found, out
    return found.group(1)


def guest(m, command, n):
    """in_guest_console without the hypervisor's (d0) line prefixes."""
    return re.sub(r'\(d0\) ', '', in_guest_console(m, command, n))


def no_disk_left(m):
    """No loop device bound, no vbd backend node, no backend device."""
    assert run(m, 'losetup -a').strip() == '', run(m, 'losetup -a')
    out = run(m, 'xenstore-ls /local/domain/0/backend/vbd 2>&1; '
                 'ls /sys/bus/xen-backend/devices')
    assert 'frontend' not in out and 'vbd-' not in out, out


def test_mxl_disk_read_write_readonly_teardown():
    with boot() as m:
        ready(m)
        # blkback's messages would land in the middle of commands' output.
        run(m, 'dmesg -n 1')
        warm_up(m)
        # A first Debian domU grows dom0's foreign-mapping table for good
        # (test_mxl): it goes before the memory is counted.
        out, rc = status(m, f'mxl create {EXAMPLE} name=first')
        assert rc == 0, out
        wait_in_log(m, 'first', 'mica-domu: ready')
        assert status(m, 'mxl destroy first')[1] == 0
        before = memory_account(m)

        # data.img: written by the guest; ro.img: 8 MiB of random data for it to read.
        run(m, 'dd if=/dev/zero of=/tmp/data.img bs=1M count=48 2>/dev/null')
        run(m, 'dd if=/dev/urandom of=/tmp/ro.img bs=1M count=8 2>/dev/null')
        ro_sum = md5(run(m, 'md5sum /tmp/ro.img'))
        disks = '\'disk=["/tmp/data.img,raw,xvda,rw", "/tmp/ro.img,raw,xvdb,r"]\''
        out, rc = status(m, f'mxl create {EXAMPLE} {disks}')
        assert rc == 0, out
        wait_in_log(m, 'debian-domu', 'mica-domu: ready')
        domid = domain_row(m, 'debian-domu')[0]
        backend = run(m, f'xenstore-read /local/domain/0/backend/vbd/{domid}/51712/params '
                         f'/local/domain/0/backend/vbd/{domid}/51728/mode')
        assert '/tmp/data.img' in backend and re.search(r'^r\s*$', backend, re.M), backend

        attach_console(m, 'debian-domu')
        parts = guest(m, 'cat /proc/partitions', 1)
        assert re.search(r'^\s*202\s+0\s+49152\s+xvda\s*$', parts, re.M), parts
        assert re.search(r'^\s*202\s+16\s+8192\s+xvdb\s*$', parts, re.M), parts
        # Reading: what dom0 put in the read-only image, all of it.
        assert md5(guest(m, 'md5sum /dev/xvdb', 2)) == ro_sum
        out = guest(m, 'blockdev --getro /dev/xvdb; '
                                  'echo x | dd of=/dev/xvdb 2>&1; echo "rc=$?"', 3)
        assert re.search(r'^1\s*$', out, re.M) and 'rc=1' in out, out
        # Writing: 24 MiB of random data through the ring, flushed.
        wrote = md5(guest(
            m, 'dd if=/dev/urandom of=/tmp/r bs=1M count=24 2>/dev/null; md5sum /tmp/r; '
               'dd if=/tmp/r of=/dev/xvda bs=1M seek=16 conv=fsync 2>/dev/null', 4))
        # A filesystem on the disk's first 16 MiB.
        out = guest(
            m, 'mke2fs -q /dev/xvda 16384 && mkdir -p /mnt && mount /dev/xvda /mnt && '
               'echo made-by-the-guest >/mnt/note && umount /mnt; echo "rc=$?"', 5)
        assert 'rc=0' in out, out
        m.send('\x1d')
        m.expect(r"detached from domain \d+'s console", timeout=60)
        m.expect(PROMPT, timeout=60)

        out, rc = status(m, 'mxl shutdown -w debian-domu')
        assert rc == 0 and 'shut down and destroyed' in out, out
        no_disk_left(m)
        got = md5(run(m, 'dd if=/tmp/data.img bs=1M skip=16 count=24 2>/dev/null | md5sum'))
        assert got == wrote, (got, wrote)
        out = run(m, 'mkdir -p /mnt/guest && mount -o loop,ro /tmp/data.img /mnt/guest && '
                     'cat /mnt/guest/note; umount /mnt/guest; losetup -a')
        assert 'made-by-the-guest' in out and '/dev/loop' not in out, out
        assert memory_account(m) == before

        # Destroyed while the guest uses its disk: the same clean end.
        out, rc = status(m, f'mxl create {EXAMPLE} {disks}')
        assert rc == 0, out
        wait_in_log(m, 'debian-domu', 'mica-domu: ready')
        out, rc = status(m, 'mxl destroy debian-domu')
        assert rc == 0, out
        no_disk_left(m)
        assert memory_account(m) == before

        # Bad disks: a clear error, nothing created, nothing bound.
        bad = {
            'no such target': ('\'disk=["/tmp/none.img,raw,xvda,rw"]\'', r'/tmp/none.img'),
            'not a file or block device': ('\'disk=["/dev/null,raw,xvda,rw"]\'',
                                           r'/dev/null.*(block device|regular file)'),
            'bad vdev': ('\'disk=["/tmp/data.img,raw,sda,rw"]\'', r'vdev'),
            'same vdev twice': ('\'disk=["/tmp/data.img,raw,xvda,rw", '
                                '"/tmp/ro.img,raw,xvda,r"]\'', r'xvda'),
        }
        for what, (setting, message) in bad.items():
            out, rc = status(m, f'mxl create {HELLO} {setting}')
            assert rc == 1 and re.search(r'^mxl: .*' + message, out, re.M), (what, out)
        assert 'hello' not in run(m, 'mxl list')
        no_disk_left(m)

        # Cycles of a guest with no frontend: the backend waits, then goes.
        for _ in range(CYCLES):
            out, rc = status(m, f'mxl create -p {HELLO} \'disk=["/tmp/ro.img,raw,xvdc,r"]\' '
                                '&& mxl destroy hello')
            assert rc == 0, out
        no_disk_left(m)
        assert memory_account(m) == before
        m.reject(r'PANIC|fatal exception')
