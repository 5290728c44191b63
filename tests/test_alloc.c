/* Allocation failures: every allocation of loading, scoring, exporting,
 * linting, extracting, batch scoring, CSV batches and reading projects is made to fail in turn, alone and
 * with every one after it, and each call must then fail cleanly (NULL or a
 * negative code, JX_ENOMEM where the call reports a code) or succeed with
 * exactly the output of a run without failures, and leak nothing.
 *
 * The failures come from the library's allocator hook (lib/util/alloc.c), which
 * exists only when the library is built with -DJX_ALLOC_TESTING: `make
 * check-alloc` builds such a copy (under ASan and LeakSanitizer) and runs
 * this suite alone; the hook counts the library's live blocks, so a leak is
 * caught at the allocation whose failure caused it. pcre2's allocations go
 * through the library's allocator and fail in turn too.
 *
 * jansson's allocator is the host's (json_set_alloc_funcs), not the
 * library's. This test, as the host, routes it through functions of its
 * own to count jansson's live blocks as well, but never makes them fail:
 * jansson 2.14 does not survive its own allocation failures (json_loads
 * crashes with SIGSEGV when its first allocation fails, and its lexer
 * drops characters when a buffer cannot grow -- a document then "loads"
 * with an id of "municipal-depatment-2023"; akheron/jansson#362, PRs
 * #735, #747), and it reports most of them as syntax errors, not as
 * json_error_out_of_memory. Nothing the library does can make a failing
 * jansson safe.
 *
 * In the normal build each scenario runs once, without failures: the
 * scenarios themselves stay correct, and valgrind sees them. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/internal.h"
#include "tests.h"

/* ---- Fixtures: a bundled scheme and what a failure-free run gives ---------- */

typedef struct fixture {
    const char *name;
    char scheme_path[512];
    char metrics_path[512];
    char report_path[512];
    char *report;          /* the report text, or NULL */
    size_t report_len;
    jx_scheme *s;
    jx_input *in;          /* the example figures */
    jx_input *in2;         /* empty between runs */
    char *empty_json;      /* the JSON of an empty input's score */
    jx_result *r;
    char *result_json;     /* jx_result_to_json of r */
    char *result_json_en;  /* the same scored with JX_LANG_EN */
    jx_diagnostics *lint;
    jx_extraction *x;      /* NULL without a profile */
    char *extraction_json;
    double *totals;        /* batch: the totals of the population */
    size_t n;              /* its size */
    double **cols;
} fixture;

/* Like ck_assert_str_eq, for long strings: the message shows where they
 * differ (Check refuses messages of more than a few KiB). */
#define SAME_TEXT(got, want) same_text((got), (want), __LINE__)
static void same_text(const char *got, const char *want, int line)
{
    ck_assert_msg(got != NULL, "line %d: NULL", line);
    if (strcmp(got, want) == 0)
        return;
    size_t k = 0;
    while (got[k] && got[k] == want[k])
        k++;
    size_t from = k > 60 ? k - 60 : 0;
    ck_assert_msg(0, "line %d: differs at byte %zu:\n  got  ...%.120s\n  want ...%.120s", line, k,
                  got + from, want + from);
}

static char *score_json(const jx_scheme *s, const jx_input *in, unsigned flags)
{
    jx_error e;
    jx_result *r = jx_score(s, in, flags, &e);
    ck_assert_msg(r != NULL, "%s", e.message);
    char *json = jx_result_to_json(r, 0);
    ck_assert_ptr_nonnull(json);
    jx_result_free(r);
    return json;
}

/* A population for the batch API: the example figures, then the same with
 * each number metric scaled and some missing. */
static void make_population(fixture *fx)
{
    size_t nm = jx_scheme_metric_count(fx->s);
    fx->n = 16;
    fx->cols = calloc(nm ? nm : 1, sizeof *fx->cols);
    for (size_t m = 0; m < nm; m++) {
        fx->cols[m] = malloc(fx->n * sizeof **fx->cols);
        for (size_t k = 0; k < fx->n; k++) {
            int t = jx_scheme_metric_type(fx->s, m);
            double v;
            if ((k + m) % 7 == 3)
                v = NAN;
            else if (t == JX_METRIC_NUMBER)
                v = (double)((k * 37 + m * 11) % 150);
            else if (t == JX_METRIC_BOOL)
                v = (double)((k + m) % 2);
            else
                v = (double)((k + m) % jx_scheme_metric_level_count(fx->s, m));
            fx->cols[m][k] = v;
        }
    }
}

