/* Limits (docs/limits.md): each limit holds at its value and is an error one
 * past it, naming the limit; far past it (documents nested a million
 * deep, formulas and chains far longer than any scheme) it is still an
 * error, never a stack overflow or a hang. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "extract/extract.h"
#include "util/internal.h"
#include "tests.h"

/* ---- A growable string ---------------------------------------------------- */

typedef struct str {
    char *p;
    size_t n, cap;
} str;

static void add(str *s, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(s->p ? s->p + s->n : NULL, s->p ? s->cap - s->n : 0, fmt, ap);
        va_end(ap);
        ck_assert_int_ge(k, 0);
        if (s->p && s->n + (size_t)k < s->cap) {
            s->n += (size_t)k;
            return;
        }
        s->cap = (s->cap + (size_t)k + 1) * 2;
        s->p = realloc(s->p, s->cap);
        ck_assert_ptr_nonnull(s->p);
        if (s->n == 0)
            s->p[0] = '\0';
    }
}

static void repeat(str *s, const char *piece, size_t times)
{
    for (size_t k = 0; k < times; k++)
        add(s, "%s", piece);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Load s->p; the error (code, message) is returned in *e; the scheme is
 * freed. Returns 1 if it loaded. */
static int try_load(const str *s, jx_error *e)
{
    jx_scheme *sc = jx_scheme_load_buffer(s->p, s->n, "limits.json", 0, e);
    jx_scheme_free(sc);
    return sc != NULL;
}

#define ASSERT_LIMIT(e, number)                                                           \
    do {                                                                                   \
        ck_assert_msg((e).code == JX_ELIMIT, "code %d: %s", (e).code, (e).message);       \
        ck_assert_msg(strstr((e).message, number), "the message does not name the limit " \
                      number ": %s", (e).message);                                        \
    } while (0)

/* A scheme of one leaf whose value formula is `formula` over metric x. */
static void formula_scheme(str *s, const char *formula)
{
    add(s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
           " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100, \"value\": \"%s\","
           " \"rule\": {\"manual\": {}}}]}", formula);
}

/* ---- Document size: 16 MiB -------------------------------------------------- */

START_TEST(test_document_size)
{
    /* Exactly the limit (a small scheme padded with spaces) loads; one byte
     * more does not, from a buffer, a file, for lint and for inputs. */
    str s = {0};
    formula_scheme(&s, "x");
    size_t body = s.n;
    s.p = realloc(s.p, JXI_MAX_FILE_SIZE + 2);
    memset(s.p + body, ' ', JXI_MAX_FILE_SIZE + 1 - body);
    s.n = JXI_MAX_FILE_SIZE;
    jx_error e;
    ck_assert_msg(try_load(&s, &e), "%s", e.message);
    s.n = JXI_MAX_FILE_SIZE + 1;
    ck_assert(!try_load(&s, &e));
    ASSERT_LIMIT(e, "16777216");

    jx_diagnostics *d = jx_lint_buffer(s.p, s.n, "limits.json", 0);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 1);
    ASSERT_LIMIT(*jx_diagnostics_get(d, 0), "16777216");
    jx_diagnostics_free(d);

    char path[] = "/tmp/jixiao-limits-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, s.p, s.n), (ssize_t)s.n);
    close(fd);
    ck_assert_ptr_null(jx_scheme_load_file(path, 0, &e));
    ASSERT_LIMIT(e, "16777216");
    d = jx_lint_file(path, 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 1);
    ASSERT_LIMIT(*jx_diagnostics_get(d, 0), "16777216");
    jx_diagnostics_free(d);

    /* An input document. */
    s.n = body;
    s.p[s.n] = '\0';
    jx_scheme *sc = jx_scheme_load_buffer(s.p, s.n, NULL, 0, &e);
    ck_assert_ptr_nonnull(sc);
    jx_input *in = jx_input_new(sc);
    memcpy(s.p, "{\"metrics\": {\"x\": 1}}", 21);
    memset(s.p + 21, ' ', JXI_MAX_FILE_SIZE + 1 - 21);
    ck_assert_int_eq(jx_input_load_buffer(in, s.p, JXI_MAX_FILE_SIZE, NULL, 0, &e), 0);
    ck_assert_int_eq(jx_input_load_buffer(in, s.p, JXI_MAX_FILE_SIZE + 1, NULL, 0, &e), JX_ELIMIT);
    ASSERT_LIMIT(e, "16777216");
    fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, s.p, JXI_MAX_FILE_SIZE + 1), (ssize_t)JXI_MAX_FILE_SIZE + 1);
    close(fd);
    ck_assert_int_eq(jx_input_load_file(in, path, 0, &e), JX_ELIMIT);
    ASSERT_LIMIT(e, "16777216");
    unlink(path);
    jx_input_free(in);
    jx_scheme_free(sc);
    free(s.p);
}
END_TEST

