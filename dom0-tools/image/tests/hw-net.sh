#!/bin/sh
# Brings up the first Ethernet NIC with the address given as mica.ip=A/N
# and, with mica.peer=B, pings B (boot with mica.run=hw-net.sh). The
# addresses are link-local: they exist only on the emulated wire, a QEMU
# socket netdev on 127.0.0.1.
for word in $(cat /proc/cmdline); do
    case "$word" in
        mica.ip=*) ip=${word#mica.ip=} ;;
        mica.peer=*) peer=${word#mica.peer=} ;;
    esac
done
tries=0
while [ ! -e /sys/class/net/eth0 ] && [ "$tries" -lt 100 ]; do
    sleep 0.2
    tries=$((tries + 1))
done
if [ ! -e /sys/class/net/eth0 ]; then
    echo "mica-test: hw-net FAILED: no eth0"
    exit 1
fi
ip link set eth0 up
ip addr add "$ip" dev eth0
# The driver reports the link a second or two after it comes up; packets
# sent before that are dropped.
tries=0
while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ "$tries" -lt 300 ]; do
    sleep 0.2
    tries=$((tries + 1))
done
echo "mica-test: eth0 up as $ip, carrier $(cat /sys/class/net/eth0/carrier 2>/dev/null)"
if [ -z "$peer" ]; then
    echo "mica-test: hw-net waiting"
    exec sleep 100000
fi
if ping -c 3 -w 60 "$peer" >/tmp/ping.out 2>&1; then
    cat /tmp/ping.out
    echo "mica-test: hw-net done"
else
    cat /tmp/ping.out
    # What the NIC saw, for whoever reads the log.
    grep eth0 /proc/interrupts
    ip -s link show eth0
    dmesg | grep -i e1000 | tail -5
    echo "mica-test: hw-net FAILED: no answer from $peer"
    exit 1
fi
