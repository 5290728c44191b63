/* Batches from CSV, the whole run (jixiao.h, jx_csv_score): the calling
 * thread cuts the text into chunks and hands finished chunks to the
 * callbacks in file order; worker threads parse, score and format the
 * chunks in between. A ring of threads + 2 chunks keeps every worker busy
 * while one chunk is read and one written, and bounds memory whatever the
 * length of the file. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "eval/csv_batch.h"

#define CSVS_MAX_THREADS 64

enum { CSVS_FREE, CSVS_FILLED, CSVS_BUSY, CSVS_DONE };

/* A chunk on its way: its text read, then parsed, scored and formatted by
 * a worker, then handed over. */
typedef struct csvs_slot {
    int state;          /* CSVS_*, under the run's lock */
    jx_csv_chunk *c;
    jx_csv_writer *w;   /* NULL when nothing is written */
    double *scores, *totals;
    int *grades;
    unsigned char *complete;
    int rc;             /* of the work: 0 or a negative code with err */
    jx_error err;
} csvs_slot;

typedef struct csvs_run {
    jx_csv_reader *r;
    int check_only;     /* no write function: parse only */
    csvs_slot *slots;
    size_t nslots;
    /* under mu */
    size_t next_work;
    int quit, stop;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
} csvs_run;

typedef struct csvs_worker {
    csvs_run *run;
    jx_batch *b;
    pthread_t tid;
    int started;
} csvs_worker;

static size_t csvs_threads(unsigned threads)
{
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n < 1 ? 1 : n > CSVS_MAX_THREADS ? CSVS_MAX_THREADS : (size_t)n;
    }
    return threads > CSVS_MAX_THREADS ? CSVS_MAX_THREADS : threads;
}

static int csvs_slot_init(const jx_csv_reader *r, csvs_slot *sl, size_t rows, int check_only)
{
    if (!(sl->c = jx_csv_chunk_new(r, rows)))
        return JX_ENOMEM;
    if (check_only)
        return 0;
    size_t cap = jx_csv_chunk_capacity(sl->c), ni = r->ninds ? r->ninds : 1;
    sl->w = jx_csv_writer_new(r->s, 0);
    sl->scores = jxi_malloc(cap * ni * sizeof *sl->scores);
    sl->totals = jxi_malloc(cap * sizeof *sl->totals);
    sl->grades = jxi_malloc(cap * sizeof *sl->grades);
    sl->complete = jxi_malloc(cap);
    return sl->w && sl->scores && sl->totals && sl->grades && sl->complete ? 0 : JX_ENOMEM;
}

static void csvs_slot_free(csvs_slot *sl)
{
    jx_csv_chunk_free(sl->c);
    jx_csv_writer_free(sl->w);
    jxi_free(sl->scores);
    jxi_free(sl->totals);
    jxi_free(sl->grades);
    jxi_free(sl->complete);
}

/* Parse, score and format one chunk; only reads the reader (so it runs
 * while the calling thread cuts the next chunks). */
static void csvs_work(const csvs_run *run, jx_batch *b, csvs_slot *sl)
{
    const jx_scheme *s = run->r->s;
    jx_csv_writer_clear(sl->w);
    sl->rc = jx_csv_chunk_parse(run->r, sl->c, &sl->err);
    size_t n = jx_csv_chunk_rows(sl->c);
    if (sl->rc < 0 || run->check_only || n == 0)
        return;
    sl->rc = jx_batch_score(s, b, n, jx_csv_chunk_metrics(sl->c), run->r->nmetrics,
                            jx_csv_chunk_not_applicable(sl->c), run->r->ninds, sl->scores, NULL,
                            sl->totals, sl->grades, sl->complete, &sl->err);
    if (sl->rc == 0 && jx_csv_writer_rows(sl->w, n, jx_csv_chunk_ids(sl->c, NULL), sl->scores,
                                          sl->totals, sl->grades, sl->complete) < 0) {
        jxi_error_set(&sl->err, JX_ENOMEM, "out of memory writing the results");
        sl->rc = JX_ENOMEM;
    }
    if (sl->rc < 0)
        jxi_error_source(&sl->err, run->r->source);
}

