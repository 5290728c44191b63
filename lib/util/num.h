/* Numbers: the decimal semantics on doubles, in one place. The exact
 * functions are in lib/util/num.c; their fast paths are inline below, for
 * the scoring hot path.
 *
 * jxi_round, jxi_snap and jxi_cmp read a double as its 12-digit decimal;
 * printf would do that exactly but costs about a microsecond. These answer
 * from one or two correctly rounded double operations instead, and leave
 * the case to the out-of-line function (which completes it exactly) when
 * the double lies too close to a decision boundary (a rounding tie, an
 * integer, the other operand) for the answer to be certain. The answers are
 * bit for bit those of the exact path (the jxi_ref_* functions of
 * lib/util/numref.h; tests/test_batch.c compares them over many values).
 *
 * The bound behind every tolerance: the 12-digit decimal D of a double x
 * differs from x by at most half a unit in its 12th digit, i.e. by at most
 * 0.5e-11 |x|; a correctly rounded product or quotient is off by at most
 * 2^-53 of itself. JXI_SNAP_REL is twice the sum. */
#ifndef JIXIAO_NUM_H
#define JIXIAO_NUM_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "util/internal.h"

/* ---- Numbers (lib/util/num.c): decimal semantics on doubles ------------------- */

/* Significant digits kept when a double is read as the decimal a person
 * computing exactly would have: 5 - (100 - 91.33) * 0.5 is 0.665, not
 * 0.66499999999999991. */
#define JXI_SNAP_DIGITS 12

/* x snapped to JXI_SNAP_DIGITS significant decimal digits. */
double jxi_snap(double x);
/* Half-up (away from zero) rounding of snap(x) to `digits` decimals
 * (0..9). */
double jxi_round(double x, int digits);
/* floor / ceil of snap(x): floor(0.3 / 0.1) is 3. */
double jxi_floor(double x);
double jxi_ceil(double x);
/* Compare as decimals: -1, 0, 1 (equal when their snapped values are). */
int jxi_cmp(double a, double b);
/* Write x rounded half-up to `digits` decimals into buf (locale-free).
 * Returns the length; buf must hold at least 64 bytes. Non-finite values
 * print as "nan", "inf", "-inf". */
size_t jxi_format(double x, int digits, char *buf, size_t size);
/* Shortest exact form of snap(x): 0.5, 100, 1.005. */
size_t jxi_format_g(double x, char *buf, size_t size);
/* Parse a plain decimal number ("12", "0.5", "1.5e3", leading '-' or '+'
 * allowed) at s[0..len). Returns the number of bytes used (0 if none). */
size_t jxi_parse_number(const char *s, size_t len, double *out);

/* ---- Fast paths ---------------------------------------------------------- */

#define JXI_SNAP_REL 2e-11

/* Inlined even where the compiler would rather call: these sit in the
 * innermost loops, and the calls cost as much as the work. Not in
 * unoptimised builds (debugging, coverage), where it buys nothing and
 * would copy every branch into every caller. */
#if defined(__GNUC__) && defined(__OPTIMIZE__)
#  define JXI_HOT_INLINE static inline __attribute__((always_inline))
#else
#  define JXI_HOT_INLINE static inline
#endif

/* 10^0 .. 10^22, all exact doubles. */
static const double jxi_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The integer nearest to y (0 <= y < 2^52); y minus it is then exact.
 * Adding and taking away 2^52 leaves no bits below the units: two
 * additions, where a conversion to an integer and back costs more. Needs
 * plain double evaluation (not x87 extended precision or -ffast-math). */
JXI_HOT_INLINE double jxi_nearest_int(double y)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0 && !defined(__FAST_MATH__)
    return y + 0x1p52 - 0x1p52;
#else
    double f = (double)(int64_t)y;
    return y - f >= 0.5 ? f + 1 : f;
#endif
}

/* The 12 significant digits of ax (finite, > 0) as *n * 10^e, *n a whole
 * number in [10^11, 10^12] (not normalised). Returns 0 when ax is outside
 * the range in which 10^(11 - E) is an exact double and n * 10^e can be
 * formed exactly (see jxi_snap_inline), or too close to a tie at the 12th
 * digit. */
