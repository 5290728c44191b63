/* Decimal reading of doubles, half-up rounding and locale-free printing. */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util/internal.h"
#include "tests.h"
#include "../lib/util/num.h"

static const char *fmt(double x, int digits)
{
    static char buf[64];
    jxi_format(x, digits, buf, sizeof buf);
    return buf;
}

static const char *fmtg(double x)
{
    static char buf[64];
    jxi_format_g(x, buf, sizeof buf);
    return buf;
}

START_TEST(half_up_on_the_decimal)
{
    ck_assert_str_eq(fmt(5 - (100 - 91.33) * 0.5, 2), "0.67");
    ck_assert_str_eq(fmt(89.995, 2), "90.00");
    ck_assert_str_eq(fmt(1.005, 2), "1.01");
    ck_assert_str_eq(fmt(72.345 / 100 * 100, 2), "72.35");
    ck_assert_str_eq(fmt(2.675, 2), "2.68");
    ck_assert_str_eq(fmt(0.125, 2), "0.13");
    ck_assert_str_eq(fmt(0.124999, 2), "0.12");
    ck_assert_str_eq(fmt(-1.005, 2), "-1.01");
    ck_assert_str_eq(fmt(-0.001, 2), "0.00");
    ck_assert_str_eq(fmt(0.5, 0), "1");
    ck_assert_str_eq(fmt(1234567.5, 0), "1234568");
    ck_assert_str_eq(fmt(0.000123, 2), "0.00");
    ck_assert_str_eq(fmt(0.000123, 6), "0.000123");
    ck_assert_str_eq(fmt(1e15, 2), "1000000000000000.00");
    ck_assert_str_eq(fmt(0, 2), "0.00");
    ck_assert_str_eq(fmt(NAN, 2), "nan");
    ck_assert_str_eq(fmt(-INFINITY, 2), "-inf");
}
END_TEST

START_TEST(round_returns_the_decimal)
{
    ck_assert_double_eq(jxi_round(5 - (100 - 91.33) * 0.5, 2), 0.67);
    ck_assert_double_eq(jxi_round(89.995, 2), 90.0);
    ck_assert_double_eq(jxi_round(1.005, 2), 1.01);
    ck_assert_double_eq(jxi_round(9.995, 2), 10.0);
    ck_assert_double_eq(jxi_round(95.1048951048951, 2), 95.10);
    ck_assert_double_eq(jxi_round(-2.5, 0), -3.0);
    ck_assert_double_eq(jxi_round(123.456, 9), 123.456);
}
END_TEST

START_TEST(snap_floor_ceil_cmp)
{
    ck_assert_double_eq(jxi_snap(0.1 + 0.2), 0.3);
    ck_assert_double_eq(jxi_floor(0.3 / 0.1), 3.0);
    ck_assert_double_eq(jxi_ceil(0.7 / 0.1), 7.0);
    ck_assert_double_eq(jxi_floor(12.0 / 5), 2.0);
    ck_assert_double_eq(jxi_ceil(12.0 / 5), 3.0);
    ck_assert_int_eq(jxi_cmp(0.1 + 0.2, 0.3), 0);
    ck_assert_int_eq(jxi_cmp(89.99, 90), -1);
    ck_assert_int_eq(jxi_cmp(90, 89.99), 1);
    ck_assert_int_eq(jxi_cmp(INFINITY, INFINITY), 0);
    ck_assert_int_eq(jxi_cmp(-INFINITY, 0), -1);
}
END_TEST

START_TEST(shortest_form)
{
    ck_assert_str_eq(fmtg(0.5), "0.5");
    ck_assert_str_eq(fmtg(100), "100");
    ck_assert_str_eq(fmtg(2100.09), "2100.09");
    ck_assert_str_eq(fmtg(-5.68), "-5.68");
    ck_assert_str_eq(fmtg(0.1 + 0.2), "0.3");
    ck_assert_str_eq(fmtg(1e-7), "0.0000001");
}
END_TEST

START_TEST(parse_numbers)
{
    double d = 0;
    ck_assert_uint_eq(jxi_parse_number("2100.09xyz", 10, &d), 7);
    ck_assert_double_eq(d, 2100.09);
    ck_assert_uint_eq(jxi_parse_number("1.5e3", 5, &d), 5);
    ck_assert_double_eq(d, 1500);
    ck_assert_uint_eq(jxi_parse_number("-0.25", 5, &d), 5);
    ck_assert_double_eq(d, -0.25);
    ck_assert_uint_eq(jxi_parse_number("12e", 3, &d), 2);
    ck_assert_double_eq(d, 12);
    ck_assert_uint_eq(jxi_parse_number(".", 1, &d), 0);
    ck_assert_uint_eq(jxi_parse_number("abc", 3, &d), 0);
    ck_assert_uint_eq(jxi_parse_number("0.1", 3, &d), 3);
    ck_assert_double_eq(d, 0.1);
}
END_TEST

