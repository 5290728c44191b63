/* Batch scoring: the batch API gives exactly what jx_score gives one entity
 * at a time, for every bundled scheme and random figures (missing, NaN,
 * infinite, out of range, not applicable); threads change nothing; bad
 * arguments are refused. And the fast decimal paths of lib/util/num.h give
 * bit for bit what the exact (printf) path gives. */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util/num.h"
#include "../lib/util/numref.h"
#include "tests.h"

/* ---- Random figures ---------------------------------------------------------- */

static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static double unif(uint64_t *x)
{
    return (double)(rnd(x) >> 11) * 0x1p-53;
}

/* A number metric's figure: mostly plausible decimals, some round numbers
 * that sit on targets and band edges, and some missing, negative, huge or
 * infinite (undefined). */
static double number(uint64_t *r)
{
    double u = unif(r);
    static const double edges[] = {0, 5, 10, 20, 30, 60, 70, 80, 85, 90, 95, 100, 110, 1};
    if (u < 0.10)
        return NAN;
    if (u < 0.30)
        return edges[rnd(r) % (sizeof edges / sizeof edges[0])];
    if (u < 0.80)
        return floor(unif(r) * 15000) / 100;
    if (u < 0.88)
        return floor(unif(r) * 1e8) / 100;
    if (u < 0.94)
        return -floor(unif(r) * 5000) / 100;
    if (u < 0.97)
        return unif(r) * 1e-3;
    return (rnd(r) & 1) ? INFINITY : -1e300;
}

/* Random batch columns for n entities of scheme s. */
typedef struct population {
    size_t n, nm, ni;
    double **cols;
    unsigned char **na;
} population;

static void population_make(const jx_scheme *s, size_t n, uint64_t seed, population *p)
{
    uint64_t r = seed;
    p->n = n;
    p->nm = jx_scheme_metric_count(s);
    p->ni = jx_scheme_indicator_count(s);
    p->cols = calloc(p->nm + 1, sizeof *p->cols);
    p->na = calloc(p->ni, sizeof *p->na);
    ck_assert(p->cols && p->na);
    for (size_t m = 0; m < p->nm; m++) {
        double nlev = (double)jx_scheme_metric_level_count(s, m);
        int type = jx_scheme_metric_type(s, m);
        ck_assert((p->cols[m] = malloc(n * sizeof(double))) != NULL);
        for (size_t k = 0; k < n; k++) {
            double v = number(&r);
            if (type == JX_METRIC_BOOL)
                v = isnan(v) ? v : (double)(rnd(&r) & 1);
            else if (type == JX_METRIC_LEVEL)
                v = isnan(v) ? v : floor(unif(&r) * nlev);
            p->cols[m][k] = v;
        }
    }
    /* every indicator, parents too, now and then not applicable */
    for (size_t i = 0; i < p->ni; i++) {
        ck_assert((p->na[i] = malloc(n)) != NULL);
        for (size_t k = 0; k < n; k++)
            p->na[i][k] = unif(&r) < 0.04 ? (unsigned char)(1 + rnd(&r) % 255) : 0;
    }
}

static void population_free(population *p)
{
    for (size_t m = 0; m < p->nm; m++)
        free(p->cols[m]);
    for (size_t i = 0; i < p->ni; i++)
        free(p->na[i]);
    free(p->cols);
    free(p->na);
}

/* Entity k as a jx_input, the way a caller of jx_score would set it.
 * (Loops check with `if`: every ck_assert costs Check a system call.) */
static void input_of(const jx_scheme *s, const population *p, size_t k, jx_input *in)
{
    int rc = 0;
    jx_input_clear(in);
    for (size_t m = 0; m < p->nm; m++) {
        const char *name = jx_scheme_metric_name(s, m);
        double v = p->cols[m][k];
        if (isnan(v))
            rc |= jx_input_unset(in, name);
        else if (jx_scheme_metric_type(s, m) == JX_METRIC_BOOL)
            rc |= jx_input_set_bool(in, name, v != 0);
        else if (jx_scheme_metric_type(s, m) == JX_METRIC_LEVEL)
            rc |= jx_input_set_text(in, name, jx_scheme_metric_level(s, m, (size_t)v));
        else
            rc |= jx_input_set_number(in, name, v);
    }
    for (size_t i = 0; i < p->ni; i++)
        if (p->na[i][k])
            rc |= jx_input_set_not_applicable(in, jx_scheme_indicator_id(s, i));
    if (rc)
        ck_abort_msg("entity %zu: the input could not be set", k);
}

