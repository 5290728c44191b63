/* Batch scoring (jixiao.h, "Batch scoring"): many entities from columns,
 * scored a block at a time by lib/eval/block.c (which gives jx_score's results)
 * in a reusable workspace: nothing is allocated per entity, nothing is
 * looked up by name, and no reasons are made. This file checks the
 * arguments and the bool and level values, and splits work over threads. */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "eval/block.h"

struct jx_batch {
    const jx_scheme *s;
    jxi_block *w;
    const double **cols;        /* per metric: this block's column, or NULL */
    const unsigned char **na;   /* per indicator: this block's marks, or NULL */
    size_t *checked;            /* bool and level metrics with a column this call */
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
    b->w = jxi_block_new(s);
    b->cols = jxi_calloc(s->nmetrics ? s->nmetrics : 1, sizeof *b->cols);
    b->na = jxi_calloc(s->ninds, sizeof *b->na);
    b->checked = jxi_calloc(s->nmetrics ? s->nmetrics : 1, sizeof *b->checked);
    if (!b->w || !b->cols || !b->na || !b->checked) {
        jx_batch_free(b);
        return NULL;
    }
    return b;
}

JX_API void jx_batch_free(jx_batch *b)
{
    if (!b)
        return;
    jxi_block_free(b->w);
    jxi_free(b->cols);
    jxi_free(b->na);
    jxi_free(b->checked);
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

/* A bool that is not 0/1, or a level that is not an index below `top` (NaN,
 * missing, is neither). A level index is whole when adding and taking away
 * 2^52 keeps it: no branch, no call, so that the scan below vectorises. */
static inline int batch_bool_bad(double v)
{
    return v == v && v != 0 && v != 1;
}

static inline int batch_level_bad(double top, double v)
{
    return v == v && !(v >= 0 && v < top && v + 0x1p52 - 0x1p52 == v);
}

static inline int batch_value_bad(int is_bool, double top, double v)
{
    return is_bool ? batch_bool_bad(v) : batch_level_bad(top, v);
}

/* Whether any of col[0..n) is bad: one pass per type, counting in a
 * double, which compilers vectorise when n is the constant JXI_BLOCK (the
 * common case). */
static inline double batch_count_bad(int is_bool, double top, const double *col, size_t n)
{
    double bad = 0;
    if (is_bool) {
        for (size_t l = 0; l < n; l++)
            bad += batch_bool_bad(col[l]) ? 1.0 : 0.0;
    } else {
        for (size_t l = 0; l < n; l++)
            bad += batch_level_bad(top, col[l]) ? 1.0 : 0.0;
    }
    return bad;
}

static int batch_any_bad(const jxi_metric *x, const double *col, size_t n)
{
    int is_bool = x->type == JX_METRIC_BOOL;
    double top = (double)x->nlevels;
    return (n == JXI_BLOCK ? batch_count_bad(is_bool, top, col, JXI_BLOCK)
                           : batch_count_bad(is_bool, top, col, n)) != 0;
}

/* The first entity of [k, k + n) with a bad bool or level, or n; *m gets
 * the metric, bools before levels, as a reader of the row would meet them. */
static size_t batch_first_bad(const jx_batch *b, const batch_args *a, size_t nchecked,
                              size_t k, size_t n, size_t *m)
{
    const jx_scheme *s = b->s;
    size_t first = n;
    for (size_t c = 0; c < nchecked; c++) {
        const jxi_metric *x = &s->metrics[b->checked[c]];
        const double *col = a->metrics[b->checked[c]] + k;
        if (!batch_any_bad(x, col, n))
            continue;
        for (size_t l = 0; l < first; l++) {
            if (batch_value_bad(x->type == JX_METRIC_BOOL, (double)x->nlevels, col[l])) {
                first = l;
                break;
            }
        }
    }
    if (first == n)
        return n;
    for (int type = JX_METRIC_BOOL; type <= JX_METRIC_LEVEL; type++) {
        for (size_t c = 0; c < nchecked; c++) {
            const jxi_metric *x = &s->metrics[b->checked[c]];
            if (x->type == (jx_metric_type)type
                && batch_value_bad(x->type == JX_METRIC_BOOL, (double)x->nlevels,
                                   a->metrics[b->checked[c]][k + first])) {
                *m = b->checked[c];
                return first;
            }
        }
    }
    return first;
}

#if defined(__GNUC__)
#  define BATCH_PREFETCH(p) __builtin_prefetch(p)
#else
#  define BATCH_PREFETCH(p) ((void)(p))
#endif

/* Ask for the next block's columns while this one is scored: a block reads
 * 512 bytes of every metric column, more streams at once than hardware
 * prefetchers follow. */
static void batch_prefetch(const jx_batch *b, const batch_args *a, size_t k)
{
    for (size_t m = 0; m < b->s->nmetrics; m++) {
        const double *col = a->metrics[m];
        if (!col)
            continue;
        for (size_t l = 0; l < JXI_BLOCK; l += 8) /* a 64-byte line holds 8 */
            BATCH_PREFETCH(col + k + l);
    }
    for (size_t i = 0; a->na && i < b->s->ninds; i++)
        if (a->na[i])
            BATCH_PREFETCH(a->na[i] + k);
}

/* Score entities [k0, k1), a block at a time. Returns 0, or the code of
 * the first bad value (`err` names it, *bad_at is its entity). */
static int batch_range(jx_batch *b, const batch_args *a, size_t k0, size_t k1, jx_error *err,
                       size_t *bad_at)
{
    const jx_scheme *s = b->s;
    const size_t ni = s->ninds;
    size_t nchecked = 0;
    for (size_t m = 0; m < s->nmetrics; m++)
        if (a->metrics[m] && s->metrics[m].type != JX_METRIC_NUMBER)
            b->checked[nchecked++] = m;

    for (size_t k = k0; k < k1; k += JXI_BLOCK) {
        size_t n = k1 - k < JXI_BLOCK ? k1 - k : JXI_BLOCK, m = 0;
        if (k + 2 * JXI_BLOCK <= k1)
            batch_prefetch(b, a, k + JXI_BLOCK);
        size_t bad = batch_first_bad(b, a, nchecked, k, n, &m);
        if (bad < n) {
            *bad_at = k + bad;
            return batch_bad_value(s, m, k + bad, a->metrics[m][k + bad], err);
        }
        for (size_t j = 0; j < s->nmetrics; j++)
            b->cols[j] = a->metrics[j] ? a->metrics[j] + k : NULL;
        for (size_t i = 0; a->na && i < ni; i++)
            b->na[i] = a->na[i] ? a->na[i] + k : NULL;
        jxi_block_in in = {n, b->cols, a->na ? b->na : NULL};
        jxi_block_out out = {a->scores ? a->scores + k * ni : NULL,
                             a->statuses ? a->statuses + k * ni : NULL,
                             a->totals ? a->totals + k : NULL, a->grades ? a->grades + k : NULL,
                             a->complete ? a->complete + k : NULL};
        jxi_block_score(b->w, &in, &out);
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
    size_t bad_at;
    return batch_range(b, &a, 0, n, err, &bad_at);
}

/* ---- Threads ------------------------------------------------------------- */

/* Threads take chunks of the batch in turn from a shared counter, so that
 * one slowed down (a busy core) leaves more to the others instead of
 * holding up the end. A bad value stops the taking of chunks past it. */
typedef struct batch_share {
    const batch_args *a;
    size_t n, chunk;
    atomic_size_t next;      /* the first entity of the next chunk */
    atomic_size_t first_bad; /* the lowest bad entity found, or SIZE_MAX */
} batch_share;

typedef struct batch_job {
    jx_batch *b;
    batch_share *sh;
    int rc;
    size_t bad_at;           /* the lowest bad entity this thread found */
    jx_error err;
} batch_job;

static void *batch_thread(void *p)
{
    batch_job *j = p;
    batch_share *sh = j->sh;
    for (;;) {
        size_t k0 = atomic_fetch_add(&sh->next, sh->chunk);
        if (k0 >= sh->n || k0 > atomic_load(&sh->first_bad))
            break;
        size_t k1 = sh->n - k0 < sh->chunk ? sh->n : k0 + sh->chunk, at = SIZE_MAX;
        jx_error e;
        int rc = batch_range(j->b, sh->a, k0, k1, &e, &at);
        if (rc < 0 && at < j->bad_at) {
            j->rc = rc;
            j->bad_at = at;
            j->err = e;
            size_t cur = atomic_load(&sh->first_bad);
            while (at < cur && !atomic_compare_exchange_weak(&sh->first_bad, &cur, at))
                ;
        }
    }
    return NULL;
}

/* Few entities are not worth a thread: below this many per thread, fewer
 * threads are used. Chunks are many per thread (balance), but of whole
 * blocks and not too small (the shared counter). */
#define BATCH_MIN_PER_THREAD 256
#define BATCH_MAX_THREADS 256
#define BATCH_CHUNKS_PER_THREAD 16
#define BATCH_MIN_CHUNK (4 * JXI_BLOCK)
#define BATCH_MAX_CHUNK (64 * JXI_BLOCK)

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
    size_t chunk = n / (t * BATCH_CHUNKS_PER_THREAD) / JXI_BLOCK * JXI_BLOCK;
    chunk = chunk < BATCH_MIN_CHUNK ? BATCH_MIN_CHUNK : chunk > BATCH_MAX_CHUNK ? BATCH_MAX_CHUNK
                                                                                : chunk;
    batch_share sh;
    sh.a = &a;
    sh.n = n;
    sh.chunk = chunk;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.first_bad, SIZE_MAX);

    batch_job *jobs = jxi_calloc(t, sizeof *jobs);
    pthread_t *tids = jxi_calloc(t, sizeof *tids);
    unsigned char *started = jxi_calloc(t, 1);
    rc = jobs && tids && started ? 0 : JX_ENOMEM;
    for (size_t i = 0; i < t && rc == 0; i++) {
        jobs[i] = (batch_job){jx_batch_new(s), &sh, 0, SIZE_MAX, {0}};
        if (!jobs[i].b)
            rc = JX_ENOMEM;
    }
    if (rc == 0) {
        /* The calling thread takes chunks too; if a thread cannot be
         * started, the others take its share. */
        for (size_t i = 1; i < t; i++)
            started[i] = pthread_create(&tids[i], NULL, batch_thread, &jobs[i]) == 0;
        batch_thread(&jobs[0]);
        for (size_t i = 1; i < t; i++)
            if (started[i])
                pthread_join(tids[i], NULL);
        /* Report the first bad entity, as one thread would have: every
         * chunk before it was scored, by one thread or another. */
        size_t first = SIZE_MAX;
        for (size_t i = 0; i < t; i++) {
            if (jobs[i].rc < 0 && jobs[i].bad_at < first) {
                first = jobs[i].bad_at;
                rc = jobs[i].rc;
                if (err)
                    *err = jobs[i].err;
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
