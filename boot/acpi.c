/* Finds the ACPI RSDP in the UEFI configuration table and copies it into boot_info. */
#include "loader.h"

#define RSDP_V1_LENGTH   20
#define RSDP_REVISION_AT 15

static const UINT8 *find_table(EFI_GUID guid)
{
    UINTN i;

    for (i = 0; i < ST->NumberOfTableEntries; i++) {
        EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

        if (CompareGuid(&t->VendorGuid, &guid) == 0 && CompareMem(t->VendorTable, "RSD PTR ", 8) == 0)
            return t->VendorTable;
    }
    return NULL;
}

void find_rsdp(struct boot_info *bi)
{
    const UINT8 *rsdp = find_table((EFI_GUID)ACPI_20_TABLE_GUID);

    if (rsdp == NULL)
        rsdp = find_table((EFI_GUID)ACPI_TABLE_GUID);
    if (rsdp == NULL) {
        boot_say(L"warning: firmware offers no ACPI RSDP");
        return;
    }
    /* Revision 0 is ACPI 1.0's 20-byte RSDP; 2 and later add the XSDT fields. */
    bi->rsdp_length = rsdp[RSDP_REVISION_AT] >= 2 ? BOOT_RSDP_MAX : RSDP_V1_LENGTH;
    bi->rsdp_phys = (UINT64)(UINTN)rsdp;
    CopyMem(bi->rsdp, rsdp, bi->rsdp_length);
}
