/* Decimal semantics on doubles.
 *
 * Evaluators check scores with a calculator: 5 - (100 - 91.33) * 0.5 is
 * 0.665 to them and rounds to 0.67, while doubles give 0.66499999999999991.
 * Every rounding, floor, ceil and comparison here first reads the double as
 * the nearest decimal of JXI_SNAP_DIGITS significant digits, then works on
 * that decimal exactly. Nothing here uses the process locale. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* A decimal m * 10^e with m < 10^JXI_SNAP_DIGITS. */
typedef struct dec {
    int neg;
    uint64_t m;
    int e;
} dec;

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

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

/* x (finite) as its JXI_SNAP_DIGITS-digit decimal. */
static void to_dec(double x, dec *d)
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

static double from_dec(const dec *d)
{
    double v = (double)d->m; /* exact: m < 2^53 */
    if (d->e >= 0)
        v = d->e <= 22 ? v * pow10_exact[d->e] : v * pow(10, d->e);
    else
        v = -d->e <= 22 ? v / pow10_exact[-d->e] : v / pow(10, -d->e);
    return d->neg && v != 0 ? -v : v;
}

double jxi_snap(double x)
{
    if (!isfinite(x))
        return x;
    dec d;
    to_dec(x, &d);
    return from_dec(&d);
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
    if (!isfinite(x))
        return x;
    if (digits < 0)
        digits = 0;
    dec d;
    to_dec(x, &d);
    dec_round(&d, digits);
    return from_dec(&d);
}

double jxi_floor(double x)
{
    return floor(jxi_snap(x)) + 0.0;
}

double jxi_ceil(double x)
{
    return ceil(jxi_snap(x)) + 0.0;
}

int jxi_cmp(double a, double b)
{
    double sa = jxi_snap(a), sb = jxi_snap(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/* Print d with exactly `digits` decimals (d already has no more). */
static size_t dec_print(const dec *d, int digits, char *buf, size_t size)
{
    char ds[32];
    int n = snprintf(ds, sizeof ds, "%llu", (unsigned long long)d->m);
    char out[96];
    size_t o = 0;
    if (d->neg && d->m != 0)
        out[o++] = '-';
    int frac_have = d->e < 0 ? -d->e : 0; /* decimals held in ds */
    int int_len = n - frac_have;
    if (int_len <= 0) {
        out[o++] = '0';
    } else {
        memcpy(out + o, ds, (size_t)int_len);
        o += (size_t)int_len;
        for (int i = 0; i < d->e && o < 80; i++)
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
            i = j;
        }
    }
    double v = (double)m;
    if (m < (1ull << 53) && exp >= -22 && exp <= 22)
        v = exp >= 0 ? v * pow10_exact[exp] : v / pow10_exact[-exp];
    else
        v = v * pow(10, exp);
    *out = neg ? -v : v;
    return i;
}