/* Batch outputs. */
typedef struct outputs {
    double *scores, *totals;
    unsigned char *statuses, *complete;
    int *grades;
} outputs;

static void outputs_make(outputs *o, size_t n, size_t ni)
{
    o->scores = malloc(n * ni * sizeof *o->scores);
    o->statuses = malloc(n * ni);
    o->totals = malloc(n * sizeof *o->totals);
    o->grades = malloc(n * sizeof *o->grades);
    o->complete = malloc(n);
    ck_assert(o->scores && o->statuses && o->totals && o->grades && o->complete);
    /* garbage, so that an output left unwritten shows */
    memset(o->scores, 0x7F, n * ni * sizeof *o->scores);
    memset(o->statuses, 0xEE, n * ni);
    memset(o->totals, 0x7F, n * sizeof *o->totals);
    memset(o->grades, 0x7F, n * sizeof *o->grades);
    memset(o->complete, 0xEE, n);
}

static void outputs_free(outputs *o)
{
    free(o->scores);
    free(o->statuses);
    free(o->totals);
    free(o->grades);
    free(o->complete);
}

static int score_batch(const jx_scheme *s, jx_batch *b, int threads, const population *p,
                       outputs *o, jx_error *err)
{
    const double *const *cols = (const double *const *)p->cols;
    const unsigned char *const *na = (const unsigned char *const *)p->na;
    if (threads == 0)
        return jx_batch_score(s, b, p->n, cols, p->nm, na, p->ni, o->scores, o->statuses,
                              o->totals, o->grades, o->complete, err);
    return jx_batch_score_threads(s, threads, p->n, cols, p->nm, na, p->ni, o->scores,
                                  o->statuses, o->totals, o->grades, o->complete, err);
}

static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- Batch == one at a time ------------------------------------------------------ */

#define ENTITIES 10000
#define MAX_SCHEMES 64

/* The .json files of dir, appended to names[n..]; returns the new count. */
static size_t json_files(const char *dir, char names[][256], size_t n)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    struct dirent *e;
    size_t dl = strlen(dir);
    while ((e = readdir(d)) != NULL && n < MAX_SCHEMES) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || dl + 1 + l >= 256 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        memcpy(names[n], dir, dl);
        names[n][dl] = '/';
        memcpy(names[n] + dl + 1, e->d_name, l + 1);
        n++;
    }
    closedir(d);
    return n;
}

/* The bundled schemes, and tests/data/batch: a scheme with every rule kind
 * and formula shape the batch path treats apart (lib/eval/block.c). */
static size_t scheme_files(char names[][256])
{
    char dir[256];
    size_t n = json_files(jxt_schemes_dir, names, 0);
    ck_assert_uint_lt(strlen(jxt_data_dir), sizeof dir - 7);
    memcpy(dir, jxt_data_dir, strlen(jxt_data_dir));
    memcpy(dir + strlen(jxt_data_dir), "/batch", 7);
    return json_files(dir, names, n);
}

