/* Decimal semantics on doubles.
 *
 * Evaluators check scores with a calculator: 5 - (100 - 91.33) * 0.5 is
 * 0.665 to them and rounds to 0.67, while doubles give 0.66499999999999991.
 * Every rounding, floor, ceil and comparison here first reads the double as
 * the nearest decimal of JXI_SNAP_DIGITS significant digits, then works on
 * that decimal exactly. Nothing here uses the process locale. The common
 * cases are answered by the fast paths of num.h, with the same results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/internal.h"
#include "util/num.h"
#include "util/numref.h"

/* A decimal m * 10^e with m < 10^JXI_SNAP_DIGITS. */
typedef struct dec {
    int neg;
    uint64_t m;
    int e;
} dec;

static const uint64_t pow10_u64[] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
    100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
    10000000000000ull, 100000000000000ull, 1000000000000000ull,
    10000000000000000ull, 100000000000000000ull, 1000000000000000000ull,
};

static void dec_normalise(dec *d)
{
    if (d->m == 0) {
        d->neg = 0;
        d->e = 0;
        return;
    }
    while (d->m % 10 == 0) {
        d->m /= 10;
        d->e++;
    }
}

/* x (finite) as its JXI_SNAP_DIGITS-digit decimal, the exact way: printf
 * rounds the binary value correctly (ties to even). */
static void to_dec_exact(double x, dec *d)
{
    d->neg = x < 0;
    d->m = 0;
    d->e = 0;
    if (x == 0)
        return;
    /* %e prints digits and an exponent; the radix character between them may
     * follow the locale, so only the digits are read. */
    char buf[48];
    snprintf(buf, sizeof buf, "%.*e", JXI_SNAP_DIGITS - 1, fabs(x));
    const char *p = buf;
    int nd = 0;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p >= '0' && *p <= '9') {
            d->m = d->m * 10 + (uint64_t)(*p - '0');
            nd++;
        }
    }
    int exp = 0, sign = 1;
    if (*p) {
        p++;
        if (*p == '-' || *p == '+')
            sign = *p++ == '-' ? -1 : 1;
        while (*p >= '0' && *p <= '9')
            exp = exp * 10 + (*p++ - '0');
    }
    d->e = sign * exp - (nd - 1);
    dec_normalise(d);
}

/* ---- Fast paths: lib/util/num.h has the common cases; below, the rest -- */

#if defined(__GNUC__)
#  define NUM_COLD __attribute__((noinline, cold))
#else
#  define NUM_COLD
#endif

static void to_dec(double x, dec *d)
{
    double n;
    int e;
    if (x != 0 && jxi_fast_dec(fabs(x), &n, &e)) {
        d->neg = x < 0;
        d->m = (uint64_t)n;
        d->e = e;
        dec_normalise(d);
        return;
    }
    to_dec_exact(x, d);
}

/* digits[0..n) (digits and at most one '.') times 10^e10, correctly
 * rounded: the cases where one double operation is not exact (more than 53
 * bits of mantissa, or a power of ten past 10^22). strtod rounds correctly;
 * it is given digits and an exponent only, never a radix character, so the
 * locale has no say. 780 significant digits decide the rounding of any
 * double (767 suffice); a nonzero digit beyond them is kept as a final 1. */
static double parse_exact(const char *digits, size_t n, int e10)
{
    char buf[800];
    size_t k = 0;
    long exp = e10;
    int point = 0, sticky = 0;
    for (size_t p = 0; p < n; p++) {
        char d = digits[p];
        if (d == '.') {
            point = 1;
            continue;
        }
        if (k == 0 && d == '0') { /* leading zeros */
            if (point)
                exp--;
            continue;
        }
        if (k < 780) {
            buf[k++] = d;
            if (point)
                exp--;
        } else {
            if (d != '0')
                sticky = 1;
            if (!point)
                exp++;
        }
    }
    if (k == 0)
        return 0;
    if (sticky) {
        buf[k++] = '1';
        exp--;
    }
    snprintf(buf + k, sizeof buf - k, "e%ld", exp);
    return strtod(buf, NULL);
}

static double from_dec(const dec *d)
{
    double v = (double)d->m; /* exact: m < 2^53 */
    if (d->e > 22 || d->e < -22) { /* one operation would not be exact */
        char digits[24];
        int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)d->m);
        v = parse_exact(digits, (size_t)n, d->e);
    } else if (d->e >= 0)
        v = v * jxi_pow10[d->e];
    else
        v = v / jxi_pow10[-d->e];
    return d->neg && v != 0 ? -v : v;
}

static void dec_round(dec *d, int digits);

/* The exact paths, out of line so that the fast ones need no stack frame. */
static NUM_COLD double snap_exact(double x)
{
    dec d;
    to_dec_exact(x, &d);
    return from_dec(&d);
}

