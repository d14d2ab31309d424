"""Boot media for Mica under QEMU or Bochs: a GRUB Multiboot2 ISO or a FAT ESP image."""

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HYPERVISOR_ELF = REPO / 'build' / 'hypervisor' / 'mica.elf'
UEFI_LOADER = REPO / 'build' / 'boot' / 'BOOTX64.EFI'
OVMF_CODE = Path('/usr/share/OVMF/OVMF_CODE_4M.fd')
OVMF_VARS = Path('/usr/share/OVMF/OVMF_VARS_4M.fd')

GRUB_PLATFORM = Path('/usr/lib/grub/i386-pc')
GRUB_MODULES = 'multiboot2 normal serial terminfo halt'
ESP_CONFIG = '/EFI/BOOT/mica.cfg'
ESP_DIR = '/EFI/MICA'
RESERVED_NAMES = {'mica.elf', 'grub'}   # taken in /boot on the ISO


class MediumError(Exception):
    """A boot medium could not be built (missing input, failing tool)."""


@dataclass
class Medium:
    """What to boot and how: the inputs shared by the harness and mica-qemu.

    modules are (path, args) pairs. On the GRUB path the dom0 kernel and
    initrd become the first two module2 lines (Xen's convention), followed
    by the other modules. esp_config replaces the generated mica.cfg text;
    esp_files maps ESP paths to source files, or to None to leave a default
    file out.
    """
    boot: str = 'grub'
    hypervisor: Path = HYPERVISOR_ELF
    loader: Path = UEFI_LOADER
    cmdline: str = ''
    modules: list = field(default_factory=list)
    dom0_kernel: Path = None
    dom0_cmdline: str = ''
    dom0_initrd: Path = None
    esp_config: str = None
    esp_files: dict = None
    config_text: str = field(default='', init=False)

    def build(self, workdir):
        """Build the medium in workdir and return how to attach it.

        That is QEMU's firmware and drive arguments, or for boot='bochs' (the
        GRUB ISO under Bochs) bochsrc lines.
        """
        workdir = Path(workdir)
        if self.boot in ('grub', 'bochs'):
            if self.esp_config is not None or self.esp_files:
                raise MediumError('esp_config and esp_files need boot="uefi"')
            iso = self._build_iso(workdir)
            if self.boot == 'bochs':
                return [f'ata0-master: type=cdrom, path="{iso}", status=inserted',
                        'boot: cdrom']
            return ['-cdrom', str(iso), '-boot', 'd']
        if self.boot == 'uefi':
            return self._build_esp(workdir)
        raise MediumError(f'unknown boot method {self.boot!r} (grub, uefi or bochs)')

    def _payloads(self):
        """(source, name on the medium, args) for the dom0 images and modules, in order."""
        entries = []
        if self.dom0_kernel:
            entries.append((self.dom0_kernel, self.dom0_cmdline))
        if self.dom0_initrd:
            entries.append((self.dom0_initrd, ''))
        entries += [(path, args) for path, args in self.modules]
        names = unique_names([Path(src).name for src, _ in entries])
        return [(Path(src), name, args) for (src, args), name in zip(entries, names)]

    def _build_iso(self, workdir):
        tree = workdir / 'iso'
        (tree / 'boot' / 'grub').mkdir(parents=True)
        lines = ['set timeout=0',
                 # GRUB stays silent on COM1 unless something fails; the
                 # dumb terminfo keeps it from sending screen-clearing escapes.
                 'serial --unit=0 --speed=115200',
                 'terminfo serial dumb',
                 'terminal_output serial',
                 f'multiboot2 /boot/mica.elf {grub_words(self.cmdline)}'.rstrip()]
        copy_file(self.hypervisor, tree / 'boot' / 'mica.elf')
        for src, name, args in self._payloads():
            copy_file(src, tree / 'boot' / name)
            lines.append(f'module2 /boot/{name} {grub_words(args)}'.rstrip())
        # If boot returns, loading failed: power off so a test ends at once.
        lines += ['boot', 'halt']
        self.config_text = '\n'.join(lines) + '\n'
        (tree / 'boot' / 'grub' / 'grub.cfg').write_text(self.config_text)
        iso = workdir / 'mica.iso'
        run_tool(['grub-mkrescue', '-d', str(GRUB_PLATFORM), '-o', str(iso),
                  '--locales=', '--fonts=', '--themes=', '--compress=no',
                  f'--install-modules={GRUB_MODULES}', str(tree)])
        return iso

    def _build_esp(self, workdir):
        files = {'/EFI/BOOT/BOOTX64.EFI': self.loader,
                 f'{ESP_DIR}/mica.elf': self.hypervisor}
        for src, name, _ in self._payloads():
            files[f'{ESP_DIR}/{name}'] = src
        self.config_text = (self.esp_config if self.esp_config is not None
                            else self._mica_cfg())
        cfg = workdir / 'mica.cfg'
        cfg.write_text(self.config_text)
        files[ESP_CONFIG] = cfg
        for dest, src in (self.esp_files or {}).items():
            if src is None:
                files.pop(dest, None)
            else:
                files[dest] = src
        image = workdir / 'esp.img'
        make_fat_image(image, files)
        vars_copy = workdir / 'OVMF_VARS.fd'
        shutil.copyfile(OVMF_VARS, vars_copy)
        return ['-drive', f'if=pflash,format=raw,readonly=on,file={OVMF_CODE}',
                '-drive', f'if=pflash,format=raw,file={vars_copy}',
                # bootindex: the ESP boots first even when a test adds disks.
                '-drive', f'if=none,id=esp,format=raw,file={image}',
                '-device', 'ide-hd,drive=esp,bootindex=0']

    def _mica_cfg(self):
        lines = [f'hypervisor = {ESP_DIR}/mica.elf', f'cmdline = {self.cmdline}']
        payloads = self._payloads()
        if self.dom0_kernel:
            _, name, args = payloads.pop(0)
            lines += [f'dom0_kernel = {ESP_DIR}/{name}', f'dom0_cmdline = {args}']
        if self.dom0_initrd:
            _, name, _ = payloads.pop(0)
            lines.append(f'dom0_initrd = {ESP_DIR}/{name}')
        for _, name, args in payloads:
            lines.append(f'module = {ESP_DIR}/{name} {args}'.rstrip())
        return '\n'.join(lines) + '\n'


