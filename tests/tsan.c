/* `make check-tsan`: four threads share one scheme and score at once,
 * each with jx_score (reasons, results freed on the thread) and with its
 * own batch workspace, then jx_batch_score_threads splits one batch over
 * four threads; and four threads ask the digests of project schemes, which
 * are made when first asked; and jx_csv_score runs a CSV of the same
 * figures on four workers, in small chunks, against one worker. Built
 * with -fsanitize=thread: a data race fails the run
 * (TSAN_OPTIONS=halt_on_error=1); so does any thread disagreeing. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jixiao.h"

#define THREADS 4
#define ENTITIES 2000
#define ONE_AT_A_TIME 100

static const jx_scheme *scheme;
static size_t nm;
static double **cols;           /* shared, read-only */
static double totals[THREADS + 1][ENTITIES];
static double single[THREADS][ONE_AT_A_TIME];

static void fail(const char *what)
{
    fprintf(stderr, "tsan: %s\n", what);
    exit(1);
}

static void *work(void *arg)
{
    size_t t = (size_t)(uintptr_t)arg;
    jx_error err;
    jx_batch *b = jx_batch_new(scheme);
    if (!b || jx_batch_score(scheme, b, ENTITIES, (const double *const *)cols, nm, NULL, 0,
                             NULL, NULL, totals[t], NULL, NULL, &err) < 0)
        fail("jx_batch_score failed");
    jx_batch_free(b);
    jx_input *in = jx_input_new(scheme);
    for (size_t k = 0; k < ONE_AT_A_TIME; k++) {
        jx_input_clear(in);
        for (size_t m = 0; m < nm; m++) {
            double v = cols[m][k];
            const char *name = jx_scheme_metric_name(scheme, m);
            if (isnan(v))
                continue;
            if (jx_scheme_metric_type(scheme, m) == JX_METRIC_BOOL)
                jx_input_set_bool(in, name, v != 0);
            else if (jx_scheme_metric_type(scheme, m) == JX_METRIC_LEVEL)
                jx_input_set_text(in, name, jx_scheme_metric_level(scheme, m, (size_t)v));
            else
                jx_input_set_number(in, name, v);
        }
        jx_result *r = jx_score(scheme, in, 0, &err);
        if (!r)
            fail("jx_score failed");
        single[t][k] = jx_result_total(r);
        char *json = jx_result_to_json(r, 0);
        jx_free(json);
        jx_result_free(r);
    }
    jx_input_free(in);
    return NULL;
}

/* Every project's digest, asked by four threads at once. */
static const jx_projects *projects;
static const char *digests[THREADS][16];

static void *ask_digests(void *arg)
{
    size_t t = (size_t)(uintptr_t)arg;
    for (size_t k = 0; k < jx_projects_count(projects) && k < 16; k++)
        digests[t][k] = jx_scheme_digest(jx_projects_scheme(projects, k));
    return NULL;
}

static void project_digests(void)
{
    const char *dir = getenv("JX_TEST_DATA");
    char path[512];
    snprintf(path, sizeof path, "%s/projects/projects.csv", dir && *dir ? dir : "tests/data");
    jx_error err;
    jx_projects *ps = jx_projects_read_file(path, NULL, 0, &err);
    if (!ps)
        fail(err.message);
    projects = ps;
    pthread_t tid[THREADS];
    for (size_t t = 0; t < THREADS; t++)
        if (pthread_create(&tid[t], NULL, ask_digests, (void *)(uintptr_t)t) != 0)
            fail("cannot start a thread");
    for (size_t t = 0; t < THREADS; t++)
        pthread_join(tid[t], NULL);
    for (size_t k = 0; k < jx_projects_count(ps) && k < 16; k++)
        for (size_t t = 0; t < THREADS; t++)
            if (!digests[t][k] || digests[t][k] != digests[0][k] || strlen(digests[t][k]) != 64)
                fail("threads disagree on a project's digest");
    printf("tsan: %d threads asking %zu project digests at once: no race, one digest each\n",
           THREADS, jx_projects_count(ps));
    jx_projects_free(ps);
}

/* The results text of a run, in memory. */
typedef struct text_out {
    char *p;
    size_t len;
    FILE *f;
} text_out;

static int put_text(void *ctx, const char *text, size_t len)
{
    text_out *o = ctx;
    return fwrite(text, 1, len, o->f) == len ? 0 : -1;
}

static int count_bad(void *ctx, const jx_error *bad)
{
    (void)bad;
    (*(size_t *)ctx)++;
    return 0;
}

static void csv_run(const char *csv, size_t len, unsigned threads, text_out *o, size_t *nbad)
{
    jx_error err;
    o->f = open_memstream(&o->p, &o->len);
    jx_csv_reader *r = jx_csv_open_buffer(scheme, csv, len, "tsan.csv", 0, &err);
    if (!o->f || !r
        || jx_csv_score(r, threads, 16, 0, put_text, o, count_bad, nbad, NULL, &err) != 0)
        fail("jx_csv_score failed");
    fclose(o->f);
    jx_csv_free(r);
}

