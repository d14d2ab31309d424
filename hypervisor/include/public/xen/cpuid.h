/*
 * The hypervisor's CPUID leaves. They start at XEN_CPUID_FIRST_LEAF, or a
 * multiple of 0x100 above it when another interface sits there first;
 * a guest scans for the signature. Offsets from that base:
 *   +0  EAX: highest leaf; EBX, ECX, EDX: "XenVMMXenVMM"
 *   +1  EAX: major << 16 | minor version
 *   +2  EAX: number of hypercall pages; EBX: MSR that installs the page
 *   +3  time: TSC mode and frequencies (subleaves 0-2)
 *   +4  HVM features (XEN_HVM_CPUID_*) in EAX; vCPU id in EBX, domain id in ECX
 *   +5  PV only
 * Usable from C and assembly.
 */
#ifndef MICA_PUBLIC_XEN_CPUID_H
#define MICA_PUBLIC_XEN_CPUID_H

#define XEN_CPUID_FIRST_LEAF     0x40000000
#define XEN_CPUID_LEAF(i)        (XEN_CPUID_FIRST_LEAF + (i))

#define XEN_CPUID_SIGNATURE_EBX  0x566e6558   /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX  0x65584d4d   /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX  0x4d4d566e   /* "nVMM" */

/* Leaf +2 ECX */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  0
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD   (1 << 0)

/* Leaf +3 subleaf 0: EAX flags, EBX TSC mode. */
#define XEN_CPUID_TSC_EMULATED             (1 << 0)
#define XEN_CPUID_HOST_TSC_RELIABLE        (1 << 1)
#define XEN_CPUID_RDTSCP_INSTR_AVAIL       (1 << 2)
#define XEN_CPUID_TSC_MODE_DEFAULT         0
#define XEN_CPUID_TSC_MODE_ALWAYS_EMULATE  1
#define XEN_CPUID_TSC_MODE_NEVER_EMULATE   2
#define XEN_CPUID_TSC_MODE_PVRDTSCP        3

/* Leaf +4 EAX */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT  (1 << 0)   /* xAPIC accesses virtualized */
#define XEN_HVM_CPUID_X2APIC_VIRT       (1 << 1)   /* x2APIC accesses virtualized */
#define XEN_HVM_CPUID_IOMMU_MAPPINGS    (1 << 2)   /* foreign mappings are in the IOMMU */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT   (1 << 3)   /* EBX holds the vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT     (1 << 4)   /* ECX holds the domain id */
#define XEN_HVM_CPUID_EXT_DEST_ID       (1 << 5)   /* 15-bit MSI/IO-APIC destination ids */
#define XEN_HVM_CPUID_UPCALL_VECTOR     (1 << 6)   /* HVMOP_set_evtchn_upcall_vector works */

/* Leaf +5 EBX */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK  0xff

#define XEN_CPUID_MAX_NUM_LEAVES  5

#endif