static void fixture_init(fixture *fx, const char *name)
{
    memset(fx, 0, sizeof *fx);
    fx->name = name;
    snprintf(fx->scheme_path, sizeof fx->scheme_path, "%s/%s.json", jxt_schemes_dir, name);
    snprintf(fx->metrics_path, sizeof fx->metrics_path, "%s/examples/%s.metrics.json",
             jxt_schemes_dir, name);
    snprintf(fx->report_path, sizeof fx->report_path, "%s/examples/%s.report.txt",
             jxt_schemes_dir, name);
    jx_error e;
    fx->s = jx_scheme_load_file(fx->scheme_path, 0, &e);
    ck_assert_msg(fx->s != NULL, "%s: %s", fx->scheme_path, e.message);
    fx->in = jx_input_new(fx->s);
    ck_assert_ptr_nonnull(fx->in);
    ck_assert_msg(jx_input_load_file(fx->in, fx->metrics_path, 0, &e) == 0, "%s: %s",
                  fx->metrics_path, e.message);
    fx->in2 = jx_input_new(fx->s);
    ck_assert_ptr_nonnull(fx->in2);
    fx->empty_json = score_json(fx->s, fx->in2, 0);
    fx->r = jx_score(fx->s, fx->in, 0, &e);
    ck_assert_ptr_nonnull(fx->r);
    fx->result_json = jx_result_to_json(fx->r, 0);
    ck_assert_ptr_nonnull(fx->result_json);
    jx_result *en = jx_score(fx->s, fx->in, JX_LANG_EN, &e);
    ck_assert_ptr_nonnull(en);
    fx->result_json_en = jx_result_to_json(en, 0);
    jx_result_free(en);
    fx->lint = jx_lint_file(fx->scheme_path, 0);
    ck_assert_ptr_nonnull(fx->lint);
    if (jx_scheme_has_extraction(fx->s)) {
        fx->report = jxt_read_file(fx->report_path, &fx->report_len);
        ck_assert_msg(fx->report != NULL, "%s", fx->report_path);
        fx->x = jx_extract(fx->s, fx->report, fx->report_len, 0, &e);
        ck_assert_msg(fx->x != NULL, "%s", e.message);
        fx->extraction_json = jx_extraction_to_json(fx->x, 0);
        ck_assert_ptr_nonnull(fx->extraction_json);
    }
    make_population(fx);
    fx->totals = malloc(fx->n * sizeof *fx->totals);
    ck_assert_int_eq(jx_batch_score_threads(fx->s, 1, fx->n, (const double *const *)fx->cols,
                                            jx_scheme_metric_count(fx->s), NULL, 0, NULL, NULL,
                                            fx->totals, NULL, NULL, &e),
                     0);
}

static void fixture_free(fixture *fx)
{
    for (size_t m = 0; m < jx_scheme_metric_count(fx->s); m++)
        free(fx->cols[m]);
    free(fx->cols);
    free(fx->totals);
    jx_free(fx->extraction_json);
    jx_extraction_free(fx->x);
    free(fx->report);
    jx_diagnostics_free(fx->lint);
    jx_free(fx->result_json);
    jx_free(fx->result_json_en);
    jx_result_free(fx->r);
    jx_input_free(fx->in);
    jx_input_free(fx->in2);
    jx_free(fx->empty_json);
    jx_scheme_free(fx->s);
}

/* ---- Scenarios ------------------------------------------------------------------
 * run(): the calls under test, with failures injected; returns the object
 * made (or NULL) and sets *code (0, or the code the call reported).
 * check(): without failures: the object is exactly what a failure-free run
 * gives; then frees it. */

typedef struct scenario {
    const char *name;
    void *(*run)(fixture *fx, int *code);
    void (*check)(fixture *fx, void *obj);
    void (*after_failure)(fixture *fx); /* optional: what a failure must leave */
} scenario;

static void *run_load(fixture *fx, int *code)
{
    jx_error e;
    jx_scheme *s = jx_scheme_load_file(fx->scheme_path, 0, &e);
    *code = s ? 0 : e.code;
    return s;
}

static void check_load(fixture *fx, void *obj)
{
    jx_scheme *s = obj;
    jx_input *in = jx_input_new(s);
    jx_error e;
    ck_assert_msg(jx_input_load_file(in, fx->metrics_path, 0, &e) == 0, "%s", e.message);
    char *json = score_json(s, in, 0);
    SAME_TEXT(json, fx->result_json);
    jx_free(json);
    ck_assert_int_eq(jx_scheme_has_extraction(s), jx_scheme_has_extraction(fx->s));
    jx_input_free(in);
    jx_scheme_free(s);
}