def unique_names(names):
    """File names safe for GRUB and FAT, made unique by an index prefix."""
    result = []
    for index, name in enumerate(names):
        name = re.sub(r'[^A-Za-z0-9._-]', '_', name)
        if name in result or name in RESERVED_NAMES:
            name = f'{index}-{name}'
        result.append(name)
    return result


def grub_words(text):
    """Quote each word of a command line so GRUB's script parser passes it literally."""
    words = []
    for word in text.split():
        if re.fullmatch(r'[A-Za-z0-9_.,:/=+@%-]+', word):
            words.append(word)
        else:
            words.append("'" + word.replace("'", "'\\''") + "'")
    return ' '.join(words)


def copy_file(src, dest):
    src = Path(src)
    if not src.is_file():
        raise MediumError(f'{src} not found (run make first?)')
    shutil.copyfile(src, dest)


def make_fat_image(image, files):
    """A FAT image holding files ({ESP path: source}), sized from them with a margin."""
    for src in files.values():
        if not Path(src).is_file():
            raise MediumError(f'{src} not found (run make first?)')
    payload = sum(-(-Path(src).stat().st_size // 4096) * 4096 for src in files.values())
    sectors = (payload + payload // 8 + (4 << 20)) // 512
    with open(image, 'wb') as f:
        f.truncate(sectors * 512)
    img = f'-i{image}'
    run_tool(['mformat', img, '-v', 'MICA', '-h', '64', '-s', '32', '-T', str(sectors), '::'])
    dirs = sorted({parent for dest in files for parent in Path(dest).parents
                   if str(parent) != '/'}, key=lambda p: len(p.parts))
    if dirs:
        run_tool(['mmd', img] + [f'::{d}' for d in dirs])
    for dest, src in files.items():
        run_tool(['mcopy', img, str(src), f'::{dest}'])


def run_tool(argv):
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise MediumError(f'{argv[0]} failed ({result.returncode}):\n{result.stdout}')
