#!/bin/sh
# /mica/tests script (mica.run=xenstore-dom0.sh, or `sh /mica/tests/xenstore-dom0.sh`
# in dom0): Debian's xenstore clients against mica-xenstored, once over its
# socket and once through dom0's own kernel xenbus (/dev/xen/xenbus), plus
# the nodes the kernel itself wrote. One line per check, then a summary.
failed=0
sock=/var/run/xenstored/socket

check() {   # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "mica-test: xenstore $1: ok"
    else
        echo "mica-test: xenstore $1: FAILED (wanted '$2', got '$3')"
        failed=$((failed + 1))
    fi
}

if [ ! -S "$sock" ]; then
    echo "mica-test: xenstore daemon: FAILED (no $sock; is mica-xenstored running?)"
    echo "mica-test: xenstore-dom0 done, 1 failed"
    exit 1
fi

# Over the socket.
export XENSTORED_PATH=$sock
xenstore-write /mica-test/a one /mica-test/b two
check socket-read one "$(xenstore-read /mica-test/a)"
check socket-list "a b" "$(xenstore-list /mica-test | tr '\n' ' ' | sed 's/ $//')"
xenstore-chmod /mica-test/b n0 r1
check socket-chmod "/mica-test/b: two (n0,r1)" "$(xenstore-ls -p /mica-test | sed -n 's/^b = "\(.*\)" .*(\(.*\))$/\/mica-test\/b: \1 (\2)/p')"
xenstore-rm /mica-test/a
xenstore-exists /mica-test/a
check socket-rm 1 "$?"

# Through the kernel: /dev/xen/xenbus is the kernel's xenbus, which talks
# to the daemon over the ring /dev/xen/xenbus_backend gave it.
unset XENSTORED_PATH
check kernel-read two "$(xenstore-read /mica-test/b)"
xenstore-write /mica-test/c three
check kernel-write three "$(XENSTORED_PATH=$sock xenstore-read /mica-test/c)"
# The kernel announces its shutdown support under its own home at boot.
check kernel-nodes 1 "$(xenstore-read /local/domain/0/control/feature-poweroff)"

# A watch through the kernel sees a change made over the socket.
xenstore-watch -n 2 /mica-test/w >/tmp/xenstore-watch.out &
watcher=$!
tries=0
while [ ! -s /tmp/xenstore-watch.out ] && [ "$tries" -lt 50 ]; do
    sleep 0.1
    tries=$((tries + 1))
done
XENSTORED_PATH=$sock xenstore-write /mica-test/w/x 1
tries=0
while kill -0 "$watcher" 2>/dev/null && [ "$tries" -lt 50 ]; do
    sleep 0.1
    tries=$((tries + 1))
done
kill "$watcher" 2>/dev/null
check watch "/mica-test/w /mica-test/w/x" "$(tr '\n' ' ' </tmp/xenstore-watch.out | sed 's/ $//')"

XENSTORED_PATH=$sock xenstore-rm /mica-test
echo "mica-test: xenstore-dom0 done, $failed failed"
[ "$failed" -eq 0 ]
