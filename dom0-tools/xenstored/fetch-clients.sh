#!/bin/sh
# Fetch Debian's xenstore clients (xenstore-utils) and the libraries they
# load (libxenstore4, libxentoolcore1) and unpack them into the build tree,
# never into the host: `apt-get download` + `dpkg-deb -x`. Run them with
# LD_LIBRARY_PATH=DIR/root/usr/lib/x86_64-linux-gnu.
#
# Usage: fetch-clients.sh DIR     (leaves DIR/*.deb and DIR/root/)
set -eu

die() {
    echo "fetch-clients: $*" >&2
    exit 1
}

[ $# -eq 1 ] || die "usage: fetch-clients.sh DIR"
dir=$1
packages="xenstore-utils libxenstore4 libxentoolcore1"
mkdir -p "$dir"

for package in $packages; do
    if [ -z "$(find "$dir" -maxdepth 1 -name "${package}_*.deb")" ]; then
        echo "fetch-clients: downloading $package with apt-get download"
        rm -rf "$dir/download"
        mkdir "$dir/download"
        # APT::Sandbox::User=root: the build tree need not be readable by _apt.
        (cd "$dir/download" && apt-get download -q -o APT::Sandbox::User=root "$package") ||
            die "apt-get download $package failed; try 'apt-get update'"
        mv "$dir"/download/*.deb "$dir/"
        rmdir "$dir/download"
    fi
done

rm -rf "$dir/root.tmp"
mkdir "$dir/root.tmp"
for deb in "$dir"/*.deb; do
    dpkg-deb -x "$deb" "$dir/root.tmp" || die "dpkg-deb -x $deb failed"
done
rm -rf "$dir/root"
mv "$dir/root.tmp" "$dir/root"
[ -x "$dir/root/usr/bin/xenstore-read" ] || die "no usr/bin/xenstore-read in the packages"
echo "fetch-clients: xenstore-utils unpacked in $dir/root"
