/* The scheme digest: SHA-256 of the canonical form of the scheme document
 * (see jx_scheme_digest in jixiao.h). Lives with the loading code because
 * it needs the parsed JSON tree.
 *
 * The canonical text is written here, straight into the hash, rather than
 * by json_dump_callback: jansson's dump allocates per container (its loop
 * check) and per sorted object, which made the digest cost as much as
 * loading the scheme, and its number format follows the jansson version.
 * The output is byte for byte that of json_dumps(JSON_COMPACT |
 * JSON_SORT_KEYS) with jansson 2.14 (tests/test_audit.c checks it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "load/load.h"
#include "util/internal.h"
#include "util/sha256.h"

/* Writes are gathered into a block before they reach the hash. */
typedef struct canon {
    jxi_sha256 sha;
    size_t n;
    char buf[4096];
} canon;

static void out(canon *c, const char *s, size_t n)
{
    if (n > sizeof c->buf - c->n) {
        jxi_sha256_update(&c->sha, c->buf, c->n);
        c->n = 0;
        if (n > sizeof c->buf) {
            jxi_sha256_update(&c->sha, s, n);
            return;
        }
    }
    memcpy(c->buf + c->n, s, n);
    c->n += n;
}

static void out_c(canon *c, char ch) { out(c, &ch, 1); }

/* JSON's minimal escapes; other control characters as \u00XX (upper-case
 * hex, as jansson writes them). The reader has checked the UTF-8. */
static void out_string(canon *c, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    out_c(c, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        out(c, s + run, i - run);
        run = i + 1;
        switch (ch) {
        case '"': out(c, "\\\"", 2); break;
        case '\\': out(c, "\\\\", 2); break;
        case '\b': out(c, "\\b", 2); break;
        case '\f': out(c, "\\f", 2); break;
        case '\n': out(c, "\\n", 2); break;
        case '\r': out(c, "\\r", 2); break;
        case '\t': out(c, "\\t", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            out(c, esc, 6);
        }
        }
    }
    out(c, s + run, len - run);
    out_c(c, '"');
}

/* C's "%.17g" in the C locale, then ".0" for a whole number and the
 * exponent without '+' or leading zeros. Only the digits and the exponent
 * of "%.16e" are read, so the locale's radix character never matters. */
static int out_real(canon *c, double x)
{
    char e[64], o[64];
    int n = snprintf(e, sizeof e, "%.16e", x);
    if (n <= 0 || (size_t)n >= sizeof e)
        return -1;
    const char *p = e;
    size_t k = 0;
    if (*p == '-')
        o[k++] = *p++;
    char dg[17];
    int nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && nd < 17)
            dg[nd++] = *p;
    if (*p != 'e' || nd != 17)
        return -1; /* inf or nan: never in a parsed document */
    int x10 = atoi(p + 1);
    while (nd > 1 && dg[nd - 1] == '0')
        nd--;
    if (x10 >= -4 && x10 < 17) {
        if (x10 < 0) {
            o[k++] = '0';
            o[k++] = '.';
            for (int i = 0; i < -x10 - 1; i++)
                o[k++] = '0';
            memcpy(o + k, dg, (size_t)nd);
            k += (size_t)nd;
        } else {
            for (int i = 0; i <= x10; i++)
                o[k++] = i < nd ? dg[i] : '0';
            o[k++] = '.';
            if (nd > x10 + 1) {
                memcpy(o + k, dg + x10 + 1, (size_t)(nd - x10 - 1));
                k += (size_t)(nd - x10 - 1);
            } else
                o[k++] = '0';
        }
    } else {
        o[k++] = dg[0];
        if (nd > 1) {
            o[k++] = '.';
            memcpy(o + k, dg + 1, (size_t)(nd - 1));
            k += (size_t)(nd - 1);
        }
        k += (size_t)snprintf(o + k, sizeof o - k, "e%d", x10);
    }
    out(c, o, k);
    return 0;
}

typedef struct keyref {
    const char *key;
    size_t len;
    json_t *value;
} keyref;

static int key_cmp(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    int r = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return r ? r : (x->len > y->len) - (x->len < y->len);
}

static int out_value(canon *c, const json_t *v, int depth)
{
    char num[32];
    if (depth > JXI_MAX_JSON_DEPTH) /* the readers' limit; keeps the stack small */
        return -1;
    switch (json_typeof(v)) {
    case JSON_NULL: out(c, "null", 4); return 0;
    case JSON_TRUE: out(c, "true", 4); return 0;
    case JSON_FALSE: out(c, "false", 5); return 0;
    case JSON_INTEGER:
        out(c, num, (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                                     json_integer_value(v)));
        return 0;
    case JSON_REAL: return out_real(c, json_real_value(v));
    case JSON_STRING: out_string(c, json_string_value(v), json_string_length(v)); return 0;
    case JSON_ARRAY:
        out_c(c, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                out_c(c, ',');
            if (out_value(c, json_array_get(v, i), depth + 1) < 0)
                return -1;
        }
        out_c(c, ']');
        return 0;
    case JSON_OBJECT: {
        /* Scheme objects are small: their keys sort on the stack. */
        keyref small[32], *keys = small;
        size_t n = json_object_size(v), i = 0;
        if (n > sizeof small / sizeof small[0] && !(keys = jxi_malloc(n * sizeof *keys)))
            return -1;
        const char *key;
        size_t klen;
        json_t *val;
        json_object_keylen_foreach((json_t *)v, key, klen, val)
        {
            keys[i].key = key;
            keys[i].len = klen;
            keys[i].value = val;
            i++;
        }
        if (n <= 8) {
            for (size_t a = 1; a < n; a++)
                for (size_t b = a; b > 0 && key_cmp(&keys[b - 1], &keys[b]) > 0; b--) {
                    keyref t = keys[b];
                    keys[b] = keys[b - 1];
                    keys[b - 1] = t;
                }
        } else
            qsort(keys, n, sizeof *keys, key_cmp);
        int rc = 0;
        out_c(c, '{');
        for (i = 0; i < n && rc == 0; i++) {
            if (i)
                out_c(c, ',');
            out_string(c, keys[i].key, keys[i].len);
            out_c(c, ':');
            rc = out_value(c, keys[i].value, depth + 1);
        }
        out_c(c, '}');
        if (keys != small)
            jxi_free(keys);
        return rc;
    }
    }
    return -1;
}

int jxi_scheme_digest_json(const json_t *root, char out_hex[65])
{
    canon c;
    jxi_sha256_init(&c.sha);
    c.n = 0;
    if (out_value(&c, root, 0) < 0)
        return JX_ENOMEM;
    jxi_sha256_update(&c.sha, c.buf, c.n);
    jxi_sha256_final_hex(&c.sha, out_hex);
    return 0;
}