/* The scheme from a buffer, as a host that holds the text would. */
static void *run_load_buffer(fixture *fx, int *code)
{
    size_t len;
    char *text = jxt_read_file(fx->scheme_path, &len);
    jx_error e;
    /* The source names the file, so that a profile file is found. */
    jx_scheme *s = jx_scheme_load_buffer(text, len, fx->scheme_path, 0, &e);
    free(text);
    *code = s ? 0 : e.code;
    return s;
}

/* Into an input of the fixture's (fx->in2, empty): on failure it must still
 * be empty ("on error `in` is unchanged"). */
static void *run_input(fixture *fx, int *code)
{
    jx_error e;
    *code = jx_input_load_file(fx->in2, fx->metrics_path, 0, &e);
    if (*code < 0)
        ck_assert_int_eq(*code, e.code);
    return NULL;
}

static void check_input(fixture *fx, void *obj)
{
    (void)obj;
    char *json = score_json(fx->s, fx->in2, 0);
    SAME_TEXT(json, fx->result_json);
    jx_free(json);
    jx_input_clear(fx->in2);
}

static void input_unchanged(fixture *fx)
{
    char *json = score_json(fx->s, fx->in2, 0);
    SAME_TEXT(json, fx->empty_json);
    jx_free(json);
}

static void *run_input_new(fixture *fx, int *code)
{
    jx_input *in = jx_input_new(fx->s);
    *code = in ? 0 : JX_ENOMEM;
    return in;
}

static void check_input_new(fixture *fx, void *obj)
{
    char *json = score_json(fx->s, obj, 0);
    SAME_TEXT(json, fx->empty_json);
    jx_free(json);
    jx_input_free(obj);
}

static void *run_score(fixture *fx, int *code)
{
    jx_error e;
    jx_result *r = jx_score(fx->s, fx->in, 0, &e);
    *code = r ? 0 : e.code;
    return r;
}

static void check_score(fixture *fx, void *obj)
{
    char *json = jx_result_to_json(obj, 0);
    SAME_TEXT(json, fx->result_json);
    jx_free(json);
    jx_result_free(obj);
}

static void *run_score_en(fixture *fx, int *code)
{
    jx_error e;
    jx_result *r = jx_score(fx->s, fx->in, JX_LANG_EN, &e);
    *code = r ? 0 : e.code;
    return r;
}

static void check_score_en(fixture *fx, void *obj)
{
    char *json = jx_result_to_json(obj, 0);
    SAME_TEXT(json, fx->result_json_en);
    jx_free(json);
    jx_result_free(obj);
}

/* Strict scoring of an empty input: JX_EINCOMPLETE, whose message is made
 * from a reason (an allocation of its own). */
static void *run_score_strict(fixture *fx, int *code)
{
    jx_input *in = jx_input_new(fx->s);
    if (!in) {
        *code = JX_ENOMEM;
        return NULL;
    }
    jx_error e;
    jx_result *r = jx_score(fx->s, in, JX_STRICT, &e);
    jx_input_free(in);
    ck_assert_ptr_null(r);
    *code = e.code;
    if (e.code == JX_EINCOMPLETE)
        *code = 0; /* what a failure-free run gives: not a failure here */
    return NULL;
}

static void check_nothing(fixture *fx, void *obj)
{
    (void)fx;
    (void)obj;
}

static void *run_export(fixture *fx, int *code)
{
    char *json = jx_result_to_json(fx->r, 0);
    *code = json ? 0 : JX_ENOMEM;
    return json;
}

static void check_export(fixture *fx, void *obj)
{
    SAME_TEXT(obj, fx->result_json);
    jx_free(obj);
}

/* Lint: NULL when out of memory; a JX_ENOMEM diagnostic is a clean failure
 * too (the scheme's own load ran out); otherwise exactly the reference. */
static void *run_lint(fixture *fx, int *code)
{
    jx_diagnostics *d = jx_lint_file(fx->scheme_path, 0);
    *code = d ? 0 : JX_ENOMEM;
    if (d) {
        for (size_t k = 0; k < jx_diagnostics_count(d); k++) {
            int c = jx_diagnostics_get(d, k)->code;
            if (c == JX_ENOMEM) {
                *code = c;
                jx_diagnostics_free(d);
                return NULL;
            }
        }
    }
    return d;
}