/* The figures as CSV (with a bad row every 97), scored by jx_csv_score on
 * four workers and on one: the same bytes. */
static void csv_score(void)
{
    char *csv = NULL;
    size_t len, nbad[2] = {0, 0};
    FILE *f = open_memstream(&csv, &len);
    if (!f)
        fail("out of memory");
    fputs("id", f);
    for (size_t m = 0; m < nm; m++)
        fprintf(f, ",%s", jx_scheme_metric_name(scheme, m));
    fputc('\n', f);
    for (size_t k = 0; k < ENTITIES; k++) {
        fprintf(f, "e%zu", k);
        for (size_t m = 0; m < nm; m++) {
            double v = cols[m][k];
            if (k % 97 == 5 && m == 0)
                fputs(",x", f);
            else if (isnan(v))
                fputc(',', f);
            else if (jx_scheme_metric_type(scheme, m) == JX_METRIC_LEVEL)
                fprintf(f, ",%s", jx_scheme_metric_level(scheme, m, (size_t)v));
            else if (jx_scheme_metric_type(scheme, m) == JX_METRIC_BOOL)
                fputs(v != 0 ? ",true" : ",false", f);
            else
                fprintf(f, ",%.2f", v);
        }
        fputc('\n', f);
    }
    fclose(f);
    text_out one, four;
    csv_run(csv, len, 1, &one, &nbad[0]);
    csv_run(csv, len, THREADS, &four, &nbad[1]);
    if (one.len != four.len || memcmp(one.p, four.p, one.len) != 0 || nbad[0] != nbad[1]
        || nbad[0] != (ENTITIES + 91) / 97)
        fail("jx_csv_score on four workers disagrees with one");
    /* stopped at the first bad row while the workers are busy */
    jx_error err;
    text_out stop;
    stop.f = open_memstream(&stop.p, &stop.len);
    jx_csv_reader *r = jx_csv_open_buffer(scheme, csv, len, "tsan.csv", JX_CSV_STOP, &err);
    if (!stop.f || !r
        || jx_csv_score(r, THREADS, 16, 0, put_text, &stop, NULL, NULL, NULL, &err) != 1)
        fail("jx_csv_score did not stop at the first bad row");
    fclose(stop.f);
    jx_csv_free(r);
    if (stop.len >= one.len || memcmp(stop.p, one.p, stop.len) != 0)
        fail("jx_csv_score's output up to a stop is not the start of the whole output");
    printf("tsan: jx_csv_score, %d rows in chunks of 16 on %d workers: no race, the same %zu "
           "bytes as one worker; stopped at a bad row: the first %zu\n", ENTITIES, THREADS,
           one.len, stop.len);
    free(stop.p);
    free(one.p);
    free(four.p);
    free(csv);
}

int main(void)
{
    const char *dir = getenv("JX_SCHEMES_DIR");
    char path[512];
    snprintf(path, sizeof path, "%s/mof-2013-department.json", dir && *dir ? dir : "schemes");
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(path, 0, &err);
    if (!s)
        fail(err.message);
    scheme = s;
    nm = jx_scheme_metric_count(s);
    cols = calloc(nm, sizeof *cols);
    uint64_t x = 12345;
    for (size_t m = 0; m < nm && cols; m++) {
        if (!(cols[m] = malloc(ENTITIES * sizeof **cols)))
            fail("out of memory");
        double nlev = (double)jx_scheme_metric_level_count(s, m);
        for (size_t k = 0; k < ENTITIES; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            double u = (double)(x >> 11) * 0x1p-53;
            int type = jx_scheme_metric_type(s, m);
            cols[m][k] = u < 0.02                   ? NAN
                         : type == JX_METRIC_BOOL  ? (double)(u < 0.6)
                         : type == JX_METRIC_LEVEL ? floor(u * nlev)
                                                   : floor(u * 20000) / 100;
        }
    }

    pthread_t tid[THREADS];
    for (size_t t = 0; t < THREADS; t++)
        if (pthread_create(&tid[t], NULL, work, (void *)(uintptr_t)t) != 0)
            fail("cannot start a thread");
    for (size_t t = 0; t < THREADS; t++)
        pthread_join(tid[t], NULL);
    if (jx_batch_score_threads(s, THREADS, ENTITIES, (const double *const *)cols, nm, NULL, 0,
                               NULL, NULL, totals[THREADS], NULL, NULL, &err) < 0)
        fail(err.message);

    for (size_t t = 1; t <= THREADS; t++)
        if (memcmp(totals[0], totals[t], sizeof totals[0]) != 0)
            fail("threads disagree on the batch totals");
    for (size_t t = 0; t < THREADS; t++)
        for (size_t k = 0; k < ONE_AT_A_TIME; k++)
            if (single[t][k] != totals[0][k])
                fail("jx_score disagrees with the batch");
    printf("tsan: %d threads, %d entities each by batch and %d by jx_score: no race, same "
           "results\n", THREADS, ENTITIES, ONE_AT_A_TIME);
    csv_score();
    for (size_t m = 0; m < nm; m++)
        free(cols[m]);
    free(cols);
    jx_scheme_free(s);
    project_digests();
    return 0;
}