/* make check runs the suite under LC_ALL=de_DE.UTF-8 with
 * JX_EXPECT_COMMA=1 and under LC_ALL=C with JX_EXPECT_COMMA=0: the locale
 * must really be in force (the runner calls setlocale), or the run proves
 * nothing. Without the variable the shell's locale is whatever it is. */
START_TEST(locale_in_force)
{
    const char *want = getenv("JX_EXPECT_COMMA");
    const char *dp = localeconv()->decimal_point;
    if (want && strcmp(want, "1") == 0)
        ck_assert_str_eq(dp, ",");
    else if (want && strcmp(want, "0") == 0)
        ck_assert_str_eq(dp, ".");
    /* Whatever the locale, printing stays '.'-based. */
    ck_assert_str_eq(fmt(1234.5, 2), "1234.50");
    double d = 0;
    ck_assert_uint_eq(jxi_parse_number("1234.5", 6, &d), 6);
    ck_assert_double_eq(d, 1234.5);
}
END_TEST

/* The public formatter: the library's rounding, snprintf's contract. */
START_TEST(format_number_public)
{
    char b[64];
    ck_assert_int_eq(jx_format_number(1.005, 2, b, sizeof b), 4);
    ck_assert_str_eq(b, "1.01");
    jx_format_number(39.995, 2, b, sizeof b);
    ck_assert_str_eq(b, "40.00");
    jx_format_number(0.665, 2, b, sizeof b);
    ck_assert_str_eq(b, "0.67");
    jx_format_number(-0.001, 2, b, sizeof b);
    ck_assert_str_eq(b, "0.00");
    jx_format_number(-2.5, 0, b, sizeof b);
    ck_assert_str_eq(b, "-3");
    jx_format_number(NAN, 2, b, sizeof b);
    ck_assert_str_eq(b, "nan");
    /* Cut to the buffer, the whole length returned. */
    char small[4] = "xxx";
    ck_assert_int_eq(jx_format_number(1234.5, 2, small, sizeof small), 7);
    ck_assert_str_eq(small, "123");
    ck_assert_int_eq(jx_format_number(1234.5, 2, NULL, 0), 7);
    ck_assert_int_eq(jx_format_number(1, 13, b, sizeof b), JX_EARG);
    ck_assert_int_eq(jx_format_number(1, -1, b, sizeof b), JX_EARG);
    ck_assert_int_eq(jx_format_number(1, 2, NULL, 8), JX_EARG);
}
END_TEST

/* Mantissas past 2^53 and powers of ten past 10^22 come back as the nearest
 * double (strtod's answer; the strings have no radix, so the locale of
 * check-locale does not matter). A fuzz finding: 254 digits were 27 ulps off. */
START_TEST(parse_long_and_far)
{
    char big[300];
    memset(big, '2', 254);
    memcpy(big + 254, "3181795959712058710", 20); /* and the NUL */
    const char *cases[] = {big, "30000000000000004e-17", "17976931348623157e292",
                           "4940656458412465441765687928682213723651e-363",
                           "9007199254740993", "123456789012345678901234567890e-50", "1e23",
                           "8e-310"};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double v, want = strtod(cases[k], NULL);
        ck_assert_int_eq(jx_parse_number(cases[k], strlen(cases[k]), &v), 0);
        ck_assert_msg(v == want, "%.40s...: %.17g, strtod %.17g", cases[k], v, want);
    }
}
END_TEST

Suite *suite_num(void)
{
    Suite *s = suite_create("num");
    TCase *tc = tcase_create("decimal");
    tcase_add_test(tc, half_up_on_the_decimal);
    tcase_add_test(tc, round_returns_the_decimal);
    tcase_add_test(tc, snap_floor_ceil_cmp);
    tcase_add_test(tc, shortest_form);
    tcase_add_test(tc, parse_numbers);
    tcase_add_test(tc, locale_in_force);
    tcase_add_test(tc, format_number_public);
    tcase_add_test(tc, parse_long_and_far);
    suite_add_tcase(s, tc);
    return s;
}
