/* Numbers and units as Chinese reports write them: "2,100.09", full-width
 * "２１００．０９", "100％", Chinese numerals "十二", "两千", and units such as
 * 万元 / 亿元 / 万件, converted exactly (decimal exponent arithmetic, never a
 * binary multiplication). */
#ifndef JX_NO_EXTRACT

#include <string.h>

#include "extract/numtext.h"

/* Next code point of s[*i..len), with full-width ASCII folded to ASCII. */
static uint32_t next_cp(const char *s, size_t len, size_t *i)
{
    uint32_t cp;
    size_t n = jxi_utf8_decode(s + *i, len - *i, &cp);
    if (n == 0)
        return 0xFFFFFFFFu;
    *i += n;
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0; /* ０ → 0, ． → ., ， → ,, ％ → % */
    return cp;
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0;
}

static int dec_push(jxi_decnum *d, int digit, int *sig)
{
    if (*sig >= 18) {
        /* Past 18 significant digits only the magnitude matters. */
        d->e++;
        return 0;
    }
    d->m = d->m * 10 + (uint64_t)digit;
    if (d->m)
        (*sig)++;
    return 0;
}

static int digit_follows(const char *s, size_t len, size_t i)
{
    uint32_t cp = i < len ? next_cp(s, len, &i) : 0;
    return cp >= '0' && cp <= '9';
}

/* Arabic digits with optional thousands separators and decimals. */
static int parse_arabic(const char *s, size_t len, jxi_decnum *d, size_t *used, char *why,
                        size_t whylen)
{
    size_t i = 0, last = 0;
    int sig = 0, digits = 0, frac = -1, group = -1;
    memset(d, 0, sizeof *d);
    while (i < len) {
        size_t at = i;
        uint32_t cp = next_cp(s, len, &i);
        if (cp >= '0' && cp <= '9') {
            dec_push(d, (int)(cp - '0'), &sig);
            digits++;
            if (frac >= 0) {
                frac++;
                d->e--;
            }
            if (group >= 0)
                group++;
            last = i;
        } else if ((cp == ',' || cp == '.') && digits > 0 && !digit_follows(s, len, i)) {
            /* Punctuation after the number, not part of it. */
            i = at;
            break;
        } else if (cp == ',' && frac < 0 && digits > 0) {
            if (group >= 0 && group != 3) {
                snprintf(why, whylen, "thousands separator in the wrong place");
                return JX_EVALUE;
            }
            group = 0;
        } else if (cp == '.' && frac < 0 && digits > 0) {
            if (group >= 0 && group != 3) {
                snprintf(why, whylen, "thousands separator in the wrong place");
                return JX_EVALUE;
            }
            group = -1;
            frac = 0;
        } else {
            i = at;
            break;
        }
    }
    if (group >= 0 && group != 3) {
        snprintf(why, whylen, "thousands separator in the wrong place");
        return JX_EVALUE;
    }
    if (digits == 0)
        return JX_EVALUE;
    *used = last;
    return 0;
}

static int cn_digit(uint32_t cp)
{
    switch (cp) {
    case 0x96F6: case 0x3007: return 0;          /* 零 〇 */
    case 0x4E00: return 1;                       /* 一 */
    case 0x4E8C: case 0x4E24: return 2;          /* 二 两 */
    case 0x4E09: return 3;                       /* 三 */
    case 0x56DB: return 4;                       /* 四 */
    case 0x4E94: return 5;                       /* 五 */
    case 0x516D: return 6;                       /* 六 */
    case 0x4E03: return 7;                       /* 七 */
    case 0x516B: return 8;                       /* 八 */
    case 0x4E5D: return 9;                       /* 九 */
    default: return -1;
    }
}

static int cn_small_unit(uint32_t cp)
{
    switch (cp) {
    case 0x5341: return 10;   /* 十 */
    case 0x767E: return 100;  /* 百 */
    case 0x5343: return 1000; /* 千 */
    default: return 0;
    }
}

/* Chinese numerals for whole counts: 十二, 两千, 三万五千, 一百零五. A
 * trailing 万 or 亿 is left for the unit ("三万件" is 3 万件) only when
 * nothing follows it that is a numeral. */
