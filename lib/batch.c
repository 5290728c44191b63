/* Batch scoring (jixiao.h, "Batch scoring"): many entities from columns,
 * through the same core as jx_score (lib/score.c), in a reusable workspace:
 * nothing is allocated per entity, nothing is looked up by name, and no
 * reasons are made. */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "score.h"

#if defined(__GNUC__)
#  define BATCH_PREFETCH(p) __builtin_prefetch(p)
#else
#  define BATCH_PREFETCH(p) ((void)(p))
#endif
#define BATCH_AHEAD 64 /* entities */

/* A metric column given to this call. */
typedef struct batch_col {
    const double *col;
    size_t m;
} batch_col;

struct jx_batch {
    const jx_scheme *s;
    double *values;         /* per slot */
    unsigned char *states;  /* per slot */
    unsigned char *na;      /* per indicator: the entity's marks, inherited */
    double *score;          /* per indicator, when the caller wants no scores */
    unsigned char *status;  /* per indicator, when the caller wants no statuses */
    size_t *na_inds;        /* indicators with a not-applicable column this call */
    unsigned char *na_parent; /* per indicator: 0xFF for a parent, 0 for a leaf */
    batch_col *cols;        /* this call's metric columns: numbers, bools, levels */
};

/* One call's columns and outputs (see jx_batch_score). */
typedef struct batch_args {
    const double *const *metrics;
    const unsigned char *const *na;
    double *scores;
    unsigned char *statuses;
    double *totals;
    int *grades;
    unsigned char *complete;
} batch_args;

JX_API jx_batch *jx_batch_new(const jx_scheme *s)
{
    if (!s)
        return NULL;
    jx_batch *b = jxi_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->s = s;
    b->values = jxi_calloc(s->nslots, sizeof *b->values);
    b->states = jxi_calloc(s->nslots, 1);
    b->na = jxi_calloc(s->ninds, 1);
    b->score = jxi_calloc(s->ninds, sizeof *b->score);
    b->status = jxi_calloc(s->ninds, 1);
    b->na_inds = jxi_calloc(s->ninds, sizeof *b->na_inds);
    b->cols = jxi_calloc(s->nmetrics, sizeof *b->cols);
    b->na_parent = jxi_calloc(s->ninds, 1);
    if (!b->values || !b->states || !b->na || !b->score || !b->status || !b->na_inds
        || !b->cols || !b->na_parent) {
        jx_batch_free(b);
        return NULL;
    }
    for (size_t i = 0; i < s->ninds; i++)
        b->na_parent[i] = s->inds[i].is_leaf ? 0 : 0xFF;
    return b;
}

JX_API void jx_batch_free(jx_batch *b)
{
    if (!b)
        return;
    jxi_free(b->values);
    jxi_free(b->states);
    jxi_free(b->na);
    jxi_free(b->score);
    jxi_free(b->status);
    jxi_free(b->na_inds);
    jxi_free(b->cols);
    jxi_free(b->na_parent);
    jxi_free(b);
}

JX_API const jx_scheme *jx_batch_scheme(const jx_batch *b)
{
    return b ? b->s : NULL;
}

/* Entity k has a bool that is not 0/1 or a level that is not an index. */
static int batch_bad_value(const jx_scheme *s, size_t m, size_t k, double v, jx_error *err)
{
    char num[64];
    const jxi_metric *x = &s->metrics[m];
    jxi_format_g(v, num, sizeof num);
    if (x->type == JX_METRIC_BOOL) {
        jxi_error_set(err, JX_EVALUE, "entity %zu: bool metric \"%s\" is %s; expected 0, 1 or "
                      "NaN (missing)", k, x->name, num);
        return JX_EVALUE;
    }
    jxi_error_set(err, JX_ELEVEL, "entity %zu: level metric \"%s\" is %s; expected a level "
                  "index from 0 to %zu or NaN (missing)", k, x->name, num, x->nlevels - 1);
    return JX_ELEVEL;
}

/* Score entities [k0, k1). Returns 0, or the code of the first bad value
 * (and `err` names it). */
