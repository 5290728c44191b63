/* Locating a JSON path in source text (see jsonpos.h). */
#include <string.h>

#include "jsonpos.h"

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

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 63));
        o[2] = (char)(0x80 | (cp & 63)); return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63)); o[3] = (char)(0x80 | (cp & 63)); return 4;
}

/* Read a string at s->i (at '"'), decoding escapes into out (truncated at
 * cap, *outlen set to the full decoded length). */
static void read_string(scan *s, char *out, size_t cap, size_t *outlen)
{
    size_t o = 0;
    s->i++; /* opening quote */
    while (s->i < s->len && s->t[s->i] != '"') {
        char tmp[4];
        size_t n = 1;
        if (s->t[s->i] == '\\' && s->i + 1 < s->len) {
            char e = s->t[s->i + 1];
            s->i += 2;
            uint32_t cp = 0;
            switch (e) {
            case 'n': tmp[0] = '\n'; break;
            case 't': tmp[0] = '\t'; break;
            case 'r': tmp[0] = '\r'; break;
            case 'b': tmp[0] = '\b'; break;
            case 'f': tmp[0] = '\f'; break;
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
                n = put_utf8(tmp, cp);
                break;
            default: tmp[0] = e; break;
            }
        } else {
            tmp[0] = s->t[s->i++];
        }
        for (size_t k = 0; k < n; k++, o++)
            if (o < cap)
                out[o] = tmp[k];
    }
    s->i++; /* closing quote */
    *outlen = o;
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
                char buf[256];
                size_t klen;
                read_string(&s, buf, sizeof buf, &klen);
                int match = klen == want && want <= sizeof buf && memcmp(buf, st->key, want) == 0;
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
