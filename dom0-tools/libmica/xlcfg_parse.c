/* The xl.cfg reader: `key = value` statements ended by a newline or ';',
 * '#' comments, values that are "strings" or 'strings' with escapes,
 * numbers, or [ lists ] that may span lines. Also the command-line overrides. */
#include "xlcfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlcfg_keys.h"

struct lexer {
    const char *p, *end;
    unsigned line;
    const char *source;
    struct config_error *err;
};

static struct config_pos here(const struct lexer *lx)
{
    return (struct config_pos){ lx->source, lx->line };
}

static bool at_end(const struct lexer *lx)
{
    return lx->p >= lx->end;
}

/* Skips blanks and a comment, not the newline that ends them. */
static void skip_blanks(struct lexer *lx)
{
    while (!at_end(lx) && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
        lx->p++;
    if (!at_end(lx) && *lx->p == '#')
        while (!at_end(lx) && *lx->p != '\n')
            lx->p++;
}

/* Inside a list: blanks, comments and newlines alike. */
static void skip_space(struct lexer *lx)
{
    for (skip_blanks(lx); !at_end(lx) && *lx->p == '\n'; skip_blanks(lx)) {
        lx->p++;
        lx->line++;
    }
}

/* What the next character is, for messages. */
static const char *describe_next(const struct lexer *lx, char buf[8])
{
    unsigned char c = at_end(lx) ? 0 : (unsigned char)*lx->p;

    if (at_end(lx))
        return "the end of the file";
    if (c == '\n')
        return "the end of the line";
    if (c < 0x20 || c >= 0x7f)
        snprintf(buf, 8, "\\x%02x", c);
    else if (c == '\'')
        snprintf(buf, 8, "\"'\"");
    else
        snprintf(buf, 8, "'%c'", c);
    return buf;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One escape after a backslash: \n \t \r \\ \" \' \xHH (not \x00). */
static int lex_escape(struct lexer *lx, char *out)
{
    char buf[8];
    int hi, lo;

    if (at_end(lx) || *lx->p == '\n')
        return config_error_set(lx->err, here(lx), "unterminated string");
    switch (*lx->p) {
    case 'n': *out = '\n'; break;
    case 't': *out = '\t'; break;
    case 'r': *out = '\r'; break;
    case '\\': case '"': case '\'': *out = *lx->p; break;
    case 'x':
        hi = lx->end - lx->p > 2 ? hex_value(lx->p[1]) : -1;
        lo = hi >= 0 ? hex_value(lx->p[2]) : -1;
        if (lo < 0 || (hi == 0 && lo == 0))
            return config_error_set(lx->err, here(lx), "\\x in a string needs two hex "
                                    "digits, not 00");
        *out = (char)(hi << 4 | lo);
        lx->p += 2;
        break;
    default:
        if (*lx->p > 0x20 && *lx->p < 0x7f)
            return config_error_set(lx->err, here(lx), "unknown escape '\\%c' in a string",
                                    *lx->p);
        return config_error_set(lx->err, here(lx), "unknown escape in a string: '\\' "
                                "before %s", describe_next(lx, buf));
    }
    lx->p++;
    return 0;
}

static int lex_string(struct lexer *lx, char **text)
{
    char quote = *lx->p++;
    const char *start = lx->p;
    char *out = malloc((size_t)(lx->end - start) + 1);
    size_t used = 0;
    int rc = 0;

    if (!out)
        return config_error_set(lx->err, here(lx), "out of memory");
    while (rc == 0) {
        if (at_end(lx) || *lx->p == '\n') {
            rc = config_error_set(lx->err, here(lx), "unterminated string");
        } else if (*lx->p == quote) {
            lx->p++;
            break;
        } else if (*lx->p == '\\') {
            lx->p++;
            rc = lex_escape(lx, &out[used++]);
        } else {
            out[used++] = *lx->p++;
        }
    }
    if (rc) {
        free(out);
        return rc;
    }
    out[used] = '\0';
    *text = out;
    return 0;
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.';
}

/* A number is a sign or digit and the word that follows; the key's setter
 * says whether the whole of it is a number it takes ("-1", "0x10", "2G"). */
static int lex_number(struct lexer *lx, char **text)
{
    const char *start = lx->p++;

    while (!at_end(lx) && word_char(*lx->p))
        lx->p++;
    *text = strndup(start, (size_t)(lx->p - start));
    return *text ? 0 : config_error_set(lx->err, here(lx), "out of memory");
}

static bool starts_number(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+';
}

/* A string or a number; *kind says which. */
static int lex_scalar(struct lexer *lx, enum xlcfg_kind *kind, char **text)
{
    char buf[8];
    const char *word = lx->p;

    if (!at_end(lx) && (*lx->p == '"' || *lx->p == '\'')) {
        *kind = XLCFG_STRING;
        return lex_string(lx, text);
    }
    if (!at_end(lx) && starts_number(*lx->p)) {
        *kind = XLCFG_NUMBER;
        return lex_number(lx, text);
    }
    while (word < lx->end && word_char(*word))
        word++;
    if (word > lx->p)
        return config_error_set(lx->err, here(lx), "strings need quotes: \"%.*s\"",
                                (int)(word - lx->p > 40 ? 40 : word - lx->p), lx->p);
    return config_error_set(lx->err, here(lx), "expected a value (\"string\", number or "
                            "[ list ]), got %s", describe_next(lx, buf));
}

static int list_append(struct lexer *lx, struct xlcfg_value *value, char *text, unsigned line)
{
    struct xlcfg_item *grown = realloc(value->items, (value->count + 1) * sizeof(*grown));

    if (!grown) {
        free(text);
        return config_error_set(lx->err, here(lx), "out of memory");
    }
    value->items = grown;
    value->items[value->count++] = (struct xlcfg_item){ text, line };
    return 0;
}

/* [ item, item, ... ] with an optional trailing comma, across lines. */
static int lex_list(struct lexer *lx, struct xlcfg_value *value)
{
    unsigned start_line = lx->line;
    char buf[8];
    int rc;

    value->kind = XLCFG_LIST;
    lx->p++;
    for (;;) {
        enum xlcfg_kind kind;
        unsigned line;
        char *text;

        skip_space(lx);
        if (!at_end(lx) && *lx->p == ']')
            break;
        if (at_end(lx))
            return config_error_set(lx->err, here(lx), "unterminated list (opened on line "
                                    "%u)", start_line);
        if (*lx->p == '[')
            return config_error_set(lx->err, here(lx), "lists cannot be nested");
        line = lx->line;
        rc = lex_scalar(lx, &kind, &text);
        if (rc == 0)
            rc = list_append(lx, value, text, line);
        if (rc)
            return rc;
        skip_space(lx);
        if (at_end(lx))
            return config_error_set(lx->err, here(lx), "unterminated list (opened on line "
                                    "%u)", start_line);
        if (*lx->p == ',')
            lx->p++;
        else if (*lx->p != ']')
            return config_error_set(lx->err, here(lx), "expected ',' or ']' in the list "
                                    "opened on line %u, got %s", start_line,
                                    describe_next(lx, buf));
    }
    lx->p++;
    return 0;
}

static int lex_value(struct lexer *lx, struct xlcfg_value *value)
{
    memset(value, 0, sizeof(*value));
    if (!at_end(lx) && *lx->p == '[')
        return lex_list(lx, value);
    return lex_scalar(lx, &value->kind, &value->text);
}

static bool key_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool key_char(char c)
{
    return key_start(c) || (c >= '0' && c <= '9');
}

/* `key = value` up to the end of the statement; *key and *value are the
 * caller's to free. */
static int lex_statement(struct lexer *lx, char **key, struct xlcfg_value *value)
{
    const char *start = lx->p;
    char buf[8];
    int rc;

    if (!key_start(*lx->p))
        return config_error_set(lx->err, here(lx), "expected a key, got %s",
                                describe_next(lx, buf));
    while (!at_end(lx) && key_char(*lx->p))
        lx->p++;
    *key = strndup(start, (size_t)(lx->p - start));
    if (!*key)
        return config_error_set(lx->err, here(lx), "out of memory");
    skip_blanks(lx);
    if (at_end(lx) || *lx->p != '=')
        return config_error_set(lx->err, here(lx), "expected '=' after '%.40s', got %s",
                                *key, describe_next(lx, buf));
    lx->p++;
    skip_blanks(lx);
    rc = lex_value(lx, value);
    if (rc)
        return rc;
    skip_blanks(lx);
    if (!at_end(lx) && *lx->p != '\n' && *lx->p != ';')
        return config_error_set(lx->err, here(lx), "unexpected %s after the value of '%.40s'",
                                describe_next(lx, buf), *key);
    return 0;
}

/* Where each slot of keys was set in this file, so that a key given twice,
 * or cmdline and extra together, is an error. */
struct seen_keys {
    unsigned line[XLCFG_SLOTS];
    int key[XLCFG_SLOTS];
};

/* Reads one statement and applies it. */
static int parse_statement(struct lexer *lx, struct domain_config *cfg, struct seen_keys *seen)
{
    struct config_pos at = here(lx);
    struct xlcfg_value value;
    char *key = NULL;
    unsigned slot;
    int index = -1, rc;

    memset(&value, 0, sizeof(value));
    rc = lex_statement(lx, &key, &value);
    if (rc == 0) {
        index = xlcfg_key_find(key, at, lx->err);
        rc = index < 0 ? index : 0;
    }
    if (rc == 0) {
        slot = xlcfg_key_slot(index);
        if (seen->line[slot] && seen->key[slot] == index)
            rc = config_error_set(lx->err, at, "'%s' given twice (first on line %u)", key,
                                  seen->line[slot]);
        else if (seen->line[slot])
            rc = config_error_set(lx->err, at, "'%s' and '%s' (line %u) set the same thing; "
                                  "give one of them", key, xlcfg_key_name(seen->key[slot]),
                                  seen->line[slot]);
        else
            rc = xlcfg_key_apply(cfg, index, &value, at, lx->err);
        seen->line[slot] = at.line;
        seen->key[slot] = index;
    }
    free(key);
    xlcfg_value_free(&value);
    return rc;
}

int xlcfg_parse(const char *text, size_t len, const char *source,
                struct domain_config *cfg, struct config_error *err)
{
    struct lexer lx = { text, text + len, 1, source, err };
    struct seen_keys seen = { { 0 }, { 0 } };
    int rc = 0;

    lx.line = config_nul_line(text, len);
    if (lx.line)
        return config_error_set(err, here(&lx), "NUL byte in the file");
    lx.line = 1;
    while (rc == 0) {
        skip_blanks(&lx);
        if (at_end(&lx))
            break;
        if (*lx.p == '\n') {
            lx.line++;
            lx.p++;
        } else if (*lx.p == ';') {
            lx.p++;
        } else {
            rc = parse_statement(&lx, cfg, &seen);
        }
    }
    return rc;
}

/* The value of an override as the xl.cfg value it spells, or as a plain
 * string when it is not one ("extra=console=hvc0 root=/dev/xvda1"). */
static int override_value(const char *text, const char *source, struct xlcfg_value *value,
                          struct config_error *err)
{
    struct lexer lx = { text, text + strlen(text), 0, source, err };
    int rc;

    memset(value, 0, sizeof(*value));
    if (*text == '"' || *text == '\'' || *text == '[' ||
        (starts_number(*text) && strspn(text + 1, "0123456789") == strlen(text + 1))) {
        rc = lex_value(&lx, value);
        skip_blanks(&lx);
        if (rc == 0 && !at_end(&lx))
            rc = config_error_set(err, here(&lx), "unexpected text after the value");
        return rc;
    }
    value->kind = XLCFG_STRING;
    value->text = strdup(text);
    return value->text ? 0 : config_error_set(err, here(&lx), "out of memory");
}

/* s without the blanks around it; cuts them off in place. */
static char *trim_blanks(char *s)
{
    char *end = s + strlen(s);

    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s + strspn(s, " \t");
}

int xlcfg_apply_override(struct domain_config *cfg, const char *assignment,
                         struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX], source[CONFIG_QUOTE_MAX + 16];
    struct config_pos at = { source, 0 };
    struct xlcfg_value value;
    char *copy, *eq, *key;
    int index, rc;

    snprintf(source, sizeof(source), "override '%s'", config_quote(q, assignment));
    copy = strdup(assignment);
    if (!copy)
        return config_error_set(err, at, "out of memory");
    eq = strchr(copy, '=');
    if (eq)
        *eq = '\0';
    key = trim_blanks(copy);
    if (!eq || !*key) {
        free(copy);
        return config_error_set(err, at, "expected key=value");
    }
    memset(&value, 0, sizeof(value));
    index = xlcfg_key_find(key, at, err);
    rc = index < 0 ? index : override_value(trim_blanks(eq + 1), source, &value, err);
    if (rc == 0)
        rc = xlcfg_key_apply(cfg, index, &value, at, err);
    xlcfg_value_free(&value);
    free(copy);
    return rc;
}