static int batch_range(jx_batch *b, const batch_args *a, size_t k0, size_t k1, jx_error *err)
{
    const jx_scheme *s = b->s;
    const size_t ni = s->ninds;
    double *values = b->values;
    unsigned char *states = b->states;

    /* The columns by type, so that each loop below does one thing; a
     * metric without a column is missing for every entity. */
    size_t ncol[3] = {0, 0, 0}, nc = 0;
    for (int type = JX_METRIC_NUMBER; type <= JX_METRIC_LEVEL; type++) {
        for (size_t m = 0; m < s->nmetrics; m++) {
            if (s->metrics[m].type != (jx_metric_type)type)
                continue;
            if (a->metrics[m]) {
                b->cols[nc++] = (batch_col){a->metrics[m], m};
                ncol[type]++;
            } else {
                values[m] = 0;
                states[m] = JXI_SLOT_MISSING;
            }
        }
    }
    const batch_col *nums = b->cols, *bools = nums + ncol[0], *levels = bools + ncol[1];
    size_t nna = 0;
    int na_dirty = 1;
    if (a->na)
        for (size_t i = 0; i < ni; i++)
            if (a->na[i])
                b->na_inds[nna++] = i;

    for (size_t k = k0; k < k1; k++) {
        /* Each entity reads one value from every column: fetch the next
         * lines of all columns well ahead (a line holds 8 entities), as
         * hardware prefetchers follow only so many streams at once. */
        if ((k & 7) == 0 && k + BATCH_AHEAD < k1) {
            for (size_t c = 0; c < nc; c++)
                BATCH_PREFETCH(&b->cols[c].col[k + BATCH_AHEAD]);
            for (size_t c = 0; c < nna; c++)
                if ((k & 63) == 0)
                    BATCH_PREFETCH(&a->na[b->na_inds[c]][k + BATCH_AHEAD]);
        }
        /* The input metrics, as jx_input_set_* would store them: missing is
         * 0, a non-finite number is kept but undefined. The common case
         * first, with one test. */
        for (size_t c = 0; c < ncol[JX_METRIC_NUMBER]; c++) {
            double v = nums[c].col[k];
            size_t m = nums[c].m;
            values[m] = v;
            states[m] = JXI_SLOT_PRESENT;
            if (!(fabs(v) <= DBL_MAX)) {
                values[m] = v == v ? v : 0;
                states[m] = v == v ? JXI_SLOT_UNDEFINED : JXI_SLOT_MISSING;
            }
        }
        for (size_t c = 0; c < ncol[JX_METRIC_BOOL]; c++) {
            double v = bools[c].col[k];
            size_t m = bools[c].m;
            values[m] = v;
            states[m] = JXI_SLOT_PRESENT;
            if (!((v == 0) | (v == 1))) { /* one branch, not one per value */
                if (v == v) {
                    return batch_bad_value(s, m, k, v, err);
                }
                values[m] = 0;
                states[m] = JXI_SLOT_MISSING;
            }
        }
        for (size_t c = 0; c < ncol[JX_METRIC_LEVEL]; c++) {
            double v = levels[c].col[k];
            size_t m = levels[c].m;
            values[m] = v;
            states[m] = JXI_SLOT_PRESENT;
            if (!(v >= 0 && v < (double)s->metrics[m].nlevels && v == floor(v))) {
                if (v == v) {
                    return batch_bad_value(s, m, k, v, err);
                }
                values[m] = 0;
                states[m] = JXI_SLOT_MISSING;
            }
        }
        jxi_derive(s, b->values, b->states, NULL);

        /* Not applicable: the core reads no marks at all unless some are
         * set, and marks need passing down only from a parent. */
        const unsigned char *na = NULL;
        if (nna) {
            unsigned any = 0, any_parent = 0;
            if (na_dirty) {
                memset(b->na, 0, ni);
                na_dirty = 0;
            }
            for (size_t c = 0; c < nna; c++) {
                size_t i = b->na_inds[c];
                unsigned char f = a->na[i][k];
                b->na[i] = f != 0;
                any |= f;
                any_parent |= (unsigned)f & b->na_parent[i];
            }
            if (any) {
                if (any_parent)
                    jxi_inherit_na(s, b->na);
                na = b->na;
                na_dirty = 1;
            }
        }

        jxi_entity e = {b->values, b->states, NULL, na,
                        a->scores ? a->scores + k * ni : b->score,
                        a->statuses ? a->statuses + k * ni : b->status,
                        NULL, 0, 0, 0, 0, 0, 0};
        jxi_score_entity(s, &e);
        if (a->totals)
            a->totals[k] = e.total;
        if (a->grades)
            a->grades[k] = (int)e.grade;
        if (a->complete)
            a->complete[k] = (unsigned char)e.complete;
    }
    return 0;
}

/* The checks both entry points make before scoring. */
static int batch_check_args(const jx_scheme *s, size_t nmetrics, size_t nindicators,
                            const batch_args *a, const char *fn, jx_error *err)
{
    if (!s) {
        jxi_error_set(err, JX_EARG, "%s needs a scheme", fn);
        return JX_EARG;
    }
    if (nmetrics != s->nmetrics || (!a->metrics && nmetrics)) {
        jxi_error_set(err, JX_EARG, "%s: the scheme has %zu metrics; got %zu metric columns%s",
                      fn, s->nmetrics, nmetrics, a->metrics ? "" : " (NULL)");
        return JX_EARG;
    }
    if (a->na && nindicators != s->ninds) {
        jxi_error_set(err, JX_EARG, "%s: the scheme has %zu indicators; got %zu "
                      "not-applicable columns", fn, s->ninds, nindicators);
        return JX_EARG;
    }
    return 0;
}

