#!/bin/sh
# Run in Mica's dom0 by init (mica.run=mxl-create.sh): create the benchmark
# domU with mxl and its console on ours (dom0's /init has started
# mica-xenstored and mica-consoled). The harness times from the "creating"
# line to the domU init's markers, as for Xen's xl-create.sh.
echo "bench-mica: creating domU"
mxl create -c /bench/domu-mica.cfg
echo "bench-mica: FAILED: mxl create -c exited with status $?"
