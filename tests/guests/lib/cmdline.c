/* Looking up key=value words on the guest's command line. */
#include "cmdline.h"
#include "string.h"

static const char *cmdline_of(const struct hvm_start_info *si)
{
    if (si->magic != XEN_HVM_START_MAGIC_VALUE || !si->cmdline_paddr)
        return "";
    return (const char *)(uintptr_t)si->cmdline_paddr;
}

bool cmdline_get(const struct hvm_start_info *si, const char *key, char *buf, size_t size)
{
    const char *p = cmdline_of(si);
    size_t klen = strlen(key);

    while (*p) {
        const char *word = p;
        size_t wlen = 0;

        while (word[wlen] && word[wlen] != ' ')
            wlen++;
        p = word + wlen;
        while (*p == ' ')
            p++;
        if (wlen < klen || memcmp(word, key, klen) != 0)
            continue;
        if (wlen == klen || word[klen] == '=') {
            const char *val = word + klen + (wlen > klen);
            size_t vlen = wlen - (size_t)(val - word);

            if (size) {
                if (vlen > size - 1)
                    vlen = size - 1;
                memcpy(buf, val, vlen);
                buf[vlen] = '\0';
            }
            return true;
        }
    }
    return false;
}

bool parse_domid(const char *s, domid_t *out)
{
    unsigned long v = 0;

    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v >= DOMID_FIRST_RESERVED)
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    if (v >= DOMID_FIRST_RESERVED)
        return false;
    *out = (domid_t)v;
    return true;
}
