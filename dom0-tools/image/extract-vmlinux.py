#!/usr/bin/env python3
"""Extract the ELF vmlinux from a Debian vmlinuz (bzImage) and check its PVH entry note.

Mica (and QEMU's -kernel) load the ELF through XEN_ELFNOTE_PHYS32_ENTRY, so
the guest never runs the bzImage's own decompressor.
"""

import argparse
import lzma
import os
import struct
import sys

# x86 boot protocol header fields (Documentation/arch/x86/boot.rst).
SETUP_SECTS = 0x1f1
HEADER_MAGIC = 0x202            # b'HdrS'
PAYLOAD_OFFSET = 0x248          # from the start of the protected-mode code
PAYLOAD_LENGTH = 0x24c
XZ_MAGIC = b'\xfd7zXZ\x00'

PT_NOTE = 4
XEN_ELFNOTE_PHYS32_ENTRY = 18


class ExtractError(Exception):
    """The input is not the kernel image this tool expects."""


def xz_payload(image):
    """The XZ stream and the uncompressed size from the 4-byte trailer after it."""
    if image[HEADER_MAGIC:HEADER_MAGIC + 4] != b'HdrS':
        raise ExtractError('no x86 boot header (HdrS): not a bzImage')
    setup_sects = image[SETUP_SECTS] or 4
    offset, length = struct.unpack_from('<II', image, PAYLOAD_OFFSET)
    start = (setup_sects + 1) * 512 + offset
    payload = image[start:start + length]
    if len(payload) != length or length < len(XZ_MAGIC) + 4:
        raise ExtractError(f'payload at {start:#x} (+{length:#x}) lies outside the file')
    if not payload.startswith(XZ_MAGIC):
        raise ExtractError(f'payload is not XZ (starts with {payload[:6].hex()}); '
                           'only XZ-compressed kernels are supported')
    # The kernel's build appends the uncompressed size; it is not XZ data.
    size, = struct.unpack('<I', payload[-4:])
    return payload[:-4], size


def phys32_entry(elf):
    """The XEN_ELFNOTE_PHYS32_ENTRY address of an x86-64 ELF, or None."""
    if elf[:4] != b'\x7fELF' or elf[4] != 2 or elf[5] != 1:
        raise ExtractError('the payload is not a 64-bit little-endian ELF')
    phoff, = struct.unpack_from('<Q', elf, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', elf, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(
            '<IIQQQQ', elf, phoff + i * phentsize)
        if p_type != PT_NOTE:
            continue
        pos, end = p_offset, p_offset + p_filesz
        while pos + 12 <= end:
            namesz, descsz, n_type = struct.unpack_from('<III', elf, pos)
            name_at = pos + 12
            desc_at = name_at + (namesz + 3) // 4 * 4
            if elf[name_at:name_at + namesz] == b'Xen\0' and n_type == XEN_ELFNOTE_PHYS32_ENTRY:
                fmt = {4: '<I', 8: '<Q'}.get(descsz)
                if fmt is None:
                    raise ExtractError(f'PHYS32_ENTRY note has a {descsz}-byte value')
                return struct.unpack_from(fmt, elf, desc_at)[0]
            pos = desc_at + (descsz + 3) // 4 * 4
    return None


def extract(vmlinuz, out):
    """Write the ELF inside vmlinuz to out (atomically); return (size, PVH entry)."""
    with open(vmlinuz, 'rb') as f:
        stream, size = xz_payload(f.read())
    try:
        elf = lzma.decompress(stream, format=lzma.FORMAT_XZ)
    except lzma.LZMAError as e:
        raise ExtractError(f'XZ payload does not decompress: {e}') from None
    if len(elf) != size:
        raise ExtractError(f'decompressed {len(elf)} bytes, the size trailer says {size}')
    entry = phys32_entry(elf)
    if entry is None:
        raise ExtractError('the ELF has no XEN_ELFNOTE_PHYS32_ENTRY note: '
                           'this kernel cannot boot through PVH')
    tmp = f'{out}.tmp'
    with open(tmp, 'wb') as f:
        f.write(elf)
    os.replace(tmp, out)
    return len(elf), entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('vmlinuz', help='the bzImage, e.g. /boot/vmlinuz-6.1.0-56-amd64')
    parser.add_argument('vmlinux', help='where to write the ELF')
    args = parser.parse_args()
    try:
        size, entry = extract(args.vmlinuz, args.vmlinux)
    except (OSError, ExtractError) as e:
        print(f'extract-vmlinux: {args.vmlinuz}: {e}', file=sys.stderr)
        return 1
    print(f'extract-vmlinux: {args.vmlinux}: {size / 2**20:.1f} MiB, PVH entry {entry:#x}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