START_TEST(batch_equals_one_at_a_time)
{
    static char files[MAX_SCHEMES][256];
    size_t nfiles = scheme_files(files);
    ck_assert_uint_ge(nfiles, 6);
    size_t seen_status[4] = {0}, rescaled_or_zero = 0, grades_seen = 0;
    for (size_t f = 0; f < nfiles; f++) {
        jx_error err;
        jx_scheme *s = jx_scheme_load_file(files[f], 0, &err);
        ck_assert_msg(s != NULL, "%s: %s", files[f], err.message);
        population p;
        population_make(s, ENTITIES, 0x5EED0000u + f, &p);
        outputs o;
        outputs_make(&o, p.n, p.ni);
        jx_batch *b = jx_batch_new(s);
        ck_assert_ptr_nonnull(b);
        ck_assert_int_eq(score_batch(s, b, 0, &p, &o, &err), 0);

        jx_input *in = jx_input_new(s);
        unsigned grade_mask = 0;
        for (size_t k = 0; k < p.n; k++) {
            input_of(s, &p, k, in);
            jx_result *r = jx_score(s, in, 0, &err);
            if (!r)
                ck_abort_msg("%s entity %zu: %s", files[f], k, err.message);
            for (size_t i = 0; i < p.ni; i++) {
                double want = jx_result_score(r, i), got = o.scores[k * p.ni + i];
                int st = jx_result_status(r, i);
                if (!same_double(want, got) || st != o.statuses[k * p.ni + i])
                    ck_abort_msg("%s entity %zu indicator %s: jx_score %.17g (%s), batch "
                                 "%.17g (%d)", files[f], k, jx_scheme_indicator_id(s, i), want,
                                 jx_status_name(st), got, o.statuses[k * p.ni + i]);
                seen_status[st]++;
            }
            if (!same_double(jx_result_total(r), o.totals[k])
                || (int)jx_result_grade_index(r) != o.grades[k]
                || jx_result_complete(r) != o.complete[k])
                ck_abort_msg("%s entity %zu: total %.17g, grade %zu, complete %d; batch %.17g, "
                             "%d, %d", files[f], k, jx_result_total(r),
                             jx_result_grade_index(r), jx_result_complete(r), o.totals[k],
                             o.grades[k], o.complete[k]);
            grade_mask |= 1u << o.grades[k];
            rescaled_or_zero += o.totals[k] == 0;
            jx_result_free(r);
        }
        for (unsigned g = grade_mask; g; g &= g - 1)
            grades_seen++;
        jx_input_free(in);
        jx_batch_free(b);
        outputs_free(&o);
        population_free(&p);
        jx_scheme_free(s);
    }
    /* The random figures reach every status and several grades, or this
     * test would prove little. */
    for (int st = 0; st < 4; st++)
        ck_assert_msg(seen_status[st] > 100, "status %s seen %zu times", jx_status_name(st),
                      seen_status[st]);
    ck_assert_uint_gt(grades_seen, 2 * nfiles);
    ck_assert_uint_gt(rescaled_or_zero, 0);
}
END_TEST

/* Marks on parents reach their subtrees; marks on leaves stay put; a
 * workspace reused with other columns keeps no marks from before. */
START_TEST(workspace_reuse_and_inherited_marks)
{
    char path[512];
    snprintf(path, sizeof path, "%s/mof-2013-department.json", jxt_schemes_dir);
    jx_scheme *s = jx_scheme_load_file(path, 0, NULL);
    ck_assert_ptr_nonnull(s);
    population p;
    population_make(s, 500, 77, &p);
    outputs o1, o2;
    outputs_make(&o1, p.n, p.ni);
    outputs_make(&o2, p.n, p.ni);
    jx_batch *b = jx_batch_new(s);
    jx_error err;
    ck_assert_int_eq(score_batch(s, b, 0, &p, &o1, &err), 0);
    /* the same workspace, no marks at all, then the marks again */
    ck_assert_int_eq(jx_batch_score(s, b, p.n, (const double *const *)p.cols, p.nm, NULL, 0,
                                    o2.scores, NULL, NULL, NULL, NULL, &err), 0);
    size_t i2 = jx_scheme_indicator_find(s, "2");
    size_t differ = 0;
    for (size_t k = 0; k < p.n; k++)
        differ += !same_double(o1.totals[k], o2.totals[k]);
    ck_assert_uint_gt(differ, 0);
    ck_assert_int_eq(score_batch(s, b, 0, &p, &o2, &err), 0);
    ck_assert_int_eq(memcmp(o1.scores, o2.scores, p.n * p.ni * sizeof(double)), 0);
    ck_assert_int_eq(memcmp(o1.statuses, o2.statuses, p.n * p.ni), 0);
    /* a parent marked: all its leaves are not applicable */
    for (size_t k = 0; k < p.n; k++) {
        if (!p.na[i2][k])
            continue;
        for (size_t i = i2; i < p.ni && (i == i2 || jx_scheme_indicator_depth(s, i) > 0); i++)
            if (o1.statuses[k * p.ni + i] != JX_STATUS_NOT_APPLICABLE)
                ck_abort_msg("entity %zu: indicator %s is not marked", k,
                             jx_scheme_indicator_id(s, i));
    }
    jx_batch_free(b);
    outputs_free(&o1);
    outputs_free(&o2);
    population_free(&p);
    jx_scheme_free(s);
}
END_TEST