static void check_lint(fixture *fx, void *obj)
{
    jx_diagnostics *d = obj;
    ck_assert_msg(jx_diagnostics_count(d) == jx_diagnostics_count(fx->lint),
                  "%zu diagnostics instead of %zu, the first: %d \"%s\"", jx_diagnostics_count(d),
                  jx_diagnostics_count(fx->lint),
                  jx_diagnostics_count(d) ? jx_diagnostics_get(d, 0)->code : 0,
                  jx_diagnostics_count(d) ? jx_diagnostics_get(d, 0)->message : "");
    for (size_t k = 0; k < jx_diagnostics_count(d); k++) {
        const jx_error *a = jx_diagnostics_get(d, k), *b = jx_diagnostics_get(fx->lint, k);
        ck_assert_int_eq(a->code, b->code);
        ck_assert_str_eq(a->message, b->message);
        ck_assert_str_eq(a->path, b->path);
        ck_assert_int_eq(jx_diagnostics_severity(d, k), jx_diagnostics_severity(fx->lint, k));
    }
    jx_diagnostics_free(d);
}

static void *run_extract(fixture *fx, int *code)
{
    jx_error e;
    jx_extraction *x = jx_extract(fx->s, fx->report, fx->report_len, 0, &e);
    *code = x ? 0 : e.code;
    return x;
}

static void *run_extract_nojit(fixture *fx, int *code)
{
    jx_error e;
    jx_extraction *x = jx_extract(fx->s, fx->report, fx->report_len, JX_EXTRACT_NO_JIT, &e);
    *code = x ? 0 : e.code;
    return x;
}

static void check_extract(fixture *fx, void *obj)
{
    char *json = jx_extraction_to_json(obj, 0);
    SAME_TEXT(json, fx->extraction_json);
    jx_free(json);
    jx_extraction_free(obj);
}

static void *run_extraction_json(fixture *fx, int *code)
{
    char *json = jx_extraction_to_json(fx->x, 0);
    *code = json ? 0 : JX_ENOMEM;
    return json;
}

static void check_extraction_json(fixture *fx, void *obj)
{
    SAME_TEXT(obj, fx->extraction_json);
    jx_free(obj);
}

/* Extracted figures applied to a new input and scored. */
static void *run_extract_apply(fixture *fx, int *code)
{
    jx_input *in = jx_input_new(fx->s);
    if (!in) {
        *code = JX_ENOMEM;
        return NULL;
    }
    /* Applying records where each value came from (line:column), which
     * allocates: out of memory is a clean failure, anything else must set
     * at least one figure. */
    int n = jx_extraction_apply(fx->x, in);
    if (n == JX_ENOMEM) {
        jx_input_free(in);
        *code = JX_ENOMEM;
        return NULL;
    }
    ck_assert_int_ge(n, 1);
    jx_error e;
    jx_result *r = jx_score(fx->s, in, 0, &e);
    jx_input_free(in);
    *code = r ? 0 : e.code;
    return r;
}

static void check_extract_apply(fixture *fx, void *obj)
{
    jx_input *in = jx_input_new(fx->s);
    ck_assert_int_ge(jx_extraction_apply(fx->x, in), 1);
    char *want = score_json(fx->s, in, 0), *got = jx_result_to_json(obj, 0);
    SAME_TEXT(got, want);
    jx_free(want);
    jx_free(got);
    jx_input_free(in);
    jx_result_free(obj);
}

typedef struct batch_out {
    jx_batch *b;
    double *totals;
} batch_out;

static void *run_batch(fixture *fx, int *code)
{
    batch_out *o = calloc(1, sizeof *o);
    o->totals = calloc(fx->n, sizeof *o->totals);
    jx_error e;
    o->b = jx_batch_new(fx->s);
    if (!o->b) {
        *code = JX_ENOMEM;
    } else {
        *code = jx_batch_score(fx->s, o->b, fx->n, (const double *const *)fx->cols,
                               jx_scheme_metric_count(fx->s), NULL, 0, NULL, NULL, o->totals,
                               NULL, NULL, &e);
        if (*code < 0)
            ck_assert_int_eq(*code, e.code);
    }
    if (*code < 0) {
        jx_batch_free(o->b);
        free(o->totals);
        free(o);
        return NULL;
    }
    return o;
}

static void check_batch(fixture *fx, void *obj)
{
    batch_out *o = obj;
    for (size_t k = 0; k < fx->n; k++)
        ck_assert_msg(o->totals[k] == fx->totals[k], "entity %zu: %g, want %g", k, o->totals[k],
                      fx->totals[k]);
    jx_batch_free(o->b);
    free(o->totals);
    free(o);
}

static void *run_batch_threads(fixture *fx, int *code)
{
    double *totals = calloc(fx->n, sizeof *totals);
    jx_error e;
    *code = jx_batch_score_threads(fx->s, 3, fx->n, (const double *const *)fx->cols,
                                   jx_scheme_metric_count(fx->s), NULL, 0, NULL, NULL, totals,
                                   NULL, NULL, &e);
    if (*code < 0) {
        ck_assert_int_eq(*code, e.code);
        free(totals);
        return NULL;
    }
    return totals;
}

