#!/bin/sh
# Fetch the Debian kernel package that dom0 and domU boot and unpack it into
# the build tree (never into the host): `apt-get download` once per package,
# `dpkg-deb -x` once per .deb, then depmod over the unpacked modules.
#
# Usage: fetch-kernel.sh PACKAGE PKG_DIR VERSION_FILE
# Leaves PKG_DIR/PACKAGE/{*.deb,root/}, the symlink PKG_DIR/root to that tree,
# PKG_DIR/kernel.stamp (package and .deb name) and VERSION_FILE (the kernel
# release, as `uname -r` prints it). The last two are rewritten only when
# their content changes, so make rebuilds the images only after a change.
set -eu

die() {
    echo "fetch-kernel: $*" >&2
    exit 1
}

# Write stdin to FILE only when it differs from FILE's content.
write_if_changed() {
    cat >"$1.tmp"
    if cmp -s "$1.tmp" "$1"; then rm -f "$1.tmp"; else mv "$1.tmp" "$1"; fi
}

[ $# -eq 3 ] || die "usage: fetch-kernel.sh PACKAGE PKG_DIR VERSION_FILE"
package=$1 pkg_dir=$2 version_file=$3

[ -n "$package" ] || die "no kernel package: apt-cache could not tell which package
  linux-image-amd64 depends on. Try 'apt-get update', or name the package:
  make dom0-image IMAGE_KERNEL_PACKAGE=linux-image-<abi>-amd64"
case $package in
    *[!a-z0-9.+-]*) die "'$package' is not a Debian package name" ;;
esac

dir=$pkg_dir/$package
mkdir -p "$dir"

deb=$(find "$dir" -maxdepth 1 -name "${package}_*.deb" | sort | tail -n 1)
if [ -z "$deb" ]; then
    echo "fetch-kernel: downloading $package with apt-get download"
    rm -rf "$dir/download"
    mkdir "$dir/download"
    # APT::Sandbox::User=root: the build tree need not be readable by _apt.
    if ! (cd "$dir/download" && apt-get download -q -o APT::Sandbox::User=root "$package"); then
        rm -rf "$dir/download"
        rmdir "$dir" 2>/dev/null || true
        die "apt-get download $package failed. Try 'apt-get update'; check the
  name with 'apt-cache policy $package'; or pick another package with
  make dom0-image IMAGE_KERNEL_PACKAGE=<name>"
    fi
    mv "$dir"/download/*.deb "$dir/"
    rmdir "$dir/download"
    deb=$(find "$dir" -maxdepth 1 -name "${package}_*.deb" | sort | tail -n 1)
    [ -n "$deb" ] || die "apt-get download $package left no ${package}_*.deb"
fi

# Unpack (again) only when root/ does not come from this .deb.
root=$dir/root
if [ "$(cat "$root/.mica-unpacked-from" 2>/dev/null)" != "${deb##*/}" ]; then
    rm -rf "$root" "$root.tmp"
    dpkg-deb -x "$deb" "$root.tmp" ||
        die "dpkg-deb -x $deb failed (a damaged download? delete it and retry)"
    set -- "$root.tmp"/lib/modules/*/
    if [ $# -ne 1 ] || [ ! -d "$1" ]; then
        die "$deb: expected one directory in /lib/modules, found: $*"
    fi
    release=$(basename "$1")
    [ -f "$root.tmp/boot/vmlinuz-$release" ] || die "$deb has no /boot/vmlinuz-$release"
    # The package ships no modules.dep; modprobe needs one.
    depmod -b "$root.tmp" "$release" || die "depmod over $root.tmp failed"
    echo "${deb##*/}" >"$root.tmp/.mica-unpacked-from"
    mv "$root.tmp" "$root"
fi

set -- "$root"/lib/modules/*/
release=$(basename "$1")
ln -sfn "$package/root" "$pkg_dir/root"
echo "$package ${deb##*/}" | write_if_changed "$pkg_dir/kernel.stamp"
mkdir -p "$(dirname "$version_file")"
echo "$release" | write_if_changed "$version_file"