START_TEST(threads_change_nothing)
{
    char path[512];
    snprintf(path, sizeof path, "%s/mof-2013-department.json", jxt_schemes_dir);
    jx_scheme *s = jx_scheme_load_file(path, 0, NULL);
    ck_assert_ptr_nonnull(s);
    population p;
    population_make(s, 5003, 99, &p);
    outputs one, many;
    outputs_make(&one, p.n, p.ni);
    outputs_make(&many, p.n, p.ni);
    jx_batch *b = jx_batch_new(s);
    jx_error err;
    ck_assert_int_eq(score_batch(s, b, 0, &p, &one, &err), 0);
    static const int threads[] = {1, 2, 3, 4, 7, 300};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        outputs_free(&many);
        outputs_make(&many, p.n, p.ni);
        ck_assert_int_eq(score_batch(s, NULL, threads[t], &p, &many, &err), 0);
        ck_assert_int_eq(memcmp(one.scores, many.scores, p.n * p.ni * sizeof(double)), 0);
        ck_assert_int_eq(memcmp(one.statuses, many.statuses, p.n * p.ni), 0);
        ck_assert_int_eq(memcmp(one.totals, many.totals, p.n * sizeof(double)), 0);
        ck_assert_int_eq(memcmp(one.grades, many.grades, p.n * sizeof(int)), 0);
        ck_assert_int_eq(memcmp(one.complete, many.complete, p.n), 0);
    }
    jx_batch_free(b);
    outputs_free(&one);
    outputs_free(&many);
    population_free(&p);
    jx_scheme_free(s);
}
END_TEST

/* jx_batch_score_threads over q on `threads` threads fails with `code`,
 * naming the entity `what` ("entity 300"). */
static void expect_first_bad(const jx_scheme *s, const population *q, int threads, int code,
                             const char *what)
{
    jx_error err;
    ck_assert_int_eq(jx_batch_score_threads(s, threads, q->n, (const double *const *)q->cols,
                                            q->nm, NULL, 0, NULL, NULL, NULL, NULL, NULL, &err),
                     code);
    ck_assert_msg(strstr(err.message, what) != NULL, "%d threads: %s", threads, err.message);
}

/* ---- Arguments and values refused ---------------------------------------------- */

