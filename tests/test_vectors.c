/* Every worked vector of SCORING.md ("Worked vectors"), through schemes
 * loaded from JSON text and scored through the public API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

/* A scheme of one leaf worth `max` scoring metric x (or `value`) with
 * `rule`; the other leaf, "pad", takes up the rest of 100 and is marked not
 * applicable with policy "full", so the leaf's score can be read alone. */
static jx_scheme *one_leaf(double max, const char *value, int round, const char *rule)
{
    char buf[4096];
    char roundkey[32] = "";
    if (round >= 0)
        snprintf(roundkey, sizeof roundkey, "\"round\": %d, ", round);
    snprintf(buf, sizeof buf,
             "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"total\": 100,"
             " \"metrics\": {\"x\": {}, \"a\": {}, \"b\": {}},"
             " \"indicators\": ["
             "  {\"id\": \"L\", \"name\": \"leaf\", \"max\": %.17g, %s\"value\": \"%s\","
             "   \"rule\": %s},"
             "  {\"id\": \"pad\", \"name\": \"pad\", \"max\": %.17g, \"not_applicable\": \"full\","
             "   \"value\": \"x\", \"rule\": {\"manual\": {}}}]}",
             max, roundkey, value, rule, 100 - max);
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(buf, strlen(buf), "vector", 0, &err);
    ck_assert_msg(s != NULL, "scheme did not load: %s at %s", err.message, err.path);
    return s;
}

/* Score the leaf with x = v (and a, b when given, NAN to leave unset). */
static double leaf_score(jx_scheme *s, double x, double a, double b, double *value)
{
    jx_input *in = jx_input_new(s);
    ck_assert_ptr_nonnull(in);
    if (x == x)
        ck_assert_int_eq(jx_input_set_number(in, "x", x), 0);
    if (a == a)
        ck_assert_int_eq(jx_input_set_number(in, "a", a), 0);
    if (b == b)
        ck_assert_int_eq(jx_input_set_number(in, "b", b), 0);
    ck_assert_int_eq(jx_input_set_not_applicable(in, "pad"), 0);
    jx_error err;
    jx_result *r = jx_score(s, in, JX_STRICT, &err);
    ck_assert_msg(r != NULL, "score failed: %s", err.message);
    size_t i = jx_scheme_indicator_find(s, "L");
    double score = jx_result_score(r, i);
    if (value)
        *value = jx_result_value(r, i);
    jx_result_free(r);
    jx_input_free(in);
    return score;
}

#define NA_ (0.0 / 0.0)

static void check_vector(double max, const char *value, int round, const char *rule, double x,
                         double a, double b, double want)
{
    jx_scheme *s = one_leaf(max, value, round, rule);
    double got = leaf_score(s, x, a, b, NULL);
    ck_assert_msg(got == want, "rule %s with x=%.17g: got %.17g, want %.17g", rule, x, got, want);
    jx_scheme_free(s);
}

START_TEST(staff_within_quota)
{
    /* 136 / 143 staff = 95.10 % -> 8.00 */
    check_vector(8, "a / b * 100", 2,
                 "{\"deduct\": {\"target\": \"<= 100\", \"per\": 1, \"points\": 0.5}}", NA_, 136,
                 143, 8.00);
}
END_TEST

START_TEST(three_public_change_floor_zero)
{
    check_vector(8, "x", -1, "{\"deduct\": {\"target\": \"<= 0\", \"per\": 1, \"points\": 0.8}}",
                 98.31, NA_, NA_, 0.00);
}
END_TEST

START_TEST(staff_over_quota)
{
    check_vector(5, "x", -1, "{\"deduct\": {\"target\": \"<= 100\", \"per\": 1, \"points\": 0.5}}",
                 104, NA_, NA_, 3.00);
}
END_TEST

START_TEST(budget_completion_steps)
{
    const char *floor_rule =
        "{\"deduct\": {\"target\": \">= 100\", \"per\": 5, \"points\": 2, \"steps\": \"floor\"}}";
    const char *pro_rata =
        "{\"deduct\": {\"target\": \">= 100\", \"per\": 5, \"points\": 2, \"steps\": \"continuous\"}}";
    check_vector(8, "x", -1, floor_rule, 99.27, NA_, NA_, 8.00);
    check_vector(8, "x", -1, floor_rule, 88, NA_, NA_, 4.00);
    check_vector(8, "x", -1, pro_rata, 88, NA_, NA_, 3.20);
}
END_TEST

