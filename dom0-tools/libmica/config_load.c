/* Loading a domain config file for `mxl create`: read, recognise the syntax,
 * parse, apply the command line's overrides, validate. */
#include "domain_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xlcfg.h"
#include "xml_config.h"

#define CONFIG_FILE_MAX (1024 * 1024)

/* The whole file in a malloc'd buffer; config files are small. O_NONBLOCK
 * so that a FIFO is refused rather than waited on. */
static int read_file(const char *path, char **text, size_t *len, struct config_error *err)
{
    struct config_pos at = { path, 0 };
    struct stat st;
    ssize_t got = 0;
    size_t used = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), saved;

    if (fd < 0 || fstat(fd, &st) != 0) {
        saved = errno;
        if (fd >= 0)
            close(fd);
        return config_error_set(err, at, "%s", strerror(saved));
    }
    if (!S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
        close(fd);
        if (!S_ISREG(st.st_mode))
            return config_error_set(err, at, "not a regular file");
        return config_error_set(err, at, "larger than %d bytes", CONFIG_FILE_MAX);
    }
    *text = malloc((size_t)st.st_size + 1);
    while (*text && used < (size_t)st.st_size &&
           (got = read(fd, *text + used, (size_t)st.st_size - used)) > 0)
        used += (size_t)got;
    saved = errno;
    close(fd);
    if (!*text)
        return config_error_set(err, at, "out of memory");
    if (got < 0) {
        free(*text);
        return config_error_set(err, at, "%s", strerror(saved));
    }
    *len = used;
    return 0;
}

static bool looks_like_xml(const char *text, size_t len)
{
    size_t i = strspn(text, " \t\r\n");

    return i < len && text[i] == '<';
}

int domain_config_load(const char *path, char *const *overrides, size_t override_count,
                       struct domain_config *cfg, struct config_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    domain_config_init(cfg);
    rc = read_file(path, &text, &len, err);
    if (rc)
        return rc;
    text[len] = '\0';
    if (looks_like_xml(text, len))
        rc = xml_config_parse(text, len, path, cfg, err);
    else
        rc = xlcfg_parse(text, len, path, cfg, err);
    free(text);
    for (size_t i = 0; rc == 0 && i < override_count; i++)
        rc = xlcfg_apply_override(cfg, overrides[i], err);
    if (rc == 0)
        rc = domain_config_validate(cfg, path, err);
    if (rc)
        domain_config_free(cfg);
    return rc;
}
