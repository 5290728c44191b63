/* UTF-8 decoding and source positions. */
#include "util/internal.h"

size_t jxi_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are invalid. */
    if (v < min || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
        return 0;
    *cp = v;
    return n;
}

size_t jxi_utf8_encode(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 63));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | ((cp >> 6) & 63));
        o[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63));
    o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

size_t jxi_utf8_check(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = jxi_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return (size_t)-1;
}

void jxi_line_column(const char *s, size_t len, size_t offset, int *line, int *column)
{
    int l = 1, c = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++; /* count code points, not bytes */
        }
    }
    *line = l;
    *column = c;
}

int jxi_looks_gbk(const char *str, size_t len, size_t from)
{
    /* GBK (and GB18030's two-byte subset) writes every Chinese character as
     * a lead byte 0x81-0xFE and a trail byte 0x40-0xFE other than 0x7F.
     * Text that is not UTF-8 yet reads wholly as such pairs, with at least a
     * few of them, is named GBK in the error: the usual cause is a report
     * saved from an older Windows tool. */
    const unsigned char *s = (const unsigned char *)str;
    size_t pairs = 0;
    for (size_t i = from; i < len; i++) {
        if (s[i] < 0x80)
            continue;
        if (s[i] == 0x80 || s[i] == 0xFF || i + 1 >= len)
            return 0;
        unsigned t = s[i + 1];
        if (t < 0x40 || t == 0x7F || t == 0xFF)
            return 0;
        pairs++;
        i++;
    }
    return pairs >= 2;
}

void jxi_utf8_error(jx_error *err, const char *what, const char *s, size_t len, size_t bad)
{
    if (jxi_looks_gbk(s, len, bad))
        jxi_error_set(err, JX_ESYNTAX,
                      "%s is not valid UTF-8 at byte %zu: it looks GBK-encoded; convert it "
                      "first (iconv -f GBK -t UTF-8)", what, bad);
    else
        jxi_error_set(err, JX_ESYNTAX, "%s is not valid UTF-8 at byte %zu", what, bad);
    if (err) {
        err->offset = (long)bad;
        jxi_line_column(s, len, bad, &err->line, &err->column);
    }
}
