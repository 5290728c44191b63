/* Batches from CSV: where the text comes from, the header, and cutting the
 * text into whole records a chunk at a time (csv_batch.h). The text is
 * read into the chunk itself, 64 KiB at a time; what follows the chunk's
 * last record is kept for the next one, so memory stays at a chunk's
 * worth whatever the length of the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "eval/csv_batch.h"
#include "util/num.h"

/* ---- Sources ------------------------------------------------------------------------ */

static void csvr_errno(const jx_csv_reader *r, jx_error *err, int e, const char *what)
{
    char msg[128] = "";
    if (strerror_r(e, msg, sizeof msg) != 0)
        snprintf(msg, sizeof msg, "error %d", e);
    jxi_error_set(err, JX_EIO, "cannot %s: %s", what, msg);
    jxi_error_source(err, r->source);
}

/* Up to `size` bytes of the text into buf: how many, 0 at the end, or
 * JX_EIO. */
static long csvr_source_read(jx_csv_reader *r, char *buf, size_t size, jx_error *err)
{
    if (r->mem) {
        size_t n = r->mem_len - r->mem_pos < size ? r->mem_len - r->mem_pos : size;
        memcpy(buf, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        return (long)n;
    }
    if (r->fn) {
        long n = r->fn(r->ctx, buf, size);
        if (n < 0 || (size_t)n > size) {
            jxi_error_set(err, JX_EIO, "cannot read the input: the read function failed");
            jxi_error_source(err, r->source);
            return JX_EIO;
        }
        return n;
    }
    ssize_t n;
    do
        n = read(r->fd, buf, size);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        csvr_errno(r, err, errno, "read the input");
        return JX_EIO;
    }
    return (long)n;
}

