"""Booting Mica under Bochs (Intel VMX with EPT): prompt, VMX detection, console, SMP, reset."""
from harness import Machine
from boot_checks import boot_to_prompt, cpu_ticks, logged

# Until the VMX backend exists Mica says so; either way it must not find SVM.
VMX_VERDICT = (r'virt: (VMX with EPT \(VMCS revision \d+|no usable hardware '
               r'virtualization: the VMX backend is not written yet)')


def test_bochs_one_cpu_detects_vmx_and_answers_commands():
    with Machine(boot='bochs', smp=1, mem_mib=256) as m:
        boot_to_prompt(m)
        logged(m, VMX_VERDICT)
        logged(m, r'cpus: 1 online of 1')
        assert list(cpu_ticks(m)) == [0]
        m.sendline('version')
        m.expect(r'Mica hypervisor \d+\.\d+\.\d+')


def test_bochs_two_cpus_come_online_and_reboot_ends_bochs():
    with Machine(boot='bochs', smp=2, mem_mib=256) as m:
        boot_to_prompt(m)
        logged(m, r'cpus: 2 online of 2')
        assert sorted(cpu_ticks(m)) == [0, 1]
        m.sendline('reboot')
        m.expect('rebooting')
        # The harness ends Bochs at the guest's reset, like QEMU's -no-reboot.
        assert m.wait_exit(timeout=60) == 0