static int parse_chinese(const char *s, size_t len, jxi_decnum *d, size_t *used)
{
    uint64_t total = 0, section = 0, digit = 0;
    int any = 0, pending = 0;
    size_t i = 0, last = 0;
    memset(d, 0, sizeof *d);
    while (i < len) {
        size_t at = i;
        uint32_t cp;
        size_t n = jxi_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            break;
        i += n;
        int dg = cn_digit(cp), su = cn_small_unit(cp);
        if (dg >= 0) {
            digit = (uint64_t)dg;
            pending = 1;
            any = 1;
            last = i;
        } else if (su) {
            /* "十二": a bare 十 means one ten. */
            section += (pending || digit ? digit : 1) * (uint64_t)su;
            digit = 0;
            pending = 0;
            any = 1;
            last = i;
        } else if (cp == 0x4E07 || cp == 0x4EBF) { /* 万 亿 */
            /* Only a multiplier if more numerals follow; else it is the
             * unit's prefix. */
            uint32_t nx;
            size_t m = i < len ? jxi_utf8_decode(s + i, len - i, &nx) : 0;
            if (!m || (cn_digit(nx) < 0 && !cn_small_unit(nx))) {
                i = at;
                break;
            }
            uint64_t mult = cp == 0x4E07 ? 10000ull : 100000000ull;
            total = (total + section + digit) * mult;
            section = digit = 0;
            pending = 0;
            last = i;
        } else {
            i = at;
            break;
        }
    }
    if (!any)
        return JX_EVALUE;
    d->m = total + section + digit;
    *used = last;
    return 0;
}

int jxi_numtext_parse(const char *s, size_t len, jxi_decnum *d, size_t *used, char *why,
                      size_t whylen)
{
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        if (!is_space(next_cp(s, len, &i))) {
            i = at;
            break;
        }
    }
    int neg = 0;
    size_t at = i;
    uint32_t cp = next_cp(s, len, &i);
    if (cp == '-' || cp == 0x2212)
        neg = 1;
    else if (cp != '+')
        i = at;
    size_t n = 0;
    why[0] = '\0';
    int rc = parse_arabic(s + i, len - i, d, &n, why, whylen);
    if (rc < 0 && !why[0])
        rc = parse_chinese(s + i, len - i, d, &n);
    if (rc < 0) {
        if (!why[0])
            snprintf(why, whylen, "no number found");
        return rc;
    }
    d->neg = neg && d->m != 0;
    *used = i + n;
    return 0;
}

/* Scale prefixes of units: 万元 is 10^4 元. */
static const struct { const char *prefix; int exp; } prefixes[] = {
    {"万亿", 12}, {"千万", 7}, {"百万", 6}, {"十万", 5}, {"亿", 8}, {"万", 4}, {"千", 3},
    {"百", 2},
};

void jxi_unit_split(const char *unit, size_t len, const char **base, size_t *blen, int *exp)
{
    *exp = 0;
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        size_t pl = strlen(prefixes[k].prefix);
        if (len > pl && memcmp(unit, prefixes[k].prefix, pl) == 0) {
            *exp = prefixes[k].exp;
            unit += pl;
            len -= pl;
            break;
        }
    }
    /* Full-width ％ is %; 名 and 位 count people as 人 does. */
    if (len == 3 && memcmp(unit, "％", 3) == 0) {
        unit = "%";
        len = 1;
    } else if (len == 3 && (memcmp(unit, "名", 3) == 0 || memcmp(unit, "位", 3) == 0)) {
        unit = "人";
    }
    *base = unit;
    *blen = len;
}

int jxi_unit_convert(jxi_decnum *d, const char *from, size_t flen, const char *to, size_t tlen,
                     char *why, size_t whylen)
{
    const char *fb, *tb;
    size_t fbl, tbl;
    int fe, te;
    jxi_unit_split(from, flen, &fb, &fbl, &fe);
    jxi_unit_split(to, tlen, &tb, &tbl, &te);
    if (fbl != tbl || memcmp(fb, tb, fbl) != 0) {
        /* A bare scale ("万") carries no base: it fits any base. */
        if (fbl != 0 || fe == 0) {
            snprintf(why, whylen, "unit \"%.*s\" cannot be converted to \"%.*s\"", (int)flen,
                     from, (int)tlen, to);
            return JX_EVALUE;
        }
    }
    d->e += fe - te;
    return 0;
}

double jxi_decnum_value(const jxi_decnum *d)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double v = (double)d->m;
    int e = d->e;
    while (e > 22) {
        v *= 1e22;
        e -= 22;
    }
    while (e < -22) {
        v /= 1e22;
        e += 22;
    }
    v = e >= 0 ? v * p10[e] : v / p10[-e];
    return d->neg ? -v : v;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_numtext_unused;
#endif /* JX_NO_EXTRACT */