static void check_batch_threads(fixture *fx, void *obj)
{
    double *totals = obj;
    for (size_t k = 0; k < fx->n; k++)
        ck_assert_double_eq(totals[k], fx->totals[k]);
    free(totals);
}

/* Error paths: loading broken documents must give their own error (or
 * JX_ENOMEM), whatever allocation fails while the error is reported. */
static const char bad_scheme[] =
    "{\"jixiao\": 1, \"id\": \"x\", \"title\": \"x\", \"metrics\": {\"a\": {}},\n"
    " \"derived\": {\"d1\": \"d2 + a\", \"d2\": \"d1 * 2\"},\n"
    " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100, \"value\": \"d1 / [no such]\",\n"
    "   \"rule\": {\"ratio\": {\"target\": \">= 100\"}}}]}";

static void *run_bad_scheme(fixture *fx, int *code)
{
    (void)fx;
    jx_error e;
    jx_scheme *s = jx_scheme_load_buffer(bad_scheme, sizeof bad_scheme - 1, "bad.json", 0, &e);
    ck_assert_ptr_null(s);
    *code = e.code == JX_EREF || e.code == JX_ECYCLE ? 0 : e.code;
    return NULL;
}

static void *run_bad_lint(fixture *fx, int *code)
{
    (void)fx;
    jx_diagnostics *d = jx_lint_buffer(bad_scheme, sizeof bad_scheme - 1, "bad.json", 0);
    *code = d ? 0 : JX_ENOMEM;
    if (d) {
        for (size_t k = 0; k < jx_diagnostics_count(d); k++) {
            int c = jx_diagnostics_get(d, k)->code;
            if (c == JX_ENOMEM)
                *code = c;
        }
        if (*code == 0)
            ck_assert_uint_ge(jx_diagnostics_errors(d), 1);
        jx_diagnostics_free(d);
    }
    return NULL;
}

static const char bad_input[] =
    "{\"metrics\": {\"no such metric\": 1}, \"not_applicable\": [\"no such id\"]}";

static void *run_bad_input(fixture *fx, int *code)
{
    jx_error e;
    int rc = jx_input_load_buffer(fx->in, bad_input, sizeof bad_input - 1, "bad-input.json", 0,
                                  &e);
    ck_assert_int_lt(rc, 0);
    /* its own error, or the driver judges the code */
    *code = rc == JX_EKEY || rc == JX_ENOTFOUND ? 0 : rc;
    return NULL;
}

static void check_bad_input_failed(fixture *fx)
{
    /* fx->in is unchanged */
    char *json = score_json(fx->s, fx->in, 0);
    SAME_TEXT(json, fx->result_json);
    jx_free(json);
}

static void check_bad_input(fixture *fx, void *obj)
{
    (void)obj;
    check_bad_input_failed(fx);
}

/* Projects: read (each scheme built from its rows), scored, and every
 * result's JSON (whose audit digest is computed then, from the project's
 * JSON). The text of all results, or NULL. */
static char *projects_expected;

static void *run_projects(fixture *fx, int *code)
{
    (void)fx;
    char path[512];
    snprintf(path, sizeof path, "%s/projects/projects.csv", jxt_data_dir);
    size_t len;
    char *csv = jxt_read_file(path, &len);
    ck_assert_ptr_nonnull(csv);
    jx_error err;
    jx_projects *ps = jx_projects_read_buffer(csv, len, "projects.csv", NULL, 0, &err);
    free(csv);
    char *all = NULL;
    *code = ps ? 0 : err.code;
    if (ps && jx_projects_score(ps, 0, &err) < 0)
        *code = err.code;
    size_t used = 0;
    for (size_t k = 0; *code == 0 && k < jx_projects_count(ps); k++) {
        char *json = jx_result_to_json(jx_projects_result(ps, k), 0);
        if (!json) {
            *code = JX_ENOMEM;
            break;
        }
        size_t n = strlen(json);
        char *grown = realloc(all, used + n + 2);
        ck_assert_ptr_nonnull(grown);
        all = grown;
        memcpy(all + used, json, n);
        used += n;
        all[used++] = '\n';
        all[used] = '\0';
        jx_free(json);
    }
    jx_projects_free(ps);
    if (*code != 0) {
        free(all);
        return NULL;
    }
    return all;
}