static int csvr_reserve(char **p, size_t *cap, size_t need)
{
    if (*cap >= need && *p)
        return 0;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    char *q = jxi_realloc(*p, c);
    if (!q)
        return JX_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

static int csvr_nomem(const jx_csv_reader *r, jx_error *err)
{
    jxi_error_set(err, JX_ENOMEM, "out of memory reading the CSV");
    jxi_error_source(err, r->source);
    return JX_ENOMEM;
}

/* More text at the end of c's raw text. A byte-order mark at the very
 * start is dropped once three bytes (or the whole text) are there. */
static int csvr_refill(jx_csv_reader *r, jx_csv_chunk *c, jx_error *err)
{
    if (csvr_reserve(&c->raw, &c->raw_cap, c->raw_len + JXI_CSV_READ_SIZE + 1) < 0)
        return csvr_nomem(r, err);
    long n = csvr_source_read(r, c->raw + c->raw_len, JXI_CSV_READ_SIZE, err);
    if (n < 0)
        return (int)n;
    if (n == 0)
        r->eof = 1;
    c->raw_len += (size_t)n;
    if (!r->started && (c->raw_len >= 3 || r->eof)) {
        r->started = 1;
        if (c->raw_len >= 3 && memcmp(c->raw, "\xEF\xBB\xBF", 3) == 0) {
            memmove(c->raw, c->raw + 3, c->raw_len - 3);
            c->raw_len -= 3;
            r->offset = 3;
        }
    }
    return 0;
}

static int csvr_add_record(jx_csv_chunk *c, size_t start, size_t end, long line, long offset)
{
    if (c->nrec == c->rec_cap) {
        size_t cap = c->rec_cap ? c->rec_cap * 2 : 64;
        size_t *s = jxi_realloc(c->rec_start, cap * sizeof *s);
        if (s)
            c->rec_start = s;
        size_t *e = jxi_realloc(c->rec_end, cap * sizeof *e);
        if (e)
            c->rec_end = e;
        long *l = jxi_realloc(c->rec_line, cap * sizeof *l);
        if (l)
            c->rec_line = l;
        long *o = jxi_realloc(c->rec_offset, cap * sizeof *o);
        if (o)
            c->rec_offset = o;
        if (!s || !e || !l || !o)
            return JX_ENOMEM;
        c->rec_cap = cap;
    }
    c->rec_start[c->nrec] = start;
    c->rec_end[c->nrec] = end;
    c->rec_line[c->nrec] = line;
    c->rec_offset[c->nrec] = offset;
    c->nrec++;
    return 0;
}

/* Up to `rows` whole records into c's text. 1, 0 at the end, or a
 * negative code. */
static int csvr_cut(jx_csv_reader *r, jx_csv_chunk *c, size_t rows, jx_error *err)
{
    c->nrec = 0;
    c->raw_len = 0;
    if (csvr_reserve(&c->raw, &c->raw_cap, r->carry_len + 1) < 0)
        return csvr_nomem(r, err);
    if (r->carry_len)
        memcpy(c->raw, r->carry, r->carry_len);
    c->raw_len = r->carry_len;
    r->carry_len = 0;
    size_t start = 0, end;
    for (;;) {
        while (r->started && c->nrec < rows
               && jxi_csv_scan(&r->scan, c->raw + start, c->raw_len - start, &end)) {
            if (csvr_add_record(c, start, start + end, r->line, r->offset) < 0)
                return csvr_nomem(r, err);
            r->line += r->scan.lines + 1;
            r->offset += (long)end + 1;
            start += end + 1;
            memset(&r->scan, 0, sizeof r->scan);
        }
        if (c->nrec == rows || r->eof)
            break;
        if (c->raw_len - start > JXI_CSV_MAX_RECORD) {
            jxi_error_set(err, JX_ELIMIT, "the record at line %ld is longer than %u MiB "
                          "(a quote not closed?)", r->line, JXI_CSV_MAX_RECORD >> 20);
            jxi_error_source(err, r->source);
            if (err)
                err->line = (int)r->line;
            return JX_ELIMIT;
        }
        int rc = csvr_refill(r, c, err);
        if (rc < 0)
            return rc;
    }
    if (c->nrec < rows && start < c->raw_len) {
        /* the last record, without a line break at its end */
        if (csvr_add_record(c, start, c->raw_len, r->line, r->offset) < 0)
            return csvr_nomem(r, err);
        r->line += r->scan.lines;
        r->offset += (long)(c->raw_len - start);
        start = c->raw_len;
        memset(&r->scan, 0, sizeof r->scan);
    }
    /* what follows the last whole record waits for the next chunk */
    size_t rest = c->raw_len - start;
    if (csvr_reserve(&r->carry, &r->carry_cap, rest + 1) < 0)
        return csvr_nomem(r, err);
    memcpy(r->carry, c->raw + start, rest);
    r->carry_len = rest;
    c->raw_len = start;
    return c->nrec > 0;
}

/* ---- The header ----------------------------------------------------------------------- */

static int csvr_header_error(const jx_csv_chunk *c, size_t at, jx_error *err, int code,
                             const char *fmt, const char *arg)
{
    jxi_csv_row_error(c, 0, at, NULL, err, code, fmt, arg);
    return code;
}

static int csvr_header(jx_csv_reader *r, jx_csv_chunk *c, jx_error *err)
{
    int rc = csvr_cut(r, c, 1, err);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        jxi_error_set(err, JX_EREQUIRED, "empty input; expected a header row");
        jxi_error_source(err, r->source);
        return JX_EREQUIRED;
    }
    const char *rec = c->raw + c->rec_start[0];
    size_t n = c->rec_end[0] - c->rec_start[0];
    if (n && rec[n - 1] == '\r')
        n--;
    long nf = jxi_csv_split(&c->split, rec, n);
    if (nf < 0)
        return csvr_nomem(r, err);
    if (nf == 0)
        return csvr_header_error(c, c->split.error_at, err, JX_ESYNTAX, "header: %s",
                                 c->split.error == JXI_CSV_UNCLOSED
                                     ? "a quoted field is not closed"
                                     : "a character follows the closing quote of a field");
    r->ncols = (size_t)nf;
    r->cols = jxi_calloc(r->ncols, sizeof *r->cols);
    r->metric_col = jxi_malloc((r->nmetrics ? r->nmetrics : 1) * sizeof *r->metric_col);
    if (!r->cols || !r->metric_col)
        return csvr_nomem(r, err);
    for (size_t m = 0; m < r->nmetrics; m++)
        r->metric_col[m] = JX_NONE;
    char shown[256];
    for (size_t k = 0; k < r->ncols; k++) {
        const jxi_csv_cell *f = &c->split.f[k];
        const char *p = f->p;
        size_t len = f->n;
        while (len && (p[0] == ' ' || p[0] == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        jxi_csv_col *col = &r->cols[k];
        if (!(col->name = jxi_strndup(p, len)))
            return csvr_nomem(r, err);
        jxi_csv_quote_text(shown, 200, p, len);
        if (jxi_utf8_check(p, len) != (size_t)-1 || memchr(p, '\0', len))
            return csvr_header_error(c, f->raw, err, JX_ESYNTAX,
                                     "header: column \"%s\" is not valid UTF-8 text", shown);
        if (strcmp(col->name, "id") == 0) {
            if (r->id_col != JX_NONE)
                return csvr_header_error(c, f->raw, err, JX_EDUPLICATE,
                                         "header: two \"%s\" columns", "id");
            col->kind = JXI_CSVCOL_ID;
            r->id_col = k;
        } else if (strcmp(col->name, "not_applicable") == 0) {
            col->kind = JXI_CSVCOL_NA;
        } else {
            size_t m = jx_scheme_metric_find(r->s, col->name);
            if (m == JX_NONE)
                return csvr_header_error(c, f->raw, err, JX_EKEY,
                                         "header: column \"%s\" is not a metric of the scheme "
                                         "(nor id or not_applicable)", shown);
            if (r->metric_col[m] != JX_NONE)
                return csvr_header_error(c, f->raw, err, JX_EDUPLICATE,
                                         "header: two columns for metric \"%s\"", shown);
            r->metric_col[m] = k;
            col->kind = JXI_CSVCOL_METRIC;
            col->metric = m;
            col->type = jx_scheme_metric_type(r->s, m);
            col->plain = 1;
            if (col->type == JX_METRIC_LEVEL) {
                col->nlevels = jx_scheme_metric_level_count(r->s, m);
                col->levels = jxi_calloc(col->nlevels + 1, sizeof *col->levels);
                col->level_len = jxi_calloc(col->nlevels + 1, sizeof *col->level_len);
                if (!col->levels || !col->level_len)
                    return csvr_nomem(r, err);
                for (size_t v = 0; v < col->nlevels; v++) {
                    col->levels[v] = jx_scheme_metric_level(r->s, m, v);
                    col->level_len[v] = strlen(col->levels[v]);
                    double x;
                    if (col->level_len[v]
                        && jxi_parse_number(col->levels[v], col->level_len[v], &x)
                               == col->level_len[v])
                        col->plain = 0;
                }
            }
        }
    }
    if (r->id_col == JX_NONE && !(r->flags & JX_CSV_ID_OPTIONAL))
        return csvr_header_error(c, 0, err, JX_EREQUIRED, "header: no \"%s\" column", "id");
    return 0;
}

/* ---- Opening -------------------------------------------------------------------------- */

static void csvr_free_text(jx_csv_chunk *c)
{
    jxi_free(c->raw);
    jxi_free(c->rec_start);
    jxi_free(c->rec_end);
    jxi_free(c->rec_line);
    jxi_free(c->rec_offset);
    jxi_csv_fields_free(&c->split);
}

/* A reader whose source is set by the caller, with its header read. */
static jx_csv_reader *csvr_start(jx_csv_reader *r, jx_error *err)
{
    jx_csv_chunk head;
    memset(&head, 0, sizeof head);
    head.r = r;
    int rc = csvr_header(r, &head, err);
    csvr_free_text(&head);
    if (rc < 0) {
        jx_csv_free(r);
        return NULL;
    }
    return r;
}

static jx_csv_reader *csvr_new(const jx_scheme *s, const char *source, unsigned flags,
                               jx_error *err)
{
    if (!s) {
        jxi_error_set(err, JX_EARG, "no scheme");
        return NULL;
    }
    jx_csv_reader *r = jxi_calloc(1, sizeof *r);
    if (r)
        r->source = jxi_strdup(source);
    if (!r || !r->source) {
        jxi_free(r);
        jxi_error_set(err, JX_ENOMEM, "out of memory opening the CSV");
        jxi_error_source(err, source);
        return NULL;
    }
    r->s = s;
    r->flags = flags;
    r->fd = -1;
    r->line = 1;
    r->id_col = JX_NONE;
    r->nmetrics = jx_scheme_metric_count(s);
    r->ninds = jx_scheme_indicator_count(s);
    return r;
}

JX_API jx_csv_reader *jx_csv_open_fd(const jx_scheme *s, int fd, const char *source,
                                     unsigned flags, jx_error *err)
{
    if (fd < 0) {
        jxi_error_set(err, JX_EARG, "no file descriptor");
        return NULL;
    }
    jx_csv_reader *r = csvr_new(s, source ? source : "<fd>", flags, err);
    if (!r)
        return NULL;
    r->fd = fd;
    return csvr_start(r, err);
}

JX_API jx_csv_reader *jx_csv_open_file(const jx_scheme *s, const char *path, unsigned flags,
                                       jx_error *err)
{
    if (!path) {
        jxi_error_set(err, JX_EARG, "no file name");
        return NULL;
    }
    jx_csv_reader *r = csvr_new(s, path, flags, err);
    if (!r)
        return NULL;
    r->fd = open(path, O_RDONLY);
    if (r->fd < 0) {
        csvr_errno(r, err, errno, "open the file");
        jx_csv_free(r);
        return NULL;
    }
    r->own_fd = 1;
    return csvr_start(r, err);
}

JX_API jx_csv_reader *jx_csv_open_callback(const jx_scheme *s, jx_csv_read_fn read_fn,
                                           void *ctx, const char *source, unsigned flags,
                                           jx_error *err)
{
    if (!read_fn) {
        jxi_error_set(err, JX_EARG, "no read function");
        return NULL;
    }
    jx_csv_reader *r = csvr_new(s, source ? source : "<callback>", flags, err);
    if (!r)
        return NULL;
    r->fn = read_fn;
    r->ctx = ctx;
    return csvr_start(r, err);
}

JX_API jx_csv_reader *jx_csv_open_buffer(const jx_scheme *s, const char *buf, size_t len,
                                         const char *source, unsigned flags, jx_error *err)
{
    if (!buf && len) {
        jxi_error_set(err, JX_EARG, "no buffer");
        return NULL;
    }
    jx_csv_reader *r = csvr_new(s, source ? source : "<string>", flags, err);
    if (!r)
        return NULL;
    r->mem = buf ? buf : "";
    r->mem_len = len;
    return csvr_start(r, err);
}

JX_API void jx_csv_free(jx_csv_reader *r)
{
    if (!r)
        return;
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    for (size_t k = 0; k < r->ncols && r->cols; k++) {
        jxi_free(r->cols[k].name);
        jxi_free(r->cols[k].levels);
        jxi_free(r->cols[k].level_len);
    }
    jxi_free(r->cols);
    jxi_free(r->metric_col);
    jxi_free(r->carry);
    jxi_free(r->source);
    jxi_free(r);
}

JX_API const jx_scheme *jx_csv_scheme(const jx_csv_reader *r)
{
    return r ? r->s : NULL;
}

JX_API const char *jx_csv_source(const jx_csv_reader *r)
{
    return r ? r->source : NULL;
}

JX_API size_t jx_csv_column_count(const jx_csv_reader *r)
{
    return r ? r->ncols : 0;
}

JX_API const char *jx_csv_column_name(const jx_csv_reader *r, size_t k)
{
    return r && k < r->ncols ? r->cols[k].name : NULL;
}

JX_API size_t jx_csv_metric_column(const jx_csv_reader *r, size_t m)
{
    return r && m < r->nmetrics ? r->metric_col[m] : JX_NONE;
}

JX_API size_t jx_csv_id_column(const jx_csv_reader *r)
{
    return r ? r->id_col : JX_NONE;
}

JX_API long jx_csv_line(const jx_csv_reader *r)
{
    return r ? r->line : 0;
}

/* ---- Chunks --------------------------------------------------------------------------- */

JX_API jx_csv_chunk *jx_csv_chunk_new(const jx_csv_reader *r, size_t rows)
{
    if (!r)
        return NULL;
    if (rows == 0) {
        /* up to 4096, fewer for big schemes: a chunk's columns and scores
         * within about 4 MB */
        rows = (4u << 20) / (8 * (r->nmetrics + r->ninds + 2));
        rows = rows > 4096 ? 4096 : rows < 16 ? 16 : rows;
    }
    if (rows > JXI_CSV_MAX_ROWS)
        rows = JXI_CSV_MAX_ROWS;
    jx_csv_chunk *c = jxi_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->r = r;
    c->cap = rows;
    c->metrics = jxi_calloc(r->nmetrics ? r->nmetrics : 1, sizeof *c->metrics);
    c->na = jxi_calloc(r->ninds ? r->ninds : 1, sizeof *c->na);
    c->na_arg = jxi_calloc(r->ninds ? r->ninds : 1, sizeof *c->na_arg);
    c->na_used = jxi_calloc(r->ninds ? r->ninds : 1, sizeof *c->na_used);
    c->id_at = jxi_calloc(rows, sizeof *c->id_at);
    int ok = c->metrics && c->na && c->na_arg && c->na_used && c->id_at;
    for (size_t k = 0; ok && k < r->ncols; k++)
        if (r->cols[k].kind == JXI_CSVCOL_METRIC
            && !(c->metrics[r->cols[k].metric] = jxi_malloc(rows * sizeof(double))))
            ok = 0;
    if (!ok) {
        jx_csv_chunk_free(c);
        return NULL;
    }
    return c;
}

JX_API void jx_csv_chunk_free(jx_csv_chunk *c)
{
    if (!c)
        return;
    for (size_t m = 0; c->metrics && m < c->r->nmetrics; m++)
        jxi_free(c->metrics[m]);
    for (size_t i = 0; c->na && i < c->r->ninds; i++)
        jxi_free(c->na[i]);
    jxi_free(c->metrics);
    jxi_free(c->na);
    jxi_free(c->na_arg);
    jxi_free(c->na_used);
    jxi_free(c->id_at);
    jxi_free(c->ids);
    jxi_free(c->bad);
    csvr_free_text(c);
    jxi_free(c);
}

JX_API size_t jx_csv_chunk_capacity(const jx_csv_chunk *c)
{
    return c ? c->cap : 0;
}

JX_API int jx_csv_read_text(jx_csv_reader *r, jx_csv_chunk *c, jx_error *err)
{
    if (!r || !c || c->r != r) {
        jxi_error_set(err, JX_EARG, "%s", !r || !c ? "no reader or chunk"
                                                  : "the chunk was made for another reader");
        return JX_EARG;
    }
    /* the rows of the previous text are gone */
    c->nrows = c->nbad = 0;
    return csvr_cut(r, c, c->cap, err);
}

JX_API int jx_csv_read(jx_csv_reader *r, jx_csv_chunk *c, jx_error *err)
{
    int rc = jx_csv_read_text(r, c, err);
    if (rc <= 0)
        return rc;
    int prc = jx_csv_chunk_parse(r, c, err);
    return prc < 0 ? prc : 1;
}
