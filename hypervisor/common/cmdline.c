/* Parses the hypervisor command line into struct hv_options. */
#include <mica/cmdline.h>
#include <mica/string.h>

#define OPTION_MAX 128

bool cmdline_parse_size(const char *s, uint64_t *bytes)
{
    uint64_t v = 0;
    const char *p = s;

    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    unsigned int shift;
    switch (*p) {
    case 'B': case 'b': shift = 0; p++; break;
    case '\0':
    case 'K': case 'k': shift = 10; if (*p) p++; break;
    case 'M': case 'm': shift = 20; p++; break;
    case 'G': case 'g': shift = 30; p++; break;
    case 'T': case 't': shift = 40; p++; break;
    default: return false;
    }
    if (*p != '\0')
        return false;
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    *bytes = v << shift;
    return true;
}

static bool parse_uint(const char *s, unsigned int *out)
{
    unsigned long v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000UL)
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *out = (unsigned int)v;
    return true;
}

static bool parse_loglvl(const char *v, enum log_level *out)
{
    static const struct { const char *name; enum log_level level; } names[] = {
        { "none", LOG_NONE }, { "error", LOG_ERR }, { "warning", LOG_WARN },
        { "info", LOG_INFO }, { "debug", LOG_DEBUG }, { "all", LOG_DEBUG },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!strcmp(v, names[i].name)) {
            *out = names[i].level;
            return true;
        }
    }
    return false;
}

static bool parse_console(const char *v, enum console_port *out)
{
    if (!strcmp(v, "com1"))
        *out = CONSOLE_PORT_COM1;
    else if (!strcmp(v, "com2"))
        *out = CONSOLE_PORT_COM2;
    else if (!strcmp(v, "none"))
        *out = CONSOLE_PORT_NONE;
    else
        return false;
    return true;
}

/* dom0_mem=<size> | min:<size> | max:<size>, comma separated, as in Xen. */
static bool parse_dom0_mem(const char *v, struct hv_options *opts)
{
    char item[OPTION_MAX];

    while (*v) {
        size_t n = 0;
        while (v[n] && v[n] != ',')
            n++;
        if (n == 0 || n >= sizeof(item))
            return false;
        memcpy(item, v, n);
        item[n] = '\0';
        v += v[n] ? n + 1 : n;

        uint64_t bytes;
        if (!strncmp(item, "min:", 4)) {
            if (!cmdline_parse_size(item + 4, &bytes))
                return false;
            opts->dom0_mem_min = bytes;
        } else if (!strncmp(item, "max:", 4)) {
            if (!cmdline_parse_size(item + 4, &bytes))
                return false;
            opts->dom0_mem_max = bytes;
        } else {
            if (!cmdline_parse_size(item, &bytes))
                return false;
            opts->dom0_mem = bytes;
        }
    }
    return true;
}

static bool parse_test_exception(const char *v, enum test_exception *out)
{
    if (!strcmp(v, "ud"))
        *out = TEST_EXCEPTION_UD;
    else if (!strcmp(v, "pf"))
        *out = TEST_EXCEPTION_PF;
    else if (!strcmp(v, "gp"))
        *out = TEST_EXCEPTION_GP;
    else if (!strcmp(v, "de"))
        *out = TEST_EXCEPTION_DE;
    else
        return false;
    return true;
}

static void apply_option(char *option, struct hv_options *opts,
                         cmdline_warn_fn warn)
{
    char *eq = strchr(option, '=');
    const char *value = "";
    bool ok;

    if (eq) {
        *eq = '\0';
        value = eq + 1;
    }
    if (!strcmp(option, "console"))
        ok = parse_console(value, &opts->console);
    else if (!strcmp(option, "loglvl"))
        ok = parse_loglvl(value, &opts->loglvl);
    else if (!strcmp(option, "dom0_mem"))
        ok = parse_dom0_mem(value, opts);
    else if (!strcmp(option, "maxcpus"))
        ok = parse_uint(value, &opts->max_cpus) && opts->max_cpus > 0;
    else if (!strcmp(option, "dom0_max_vcpus"))
        ok = parse_uint(value, &opts->dom0_max_vcpus) && opts->dom0_max_vcpus > 0;
    else if (!strcmp(option, "domus"))
        ok = parse_uint(value, &opts->domus);
    else if (!strcmp(option, "domu_mem"))
        ok = cmdline_parse_size(value, &opts->domu_mem) && opts->domu_mem > 0;
    else if (!strcmp(option, "domu_vcpus"))
        ok = parse_uint(value, &opts->domu_vcpus) && opts->domu_vcpus > 0;
    else if (!strcmp(option, "test_exception"))
        ok = parse_test_exception(value, &opts->test_exception);
    else {
        if (eq)
            *eq = '=';
        if (warn)
            warn(option, "unknown option");
        return;
    }
    if (!ok && warn) {
        if (eq)
            *eq = '=';
        warn(option, "invalid value");
    }
}

void cmdline_parse(const char *cmdline, struct hv_options *opts,
                   cmdline_warn_fn warn)
{
    *opts = (struct hv_options){
        .console = CONSOLE_PORT_COM1,
        .loglvl = LOG_INFO,
        .dom0_max_vcpus = 1,
        .domu_mem = 64ULL << 20,
        .domu_vcpus = 1,
    };
    if (!cmdline)
        return;

    const char *p = cmdline;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t n = 0;
        while (p[n] && p[n] != ' ' && p[n] != '\t')
            n++;
        char option[OPTION_MAX];
        if (n >= sizeof(option)) {
            if (warn)
                warn("(long option)", "too long, ignored");
        } else {
            memcpy(option, p, n);
            option[n] = '\0';
            apply_option(option, opts, warn);
        }
        p += n;
    }
}
