#!/bin/sh
# Fetch Debian's Xen 4.17 (hypervisor, toolstack and the libraries the
# toolstack needs) into the build tree, never into the host: `apt-get
# download` once per package, `dpkg-deb -x` once per .deb into PKG_DIR/root.
# `apt-get update` runs only when a download fails.
#
# Usage: fetch-xen.sh PKG_DIR PACKAGE...
# Leaves PKG_DIR/*.deb, PKG_DIR/root/ and PKG_DIR/versions (package version
# lines), rewritten only when they change.
set -eu

die() {
    echo "fetch-xen: $*" >&2
    exit 1
}

[ $# -ge 2 ] || die "usage: fetch-xen.sh PKG_DIR PACKAGE..."
pkg_dir=$1
shift
mkdir -p "$pkg_dir"
cd "$pkg_dir"

missing=''
for package in "$@"; do
    case $package in
        *[!a-z0-9.+-]*) die "'$package' is not a Debian package name" ;;
    esac
    ls "${package}"_*.deb >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
    echo "fetch-xen: downloading$missing with apt-get download"
    # APT::Sandbox::User=root: the build tree need not be readable by _apt.
    # shellcheck disable=SC2086
    if ! apt-get download -q -o APT::Sandbox::User=root $missing; then
        echo "fetch-xen: download failed; running apt-get update once and retrying"
        SUDO=''
        [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get update -qq || die "apt-get update failed"
        # shellcheck disable=SC2086
        apt-get download -q -o APT::Sandbox::User=root $missing ||
            die "apt-get download$missing failed"
    fi
fi

# Unpack again only when the set of .debs changed.
debs=$(for package in "$@"; do ls "${package}"_*.deb | sort | tail -n 1; done)
if [ "$(cat root/.unpacked-from 2>/dev/null)" != "$debs" ]; then
    rm -rf root root.tmp
    mkdir root.tmp
    for deb in $debs; do
        dpkg-deb -x "$deb" root.tmp || die "dpkg-deb -x $deb failed (delete it and retry)"
    done
    echo "$debs" >root.tmp/.unpacked-from
    mv root.tmp root
fi

for deb in $debs; do
    dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb"
done >versions.tmp
if cmp -s versions.tmp versions; then rm versions.tmp; else mv versions.tmp versions; fi