JX_API int jx_batch_score(const jx_scheme *s, jx_batch *b, size_t n,
                          const double *const *metrics, size_t nmetrics,
                          const unsigned char *const *not_applicable, size_t nindicators,
                          double *scores, unsigned char *statuses, double *totals, int *grades,
                          unsigned char *complete, jx_error *err)
{
    batch_args a = {metrics, not_applicable, scores, statuses, totals, grades, complete};
    int rc = batch_check_args(s, nmetrics, nindicators, &a, "jx_batch_score", err);
    if (rc < 0)
        return rc;
    if (!b) {
        jxi_error_set(err, JX_EARG, "jx_batch_score needs a workspace (jx_batch_new)");
        return JX_EARG;
    }
    if (b->s != s) {
        jxi_error_set(err, JX_EARG, "the workspace was made for another scheme");
        return JX_EARG;
    }
    return batch_range(b, &a, 0, n, err);
}

/* ---- Threads ------------------------------------------------------------- */

typedef struct batch_job {
    jx_batch *b;
    const batch_args *a;
    size_t k0, k1;
    int rc;
    jx_error err;
} batch_job;

static void *batch_thread(void *p)
{
    batch_job *j = p;
    j->rc = batch_range(j->b, j->a, j->k0, j->k1, &j->err);
    return NULL;
}

/* Few entities are not worth a thread: below this many per thread, fewer
 * threads are used. */
#define BATCH_MIN_PER_THREAD 256
#define BATCH_MAX_THREADS 256

JX_API int jx_batch_score_threads(const jx_scheme *s, int nthreads, size_t n,
                                  const double *const *metrics, size_t nmetrics,
                                  const unsigned char *const *not_applicable,
                                  size_t nindicators, double *scores, unsigned char *statuses,
                                  double *totals, int *grades, unsigned char *complete,
                                  jx_error *err)
{
    batch_args a = {metrics, not_applicable, scores, statuses, totals, grades, complete};
    int rc = batch_check_args(s, nmetrics, nindicators, &a, "jx_batch_score_threads", err);
    if (rc < 0)
        return rc;
    if (nthreads < 1) {
        jxi_error_set(err, JX_EARG, "jx_batch_score_threads: %d threads; need at least 1",
                      nthreads);
        return JX_EARG;
    }
    size_t t = (size_t)nthreads;
    if (t > BATCH_MAX_THREADS)
        t = BATCH_MAX_THREADS;
    if (t > n / BATCH_MIN_PER_THREAD)
        t = n / BATCH_MIN_PER_THREAD ? n / BATCH_MIN_PER_THREAD : 1;

    batch_job *jobs = jxi_calloc(t, sizeof *jobs);
    pthread_t *tids = jxi_calloc(t, sizeof *tids);
    unsigned char *started = jxi_calloc(t, 1);
    rc = jobs && tids && started ? 0 : JX_ENOMEM;
    for (size_t i = 0; i < t && rc == 0; i++) {
        jobs[i] = (batch_job){jx_batch_new(s), &a, n * i / t, n * (i + 1) / t, 0, {0}};
        if (!jobs[i].b)
            rc = JX_ENOMEM;
    }
    if (rc == 0) {
        /* The calling thread takes the first slice; a slice whose thread
         * cannot be started is scored here too, afterwards. */
        for (size_t i = 1; i < t; i++)
            started[i] = pthread_create(&tids[i], NULL, batch_thread, &jobs[i]) == 0;
        batch_thread(&jobs[0]);
        for (size_t i = 1; i < t; i++) {
            if (started[i])
                pthread_join(tids[i], NULL);
            else
                batch_thread(&jobs[i]);
        }
        /* Report the first bad entity, as one thread would have. */
        for (size_t i = 0; i < t; i++) {
            if (jobs[i].rc < 0) {
                rc = jobs[i].rc;
                if (err)
                    *err = jobs[i].err;
                break;
            }
        }
    } else {
        jxi_error_set(err, JX_ENOMEM, "out of memory while starting threads");
    }
    for (size_t i = 0; jobs && i < t; i++)
        jx_batch_free(jobs[i].b);
    jxi_free(jobs);
    jxi_free(tids);
    jxi_free(started);
    return rc;
}

JX_API int jx_parse_number(const char *s, size_t len, double *out)
{
    double v;
    if (!s || !out || len == 0 || jxi_parse_number(s, len, &v) != len || !isfinite(v))
        return JX_EVALUE;
    *out = v;
    return 0;
}
