"""The fatal-exception dump, raised on purpose with test_exception=."""
from harness import Machine

CASES = {
    'ud': (6, '#UD invalid opcode'),
    'pf': (14, '#PF page fault'),
    'gp': (13, '#GP general protection'),
    'de': (0, '#DE divide error'),
}


def check_dump(kind):
    vector, name = CASES[kind]
    with Machine(boot='grub', smp=2, mem_mib=256,
                 cmdline=f'test_exception={kind}') as m:
        m.expect(r'test_exception: raising it now', timeout=120)
        m.expect(rf'fatal exception on CPU 0: vector {vector} \({name}\), '
                 r'error code 0x[0-9a-f]+')
        m.expect(r'RAX [0-9a-f]{16}  RBX [0-9a-f]{16}  RCX [0-9a-f]{16}')
        cr2 = m.expect(r'CR2 ([0-9a-f]{16})').group(1)
        m.expect(r'stack trace:\n\s+\[<[0-9a-f]{16}>\] arch_trigger_test_exception\+0x')
        m.expect(r'mica: CPU 0 halted')
        m.reject(r'mica> ')
        return cr2


def test_invalid_opcode():
    check_dump('ud')


def test_page_fault_reports_the_address():
    assert check_dump('pf') == '00007ffffffff000'


def test_general_protection():
    check_dump('gp')


def test_divide_error():
    check_dump('de')