static NUM_COLD double round_exact(double x, int digits)
{
    dec d;
    to_dec(x, &d);
    dec_round(&d, digits);
    return from_dec(&d);
}

double jxi_snap(double x)
{
    double v;
    if (!isfinite(x))
        return x;
    return jxi_snap_try(x, &v) ? v : snap_exact(x);
}

/* Round d half-up (away from zero) to `digits` decimals, in place. */
static void dec_round(dec *d, int digits)
{
    if (-d->e <= digits)
        return;
    int k = -d->e - digits;
    if (k > JXI_SNAP_DIGITS) {
        d->m = 0;
    } else {
        uint64_t p = pow10_u64[k];
        uint64_t q = d->m / p, r = d->m % p;
        if (r * 2 >= p)
            q++;
        d->m = q;
        d->e = -digits;
    }
    dec_normalise(d);
}

double jxi_round(double x, int digits)
{
    double v, n;
    int e;
    if (!isfinite(x))
        return x;
    if (digits < 0)
        digits = 0;
    if (jxi_round_try(x, digits, &v))
        return v;
    if (digits <= 22 && fabs(x) * jxi_pow10[digits] < 1e15 && jxi_fast_dec(fabs(x), &n, &e)) {
        /* Near a half, as decimal ties (1.315 to 2 decimals) often are:
         * round the 12 digits themselves, as dec_round does, then divide as
         * jxi_round_try does (q < 10^15 is exact). */
        int k = -e - digits;
        double q = 0;
        if (k <= 0) {
            q = n * jxi_pow10[-k]; /* no more decimals than kept */
        } else if (k <= JXI_SNAP_DIGITS) {
            /* D * 10^digits = m / 10^k lies within 1/2 of z, so it rounds
             * half-up to f or f + 1 (f = floor(z)): to f + 1 when
             * m / 10^k >= f + 1/2, i.e. 2m >= (2f + 1) 10^k, all exact
             * integers below 2^63 (no 64-bit division needed). */
            uint64_t m = (uint64_t)n, f = (uint64_t)(fabs(x) * jxi_pow10[digits]);
            q = (double)(int64_t)(f + (2 * m >= (2 * f + 1) * pow10_u64[k]));
        }
        v = q / jxi_pow10[digits];
        return q == 0 ? 0.0 : x < 0 ? -v : v;
    }
    return round_exact(x, digits);
}

/* floor(snap(x)) is floor(x) unless x lies within the tolerance of an
 * integer. Below 1e-280 snap may underflow to 0, hence the exact path. */
double jxi_floor(double x)
{
    double ax = fabs(x);
    if (ax < 1e15 && ax > 1e-280) {
        double f = floor(x), fr = x - f, tol = ax * JXI_SNAP_REL;
        if (fr > tol && fr < 1 - tol)
            return f + 0.0;
    }
    return floor(jxi_snap(x)) + 0.0;
}

double jxi_ceil(double x)
{
    double ax = fabs(x);
    if (ax < 1e15 && ax > 1e-280) {
        double c = ceil(x), fr = c - x, tol = ax * JXI_SNAP_REL;
        if (fr > tol && fr < 1 - tol)
            return c + 0.0;
    }
    return ceil(jxi_snap(x)) + 0.0;
}

/* Snapping moves each operand by at most 0.5e-11 of its magnitude, so a
 * larger gap decides the order (snapping is monotonic). Tiny magnitudes
 * may snap to 0 and huge ones stray from exact powers: exact path. */
