/*
 * bench — how fast jixiao scores in bulk (`make bench`). Not a test: it
 * prints figures beside the targets of issue 6 and fails only when it
 * cannot run.
 *
 *     bench/bench [--jx-batch PATH] [--rows N] [--entities N] [--quick]
 *
 * 1. A synthetic population for schemes/mof-2013-department.json (figures
 *    around the bundled example's, some missing, some indicators not
 *    applicable) scored by jx_batch_score on one thread and by
 *    jx_batch_score_threads on two: entities/s, ns per leaf, the ratio.
 * 2. jx_score, one entity at a time with its reasons, for comparison (and a
 *    check that it gives what the batch gave).
 * 3. The load time of a generated 1,000-leaf scheme.
 * 4. jx-batch on a generated 1,000,000-row CSV, as a child process: peak
 *    RSS (wait4) and rows/s with one and two threads, and with
 *    --parse-only, to show whether reading the CSV or scoring limits it.
 */
#define _DEFAULT_SOURCE /* wait4 */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"

#define SCHEME "schemes/mof-2013-department.json"
#define BATCH_REPS 7
#define EXAMPLE "schemes/examples/mof-2013-department.metrics.json"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fail(const char *what)
{
    fprintf(stderr, "bench: %s\n", what);
    exit(2);
}

/* Batch outputs for n entities. */
typedef struct outputs {
    double *scores, *totals;
    unsigned char *statuses, *complete;
    int *grades;
} outputs;

static void outputs_make(outputs *o, size_t n, size_t ninds)
{
    o->scores = calloc(n * ninds, sizeof *o->scores);
    o->statuses = calloc(n * ninds, 1);
    o->totals = calloc(n, sizeof *o->totals);
    o->grades = calloc(n, sizeof *o->grades);
    o->complete = calloc(n, 1);
    if (!o->scores || !o->statuses || !o->totals || !o->grades || !o->complete)
        fail("out of memory");
}

static void outputs_free(outputs *o)
{
    free(o->scores);
    free(o->statuses);
    free(o->totals);
    free(o->grades);
    free(o->complete);
}

/* Seconds for one run over the whole population: jx_batch_score with
 * workspace b, or jx_batch_score_threads on `threads` threads. */
static double run_batch(const jx_scheme *s, jx_batch *b, const gen_population *p, outputs *o,
                        int threads)
{
    jx_error err;
    double t0 = now();
    int rc = threads == 0
                 ? jx_batch_score(s, b, p->n, (const double *const *)p->cols, p->nmetrics,
                                  (const unsigned char *const *)p->na, p->ninds, o->scores,
                                  o->statuses, o->totals, o->grades, o->complete, &err)
                 : jx_batch_score_threads(s, threads, p->n, (const double *const *)p->cols,
                                          p->nmetrics, (const unsigned char *const *)p->na,
                                          p->ninds, o->scores, o->statuses, o->totals,
                                          o->grades, o->complete, &err);
    double t = now() - t0;
    if (rc < 0)
        fail(err.message);
    return t;
}

/* The best of `reps` runs on one thread (*t1) and on two (*t2), taken in
 * turn, so that a busy spell of the machine weighs on both alike. */
static void time_batch(const jx_scheme *s, const gen_population *p, outputs *o, int reps,
                       double *t1, double *t2)
{
    jx_batch *b = jx_batch_new(s);
    if (!b)
        fail("out of memory");
    *t1 = *t2 = INFINITY;
    for (int r = 0; r < reps; r++) {
        double t = run_batch(s, b, p, o, 0);
        *t1 = t < *t1 ? t : *t1;
        t = run_batch(s, b, p, o, 2);
        *t2 = t < *t2 ? t : *t2;
    }
    jx_batch_free(b);
}

