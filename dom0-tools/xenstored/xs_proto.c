/* xs_proto: the error names of the wire protocol. */
#include <errno.h>
#include <stddef.h>

#include "xs_proto.h"

static const struct {
    int err;
    const char *name;
} xs_errors[] = {
    { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};

const char *xs_error_name(int err)
{
    if (err < 0)
        err = -err;
    for (size_t i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++)
        if (xs_errors[i].err == err)
            return xs_errors[i].name;
    return "EINVAL";
}
