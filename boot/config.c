/* Parser for mica.cfg: `key = value` lines into a struct boot_config. */
#include "config.h"

struct span {
    const char *p;
    size_t n;
};

enum key {
    KEY_HYPERVISOR,
    KEY_CMDLINE,
    KEY_DOM0_KERNEL,
    KEY_DOM0_CMDLINE,
    KEY_DOM0_INITRD,
    KEY_MODULE,
    KEY_COUNT,
};

static const char *const key_names[KEY_COUNT] = {
    [KEY_HYPERVISOR] = "hypervisor",
    [KEY_CMDLINE] = "cmdline",
    [KEY_DOM0_KERNEL] = "dom0_kernel",
    [KEY_DOM0_CMDLINE] = "dom0_cmdline",
    [KEY_DOM0_INITRD] = "dom0_initrd",
    [KEY_MODULE] = "module",
};

/* Longest quoted text an error message repeats back. */
#define SHOWN_MAX 48

struct parser {
    const char *dir;
    struct boot_config *cfg;
    struct cfg_error *err;
    unsigned line;
    unsigned first_line[KEY_COUNT]; /* 0 until the key is seen */
    unsigned module_lines;          /* `module` entries, at cfg->modules[0..] until the end */
    /* dom0 entries go first in the result but may come last in the file. */
    char kernel[CFG_PATH_MAX];
    char initrd[CFG_PATH_MAX];
    char dom0_cmdline[BOOT_MODULE_CMDLINE_MAX];
};

static struct span span_of(const char *s)
{
    struct span r = { s, 0 };

    while (s[r.n] != '\0')
        r.n++;
    return r;
}

