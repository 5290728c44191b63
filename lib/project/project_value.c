/* 年度指标值 and 实际完成值 as written on the form: "≥500人次", "≤5%",
 * "=100%", "达成", "部分达成(70%)", "不适用". */
#include <stdio.h>
#include <string.h>

#include "project/project.h"

static const struct { const char *s; char op; } ops[] = {
    {"\xE2\x89\xA5", '>'}, {"\xE2\x89\xA4", '<'}, /* ≥ ≤ */
    {"\xE2\x89\xA7", '>'}, {"\xE2\x89\xA6", '<'}, /* ≧ ≦ */
    {">=", '>'}, {"<=", '<'}, {"\xEF\xBC\x9E=", '>'}, {"\xEF\xBC\x9C=", '<'},
    {">", '>'}, {"<", '<'}, {"\xEF\xBC\x9E", '>'}, {"\xEF\xBC\x9C", '<'}, /* ＞ ＜ */
    {"=", '='}, {"\xEF\xBC\x9D", '='}, /* ＝ */
};

static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    for (;;) {
        if (n && (*p == ' ' || *p == '\t')) {
            p++; n--;
        } else if (n >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0) { /* U+3000 */
            p += 3; n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        else if (n >= 3 && memcmp(p + n - 3, "\xE3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    *s = p;
    *len = n;
}

static int has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* A decimal "12", "4.2", "-3" at s; returns bytes used (0 if none). */
static size_t scan_number(const char *s, size_t n, char *out, size_t size)
{
    size_t i = 0, k = 0;
    int digits = 0, dot = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        if (s[i] == '-' && k + 1 < size)
            out[k++] = '-';
        i++;
    }
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && !dot))) {
        if (s[i] == '.')
            dot = 1;
        else
            digits++;
        if (k + 1 >= size)
            return 0;
        out[k++] = s[i++];
    }
    out[k] = '\0';
    if (!digits || (k && out[k - 1] == '.'))
        return 0;
    return i;
}

static int unit_of(const char *s, size_t n, char *unit, size_t size, char *why, size_t whylen)
{
    trim(&s, &n);
    if (n >= 3 && memcmp(s, "\xEF\xBC\x85", 3) == 0 && n == 3) { /* ％ */
        s = "%"; n = 1;
    }
    if (has_digit(s, n) || n >= size) {
        snprintf(why, whylen, "\"%.*s\" after the number is not a unit", (int)n, s);
        return JX_EVALUE;
    }
    memcpy(unit, s, n);
    unit[n] = '\0';
    return 0;
}

int jxi_pvalue_parse(const char *s, int is_target, const char *na_word, jxi_pvalue *v,
                     char *why, size_t whylen)
{
    size_t n = strlen(s);
    memset(v, 0, sizeof *v);
    trim(&s, &n);
    if (n == 0) {
        v->kind = JXI_PV_EMPTY;
        return 0;
    }
    if (na_word && strlen(na_word) == n && memcmp(s, na_word, n) == 0) {
        v->kind = JXI_PV_NA;
        return 0;
    }
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t ol = strlen(ops[k].s);
        if (n >= ol && memcmp(s, ops[k].s, ol) == 0) {
            v->op = ops[k].op;
            s += ol;
            n -= ol;
            trim(&s, &n);
            break;
        }
    }
    size_t used = scan_number(s, n, v->num, sizeof v->num);
    if (used) {
        if (is_target && !v->op) {
            snprintf(why, whylen, "a number target needs its operator: write ≥, ≤ or = before it");
            return JX_EVALUE;
        }
        if (!is_target && v->op) {
            snprintf(why, whylen, "an actual value is a number or a level, without ≥, ≤ or =");
            return JX_EVALUE;
        }
        v->kind = JXI_PV_NUMBER;
        return unit_of(s + used, n - used, v->unit, sizeof v->unit, why, whylen);
    }
    if (v->op) {
        snprintf(why, whylen, "expected a number after the operator, as in ≥500人次 or ≤5%%");
        return JX_EVALUE;
    }
    /* A word: a qualitative target, or a level with an optional percent. */
    size_t w = 0;
    while (w < n && s[w] != '(' && s[w] != ' ' && !(s[w] >= '0' && s[w] <= '9')
           && !(n - w >= 3 && memcmp(s + w, "\xEF\xBC\x88", 3) == 0)) /* （ */
        w++;
    if (w == 0 || w >= sizeof v->word) {
        snprintf(why, whylen, "expected a number with its unit or a word");
        return JX_EVALUE;
    }
    memcpy(v->word, s, w);
    v->word[w] = '\0';
    const char *r = s + w;
    size_t rn = n - w;
    trim(&r, &rn);
    if (rn == 0) {
        v->kind = JXI_PV_WORD;
        return 0;
    }
    if (is_target) {
        snprintf(why, whylen, "a qualitative target is words only; a number target starts "
                 "with ≥, ≤ or =");
        return JX_EVALUE;
    }
    int paren = 0;
    if (*r == '(') {
        r++; rn--; paren = 1;
    } else if (rn >= 3 && memcmp(r, "\xEF\xBC\x88", 3) == 0) {
        r += 3; rn -= 3; paren = 3;
    }
    if (paren) {
        if (paren == 1 && rn && r[rn - 1] == ')')
            rn--;
        else if (paren == 3 && rn >= 3 && memcmp(r + rn - 3, "\xEF\xBC\x89", 3) == 0)
            rn -= 3;
        else {
            snprintf(why, whylen, "a '(' without its ')'");
            return JX_EVALUE;
        }
    }
    trim(&r, &rn);
    used = scan_number(r, rn, v->percent, sizeof v->percent);
    char unit[8];
    if (!used || unit_of(r + used, rn - used, unit, sizeof unit, why, whylen) != 0
        || strcmp(unit, "%") != 0) {
        snprintf(why, whylen, "after the level, expected a percent such as (70%%)");
        return JX_EVALUE;
    }
    v->kind = JXI_PV_WORD;
    v->has_percent = 1;
    return 0;
}

