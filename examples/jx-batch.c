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
 * skipped; with --strict the first such row stops the run. The library
 * runs the pipeline (jx_csv_score): this thread reads chunks of rows and
 * writes finished ones in order while --threads N workers parse, score and
 * format N chunks at a time. A progress line is shown when stderr is a
 * terminal.
 *
 * Exit status: 0 every row scored, 1 some rows skipped, 2 error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jixiao.h"

enum { EXIT_OK = 0, EXIT_SKIPPED = 1, EXIT_ERROR = 2 };
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

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* What the callbacks need: where results go, the input's name for bad
 * rows, and the progress line drawn as results are written. */
typedef struct run {
    int fd, error; /* error: errno of a failed write */
    const char *in_name;
    int strict, progress;
    double t0, last;
    const jx_csv_counts *counts;
} run;

static int write_text(void *ctx, const char *p, size_t n)
{
    run *o = ctx;
    while (n) {
        ssize_t k = write(o->fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            o->error = k < 0 ? errno : EIO;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    if (o->progress && now() - o->last >= 0.5) {
        o->last = now();
        fprintf(stderr, "\r%s: %llu rows, %.0f rows/s ", prog, o->counts->rows,
                (double)o->counts->rows / (o->last - o->t0));
    }
    return 0;
}

static int report_bad(void *ctx, const jx_error *e)
{
    const run *o = ctx;
    fprintf(stderr, "%s: %s:%d: %s; %s\n", prog, o->in_name, e->line, e->message,
            o->strict ? "stopping (--strict)" : "row skipped");
    return 0;
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
    int nthreads = 1, strict = 0, parse_only = 0;
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
            parse_only = 1; /* read and check only, write nothing: for timing */
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
    /* One line for the metrics without a column (a typo in the header
     * shows up here). */
    size_t nm = jx_scheme_metric_count(s), nomiss = 0;
    char names[1024] = "";
    for (size_t m = 0; m < nm; m++)
        if (jx_csv_metric_column(r, m) == JX_NONE && nomiss++ < 5)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s\"%s\"",
                     nomiss > 1 ? ", " : "", jx_scheme_metric_name(s, m));
    if (nomiss)
        fprintf(stderr, "%s: %s: %zu metric%s without a column, missing on every row: %s%s\n",
                prog, in_name, nomiss, nomiss == 1 ? "" : "s", names, nomiss > 5 ? ", ..." : "");
    jx_csv_counts counts;
    double t0 = now();
    run out = {out_fd, 0, in_name, strict, isatty(2), t0, t0, &counts};
    int rc = jx_csv_score(r, (unsigned)nthreads, 0, 0, parse_only ? NULL : write_text, &out,
                          report_bad, &out, &counts, &err);
    if (rc < 0 && out.error)
        die("cannot write %s: %s", out_name, strerror(out.error));
    if (rc < 0)
        die_err(&err);
    if (out.progress)
        fprintf(stderr, "\r%s: %llu rows, %.0f rows/s\n", prog, counts.rows,
                (double)counts.rows / (now() - out.t0 > 0 ? now() - out.t0 : 1));
    int status = EXIT_OK;
    if (rc == 1)
        status = EXIT_ERROR; /* --strict */
    else if (counts.bad) {
        fprintf(stderr, "%s: %llu row%s skipped\n", prog, counts.bad, counts.bad == 1 ? "" : "s");
        status = EXIT_SKIPPED;
    }
    if (out_fd != 1 && close(out_fd) != 0)
        die("cannot write %s: %s", out_name, strerror(errno));
    jx_csv_free(r);
    if (in_fd > 0)
        close(in_fd);
    jx_scheme_free(s);
    return status;
}