static void *csvs_worker_main(void *p)
{
    csvs_worker *wk = p;
    csvs_run *run = wk->run;
    pthread_mutex_lock(&run->mu);
    for (;;) {
        csvs_slot *sl = &run->slots[run->next_work % run->nslots];
        while (!run->quit && sl->state != CSVS_FILLED) {
            pthread_cond_wait(&run->work, &run->mu);
            sl = &run->slots[run->next_work % run->nslots];
        }
        if (run->quit)
            break;
        sl->state = CSVS_BUSY;
        run->next_work++;
        int skip = run->stop; /* after a stop, chunks in flight are dropped */
        pthread_mutex_unlock(&run->mu);
        if (!skip)
            csvs_work(run, wk->b, sl);
        pthread_mutex_lock(&run->mu);
        sl->state = CSVS_DONE;
        pthread_cond_broadcast(&run->done);
    }
    pthread_mutex_unlock(&run->mu);
    return NULL;
}

typedef struct csvs_out {
    jx_csv_write_fn write;
    void *wctx;
    jx_csv_bad_fn bad;
    void *bctx;
    jx_csv_counts *counts;
} csvs_out;

static int csvs_write(const csvs_out *o, const char *text, size_t len, jx_error *err)
{
    int rc = len ? o->write(o->wctx, text, len) : 0;
    if (rc != 0) {
        jxi_error_set(err, JX_EIO, "cannot write the results: the write function returned %d",
                      rc);
        return JX_EIO;
    }
    return 0;
}

/* Hand one finished chunk over: its bad rows, then its text. 0 to go on,
 * 1 stopped at a bad row, or a negative code. */
static int csvs_deliver(const csvs_run *run, const csvs_slot *sl, const csvs_out *o,
                        jx_error *err)
{
    if (sl->rc < 0) {
        if (err)
            *err = sl->err;
        return sl->rc;
    }
    size_t nbad = jx_csv_chunk_bad_count(sl->c), len;
    for (size_t k = 0; k < nbad; k++) {
        const jx_error *e = jx_csv_chunk_bad(sl->c, k);
        o->counts->bad++;
        if (o->bad && o->bad(o->bctx, e) != 0) {
            if (err)
                *err = *e;
            return 1;
        }
    }
    o->counts->rows += jx_csv_chunk_rows(sl->c);
    o->counts->bytes += jx_csv_chunk_bytes(sl->c);
    if (o->write) {
        const char *text = jx_csv_writer_text(sl->w, &len);
        int rc = csvs_write(o, text, len, err);
        if (rc < 0)
            return rc;
    }
    if (nbad && (run->r->flags & JX_CSV_STOP)) {
        if (err)
            *err = *jx_csv_chunk_bad(sl->c, 0);
        return 1;
    }
    return 0;
}

/* The loop of the calling thread: hand over the oldest chunk when it is
 * done, else read the next one into a free slot, else wait. Chunks read
 * before a read error are still handed over; after a stop or a failure,
 * the chunks in flight are dropped. */
static int csvs_loop(csvs_run *run, csvs_worker *workers, size_t started, const csvs_out *o,
                     jx_error *err)
{
    int rc = 0, eof = 0, read_rc = 0;
    jx_error read_err;
    size_t next_fill = 0, next_write = 0;
    pthread_mutex_lock(&run->mu);
    for (;;) {
        csvs_slot *w = &run->slots[next_write % run->nslots];
        if (next_write < next_fill && w->state == CSVS_DONE) {
            /* handed over outside the lock: workers leave a done slot alone */
            pthread_mutex_unlock(&run->mu);
            if (rc == 0)
                rc = csvs_deliver(run, w, o, err);
            pthread_mutex_lock(&run->mu);
            run->stop = rc != 0;
            w->state = CSVS_FREE;
            next_write++;
            continue;
        }
        csvs_slot *f = &run->slots[next_fill % run->nslots];
        if (rc == 0 && !eof && f->state == CSVS_FREE) {
            pthread_mutex_unlock(&run->mu);
            int t = jx_csv_read_text(run->r, f->c, &read_err);
            pthread_mutex_lock(&run->mu);
            if (t <= 0) {
                eof = 1;
                read_rc = t;
            } else {
                f->state = CSVS_FILLED;
                next_fill++;
                pthread_cond_broadcast(&run->work);
            }
            continue;
        }
        if (next_write == next_fill && (rc != 0 || eof))
            break;
        if (started == 0) {
            /* no worker could start: the oldest chunk is worked here */
            w->state = CSVS_BUSY;
            run->next_work++;
            pthread_mutex_unlock(&run->mu);
            if (rc == 0)
                csvs_work(run, workers[0].b, w);
            pthread_mutex_lock(&run->mu);
            w->state = CSVS_DONE;
            continue;
        }
        pthread_cond_wait(&run->done, &run->mu);
    }
    pthread_mutex_unlock(&run->mu);
    if (rc == 0 && read_rc < 0) {
        if (err)
            *err = read_err;
        rc = read_rc;
    }
    return rc;
}

