/*
 * Indices of the per-domain HVM parameters read and written with
 * HVMOP_get_param / HVMOP_set_param, and the values some of them take.
 */
#ifndef MICA_PUBLIC_XEN_HVM_PARAMS_H
#define MICA_PUBLIC_XEN_HVM_PARAMS_H

/*
 * How event-channel upcalls reach the guest. The top byte of the value is
 * the type; for HVM_PARAM_CALLBACK_TYPE_VECTOR the low byte is the IDT
 * vector, injected directly without the local APIC.
 */
#define HVM_PARAM_CALLBACK_IRQ            0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK  0xFF00000000000000ULL
#define HVM_PARAM_CALLBACK_TYPE_GSI       0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX  1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR    2

#define HVM_PARAM_STORE_PFN               1   /* xenstore ring page (GFN) */
#define HVM_PARAM_STORE_EVTCHN            2   /* xenstore event channel */
#define HVM_PARAM_PAE_ENABLED             4   /* retired */
#define HVM_PARAM_IOREQ_PFN               5
#define HVM_PARAM_BUFIOREQ_PFN            6
#define HVM_PARAM_VIRIDIAN                9
#define HVM_PARAM_TIMER_MODE             10   /* HVMPTM_* */
#define HVM_PARAM_HPET_ENABLED           11
#define HVM_PARAM_IDENT_PT               12
#define HVM_PARAM_DM_DOMAIN              13   /* retired */
#define HVM_PARAM_ACPI_S_STATE           14
#define HVM_PARAM_VM86_TSS               15
#define HVM_PARAM_VPT_ALIGN              16
#define HVM_PARAM_CONSOLE_PFN            17   /* console ring page (GFN) */
#define HVM_PARAM_CONSOLE_EVTCHN         18   /* console event channel */
#define HVM_PARAM_ACPI_IOPORTS_LOCATION  19
#define HVM_PARAM_MEMORY_EVENT_CR0       20   /* retired */
#define HVM_PARAM_MEMORY_EVENT_CR3       21   /* retired */
#define HVM_PARAM_MEMORY_EVENT_CR4       22   /* retired */
#define HVM_PARAM_MEMORY_EVENT_INT3      23   /* retired */
#define HVM_PARAM_NESTEDHVM              24   /* retired */
#define HVM_PARAM_MEMORY_EVENT_SINGLE_STEP 25 /* retired */
#define HVM_PARAM_BUFIOREQ_EVTCHN        26   /* retired */
#define HVM_PARAM_PAGING_RING_PFN        27
#define HVM_PARAM_MONITOR_RING_PFN       28
#define HVM_PARAM_SHARING_RING_PFN       29
#define HVM_PARAM_MEMORY_EVENT_MSR       30   /* retired */
#define HVM_PARAM_TRIPLE_FAULT_REASON    31   /* SHUTDOWN_* on a triple fault */
#define HVM_PARAM_IOREQ_SERVER_PFN       32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES  33
#define HVM_PARAM_VM_GENERATION_ID_ADDR  34
#define HVM_PARAM_ALTP2M                 35   /* XEN_ALTP2M_* */
#define HVM_PARAM_X87_FIP_WIDTH          36
#define HVM_PARAM_VM86_TSS_SIZED         37
#define HVM_PARAM_MCA_CAP                38   /* XEN_HVM_MCA_CAP_* */
#define HVM_NR_PARAMS                    39

/* HVM_PARAM_TIMER_MODE values */
#define HVMPTM_delay_for_missed_ticks     0
#define HVMPTM_no_delay_for_missed_ticks  1
#define HVMPTM_no_missed_ticks_pending    2
#define HVMPTM_one_missed_tick_pending    3

/* HVM_PARAM_ALTP2M values */
#define XEN_ALTP2M_disabled  0
#define XEN_ALTP2M_mixed     1
#define XEN_ALTP2M_external  2
#define XEN_ALTP2M_limited   3

/* HVM_PARAM_MCA_CAP bits */
#define XEN_HVM_MCA_CAP_LMCE  (1ULL << 0)
#define XEN_HVM_MCA_CAP_MASK  XEN_HVM_MCA_CAP_LMCE

#endif
