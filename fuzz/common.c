/* Shared checks of the fuzz targets: what every loaded scheme and every
 * score must satisfy, whatever the input. */
#include "fuzz.h"

void fuzz_introspect(const jx_scheme *s)
{
    FUZZ_CHECK(jx_scheme_id(s) && jx_scheme_title(s) && jx_scheme_lang(s), "NULL strings");
    fuzz_check_text(jx_scheme_id(s), 0, "id");
    fuzz_check_text(jx_scheme_title(s), 0, "title");
    FUZZ_CHECK(!strcmp(jx_scheme_lang(s), "zh") || !strcmp(jx_scheme_lang(s), "en"), "lang %s",
               jx_scheme_lang(s));
    FUZZ_CHECK(jx_scheme_total(s) > 0 && isfinite(jx_scheme_total(s)), "total %g",
               jx_scheme_total(s));
    int p = jx_scheme_precision(s);
    FUZZ_CHECK(p >= 0 && p <= 6, "precision %d", p);

    size_t n = jx_scheme_indicator_count(s);
    FUZZ_CHECK(n > 0, "no indicators");
    for (size_t i = 0; i < n; i++) {
        const char *id = jx_scheme_indicator_id(s, i);
        FUZZ_CHECK(id && jx_scheme_indicator_name(s, i) && jx_scheme_indicator_unit(s, i),
                   "NULL string at %zu", i);
        FUZZ_CHECK(jx_scheme_indicator_find(s, id) == i, "find(%s) != %zu", id, i);
        size_t par = jx_scheme_indicator_parent(s, i);
        int depth = jx_scheme_indicator_depth(s, i);
        FUZZ_CHECK(par == JX_NONE ? depth == 0 : par < i && depth == jx_scheme_indicator_depth(s, par) + 1,
                   "parent/depth of %zu", i);
        FUZZ_CHECK(depth < JXI_MAX_DEPTH, "depth %d", depth);
        int leaf = jx_scheme_indicator_is_leaf(s, i);
        const char *rule = jx_scheme_indicator_rule(s, i);
        FUZZ_CHECK(rule && (leaf ? rule[0] != 0 : rule[0] == 0), "rule of %zu", i);
        FUZZ_CHECK(isfinite(jx_scheme_indicator_max(s, i)), "max of %zu", i);
    }
    FUZZ_CHECK(jx_scheme_indicator_id(s, n) == NULL, "id past the end");
    FUZZ_CHECK(jx_scheme_indicator_parent(s, n) == JX_NONE, "parent past the end");
    /* jixiao.h promises JX_EARG for an int past the end; is_leaf gives 0
     * (tests/test_regressions.c, test_is_leaf_out_of_range). */
    FUZZ_CHECK(jx_scheme_indicator_is_leaf(s, n) == JX_EARG ||
                   jx_scheme_indicator_is_leaf(s, n) == 0, "is_leaf past the end");
    FUZZ_CHECK(jx_scheme_indicator_depth(s, n) == JX_EARG, "depth past the end");
    FUZZ_CHECK(jx_scheme_indicator_find(s, "\x01no such id") == JX_NONE, "find unknown");

    size_t nm = jx_scheme_metric_count(s);
    for (size_t m = 0; m < nm; m++) {
        const char *name = jx_scheme_metric_name(s, m);
        FUZZ_CHECK(name && jx_scheme_metric_unit(s, m), "metric %zu", m);
        FUZZ_CHECK(jx_scheme_metric_find(s, name) == m, "metric_find(%s) != %zu", name, m);
        int t = jx_scheme_metric_type(s, m);
        FUZZ_CHECK(t >= 0 && t <= 2, "type %d", t);
        size_t nl = jx_scheme_metric_level_count(s, m);
        FUZZ_CHECK(t == JX_METRIC_LEVEL ? nl > 0 : nl == 0, "levels of %s", name);
        for (size_t k = 0; k < nl; k++)
            FUZZ_CHECK(jx_scheme_metric_level(s, m, k), "level %zu of %s", k, name);
        FUZZ_CHECK(jx_scheme_metric_level(s, m, nl) == NULL, "level past the end");
    }
    FUZZ_CHECK(jx_scheme_metric_name(s, nm) == NULL, "metric past the end");
    FUZZ_CHECK(jx_scheme_metric_type(s, nm) == JX_EARG, "type past the end");

    size_t ng = jx_scheme_grade_count(s);
    FUZZ_CHECK(ng > 0, "no grades");
    for (size_t g = 0; g < ng; g++)
        FUZZ_CHECK(jx_scheme_grade_label(s, g), "grade %zu", g);
}

