"""dom0 owns the hardware: Debian's kernel as Mica's dom0 drives devices that
QEMU attaches, through passed-through ports and device memory, PCI
configuration space and interrupts forwarded from the real I/O APIC.

- a virtio-blk disk (an ext4 image made here) is mounted and a known file
  read, booted through UEFI (OVMF's memory map and ACPI tables);
- an e1000 NIC joined to a second QEMU (the same kernel, booted bare) by a
  socket netdev on 127.0.0.1 exchanges pings with it, booted through GRUB.
"""
import os
import subprocess
import tempfile

from harness import Machine, free_tcp_port
from test_dom0_image import DOM0, direct_machine, expect_boot
from test_dom0_linux import INITRD, VMLINUX

DISK_TEXT = 'mica dom0 read this from a virtio-blk disk'
# Link-local addresses: they exist only on the emulated wire between the two
# QEMUs, which is itself a TCP connection on 127.0.0.1.
DOM0_IP, PEER_IP = '169.254.77.1', '169.254.77.2'


def dom0_machine(boot, run_script, extra_args, extra_cmdline=''):
    return Machine(boot=boot, smp=2, mem_mib=1024,
                   cmdline='dom0_mem=384M dom0_max_vcpus=2',
                   dom0_kernel=VMLINUX, dom0_initrd=INITRD,
                   dom0_cmdline=f'console=hvc0 mica.run={run_script} mica.poweroff '
                                f'{extra_cmdline}'.strip(),
                   extra_qemu_args=extra_args)


def make_disk(directory):
    content = os.path.join(directory, 'content')
    os.mkdir(content)
    with open(os.path.join(content, 'mica-disk-test.txt'), 'w') as f:
        f.write(DISK_TEXT + '\n')
    image = os.path.join(directory, 'disk.img')
    subprocess.run(['mkfs.ext4', '-q', '-F', '-d', content, image, '16M'], check=True)
    return image


def test_dom0_reads_a_virtio_blk_disk_uefi():
    """dom0 mounts a virtio-blk disk and reads the file put on it (UEFI boot)."""
    with tempfile.TemporaryDirectory() as tmp:
        disk = make_disk(tmp)
        args = ['-drive', f'file={disk},if=none,id=disk0,format=raw,readonly=on',
                '-device', 'virtio-blk-pci,drive=disk0']
        with dom0_machine('uefi', 'hw-disk.sh', args) as m:
            m.expect(r'domain 0: owns the hardware \(1 I/O APIC emulated\)', timeout=120)
            m.expect(r'mica-dom0: ready', timeout=300)
            m.expect(rf'mica-test: disk file says: {DISK_TEXT}', timeout=300)
            # The disk's interrupts came through the emulated I/O APIC.
            m.expect(r'mica-test: interrupts: +\d+: +[1-9]\d* .*IO-APIC.*virtio', timeout=60)
            m.expect(r'mica-test: hw-disk done', timeout=120)
            m.expect(r'domain 0: shut down \(poweroff\)', timeout=120)
            assert m.wait_exit(120) == 0
            m.reject(r'FAILED|Kernel panic|unhandled access')


def test_dom0_nic_exchanges_packets_with_a_peer():
    """dom0's e1000 pings a second QEMU over a loopback socket netdev."""
    port = free_tcp_port()
    peer_cmdline = (f'console=ttyS0 panic=-1 mica.run=hw-net.sh mica.ip={PEER_IP}/24')
    peer = direct_machine(DOM0 / 'initrd.img', peer_cmdline, 'peer')
    peer.extra_qemu_args = ['-netdev', f'socket,id=n0,listen=127.0.0.1:{port}',
                            '-device', 'e1000,netdev=n0,mac=52:54:00:00:77:02']
    with peer:
        expect_boot(peer, 'dom0', [])
        peer.expect(r'mica-test: hw-net waiting', timeout=120)
        args = ['-netdev', f'socket,id=n0,connect=127.0.0.1:{port}',
                '-device', 'e1000,netdev=n0,mac=52:54:00:00:77:01']
        with dom0_machine('grub', 'hw-net.sh', args,
                          f'mica.ip={DOM0_IP}/24 mica.peer={PEER_IP}') as m:
            m.expect(r'mica-dom0: ready', timeout=300)
            m.expect(r'mica-test: eth0 up', timeout=120)
            m.expect(r'\d+ packets transmitted, 3 packets received', timeout=180)
            m.expect(r'mica-test: hw-net done', timeout=60)
            m.expect(r'domain 0: shut down \(poweroff\)', timeout=120)
            m.reject(r'FAILED|Kernel panic|unhandled access')