JXI_HOT_INLINE int jxi_fast_dec(double ax, double *n, int *e)
{
    if (!(ax >= 1e-10 && ax < 1e21))
        return 0;
    /* ax >= 2^b (b its binary exponent; ax is normal here), so
     * floor(log10(ax)) is E or E + 1. (b * 78913) >> 18 is floor(b * log10 2)
     * for |b| < 1650; the offset keeps the shifted number non-negative. */
    uint64_t bits;
    memcpy(&bits, &ax, sizeof bits);
    int b = (int)((bits >> 52) & 0x7FF) - 1023;
    int E = ((b * 78913 + (64 << 18)) >> 18) - 64;
    double y = E <= 11 ? ax * jxi_pow10[11 - E] : ax / jxi_pow10[E - 11];
    if (y >= 1e12) {
        /* The scaled value may also be a rounding of a number just under
         * 10^12 (E was right); both readings give the same decimal. */
        E++;
        y = E <= 11 ? ax * jxi_pow10[11 - E] : ax / jxi_pow10[E - 11];
    }
    if (E < -11 || E > 21)
        return 0;
    /* y < 2^40 is off by at most 2^-14 from ax * 10^(11-E) */
    double r = jxi_nearest_int(y);
    if (0.5 - fabs(y - r) <= 0x1p-12)
        return 0;
    *n = r;
    *e = E - 11;
    return 1;
}

/* Each *_try answers the common case and returns 1, or returns 0 and
 * leaves the case to the function of lib/util/num.c. */

/* jxi_round(x, digits). z is x scaled to units of the last decimal kept;
 * unless z lies within the tolerance of a half, rounding z gives what
 * rounding the decimal D * 10^digits does, and q / 10^digits is from_dec's
 * correctly rounded quotient of the same real number. */
JXI_HOT_INLINE int jxi_round_try(double x, int digits, double *out)
{
    if (digits < 0 || digits > 22)
        return 0;
    double ax = fabs(x), z = ax * jxi_pow10[digits];
    if (!(z < 1e15)) /* NaN and infinities too */
        return 0;
    double q = jxi_nearest_int(z);
    if (!(0.5 - fabs(z - q) > z * JXI_SNAP_REL))
        return 0;
    /* x's sign, but no "-0" (-0.0 + 0.0 is +0.0) */
    *out = copysign(q / jxi_pow10[digits], x) + 0.0;
    return 1;
}

/* jxi_snap(x): an integer under 10^12 is its own 12-digit decimal (+ 0.0:
 * no "-0"); a number with up to 6 decimals is read off directly (below);
 * otherwise n * 10^e with -22 <= e <= 10, one multiplication or
 * division by an exact power of ten (what from_dec does after normalising:
 * the same real number, so the same correctly rounded double). */
JXI_HOT_INLINE int jxi_snap_try(double x, double *out)
{
    double ax = fabs(x), n;
    int e;
    if (ax < 1e12 && ax == jxi_nearest_int(ax)) {
        *out = x + 0.0;
        return 1;
    }
    /* Most figures have few decimals: percentages to 2 decimals, their
     * distance from a target, points. For ax < 10^6, D = q / 10^6 (q whole)
     * lies on ax's 12-digit grid (spacing 10^(E-11) > ax * 10^-12, E the
     * decimal exponent of ax), so D is ax's 12-digit decimal when ax is
     * nearer to it than half a spacing: |ax - D| < 0.5e-12 ax, which the
     * test below guarantees with room for D's own rounding to a double. The
     * snap is then the double nearest D: a division, not a decimal reading. */
    if (ax < 1e6) {
        double q = jxi_nearest_int(ax * 1e6), d = q / 1e6;
        if (fabs(ax - d) <= ax * 4e-13) {
            *out = copysign(d, x) + 0.0;
            return 1;
        }
    }
    if (!jxi_fast_dec(ax, &n, &e)) /* NaN and infinities too */
        return 0;
    *out = copysign(e >= 0 ? n * jxi_pow10[e] : n / jxi_pow10[-e], x);
    return 1;
}

/* jxi_cmp(a, b): snapping moves each operand by at most 0.5e-11 of its
 * magnitude and keeps order, so a larger gap decides. Tiny magnitudes may
 * snap to 0 and huge ones stray from exact powers: left to jxi_cmp. */
JXI_HOT_INLINE int jxi_cmp_try(double a, double b, int *out)
{
    if (a == b) {
        *out = 0;
        return 1;
    }
    double aa = fabs(a), ab = fabs(b), mx = aa > ab ? aa : ab;
    if (mx < 1e300 && (aa == 0 || aa > 1e-280) && (ab == 0 || ab > 1e-280)
        && fabs(a - b) > mx * JXI_SNAP_REL) {
        *out = a < b ? -1 : 1;
        return 1;
    }
    return 0;
}

/* For the hot path: the common case inline, the rest out of line. */
JXI_HOT_INLINE double jxi_round_inline(double x, int digits)
{
    double v;
    return jxi_round_try(x, digits, &v) ? v : jxi_round(x, digits);
}

JXI_HOT_INLINE double jxi_snap_inline(double x)
{
    double v;
    return jxi_snap_try(x, &v) ? v : jxi_snap(x);
}

JXI_HOT_INLINE int jxi_cmp_inline(double a, double b)
{
    int c;
    return jxi_cmp_try(a, b, &c) ? c : jxi_cmp(a, b);
}

#endif