/* ---- JSON nesting: 64 levels, checked before decoding ------------------------ */

START_TEST(test_json_nesting)
{
    /* 64 levels load (a metric's description nested in arrays is still a
     * type error, but not a limit); 65 do not; a million do not either, and
     * in about the time it takes to read them. */
    for (int depth = 63; depth <= 65; depth++) {
        str s = {0};
        /* the scheme object itself is level 1, "metrics" 2 */
        add(&s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
                " \"extra\": ");
        repeat(&s, "[", (size_t)depth - 1);
        repeat(&s, "]", (size_t)depth - 1);
        add(&s, "}");
        jx_error e;
        ck_assert(!try_load(&s, &e));
        if (depth <= 64)
            ck_assert_msg(e.code == JX_EKEY, "depth %d: %d %s", depth, e.code, e.message);
        else
            ASSERT_LIMIT(e, "64");
        free(s.p);
    }
    str s = {0};
    add(&s, "{\"metrics\": ");
    repeat(&s, "[{\"a\": ", 500000);
    double t0 = seconds();
    jx_error e;
    ck_assert(!try_load(&s, &e));
    ASSERT_LIMIT(e, "64");
    ck_assert_int_eq(e.line, 1);
    /* Inputs too. */
    char path[512];
    snprintf(path, sizeof path, "%s/example.json", jxt_schemes_dir);
    jx_scheme *sc = jx_scheme_load_file(path, 0, &e);
    ck_assert_msg(sc != NULL, "%s", e.message);
    {
        jx_input *in = jx_input_new(sc);
        ck_assert_int_eq(jx_input_load_buffer(in, s.p, s.n, NULL, 0, &e), JX_ELIMIT);
        ASSERT_LIMIT(e, "64");
        jx_input_free(in);
        jx_scheme_free(sc);
    }
    ck_assert_msg(seconds() - t0 < 10, "%.1f s", seconds() - t0);
    free(s.p);
}
END_TEST

/* ---- Indicator nesting: 16 levels ------------------------------------------------ */

static void nested_scheme(str *s, int levels)
{
    add(s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
           " \"indicators\": [");
    for (int k = 0; k < levels - 1; k++)
        add(s, "{\"id\": \"%d\", \"name\": \"n\", \"children\": [", k);
    add(s, "{\"id\": \"leaf\", \"name\": \"n\", \"max\": 100, \"value\": \"x\","
           " \"rule\": {\"manual\": {}}}");
    for (int k = 0; k < levels - 1; k++)
        add(s, "]}");
    add(s, "]}");
}

START_TEST(test_indicator_nesting)
{
    str s = {0};
    jx_error e;
    nested_scheme(&s, JXI_MAX_DEPTH);
    ck_assert_msg(try_load(&s, &e), "%s", e.message);
    free(s.p);
    s = (str){0};
    nested_scheme(&s, JXI_MAX_DEPTH + 1);
    ck_assert(!try_load(&s, &e));
    ASSERT_LIMIT(e, "16");
    free(s.p);
    /* As deep as the JSON limit lets an indicator tree go. */
    s = (str){0};
    nested_scheme(&s, 25);
    ck_assert(!try_load(&s, &e));
    ASSERT_LIMIT(e, "16");
    free(s.p);
}
END_TEST

/* ---- Number of indicators and metrics: 100 000 --------------------------------- */