/* The same figures for n entities through the batch API: it must score
 * them, and, when `compare` (its columns say what the input says), every
 * one as jx_score scored them. n = 1 is a short block of the batch path;
 * FUZZ_BATCH_N a full block and part of the next. */
#define FUZZ_BATCH_N 67
static int same(double a, double b);
static void check_batch(const jx_scheme *s, const jx_result *r, const double *cols,
                        const unsigned char *na, unsigned flags, size_t n, int compare)
{
    size_t nm = jx_scheme_metric_count(s), ni = jx_scheme_indicator_count(s);
    double **colv = calloc(nm ? nm : 1, sizeof *colv);
    unsigned char **nav = calloc(ni, sizeof *nav);
    double *scores = malloc(n * ni * sizeof *scores), *totals = malloc(n * sizeof *totals);
    unsigned char *st = malloc(n * ni), *complete = malloc(n);
    int *grades = malloc(n * sizeof *grades);
    FUZZ_CHECK(colv && nav && scores && totals && st && complete && grades, "out of memory");
    for (size_t m = 0; m < nm; m++) {
        if ((flags & 0x80) && isnan(cols[m]))
            continue; /* no column: missing for all */
        colv[m] = malloc(n * sizeof **colv);
        for (size_t k = 0; k < n; k++)
            colv[m][k] = cols[m];
    }
    for (size_t i = 0; i < ni; i++) {
        nav[i] = malloc(n);
        memset(nav[i], na[i], n);
    }
    jx_error e;
    jx_batch *b = jx_batch_new(s);
    FUZZ_CHECK(b, "jx_batch_new");
    /* by one workspace, or through the threaded entry (one thread for so
     * few entities, taking its chunks from the shared counter) */
    int rc = (flags & 0x20)
                 ? jx_batch_score_threads(s, 2, n, (const double *const *)colv, nm,
                                          (flags & 0x40) ? NULL
                                                         : (const unsigned char *const *)nav,
                                          (flags & 0x40) ? 0 : ni, scores, st, totals, grades,
                                          complete, &e)
                 : jx_batch_score(s, b, n, (const double *const *)colv, nm,
                                  (flags & 0x40) ? NULL : (const unsigned char *const *)nav,
                                  (flags & 0x40) ? 0 : ni, scores, st, totals, grades, complete,
                                  &e);
    FUZZ_CHECK(rc == 0, "batch of %zu: %d %s", n, rc, e.message);
    for (size_t k = 0; compare && k < n; k++) {
        for (size_t i = 0; i < ni; i++) {
            FUZZ_CHECK(same(scores[k * ni + i], jx_result_score(r, i)),
                       "entity %zu of %zu: batch score of %s: %.17g, jx_score: %.17g", k, n,
                       jx_scheme_indicator_id(s, i), scores[k * ni + i], jx_result_score(r, i));
            FUZZ_CHECK(st[k * ni + i] == jx_result_status(r, i),
                       "entity %zu of %zu: batch status of %s: %d, jx_score: %d", k, n,
                       jx_scheme_indicator_id(s, i), st[k * ni + i], jx_result_status(r, i));
        }
        FUZZ_CHECK(same(totals[k], jx_result_total(r)), "entity %zu: batch total %.17g", k,
                   totals[k]);
        FUZZ_CHECK((size_t)grades[k] == jx_result_grade_index(r), "entity %zu: grade %d", k,
                   grades[k]);
        FUZZ_CHECK(complete[k] == jx_result_complete(r), "entity %zu: complete %d", k,
                   complete[k]);
    }
    jx_batch_free(b);
    for (size_t m = 0; m < nm; m++)
        free(colv[m]);
    for (size_t i = 0; i < ni; i++)
        free(nav[i]);
    free(colv);
    free(nav);
    free(scores);
    free(totals);
    free(st);
    free(complete);
    free(grades);
}

/* Figures for s from the choices: a value for some metrics (of the right
 * type, sometimes of the wrong one), some indicators not applicable; the
 * same figures as batch columns. Returns 1 when the columns say exactly
 * what the input says (a NaN number has no column form). */