static void check_projects(fixture *fx, void *obj)
{
    (void)fx;
    if (!projects_expected)
        projects_expected = strdup(obj); /* the run without failures comes first */
    SAME_TEXT(obj, projects_expected);
    free(obj);
}

/* Batches from CSV: the population as CSV text (levels by name, a quoted id,
 * and a bad row at the end), read in chunks of 7 rows, scored and written. */
typedef struct csv_out {
    double *totals;
    size_t n, nbad;
    char *text;
} csv_out;

static char *population_csv(const fixture *fx, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    ck_assert_ptr_nonnull(f);
    size_t nm = jx_scheme_metric_count(fx->s);
    fputs("id", f);
    for (size_t m = 0; m < nm; m++)
        fprintf(f, ",\"%s\"", jx_scheme_metric_name(fx->s, m));
    fputs("\r\n", f);
    for (size_t k = 0; k < fx->n; k++) {
        fprintf(f, k % 5 ? "e%zu" : "\"e,%zu\"", k);
        for (size_t m = 0; m < nm; m++) {
            double v = fx->cols[m][k];
            if (isnan(v))
                fputs(",", f);
            else if (jx_scheme_metric_type(fx->s, m) == JX_METRIC_LEVEL)
                fprintf(f, ",%s", jx_scheme_metric_level(fx->s, m, (size_t)v));
            else
                fprintf(f, ",%.17g", v);
        }
        fputs("\r\n", f);
    }
    fputs("bad,1\r\n", f);
    fclose(f);
    return text;
}

static void *run_csv(fixture *fx, int *code)
{
    size_t len, ni = jx_scheme_indicator_count(fx->s), nm = jx_scheme_metric_count(fx->s);
    char *text = population_csv(fx, &len);
    csv_out *o = calloc(1, sizeof *o);
    o->totals = calloc(fx->n + 1, sizeof *o->totals);
    double scores[7 * 2048], totals[7];
    int grades[7];
    unsigned char complete[7];
    ck_assert_uint_le(ni, 2048);
    jx_error e;
    jx_csv_reader *r = jx_csv_open_buffer(fx->s, text, len, "population.csv", 0, &e);
    jx_csv_chunk *c = r ? jx_csv_chunk_new(r, 7) : NULL;
    jx_csv_writer *w = r ? jx_csv_writer_new(fx->s, 0) : NULL;
    jx_batch *b = jx_batch_new(fx->s);
    if (!r) {
        *code = e.code;
    } else if (!c || !w || !b) {
        *code = JX_ENOMEM;
    } else {
        int rc;
        *code = jx_csv_writer_header(w);
        while (*code == 0 && (rc = jx_csv_read(r, c, &e)) != 0) {
            if (rc < 0) {
                *code = rc;
                break;
            }
            size_t n = jx_csv_chunk_rows(c);
            o->nbad += jx_csv_chunk_bad_count(c);
            if (!n)
                continue;
            *code = jx_batch_score(fx->s, b, n, jx_csv_chunk_metrics(c), nm,
                                   jx_csv_chunk_not_applicable(c), ni, scores, NULL, totals,
                                   grades, complete, &e);
            if (*code == 0)
                *code = jx_csv_writer_rows(w, n, jx_csv_chunk_ids(c, NULL), scores, totals,
                                           grades, complete);
            for (size_t k = 0; *code == 0 && k < n; k++)
                o->totals[o->n++] = totals[k];
        }
    }
    if (*code == 0)
        o->text = strdup(jx_csv_writer_text(w, NULL));
    jx_batch_free(b);
    jx_csv_writer_free(w);
    jx_csv_chunk_free(c);
    jx_csv_free(r);
    free(text);
    if (*code < 0) {
        free(o->totals);
        free(o);
        return NULL;
    }
    return o;
}

static void check_csv(fixture *fx, void *obj)
{
    csv_out *o = obj;
    ck_assert_uint_eq(o->n, fx->n);
    ck_assert_uint_eq(o->nbad, 1);
    for (size_t k = 0; k < fx->n; k++)
        ck_assert_msg(o->totals[k] == fx->totals[k], "row %zu: %g, want %g", k, o->totals[k],
                      fx->totals[k]);
    size_t lines = 0;
    for (const char *p = o->text; (p = strchr(p, '\n')); p++)
        lines++;
    ck_assert_uint_eq(lines, fx->n + 1);
    ck_assert(strncmp(o->text, "id,", 3) == 0);
    ck_assert_ptr_nonnull(strstr(o->text, "\n\"e,5\","));
    free(o->text);
    free(o->totals);
    free(o);
}

