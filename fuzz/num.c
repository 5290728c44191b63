/* Fuzz target: decimal numbers. The fast paths of lib/util/num.h and
 * lib/util/num.c (jxi_snap, jxi_round, jxi_floor, jxi_ceil, jxi_cmp) must give
 * bit for bit what the exact printf-based reference (lib/util/numref.h) gives;
 * jx_parse_number must accept exactly its grammar and read what strtod
 * reads; formatting must give text that reads back. The bytes are doubles
 * (raw, and nudged around decimal boundaries) and a number's text. */
#include <locale.h>

#include "fuzz.h"
#include "util/num.h"
#include "util/numref.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C");
    return 0;
}

static int same(double a, double b)
{
    return (a == b && signbit(a) == signbit(b)) || (isnan(a) && isnan(b));
}

static void check_value(double x, int digits)
{
    FUZZ_CHECK(same(jxi_snap(x), jxi_ref_snap(x)), "snap(%.17g): %.17g, ref %.17g", x,
               jxi_snap(x), jxi_ref_snap(x));
    FUZZ_CHECK(same(jxi_round(x, digits), jxi_ref_round(x, digits)),
               "round(%.17g, %d): %.17g, ref %.17g", x, digits, jxi_round(x, digits),
               jxi_ref_round(x, digits));
    FUZZ_CHECK(same(jxi_floor(x), jxi_ref_floor(x)), "floor(%.17g): %.17g, ref %.17g", x,
               jxi_floor(x), jxi_ref_floor(x));
    FUZZ_CHECK(same(jxi_ceil(x), jxi_ref_ceil(x)), "ceil(%.17g): %.17g, ref %.17g", x,
               jxi_ceil(x), jxi_ref_ceil(x));
    char buf[64];
    size_t n = jxi_format(x, digits, buf, sizeof buf);
    FUZZ_CHECK(n == strlen(buf) && n < sizeof buf, "format(%.17g, %d): length %zu", x, digits, n);
    if (isfinite(x)) {
        /* The shortest form: it fits the documented 64 bytes. */
        char g[64];
        size_t gn = jxi_format_g(x, g, sizeof g);
        FUZZ_CHECK(gn == strlen(g) && gn < sizeof g, "format_g(%.17g): length %zu", x, gn);
    }
    /* Reading back is exact for the magnitudes figures have; far outside
     * them the parser's pow() scaling and from_dec's may differ by an ulp. */
    if (isfinite(x) && (x == 0 || (fabs(x) >= 1e-9 && fabs(x) < 1e15))) {
        double back;
        FUZZ_CHECK(jx_parse_number(buf, n, &back) == 0, "format(%.17g, %d) = \"%s\" does not read back",
                   x, digits, buf);
        /* jx_parse_number may be an ulp off for 16+ significant digits
         * ("16711935.000000000"); the 12-digit reading is what counts. */
        FUZZ_CHECK(jxi_snap(back) == jxi_round(x, digits),
                   "format(%.17g, %d) = \"%s\" reads %.17g, round gives %.17g", x, digits, buf,
                   back, jxi_round(x, digits));
        n = jxi_format_g(x, buf, sizeof buf);
        FUZZ_CHECK(n == strlen(buf) && n < sizeof buf, "format_g length");
        FUZZ_CHECK(jx_parse_number(buf, n, &back) == 0, "format_g(%.17g) = \"%s\" does not read back",
                   x, buf);
        FUZZ_CHECK(jxi_snap(back) == jxi_snap(x),
                   "format_g(%.17g) = \"%s\" reads %.17g, snap gives %.17g", x, buf, back,
                   jxi_snap(x));
    }
}

static void check_pair(double a, double b)
{
    FUZZ_CHECK(jxi_cmp(a, b) == jxi_ref_cmp(a, b), "cmp(%.17g, %.17g): %d, ref %d", a, b,
               jxi_cmp(a, b), jxi_ref_cmp(a, b));
    FUZZ_CHECK(jxi_cmp(a, b) == -jxi_cmp(b, a) || isnan(a) || isnan(b), "cmp not antisymmetric");
}

/* Does s[0..len) match [+-]?digits[.digits][(e|E)[+-]?digits], with at least
 * one digit before or after the point? */
static int grammar(const char *s, size_t len)
{
    size_t i = 0, d = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, d++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, d++;
    }
    if (d == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, e++;
        if (e == 0)
            return 0;
    }
    return i == len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in c = {data, size};
    unsigned mode = fuzz_byte(&c);
    int digits = (int)(fuzz_byte(&c) % 10);
    double x = fuzz_double(&c), y = fuzz_double(&c);
    if (mode & 1) {
        /* A decimal a person writes, k / 10^d, nudged by a few ulps. */
        int64_t k = (int64_t)(fuzz_byte(&c) | fuzz_byte(&c) << 8 | fuzz_byte(&c) << 16) -
                    (mode & 2 ? 0 : 4000000);
        int d = (int)(fuzz_byte(&c) % 12);
        int nudge = (int)(fuzz_byte(&c) % 9) - 4;
        x = (double)k;
        for (int i = 0; i < d; i++)
            x /= 10;
        for (; nudge > 0; nudge--)
            x = nextafter(x, INFINITY);
        for (; nudge < 0; nudge++)
            x = nextafter(x, -INFINITY);
        y = (mode & 4) ? x : nextafter(x, (mode & 8) ? INFINITY : -INFINITY);
    }
    check_value(x, digits);
    check_value(y, digits);
    check_pair(x, y);

    /* The rest as a number's text. */
    const char *s = (const char *)c.p;
    size_t len = c.n;
    double v = 12345;
    int rc = jx_parse_number(s, len, &v);
    FUZZ_CHECK(rc == 0 || rc == JX_EVALUE, "jx_parse_number rc %d", rc);
    int ok = grammar(s, len);
    if (ok) { /* a number too large for a double is refused */
        char *tmp = malloc(len + 1);
        memcpy(tmp, s, len);
        tmp[len] = 0;
        if (!isfinite(strtod(tmp, NULL)))
            ok = 0;
        free(tmp);
    }
    FUZZ_CHECK((rc == 0) == ok, "jx_parse_number(\"%.*s\") = %d, grammar says %d", (int)len, s,
               rc, ok);
    if (rc == 0 && len < 256) {
        char tmp[256];
        memcpy(tmp, s, len);
        tmp[len] = 0;
        double ref = strtod(tmp, NULL);
        /* Correctly rounded for up to 15 significant digits and exponents
         * of the usual sizes; otherwise within a few units in the last
         * place (the mantissa is cut at 19 digits and scaled by pow). Not
         * checked in the subnormal range. */
        if (fabs(ref) >= 1e-290 && fabs(ref) <= 1e290)
            FUZZ_CHECK(fabs(v - ref) <= 4 * (nextafter(fabs(ref), INFINITY) - fabs(ref)),
                       "jx_parse_number(\"%s\") = %.17g, strtod %.17g", tmp, v, ref);
        else if (fabs(ref) > 1e290)
            FUZZ_CHECK(fabs(v) > 1e289 && signbit(v) == signbit(ref),
                       "jx_parse_number(\"%s\") = %.17g, strtod %.17g", tmp, v, ref);
    }
    return 0;
}
