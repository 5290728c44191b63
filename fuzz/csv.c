/* Fuzz target: batches from CSV (jx_csv_*), for schemes/example.json. The
 * first byte chooses the flags and the size of the pieces the text is fed
 * in; the rest is the CSV text. What must hold: a header that fails gives
 * a well-formed error inside the text; every bad row's error too; reading
 * the whole buffer and reading the same text in pieces (through
 * jx_csv_open_callback, every row by the general path) give the same rows,
 * values to the bit and errors, so the fast path for plain rows agrees with
 * the general one; every value
 * is one jx_batch_score accepts (it scores without error); ids and the
 * writer's text are valid UTF-8. */
#include "fuzz.h"

#include "eval/csv_batch.h"

#define SOURCE "fuzz.csv"

static jx_scheme *scheme;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[512];
    jx_error e;
    snprintf(path, sizeof path, "%s/example.json", fuzz_schemes_dir());
    scheme = jx_scheme_load_file(path, 0, &e);
    FUZZ_CHECK(scheme, "%s: %s", path, e.message);
    return 0;
}

typedef struct pieces {
    const char *p;
    size_t len, pos, step;
} pieces;

static long feed(void *ctx, char *buf, size_t size)
{
    pieces *q = ctx;
    size_t n = q->len - q->pos;
    n = n < q->step ? n : q->step;
    n = n < size ? n : size;
    memcpy(buf, q->p + q->pos, n);
    q->pos += n;
    return (long)n;
}

/* Every row and bad row, in file order (one record a chunk), as text;
 * each chunk scored and written. */
static char *read_all(jx_csv_reader *r, size_t len)
{
    size_t nm = jx_scheme_metric_count(scheme), ni = jx_scheme_indicator_count(scheme);
    char *out = NULL;
    size_t olen = 0;
    FILE *f = open_memstream(&out, &olen);
    jx_csv_chunk *c = jx_csv_chunk_new(r, 1);
    jx_csv_writer *w = jx_csv_writer_new(scheme, 0);
    jx_batch *b = jx_batch_new(scheme);
    FUZZ_CHECK(f && c && w && b, "out of memory");
    double *scores = calloc(ni, sizeof *scores), total;
    int grade;
    unsigned char complete;
    jx_error e;
    int rc;
    while ((rc = jx_csv_read(r, c, &e)) > 0) {
        FUZZ_CHECK(jx_csv_chunk_records(c) == 1, "%zu records", jx_csv_chunk_records(c));
        for (size_t k = 0; k < jx_csv_chunk_bad_count(c); k++) {
            const jx_error *x = jx_csv_chunk_bad(c, k);
            fuzz_check_error(x, SOURCE, len);
            FUZZ_CHECK(x->line >= 1 && x->column >= 1, "bad row at %d:%d", x->line, x->column);
            fprintf(f, "bad %d:%d @%ld %d %s %s\n", x->line, x->column, x->offset, x->code,
                    x->path, x->message);
        }
        if (!jx_csv_chunk_rows(c))
            continue;
        const char *id = jx_csv_chunk_id(c, 0);
        FUZZ_CHECK(jxi_utf8_check(id, strlen(id)) == (size_t)-1, "id not UTF-8");
        fprintf(f, "[%s]", id);
        const double *const *m = jx_csv_chunk_metrics(c);
        for (size_t j = 0; j < nm; j++)
            if (m[j])
                fprintf(f, " %a", m[j][0]);
        const unsigned char *const *na = jx_csv_chunk_not_applicable(c);
        for (size_t i = 0; na && i < ni; i++)
            if (na[i] && na[i][0])
                fprintf(f, " na%zu", i);
        fputc('\n', f);
        FUZZ_CHECK(jx_batch_score(scheme, b, 1, m, nm, na, ni, scores, NULL, &total, &grade,
                                  &complete, &e) == 0,
                   "a value the reader gave is refused: %s", e.message);
        FUZZ_CHECK(jx_csv_writer_rows(w, 1, jx_csv_chunk_ids(c, NULL), scores, &total, &grade,
                                      &complete) == 0, "writer");
    }
    if (rc < 0) {
        fuzz_check_error(&e, NULL, 0);
        fprintf(f, "error %d %s\n", e.code, e.message);
    }
    size_t tl;
    const char *text = jx_csv_writer_text(w, &tl);
    FUZZ_CHECK(jxi_utf8_check(text, tl) == (size_t)-1, "writer text not UTF-8");
    free(scores);
    jx_batch_free(b);
    jx_csv_writer_free(w);
    jx_csv_chunk_free(c);
    fclose(f);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = (data[0] & 1 ? JX_CSV_ID_OPTIONAL : 0) | (data[0] & 2 ? JX_CSV_CODES : 0);
    size_t step = (size_t)(data[0] >> 2) + 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    jx_error e1, e2;
    jx_csv_reader *r1 = jx_csv_open_buffer(scheme, text, len, SOURCE, flags, &e1);
    pieces q = {text, len, 0, step};
    jx_csv_reader *r2 = jx_csv_open_callback(scheme, feed, &q, SOURCE, flags, &e2);
    if (r2)
        r2->flags |= JXI_CSV_GENERAL;
    FUZZ_CHECK(!r1 == !r2, "whole: %s; pieces of %zu: %s", r1 ? "opens" : e1.message, step,
               r2 ? "opens" : e2.message);
    if (!r1) {
        fuzz_check_error(&e1, SOURCE, len);
        FUZZ_CHECK(e1.code == e2.code && strcmp(e1.message, e2.message) == 0
                       && e1.line == e2.line && e1.column == e2.column,
                   "header errors differ: %s / %s", e1.message, e2.message);
        return 0;
    }
    char *a = read_all(r1, len), *b = read_all(r2, len);
    FUZZ_CHECK(strcmp(a, b) == 0, "pieces of %zu differ:\n%s\n---\n%s", step, a, b);
    free(a);
    free(b);
    jx_csv_free(r1);
    jx_csv_free(r2);
    return 0;
}
