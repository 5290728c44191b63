/* A growable string that remembers allocation failure, so callers check
 * once at the end. */
#include <stdio.h>
#include <string.h>

#include "util/internal.h"
#include "util/num.h"

void jxi_buf_init(jxi_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void jxi_buf_free(jxi_buf *b)
{
    jxi_free(b->data);
    jxi_buf_init(b);
}

static int reserve(jxi_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return 0;
        }
        cap *= 2;
    }
    char *p = jxi_realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void jxi_buf_append(jxi_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void jxi_buf_puts(jxi_buf *b, const char *s)
{
    jxi_buf_append(b, s, strlen(s));
}

void jxi_buf_putc(jxi_buf *b, char c)
{
    jxi_buf_append(b, &c, 1);
}

void jxi_buf_printf(jxi_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        jxi_buf_append(b, tmp, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void jxi_buf_number(jxi_buf *b, double x, int digits)
{
    char tmp[128];
    size_t n = jxi_format(x, digits, tmp, sizeof tmp);
    jxi_buf_append(b, tmp, n < sizeof tmp ? n : sizeof tmp - 1);
}

void jxi_buf_number_g(jxi_buf *b, double x)
{
    char tmp[128];
    size_t n = jxi_format_g(x, tmp, sizeof tmp);
    jxi_buf_append(b, tmp, n < sizeof tmp ? n : sizeof tmp - 1);
}

void jxi_buf_json_string(jxi_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    jxi_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': jxi_buf_puts(b, "\\\""); break;
        case '\\': jxi_buf_puts(b, "\\\\"); break;
        case '\n': jxi_buf_puts(b, "\\n"); break;
        case '\r': jxi_buf_puts(b, "\\r"); break;
        case '\t': jxi_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20) {
                char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
                jxi_buf_append(b, esc, 6);
            } else {
                jxi_buf_putc(b, (char)*p);
            }
        }
    }
    jxi_buf_putc(b, '"');
}

void jxi_buf_json_key(jxi_buf *b, const char *k)
{
    jxi_buf_json_string(b, k);
    jxi_buf_putc(b, ':');
}

char *jxi_buf_take(jxi_buf *b)
{
    if (b->failed) {
        jxi_buf_free(b);
        return NULL;
    }
    if (!b->data && !reserve(b, 0)) {
        jxi_buf_free(b);
        return NULL;
    }
    if (b->len == 0)
        b->data[0] = '\0';
    char *s = b->data;
    jxi_buf_init(b);
    return s;
}
