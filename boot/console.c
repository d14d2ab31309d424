/* Loader messages on ConOut, which OVMF also mirrors to the serial port. */
#include "loader.h"

/* gnu-efi's Print already turns "\n" into "\r\n" for the terminal. */

void boot_say(const CHAR16 *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    Print(L"mica-boot: ");
    VPrint(fmt, args);
    Print(L"\n");
    va_end(args);
}

EFI_STATUS boot_fail(EFI_STATUS status, const CHAR16 *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    Print(L"mica-boot: error: ");
    VPrint(fmt, args);
    Print(L"\n");
    va_end(args);
    return status;
}