START_TEST(test_indicator_count)
{
    for (size_t n = JXI_MAX_INDICATORS; n <= JXI_MAX_INDICATORS + 1; n++) {
        str s = {0};
        add(&s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"total\": %zu,"
                " \"metrics\": {\"x\": {}}, \"indicators\": [", n);
        for (size_t k = 0; k < n; k++)
            add(&s, "%s{\"id\": \"%zu\", \"name\": \"n\", \"max\": 1, \"value\": \"x\","
                    " \"rule\": {\"manual\": {}}}", k ? "," : "", k);
        add(&s, "], \"grades\": [{\"label\": \"a\", \"min\": 0}]}");
        jx_error e;
        if (n == JXI_MAX_INDICATORS) {
            ck_assert_msg(try_load(&s, &e), "%s", e.message);
        } else {
            ck_assert(!try_load(&s, &e));
            ASSERT_LIMIT(e, "100000");
        }
        free(s.p);
    }
}
END_TEST

START_TEST(test_metric_count)
{
    for (size_t n = JXI_MAX_METRICS; n <= JXI_MAX_METRICS + 1; n++) {
        str s = {0};
        /* metrics + derived count together */
        add(&s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {");
        for (size_t k = 0; k + 1 < n; k++)
            add(&s, "%s\"m%zu\": {}", k ? "," : "", k);
        add(&s, "}, \"derived\": {\"d\": \"m0 + 1\"}, \"indicators\": [{\"id\": \"1\","
                " \"name\": \"n\", \"max\": 100, \"value\": \"d\", \"rule\": {\"manual\": {}}}]}");
        jx_error e;
        int ok = try_load(&s, &e);
        if (n == JXI_MAX_METRICS) {
            /* loads (with warnings for lint: unused metrics) */
            ck_assert_msg(ok, "%s", e.message);
        } else {
            ck_assert(!ok);
            ASSERT_LIMIT(e, "100000");
        }
        free(s.p);
    }
}
END_TEST

/* ---- Formulas: 4 096 bytes, 64 levels --------------------------------------------- */

START_TEST(test_formula_limits)
{
    jx_error e;
    str f = {0}, s = {0};
    /* length: x + 0 + 0 ... exactly 4096 bytes loads, 4097 does not */
    add(&f, "x");
    while (f.n + 4 <= JXI_MAX_FORMULA_LENGTH)
        add(&f, " + 0");
    while (f.n < JXI_MAX_FORMULA_LENGTH)
        add(&f, " ");
    formula_scheme(&s, f.p);
    ck_assert_msg(try_load(&s, &e), "%s", e.message);
    free(s.p);
    s = (str){0};
    add(&f, " ");
    formula_scheme(&s, f.p);
    ck_assert(!try_load(&s, &e));
    ASSERT_LIMIT(e, "4096");
    ck_assert_str_eq(e.path, "indicators[0].value");
    free(s.p);
    free(f.p);

    /* depth: 64 nested parentheses load, 65 do not; so for calls, unary
     * minus and not */
    static const char *const open[] = {"(", "abs(", "-", "not "};
    static const char *const close[] = {")", ")", "", ""};
    for (size_t k = 0; k < 4; k++) {
        for (int depth = JXI_MAX_FORMULA_DEPTH - 1; depth <= JXI_MAX_FORMULA_DEPTH + 1; depth++) {
            f = (str){0};
            s = (str){0};
            repeat(&f, open[k], (size_t)depth);
            add(&f, "x");
            repeat(&f, close[k], (size_t)depth);
            formula_scheme(&s, f.p);
            int ok = try_load(&s, &e);
            if (depth < JXI_MAX_FORMULA_DEPTH) {
                ck_assert_msg(ok, "%s depth %d: %s", open[k], depth, e.message);
            } else if (depth > JXI_MAX_FORMULA_DEPTH) {
                ck_assert_msg(!ok, "%s depth %d loads", open[k], depth);
                ASSERT_LIMIT(e, "64");
            }
            free(f.p);
            free(s.p);
        }
    }
    /* As deep as the length allows: an error, not a stack overflow. */
    f = (str){0};
    s = (str){0};
    repeat(&f, "(", JXI_MAX_FORMULA_LENGTH / 2 - 1);
    add(&f, "x");
    repeat(&f, ")", JXI_MAX_FORMULA_LENGTH / 2 - 1);
    formula_scheme(&s, f.p);
    ck_assert(!try_load(&s, &e));
    ASSERT_LIMIT(e, "64");
    free(f.p);
    free(s.p);
    /* Long flat formulas (no nesting) evaluate without limits. */
    f = (str){0};
    s = (str){0};
    add(&f, "x");
    while (f.n + 8 <= JXI_MAX_FORMULA_LENGTH)
        add(&f, " * 1 + 0");
    formula_scheme(&s, f.p);
    jx_scheme *sc = jx_scheme_load_buffer(s.p, s.n, NULL, 0, &e);
    ck_assert_msg(sc != NULL, "%s", e.message);
    jx_input *in = jx_input_new(sc);
    jx_input_set_number(in, "x", 42);
    jx_result *r = jx_score(sc, in, 0, &e);
    ck_assert_double_eq(jx_result_score(r, 0), 42);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(sc);
    free(f.p);
    free(s.p);
}
END_TEST

/* ---- Derived metrics: long chains and cycles --------------------------------------- */

START_TEST(test_derived_chain)
{
    /* 50 000 derived metrics each reading the one before: ordered without
     * recursion, evaluated in order; the same closed into a cycle: JX_ECYCLE. */
    const size_t n = 50000;
    for (int cycle = 0; cycle <= 1; cycle++) {
        str s = {0};
        add(&s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
                " \"derived\": {");
        for (size_t k = 0; k < n; k++) {
            if (k == 0)
                add(&s, "\"d0\": \"%s + 1\"", cycle ? "d49999" : "x");
            else
                add(&s, ", \"d%zu\": \"d%zu + 1\"", k, k - 1);
        }
        add(&s, "}, \"total\": 100000, \"indicators\": [{\"id\": \"1\", \"name\": \"n\","
                " \"max\": 100000, \"value\": \"d49999\", \"rule\": {\"manual\": {}}}]}");
        jx_error e;
        jx_scheme *sc = jx_scheme_load_buffer(s.p, s.n, NULL, 0, &e);
        if (cycle) {
            ck_assert_ptr_null(sc);
            ck_assert_msg(e.code == JX_ECYCLE, "%d %s", e.code, e.message);
        } else {
            ck_assert_msg(sc != NULL, "%s", e.message);
            jx_input *in = jx_input_new(sc);
            jx_input_set_number(in, "x", 0);
            jx_result *r = jx_score(sc, in, 0, &e);
            ck_assert_ptr_nonnull(r);
            ck_assert_double_eq(jx_result_score(r, 0), 50000);
            jx_result_free(r);
            jx_input_free(in);
            jx_scheme_free(sc);
        }
        free(s.p);
    }
}
END_TEST

/* ---- Error messages: long names are cut on a character boundary ------------------ */

START_TEST(test_long_names_in_errors)
{
    str s = {0}, name = {0};
    repeat(&name, "指标", 600); /* 3 600 bytes: within the formula limit */
    add(&s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
            " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100,"
            " \"value\": \"%s + x\", \"rule\": {\"manual\": {}}}]}", name.p);
    jx_error e;
    ck_assert(!try_load(&s, &e));
    ck_assert_int_eq(e.code, JX_EREF);
    size_t len = strnlen(e.message, sizeof e.message);
    ck_assert_uint_lt(len, sizeof e.message);
    ck_assert_msg(jxi_utf8_check(e.message, len) == (size_t)-1, "message cut inside a character");
    ck_assert_msg(len >= 3 && strcmp(e.message + len - 3, "...") == 0, "%s", e.message);
    free(s.p);
    free(name.p);
}
END_TEST

/* ---- Extraction: text size, patterns, pcre2 limits ---------------------------------- */

#ifndef JX_NO_EXTRACT

static jx_scheme *profile_scheme(const char *entries, jx_error *e)
{
    str s = {0};
    add(&s, "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"a\": {}},"
            " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100, \"value\": \"a\","
            " \"rule\": {\"manual\": {}}}], \"extract\": {\"metrics\": {%s}}}", entries);
    jx_scheme *sc = jx_scheme_load_buffer(s.p, s.n, NULL, 0, e);
    free(s.p);
    return sc;
}

START_TEST(test_text_size)
{
    jx_error e;
    jx_scheme *sc = profile_scheme("\"a\": {\"patterns\": [\"a(?<value>[0-9]+)\"]}", &e);
    ck_assert_msg(sc != NULL, "%s", e.message);
    char *text = malloc(JXI_MAX_TEXT_SIZE + 1);
    memset(text, 'b', JXI_MAX_TEXT_SIZE + 1);
    ck_assert_ptr_null(jx_extract(sc, text, JXI_MAX_TEXT_SIZE + 1, 0, &e));
    ASSERT_LIMIT(e, "67108864");
    free(text);
    jx_scheme_free(sc);
}
END_TEST

START_TEST(test_pattern_count)
{
    for (size_t n = JXI_MAX_PATTERNS; n <= JXI_MAX_PATTERNS + 1; n += 1) {
        str p = {0};
        add(&p, "\"a\": {\"patterns\": [");
        for (size_t k = 0; k < n; k++)
            add(&p, "%s\"a%zu(?<value>[0-9]+)\"", k ? "," : "", k);
        add(&p, "]}");
        jx_error e;
        jx_scheme *sc = profile_scheme(p.p, &e);
        if (n == JXI_MAX_PATTERNS) {
            ck_assert_msg(sc != NULL, "%s", e.message);
        } else {
            ck_assert_ptr_null(sc);
            ASSERT_LIMIT(e, "10000");
        }
        jx_scheme_free(sc);
        free(p.p);
    }
}
END_TEST

START_TEST(test_match_limits)
{
    /* Backtracking without end, deep recursion: each stops at a pcre2 limit
     * with JX_ELIMIT naming the metric and the pattern, with and without
     * JIT, in bounded time. */
    static const char *const patterns[] = {
        "(?<value>(\\\\d+)+)(?:x|y)",           /* exponential backtracking */
        "(?<value>(?:\\\\d|\\\\d\\\\d)+)(?:x|y)", /* the same, by alternation */
        "(?<value>(a|b|\\\\d)*+)(?:(?:\\\\d+)+)z", /* backtracking after a possessive run */
    };
    size_t len = 200000;
    char *text = malloc(len);
    memset(text, '7', len);
    for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
        char entry[256];
        snprintf(entry, sizeof entry, "\"a\": {\"patterns\": [\"%s\"]}", patterns[k]);
        jx_error e;
        jx_scheme *sc = profile_scheme(entry, &e);
        ck_assert_msg(sc != NULL, "%s: %s", patterns[k], e.message);
        for (unsigned flags = 0; flags <= JX_EXTRACT_NO_JIT; flags += JX_EXTRACT_NO_JIT) {
            double t0 = seconds();
            jx_extraction *x = jx_extract(sc, text, len, flags, &e);
            double dt = seconds() - t0;
            if (x) {
                /* pcre2 may see that no match is possible at all */
                jx_extraction_free(x);
                continue;
            }
            ck_assert_int_eq(e.code, JX_ELIMIT);
            ck_assert_msg(strstr(e.message, "limit") && strstr(e.message, "\"a\""), "%s",
                          e.message);
            ck_assert_msg(dt < 30, "%s: %.1f s", patterns[k], dt);
        }
        jx_scheme_free(sc);
    }
    free(text);
}
END_TEST

#endif /* JX_NO_EXTRACT */

Suite *suite_limits(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");
    tcase_add_test(tc, test_indicator_nesting);
    tcase_add_test(tc, test_formula_limits);
    tcase_add_test(tc, test_long_names_in_errors);
    suite_add_tcase(s, tc);
    /* Documents of many MiB, 100 000 indicators, pcre2 running to its
     * limits: seconds natively, minutes under valgrind, which skips them
     * (CK_EXCLUDE_TAGS=large in mk/hardening.mk; ASan runs them in make
     * check). */
    tc = tcase_create("large");
    tcase_set_tags(tc, "large");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_document_size);
    tcase_add_test(tc, test_json_nesting);
    tcase_add_test(tc, test_indicator_count);
    tcase_add_test(tc, test_metric_count);
    tcase_add_test(tc, test_derived_chain);
#ifndef JX_NO_EXTRACT
    tcase_add_test(tc, test_text_size);
    tcase_add_test(tc, test_pattern_count);
    tcase_add_test(tc, test_match_limits);
#endif
    suite_add_tcase(s, tc);
    return s;
}
