/*
 * jx-batch — score a CSV of many departments or projects with the batch API.
 *
 *     jx-batch SCHEME INPUT.csv [-o OUT.csv] [--threads N] [--strict]
 *     jx-batch --help | --version
 *
 * INPUT.csv (RFC 4180, UTF-8, "-" for stdin) has a header row: id, metric
 * names, optionally not_applicable (indicator ids separated by ';'); then
 * one row per entity. OUT.csv (stdout by default) has id, one column per
 * indicator (its score), total, grade and complete. The formats are the
 * library's (jixiao.h, "Batches from CSV"): this program only runs them.
 *
 * A row that cannot be read is reported on stderr with its line and
 * skipped; with --strict the first such row stops the run. The main thread
 * reads the text of chunks of rows and writes finished chunks in order;
 * --threads N workers parse, score and format N chunks at a time. A
 * progress line is shown when stderr is a terminal.
 *
 * Exit status: 0 every row scored, 1 some rows skipped, 2 error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jixiao.h"

enum { EXIT_OK = 0, EXIT_SKIPPED = 1, EXIT_ERROR = 2 };
enum { FREE, FILLED, BUSY, DONE };
#define MAX_THREADS 64

static const char *prog = "jx-batch";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(EXIT_ERROR);
}

/* The library's error: "source:line: message" (the message alone for I/O). */
static void die_err(const jx_error *e) __attribute__((noreturn));

static void die_err(const jx_error *e)
{
    if (e->code == JX_EIO)
        die("%s", e->message);
    if (e->line > 0)
        die("%s:%d: %s", e->source, e->line, e->message);
    die("%s: %s", e->source, e->message);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* A chunk of rows on its way through: read, then parsed, scored and
 * formatted by a worker, then written. */
typedef struct slot {
    int state;
    jx_csv_chunk *c;
    jx_csv_writer *w;
    double *scores, *totals;
    int *grades;
    unsigned char *complete;
    jx_error err;
    int failed;
} slot;

typedef struct pipeline {
    const jx_scheme *s;
    jx_csv_reader *r;
    int parse_only;
    slot *slots;
    size_t nslots, next_work;
    int quit;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
} pipeline;

static void process(pipeline *pl, jx_batch *b, slot *sl)
{
    const jx_scheme *s = pl->s;
    sl->failed = 0;
    sl->err.message[0] = '\0';
    jx_csv_writer_clear(sl->w);
    if (jx_csv_chunk_parse(pl->r, sl->c, &sl->err) < 0) {
        sl->failed = 1;
        return;
    }
    size_t n = jx_csv_chunk_rows(sl->c);
    if (pl->parse_only || n == 0)
        return;
    if (jx_batch_score(s, b, n, jx_csv_chunk_metrics(sl->c), jx_scheme_metric_count(s),
                       jx_csv_chunk_not_applicable(sl->c), jx_scheme_indicator_count(s),
                       sl->scores, NULL, sl->totals, sl->grades, sl->complete, &sl->err) < 0
        || jx_csv_writer_rows(sl->w, n, jx_csv_chunk_ids(sl->c, NULL), sl->scores, sl->totals,
                              sl->grades, sl->complete) < 0) {
        if (!sl->err.message[0])
            snprintf(sl->err.message, sizeof sl->err.message, "out of memory");
        sl->failed = 1;
    }
}

typedef struct worker_arg {
    pipeline *pl;
    jx_batch *b;
} worker_arg;

static void *worker_main(void *p)
{
    worker_arg *a = p;
    pipeline *pl = a->pl;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        slot *sl = &pl->slots[pl->next_work % pl->nslots];
        while (!pl->quit && sl->state != FILLED) {
            pthread_cond_wait(&pl->work, &pl->mu);
            sl = &pl->slots[pl->next_work % pl->nslots];
        }
        if (pl->quit)
            break;
        sl->state = BUSY;
        pl->next_work++;
        pthread_mutex_unlock(&pl->mu);
        process(pl, a->b, sl);
        pthread_mutex_lock(&pl->mu);
        sl->state = DONE;
        pthread_cond_broadcast(&pl->done);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void write_all(int fd, const char *p, size_t n, const char *name)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            die("cannot write %s: %s", name, strerror(errno));
        p += k;
        n -= (size_t)k;
    }
}