/* The same text through jx_csv_score, in chunks of 7 rows on 1 and on 3
 * workers: the bytes of run_csv. */
static int csv_score_write(void *ctx, const char *text, size_t len)
{
    return fwrite(text, 1, len, ctx) == len ? 0 : -1;
}

static void *run_csv_score_on(fixture *fx, int *code, unsigned threads)
{
    size_t len, out_len;
    char *text = population_csv(fx, &len), *out = NULL;
    FILE *f = open_memstream(&out, &out_len);
    ck_assert_ptr_nonnull(f);
    jx_error e;
    jx_csv_counts n;
    jx_csv_reader *r = jx_csv_open_buffer(fx->s, text, len, "population.csv", 0, &e);
    *code = r ? jx_csv_score(r, threads, 7, 0, csv_score_write, f, NULL, NULL, &n, &e) : e.code;
    ck_assert_int_eq(fclose(f), 0);
    jx_csv_free(r);
    free(text);
    if (*code < 0) {
        ck_assert_int_eq(*code, e.code);
        free(out);
        return NULL;
    }
    ck_assert_uint_eq(n.rows, fx->n);
    ck_assert_uint_eq(n.bad, 1);
    return out;
}

static void *run_csv_score(fixture *fx, int *code)
{
    return run_csv_score_on(fx, code, 1);
}

static void *run_csv_score_threads(fixture *fx, int *code)
{
    return run_csv_score_on(fx, code, 3);
}

static void check_csv_score(fixture *fx, void *obj)
{
    int code;
    csv_out *want = run_csv(fx, &code);
    ck_assert_ptr_nonnull(want);
    SAME_TEXT(obj, want->text);
    free(obj);
    free(want->text);
    free(want->totals);
    free(want);
}

static const scenario scenarios[] = {
    {"jx_scheme_load_file", run_load, check_load, NULL},
    {"jx_scheme_load_buffer", run_load_buffer, check_load, NULL},
    {"jx_input_new", run_input_new, check_input_new, NULL},
    {"jx_input_load_file", run_input, check_input, input_unchanged},
    {"jx_input_load_buffer (broken input)", run_bad_input, check_bad_input, check_bad_input_failed},
    {"jx_score", run_score, check_score, NULL},
    {"jx_score JX_LANG_EN", run_score_en, check_score_en, NULL},
    {"jx_score JX_STRICT (failing)", run_score_strict, check_nothing, NULL},
    {"jx_result_to_json", run_export, check_export, NULL},
    {"jx_lint_file", run_lint, check_lint, NULL},
    {"jx_batch_new + jx_batch_score", run_batch, check_batch, NULL},
    {"jx_batch_score_threads", run_batch_threads, check_batch_threads, NULL},
    {"jx_csv_open_buffer + jx_csv_read + jx_csv_writer_rows", run_csv, check_csv, NULL},
    {"jx_csv_score, 1 worker", run_csv_score, check_csv_score, NULL},
    {"jx_csv_score, 3 workers", run_csv_score_threads, check_csv_score, NULL},
    {"jx_scheme_load_buffer (broken scheme)", run_bad_scheme, check_nothing, NULL},
    {"jx_lint_buffer (broken scheme)", run_bad_lint, check_nothing, NULL},
};

static const scenario project_scenario = {
    "jx_projects_read_buffer + jx_projects_score + jx_result_to_json", run_projects,
    check_projects, NULL};

static const scenario extraction_scenarios[] = {
    {"jx_extract", run_extract, check_extract, NULL},
    {"jx_extract JX_EXTRACT_NO_JIT", run_extract_nojit, check_extract, NULL},
    {"jx_extraction_to_json", run_extraction_json, check_extraction_json, NULL},
    {"jx_extraction_apply + jx_score", run_extract_apply, check_extract_apply, NULL},
};

/* ---- The driver -------------------------------------------------------------------- */

#ifdef JX_ALLOC_TESTING

/* jansson's blocks, not yet freed (see the top of the file). */
static long jansson_live;

static void *json_alloc(size_t n)
{
    void *p = malloc(n);
    if (p)
        jansson_live++;
    return p;
}

static void json_dealloc(void *p)
{
    if (p)
        jansson_live--;
    free(p);
}

/* The blocks live: the library's and jansson's. */
static long live_blocks(void)
{
    return jxi_alloc_live() + jansson_live;
}

