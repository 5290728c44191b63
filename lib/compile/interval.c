/* Intervals as scheme authors write them: "(0, 10]", ">= 30", "= 0". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/num.h"
#include "compile/scheme.h"

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A bound: a number, or inf / +inf / -inf. */
static const char *parse_bound(const char *p, double *v)
{
    p = skip_ws(p);
    int neg = 0;
    const char *q = p;
    if (*q == '+' || *q == '-')
        neg = *q++ == '-';
    if (strncmp(q, "inf", 3) == 0) {
        *v = neg ? -INFINITY : INFINITY;
        return q + 3;
    }
    size_t n = jxi_parse_number(p, strlen(p), v);
    return n ? p + n : NULL;
}

int jxi_interval_parse(const char *s, jxi_interval *iv, char *why, size_t whylen)
{
    const char *p = skip_ws(s);
    static const struct { const char *tok; int kind; } ops[] = {
        {">=", 0}, {"≥", 0}, {"<=", 1}, {"≤", 1}, {"==", 2}, {"=", 2}, {">", 3}, {"<", 4},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].tok);
        if (strncmp(p, ops[k].tok, n) != 0)
            continue;
        double v;
        const char *e = parse_bound(p + n, &v);
        if (!e || *skip_ws(e) || !isfinite(v)) {
            snprintf(why, whylen, "expected a finite number after '%s' in \"%s\"", ops[k].tok, s);
            return JX_EVALUE;
        }
        *iv = (jxi_interval){-INFINITY, INFINITY, 0, 0};
        switch (ops[k].kind) {
        case 0: iv->lo = v; iv->lo_incl = 1; break;
        case 1: iv->hi = v; iv->hi_incl = 1; break;
        case 2: iv->lo = iv->hi = v; iv->lo_incl = iv->hi_incl = 1; break;
        case 3: iv->lo = v; break;
        case 4: iv->hi = v; break;
        }
        return 0;
    }
    if (*p == '(' || *p == '[') {
        iv->lo_incl = *p == '[';
        double lo, hi;
        const char *e = parse_bound(p + 1, &lo);
        if (e)
            e = skip_ws(e);
        if (e && *e == ',')
            e = parse_bound(e + 1, &hi);
        else
            e = NULL;
        if (e)
            e = skip_ws(e);
        if (!e || (*e != ')' && *e != ']') || *skip_ws(e + 1)) {
            snprintf(why, whylen, "expected an interval like \"(0, 10]\", got \"%s\"", s);
            return JX_EVALUE;
        }
        iv->hi_incl = *e == ']';
        iv->lo = lo;
        iv->hi = hi;
        if ((isinf(lo) && iv->lo_incl) || (isinf(hi) && iv->hi_incl)) {
            snprintf(why, whylen, "an infinite bound must be open in \"%s\"", s);
            return JX_EVALUE;
        }
        int c = jxi_cmp(lo, hi);
        if (c > 0 || (c == 0 && !(iv->lo_incl && iv->hi_incl))) {
            snprintf(why, whylen, "interval \"%s\" is empty", s);
            return JX_EVALUE;
        }
        return 0;
    }
    snprintf(why, whylen,
             "expected an interval (\"(0, 10]\", \"[90, +inf)\") or a comparison "
             "(\">= 30\", \"= 0\"), got \"%s\"", s);
    return JX_EVALUE;
}

int jxi_interval_contains(const jxi_interval *iv, double x)
{
    if (!isinf(iv->lo)) {
        int c = jxi_cmp_inline(x, iv->lo);
        if (c < 0 || (c == 0 && !iv->lo_incl))
            return 0;
    }
    if (!isinf(iv->hi)) {
        int c = jxi_cmp_inline(x, iv->hi);
        if (c > 0 || (c == 0 && !iv->hi_incl))
            return 0;
    }
    return 1;
}

void jxi_interval_print(const jxi_interval *iv, jxi_buf *b)
{
    int lo_inf = isinf(iv->lo), hi_inf = isinf(iv->hi);
    if (!lo_inf && !hi_inf && jxi_cmp(iv->lo, iv->hi) == 0) {
        jxi_buf_puts(b, "= ");
        jxi_buf_number_g(b, iv->lo);
    } else if (hi_inf && !lo_inf) {
        jxi_buf_puts(b, iv->lo_incl ? ">= " : "> ");
        jxi_buf_number_g(b, iv->lo);
    } else if (lo_inf && !hi_inf) {
        jxi_buf_puts(b, iv->hi_incl ? "<= " : "< ");
        jxi_buf_number_g(b, iv->hi);
    } else if (lo_inf && hi_inf) {
        jxi_buf_puts(b, "(-inf, +inf)");
    } else {
        jxi_buf_putc(b, iv->lo_incl ? '[' : '(');
        jxi_buf_number_g(b, iv->lo);
        jxi_buf_puts(b, ", ");
        jxi_buf_number_g(b, iv->hi);
        jxi_buf_putc(b, iv->hi_incl ? ']' : ')');
    }
}
