"""Booting Mica through OVMF and our UEFI loader, and the loader's errors."""
import os
import tempfile

from harness import Machine
from boot_checks import (assert_ram_matches, boot_to_prompt, cpu_ticks, logged,
                         usable_kib)

# OVMF keeps more for itself than SeaBIOS: runtime services, ACPI, NVS.
OVMF_SLACK_MIB = 48


def test_uefi_four_cpus_memory_framebuffer_modules():
    with tempfile.TemporaryDirectory() as tmp:
        kernel = os.path.join(tmp, 'vmlinux')
        with open(kernel, 'wb') as f:
            f.write(os.urandom(200000))
        with Machine(boot='uefi', smp=4, mem_mib=1024, cmdline='loglvl=info',
                     dom0_kernel=kernel, dom0_cmdline='console=hvc0') as m:
            m.expect(r'mica-boot: loaded \\EFI\\MICA\\mica\.elf', timeout=120)
            m.expect(r'mica-boot: starting hypervisor')
            text = boot_to_prompt(m)
            assert 'boot: Mica UEFI loader via UEFI' in text
            assert_ram_matches(usable_kib(m), 1024, OVMF_SLACK_MIB)
            assert 'cpus: 4 online of 4' in text
            assert 'acpi: RSDP present' in text
            assert '200000 bytes, "console=hvc0"' in text
            logged(m, r'framebuffer: 0x[0-9a-f]+, \d+x\d+, 32 bpp')
            assert sorted(cpu_ticks(m)) == [0, 1, 2, 3]


def test_uefi_exception_dump():
    with Machine(boot='uefi', smp=2, mem_mib=512, cmdline='test_exception=gp') as m:
        m.expect(r'fatal exception on CPU 0: vector 13 \(#GP general protection\)',
                 timeout=120)
        m.expect(r'RIP 0008:[0-9a-f]{16}')
        m.expect(r'stack trace:\n\s+\[<[0-9a-f]{16}>\] arch_trigger_test_exception\+0x')
        m.expect(r'mica: CPU 0 halted')


def test_uefi_missing_config_is_reported():
    with Machine(boot='uefi', esp_files={'/EFI/BOOT/mica.cfg': None}) as m:
        m.expect(r'mica-boot: error: cannot open \\EFI\\BOOT\\mica\.cfg: Not Found',
                 timeout=120)
        m.reject(r'Mica hypervisor')


def test_uefi_malformed_config_names_the_line():
    config = ('# a comment\n'
              'hypervisor = /EFI/MICA/mica.elf\n'
              'hypervisr = /EFI/MICA/mica.elf\n')
    with Machine(boot='uefi', esp_config=config) as m:
        m.expect(r"mica-boot: error: \\EFI\\BOOT\\mica\.cfg:3: unknown key 'hypervisr'",
                 timeout=120)
        m.reject(r'Mica hypervisor')


def test_uefi_config_without_hypervisor_key():
    with Machine(boot='uefi', esp_config='cmdline = loglvl=debug\n') as m:
        m.expect(r"mica-boot: error: .*missing required key 'hypervisor'", timeout=120)
        m.reject(r'Mica hypervisor')


def test_uefi_missing_hypervisor_image():
    with Machine(boot='uefi', esp_files={'/EFI/MICA/mica.elf': None}) as m:
        m.expect(r'mica-boot: error: cannot open \\EFI\\MICA\\mica\.elf: Not Found',
                 timeout=120)
        m.reject(r'Mica hypervisor')


def test_uefi_hypervisor_that_is_not_elf():
    with tempfile.TemporaryDirectory() as tmp:
        junk = os.path.join(tmp, 'junk.elf')
        with open(junk, 'wb') as f:
            f.write(b'this is not an ELF file at all' * 10)
        with Machine(boot='uefi', esp_files={'/EFI/MICA/mica.elf': junk}) as m:
            m.expect(r'mica-boot: error: \\EFI\\MICA\\mica\.elf: not an ELF', timeout=120)
            m.reject(r'Mica hypervisor')
