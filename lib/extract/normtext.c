/* Report text as patterns see it: the same words with the accidents of
 * typing and PDF export taken out, and a map back to the original bytes so
 * that every match is still reported where the author wrote it.
 *
 *   - full-width ASCII (２１００．０９, ：, ％, （, ｜) becomes ASCII, the
 *     ideographic space a space;
 *   - a run of blanks holding at most one line break is dropped where it
 *     splits a word or a figure: between two ideographs (目 标, 优 秀, a line
 *     wrapped mid-word), around a decimal point (803 .74), between a number
 *     and its unit (803.74 万元), and within one line between a keyword and
 *     its number (收入 2100.09, 收入: 2100.09).
 *
 * Blanks between two numbers stay: they separate the cells of a flattened
 * table. A line break between a word and a number stays too: it ends a
 * table's header row. */
#ifndef JX_NO_EXTRACT

#include <string.h>

#include "extract/normtext.h"

static int is_ideograph(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

/* Chinese punctuation: CJK symbols (、。《》「」（）...) and curly quotes. */
static int is_cjk_punct(uint32_t c)
{
    return (c >= 0x3001 && c <= 0x303F) || (c >= 0x2018 && c <= 0x201D) ||
           c == 0xFF08 || c == 0xFF09 || c == 0xFF0C || c == 0xFF1A || c == 0xFF1B;
}

static int is_cjk(uint32_t c) { return is_ideograph(c) || is_cjk_punct(c); }

static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* The first character of a unit that follows a number. */
static int is_unit_start(uint32_t c)
{
    static const uint32_t units[] = {0x4E07 /* 万 */, 0x4EBF /* 亿 */, 0x5343 /* 千 */,
                                     0x767E /* 百 */, 0x5143 /* 元 */, 0x4EBA /* 人 */,
                                     0x540D /* 名 */, 0x4E2A /* 个 */, 0x4EF6 /* 件 */,
                                     0x6B21 /* 次 */, 0x9879 /* 项 */, 0x5206 /* 分 */,
                                     0x6237 /* 户 */, 0x5BB6 /* 家 */, 0x4F4D /* 位 */,
                                     '%'};
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (c == units[k])
            return 1;
    return 0;
}

static int is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0;
}

/* The code point as patterns see it. */
static uint32_t fold(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        return c - 0xFF01 + 0x21;
    if (c == 0x3000)
        return ' ';
    return c;
}

/* Record that normalized byte `at` comes from original byte `orig`, when
 * that is not what the current segment already says. */
static int map_at(jxi_normtext *nt, size_t at, size_t orig)
{
    if (nt->nseg > 0 && nt->seg_orig[nt->nseg - 1] + (at - nt->seg_at[nt->nseg - 1]) == orig)
        return 0;
    if (nt->nseg > 0 && nt->seg_at[nt->nseg - 1] == at) {
        nt->seg_orig[nt->nseg - 1] = orig;
        return 0;
    }
    if (nt->nseg == nt->cap) {
        size_t cap = nt->cap ? nt->cap * 2 : 64;
        size_t *a = jxi_realloc(nt->seg_at, cap * sizeof *a);
        if (!a)
            return JX_ENOMEM;
        nt->seg_at = a;
        size_t *o = jxi_realloc(nt->seg_orig, cap * sizeof *o);
        if (!o)
            return JX_ENOMEM;
        nt->seg_orig = o;
        nt->cap = cap;
    }
    nt->seg_at[nt->nseg] = at;
    nt->seg_orig[nt->nseg] = orig;
    nt->nseg++;
    return 0;
}

/* Decode the (valid) UTF-8 code point at s[i]. */
static uint32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    uint32_t c = (unsigned char)s[i];
    if (c < 0x80) {
        *n = 1;
        return c;
    }
    *n = jxi_utf8_decode(s + i, len - i, &c);
    if (*n == 0) { /* not reached for checked text; step one byte */
        *n = 1;
        return 0xFFFD;
    }
    return c;
}

/* A byte that may begin a blank (space, tab, line break, U+3000, U+00A0),
 * a full-width ASCII character (U+FF01-U+FF5E) or a table's bar. */
static int may_change(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '|' || b == 0xE3 ||
           b == 0xEF || b == 0xC2;
}

