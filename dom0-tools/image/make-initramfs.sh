#!/bin/bash
# Build a dom0 or domU initramfs (newc cpio, gzip): static busybox with its
# applet links (poweroff, reboot and halt go to our stop script), the named kernel modules and their dependencies (with a
# depmod index of just those), extra binaries with the shared libraries ldd
# reports and the dynamic loader, test scripts in /mica/tests, and our /init.
# Reproducible: fixed owners and timestamps, sorted entries, gzip -n.
set -euo pipefail

usage="usage: make-initramfs.sh --role dom0|domu --kernel-root DIR --release KVER
       --busybox PATH --init FILE --stop FILE --stage DIR --modules-list FILE --out IMG
       [--modules 'NAME...'] [--binaries 'PATH...'] [--tests 'FILE...']
       [--library-path 'DIR[:DIR...]'] [--files 'SRC=/DEST...']"

die() {
    echo "make-initramfs: $*" >&2
    exit 1
}

role='' kernel_root='' release='' busybox='' init='' stop='' stage='' modules_list='' out=''
modules='' binaries='' tests='' library_path='' files=''
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"$'\n'"$usage"
    case $1 in
        --role) role=$2 ;;
        --kernel-root) kernel_root=$2 ;;
        --release) release=$2 ;;
        --busybox) busybox=$2 ;;
        --init) init=$2 ;;
        --stop) stop=$2 ;;
        --stage) stage=$2 ;;
        --modules-list) modules_list=$2 ;;
        --out) out=$2 ;;
        --modules) modules=$2 ;;
        --binaries) binaries=$2 ;;
        --tests) tests=$2 ;;
        --library-path) library_path=$2 ;;
        --files) files=$2 ;;
        *) die "unknown option $1"$'\n'"$usage" ;;
    esac
    shift 2
done
for required in role kernel_root release busybox init stop stage modules_list out; do
    [ -n "${!required}" ] || die "--${required//_/-} is missing"$'\n'"$usage"
done
case $role in dom0|domu) ;; *) die "--role must be dom0 or domu, not '$role'" ;; esac
set -f      # the lists are split on blanks, never expanded as patterns

kernel_root=$(realpath "$kernel_root")
moddir=lib/modules/$release
[ -d "$kernel_root/$moddir" ] || die "no $moddir in $kernel_root (run fetch-kernel.sh first)"

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,root} \
    "$stage"/{etc/mica,mica/tests,"$moddir"}
chmod 1777 "$stage/tmp"
chmod 700 "$stage/root"

# Whether an ELF names a dynamic loader (grep reads all: no SIGPIPE for readelf).
is_dynamic() {
    readelf -l "$1" | grep 'program interpreter' >/dev/null
}

# Busybox, which must not need libraries, and one link per applet.
[ -x "$busybox" ] || die "$busybox not found: install busybox-static (make deps)"
if is_dynamic "$busybox"; then
    die "$busybox is dynamically linked: install busybox-static (make deps)"
fi
cp "$busybox" "$stage/bin/busybox"
# Relative links: nothing in the stage may point at the host's files.
while read -r applet; do
    case $applet in
        bin/*) target=busybox ;;
        */*/*/*) die "busybox applet in an unexpected place: $applet" ;;
        */*/*) target=../../bin/busybox ;;
        */*) target=../bin/busybox ;;
        *) target=bin/busybox ;;
    esac
    [ -e "$stage/$applet" ] || ln -s "$target" "$stage/$applet"
done < <("$busybox" --list-full)