/* Scale prefix of a unit: 万人次 → 4 and 人次. */
static const char *split(const char *u, int *exp)
{
    static const struct { const char *p; int e; } pre[] = {
        {"\xE4\xBA\xBF", 8}, {"\xE4\xB8\x87", 4}, {"\xE5\x8D\x83", 3}, /* 亿 万 千 */
    };
    *exp = 0;
    for (size_t k = 0; k < sizeof pre / sizeof pre[0]; k++)
        if (strncmp(u, pre[k].p, 3) == 0 && u[3] != '\0') {
            *exp = pre[k].e;
            return u + 3;
        }
    return u;
}

int jxi_pvalue_convert(char *num, size_t size, const char *from, const char *to, char *why,
                       size_t whylen)
{
    int ef, et;
    const char *bf = split(from, &ef), *bt = split(to, &et);
    if (strcmp(bf, bt) != 0) {
        snprintf(why, whylen, "unit \"%s\" of 实际完成值 does not agree with unit \"%s\" of "
                 "年度指标值", from, to);
        return JX_EVALUE;
    }
    int shift = ef - et; /* value in `to` = value in `from` × 10^shift */
    if (shift == 0)
        return 0;
    /* Move the decimal point exactly, on the digits as written. */
    char digits[96];
    size_t nd = 0;
    int neg = num[0] == '-', point = -1;
    for (const char *p = num + neg; *p; p++) {
        if (*p == '.')
            point = (int)nd;
        else if (nd + 1 < sizeof digits)
            digits[nd++] = *p;
    }
    if (point < 0)
        point = (int)nd;
    point += shift;
    char out[128];
    size_t k = 0;
    if (neg)
        out[k++] = '-';
    if (point <= 0) {
        out[k++] = '0';
        out[k++] = '.';
        for (int z = point; z < 0; z++)
            out[k++] = '0';
        for (size_t d = 0; d < nd && k + 2 < sizeof out; d++)
            out[k++] = digits[d];
    } else {
        for (int d = 0; d < point && k + 2 < sizeof out; d++)
            out[k++] = (size_t)d < nd ? digits[d] : '0';
        if ((size_t)point < nd) {
            out[k++] = '.';
            for (size_t d = (size_t)point; d < nd && k + 2 < sizeof out; d++)
                out[k++] = digits[d];
        }
    }
    out[k] = '\0';
    /* "00500" → "500", "00.5" stays "0.5". */
    size_t z = neg, lead = 0;
    while (out[z + lead] == '0' && out[z + lead + 1] != '\0' && out[z + lead + 1] != '.')
        lead++;
    if (lead) {
        memmove(out + z, out + z + lead, k - z - lead + 1);
        k -= lead;
    }
    if (k + 1 > size) {
        snprintf(why, whylen, "the number is too long");
        return JX_EVALUE;
    }
    memcpy(num, out, k + 1);
    return 0;
}