int jxi_cmp(double a, double b)
{
    int c;
    if (jxi_cmp_try(a, b, &c))
        return c;
    double sa = jxi_snap(a), sb = jxi_snap(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/* ---- The exact paths, for tests (lib/util/numref.h) ------------------------------ */

double jxi_ref_snap(double x)
{
    if (!isfinite(x))
        return x;
    dec d;
    to_dec_exact(x, &d);
    return from_dec(&d);
}

double jxi_ref_round(double x, int digits)
{
    if (!isfinite(x))
        return x;
    if (digits < 0)
        digits = 0;
    dec d;
    to_dec_exact(x, &d);
    dec_round(&d, digits);
    return from_dec(&d);
}

double jxi_ref_floor(double x)
{
    return floor(jxi_ref_snap(x)) + 0.0;
}

double jxi_ref_ceil(double x)
{
    return ceil(jxi_ref_snap(x)) + 0.0;
}

int jxi_ref_cmp(double a, double b)
{
    double sa = jxi_ref_snap(a), sb = jxi_ref_snap(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/* Print d with exactly `digits` decimals (d already has no more). Numbers
 * whose plain form would pass 40 characters (below 1e-21 or from 1e21 on)
 * are printed as mantissa and exponent ("1e-100", "1.5e300"), which the
 * number parsers read back. */
static size_t dec_print(const dec *d, int digits, char *buf, size_t size)
{
    char ds[32];
    int n = snprintf(ds, sizeof ds, "%llu", (unsigned long long)d->m);
    char out[96];
    size_t o = 0;
    if (d->m != 0 && (n + d->e > 21 || digits > 21)) {
        if (d->neg)
            out[o++] = '-';
        out[o++] = ds[0];
        if (n > 1) {
            out[o++] = '.';
            memcpy(out + o, ds + 1, (size_t)n - 1);
            o += (size_t)n - 1;
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "e%d", d->e + n - 1);
        if (size > 0) {
            size_t c = o < size - 1 ? o : size - 1;
            memcpy(buf, out, c);
            buf[c] = '\0';
        }
        return o;
    }
    if (d->neg && d->m != 0)
        out[o++] = '-';
    int frac_have = d->e < 0 ? -d->e : 0; /* decimals held in ds */
    int int_len = n - frac_have;
    if (int_len <= 0) {
        out[o++] = '0';
    } else {
        memcpy(out + o, ds, (size_t)int_len);
        o += (size_t)int_len;
        for (int i = 0; i < d->e; i++)
            out[o++] = '0';
    }
    if (digits > 0) {
        out[o++] = '.';
        for (int i = 0; i < digits; i++) {
            int pos = int_len + i; /* index into ds of this decimal */
            char c = '0';
            if (i < frac_have)
                c = pos < 0 ? '0' : ds[pos];
            out[o++] = c;
        }
    }
    out[o] = '\0';
    if (size > 0) {
        size_t c = o < size - 1 ? o : size - 1;
        memcpy(buf, out, c);
        buf[c] = '\0';
    }
    return o;
}

static size_t print_nonfinite(double x, char *buf, size_t size)
{
    const char *s = isnan(x) ? "nan" : x < 0 ? "-inf" : "inf";
    return (size_t)snprintf(buf, size, "%s", s);
}

size_t jxi_format(double x, int digits, char *buf, size_t size)
{
    if (!isfinite(x))
        return print_nonfinite(x, buf, size);
    if (digits < 0)
        digits = 0;
    if (digits > 12)
        digits = 12;
    dec d;
    to_dec(x, &d);
    dec_round(&d, digits);
    return dec_print(&d, digits, buf, size);
}

JX_API int jx_format_number(double x, int digits, char *buf, size_t size)
{
    if (digits < 0 || digits > 12 || (!buf && size))
        return JX_EARG;
    char tmp[128];
    size_t n = jxi_format(x, digits, tmp, sizeof tmp);
    if (size) {
        size_t k = n < size ? n : size - 1;
        memcpy(buf, tmp, k);
        buf[k] = '\0';
    }
    return (int)n;
}

size_t jxi_format_g(double x, char *buf, size_t size)
{
    if (!isfinite(x))
        return print_nonfinite(x, buf, size);
    dec d;
    to_dec(x, &d);
    return dec_print(&d, d.e < 0 ? -d.e : 0, buf, size);
}

size_t jxi_parse_number(const char *s, size_t len, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    uint64_t m = 0;
    int exp = 0, digits = 0, sig = 0;
    size_t d0 = i;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (sig < 19) {
            m = m * 10 + (uint64_t)(s[i] - '0');
            if (m)
                sig++;
        } else {
            exp++; /* digits past 19 significant only scale */
        }
    }
    if (i < len && s[i] == '.') {
        size_t j = i + 1;
        int frac = 0;
        for (; j < len && s[j] >= '0' && s[j] <= '9'; j++, frac++) {
            if (sig < 19) {
                m = m * 10 + (uint64_t)(s[j] - '0');
                if (m)
                    sig++;
                exp--;
            }
        }
        if (digits + frac > 0) {
            digits += frac;
            i = j;
        }
    }
    if (digits == 0)
        return 0;
    size_t d1 = i;
    int e10 = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        int esign = 1, e = 0, ed = 0;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            esign = s[j++] == '-' ? -1 : 1;
        for (; j < len && s[j] >= '0' && s[j] <= '9'; j++, ed++)
            if (e < 10000)
                e = e * 10 + (s[j] - '0');
        if (ed > 0) {
            exp += esign * e;
            e10 = esign * e;
            i = j;
        }
    }
    double v = (double)m;
    if (m < (1ull << 53) && exp >= -22 && exp <= 22)
        v = exp >= 0 ? v * jxi_pow10[exp] : v / jxi_pow10[-exp];
    else if (v != 0)
        v = parse_exact(s + d0, d1 - d0, e10);
    *out = neg ? -v : v;
    return i;
}