# Modules: each named one and what it depends on, as modprobe resolves them
# from the unpacked kernel's index. Host modprobe.d files must not interfere.
empty_config=$(mktemp -d)
trap 'rm -rf "$empty_config"' EXIT
: >"$stage/etc/mica/modules"
declare -A copied=()
order=()
for module in $modules; do
    if ! deps=$(modprobe -C "$empty_config" -d "$kernel_root" -S "$release" \
            --show-depends "$module" 2>&1); then
        die "module $module: $deps"
    fi
    loadable=''
    while read -r kind path _; do
        [ "$kind" = insmod ] || continue     # "builtin NAME": in the kernel itself
        loadable=yes
        rel=${path#"$kernel_root/$moddir/"}
        if [ -z "${copied[$rel]:-}" ]; then
            copied[$rel]=1
            order+=("$rel")
            mkdir -p "$stage/$moddir/$(dirname "$rel")"
            cp "$path" "$stage/$moddir/$rel"
        fi
    done <<<"$deps"
    # /init loads only what is not built in.
    [ -z "$loadable" ] || echo "$module" >>"$stage/etc/mica/modules"
done
for index in modules.order modules.builtin modules.builtin.modinfo; do
    cp "$kernel_root/$moddir/$index" "$stage/$moddir/"
done
depmod -b "$stage" "$release" || die "depmod over $stage failed"
mkdir -p "$(dirname "$modules_list")"
printf '%s\n' ${order[@]+"${order[@]}"} >"$modules_list"

# Extra binaries in /usr/bin, with every library ldd names at the same path.
# Our files replace busybox applet links instead of writing through them.
# Libraries found through --library-path (packages unpacked in the build
# tree, not installed) go to the image's multiarch library directory.
copy_file() {
    local dest=$1 dir
    local IFS=:
    for dir in $library_path; do
        [ -n "$dir" ] || continue
        case $1 in
            "${dir%/}"/*) dest=/usr/lib/x86_64-linux-gnu/${1##*/} ;;
        esac
    done
    mkdir -p "$stage/$(dirname "$dest")"
    cp -L --remove-destination "$1" "$stage/$dest"
}
for binary in $binaries; do
    if [ ! -f "$binary" ] || [ ! -x "$binary" ]; then
        die "$binary: no such executable (an IMAGE_*_BINARIES entry)"
    fi
    cp --remove-destination "$binary" "$stage/usr/bin/"
    is_dynamic "$binary" || continue
    libs=$(LD_LIBRARY_PATH=$library_path ldd "$binary") || die "ldd $binary failed"
    if grep -q 'not found' <<<"$libs"; then
        die "$binary needs libraries this host lacks:"$'\n'"$(grep 'not found' <<<"$libs")"
    fi
    # "libx.so.1 => /path/libx.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
    while read -r lib; do
        copy_file "$lib"
    done < <(sed -n -e 's/^.*=> \(\/[^ ]*\) (0x.*$/\1/p' \
                    -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p' <<<"$libs")
done

for script in $tests; do
    [ -f "$script" ] || die "$script: no such test script (an IMAGE_*_TESTS entry)"
    cp --remove-destination "$script" "$stage/mica/tests/"
    chmod 755 "$stage/mica/tests/${script##*/}"
done

# Plain files at absolute paths (SRC=/DEST), e.g. the example domU's images.
for pair in $files; do
    src=${pair%%=*} dest=${pair#*=}
    [ -f "$src" ] || die "$src: no such file (an IMAGE_*_FILES entry)"
    case $dest in /*) ;; *) die "$pair: the destination must be absolute" ;; esac
    install -D -m 644 "$src" "$stage$dest"
done

install -m 755 "$init" "$stage/init"
# poweroff, reboot and halt: our script in place of busybox's applets.
install -m 755 "$stop" "$stage/sbin/stop"
for action in poweroff reboot halt; do
    ln -sf stop "$stage/sbin/$action"
done
echo "$role" >"$stage/etc/mica/role"

# The archive: root-owned, timestamps fixed, entries sorted, no gzip name or time.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9 -n >"$out.tmp"
mv "$out.tmp" "$out"
echo "make-initramfs: $out: $role, $(du -k "$out" | cut -f1) KiB, ${#order[@]} modules"
