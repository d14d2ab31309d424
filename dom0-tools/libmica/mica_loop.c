/* Loop devices through /dev/loop-control and the loop ioctls (mica_loop.h). */
#include "mica_loop.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Another process may take the free device between our asking and our
 * binding (EBUSY): ask again, a few times. */
#define LOOP_TRIES 8

static int fail(char *err, size_t errsz, const char *what, const char *path, int rc)
{
    snprintf(err, errsz, "%s %s: %s", what, path, strerror(rc));
    return -rc;
}

static int bind_free(int control, int file, bool readonly, char *dev, size_t devsz)
{
    int n = ioctl(control, LOOP_CTL_GET_FREE);
    if (n < 0)
        return -errno;
    snprintf(dev, devsz, "/dev/loop%d", n);
    int fd = open(dev, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct loop_config config = { .fd = (unsigned)file };
    config.info.lo_flags = readonly ? LO_FLAGS_READ_ONLY : 0;
    int rc = ioctl(fd, LOOP_CONFIGURE, &config) ? -errno : 0;
    close(fd);
    return rc;
}

int mica_loop_attach(const char *file, bool readonly, char *dev, size_t devsz,
                     char *err, size_t errsz)
{
    int fd = open(file, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return fail(err, errsz, "opening", file, errno);
    int control = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (control < 0) {
        int rc = fail(err, errsz, "opening", "/dev/loop-control (is the loop module loaded?)",
                      errno);
        close(fd);
        return rc;
    }
    int rc = -EBUSY;
    for (int i = 0; i < LOOP_TRIES && rc == -EBUSY; i++)
        rc = bind_free(control, fd, readonly, dev, devsz);
    if (rc)
        fail(err, errsz, "binding a loop device to", file, -rc);
    close(control);
    close(fd);              /* the loop device holds its own reference */
    return rc;
}

int mica_loop_detach(const char *dev)
{
    int fd = open(dev, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = ioctl(fd, LOOP_CLR_FD) ? -errno : 0;
    close(fd);
    return rc;
}