START_TEST(bad_arguments)
{
    char path[512];
    snprintf(path, sizeof path, "%s/mof-2013-department.json", jxt_schemes_dir);
    jx_scheme *s = jx_scheme_load_file(path, 0, NULL);
    snprintf(path, sizeof path, "%s/example.json", jxt_schemes_dir);
    jx_scheme *other = jx_scheme_load_file(path, 0, NULL);
    ck_assert(s && other);
    population p;
    population_make(s, 10, 5, &p);
    const double *const *cols = (const double *const *)p.cols;
    const unsigned char *const *na = (const unsigned char *const *)p.na;
    double totals[10];
    jx_batch *b = jx_batch_new(s), *bo = jx_batch_new(other);
    jx_error err;
    ck_assert_ptr_null(jx_batch_new(NULL));
    ck_assert_ptr_eq(jx_batch_scheme(b), s);
    ck_assert_ptr_null(jx_batch_scheme(NULL));
    jx_batch_free(NULL);

    ck_assert_int_eq(jx_batch_score(NULL, b, 10, cols, p.nm, NULL, 0, NULL, NULL, totals, NULL,
                                    NULL, &err), JX_EARG);
    ck_assert_int_eq(err.code, JX_EARG);
    ck_assert_int_eq(jx_batch_score(s, NULL, 10, cols, p.nm, NULL, 0, NULL, NULL, totals, NULL,
                                    NULL, &err), JX_EARG);
    ck_assert_int_eq(jx_batch_score(s, bo, 10, cols, p.nm, NULL, 0, NULL, NULL, totals, NULL,
                                    NULL, &err), JX_EARG);
    ck_assert_ptr_nonnull(strstr(err.message, "another scheme"));
    ck_assert_int_eq(jx_batch_score(s, b, 10, cols, p.nm - 1, NULL, 0, NULL, NULL, totals, NULL,
                                    NULL, &err), JX_EARG);
    ck_assert_ptr_nonnull(strstr(err.message, "metric columns"));
    ck_assert_int_eq(jx_batch_score(s, b, 10, NULL, p.nm, NULL, 0, NULL, NULL, totals, NULL,
                                    NULL, &err), JX_EARG);
    ck_assert_int_eq(jx_batch_score(s, b, 10, cols, p.nm, na, p.ni + 1, NULL, NULL, totals,
                                    NULL, NULL, &err), JX_EARG);
    ck_assert_ptr_nonnull(strstr(err.message, "not-applicable columns"));
    ck_assert_int_eq(jx_batch_score_threads(s, 0, 10, cols, p.nm, NULL, 0, NULL, NULL, totals,
                                            NULL, NULL, &err), JX_EARG);
    ck_assert_int_eq(jx_batch_score_threads(NULL, 2, 10, cols, p.nm, NULL, 0, NULL, NULL,
                                            totals, NULL, NULL, &err), JX_EARG);
    ck_assert_int_eq(jx_batch_score_threads(s, 2, 10, cols, p.nm + 1, NULL, 0, NULL, NULL,
                                            totals, NULL, NULL, &err), JX_EARG);
    /* nothing to score, nothing wanted: fine */
    ck_assert_int_eq(jx_batch_score(s, b, 0, cols, p.nm, NULL, 0, NULL, NULL, NULL, NULL, NULL,
                                    NULL), 0);
    ck_assert_int_eq(jx_batch_score(s, b, 10, cols, p.nm, NULL, 0, NULL, NULL, NULL, NULL, NULL,
                                    NULL), 0);

    /* a bool that is not 0/1, a level that is not an index: refused, with
     * the entity and the metric named, by one thread or several */
    size_t mb = jx_scheme_metric_find(s, "会计核算制度健全");
    size_t ml = jx_scheme_metric_find(s, "社会效益");
    ck_assert(mb != JX_NONE && ml != JX_NONE);
    p.cols[mb][7] = 2;
    ck_assert_int_eq(jx_batch_score(s, b, 10, cols, p.nm, NULL, 0, NULL, NULL, totals, NULL,
                                    NULL, &err), JX_EVALUE);
    ck_assert_ptr_nonnull(strstr(err.message, "entity 7"));
    ck_assert_ptr_nonnull(strstr(err.message, "会计核算制度健全"));
    p.cols[mb][7] = 1;
    static const double bad_levels[] = {4, -1, 1.5, INFINITY};
    for (size_t k = 0; k < 4; k++) {
        p.cols[ml][3] = bad_levels[k];
        ck_assert_int_eq(jx_batch_score(s, b, 10, cols, p.nm, NULL, 0, NULL, NULL, totals, NULL,
                                        NULL, &err), JX_ELEVEL);
        ck_assert_ptr_nonnull(strstr(err.message, "entity 3"));
    }
    p.cols[ml][3] = NAN; /* missing is fine */
    ck_assert_int_eq(jx_batch_score(s, b, 10, cols, p.nm, NULL, 0, NULL, NULL, totals, NULL,
                                    NULL, &err), 0);
    population q;
    population_make(s, 3000, 6, &q);
    q.cols[ml][2999] = 9;
    ck_assert_int_eq(jx_batch_score_threads(s, 4, q.n, (const double *const *)q.cols, q.nm,
                                            NULL, 0, NULL, NULL, NULL, NULL, NULL, &err),
                     JX_ELEVEL);
    ck_assert_ptr_nonnull(strstr(err.message, "entity 2999"));
    /* threads take chunks in turn; the first bad entity is still the one
     * reported, wherever the others are */
    for (int threads = 2; threads <= 8; threads *= 2) {
        q.cols[ml][1500] = -1;
        q.cols[mb][2100] = 0.5;
        expect_first_bad(s, &q, threads, JX_ELEVEL, "entity 1500");
        q.cols[mb][300] = 3;
        expect_first_bad(s, &q, threads, JX_EVALUE, "entity 300");
        q.cols[mb][300] = 1;
        q.cols[ml][1500] = 0;
        q.cols[mb][2100] = 1;
    }

    jx_batch_free(b);
    jx_batch_free(bo);
    population_free(&p);
    population_free(&q);
    jx_scheme_free(s);
    jx_scheme_free(other);
}
END_TEST

