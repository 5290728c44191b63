/* The whole CSV run (jx_csv_score): the same bytes, bad rows and counts as
 * reading chunk by chunk with jx_csv_read, jx_batch_score and the writer,
 * for 1, 2 and 4 threads and chunks of every size; JX_CSV_STOP; a bad-row
 * callback, a write callback and a read function that stop the run
 * midway; the header flag, parse-only runs and argument errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

/* Rows of every kind, many chunks' worth: good rows with varying figures,
 * quoted ids (one across lines), blank lines, bad rows of several kinds. */
static char *population(size_t n, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    ck_assert_ptr_nonnull(f);
    fputs("\xEF\xBB\xBFid,在职人员数,编制数,财务管理制度健全,社会效益,not_applicable\r\n", f);
    static const char *const levels[] = {"好", "较好", "一般", "差"};
    for (size_t k = 0; k < n; k++) {
        switch (k % 11) {
        case 3:
            fprintf(f, "d%zu,abc,143,true,好,\n", k); /* not a number */
            break;
        case 7:
            fprintf(f, "\"d\n%zu\",%zu,150,否,%s,2.4\r\n", k, 100 + k % 60, levels[k % 4]);
            break;
        case 9:
            fputs(k % 2 ? "\n" : "\r\n", f); /* blank */
            break;
        default:
            if (k % 23 == 5)
                fprintf(f, "d%zu,1,2\n", k); /* too few fields */
            else
                fprintf(f, "\"d,%zu\",%zu.%zu,%zu,%s,%s,%s\n", k, 90 + k % 70, k % 10,
                        120 + k % 40, k % 3 ? "是" : "否", levels[(k / 3) % 4],
                        k % 5 ? "" : "1.1;1.2");
        }
    }
    fclose(f);
    return text;
}

/* What a run gives: the text written, the bad rows as lines, the counts. */
typedef struct run_out {
    char *text, *bad;
    size_t text_len, bad_len;
    FILE *tf, *bf;
    size_t writes, bads, fail_write_at, stop_bad_at;
    jx_csv_counts *counts;
    unsigned long long rows_seen; /* counts->rows at the last write */
} run_out;

static void out_open(run_out *o)
{
    memset(o, 0, sizeof *o);
    o->tf = open_memstream(&o->text, &o->text_len);
    o->bf = open_memstream(&o->bad, &o->bad_len);
    ck_assert(o->tf && o->bf);
}

static void out_close(run_out *o)
{
    fclose(o->tf);
    fclose(o->bf);
}

static void out_free(run_out *o)
{
    free(o->text);
    free(o->bad);
}

static void put_bad(FILE *f, const jx_error *e)
{
    fprintf(f, "%s:%d:%d @%ld (%s) %d %s\n", e->source, e->line, e->column, e->offset, e->path,
            e->code, e->message);
}

/* The rows of results text: each ends with its complete field, 0 or 1 (an
 * id may hold a line break). */
static size_t count_rows(const char *t, size_t len)
{
    size_t n = 0;
    for (size_t k = 2; k < len; k++)
        n += t[k] == '\n' && t[k - 2] == ',' && (t[k - 1] == '0' || t[k - 1] == '1');
    return n;
}

/* Line k (0-based) of t, as a new string. */
static char *line_of(const char *t, size_t k)
{
    while (k-- && t)
        t = strchr(t, '\n') ? strchr(t, '\n') + 1 : NULL;
    ck_assert_ptr_nonnull(t);
    return strndup(t, (size_t)(strchr(t, '\n') - t));
}

static int on_write(void *ctx, const char *text, size_t len)
{
    run_out *o = ctx;
    ck_assert_uint_gt(len, 0);
    if (++o->writes == o->fail_write_at)
        return -5;
    fwrite(text, 1, len, o->tf);
    if (o->counts)
        o->rows_seen = o->counts->rows;
    return 0;
}

static int on_bad(void *ctx, const jx_error *e)
{
    run_out *o = ctx;
    put_bad(o->bf, e);
    return ++o->bads == o->stop_bad_at;
}

/* The reference: chunk by chunk on this thread. With JX_CSV_STOP it ends
 * after the chunk holding the first bad row. */
