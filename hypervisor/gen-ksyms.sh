#!/bin/sh
# Emits assembly for the hypervisor's table of function addresses and names
# (struct ksym in mica/ksyms.h), sorted by address, from a linked ELF.
set -e
nm -n --defined-only "$1" | awk '
    $2 ~ /^[tT]$/ { addr[n] = $1; name[n] = $3; n++ }
    END {
        print "    .section .ksyms, \"a\""
        print "    .balign 8"
        print "    .globl ksym_table, ksym_count"
        print "ksym_count:"
        print "    .quad " n
        print "ksym_table:"
        for (i = 0; i < n; i++)
            printf "    .quad 0x%s, ksym_name_%d\n", addr[i], i
        for (i = 0; i < n; i++)
            printf "ksym_name_%d: .asciz \"%s\"\n", i, name[i]
    }'
