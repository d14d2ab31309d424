/* libmica's xenstore client (mica_xs.c) against a scripted server on a
 * unix socket: request framing, replies, error names, watch events in
 * between, DIRECTORY lists. */
#include "unit.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mica_xs.h"

struct hdr {
    uint32_t type, req_id, tx_id, len;
};

/* What the server got last, and what it answers. */
static struct hdr got;
static char got_body[4096];
static const char *reply_body;
static size_t reply_len;
static uint32_t reply_type;
static int send_watch_first;
static int listen_fd;
static char sock_path[108];

static void read_all(int fd, void *p, size_t n)
{
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return;
        p = (char *)p + r;
        n -= (size_t)r;
    }
}

/* Serves exactly one request on one connection. */
static void *serve_one(void *arg)
{
    (void)arg;
    int fd = accept(listen_fd, NULL, NULL);
    read_all(fd, &got, sizeof(got));
    read_all(fd, got_body, got.len);
    if (send_watch_first) {
        struct hdr w = { 15, 0, 0, 4 };
        write(fd, &w, sizeof(w));
        write(fd, "a\0b", 4);
    }
    struct hdr h = { reply_type ? reply_type : got.type, got.req_id, 0, (uint32_t)reply_len };
    write(fd, &h, sizeof(h));
    write(fd, reply_body, reply_len);
    close(fd);
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(sock_path, sizeof(sock_path), "/tmp/test_mica_xs.%d", (int)getpid());
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock_path);
    unlink(sock_path);
    listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(bind(listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(listen_fd, 4), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    close(listen_fd);
    unlink(sock_path);
    return 0;
}

/* Connects, lets the server answer one request, returns the client. */
static pthread_t start(struct mica_xs *xs, uint32_t type, const char *body, size_t len)
{
    pthread_t t;
    reply_type = type;
    reply_body = body;
    reply_len = len;
    memset(&got, 0, sizeof(got));
    memset(got_body, 0, sizeof(got_body));
    pthread_create(&t, NULL, serve_one, NULL);
    assert_int_equal(mica_xs_open(xs, sock_path), 0);
    return t;
}

static void test_read(void **state)
{
    (void)state;
    struct mica_xs xs;
    char *value = NULL;
    pthread_t t = start(&xs, 0, "hello", 5);
    assert_int_equal(mica_xs_read(&xs, "/local/domain/1/name", &value), 0);
    pthread_join(t, NULL);
    assert_int_equal(got.type, 2);
    assert_int_equal(got.len, strlen("/local/domain/1/name") + 1);
    assert_string_equal(got_body, "/local/domain/1/name");
    assert_string_equal(value, "hello");
    free(value);
    mica_xs_close(&xs);
}

static void test_write_has_no_final_nul(void **state)
{
    (void)state;
    struct mica_xs xs;
    pthread_t t = start(&xs, 0, "OK", 3);
    assert_int_equal(mica_xs_write(&xs, "/a", "v1"), 0);
    pthread_join(t, NULL);
    assert_int_equal(got.type, 11);
    assert_int_equal(got.len, 5);
    assert_memory_equal(got_body, "/a\0v1", 5);
    mica_xs_close(&xs);
}

static void test_error_names(void **state)
{
    (void)state;
    struct mica_xs xs;
    char *value = NULL;
    pthread_t t = start(&xs, 16, "ENOENT", 7);
    assert_int_equal(mica_xs_read(&xs, "/missing", &value), -ENOENT);
    pthread_join(t, NULL);
    assert_null(value);
    mica_xs_close(&xs);
    t = start(&xs, 16, "EACCES", 7);
    assert_int_equal(mica_xs_rm(&xs, "/x"), -EACCES);
    pthread_join(t, NULL);
    mica_xs_close(&xs);
}

static void test_watch_event_skipped(void **state)
{
    (void)state;
    struct mica_xs xs;
    send_watch_first = 1;
    pthread_t t = start(&xs, 0, "OK", 3);
    assert_int_equal(mica_xs_mkdir(&xs, "/d"), 0);
    pthread_join(t, NULL);
    send_watch_first = 0;
    assert_int_equal(got.type, 12);
    mica_xs_close(&xs);
}

static void test_directory_and_introduce(void **state)
{
    (void)state;
    struct mica_xs xs;
    char *names = NULL;
    size_t n = 0;
    pthread_t t = start(&xs, 0, "0\0" "12\0", 5);
    assert_int_equal(mica_xs_directory(&xs, "/local/domain", &names, &n), 0);
    pthread_join(t, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(names, "0");
    assert_string_equal(names + 2, "12");
    free(names);
    mica_xs_close(&xs);
    t = start(&xs, 0, "OK", 3);
    assert_int_equal(mica_xs_introduce(&xs, 3, 65535, 2), 0);
    pthread_join(t, NULL);
    assert_int_equal(got.type, 8);
    assert_int_equal(got.len, 10);
    assert_memory_equal(got_body, "3\0" "65535\0" "2\0", 10);
    mica_xs_close(&xs);
}

static void test_perms_and_oversize(void **state)
{
    (void)state;
    struct mica_xs xs;
    const char *perms[] = { "n5", "r0" };
    pthread_t t = start(&xs, 0, "OK", 3);
    assert_int_equal(mica_xs_set_perms(&xs, "/p", perms, 2), 0);
    pthread_join(t, NULL);
    assert_int_equal(got.type, 14);
    assert_memory_equal(got_body, "/p\0n5\0r0\0", 9);
    mica_xs_close(&xs);
    static char big[5000];
    memset(big, 'a', sizeof(big) - 1);
    assert_int_equal(mica_xs_open(&xs, sock_path), 0);
    assert_int_equal(mica_xs_write(&xs, "/big", big), -E2BIG);
    mica_xs_close(&xs);
}

static void test_no_daemon(void **state)
{
    (void)state;
    struct mica_xs xs;
    assert_int_equal(mica_xs_open(&xs, "/tmp/no-such-xenstored-socket"), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_write_has_no_final_nul),
        cmocka_unit_test(test_error_names),
        cmocka_unit_test(test_watch_event_skipped),
        cmocka_unit_test(test_directory_and_introduce),
        cmocka_unit_test(test_perms_and_oversize),
        cmocka_unit_test(test_no_daemon),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
