/*
 * Feature bits returned by xen_version(XENVER_get_features), submap 0.
 * A guest that cannot read them must assume every bit is clear.
 */
#ifndef MICA_PUBLIC_XEN_FEATURES_H
#define MICA_PUBLIC_XEN_FEATURES_H

#define XENFEAT_writable_page_tables        0
#define XENFEAT_writable_descriptor_tables  1
#define XENFEAT_auto_translated_physmap     2   /* guest frames are GFNs, not MFNs */
#define XENFEAT_supervisor_mode_kernel      3
#define XENFEAT_pae_pgdir_above_4gb         4
#define XENFEAT_mmu_pt_update_preserve_ad   5
#define XENFEAT_highmem_assist              6
#define XENFEAT_gnttab_map_avail_bits       7
#define XENFEAT_hvm_callback_vector         8   /* HVM_PARAM_CALLBACK_IRQ type 2 works */
#define XENFEAT_hvm_safe_pvclock            9   /* pvclock usable by HVM/PVH guests */
#define XENFEAT_hvm_pirqs                  10   /* physical IRQs as event channels */
#define XENFEAT_dom0                       11
/* 12 is retired (grant mappings at pfn == mfn). */
#define XENFEAT_memory_op_vnode_supported  13
#define XENFEAT_ARM_SMCCC_supported        14
#define XENFEAT_linux_rsdp_unrestricted    15
#define XENFEAT_not_direct_mapped          16
#define XENFEAT_direct_mapped              17
#define XENFEAT_runstate_phys_area         18
#define XENFEAT_vcpu_time_phys_area        19
#define XENFEAT_dm_msix_all_writes         20

/* How many 32-bit submaps exist (valid submap_idx values are below this). */
#define XENFEAT_NR_SUBMAPS  1

#endif
