/*
 * Everything a test guest uses: the runtime (output, checks, hypercalls,
 * CPUID, command line) and the guest ABI headers. A guest defines
 * guest_name and guest_main(); the runtime calls guest_main() once the
 * CPU is in long mode and prints the RESULT line when it returns.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/cpuid.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/hvm_op.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/start_info.h>
#include <xen/vcpu.h>
#include <xen/version.h>

#include "cmdline.h"
#include "console.h"
#include "cpuid.h"
#include "hypercall.h"
#include "string.h"
#include "test.h"

void guest_main(const struct hvm_start_info *si);

#endif