static void reference(const jx_scheme *s, const char *text, size_t len, unsigned flags,
                      size_t rows, run_out *o, size_t *nrows, size_t *nbad)
{
    jx_error e;
    size_t ni = jx_scheme_indicator_count(s), nm = jx_scheme_metric_count(s);
    jx_csv_reader *r = jx_csv_open_buffer(s, text, len, "p.csv", flags, &e);
    ck_assert_msg(r != NULL, "%s", e.message);
    jx_csv_chunk *c = jx_csv_chunk_new(r, rows);
    jx_csv_writer *w = jx_csv_writer_new(s, 0);
    jx_batch *b = jx_batch_new(s);
    size_t cap = jx_csv_chunk_capacity(c);
    double *scores = malloc(cap * ni * sizeof *scores), *totals = malloc(cap * sizeof *totals);
    int *grades = malloc(cap * sizeof *grades);
    unsigned char *complete = malloc(cap);
    ck_assert_int_eq(jx_csv_writer_header(w), 0);
    *nrows = *nbad = 0;
    int rc;
    while ((rc = jx_csv_read(r, c, &e)) > 0) {
        size_t n = jx_csv_chunk_rows(c), nb = jx_csv_chunk_bad_count(c);
        for (size_t k = 0; k < nb; k++)
            put_bad(o->bf, jx_csv_chunk_bad(c, k));
        if (n) {
            ck_assert_int_eq(jx_batch_score(s, b, n, jx_csv_chunk_metrics(c), nm,
                                            jx_csv_chunk_not_applicable(c), ni, scores, NULL,
                                            totals, grades, complete, &e), 0);
            ck_assert_int_eq(jx_csv_writer_rows(w, n, jx_csv_chunk_ids(c, NULL), scores, totals,
                                                grades, complete), 0);
        }
        *nrows += n;
        *nbad += nb;
        if (nb && (flags & JX_CSV_STOP))
            break;
    }
    ck_assert_int_ge(rc, 0);
    size_t tlen;
    const char *t = jx_csv_writer_text(w, &tlen);
    fwrite(t, 1, tlen, o->tf);
    free(scores);
    free(totals);
    free(grades);
    free(complete);
    jx_batch_free(b);
    jx_csv_writer_free(w);
    jx_csv_chunk_free(c);
    jx_csv_free(r);
}

/* jx_csv_score over r into o (opened by the caller), then o closed and r
 * freed. */
static int score(jx_csv_reader *r, unsigned threads, size_t rows, unsigned flags,
                 jx_csv_write_fn write, jx_csv_bad_fn bad, run_out *o, jx_csv_counts *n,
                 jx_error *e)
{
    ck_assert_ptr_nonnull(r);
    int rc = jx_csv_score(r, threads, rows, flags, write, o, bad, o, n, e);
    out_close(o);
    jx_csv_free(r);
    return rc;
}

/* The example scheme, a population's text and its whole output (one
 * worker, chunks of 4 rows). */
typedef struct fixture {
    jx_scheme *s;
    char *text;
    size_t len;
    run_out full;
} fixture;

static jx_csv_reader *open_text(const fixture *f, unsigned flags)
{
    jx_error e;
    return jx_csv_open_buffer(f->s, f->text, f->len, "p.csv", flags, &e);
}

static void fixture_init(fixture *f, size_t n)
{
    jx_error e;
    f->s = jxt_scheme("example");
    f->text = population(n, &f->len);
    out_open(&f->full);
    ck_assert_int_eq(score(open_text(f, 0), 1, 4, 0, on_write, on_bad, &f->full, NULL, &e), 0);
}

static void fixture_free(fixture *f)
{
    out_free(&f->full);
    free(f->text);
    jx_scheme_free(f->s);
}

