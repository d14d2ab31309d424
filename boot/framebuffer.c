/* Describes the GOP framebuffer in boot_info, when there is a linear one. */
#include "loader.h"

/* Position and width of a contiguous colour mask. */
static void mask_field(UINT32 mask, UINT8 *pos, UINT8 *size)
{
    *pos = 0;
    *size = 0;
    if (mask == 0)
        return;
    while (!(mask & 1)) {
        mask >>= 1;
        (*pos)++;
    }
    while (mask & 1) {
        mask >>= 1;
        (*size)++;
    }
}

static void set_channels(struct boot_framebuffer *fb, UINT8 red, UINT8 green, UINT8 blue)
{
    fb->bpp = 32;
    fb->red_pos = red;
    fb->green_pos = green;
    fb->blue_pos = blue;
    fb->red_size = fb->green_size = fb->blue_size = 8;
}

/* Bits per pixel for a bitmask format: up to the highest bit any mask uses, in whole bytes. */
static UINT8 mask_bpp(const EFI_PIXEL_BITMASK *m)
{
    UINT32 all = m->RedMask | m->GreenMask | m->BlueMask | m->ReservedMask;
    UINT8 bits = 0;

    while (all != 0) {
        all >>= 1;
        bits++;
    }
    return (UINT8)((bits + 7) & ~7);
}

void find_framebuffer(struct boot_info *bi)
{
    struct boot_framebuffer *fb = &bi->fb;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
    EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;

    if (EFI_ERROR(BS->LocateProtocol(&GraphicsOutputProtocol, NULL, (void **)&gop)) ||
        gop->Mode == NULL || gop->Mode->Info == NULL)
        return;
    info = gop->Mode->Info;
    switch (info->PixelFormat) {
    case PixelRedGreenBlueReserved8BitPerColor:
        set_channels(fb, 0, 8, 16);
        break;
    case PixelBlueGreenRedReserved8BitPerColor:
        set_channels(fb, 16, 8, 0);
        break;
    case PixelBitMask:
        fb->bpp = mask_bpp(&info->PixelInformation);
        mask_field(info->PixelInformation.RedMask, &fb->red_pos, &fb->red_size);
        mask_field(info->PixelInformation.GreenMask, &fb->green_pos, &fb->green_size);
        mask_field(info->PixelInformation.BlueMask, &fb->blue_pos, &fb->blue_size);
        break;
    default:
        /* BltOnly: no linear framebuffer to hand over. */
        return;
    }
    fb->base = gop->Mode->FrameBufferBase;
    fb->width = info->HorizontalResolution;
    fb->height = info->VerticalResolution;
    fb->pitch = info->PixelsPerScanLine * (fb->bpp / 8);
}