/* A NULL column is a metric missing for every entity, as an input left
 * unset is. */
START_TEST(null_columns_are_missing)
{
    char path[512];
    snprintf(path, sizeof path, "%s/example.json", jxt_schemes_dir);
    jx_scheme *s = jx_scheme_load_file(path, 0, NULL);
    ck_assert_ptr_nonnull(s);
    size_t nm = jx_scheme_metric_count(s), ni = jx_scheme_indicator_count(s);
    const double **cols = calloc(nm + 1, sizeof *cols);
    double *scores = calloc(2 * ni, sizeof *scores), totals[2];
    unsigned char *st = calloc(2 * ni, 1), complete[2];
    int grades[2];
    jx_batch *b = jx_batch_new(s);
    ck_assert_int_eq(jx_batch_score(s, b, 2, cols, nm, NULL, 0, scores, st, totals, grades,
                                    complete, NULL), 0);
    jx_input *in = jx_input_new(s);
    jx_result *r = jx_score(s, in, 0, NULL);
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < ni; i++) {
            ck_assert(same_double(scores[k * ni + i], jx_result_score(r, i)));
            ck_assert_int_eq(st[k * ni + i], jx_result_status(r, i));
        }
        ck_assert(same_double(totals[k], jx_result_total(r)));
        ck_assert_int_eq(complete[k], 0);
        ck_assert_int_eq(grades[k], (int)jx_result_grade_index(r));
    }
    jx_result_free(r);
    jx_input_free(in);
    jx_batch_free(b);
    free(cols);
    free(scores);
    free(st);
    jx_scheme_free(s);
}
END_TEST