START_TEST(test_score_agrees)
{
    fixture f;
    fixture_init(&f, 400);
    static const size_t chunk_rows[] = {1, 3, 7, 0};
    static const unsigned threads[] = {1, 2, 4};
    for (size_t q = 0; q < sizeof chunk_rows / sizeof *chunk_rows; q++) {
        run_out want;
        size_t nrows, nbad;
        out_open(&want);
        reference(f.s, f.text, f.len, 0, chunk_rows[q], &want, &nrows, &nbad);
        out_close(&want);
        ck_assert_uint_gt(nbad, 40);
        for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
            jx_error e;
            jx_csv_counts n;
            run_out got;
            out_open(&got);
            got.counts = &n;
            int rc = score(open_text(&f, 0), threads[t], chunk_rows[q], 0, on_write, on_bad, &got,
                           &n, &e);
            ck_assert_msg(rc == 0, "%u threads, %zu rows: %d %s", threads[t], chunk_rows[q], rc,
                          e.message);
            ck_assert_uint_eq(got.text_len, want.text_len);
            ck_assert_msg(memcmp(got.text, want.text, want.text_len) == 0,
                          "%u threads, %zu rows: other text", threads[t], chunk_rows[q]);
            ck_assert_str_eq(got.bad, want.bad); /* in file order */
            ck_assert_uint_eq(n.rows, nrows);
            ck_assert_uint_eq(n.bad, nbad);
            ck_assert_uint_eq(got.bads, nbad);
            ck_assert_uint_eq(got.rows_seen, nrows); /* counts are current in callbacks */
            /* the text after the byte-order mark and the header */
            ck_assert_uint_eq(n.bytes, f.len - (size_t)(strchr(f.text, '\n') + 1 - f.text));
            ck_assert_uint_eq(count_rows(got.text, got.text_len), nrows);
            out_free(&got);
        }
        out_free(&want);
    }
    fixture_free(&f);
}
END_TEST

START_TEST(test_stop)
{
    fixture f;
    fixture_init(&f, 200);
    size_t nrows, nbad;
    run_out want;
    out_open(&want);
    reference(f.s, f.text, f.len, JX_CSV_STOP, 5, &want, &nrows, &nbad);
    out_close(&want);
    ck_assert_uint_eq(nbad, 1);
    for (unsigned t = 1; t <= 4; t *= 2) {
        jx_error e;
        jx_csv_counts n;
        run_out got;
        out_open(&got);
        ck_assert_int_eq(score(open_text(&f, JX_CSV_STOP), t, 5, 0, on_write, on_bad, &got, &n,
                               &e), 1);
        ck_assert_str_eq(got.text, want.text);
        ck_assert_str_eq(got.bad, want.bad);
        ck_assert_uint_eq(n.rows, nrows);
        ck_assert_uint_eq(n.bad, 1);
        ck_assert_int_eq(e.code, JX_EVALUE); /* the first bad row: row 3, not a number */
        ck_assert_int_eq(e.line, 5);
        ck_assert_str_eq(e.source, "p.csv");
        out_free(&got);
    }
    out_free(&want);
    fixture_free(&f);
}
END_TEST

START_TEST(test_callbacks_stop)
{
    fixture f;
    fixture_init(&f, 300);
    for (unsigned t = 1; t <= 4; t *= 2) {
        /* the third bad row stops: nothing from its chunk on is written */
        jx_error e;
        jx_csv_counts n;
        run_out got;
        out_open(&got);
        got.stop_bad_at = 3;
        ck_assert_int_eq(score(open_text(&f, 0), t, 4, 0, on_write, on_bad, &got, &n, &e), 1);
        ck_assert_uint_eq(got.bads, 3);
        ck_assert_uint_eq(n.bad, 3);
        /* err is the third bad row; the output a prefix of the full one */
        char *third = line_of(f.full.bad, 2), *seen = NULL;
        size_t seen_len;
        FILE *bf = open_memstream(&seen, &seen_len);
        put_bad(bf, &e);
        fclose(bf);
        seen[seen_len - 1] = '\0';
        ck_assert_str_eq(seen, third);
        free(seen);
        free(third);
        ck_assert_uint_lt(got.text_len, f.full.text_len);
        ck_assert(memcmp(got.text, f.full.text, got.text_len) == 0);
        ck_assert_uint_eq(count_rows(got.text, got.text_len), n.rows);
        out_free(&got);

        /* the write function fails on its first, second and fifth call */
        for (size_t at = 1; at <= 5; at += at == 1 ? 1 : 3) {
            out_open(&got);
            got.fail_write_at = at;
            ck_assert_int_eq(score(open_text(&f, 0), t, 4, 0, on_write, on_bad, &got, &n, &e),
                             JX_EIO);
            ck_assert_int_eq(e.code, JX_EIO);
            ck_assert_ptr_nonnull(strstr(e.message, "the write function returned -5"));
            ck_assert_uint_eq(got.writes, at); /* none after the failure */
            ck_assert(memcmp(got.text, f.full.text, got.text_len) == 0);
            out_free(&got);
        }
    }
    fixture_free(&f);
}
END_TEST

typedef struct failing {
    const char *text;
    size_t len, pos, fail_at;
} failing;

