"""Booting Mica through GRUB and Multiboot2: memory, CPUs, timer, console."""
import os
import tempfile
import time

from harness import Machine
from boot_checks import (assert_ram_matches, boot_to_prompt, cpu_ticks, logged,
                         usable_kib)


def test_one_cpu_512m_reports_ram_and_svm():
    with Machine(boot='grub', smp=1, mem_mib=512) as m:
        boot_to_prompt(m)
        assert_ram_matches(usable_kib(m), 512, firmware_slack_mib=4)
        logged(m, r'cpus: 1 online of 1')
        logged(m, r'virt: SVM with NPT \(revision \d+, \d+ ASIDs')
        logged(m, r'boot: GRUB [^\n]* via Multiboot2')


def test_four_cpus_come_online():
    with Machine(boot='grub', smp=4, mem_mib=512) as m:
        boot_to_prompt(m)
        logged(m, r'cpus: 4 online of 4')
        ticks = cpu_ticks(m)
        assert sorted(ticks) == [0, 1, 2, 3], ticks


def test_ram_above_4g_is_counted():
    # q35 puts RAM beyond 2 GiB above the 4 GiB line.
    with Machine(boot='grub', smp=1, mem_mib=4096) as m:
        boot_to_prompt(m)
        assert_ram_matches(usable_kib(m), 4096, firmware_slack_mib=4)


def test_timer_ticks_advance_on_every_cpu():
    with Machine(boot='grub', smp=2, mem_mib=256) as m:
        boot_to_prompt(m)
        first = cpu_ticks(m)
        assert sorted(first) == [0, 1], first
        deadline = time.monotonic() + 120 * m.scale
        while True:
            now = cpu_ticks(m)
            if all(now[c] > first[c] for c in first):
                break
            assert time.monotonic() < deadline, f'ticks stuck: {first} -> {now}'
        m.sendline('uptime')
        assert int(m.expect(r'uptime: (\d+) ticks').group(1)) >= now[0]


def test_console_commands_and_reboot():
    with Machine(boot='grub', smp=2, mem_mib=256) as m:
        boot_to_prompt(m)
        m.sendline('help')
        for cmd in ('help', 'memory', 'cpus', 'uptime', 'version', 'reboot'):
            m.expect(rf'\n  {cmd} ')
        m.sendline('memory')
        free = int(m.expect(r'free: +(\d+) KiB').group(1))
        assert free > 200 * 1024, free
        m.sendline('frobnicate')
        m.expect(r"unknown command 'frobnicate'; try 'help'")
        m.sendline('version')
        m.expect(r'Mica hypervisor \d+\.\d+\.\d+')
        m.sendline('reboot')
        m.expect('rebooting')
        # QEMU runs with -no-reboot: a reset ends it cleanly.
        assert m.wait_exit(timeout=60) == 0


def test_command_line_options_are_honoured():
    with Machine(boot='grub', smp=4, mem_mib=256,
                 cmdline='loglvl=debug dom0_mem=512M,max:1G maxcpus=2 bogus=1') as m:
        text = boot_to_prompt(m)
        assert "cmdline: 'bogus=1': unknown option" in text
        assert 'dom0_mem: 512 MiB (min 0 MiB, max 1024 MiB)' in text
        assert 'cpus: 2 online of 2' in text
        # loglvl=debug adds the memory map.
        assert ') usable' in text and ') reserved' in text


def test_quiet_log_level_hides_info():
    with Machine(boot='grub', smp=1, mem_mib=256, cmdline='loglvl=error') as m:
        text = boot_to_prompt(m)
        assert 'memory:' not in text and 'cpus:' not in text


def test_modules_reach_the_hypervisor():
    with tempfile.TemporaryDirectory() as tmp:
        a = os.path.join(tmp, 'kernel.bin')
        b = os.path.join(tmp, 'initrd.bin')
        with open(a, 'wb') as f:
            f.write(os.urandom(12345))
        with open(b, 'wb') as f:
            f.write(os.urandom(300000))
        with Machine(boot='grub', smp=1, mem_mib=256,
                     modules=[(a, 'console=hvc0 quiet'), (b, '')]) as m:
            boot_to_prompt(m)
            assert '12345 bytes, "console=hvc0 quiet"' in m.text
            assert '300000 bytes' in m.text
            m.sendline('memory')
            kib = int(m.expect(r'boot modules: +(\d+) KiB').group(1))
            assert kib == (12345 + 300000) // 1024, kib