/* Set entity k's figures in `in`, as the batch columns hold them. */
static void fill_input(const jx_scheme *s, const gen_population *p, size_t k, jx_input *in)
{
    jx_input_clear(in);
    for (size_t m = 0; m < p->nmetrics; m++) {
        double v = p->cols[m][k];
        const char *name = jx_scheme_metric_name(s, m);
        if (isnan(v))
            continue;
        switch (jx_scheme_metric_type(s, m)) {
        case JX_METRIC_BOOL: jx_input_set_bool(in, name, v != 0); break;
        case JX_METRIC_LEVEL:
            jx_input_set_text(in, name, jx_scheme_metric_level(s, m, (size_t)v));
            break;
        default: jx_input_set_number(in, name, v); break;
        }
    }
    for (size_t i = 0; i < p->ninds; i++)
        if (p->na[i] && p->na[i][k])
            jx_input_set_not_applicable(in, jx_scheme_indicator_id(s, i));
}

/* jx_score on the first n entities: entities/s, and whether every result
 * equals the batch's. */
static double time_score(const jx_scheme *s, const gen_population *p, size_t n,
                         const outputs *o, int *same)
{
    jx_input **in = calloc(n, sizeof *in);
    jx_error err;
    if (!in)
        fail("out of memory");
    for (size_t k = 0; k < n; k++) {
        if (!(in[k] = jx_input_new(s)))
            fail("out of memory");
        fill_input(s, p, k, in[k]);
    }
    *same = 1;
    double t0 = now();
    for (size_t k = 0; k < n; k++) {
        jx_result *r = jx_score(s, in[k], 0, &err);
        if (!r)
            fail(err.message);
        *same &= jx_result_total(r) == o->totals[k]
                 && (int)jx_result_grade_index(r) == o->grades[k];
        for (size_t i = 0; i < p->ninds; i++)
            *same &= jx_result_score(r, i) == o->scores[k * p->ninds + i]
                     && jx_result_status(r, i) == o->statuses[k * p->ninds + i];
        jx_result_free(r);
    }
    double t = now() - t0;
    for (size_t k = 0; k < n; k++)
        jx_input_free(in[k]);
    free(in);
    return (double)n / t;
}

/* ---- How many CPUs this machine gives now ---------------------------------- */

static void *spin(void *p)
{
    volatile double x = 1;
    for (long i = 0; i < 40000000; i++)
        x = x * 1.0000001 + 1e-9;
    *(double *)p = x;
    return NULL;
}

/* Pure arithmetic on two threads against one: about 2 on an idle two-core
 * machine, less when other processes take a core (the two-thread figures
 * then cannot reach 1.8x either). */
static double cpu_scaling(void)
{
    double r1, r2, best1 = INFINITY, best2 = INFINITY;
    for (int k = 0; k < 3; k++) {
        double t0 = now();
        spin(&r1);
        double t1 = now();
        pthread_t t;
        if (pthread_create(&t, NULL, spin, &r2) != 0)
            return 1;
        spin(&r1);
        pthread_join(t, NULL);
        double t2 = now();
        best1 = t1 - t0 < best1 ? t1 - t0 : best1;
        best2 = t2 - t1 < best2 ? t2 - t1 : best2;
    }
    return 2 * best1 / best2;
}

