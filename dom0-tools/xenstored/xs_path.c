/* xs_path: path validation and the relative-to-domain-home rule. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xs_path.h"
#include "xs_proto.h"

static bool path_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '@' || c == '/';
}

void xs_path_domain_home(uint32_t domid, char *out)
{
    snprintf(out, XS_PATH_BUF, "/local/domain/%u", domid);
}

int xs_path_canonical(uint32_t domid, const char *in, bool allow_special, char *out)
{
    size_t len = strnlen(in, XS_ABS_PATH_MAX + 1);

    if (len == 0)
        return -EINVAL;
    if (in[0] == '@') {
        if (!allow_special || len > XS_REL_PATH_MAX)
            return -EINVAL;
        for (size_t i = 1; i < len; i++)
            if (!path_char_ok(in[i]) || in[i] == '/')
                return -EINVAL;
        memcpy(out, in, len + 1);
        return 0;
    }
    if (in[0] == '/') {
        if (len > XS_ABS_PATH_MAX)
            return -EINVAL;
        memcpy(out, in, len + 1);
    } else {
        if (len > XS_REL_PATH_MAX)
            return -EINVAL;
        xs_path_domain_home(domid, out);
        size_t home = strlen(out);
        out[home] = '/';
        memcpy(out + home + 1, in, len + 1);
        if (strlen(out) > XS_ABS_PATH_MAX)
            return -EINVAL;
    }
    if (strcmp(out, "/") == 0)
        return 0;
    for (const char *p = out; *p; p++) {
        if (!path_char_ok(*p))
            return -EINVAL;
        /* No empty components: neither "//" nor a trailing '/'. */
        if (*p == '/' && (p[1] == '/' || p[1] == '\0'))
            return -EINVAL;
    }
    return 0;
}

bool xs_path_is_within(const char *path, const char *ancestor)
{
    size_t n = strlen(ancestor);

    if (strcmp(ancestor, "/") == 0)
        return path[0] == '/';
    return strncmp(path, ancestor, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

void xs_path_parent(const char *path, char *out)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;

    if (n == 0) {
        strcpy(out, "/");
        return;
    }
    memcpy(out, path, n);
    out[n] = '\0';
}

const char *xs_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
