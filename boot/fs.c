/* Files on the ESP the loader was started from, named by ASCII paths. */
#include "loader.h"

/* The loader's own file path, joined from the device path's file nodes. */
static EFI_STATUS image_path(EFI_DEVICE_PATH *node, char *out, size_t cap)
{
    size_t len = 0;

    for (; !IsDevicePathEnd(node); node = NextDevicePathNode(node)) {
        size_t node_len = DevicePathNodeLength(node);
        const UINT8 *name = (const UINT8 *)node + SIZE_OF_FILEPATH_DEVICE_PATH;
        size_t i;

        if (node_len < sizeof(EFI_DEVICE_PATH))
            return boot_fail(EFI_LOAD_ERROR, L"malformed device path for the loader");
        if (DevicePathType(node) != MEDIA_DEVICE_PATH || DevicePathSubType(node) != MEDIA_FILEPATH_DP)
            continue;
        /* A path may be split over several nodes; each adds a component or more. */
        if (len > 0 && out[len - 1] != '\\')
            out[len++] = '\\';
        /* Device path nodes are byte-packed: read the UCS-2 name a byte at a time. */
        for (i = SIZE_OF_FILEPATH_DEVICE_PATH; i + 1 < node_len; i += 2, name += 2) {
            UINT16 c = (UINT16)(name[0] | name[1] << 8);

            if (c == 0)
                break;
            if (c >= 0x80 || len + 2 >= cap)
                return boot_fail(EFI_UNSUPPORTED, L"the loader's own path is not short plain ASCII");
            if (c == '/')
                c = '\\';
            /* Node boundaries may double a separator; the file protocol wants single ones. */
            if (c == '\\' && len > 0 && out[len - 1] == '\\')
                continue;
            out[len++] = (char)c;
        }
    }
    out[len] = '\0';
    if (len == 0)
        return boot_fail(EFI_NOT_FOUND, L"cannot tell which directory the loader was started from");
    return EFI_SUCCESS;
}

EFI_STATUS volume_open(EFI_HANDLE image, struct boot_volume *vol)
{
    EFI_LOADED_IMAGE *loaded;
    EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
    EFI_STATUS status;
    size_t cut = 0;
    size_t i;

    status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded);
    if (EFI_ERROR(status))
        return boot_fail(status, L"no LoadedImage protocol for the loader: %r", status);
    status = BS->HandleProtocol(loaded->DeviceHandle, &FileSystemProtocol, (void **)&fs);
    if (EFI_ERROR(status))
        return boot_fail(status, L"the loader's device has no FAT file system: %r", status);
    /* Room for "\mica.cfg" after the directory. */
    status = image_path(loaded->FilePath, vol->dir, sizeof(vol->dir) - 16);
    if (EFI_ERROR(status))
        return status;
    for (i = 0; vol->dir[i] != '\0'; i++)
        if (vol->dir[i] == '\\')
            cut = i;
    vol->dir[cut] = '\0';
    status = fs->OpenVolume(fs, &vol->root);
    if (EFI_ERROR(status))
        return boot_fail(status, L"cannot open the loader's volume: %r", status);
    return EFI_SUCCESS;
}

void volume_close(struct boot_volume *vol)
{
    vol->root->Close(vol->root);
}

EFI_STATUS file_open(struct boot_volume *vol, const char *path, EFI_FILE_HANDLE *file, UINT64 *size)
{
    CHAR16 wide[CFG_PATH_MAX];
    EFI_FILE_INFO *info;
    EFI_STATUS status;
    UINT64 attribute;
    size_t i;

    for (i = 0; i + 1 < CFG_PATH_MAX && path[i] != '\0'; i++)
        wide[i] = (CHAR16)(unsigned char)path[i];
    wide[i] = 0;
    status = vol->root->Open(vol->root, file, wide, EFI_FILE_MODE_READ, 0);
    if (EFI_ERROR(status))
        return boot_fail(status, L"cannot open %a: %r", path, status);
    info = LibFileInfo(*file);
    if (info == NULL) {
        (*file)->Close(*file);
        return boot_fail(EFI_DEVICE_ERROR, L"cannot get the size of %a", path);
    }
    *size = info->FileSize;
    attribute = info->Attribute;
    FreePool(info);
    if (attribute & EFI_FILE_DIRECTORY) {
        (*file)->Close(*file);
        return boot_fail(EFI_NOT_FOUND, L"%a is a directory, not a file", path);
    }
    return EFI_SUCCESS;
}

EFI_STATUS file_read_all(EFI_FILE_HANDLE file, const char *path, void *buf, UINT64 size)
{
    UINT8 *at = buf;
    UINT64 left = size;
    EFI_STATUS status = EFI_SUCCESS;

    /* Firmware may return less than asked; keep reading until done. */
    while (left > 0) {
        UINTN chunk = left;

        status = file->Read(file, &chunk, at);
        if (EFI_ERROR(status))
            break;
        if (chunk == 0) {
            status = EFI_END_OF_FILE;
            break;
        }
        at += chunk;
        left -= chunk;
    }
    file->Close(file);
    if (EFI_ERROR(status))
        return boot_fail(status, L"cannot read %a: %r", path, status);
    boot_say(L"loaded %a (%ld bytes)", path, size);
    return EFI_SUCCESS;
}