START_TEST(adjustment_bands)
{
    const char *bands = "{\"bands\": [{\"when\": \"= 0\", \"score\": 8},"
                        " {\"when\": \"(0, 10]\", \"score\": 6},"
                        " {\"when\": \"(10, 20]\", \"score\": 4},"
                        " {\"when\": \"(20, 30]\", \"score\": 2},"
                        " {\"when\": \"> 30\", \"score\": 0}]}";
    check_vector(8, "x", -1, bands, 39.94, NA_, NA_, 0.00);
    check_vector(8, "x", -1, bands, 10, NA_, NA_, 6.00);
    check_vector(8, "x", -1, bands, 0, NA_, NA_, 8.00);
    check_vector(8, "x", -1, bands, 10.01, NA_, NA_, 4.00);
}
END_TEST

START_TEST(proportional)
{
    check_vector(10, "x", -1, "{\"ratio\": {\"target\": \">= 100\"}}", 76, NA_, NA_, 7.60);
    check_vector(10, "x", -1, "{\"ratio\": {\"target\": \">= 2200\"}}", 2859, NA_, NA_, 10.00);
    check_vector(2, "x", -1, "{\"ratio\": {\"target\": \"<= 3\"}}", 0, NA_, NA_, 2.00);
}
END_TEST

START_TEST(violations)
{
    check_vector(3, "x", -1, "{\"count\": {\"points\": 1}}", 2, NA_, NA_, 1.00);
    check_vector(3, "x", -1, "{\"count\": {\"points\": 1}}", 5, NA_, NA_, 0.00);
}
END_TEST

START_TEST(decimal_half_up_after_value_rounding)
{
    /* 5 - (100 - 91.33) * 0.5 is exactly 0.665: 0.67, not 0.66. */
    check_vector(5, "a / b * 100", 2,
                 "{\"deduct\": {\"target\": \">= 100\", \"per\": 1, \"points\": 0.5}}", NA_,
                 91.33, 100, 0.67);
}
END_TEST

START_TEST(value_rounded_then_proportional)
{
    jx_scheme *s = one_leaf(3, "a / b * 100", 2, "{\"ratio\": {\"target\": \">= 100\"}}");
    double value = 0;
    double score = leaf_score(s, NA_, 72.345, 100, &value);
    ck_assert_double_eq(value, 72.35);
    ck_assert_double_eq(score, 2.17);
    jx_scheme_free(s);
}
END_TEST