/* Every N, alone and with every later one failing. */
static void exercise(fixture *fx, const scenario *sc, long *total_runs)
{
    int code;
    char label[256];
    snprintf(label, sizeof label, "%s: %s", fx->name, sc->name);
    long live0 = live_blocks();
    jxi_alloc_fail_after(0, 0);
    void *obj = sc->run(fx, &code);
    long nalloc = jxi_alloc_count();
    ck_assert_msg(code == 0, "%s fails without an injected failure: %d", label, code);
    sc->check(fx, obj);
    ck_assert_msg(live_blocks() == live0, "%s leaks %ld blocks without failures", label,
                  live_blocks() - live0);
    for (int persist = 0; persist <= 1; persist++) {
        const char *how = persist ? "and every later one" : "alone";
        for (long n = 1;; n++) {
            jxi_alloc_fail_after(n, persist);
            obj = sc->run(fx, &code);
            long failures = jxi_alloc_failures();
            jxi_alloc_fail_after(0, 0);
            (*total_runs)++;
            if (failures == 0) {
                /* Every allocation of this run succeeded: N is past the end. */
                ck_assert_msg(code == 0, "%s: code %d without a failure", label, code);
                sc->check(fx, obj);
                ck_assert_msg(live_blocks() == live0, "%s leaks", label);
                break;
            }
            if (code == 0) {
                /* Succeeded despite the failure (a fallback, e.g. pcre2
                 * without JIT): then with exactly the same output. */
                sc->check(fx, obj);
            } else {
                ck_assert_msg(code == JX_ENOMEM,
                              "%s: allocation %ld failing (%s) gives code %d, not JX_ENOMEM",
                              label, n, how, code);
                ck_assert_msg(obj == NULL, "%s: an object and a failure", label);
                if (sc->after_failure)
                    sc->after_failure(fx);
            }
            ck_assert_msg(live_blocks() == live0, "%s: allocation %ld failing (%s) leaks %ld blocks",
                          label, n, how, live_blocks() - live0);
        }
    }
    if (getenv("JX_ALLOC_VERBOSE"))
        fprintf(stderr, "  %-44s %6ld allocations\n", label, nalloc);
}

static void setup_alloc(void)
{
    /* The host routes jansson through the library's allocator (and so
     * through the hook). */
    json_set_alloc_funcs(json_alloc, json_dealloc);
}

static void teardown_alloc(void)
{
    jxi_alloc_fail_after(0, 0);
    json_set_alloc_funcs(malloc, free);
}

#else

/* The normal build: each scenario once, without failures. */
static void exercise(fixture *fx, const scenario *sc, long *total_runs)
{
    int code;
    void *obj = sc->run(fx, &code);
    ck_assert_msg(code == 0, "%s fails: %d", sc->name, code);
    sc->check(fx, obj);
    (*total_runs)++;
}

static void setup_alloc(void)
{
}

static void teardown_alloc(void)
{
}

#endif

/* One test per scheme and scenario, so that a failure stops only its own. */
static const char *const schemes[] = {
    "municipal-department-2023", /* an extraction profile in a file of its own */
    "example",                   /* every rule kind */
    "us-omb-part",               /* override grades, English reasons */
};
#define NSCHEMES (sizeof schemes / sizeof schemes[0])
#define NSCEN (sizeof scenarios / sizeof scenarios[0])
#define NXSCEN (sizeof extraction_scenarios / sizeof extraction_scenarios[0])
#define NCASES (NSCHEMES * (NSCEN + NXSCEN))

START_TEST(test_alloc_case)
{
    const char *name = schemes[(size_t)_i / (NSCEN + NXSCEN)];
    size_t k = (size_t)_i % (NSCEN + NXSCEN);
    fixture fx;
    fixture_init(&fx, name);
    long runs = 0;
    if (k < NSCEN) {
        exercise(&fx, &scenarios[k], &runs);
    } else if (fx.x) {
        exercise(&fx, &extraction_scenarios[k - NSCEN], &runs);
    }
    if (getenv("JX_ALLOC_VERBOSE"))
        fprintf(stderr, "%s: %ld runs\n", name, runs);
    fixture_free(&fx);
}
END_TEST

/* Projects do not depend on a bundled scheme: one test. */
START_TEST(test_alloc_projects)
{
    fixture fx;
    fixture_init(&fx, schemes[1]);
    long runs = 0;
    exercise(&fx, &project_scenario, &runs);
    free(projects_expected);
    projects_expected = NULL;
    fixture_free(&fx);
}
END_TEST

Suite *suite_alloc(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("every allocation fails in turn");
    tcase_add_checked_fixture(tc, setup_alloc, teardown_alloc);
    /* Under ASan a scenario reruns a whole load for every N. */
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_alloc_case, 0, (int)NCASES);
    tcase_add_test(tc, test_alloc_projects);
    suite_add_tcase(s, tc);
    return s;
}
