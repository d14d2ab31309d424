#!/bin/sh
# Run in Xen's dom0 by init (mica.run=xl-create.sh): start Xen's toolstack,
# then create the benchmark domU with its console on ours. The harness times
# from the "creating" line to the domU init's markers.
xen=/usr/lib/xen-4.17/bin

say() {
    echo "bench-xen: $*"
}

fail() {
    say "FAILED: $*"
    exit 1
}

$xen/xenstored --pid-file=/var/run/xenstored.pid || fail "xenstored"
$xen/xen-init-dom0 >/tmp/xen-init-dom0.log 2>&1 || {
    cat /tmp/xen-init-dom0.log
    fail "xen-init-dom0"
}
$xen/xenconsoled --pid-file=/var/run/xenconsoled.pid || fail "xenconsoled"
say "toolstack started"
say "creating domU"
# xl attaches the domU's console and stays until the domU is gone.
$xen/xl create -c /bench/domu.cfg
say "FAILED: xl create -c exited with status $?"
