/* Reads mica.cfg from the loader's directory and parses it. */
#include "loader.h"

#define CONFIG_NAME     "mica.cfg"
#define CONFIG_MAX_SIZE (64 * 1024)

/* volume_open left room for "\mica.cfg" after the directory. */
static void config_path(const char *dir, char *out)
{
    const char *name = "\\" CONFIG_NAME;

    while (*dir != '\0')
        *out++ = *dir++;
    while ((*out++ = *name++) != '\0')
        ;
}

EFI_STATUS read_config(struct boot_volume *vol, struct boot_config *cfg)
{
    char path[CFG_PATH_MAX];
    struct cfg_error err;
    EFI_FILE_HANDLE file;
    EFI_STATUS status;
    UINT64 size;
    char *text;
    bool ok;

    config_path(vol->dir, path);
    status = file_open(vol, path, &file, &size);
    if (EFI_ERROR(status))
        return status;
    if (size > CONFIG_MAX_SIZE) {
        file->Close(file);
        return boot_fail(EFI_LOAD_ERROR, L"%a is larger than %d bytes", path, CONFIG_MAX_SIZE);
    }
    /* One spare byte so an empty file still gets a real buffer. */
    text = AllocatePool(size + 1);
    if (text == NULL) {
        file->Close(file);
        return boot_fail(EFI_OUT_OF_RESOURCES, L"out of memory reading %a", path);
    }
    status = file_read_all(file, path, text, size);
    if (EFI_ERROR(status)) {
        FreePool(text);
        return status;
    }
    ok = cfg_parse(text, size, vol->dir, cfg, &err);
    FreePool(text);
    if (ok)
        return EFI_SUCCESS;
    if (err.line == 0)
        return boot_fail(EFI_LOAD_ERROR, L"%a: %a", path, err.message);
    return boot_fail(EFI_LOAD_ERROR, L"%a:%d: %a", path, err.line, err.message);
}
