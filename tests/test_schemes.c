/* The bundled schemes: each loads, lints clean, and scores its example
 * input exactly as its hand-computed score sheet says
 * (schemes/examples/NAME.expected.json). */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util/internal.h"
#include "tests.h"
#include "../lib/util/num.h"

#define MAX_FILES 64

/* Sorted names in `dir` ending in `suffix`. */
static size_t list(const char *dir, const char *suffix, char names[][256])
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    size_t n = 0, sl = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < MAX_FILES) {
        size_t l = strlen(e->d_name);
        if (l > sl && strcmp(e->d_name + l - sl, suffix) == 0 && l < 256)
            snprintf(names[n++], 256, "%s", e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    return n;
}

START_TEST(every_scheme_lints_clean)
{
    static char names[MAX_FILES][256];
    size_t n = list(jxt_schemes_dir, ".json", names);
    ck_assert_uint_ge(n, 1);
    for (size_t i = 0; i < n; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", jxt_schemes_dir, names[i]);
        jx_diagnostics *d = jx_lint_file(path, 0);
        ck_assert_ptr_nonnull(d);
        for (size_t k = 0; k < jx_diagnostics_count(d); k++) {
            const jx_error *e = jx_diagnostics_get(d, k);
            fprintf(stderr, "%s:%d:%d: %s: %s\n", e->source, e->line, e->column, e->path,
                    e->message);
        }
        ck_assert_msg(jx_diagnostics_count(d) == 0, "%s: %zu diagnostics", path,
                      jx_diagnostics_count(d));
        jx_diagnostics_free(d);
    }
}
END_TEST

static double num(json_t *o, const char *key, const char *where)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(json_is_number(v), "%s: \"%s\" must be a number", where, key);
    return json_number_value(v);
}