static int make_input(const jx_scheme *s, fuzz_in *c, jx_input *in, double *cols,
                      unsigned char *na)
{
    size_t nm = jx_scheme_metric_count(s), ni = jx_scheme_indicator_count(s);
    int exact = 1;
    for (size_t m = 0; m < nm; m++)
        cols[m] = NAN;
    memset(na, 0, ni);
    unsigned steps = fuzz_byte(c);
    for (unsigned k = 0; k < steps && c->n > 0; k++) {
        unsigned what = fuzz_byte(c);
        if (what % 16 == 15 || nm == 0) {
            size_t i = fuzz_byte(c) % ni;
            const char *id = jx_scheme_indicator_id(s, i);
            if (what & 16) {
                FUZZ_CHECK(jx_input_clear_not_applicable(in, id) == 0, "clear na %s", id);
                na[i] = 0;
            } else {
                FUZZ_CHECK(jx_input_set_not_applicable(in, id) == 0, "set na %s", id);
                na[i] = 1;
            }
            continue;
        }
        size_t m = (fuzz_byte(c) | fuzz_byte(c) << 8) % nm;
        const char *name = jx_scheme_metric_name(s, m);
        int t = jx_scheme_metric_type(s, m);
        if (what % 16 == 14) {
            FUZZ_CHECK(jx_input_unset(in, name) == 0, "unset %s", name);
            cols[m] = NAN;
            continue;
        }
        if (what % 16 == 13) { /* the wrong type: refused, nothing changes */
            int rc = t == JX_METRIC_NUMBER ? jx_input_set_bool(in, name, 1)
                                           : jx_input_set_number(in, name, 1);
            FUZZ_CHECK(rc == JX_ETYPE, "wrong type for %s gave %d", name, rc);
            continue;
        }
        if (t == JX_METRIC_NUMBER) {
            double v = fuzz_figure(c);
            FUZZ_CHECK(jx_input_set_number(in, name, v) == 0, "set %s", name);
            cols[m] = v;
            if (isnan(v))
                exact = 0;
        } else if (t == JX_METRIC_BOOL) {
            int v = (int)(fuzz_byte(c) % 3); /* 2: any non-zero is true */
            FUZZ_CHECK(jx_input_set_bool(in, name, v) == 0, "set %s", name);
            cols[m] = v ? 1 : 0;
        } else {
            size_t nl = jx_scheme_metric_level_count(s, m);
            size_t l = fuzz_byte(c) % (nl + 1);
            if (l == nl) {
                FUZZ_CHECK(jx_input_set_text(in, name, "\xe6\x97\xa0 no such level") == JX_ELEVEL,
                           "undeclared level of %s", name);
            } else {
                FUZZ_CHECK(jx_input_set_text(in, name, jx_scheme_metric_level(s, m, l)) == 0,
                           "set %s", name);
                cols[m] = (double)l;
            }
        }
    }
    FUZZ_CHECK(jx_input_set_number(in, "\x01no such metric", 1) == JX_ENOTFOUND, "unknown metric");
    FUZZ_CHECK(jx_input_set_not_applicable(in, "\x01no such id") == JX_ENOTFOUND, "unknown id");
    return exact;
}