/* A scheme of one manual leaf worth 100: the input is the total. */
static const char *grade_for(double total, double *got_total)
{
    static const char *scheme =
        "{\"jixiao\": 1, \"id\": \"g\", \"title\": \"g\","
        " \"grades\": [{\"label\": \"优\", \"min\": 90}, {\"label\": \"良\", \"min\": 80},"
        "              {\"label\": \"中\", \"min\": 60}, {\"label\": \"差\", \"min\": 0}],"
        " \"metrics\": {\"x\": {}},"
        " \"indicators\": [{\"id\": \"1\", \"name\": \"all\", \"max\": 100, \"value\": \"x\","
        "                   \"rule\": {\"manual\": {}}}]}";
    static char label[32];
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(scheme, strlen(scheme), NULL, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    jx_input *in = jx_input_new(s);
    jx_input_set_number(in, "x", total);
    jx_result *r = jx_score(s, in, JX_STRICT, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    snprintf(label, sizeof label, "%s", jx_result_grade(r));
    *got_total = jx_result_total(r);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
    return label;
}

START_TEST(grade_cut_offs)
{
    static const struct { double total; const char *grade; } v[] = {
        {90.00, "优"}, {89.99, "良"}, {80, "良"}, {60, "中"}, {59.99, "差"}, {0, "差"},
    };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        double t;
        const char *g = grade_for(v[k].total, &t);
        ck_assert_msg(strcmp(g, v[k].grade) == 0, "total %.2f: grade %s, want %s", v[k].total, g,
                      v[k].grade);
        ck_assert_double_eq(t, v[k].total);
    }
    /* 89.995 is 90.00 on the score sheet, and so 优. */
    double t;
    ck_assert_str_eq(grade_for(89.995, &t), "优");
    ck_assert_double_eq(t, 90.00);
}
END_TEST

START_TEST(not_applicable_rescale)
{
    static const char *scheme =
        "{\"jixiao\": 1, \"id\": \"na\", \"title\": \"na\", \"not_applicable\": \"rescale\","
        " \"metrics\": {\"a\": {}, \"b\": {}},"
        " \"indicators\": ["
        "  {\"id\": \"A\", \"name\": \"A\", \"max\": 80, \"value\": \"a\", \"rule\": {\"manual\": {}}},"
        "  {\"id\": \"B\", \"name\": \"B\", \"max\": 20, \"value\": \"b\", \"rule\": {\"manual\": {}}}]}";
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(scheme, strlen(scheme), NULL, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    jx_input *in = jx_input_new(s);
    jx_input_set_number(in, "a", 72);
    jx_input_set_not_applicable(in, "B");
    jx_result *r = jx_score(s, in, JX_STRICT, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_double_eq(jx_result_total(r), 90.00);
    ck_assert_str_eq(jx_result_grade(r), "优");
    ck_assert_int_eq(jx_result_status(r, 1), JX_STATUS_NOT_APPLICABLE);
    ck_assert_int_eq(jx_result_complete(r), 1);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(total_is_sum_of_rounded_leaves)
{
    /* Ten leaves of 10, proportional to >= 100: nine at 99.95 (9.995 each,
     * printed 10.00) and one at 0. The sheet's total is 90.00, 优; summing
     * unrounded scores would give 89.96, 良. */
    char buf[8192];
    size_t n = 0;
    n += (size_t)snprintf(buf + n, sizeof buf - n,
                          "{\"jixiao\": 1, \"id\": \"ten\", \"title\": \"ten\", \"metrics\": {");
    for (int k = 0; k < 10; k++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\"x%d\": {}", k ? ", " : "", k);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "}, \"indicators\": [");
    for (int k = 0; k < 10; k++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "%s{\"id\": \"%d\", \"name\": \"n%d\", \"max\": 10, \"value\": \"x%d\","
                              " \"rule\": {\"ratio\": {\"target\": \">= 100\"}}}",
                              k ? ", " : "", k, k, k);
    snprintf(buf + n, sizeof buf - n, "]}");
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(buf, strlen(buf), NULL, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    jx_input *in = jx_input_new(s);
    for (int k = 0; k < 10; k++) {
        char name[8];
        snprintf(name, sizeof name, "x%d", k);
        jx_input_set_number(in, name, k < 9 ? 99.95 : 0);
    }
    jx_result *r = jx_score(s, in, JX_STRICT, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_double_eq(jx_result_score(r, 0), 10.00);
    ck_assert_double_eq(jx_result_score(r, 9), 0.00);
    ck_assert_double_eq(jx_result_total(r), 90.00);
    ck_assert_str_eq(jx_result_grade(r), "优");
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

Suite *suite_vectors(void)
{
    Suite *s = suite_create("vectors");
    TCase *tc = tcase_create("scoring.md");
    tcase_add_test(tc, staff_within_quota);
    tcase_add_test(tc, three_public_change_floor_zero);
    tcase_add_test(tc, staff_over_quota);
    tcase_add_test(tc, budget_completion_steps);
    tcase_add_test(tc, adjustment_bands);
    tcase_add_test(tc, proportional);
    tcase_add_test(tc, violations);
    tcase_add_test(tc, decimal_half_up_after_value_rounding);
    tcase_add_test(tc, value_rounded_then_proportional);
    tcase_add_test(tc, grade_cut_offs);
    tcase_add_test(tc, not_applicable_rescale);
    tcase_add_test(tc, total_is_sum_of_rounded_leaves);
    suite_add_tcase(s, tc);
    return s;
}