/* Start the workers, run the loop, stop and join them. */
static int csvs_pipeline(csvs_run *run, csvs_worker *workers, size_t nw, const csvs_out *o,
                         jx_error *err)
{
    int inited = 0;
    if (pthread_mutex_init(&run->mu, NULL) == 0 && ++inited
        && pthread_cond_init(&run->work, NULL) == 0 && ++inited
        && pthread_cond_init(&run->done, NULL) == 0)
        ++inited;
    int rc = JX_ENOMEM;
    if (inited == 3) {
        size_t started = 0;
        for (size_t t = 0; t < nw; t++) {
            workers[t].run = run;
            workers[t].started =
                pthread_create(&workers[t].tid, NULL, csvs_worker_main, &workers[t]) == 0;
            started += (size_t)workers[t].started;
        }
        rc = csvs_loop(run, workers, started, o, err);
        pthread_mutex_lock(&run->mu);
        run->quit = 1;
        pthread_cond_broadcast(&run->work);
        pthread_mutex_unlock(&run->mu);
        for (size_t t = 0; t < nw; t++)
            if (workers[t].started)
                pthread_join(workers[t].tid, NULL);
    } else {
        jxi_error_set(err, JX_ENOMEM, "out of memory starting the threads");
    }
    if (inited == 3)
        pthread_cond_destroy(&run->done);
    if (inited >= 2)
        pthread_cond_destroy(&run->work);
    if (inited >= 1)
        pthread_mutex_destroy(&run->mu);
    return rc;
}

JX_API int jx_csv_score(jx_csv_reader *r, unsigned threads, size_t rows, unsigned flags,
                        jx_csv_write_fn write_fn, void *write_ctx, jx_csv_bad_fn bad_fn,
                        void *bad_ctx, jx_csv_counts *counts, jx_error *err)
{
    jx_csv_counts none;
    if (!counts)
        counts = &none;
    memset(counts, 0, sizeof *counts);
    if (!r) {
        jxi_error_set(err, JX_EARG, "jx_csv_score: no reader");
        return JX_EARG;
    }
    if (flags & ~JX_CSV_NO_HEADER) {
        jxi_error_set(err, JX_EARG, "jx_csv_score: unknown flags 0x%x", flags);
        return JX_EARG;
    }
    csvs_out o = {write_fn, write_ctx, bad_fn, bad_ctx, counts};
    csvs_run run;
    memset(&run, 0, sizeof run);
    run.r = r;
    run.check_only = !write_fn;
    size_t nw = csvs_threads(threads);
    run.nslots = nw + 2;
    run.slots = jxi_calloc(run.nslots, sizeof *run.slots);
    csvs_worker *workers = jxi_calloc(nw, sizeof *workers);
    int rc = run.slots && workers ? 0 : JX_ENOMEM;
    for (size_t k = 0; rc == 0 && k < run.nslots; k++)
        rc = csvs_slot_init(r, &run.slots[k], rows, run.check_only);
    for (size_t t = 0; rc == 0 && !run.check_only && t < nw; t++)
        if (!(workers[t].b = jx_batch_new(r->s)))
            rc = JX_ENOMEM;
    if (rc < 0) {
        jxi_error_set(err, JX_ENOMEM, "out of memory reading the CSV");
        jxi_error_source(err, r->source);
    } else if (write_fn && !(flags & JX_CSV_NO_HEADER)) {
        /* the header goes first, through the first slot's writer */
        jx_csv_writer *hw = run.slots[0].w;
        size_t len;
        if (jx_csv_writer_header(hw) < 0) {
            jxi_error_set(err, JX_ENOMEM, "out of memory writing the results");
            rc = JX_ENOMEM;
        } else {
            const char *text = jx_csv_writer_text(hw, &len);
            rc = csvs_write(&o, text, len, err);
        }
        jx_csv_writer_clear(hw);
    }
    if (rc == 0)
        rc = csvs_pipeline(&run, workers, nw, &o, err);
    for (size_t k = 0; run.slots && k < run.nslots; k++)
        csvs_slot_free(&run.slots[k]);
    for (size_t t = 0; workers && t < nw; t++)
        jx_batch_free(workers[t].b);
    jxi_free(run.slots);
    jxi_free(workers);
    return rc;
}