static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static void check_result(const jx_scheme *s, const jx_result *r)
{
    size_t ni = jx_scheme_indicator_count(s);
    FUZZ_CHECK(jx_result_scheme(r) == s, "result scheme");
    double total = jx_result_total(r);
    FUZZ_CHECK(isfinite(total), "total %g", total);
    FUZZ_CHECK(jx_result_grade_index(r) < jx_scheme_grade_count(s), "grade index");
    FUZZ_CHECK(jx_result_grade(r) && !strcmp(jx_result_grade(r),
               jx_scheme_grade_label(s, jx_result_grade_index(r))), "grade label");
    int incomplete = 0, any_na = 0;
    for (size_t i = 0; i < ni; i++) {
        int st = jx_result_status(r, i);
        any_na |= st == JX_STATUS_NOT_APPLICABLE;
        FUZZ_CHECK(st >= 0 && st <= 3, "status %d", st);
        double sc = jx_result_score(r, i);
        FUZZ_CHECK(isfinite(sc), "score %g of %zu", sc, i);
        /* a score lies between 0 and the maximum (a little tolerance for
         * rounding to the scheme's precision) */
        double max = jx_scheme_indicator_max(s, i);
        FUZZ_CHECK(sc >= -1e-9 && sc <= max + 1e-6, "score %.17g of %s outside [0, %g]", sc,
                   jx_scheme_indicator_id(s, i), max);
        if (jx_scheme_indicator_is_leaf(s, i) &&
            (st == JX_STATUS_MISSING || st == JX_STATUS_UNDEFINED))
            incomplete = 1;
        const char *why = jx_result_reason(r, i);
        FUZZ_CHECK(why, "NULL reason");
        fuzz_check_text(why, 0, "reason");
        FUZZ_CHECK(jx_result_value_unit(r, i), "NULL unit");
        if (jx_result_has_value(r, i))
            FUZZ_CHECK(isfinite(jx_result_value(r, i)), "value of %zu not finite", i);
        int dec = jx_result_value_decimals(r, i);
        FUZZ_CHECK(dec >= 0 && dec <= 9, "decimals %d", dec);
    }
    /* Incomplete: a leaf missing or undefined, or (docs/api.md) nothing
     * applicable under "rescale", which scores 0. */
    if (jx_result_complete(r) != !incomplete &&
        !(!incomplete && any_na && jx_result_total(r) == 0)) {
        for (size_t i = 0; i < ni; i++)
            fprintf(stderr, "%s: status %d, score %.17g: %s\n", jx_scheme_indicator_id(s, i),
                    jx_result_status(r, i), jx_result_score(r, i), jx_result_reason(r, i));
        FUZZ_CHECK(0, "complete %d, but %s leaf is missing or undefined", jx_result_complete(r),
                   incomplete ? "a" : "no");
    }
    FUZZ_CHECK(jx_result_status(r, ni) == JX_EARG, "status past the end");
    char *json = jx_result_to_json(r, 0);
    fuzz_check_text(json, 1, "jx_result_to_json");
    jx_free(json);
}

static int leaf_incomplete(const jx_scheme *s, const jx_result *r)
{
    for (size_t i = 0; i < jx_scheme_indicator_count(s); i++) {
        int st = jx_result_status(r, i);
        if (jx_scheme_indicator_is_leaf(s, i) &&
            (st == JX_STATUS_MISSING || st == JX_STATUS_UNDEFINED))
            return 1;
    }
    return 0;
}

void fuzz_score_scheme(const jx_scheme *s, fuzz_in *c)
{
    size_t nm = jx_scheme_metric_count(s), ni = jx_scheme_indicator_count(s);
    jx_input *in = jx_input_new(s);
    FUZZ_CHECK(in, "jx_input_new");
    double *cols = malloc((nm ? nm : 1) * sizeof *cols);
    unsigned char *na = malloc(ni);
    int exact = make_input(s, c, in, cols, na);
    unsigned flags = fuzz_byte(c);

    jx_error e;
    jx_result *r = jx_score(s, in, flags & (JX_LANG_ZH | JX_LANG_EN), &e);
    FUZZ_CHECK(r, "jx_score failed: %s", e.message);
    check_result(s, r);

    /* JX_STRICT fails exactly when a leaf is missing or undefined. */
    jx_result *rs = jx_score(s, in, JX_STRICT | (flags & JX_LANG_EN), &e);
    if (!leaf_incomplete(s, r)) {
        FUZZ_CHECK(rs, "strict scoring of a complete input failed: %s", e.message);
        FUZZ_CHECK(jx_result_total(rs) == jx_result_total(r), "strict total differs");
    } else {
        FUZZ_CHECK(!rs, "strict scoring of an incomplete input succeeded");
        FUZZ_CHECK(e.code == JX_EINCOMPLETE || e.code == JX_EUNDEFINED, "strict code %d",
                   e.code);
        fuzz_check_error(&e, NULL, 0);
    }
    jx_result_free(rs);

    /* The batch API gives exactly what jx_score gives (not applicable
     * marks are dropped when flag 0x40 passes no columns for them). */
    if (exact) {
        int any_na = 0;
        for (size_t i = 0; i < ni; i++)
            any_na |= na[i];
        int compare = !(flags & 0x40) || !any_na;
        check_batch(s, r, cols, na, flags, 1, compare);
        check_batch(s, r, cols, na, flags, FUZZ_BATCH_N, compare);
    }
    jx_result_free(r);
    jx_input_free(in);
    free(cols);
    free(na);
}
