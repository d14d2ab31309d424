#!/bin/sh
# Example /mica/tests script (boot with mica.run=modules-present.sh): reports
# where modinfo finds each module that /init loads, then a summary line.
missing=0
while read -r module; do
    # busybox modinfo knows modules by their kernel names: xen_evtchn.
    name=$(echo "$module" | tr - _)
    if file=$(modinfo -F filename "$name" 2>/dev/null) && [ -f "$file" ]; then
        echo "mica-test: module $module at $file"
    else
        echo "mica-test: module $module MISSING"
        missing=$((missing + 1))
    fi
done </etc/mica/modules
echo "mica-test: modules-present done, $missing missing"
[ "$missing" -eq 0 ]