static bool span_is(struct span s, const char *word)
{
    size_t i;

    for (i = 0; i < s.n; i++)
        if (word[i] != s.p[i])
            return false;
    return word[i] == '\0';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_sep(char c)
{
    return c == '/' || c == '\\';
}

static struct span trim(struct span s)
{
    while (s.n > 0 && is_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n > 0 && is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

static void msg_add(struct cfg_error *err, struct span s)
{
    size_t len = span_of(err->message).n;
    size_t i;

    for (i = 0; i < s.n && len + 1 < CFG_ERROR_MAX; i++)
        err->message[len++] = s.p[i];
    err->message[len] = '\0';
}

static void msg_add_uint(struct cfg_error *err, unsigned v)
{
    char digits[12];
    size_t n = sizeof(digits);

    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    msg_add(err, (struct span){ digits + n, sizeof(digits) - n });
}

/* Sets the error to before + shown + after (shown cut short) and returns false. */
static bool fail_at(struct parser *ps, unsigned line, const char *before,
                    struct span shown, const char *after)
{
    ps->err->line = line;
    ps->err->message[0] = '\0';
    msg_add(ps->err, span_of(before));
    if (shown.n > SHOWN_MAX) {
        shown.n = SHOWN_MAX;
        msg_add(ps->err, shown);
        msg_add(ps->err, span_of("..."));
    } else {
        msg_add(ps->err, shown);
    }
    msg_add(ps->err, span_of(after));
    return false;
}

static bool fail(struct parser *ps, const char *before, struct span shown, const char *after)
{
    return fail_at(ps, ps->line, before, shown, after);
}

static bool fail_limit(struct parser *ps, const char *what, unsigned max, const char *unit)
{
    fail(ps, what, (struct span){ 0, 0 }, " (max ");
    msg_add_uint(ps->err, max);
    msg_add(ps->err, span_of(unit));
    return false;
}

static bool copy_text(struct parser *ps, char *dst, size_t cap, struct span s, const char *what)
{
    size_t i;

    if (s.n >= cap)
        return fail_limit(ps, what, (unsigned)(cap - 1), " bytes)");
    for (i = 0; i < s.n; i++)
        dst[i] = s.p[i];
    dst[s.n] = '\0';
    return true;
}

/* Appends the segments of `s` to out ("" or "\a\b"), resolving "." and "..". */
static bool add_segments(struct parser *ps, char *out, size_t *len, struct span s, struct span shown)
{
    size_t i = 0;

    while (i < s.n) {
        size_t start;
        struct span seg;

        while (i < s.n && is_sep(s.p[i]))
            i++;
        start = i;
        while (i < s.n && !is_sep(s.p[i]))
            i++;
        seg = (struct span){ s.p + start, i - start };
        if (seg.n == 0 || span_is(seg, "."))
            continue;
        if (span_is(seg, "..")) {
            if (*len == 0)
                return fail(ps, "path '", shown, "' leaves the ESP root");
            while (out[--*len] != '\\')
                ;
            out[*len] = '\0';
            continue;
        }
        if (*len + 1 + seg.n >= CFG_PATH_MAX)
            return fail_limit(ps, "path too long", CFG_PATH_MAX - 1, " bytes)");
        out[(*len)++] = '\\';
        for (start = 0; start < seg.n; start++)
            out[(*len)++] = seg.p[start];
        out[*len] = '\0';
    }
    return true;
}

/* An absolute path starts at the ESP root; a relative one at the config's directory. */
static bool resolve_path(struct parser *ps, struct span path, char *out)
{
    size_t len = 0;
    size_t i;

    out[0] = '\0';
    /* The firmware wants UCS-2 names; only ASCII converts byte for byte. */
    for (i = 0; i < path.n; i++)
        if ((unsigned char)path.p[i] >= 0x80)
            return fail(ps, "path '", path, "' is not plain ASCII");
    if (!is_sep(path.p[0]) && !add_segments(ps, out, &len, span_of(ps->dir), path))
        return false;
    if (!add_segments(ps, out, &len, path, path))
        return false;
    if (len == 0)
        return fail(ps, "path '", path, "' names no file");
    return true;
}

/* Splits "PATH REST..." at the first blank; the path is never empty here. */
static void split_path(struct span value, struct span *path, struct span *rest)
{
    size_t i = 0;

    while (i < value.n && !is_space(value.p[i]))
        i++;
    *path = (struct span){ value.p, i };
    *rest = trim((struct span){ value.p + i, value.n - i });
}

static bool take_path(struct parser *ps, enum key key, struct span value, char *out)
{
    struct span path, rest;

    if (value.n == 0)
        return fail(ps, "'", span_of(key_names[key]), "' needs a path");
    split_path(value, &path, &rest);
    if (rest.n != 0)
        return fail(ps, "unexpected text after the path: '", rest, "'");
    return resolve_path(ps, path, out);
}

static bool count_module(struct parser *ps)
{
    unsigned count = ps->module_lines + (ps->first_line[KEY_DOM0_KERNEL] != 0) +
                     (ps->first_line[KEY_DOM0_INITRD] != 0);

    if (count >= BOOT_MAX_MODULES)
        return fail_limit(ps, "too many modules", BOOT_MAX_MODULES, ")");
    return true;
}

static bool take_module(struct parser *ps, struct span value)
{
    struct cfg_module *mod = &ps->cfg->modules[ps->module_lines];
    struct span path, args;

    if (value.n == 0)
        return fail(ps, "'module' needs a path", (struct span){ 0, 0 }, "");
    if (!count_module(ps))
        return false;
    split_path(value, &path, &args);
    if (!resolve_path(ps, path, mod->path) ||
        !copy_text(ps, mod->cmdline, sizeof(mod->cmdline), args, "'module' arguments too long"))
        return false;
    ps->module_lines++;
    return true;
}

static bool take_value(struct parser *ps, enum key key, struct span value)
{
    switch (key) {
    case KEY_HYPERVISOR:
        return take_path(ps, key, value, ps->cfg->hypervisor);
    case KEY_CMDLINE:
        return copy_text(ps, ps->cfg->cmdline, sizeof(ps->cfg->cmdline), value,
                         "'cmdline' value too long");
    case KEY_DOM0_KERNEL:
        return count_module(ps) && take_path(ps, key, value, ps->kernel);
    case KEY_DOM0_CMDLINE:
        return copy_text(ps, ps->dom0_cmdline, sizeof(ps->dom0_cmdline), value,
                         "'dom0_cmdline' value too long");
    case KEY_DOM0_INITRD:
        return count_module(ps) && take_path(ps, key, value, ps->initrd);
    case KEY_MODULE:
    default:
        return take_module(ps, value);
    }
}

static bool parse_line(struct parser *ps, struct span line)
{
    struct span key, value;
    size_t eq;
    unsigned k;

    for (eq = 0; eq < line.n; eq++)
        if (((unsigned char)line.p[eq] < 0x20 && line.p[eq] != '\t') || line.p[eq] == 0x7f)
            return fail(ps, "line contains a control character", (struct span){ 0, 0 }, "");
    line = trim(line);
    if (line.n == 0 || line.p[0] == '#')
        return true;
    for (eq = 0; eq < line.n && line.p[eq] != '='; eq++)
        ;
    if (eq == line.n)
        return fail(ps, "expected 'key = value'", (struct span){ 0, 0 }, "");
    key = trim((struct span){ line.p, eq });
    value = trim((struct span){ line.p + eq + 1, line.n - eq - 1 });
    if (key.n == 0)
        return fail(ps, "missing key before '='", (struct span){ 0, 0 }, "");
    for (k = 0; k < KEY_COUNT && !span_is(key, key_names[k]); k++)
        ;
    if (k == KEY_COUNT)
        return fail(ps, "unknown key '", key, "'");
    if (k != KEY_MODULE && ps->first_line[k] != 0) {
        fail(ps, "duplicate key '", key, "' (first on line ");
        msg_add_uint(ps->err, ps->first_line[k]);
        msg_add(ps->err, span_of(")"));
        return false;
    }
    if (!take_value(ps, (enum key)k, value))
        return false;
    if (k != KEY_MODULE)
        ps->first_line[k] = ps->line;
    return true;
}

static void set_module(struct cfg_module *mod, const char *path, const char *cmdline)
{
    size_t i;

    for (i = 0; (mod->path[i] = path[i]) != '\0'; i++)
        ;
    for (i = 0; (mod->cmdline[i] = cmdline[i]) != '\0'; i++)
        ;
}

/* Checks what only the whole file shows, then puts the dom0 entries first. */
static bool finish(struct parser *ps)
{
    struct boot_config *cfg = ps->cfg;
    const unsigned *first = ps->first_line;
    unsigned front = (first[KEY_DOM0_KERNEL] != 0) + (first[KEY_DOM0_INITRD] != 0);
    unsigned i;

    if (first[KEY_DOM0_CMDLINE] != 0 && first[KEY_DOM0_KERNEL] == 0)
        return fail_at(ps, first[KEY_DOM0_CMDLINE], "'dom0_cmdline' without 'dom0_kernel'",
                       (struct span){ 0, 0 }, "");
    if (first[KEY_DOM0_INITRD] != 0 && first[KEY_DOM0_KERNEL] == 0)
        return fail_at(ps, first[KEY_DOM0_INITRD], "'dom0_initrd' without 'dom0_kernel'",
                       (struct span){ 0, 0 }, "");
    if (first[KEY_HYPERVISOR] == 0)
        return fail_at(ps, 0, "missing required key 'hypervisor'", (struct span){ 0, 0 }, "");

    for (i = ps->module_lines; i-- > 0;)
        cfg->modules[i + front] = cfg->modules[i];
    if (first[KEY_DOM0_KERNEL] != 0)
        set_module(&cfg->modules[0], ps->kernel, ps->dom0_cmdline);
    if (first[KEY_DOM0_INITRD] != 0)
        set_module(&cfg->modules[1], ps->initrd, "");
    cfg->module_count = ps->module_lines + front;
    return true;
}

bool cfg_parse(const char *text, size_t len, const char *dir,
               struct boot_config *cfg, struct cfg_error *err)
{
    struct parser ps = { .dir = dir, .cfg = cfg, .err = err };
    size_t pos = 0;

    *cfg = (struct boot_config){ 0 };
    err->line = 0;
    err->message[0] = '\0';
    /* Editors on other systems like to start UTF-8 files with a byte-order mark. */
    if (len >= 3 && (unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
        (unsigned char)text[2] == 0xbf)
        pos = 3;
    while (pos < len) {
        size_t end = pos;
        struct span line;

        while (end < len && text[end] != '\n')
            end++;
        line = (struct span){ text + pos, end - pos };
        if (line.n > 0 && line.p[line.n - 1] == '\r')
            line.n--;
        ps.line++;
        if (!parse_line(&ps, line))
            return false;
        pos = end + 1;
    }
    return finish(&ps);
}
