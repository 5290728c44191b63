/* A fast reader for well-formed documents (see jsonctx.h).
 *
 * jansson's decoder reads a byte at a time through a callback and copies
 * every token twice; this reader walks the buffer directly and builds the
 * very same jansson values with jansson's own constructors. It accepts a
 * strict subset of what jxi_json_parse's checks accept, and gives up (NULL)
 * at anything else: invalid or unusual text, a NUL escape, a duplicate key,
 * a number it cannot convert exactly as jansson does, deep nesting, or a
 * failed allocation. The caller then runs the full checks and jansson's
 * decoder, which find and report the problem as before. */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "load/jsonctx.h"

typedef struct rd_state {
    const char *t;
    size_t len, i;
    int depth, max_depth;
    char point; /* the locale's decimal point, once a real is met */
} rd_state;

static json_t *rd_value(rd_state *r);

static void rd_ws(rd_state *r)
{
    while (r->i < r->len) {
        char c = r->t[r->i];
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
            break;
        r->i++;
    }
}

static int rd_hex4(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v += (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v += (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v += (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Decode the escapes of t[from, to) into out (never longer than the
 * source). Returns the length, or -1 for anything jansson would refuse or
 * that would hold a NUL. */
static long rd_unescape(const char *t, size_t from, size_t to, char *out)
{
    size_t o = 0;
    for (size_t i = from; i < to;) {
        char c = t[i];
        if (c != '\\') {
            out[o++] = c;
            i++;
            continue;
        }
        c = t[i + 1];
        i += 2;
        switch (c) {
        case '"': case '\\': case '/': out[o++] = c; continue;
        case 'b': out[o++] = '\b'; continue;
        case 'f': out[o++] = '\f'; continue;
        case 'n': out[o++] = '\n'; continue;
        case 'r': out[o++] = '\r'; continue;
        case 't': out[o++] = '\t'; continue;
        case 'u': break;
        default: return -1;
        }
        uint32_t cp, lo;
        if (i + 4 > to || rd_hex4(t + i, &cp) < 0 || cp == 0)
            return -1;
        i += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return -1;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 6 > to || t[i] != '\\' || t[i + 1] != 'u' || rd_hex4(t + i + 2, &lo) < 0 ||
                lo < 0xDC00 || lo > 0xDFFF)
                return -1;
            i += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else if (cp < 0x800) {
            out[o++] = (char)(0xC0 | cp >> 6);
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[o++] = (char)(0xE0 | cp >> 12);
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | cp >> 18);
            out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    return (long)o;
}

/* Scan the string literal at r->i (at '"'). On success (*s, *n) is its value:
 * the text itself when it has no escapes, else decoded into *heap (to be
 * freed by the caller) or `buf` (of `cap` bytes). */
static int rd_string(rd_state *r, const char **s, size_t *n, char *buf, size_t cap,
                     char **heap)
{
    const char *t = r->t;
    size_t i = ++r->i, len = r->len;
    int escaped = 0;
    for (;;) {
        if (i >= len)
            return -1;
        unsigned char c = (unsigned char)t[i];
        if (c == '"')
            break;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            escaped = 1;
            i += 2;
        } else if (c < 0x80) {
            i++;
        } else {
            uint32_t cp;
            size_t k = jxi_utf8_decode(t + i, len - i, &cp);
            if (k == 0)
                return -1;
            i += k;
        }
    }
    size_t from = r->i;
    r->i = i + 1;
    if (!escaped) {
        *s = t + from;
        *n = i - from;
        return 0;
    }
    char *out = buf;
    if (i - from > cap) {
        out = *heap = jxi_malloc(i - from);
        if (!out)
            return -1;
    }
    long got = rd_unescape(t, from, i, out);
    if (got < 0)
        return -1;
    *s = out;
    *n = (size_t)got;
    return 0;
}

static json_t *rd_number(rd_state *r)
{
    const char *t = r->t;
    size_t start = r->i, i = r->i, len = r->len;
    int neg = 0;
    if (t[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= len || t[i] < '0' || t[i] > '9')
        return NULL;
    if (t[i] == '0') {
        i++;
        if (i < len && t[i] >= '0' && t[i] <= '9')
            return NULL;
    } else {
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    int real = 0;
    if (i < len && t[i] == '.') {
        real = 1;
        i++;
        if (i >= len || t[i] < '0' || t[i] > '9')
            return NULL;
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        real = 1;
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= len || t[i] < '0' || t[i] > '9')
            return NULL;
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++;
    }
    r->i = i;
    size_t n = i - start;
    if (!real && n - (size_t)neg <= 18) {
        /* At most 18 digits cannot overflow: no need for strtoll. */
        json_int_t v = 0;
        for (size_t k = start + (size_t)neg; k < i; k++)
            v = v * 10 + (t[k] - '0');
        return json_integer(neg ? -v : v);
    }
    char tok[64];
    if (n >= sizeof tok)
        return NULL;
    memcpy(tok, t + start, n);
    tok[n] = '\0';
    char *end;
    errno = 0;
    if (!real) {
        long long v = strtoll(tok, &end, 10);
        if (errno == ERANGE || end != tok + n)
            return NULL;
        return json_integer((json_int_t)v);
    }
    /* As jansson does: strtod in the C library's locale, with the locale's
     * decimal point in place of the first '.'. */
    if (!r->point)
        r->point = localeconv()->decimal_point[0];
    if (r->point != '.') {
        char *dot = strchr(tok, '.');
        if (dot)
            *dot = r->point;
    }
    double d = strtod(tok, &end);
    if (end != tok + n || errno == ERANGE)
        return NULL;
    return json_real(d); /* NULL for an infinity */
}

static json_t *rd_object(rd_state *r)
{
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    r->i++;
    rd_ws(r);
    if (r->i < r->len && r->t[r->i] == '}') {
        r->i++;
        return obj;
    }
    for (;;) {
        if (r->i >= r->len || r->t[r->i] != '"')
            goto fail;
        char buf[256], *heap = NULL;
        const char *key;
        size_t kn;
        if (rd_string(r, &key, &kn, buf, sizeof buf, &heap) < 0) {
            jxi_free(heap);
            goto fail;
        }
        rd_ws(r);
        json_t *v = NULL;
        if (r->i < r->len && r->t[r->i] == ':') {
            r->i++;
            v = rd_value(r);
        }
        size_t before = json_object_size(obj);
        /* Steals v, even on failure; a duplicate key replaces the value
         * and leaves the size as it was. */
        int bad = !v || json_object_setn_new_nocheck(obj, key, kn, v) < 0 ||
                  json_object_size(obj) == before;
        jxi_free(heap);
        if (bad)
            goto fail;
        rd_ws(r);
        if (r->i >= r->len)
            goto fail;
        char c = r->t[r->i++];
        if (c == '}')
            return obj;
        if (c != ',')
            goto fail;
        rd_ws(r);
    }
fail:
    json_decref(obj);
    return NULL;
}

static json_t *rd_array(rd_state *r)
{
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    r->i++;
    rd_ws(r);
    if (r->i < r->len && r->t[r->i] == ']') {
        r->i++;
        return arr;
    }
    for (;;) {
        json_t *v = rd_value(r);
        if (!v || json_array_append_new(arr, v) < 0)
            goto fail;
        rd_ws(r);
        if (r->i >= r->len)
            goto fail;
        char c = r->t[r->i++];
        if (c == ']')
            return arr;
        if (c != ',')
            goto fail;
    }
fail:
    json_decref(arr);
    return NULL;
}

static json_t *rd_word(rd_state *r, const char *w, size_t n, json_t *v)
{
    if (r->len - r->i < n || memcmp(r->t + r->i, w, n) != 0)
        return NULL;
    r->i += n;
    return v;
}

static json_t *rd_value(rd_state *r)
{
    rd_ws(r);
    if (r->i >= r->len)
        return NULL;
    switch (r->t[r->i]) {
    case '{':
    case '[': {
        if (++r->depth > r->max_depth)
            return NULL;
        json_t *v = r->t[r->i] == '{' ? rd_object(r) : rd_array(r);
        r->depth--;
        return v;
    }
    case '"': {
        char buf[256], *heap = NULL;
        const char *s;
        size_t n;
        json_t *v = NULL;
        if (rd_string(r, &s, &n, buf, sizeof buf, &heap) == 0)
            v = json_stringn_nocheck(s, n);
        jxi_free(heap);
        return v;
    }
    case 't': return rd_word(r, "true", 4, json_true());
    case 'f': return rd_word(r, "false", 5, json_false());
    case 'n': return rd_word(r, "null", 4, json_null());
    default: return rd_number(r);
    }
}

json_t *jxi_json_read_clean(const char *text, size_t len, int max_depth)
{
    rd_state r = {text, len, 0, 0, max_depth, 0};
    rd_ws(&r);
    if (r.i >= len || text[r.i] != '{')
        return NULL;
    json_t *root = rd_value(&r);
    if (!root)
        return NULL;
    rd_ws(&r);
    if (r.i != len) {
        json_decref(root);
        return NULL;
    }
    return root;
}