static long read_failing(void *ctx, char *buf, size_t size)
{
    failing *p = ctx;
    if (p->pos >= p->fail_at)
        return -1;
    size_t n = p->len - p->pos < 100 ? p->len - p->pos : 100;
    n = n < size ? n : size;
    memcpy(buf, p->text + p->pos, n);
    p->pos += n;
    return (long)n;
}

START_TEST(test_read_fails)
{
    fixture f;
    fixture_init(&f, 300);
    for (unsigned t = 1; t <= 4; t *= 2) {
        failing src = {f.text, f.len, 0, f.len / 2};
        jx_error e;
        jx_csv_counts n;
        run_out got;
        out_open(&got);
        jx_csv_reader *r = jx_csv_open_callback(f.s, read_failing, &src, "p.csv", 0, &e);
        ck_assert_int_eq(score(r, t, 4, 0, on_write, on_bad, &got, &n, &e), JX_EIO);
        ck_assert_ptr_nonnull(strstr(e.message, "the read function failed"));
        /* the chunks before the failure were handed over, in order */
        ck_assert_uint_gt(n.rows, 80);
        ck_assert_uint_ge(n.bytes + 300, f.len / 2);
        ck_assert_uint_eq(count_rows(got.text, got.text_len), n.rows);
        ck_assert(memcmp(got.text, f.full.text, got.text_len) == 0);
        ck_assert(strncmp(got.bad, f.full.bad, got.bad_len) == 0);
        out_free(&got);
    }
    fixture_free(&f);
}
END_TEST

START_TEST(test_flags_and_args)
{
    fixture f;
    fixture_init(&f, 120);
    jx_error e;
    jx_csv_counts n;
    run_out got;
    /* no header */
    out_open(&got);
    ck_assert_int_eq(score(open_text(&f, 0), 0, 0, JX_CSV_NO_HEADER, on_write, NULL, &got, &n, &e),
                     0);
    ck_assert_str_eq(got.text, strchr(f.full.text, '\n') + 1);
    ck_assert_uint_gt(n.bad, 0); /* counted without a callback */
    out_free(&got);
    /* no write function: read and checked only */
    out_open(&got);
    ck_assert_int_eq(score(open_text(&f, 0), 2, 5, 0, NULL, on_bad, &got, &n, NULL), 0);
    ck_assert_str_eq(got.bad, f.full.bad);
    ck_assert_uint_eq(got.text_len, 0);
    ck_assert_uint_eq(n.rows, count_rows(f.full.text, f.full.text_len));
    out_free(&got);
    /* arguments: the counts are zeroed whatever happens */
    n.rows = 7;
    ck_assert_int_eq(jx_csv_score(NULL, 1, 0, 0, on_write, &got, NULL, NULL, &n, &e), JX_EARG);
    ck_assert_int_eq(e.code, JX_EARG);
    ck_assert_ptr_nonnull(strstr(e.message, "no reader"));
    ck_assert_uint_eq(n.rows, 0);
    jx_csv_reader *r = open_text(&f, 0);
    ck_assert_int_eq(jx_csv_score(r, 1, 0, 0x1000, on_write, &got, NULL, NULL, NULL, &e),
                     JX_EARG);
    ck_assert_ptr_nonnull(strstr(e.message, "unknown flags 0x1000"));
    ck_assert_int_eq(jx_csv_score(NULL, 1, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL), JX_EARG);
    jx_csv_free(r);
    /* a header without rows: the header row only */
    const char *t = "id,编制数\n";
    out_open(&got);
    r = jx_csv_open_buffer(f.s, t, strlen(t), "h.csv", 0, &e);
    ck_assert_int_eq(score(r, 3, 0, 0, on_write, on_bad, &got, &n, &e), 0);
    ck_assert_uint_eq(got.writes, 1);
    ck_assert_uint_eq(got.text_len, (size_t)(strchr(f.full.text, '\n') + 1 - f.full.text));
    ck_assert_int_eq(strncmp(got.text, f.full.text, got.text_len), 0);
    ck_assert_uint_eq(n.rows + n.bad + n.bytes, 0);
    out_free(&got);
    fixture_free(&f);
}
END_TEST

Suite *suite_csv_score(void)
{
    Suite *s = suite_create("csv_score");
    TCase *tc = tcase_create("whole runs");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_score_agrees);
    tcase_add_test(tc, test_stop);
    tcase_add_test(tc, test_callbacks_stop);
    tcase_add_test(tc, test_read_fails);
    tcase_add_test(tc, test_flags_and_args);
    suite_add_tcase(s, tc);
    return s;
}
