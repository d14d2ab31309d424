/*
 * Parameters on a guest's command line (hvm_start_info.cmdline_paddr):
 * space-separated words "key=value", or a bare "key".
 */
#ifndef GUEST_CMDLINE_H
#define GUEST_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <xen/start_info.h>
#include <xen/xen.h>

/*
 * True if key is on the command line. Its value ("" for a bare key) is
 * copied to buf, truncated to size - 1 characters and NUL-terminated; buf
 * may be NULL when size is 0.
 */
bool cmdline_get(const struct hvm_start_info *si, const char *key, char *buf, size_t size);

/* A decimal domain id below DOMID_FIRST_RESERVED; false for anything else. */
bool parse_domid(const char *s, domid_t *out);

#endif