/* Score one example and compare with its sheet; return the scheme file. */
static void check_sheet(const char *sheet_name, char *scheme_out, size_t outlen)
{
    char path[600];
    snprintf(path, sizeof path, "%s/examples/%s", jxt_schemes_dir, sheet_name);
    json_error_t je;
    json_t *sheet = json_load_file(path, 0, &je);
    ck_assert_msg(sheet != NULL, "%s:%d: %s", path, je.line, je.text);
    const char *scheme_file = json_string_value(json_object_get(sheet, "scheme"));
    const char *input_file = json_string_value(json_object_get(sheet, "input"));
    ck_assert_msg(scheme_file && input_file, "%s: needs \"scheme\" and \"input\"", path);
    snprintf(scheme_out, outlen, "%s", scheme_file);

    char sp[600], ip[600];
    snprintf(sp, sizeof sp, "%s/%s", jxt_schemes_dir, scheme_file);
    snprintf(ip, sizeof ip, "%s/examples/%s", jxt_schemes_dir, input_file);
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(sp, 0, &err);
    ck_assert_msg(s != NULL, "%s:%d:%d: %s: %s", err.source, err.line, err.column, err.path,
                  err.message);
    jx_input *in = jx_input_new(s);
    ck_assert_msg(jx_input_load_file(in, ip, 0, &err) == 0, "%s:%d:%d: %s: %s", err.source,
                  err.line, err.column, err.path, err.message);
    jx_result *r = jx_score(s, in, 0, &err);
    ck_assert_msg(r != NULL, "%s: %s", sheet_name, err.message);
    int prec = jx_scheme_precision(s);

    json_t *inds = json_object_get(sheet, "indicators");
    ck_assert_msg(json_is_object(inds), "%s: \"indicators\" must be an object", path);
    /* Every leaf of the scheme is on the sheet. */
    for (size_t i = 0; i < jx_scheme_indicator_count(s); i++)
        if (jx_scheme_indicator_is_leaf(s, i))
            ck_assert_msg(json_object_get(inds, jx_scheme_indicator_id(s, i)) != NULL,
                          "%s: leaf %s is not on the sheet", sheet_name,
                          jx_scheme_indicator_id(s, i));
    const char *id;
    json_t *want;
    int wrong = 0;
    json_object_foreach(inds, id, want) {
        size_t i = jx_scheme_indicator_find(s, id);
        ck_assert_msg(i != JX_NONE, "%s: no indicator %s in %s", sheet_name, id, scheme_file);
        double ws = num(want, "score", id);
        double got = jx_result_score(r, i);
        const char *wst = json_string_value(json_object_get(want, "status"));
        ck_assert_msg(wst != NULL, "%s: indicator %s needs a \"status\"", sheet_name, id);
        if (jxi_round(ws, prec) != got || strcmp(wst, jx_status_name(jx_result_status(r, i))) != 0) {
            fprintf(stderr, "%s: %s: sheet %.*f %s, engine %.*f %s (%s)\n", sheet_name, id, prec,
                    ws, wst, prec, got, jx_status_name(jx_result_status(r, i)),
                    jx_result_reason(r, i));
            wrong++;
        }
        if (jx_scheme_indicator_is_leaf(s, i))
            ck_assert_msg(json_is_string(json_object_get(want, "how")),
                          "%s: leaf %s needs a \"how\"", sheet_name, id);
    }
    ck_assert_msg(wrong == 0, "%s: %d indicators differ from the sheet", sheet_name, wrong);
    ck_assert_msg(jxi_round(num(sheet, "total", sheet_name), prec) == jx_result_total(r),
                  "%s: total %.*f, sheet %.*f", sheet_name, prec, jx_result_total(r), prec,
                  num(sheet, "total", sheet_name));
    const char *grade = json_string_value(json_object_get(sheet, "grade"));
    ck_assert_msg(grade && strcmp(grade, jx_result_grade(r)) == 0, "%s: grade %s, sheet %s",
                  sheet_name, jx_result_grade(r), grade ? grade : "(none)");
    json_t *complete = json_object_get(sheet, "complete");
    ck_assert_msg(json_is_boolean(complete), "%s: needs \"complete\"", sheet_name);
    ck_assert_int_eq(jx_result_complete(r), json_is_true(complete));
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
    json_decref(sheet);
}

START_TEST(every_scheme_matches_its_sheet)
{
    static char schemes[MAX_FILES][256], sheets[MAX_FILES][256];
    char dir[600];
    snprintf(dir, sizeof dir, "%s/examples", jxt_schemes_dir);
    size_t ns = list(jxt_schemes_dir, ".json", schemes);
    size_t nx = list(dir, ".expected.json", sheets);
    ck_assert_uint_ge(nx, 1);
    int covered[MAX_FILES] = {0};
    for (size_t k = 0; k < nx; k++) {
        char scheme[256];
        check_sheet(sheets[k], scheme, sizeof scheme);
        for (size_t i = 0; i < ns; i++)
            if (strcmp(schemes[i], scheme) == 0)
                covered[i] = 1;
    }
    for (size_t i = 0; i < ns; i++)
        ck_assert_msg(covered[i], "scheme %s has no score sheet in examples/", schemes[i]);
}
END_TEST