START_TEST(parse_number)
{
    double v = 0;
    ck_assert_int_eq(jx_parse_number("12.5", 4, &v), 0);
    ck_assert_double_eq(v, 12.5);
    ck_assert_int_eq(jx_parse_number("-3e2", 4, &v), 0);
    ck_assert_double_eq(v, -300);
    ck_assert_int_eq(jx_parse_number("0.1", 3, &v), 0);
    ck_assert_double_eq(v, 0.1);
    ck_assert_int_eq(jx_parse_number("12,5", 4, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number(" 1", 2, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number("1 ", 2, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number("", 0, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number("nan", 3, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number("1e999", 5, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number(NULL, 1, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number("1.5", 1, &v), 0); /* only len bytes are read */
    ck_assert_double_eq(v, 1);
}
END_TEST

/* ---- The fast decimal paths -------------------------------------------------------- */

/* Doubles as scoring meets them, and the hard cases: short decimals,
 * neighbours of decimal ties, formula results, values near integers and
 * powers of ten, 13-digit ties at the 12th digit, any bit pattern. */
static double hard_double(uint64_t *r)
{
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15};
    double x;
    switch (rnd(r) % 9) {
    case 0: /* a short decimal */
        x = (double)(rnd(r) % (uint64_t)p10[1 + rnd(r) % 14]) / p10[rnd(r) % 13];
        break;
    case 1: { /* a few ulps from a decimal tie */
        x = ((double)(rnd(r) % (uint64_t)p10[1 + rnd(r) % 12]) + 0.5) / p10[rnd(r) % 10];
        for (int k = (int)(rnd(r) % 7) - 3; k; k += k > 0 ? -1 : 1)
            x = nextafter(x, k > 0 ? INFINITY : 0);
        break;
    }
    case 2: { /* a formula's result */
        double a = (double)(rnd(r) % 1000000) / 100, b = (double)(rnd(r) % 100000 + 1) / 100;
        static const int ops = 5;
        switch (rnd(r) % ops) {
        case 0: x = a / b * 100; break;
        case 1: x = a - b * 0.5; break;
        case 2: x = (a - b) / b * 100; break;
        case 3: x = a * b; break;
        default: x = 5 - (100 - a / 100) * 0.5; break;
        }
        break;
    }
    case 3: /* any finite double */
        do {
            uint64_t u = rnd(r);
            memcpy(&x, &u, sizeof x);
        } while (!isfinite(x));
        break;
    case 4: /* any magnitude */
        x = unif(r) * pow(10, (double)(rnd(r) % 60) - 30);
        break;
    case 5: /* near an integer */
        x = (double)(rnd(r) % 100000) + (unif(r) - 0.5) * pow(10, -(double)(rnd(r) % 15));
        break;
    case 6: /* near a power of ten */
        x = pow(10, (double)(rnd(r) % 70) - 35);
        for (int k = (int)(rnd(r) % 9) - 4; k; k += k > 0 ? -1 : 1)
            x = nextafter(x, k > 0 ? INFINITY : 0);
        break;
    case 7: /* 13 digits ending in 5: a tie at the 12th */
        x = (double)((rnd(r) % 900000000000ull + 100000000000ull) * 10 + 5) / p10[rnd(r) % 16];
        break;
    default: {
        static const double special[] = {0, -0.0, INFINITY, -INFINITY, NAN, 5e-324, 1e-280,
                                         1e-300, 1e15, 1e21, 1e22, 1e-10, 1e-11, 0.5, 1.5,
                                         2.5, 1e12, 999999999999.5, 0.665, 89.995, 1.005};
        x = special[rnd(r) % (sizeof special / sizeof special[0])];
        break;
    }
    }
    return (rnd(r) & 1) ? -x : x;
}

static int same_or_nan(double a, double b)
{
    return same_double(a, b) || (isnan(a) && isnan(b));
}

/* The count is modest for `make check`; JX_NUM_VALUES raises it (the fast
 * paths were checked over 20,000,000 values this way). */
START_TEST(fast_paths_match_exact_paths)
{
    const char *env = getenv("JX_NUM_VALUES");
    long n = env ? atol(env) : 150000;
    uint64_t r = 0x9E3779B97F4A7C15ull;
    for (long i = 0; i < n; i++) {
        double x = hard_double(&r), y;
        int d = (int)(rnd(&r) % 10);
        double ref = jxi_ref_round(x, d);
        if (!same_or_nan(jxi_round(x, d), ref) || !same_or_nan(jxi_round_inline(x, d), ref))
            ck_abort_msg("round(%.17g, %d): %.17g, exact %.17g", x, d, jxi_round(x, d), ref);
        ref = jxi_ref_snap(x);
        if (!same_or_nan(jxi_snap(x), ref) || !same_or_nan(jxi_snap_inline(x), ref))
            ck_abort_msg("snap(%.17g): %.17g, exact %.17g", x, jxi_snap(x), ref);
        if (!same_or_nan(jxi_floor(x), jxi_ref_floor(x)))
            ck_abort_msg("floor(%.17g): %.17g, exact %.17g", x, jxi_floor(x), jxi_ref_floor(x));
        if (!same_or_nan(jxi_ceil(x), jxi_ref_ceil(x)))
            ck_abort_msg("ceil(%.17g): %.17g, exact %.17g", x, jxi_ceil(x), jxi_ref_ceil(x));
        switch (rnd(&r) % 4) {
        case 0: y = hard_double(&r); break;
        case 1: y = x * (1 + (unif(&r) - 0.5) * pow(10, -(double)(rnd(&r) % 16))); break;
        case 2: y = jxi_ref_snap(x); break;
        default: y = nextafter(x, (rnd(&r) & 1) ? INFINITY : -INFINITY); break;
        }
        int c = jxi_ref_cmp(x, y);
        if (jxi_cmp(x, y) != c || jxi_cmp_inline(x, y) != c)
            ck_abort_msg("cmp(%.17g, %.17g): %d, exact %d", x, y, jxi_cmp(x, y), c);
    }
}
END_TEST

Suite *suite_batch(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("batch");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, batch_equals_one_at_a_time);
    tcase_add_test(tc, workspace_reuse_and_inherited_marks);
    tcase_add_test(tc, threads_change_nothing);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, null_columns_are_missing);
    tcase_add_test(tc, parse_number);
    suite_add_tcase(s, tc);
    TCase *num = tcase_create("fast decimal paths");
    tcase_set_timeout(num, 120);
    tcase_add_test(num, fast_paths_match_exact_paths);
    suite_add_tcase(s, num);
    return s;
}
