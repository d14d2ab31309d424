#!/bin/sh
# dom0 reads a file from the disk QEMU attaches as virtio-blk (boot with
# mica.run=hw-disk.sh). The disk is ext4 with mica-disk-test.txt on it.
mkdir -p /mnt/disk
tries=0
while [ ! -b /dev/vda ] && [ "$tries" -lt 100 ]; do
    sleep 0.2
    tries=$((tries + 1))
done
if [ ! -b /dev/vda ]; then
    echo "mica-test: hw-disk FAILED: no /dev/vda"
    exit 1
fi
if ! mount -t ext4 -o ro /dev/vda /mnt/disk; then
    echo "mica-test: hw-disk FAILED: cannot mount /dev/vda"
    exit 1
fi
echo "mica-test: disk file says: $(cat /mnt/disk/mica-disk-test.txt)"
umount /mnt/disk
# How the disk's interrupts arrived (an I/O APIC line, since MSI is hidden).
grep virtio /proc/interrupts | sed 's/^/mica-test: interrupts: /'
echo "mica-test: hw-disk done"