/* Run argv as a child; its wall time and peak RSS in KiB. */
static int run_child(char *const argv[], double *secs, long *maxrss_kib)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        fail("fork failed");
    if (pid == 0) {
        execv(argv[0], argv);
        fprintf(stderr, "bench: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        fail("wait4 failed");
    *secs = now() - t0;
    *maxrss_kib = ru.ru_maxrss; /* Linux: KiB */
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* jx-batch on a generated CSV, as a child process. Run while this process
 * is small: a child's peak RSS counts the pages it shares with its parent
 * between fork and exec. Returns the report (free it). */
static char *bench_jx_batch(const jx_scheme *s, const char *jx_batch_path, size_t rows)
{
    char *report = NULL;
    size_t report_len = 0;
    FILE *rep = open_memstream(&report, &report_len);
    if (!rep)
        fail("out of memory");
    /* the CSV, written in slices */
    char dir[] = "/tmp/jixiao-bench.XXXXXX";
    if (!mkdtemp(dir))
        fail("cannot make a temporary directory");
    char csv[64], out[] = "/dev/null";
    snprintf(csv, sizeof csv, "%s/input.csv", dir);
    FILE *f = fopen(csv, "w");
    if (!f)
        fail("cannot write the CSV");
    size_t slice = 50000;
    for (size_t k0 = 0; k0 < rows; k0 += slice) {
        gen_population q;
        size_t m = rows - k0 < slice ? rows - k0 : slice;
        if (gen_population_make(s, EXAMPLE, m, 1000 + k0, &q) < 0)
            exit(2);
        if (gen_population_csv(s, &q, k0 == 0, k0, f) < 0)
            fail("cannot write the CSV");
        gen_population_free(&q);
    }
    long csv_bytes = ftell(f);
    if (fclose(f) != 0)
        fail("cannot write the CSV");
    fprintf(rep, "jx-batch, %zu rows (%.0f MB of CSV, %zu fields a row), output to %s\n", rows,
            (double)csv_bytes / 1e6, jx_scheme_metric_count(s) + 2, out);
    struct { const char *threads, *extra, *what; } runs[] = {
        {"1", NULL, "read, score, write"},
        {"2", NULL, "read, score, write"},
        {"1", "--parse-only", "read and check only"},
        {"2", "--parse-only", "read and check only"},
    };
    double secs;
    long rss;
    char *version[] = {(char *)jx_batch_path, "--version", NULL};
    int devnull = open("/dev/null", O_WRONLY);
    int saved = dup(1);
    fflush(stdout);
    dup2(devnull, 1); /* the version line */
    run_child(version, &secs, &rss);
    dup2(saved, 1);
    close(saved);
    close(devnull);
    fprintf(rep, "  (the program alone, jx-batch --version: peak RSS %.1f MB)\n",
            (double)rss / 1024);
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        char *args[] = {(char *)jx_batch_path, (char *)SCHEME, csv, "-o", out, "--threads",
                        (char *)runs[r].threads, (char *)runs[r].extra, NULL};
        int rc = run_child(args, &secs, &rss);
        if (rc != 0)
            fprintf(stderr, "bench: %s exited with %d\n", jx_batch_path, rc);
        fprintf(rep, "  --threads %s %-12s %9.0f rows/s, peak RSS %5.1f MB   %s  (%s)\n",
                runs[r].threads, runs[r].extra ? runs[r].extra : "", (double)rows / secs,
                (double)rss / 1024, runs[r].extra ? "           " : "< 32 MB RSS", runs[r].what);
    }
    remove(csv);
    rmdir(dir);
    fclose(rep);
    return report;
}

static void usage(void)
{
    puts("usage: bench/bench [--jx-batch PATH] [--rows N] [--entities N] [--quick]\n"
         "  --jx-batch PATH  the jx-batch program (default examples/jx-batch)\n"
         "  --rows N         rows of the jx-batch CSV (default 1000000)\n"
         "  --entities N     population scored in memory (default 200000)\n"
         "  --quick          small sizes, for a smoke run");
}

int main(int argc, char **argv)
{
    const char *jx_batch_path = "examples/jx-batch";
    size_t rows = 1000000, n = 200000;
    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--jx-batch") && k + 1 < argc)
            jx_batch_path = argv[++k];
        else if (!strcmp(argv[k], "--rows") && k + 1 < argc)
            rows = strtoul(argv[++k], NULL, 10);
        else if (!strcmp(argv[k], "--entities") && k + 1 < argc)
            n = strtoul(argv[++k], NULL, 10);
        else if (!strcmp(argv[k], "--quick"))
            rows = 20000, n = 20000;
        else {
            usage();
            return strcmp(argv[k], "--help") ? 2 : 0;
        }
    }
    if (n < 1000 || rows < 1)
        fail("--entities must be at least 1000 and --rows at least 1");

    jx_error err;
    jx_scheme *s = jx_scheme_load_file(SCHEME, 0, &err);
    if (!s)
        fail(err.message);
    size_t ninds = jx_scheme_indicator_count(s), nleaves = 0;
    for (size_t i = 0; i < ninds; i++)
        nleaves += (size_t)jx_scheme_indicator_is_leaf(s, i);
    char *jx_batch_report = bench_jx_batch(s, jx_batch_path, rows);
    gen_population p;
    if (gen_population_make(s, EXAMPLE, n, 42, &p) < 0)
        return 2;
    size_t incomplete = 0, with_na = 0;
    outputs o;
    outputs_make(&o, n, ninds);

    printf("jixiao %s batch benchmark: %s (%zu indicators, %zu leaves, %zu metrics)\n",
           jx_version(), SCHEME, ninds, nleaves, p.nmetrics);
    printf("population: %zu entities: the example's figures times the entity's size (0.5 to\n"
           "  2) and each by up to +-5%%, 0.5%% of them missing; the example's not-applicable\n"
           "  indicators marked on 30%% of entities, any other leaf on 0.5%%. Every output\n"
           "  (scores, statuses, totals, grades, complete) is written.\n\n",
           n);

    /* 1. Batch, one thread and two. */
    double t1, t2;
    time_batch(s, &p, &o, BATCH_REPS, &t1, &t2);
    for (size_t k = 0; k < n; k++) {
        incomplete += !o.complete[k];
        for (size_t i = 0; i < ninds; i++)
            if (o.statuses[k * ninds + i] == JX_STATUS_NOT_APPLICABLE) {
                with_na++;
                break;
            }
    }
    double e1 = (double)n / t1, e2 = (double)n / t2;
    printf("batch scoring (jx_batch_score, best of %d, in turn)  target\n", BATCH_REPS);
    printf("  1 thread    %10.0f entities/s               >= 1,000,000\n", e1);
    printf("              %10.1f ns per entity, %.1f ns per leaf  (< 1000, < 40)\n", 1e9 / e1,
           1e9 / e1 / (double)nleaves);
    printf("  2 threads   %10.0f entities/s, %.2fx        >= 1.8x\n", e2, e2 / e1);
    printf("  (this machine now: pure arithmetic on 2 threads runs %.2fx one thread)\n",
           cpu_scaling());
    printf("  (%.1f%% of entities incomplete, %.1f%% with an indicator not applicable)\n\n",
           100.0 * (double)incomplete / (double)n, 100.0 * (double)with_na / (double)n);

    /* 2. One at a time. */
    int same = 0;
    size_t ns = n < 20000 ? n : 20000;
    double es = time_score(s, &p, ns, &o, &same);
    printf("jx_score, one at a time with reasons (%zu entities)\n", ns);
    printf("              %10.0f entities/s (batch is %.0fx); results %s the batch's\n\n", es,
           e1 / es, same ? "identical to" : "DIFFERENT FROM");

    /* 3. Loading a 1,000-leaf scheme. */
    char *big = gen_big_scheme(1000);
    double best = INFINITY;
    for (int r = 0; r < 20; r++) {
        double t0 = now();
        jx_scheme *b = jx_scheme_load_buffer(big, strlen(big), "bench-1000", 0, &err);
        double t = now() - t0;
        if (!b)
            fail(err.message);
        if (r == 0 && jx_scheme_indicator_count(b) != 1100)
            fail("the generated scheme has an unexpected shape");
        jx_scheme_free(b);
        if (t < best)
            best = t;
    }
    printf("scheme load, generated 1,000 leaves (%zu KB of JSON, best of 20)\n",
           strlen(big) / 1024);
    printf("              %10.2f ms                        < 10 ms\n\n", best * 1e3);
    free(big);

    /* 4. jx-batch, measured before the population above was made */
    fputs(jx_batch_report, stdout);
    printf("  scoring alone (batch above): %.0f rows/s on 1 thread\n", e1);
    free(jx_batch_report);

    outputs_free(&o);
    gen_population_free(&p);
    jx_scheme_free(s);
    return 0;
}