static void usage(FILE *f)
{
    fputs("usage: jx-batch SCHEME INPUT.csv [-o OUT.csv] [--threads N] [--strict]\n"
          "       jx-batch --help | --version\n"
          "Score every row of INPUT.csv (header: id, metric names, optionally\n"
          "not_applicable) and write id, each indicator's score, total, grade and\n"
          "complete as CSV. Rows that cannot be read are reported and skipped\n"
          "(--strict: the first one stops the run). Exit: 0 all scored, 1 rows\n"
          "skipped, 2 error.\n", f);
}

int main(int argc, char **argv)
{
    const char *scheme_path = NULL, *input_path = NULL, *out_path = NULL;
    int nthreads = 1, strict = 0;
    pipeline pl;
    memset(&pl, 0, sizeof pl);
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf("jx-batch (jixiao %s)\n", jx_version());
            return EXIT_OK;
        } else if (!strcmp(a, "-o") && k + 1 < argc) {
            out_path = argv[++k];
        } else if (!strcmp(a, "--threads") && k + 1 < argc) {
            char *e;
            long t = strtol(argv[++k], &e, 10);
            if (*e || t < 1 || t > MAX_THREADS)
                die("--threads: expected a whole number from 1 to %d", MAX_THREADS);
            nthreads = (int)t;
        } else if (!strcmp(a, "--strict")) {
            strict = 1;
        } else if (!strcmp(a, "--parse-only")) {
            pl.parse_only = 1; /* read and check only, write nothing: for timing */
        } else if ((a[0] == '-' && a[1]) || (scheme_path && input_path)) {
            usage(stderr);
            return EXIT_ERROR;
        } else {
            *(scheme_path ? &input_path : &scheme_path) = a;
        }
    }
    if (!scheme_path || !input_path) {
        usage(stderr);
        return EXIT_ERROR;
    }

    jx_error err;
    jx_scheme *s = jx_scheme_load_file(scheme_path, 0, &err);
    if (!s)
        die("%s:%d:%d: %s%s%s", err.source, err.line, err.column, err.path,
            err.path[0] ? ": " : "", err.message);
    int in_fd = strcmp(input_path, "-") ? open(input_path, O_RDONLY) : 0;
    if (in_fd < 0)
        die("cannot open %s: %s", input_path, strerror(errno));
    int out_fd = 1;
    if (out_path && strcmp(out_path, "-")) {
        out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (out_fd < 0)
            die("cannot create %s: %s", out_path, strerror(errno));
    }
    const char *out_name = out_path ? out_path : "<stdout>";
    const char *in_name = strcmp(input_path, "-") ? input_path : "<stdin>";
    jx_csv_reader *r = jx_csv_open_fd(s, in_fd, in_name, strict ? JX_CSV_STOP : 0, &err);
    if (!r)
        die_err(&err);
    pl.s = s;
    pl.r = r;
    /* One line for the metrics without a column (a typo in the header
     * shows up here). */
    size_t nm = jx_scheme_metric_count(s), ni = jx_scheme_indicator_count(s), nomiss = 0;
    char names[1024] = "";
    for (size_t m = 0; m < nm; m++)
        if (jx_csv_metric_column(r, m) == JX_NONE && nomiss++ < 5)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s\"%s\"",
                     nomiss > 1 ? ", " : "", jx_scheme_metric_name(s, m));
    if (nomiss)
        fprintf(stderr, "%s: %s: %zu metric%s without a column, missing on every row: %s%s\n",
                prog, in_name, nomiss, nomiss == 1 ? "" : "s", names, nomiss > 5 ? ", ..." : "");
    jx_csv_writer *hw = jx_csv_writer_new(s, 0);
    if (!hw || jx_csv_writer_header(hw) < 0)
        die("out of memory");
    size_t hlen;
    const char *htext = jx_csv_writer_text(hw, &hlen);
    if (!pl.parse_only)
        write_all(out_fd, htext, hlen, out_name);
    jx_csv_writer_free(hw);

    pl.nslots = (size_t)nthreads + 2;
    pl.slots = xcalloc(pl.nslots, sizeof *pl.slots);
    for (size_t k = 0; k < pl.nslots; k++) {
        slot *sl = &pl.slots[k];
        if (!(sl->c = jx_csv_chunk_new(r, 0)) || !(sl->w = jx_csv_writer_new(s, 0)))
            die("out of memory");
        size_t rows = jx_csv_chunk_capacity(sl->c);
        sl->scores = xcalloc(rows * ni, sizeof *sl->scores);
        sl->totals = xcalloc(rows, sizeof *sl->totals);
        sl->grades = xcalloc(rows, sizeof *sl->grades);
        sl->complete = xcalloc(rows, 1);
    }
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.work, NULL);
    pthread_cond_init(&pl.done, NULL);
    worker_arg *args = xcalloc((size_t)nthreads, sizeof *args);
    pthread_t *tids = xcalloc((size_t)nthreads, sizeof *tids);
    for (int t = 0; t < nthreads; t++) {
        args[t] = (worker_arg){&pl, jx_batch_new(s)};
        if (!args[t].b)
            die("out of memory");
        if (pthread_create(&tids[t], NULL, worker_main, &args[t]) != 0)
            die("cannot start a thread");
    }

    int progress = isatty(2), status = EXIT_OK, stop = 0, eof = 0;
    double t0 = now(), last = t0;
    size_t next_fill = 0, next_write = 0, rows_done = 0, rows_bad = 0;
    pthread_mutex_lock(&pl.mu);
    for (;;) {
        slot *w = &pl.slots[next_write % pl.nslots];
        if (next_write < next_fill && w->state == DONE) {
            /* written outside the lock: workers do not touch a done slot */
            pthread_mutex_unlock(&pl.mu);
            if (!stop) { /* after a stop, chunks still in flight are dropped */
                size_t nbad = jx_csv_chunk_bad_count(w->c), len;
                for (size_t k = 0; k < nbad; k++) {
                    const jx_error *e = jx_csv_chunk_bad(w->c, k);
                    fprintf(stderr, "%s: %s:%d: %s; %s\n", prog, in_name, e->line, e->message,
                            strict ? "stopping (--strict)" : "row skipped");
                }
                if (w->failed) {
                    fprintf(stderr, "%s: %s: %s\n", prog, in_name, w->err.message);
                    status = EXIT_ERROR, stop = 1;
                }
                const char *text = jx_csv_writer_text(w->w, &len);
                if (!pl.parse_only)
                    write_all(out_fd, text, len, out_name);
                rows_done += jx_csv_chunk_rows(w->c);
                rows_bad += nbad;
                stop |= strict && nbad;
            }
            if (progress && now() - last >= 0.5) {
                last = now();
                fprintf(stderr, "\r%s: %zu rows, %.0f rows/s ", prog, rows_done,
                        (double)rows_done / (last - t0));
            }
            pthread_mutex_lock(&pl.mu);
            w->state = FREE;
            next_write++;
            continue;
        }
        slot *f = &pl.slots[next_fill % pl.nslots];
        if (!stop && !eof && f->state == FREE) {
            pthread_mutex_unlock(&pl.mu);
            int rc = jx_csv_read_text(r, f->c, &err);
            if (rc < 0)
                die_err(&err);
            pthread_mutex_lock(&pl.mu);
            if (rc == 0) {
                eof = 1;
            } else {
                f->state = FILLED;
                next_fill++;
                pthread_cond_broadcast(&pl.work);
            }
            continue;
        }
        if (next_write == next_fill && (stop || eof))
            break;
        pthread_cond_wait(&pl.done, &pl.mu);
    }
    pl.quit = 1;
    pthread_cond_broadcast(&pl.work);
    pthread_mutex_unlock(&pl.mu);
    for (int t = 0; t < nthreads; t++)
        pthread_join(tids[t], NULL);

    if (progress)
        fprintf(stderr, "\r%s: %zu rows, %.0f rows/s\n", prog, rows_done,
                (double)rows_done / (now() - t0 > 0 ? now() - t0 : 1));
    if (status == EXIT_OK && stop)
        status = EXIT_ERROR; /* --strict */
    else if (status == EXIT_OK && rows_bad) {
        fprintf(stderr, "%s: %zu row%s skipped\n", prog, rows_bad, rows_bad == 1 ? "" : "s");
        status = EXIT_SKIPPED;
    }
    if (out_fd != 1 && close(out_fd) != 0)
        die("cannot write %s: %s", out_name, strerror(errno));

    for (size_t k = 0; k < pl.nslots; k++) {
        slot *sl = &pl.slots[k];
        jx_csv_chunk_free(sl->c);
        jx_csv_writer_free(sl->w);
        free(sl->scores);
        free(sl->totals);
        free(sl->grades);
        free(sl->complete);
    }
    for (int t = 0; t < nthreads; t++)
        jx_batch_free(args[t].b);
    free(pl.slots);
    free(args);
    free(tids);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.work);
    pthread_cond_destroy(&pl.done);
    jx_csv_free(r);
    if (in_fd > 0)
        close(in_fd);
    jx_scheme_free(s);
    return status;
}
