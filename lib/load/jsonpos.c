/* Locating a JSON path in source text (see jsonpos.h). */
#include <string.h>

#include "compile/scheme.h"
#include "load/jsonpos.h"

void jxi_path_push_key(jxi_path *p, const char *key)
{
    if (p->depth < JXI_PATH_MAX)
        p->steps[p->depth++] = (jxi_path_step){key, 0};
    else
        p->overflow++;
}

void jxi_path_push_index(jxi_path *p, size_t index)
{
    if (p->depth < JXI_PATH_MAX)
        p->steps[p->depth++] = (jxi_path_step){NULL, index};
    else
        p->overflow++;
}

void jxi_path_pop(jxi_path *p)
{
    if (p->overflow)
        p->overflow--;
    else if (p->depth)
        p->depth--;
}

static int plain_key(const char *k)
{
    if (!*k)
        return 0;
    for (const char *c = k; *c; c++)
        if (*c == '.' || *c == '[' || *c == ']' || *c == '"' || *c == ' ')
            return 0;
    return 1;
}

void jxi_path_format(const jxi_path *p, jxi_buf *b)
{
    for (size_t i = 0; i < p->depth; i++) {
        const jxi_path_step *s = &p->steps[i];
        if (!s->key) {
            jxi_buf_printf(b, "[%zu]", s->index);
        } else if (plain_key(s->key)) {
            if (i > 0)
                jxi_buf_putc(b, '.');
            jxi_buf_puts(b, s->key);
        } else {
            jxi_buf_putc(b, '[');
            jxi_buf_json_string(b, s->key);
            jxi_buf_putc(b, ']');
        }
    }
}

typedef struct scan {
    const char *t;
    size_t len, i;
} scan;

static void ws(scan *s)
{
    while (s->i < s->len && (s->t[s->i] == ' ' || s->t[s->i] == '\t' || s->t[s->i] == '\n' ||
                             s->t[s->i] == '\r'))
        s->i++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode one character of a string literal at s->i into out (1..4
 * bytes); the escapes are JSON's. Returns the number of bytes. */
static size_t string_char(scan *s, char *out)
{
    if (s->t[s->i] != '\\' || s->i + 1 >= s->len) {
        out[0] = s->t[s->i++];
        return 1;
    }
    char e = s->t[s->i + 1];
    s->i += 2;
    uint32_t cp = 0;
    switch (e) {
    case 'n': out[0] = '\n'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'u':
        for (int k = 0; k < 4 && s->i < s->len; k++) {
            int h = hexval(s->t[s->i++]);
            cp = cp * 16 + (uint32_t)(h < 0 ? 0 : h);
        }
        /* A surrogate pair spells one code point. */
        if (cp >= 0xD800 && cp <= 0xDBFF && s->i + 6 <= s->len && s->t[s->i] == '\\' &&
            s->t[s->i + 1] == 'u') {
            uint32_t lo = 0;
            for (int k = 0; k < 4; k++) {
                int h = hexval(s->t[s->i + 2 + (size_t)k]);
                lo = lo * 16 + (uint32_t)(h < 0 ? 0 : h);
            }
            s->i += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        return jxi_utf8_encode(out, cp);
    default:
        out[0] = e;
        return 1;
    }
}

/* Read the string at s->i (at '"') and say whether it equals want[0..wl). */
static int string_equals(scan *s, const char *want, size_t wl)
{
    size_t o = 0;
    int eq = 1;
    s->i++; /* opening quote */
    while (s->i < s->len && s->t[s->i] != '"') {
        char tmp[4];
        size_t n = string_char(s, tmp);
        for (size_t k = 0; k < n; k++, o++)
            if (o >= wl || tmp[k] != want[o])
                eq = 0;
    }
    s->i++; /* closing quote */
    return eq && o == wl;
}

long jxi_json_string_offset(const char *text, size_t len, long quote, size_t decoded)
{
    if (quote < 0 || (size_t)quote >= len || text[quote] != '"')
        return -1;
    scan s = {text, len, (size_t)quote + 1};
    size_t o = 0;
    while (s.i < len && text[s.i] != '"') {
        if (o >= decoded)
            return (long)s.i;
        char tmp[4];
        o += string_char(&s, tmp);
    }
    return o >= decoded && s.i < len ? (long)s.i : -1;
}

long jxi_json_too_deep(const char *text, size_t len, int limit)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < len && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
        } else if (c == '{' || c == '[') {
            if (++depth > limit)
                return (long)i;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return -1;
}

/* Skip one value (the text is known to be well-formed). */
static void skip_value(scan *s)
{
    ws(s);
    if (s->i >= s->len)
        return;
    char c = s->t[s->i];
    if (c == '"') {
        s->i++;
        while (s->i < s->len && s->t[s->i] != '"')
            s->i += s->t[s->i] == '\\' ? 2 : 1;
        s->i++;
        return;
    }
    if (c == '{' || c == '[') {
        size_t depth = 0;
        while (s->i < s->len) {
            char d = s->t[s->i];
            if (d == '"') {
                skip_value(s);
                continue;
            }
            s->i++;
            if (d == '{' || d == '[')
                depth++;
            else if ((d == '}' || d == ']') && --depth == 0)
                return;
        }
        return;
    }
    while (s->i < s->len && !strchr(",}] \t\r\n", s->t[s->i]))
        s->i++;
}

long jxi_json_locate(const char *text, size_t len, const jxi_path *p, int want_key)
{
    scan s = {text, len, 0};
    ws(&s);
    for (size_t d = 0; d < p->depth; d++) {
        const jxi_path_step *st = &p->steps[d];
        ws(&s);
        if (s.i >= len)
            return -1;
        if (st->key) {
            if (text[s.i] != '{')
                return -1;
            s.i++;
            size_t want = strlen(st->key);
            for (;;) {
                ws(&s);
                if (s.i >= len || text[s.i] != '"')
                    return -1;
                size_t key_at = s.i;
                int match = string_equals(&s, st->key, want);
                ws(&s);
                s.i++; /* ':' */
                if (match) {
                    if (want_key && d + 1 == p->depth)
                        return (long)key_at;
                    break;
                }
                skip_value(&s);
                ws(&s);
                if (s.i >= len || text[s.i] != ',')
                    return -1;
                s.i++;
            }
        } else {
            if (text[s.i] != '[')
                return -1;
            s.i++;
            for (size_t k = 0; k < st->index; k++) {
                skip_value(&s);
                ws(&s);
                if (s.i >= len || text[s.i] != ',')
                    return -1;
                s.i++;
            }
        }
    }
    ws(&s);
    return (long)s.i;
}

void jxi_path_of_indicator(const jx_scheme *s, size_t i, jxi_path *out)
{
    size_t chain[JXI_MAX_DEPTH + 1], n = 0;
    for (size_t x = i; x != JX_NONE && n <= JXI_MAX_DEPTH; x = s->inds[x].parent)
        chain[n++] = x;
    memset(out, 0, sizeof *out);
    while (n-- > 0) {
        size_t x = chain[n], parent = s->inds[x].parent, index = 0;
        /* Siblings before x: from the first child, subtree by subtree. */
        for (size_t k = parent == JX_NONE ? 0 : parent + 1; k < x; k = s->inds[k].end)
            index++;
        jxi_path_push_key(out, parent == JX_NONE ? "indicators" : "children");
        jxi_path_push_index(out, index);
    }
}