START_TEST(lint_reports_all_at_once)
{
    static const char *bad =
        "{\"jixiao\": 1, \"id\": \"x\", \"title\": \"t\", \"metrics\": {\"a\": {}, \"b\": {}},\n"
        " \"indicators\": [\n"
        "  {\"id\": \"1\", \"name\": \"n\", \"max\": 60, \"value\": \"a\", \"extra\": 1,\n"
        "   \"rule\": {\"manual\": {}}},\n"
        "  {\"id\": \"2\", \"name\": \"m\", \"max\": 40, \"value\": \"zz\",\n"
        "   \"rule\": {\"manual\": {}}}]}";
    jx_diagnostics *d = jx_lint_buffer(bad, strlen(bad), "bad.json", 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 2);
    const jx_error *e0 = jx_diagnostics_get(d, 0), *e1 = jx_diagnostics_get(d, 1);
    ck_assert_int_eq(e0->code, JX_EKEY);
    ck_assert_str_eq(e0->path, "indicators[0].extra");
    ck_assert_int_eq(e0->line, 3);
    ck_assert_int_eq(e1->code, JX_EREF);
    ck_assert_str_eq(e1->path, "indicators[1].value");
    ck_assert_int_eq(e1->line, 5);
    ck_assert_str_eq(e1->source, "bad.json");
    jx_diagnostics_free(d);

    static const char *warn =
        "{\"jixiao\": 1, \"id\": \"x\", \"title\": \"t\", \"metrics\": {\"a\": {}, \"b\": {}},\n"
        " \"indicators\": [\n"
        "  {\"id\": \"1\", \"name\": \"n\", \"max\": 100, \"value\": \"a\",\n"
        "   \"rule\": {\"bands\": [{\"when\": \"[0, 50)\", \"score\": 0},"
        " {\"when\": \">= 50\", \"score\": 90}]}}]}";
    d = jx_lint_buffer(warn, strlen(warn), NULL, 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 0);
    ck_assert_uint_eq(jx_diagnostics_warnings(d), 2);
    ck_assert_str_eq(jx_diagnostics_get(d, 0)->path, "metrics.b");
    ck_assert_int_eq(jx_diagnostics_severity(d, 0), JX_SEVERITY_WARNING);
    ck_assert_str_eq(jx_diagnostics_get(d, 1)->path, "indicators[0].rule");
    ck_assert_int_eq(jx_diagnostics_get(d, 1)->line, 4);
    jx_diagnostics_free(d);

    /* A nested leaf's warning names where it stands, second child of the
     * second top-level indicator. */
    static const char *nested =
        "{\"jixiao\": 1, \"id\": \"x\", \"title\": \"t\", \"metrics\": {\"a\": {}},\n"
        " \"indicators\": [\n"
        "  {\"id\": \"1\", \"name\": \"p\", \"children\": [\n"
        "   {\"id\": \"1.1\", \"name\": \"n\", \"max\": 50, \"value\": \"a\",\n"
        "    \"rule\": {\"ratio\": {\"target\": \">= 1\"}}}]},\n"
        "  {\"id\": \"2\", \"name\": \"q\", \"children\": [\n"
        "   {\"id\": \"2.1\", \"name\": \"n\", \"max\": 50, \"value\": \"a\",\n"
        "    \"rule\": {\"ratio\": {\"target\": \">= 1\"}}},\n"
        "   {\"id\": \"2.2\", \"name\": \"z\", \"max\": 0, \"value\": \"a\",\n"
        "    \"rule\": {\"ratio\": {\"target\": \">= 1\"}}}]}]}";
    d = jx_lint_buffer(nested, strlen(nested), NULL, 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 0);
    int found = 0;
    for (size_t k = 0; k < jx_diagnostics_count(d); k++)
        if (strstr(jx_diagnostics_get(d, k)->message, "worth 0 points")) {
            ck_assert_str_eq(jx_diagnostics_get(d, k)->path, "indicators[1].children[1].max");
            ck_assert_int_eq(jx_diagnostics_get(d, k)->line, 9);
            found = 1;
        }
    ck_assert(found);
    jx_diagnostics_free(d);

    d = jx_lint_file("/nonexistent/scheme.json", 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 1);
    ck_assert_int_eq(jx_diagnostics_get(d, 0)->code, JX_EIO);
    jx_diagnostics_free(d);
}
END_TEST

Suite *suite_schemes(void)
{
    Suite *s = suite_create("schemes");
    TCase *tc = tcase_create("bundled");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, every_scheme_lints_clean);
    tcase_add_test(tc, every_scheme_matches_its_sheet);
    tcase_add_test(tc, lint_reports_all_at_once);
    suite_add_tcase(s, tc);
    return s;
}