/* Whether a run of blanks between `left` and `right` holding `breaks` line
 * breaks splits a word or a figure. `prose` tells whether the line the run
 * ends had no blanks of its own: a line break there wrapped a sentence,
 * not a table's header row. */
static int drop_blanks(uint32_t left, uint32_t right, int breaks, int prose)
{
    if (breaks > 1)
        return 0;
    if (is_cjk(left) && is_cjk(right) && (is_ideograph(left) || is_ideograph(right)))
        return 1;
    if (breaks == 1 && prose && is_ideograph(left) && is_digit(right))
        return 1;
    if ((is_digit(left) && right == '.') || (left == '.' && is_digit(right)))
        return 1;
    if ((is_digit(left) || left == '%') && is_unit_start(right))
        return 1;
    return breaks == 0 && (is_ideograph(left) || left == ':') && is_digit(right);
}

int jxi_normtext_make(jxi_normtext *nt, const char *s, size_t len)
{
    memset(nt, 0, sizeof *nt);
    /* Folding and dropping only shorten the text. */
    if (!(nt->text = jxi_malloc(len + 1)))
        return JX_ENOMEM;
    if (map_at(nt, 0, 0) < 0)
        return JX_ENOMEM;
    size_t o = 0;
    uint32_t last = 0;
    int line_plain = 1; /* no blank kept on the current line so far */
    for (size_t i = 0; i < len;) {
        /* Most of a report needs nothing done: copy up to the next byte that
         * may start a blank or a full-width character. */
        size_t plain = i;
        while (plain < len && !may_change((unsigned char)s[plain]))
            plain++;
        if (plain > i) {
            memcpy(nt->text + o, s + i, plain - i);
            o += plain - i;
            size_t lastc = plain - 1, n;
            while (lastc > i && ((unsigned char)s[lastc] & 0xC0) == 0x80)
                lastc--;
            last = cp_at(s, len, lastc, &n);
            i = plain;
            continue;
        }
        size_t n;
        uint32_t c = cp_at(s, len, i, &n);
        if (is_blank(c)) {
            size_t j = i;
            int breaks = 0;
            uint32_t next = 0;
            while (j < len) {
                size_t m;
                uint32_t d = cp_at(s, len, j, &m);
                if (!is_blank(d)) {
                    next = fold(d);
                    break;
                }
                breaks += d == '\n';
                j += m;
            }
            if (j < len && o > 0 && drop_blanks(last, next, breaks, line_plain)) {
                if (map_at(nt, o, j) < 0)
                    return JX_ENOMEM;
                i = j;
                continue;
            }
        }
        if (c == '\n')
            line_plain = 1;
        else if (is_blank(c) || c == '|' || c == 0xFF5C)
            line_plain = 0;
        uint32_t f = fold(c);
        if (f == c) {
            memcpy(nt->text + o, s + i, n);
            o += n;
        } else {
            if (map_at(nt, o, i) < 0)
                return JX_ENOMEM;
            o += jxi_utf8_encode(nt->text + o, f);
            if (map_at(nt, o, i + n) < 0)
                return JX_ENOMEM;
        }
        last = f;
        i += n;
    }
    nt->text[o] = '\0';
    nt->len = o;
    nt->orig = s;
    nt->orig_len = len;
    return 0;
}

size_t jxi_normtext_orig(const jxi_normtext *nt, size_t off, size_t *hint)
{
    size_t k = jxi_find_le(nt->seg_at, nt->nseg, off, hint);
    return nt->seg_orig[k] + (off - nt->seg_at[k]);
}

size_t jxi_normtext_orig_end(const jxi_normtext *nt, size_t start, size_t end, size_t *hint)
{
    if (end <= start)
        return jxi_normtext_orig(nt, start, hint);
    size_t last = end - 1;
    while (last > start && ((unsigned char)nt->text[last] & 0xC0) == 0x80)
        last--;
    size_t o = jxi_normtext_orig(nt, last, hint), n;
    cp_at(nt->orig, nt->orig_len, o, &n);
    return o + n;
}

void jxi_normtext_free(jxi_normtext *nt)
{
    jxi_free(nt->text);
    jxi_free(nt->seg_at);
    jxi_free(nt->seg_orig);
    memset(nt, 0, sizeof *nt);
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_normtext_unused;
#endif /* JX_NO_EXTRACT */
