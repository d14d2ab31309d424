#!/bin/bash
# The benchmark's dom0 initramfs: Mica's dom0 initramfs, unchanged, followed
# by a second, uncompressed newc archive (Linux unpacks concatenated
# archives in order) that adds
#   - Xen's toolstack (xl, xenstored, xenconsoled, xenconsole, xen-init-dom0)
#     with the shared libraries ldd reports, from the unpacked packages or
#     the host, plus libgcc_s (glibc loads it at run time for xl's threads);
#   - the domU that `xl create` starts: the ELF vmlinux and the domU initramfs;
#   - bench/xen/xl-create.sh in /mica/tests and the domU's xl config, and
#     the same for Mica's mxl (bench/mica/).
# Uncompressed, so that unpacking it costs dom0 a copy, not a decompression
# run instruction by instruction under TCG.
#
# Usage: make-initrd.sh XEN_ROOT DOM0_INITRD VMLINUX DOMU_INITRD STAGE OUT
set -euo pipefail

die() {
    echo "bench/xen/make-initrd: $*" >&2
    exit 1
}

[ $# -eq 6 ] || die "usage: make-initrd.sh XEN_ROOT DOM0_INITRD VMLINUX DOMU_INITRD STAGE OUT"
xen_root=$(realpath "$1") dom0_initrd=$2 vmlinux=$3 domu_initrd=$4 stage=$5 out=$6
here=$(dirname "$0")
bindir=usr/lib/xen-4.17/bin
tools="xl xenstored xenconsoled xenconsole xen-init-dom0"
libdir=usr/lib/x86_64-linux-gnu

for f in "$dom0_initrd" "$vmlinux" "$domu_initrd"; do
    [ -f "$f" ] || die "$f not found (make dom0-image domu-image)"
done

rm -rf "$stage"
mkdir -p "$stage/$bindir" "$stage/mica/tests" "$stage/bench" \
    "$stage"/var/{lib/xen,lib/xenstored,lock,log/xen/console,run/xen,run/xenstored} \
    "$stage/etc/xen"
# xl reads its global config (defaults suffice) and complains when it is missing.
: >"$stage/etc/xen/xl.conf"

# A file at the same path in the image; ones from the unpacked packages drop
# the XEN_ROOT prefix.
install_file() {
    local dest=${1#"$xen_root"}
    mkdir -p "$stage/$(dirname "$dest")"
    cp -L "$1" "$stage/$dest"
}

for tool in $tools; do
    [ -x "$xen_root/$bindir/$tool" ] || die "$xen_root/$bindir/$tool missing (fetch-xen.sh)"
    install_file "$xen_root/$bindir/$tool"
    libs=$(LD_LIBRARY_PATH=$xen_root/$libdir ldd "$xen_root/$bindir/$tool") ||
        die "ldd $tool failed"
    if grep -q 'not found' <<<"$libs"; then
        die "$tool needs libraries neither the packages nor the host have:"$'\n'"$(grep 'not found' <<<"$libs")"
    fi
    while read -r lib; do
        install_file "$lib"
    done < <(sed -n -e 's/^.*=> \(\/[^ ]*\) (0x.*$/\1/p' \
                    -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p' <<<"$libs")
done
libgcc=$(ldconfig -p | sed -n 's/^[[:space:]]*libgcc_s.so.1 (libc6,x86-64) => //p' | head -n 1)
[ -n "$libgcc" ] || die "no libgcc_s.so.1 on this host"
install_file "$libgcc"

cp "$vmlinux" "$stage/bench/vmlinux"
cp "$domu_initrd" "$stage/bench/domu-initrd.img"
cp "$here/domu.cfg" "$stage/bench/domu.cfg"
install -m 755 "$here/xl-create.sh" "$stage/mica/tests/xl-create.sh"
cp "$here/../mica/domu.cfg" "$stage/bench/domu-mica.cfg"
install -m 755 "$here/../mica/mxl-create.sh" "$stage/mica/tests/mxl-create.sh"

find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
# Linux takes an uncompressed archive only at a 4-byte aligned offset (it
# skips zero bytes between archives): pad the compressed one.
{
    cat "$dom0_initrd"
    head -c $(( (4 - $(stat -c %s "$dom0_initrd") % 4) % 4 )) /dev/zero
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
        cpio --quiet -o -H newc -R 0:0 --reproducible)
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "bench/xen/make-initrd: $out: $(du -k "$out" | cut -f1) KiB"
