/*
 * jx-batch — score a CSV of many departments or projects with the batch API.
 *
 *     jx-batch SCHEME INPUT.csv [-o OUT.csv] [--threads N] [--strict]
 *     jx-batch --help | --version
 *
 * INPUT.csv (RFC 4180, UTF-8, "-" for stdin) has a header row naming its
 * columns, then one row per entity:
 *   id              the entity's id, copied to the output (required)
 *   METRIC          a metric of the scheme: an empty cell is missing; a
 *                   number is written 12.5 or -3 or 1.5e3 (never 12,5); a
 *                   bool is true/false/是/否/1/0; a level is its name
 *   not_applicable  (optional) ids of indicators that do not apply,
 *                   separated by ';'
 * A metric without a column is missing on every row.
 *
 * OUT.csv (stdout by default) has the columns id, then one per indicator
 * (its score; the header is the indicator's id), total, grade and complete
 * (1, or 0 when some leaf lacks data or cannot be computed).
 *
 * A row that cannot be read (a wrong number of fields, a value that is not
 * a number, a bool or level the metric does not have, an unknown indicator)
 * is reported on stderr with its line number and skipped, never scored;
 * with --strict the first such row stops the run. The input is streamed in
 * chunks of rows, so memory does not grow with its length; --threads N
 * reads, scores and formats N chunks at a time. A progress line (rows done,
 * rows per second) is shown when stderr is a terminal.
 *
 * Exit status: 0 every row scored, 1 some rows skipped, 2 error.
 *
 * The program never calls setlocale(); numbers are read with
 * jx_parse_number and written digit by digit, so no locale applies.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jixiao.h"

enum { EXIT_OK = 0, EXIT_SKIPPED = 1, EXIT_ERROR = 2 };

#define READ_SIZE (64 * 1024)
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

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* A growable byte buffer. */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_reserve(buf *b, size_t more)
{
    if (b->cap - b->len >= more)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < more)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

static void buf_put(buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("formatting failed");
    buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* s[0..n) as a CSV field: quoted when it holds a comma, a quote or a line
 * break. */
static void put_field(buf *b, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n)
        && !memchr(s, '\r', n)) {
        buf_put(b, s, n);
        return;
    }
    buf_reserve(b, 2 * n + 2);
    b->p[b->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            b->p[b->len++] = '"';
        b->p[b->len++] = s[i];
    }
    b->p[b->len++] = '"';
}

/* v, a decimal with at most `digits` decimals (the library rounded it),
 * at o with exactly that many decimals and '.' as the radix; returns the
 * end. At most 24 bytes. */
static char *fmt_fixed(char *o, double v, int digits)
{
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    char tmp[32], *t = tmp + sizeof tmp;
    if (!(v == v) || v > 1e15 || v < -1e15) {
        memcpy(o, "nan", 3);
        return o + 3;
    }
    int neg = v < 0;
    long long u = (long long)((neg ? -v : v) * p10[digits] + 0.5);
    if (u == 0)
        neg = 0; /* no "-0.00" */
    for (int k = 0; k < digits; k++) {
        *--t = (char)('0' + u % 10);
        u /= 10;
    }
    if (digits)
        *--t = '.';
    do {
        *--t = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        *--t = '-';
    memcpy(o, t, (size_t)(tmp + sizeof tmp - t));
    return o + (tmp + sizeof tmp - t);
}

/* ---- The scheme and the header -------------------------------------------- */

enum { COL_ID, COL_METRIC, COL_NA };

typedef struct column {
    int kind;
    size_t metric;
    int type;         /* the metric's jx_metric_type */
    const char *name; /* for messages */
} column;

typedef struct job {
    const jx_scheme *s;
    const char *input_name;
    size_t nmetrics, ninds;
    column *cols;
    size_t ncols;
    int strict, parse_only, precision;
    size_t rows; /* rows per chunk */
    char *header_out; /* the output's header row */
    size_t header_len;
    char **grade_field; /* each grade's label as a CSV field */
} job;

/* ---- Record splitting (RFC 4180) -------------------------------------------- */

typedef struct field {
    const char *p;
    size_t n;
} field;

/* Split record r[0..n) (no line break at its end) into fields; quoted
 * fields are unescaped into `scratch`. Returns the number of fields, or 0
 * with *why set when the record is malformed. */
static size_t split(const char *r, size_t n, field **fields, size_t *cap, buf *scratch,
                    const char **why)
{
    size_t nf = 0, i = 0;
    scratch->len = 0;
    buf_reserve(scratch, n); /* unescaping never grows; pointers stay valid */
    for (;;) {
        if (nf == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *fields = xrealloc(*fields, *cap * sizeof **fields);
        }
        field *f = &(*fields)[nf++];
        if (i < n && r[i] == '"') {
            f->p = scratch->p + scratch->len;
            for (i++;; i++) {
                if (i == n) {
                    *why = "a quoted field is not closed";
                    return 0;
                }
                if (r[i] == '"') {
                    if (i + 1 < n && r[i + 1] == '"')
                        i++;
                    else
                        break;
                }
                scratch->p[scratch->len++] = r[i];
            }
            f->n = (size_t)(scratch->p + scratch->len - f->p);
            i++;
            if (i < n && r[i] != ',') {
                *why = "a character follows the closing quote of a field";
                return 0;
            }
        } else {
            const char *c = memchr(r + i, ',', n - i);
            size_t end = c ? (size_t)(c - r) : n;
            f->p = r + i;
            f->n = end - i;
            i = end;
        }
        if (i == n)
            return nf;
        i++; /* the comma */
    }
}

static int eq(field f, const char *s)
{
    return strlen(s) == f.n && memcmp(f.p, s, f.n) == 0;
}

/* Without spaces and tabs at either end. */
static field trim(field f)
{
    while (f.n && (f.p[0] == ' ' || f.p[0] == '\t'))
        f.p++, f.n--;
    while (f.n && (f.p[f.n - 1] == ' ' || f.p[f.n - 1] == '\t'))
        f.n--;
    return f;
}

static int eq_nocase(field f, const char *s)
{
    if (strlen(s) != f.n)
        return 0;
    for (size_t i = 0; i < f.n; i++) {
        char c = f.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != s[i])
            return 0;
    }
    return 1;
}

/* ---- Chunks ----------------------------------------------------------------- */

enum { CHUNK_FREE, CHUNK_FILLED, CHUNK_BUSY, CHUNK_DONE };

typedef struct chunk {
    int state;
    /* input: whole records, where each starts and ends (before its line
     * break) in raw, and its line */
    buf raw;
    size_t nrecords, rec_cap;
    size_t *rec_start, *rec_end;
    long *rec_line;
    /* the rows read */
    size_t nrows;
    double **metrics;          /* per metric: a column, or NULL (no CSV column) */
    unsigned char **na;        /* per indicator: a column once used */
    const unsigned char **na_arg;
    size_t *na_used, nna_used; /* indicators marked in this chunk */
    buf ids;
    size_t *id_at;             /* per row: offset of its id in ids */
    /* results and output */
    double *scores, *totals;
    int *grades;
    unsigned char *complete;
    buf out;
    buf errs;
    size_t nbad;
    int stopped;               /* --strict: a bad row ended the chunk */
    int failed;                /* scoring failed: message in errs */
} chunk;

static void chunk_init(chunk *c, const job *j)
{
    memset(c, 0, sizeof *c);
    c->metrics = xcalloc(j->nmetrics, sizeof *c->metrics);
    for (size_t k = 0; k < j->ncols; k++)
        if (j->cols[k].kind == COL_METRIC)
            c->metrics[j->cols[k].metric] = xcalloc(j->rows, sizeof(double));
    c->na = xcalloc(j->ninds, sizeof *c->na);
    c->na_arg = xcalloc(j->ninds, sizeof *c->na_arg);
    c->na_used = xcalloc(j->ninds, sizeof *c->na_used);
    c->id_at = xcalloc(j->rows, sizeof *c->id_at);
    c->scores = xcalloc(j->rows * j->ninds, sizeof *c->scores);
    c->totals = xcalloc(j->rows, sizeof *c->totals);
    c->grades = xcalloc(j->rows, sizeof *c->grades);
    c->complete = xcalloc(j->rows, 1);
}

static void chunk_free(chunk *c, const job *j)
{
    for (size_t m = 0; m < j->nmetrics; m++)
        free(c->metrics[m]);
    for (size_t i = 0; i < j->ninds; i++)
        free(c->na[i]);
    free(c->metrics);
    free(c->na);
    free(c->na_arg);
    free(c->na_used);
    free(c->id_at);
    free(c->scores);
    free(c->totals);
    free(c->grades);
    free(c->complete);
    free(c->raw.p);
    free(c->rec_start);
    free(c->rec_end);
    free(c->rec_line);
    free(c->ids.p);
    free(c->out.p);
    free(c->errs.p);
}

/* Per worker: a batch workspace and scratch for splitting. */
typedef struct worker {
    jx_batch *b;
    field *fields;
    size_t cap;
    buf scratch;
} worker;

static void bad_row(const job *j, chunk *c, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void bad_row(const job *j, chunk *c, long line, const char *fmt, ...)
{
    va_list ap;
    char msg[512];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf_printf(&c->errs, "%s: %s:%ld: %s; %s\n", prog, j->input_name, line, msg,
               j->strict ? "stopping (--strict)" : "row skipped");
    c->nbad++;
}

/* Convert one field of row `row` into its column. Returns 0, or -1 after
 * reporting a bad row. */
static int read_value(const job *j, chunk *c, size_t row, long line, const column *col,
                      field f)
{
    size_t m = col->metric;
    double *v = &c->metrics[m][row];
    field t = trim(f);
    if (t.n == 0) {
        *v = NAN;
        return 0;
    }
    switch (col->type) {
    case JX_METRIC_BOOL:
        if (eq_nocase(t, "true") || eq(t, "是") || eq(t, "1"))
            *v = 1;
        else if (eq_nocase(t, "false") || eq(t, "否") || eq(t, "0"))
            *v = 0;
        else
            break;
        return 0;
    case JX_METRIC_LEVEL:
        for (size_t k = 0; k < jx_scheme_metric_level_count(j->s, m); k++) {
            if (eq(t, jx_scheme_metric_level(j->s, m, k))) {
                *v = (double)k;
                return 0;
            }
        }
        bad_row(j, c, line, "column \"%s\": \"%.*s\" is not a level of the metric", col->name,
                (int)(t.n > 60 ? 60 : t.n), t.p);
        return -1;
    default:
        if (jx_parse_number(t.p, t.n, v) == 0)
            return 0;
        bad_row(j, c, line, "column \"%s\": \"%.*s\" is not a number", col->name,
                (int)(t.n > 60 ? 60 : t.n), t.p);
        return -1;
    }
    bad_row(j, c, line, "column \"%s\": \"%.*s\" is not true/false/是/否/1/0", col->name,
            (int)(t.n > 60 ? 60 : t.n), t.p);
    return -1;
}

/* Mark the indicators listed in f not applicable for row `row`. */
static int read_na(const job *j, chunk *c, size_t row, long line, field f)
{
    while (f.n) {
        const char *semi = memchr(f.p, ';', f.n);
        field id = {f.p, semi ? (size_t)(semi - f.p) : f.n};
        f.p += id.n + (semi ? 1 : 0);
        f.n -= id.n + (semi ? 1 : 0);
        id = trim(id);
        if (!id.n)
            continue;
        char name[256];
        size_t i = JX_NONE;
        if (id.n < sizeof name) {
            memcpy(name, id.p, id.n);
            name[id.n] = '\0';
            i = jx_scheme_indicator_find(j->s, name);
        }
        if (i == JX_NONE) {
            bad_row(j, c, line, "not_applicable: no indicator \"%.*s\" in the scheme",
                    (int)(id.n > 60 ? 60 : id.n), id.p);
            return -1;
        }
        if (!c->na[i])
            c->na[i] = xcalloc(j->rows, 1);
        if (!c->na_arg[i]) {
            memset(c->na[i], 0, j->rows);
            c->na_arg[i] = c->na[i];
            c->na_used[c->nna_used++] = i;
        }
        c->na[i][row] = 1;
    }
    return 0;
}

/* Read the chunk's records into columns (skipping bad rows), score them
 * and format the output rows. */
static void process(const job *j, worker *w, chunk *c)
{
    c->nrows = c->nbad = 0;
    c->stopped = c->failed = 0;
    c->ids.len = c->out.len = c->errs.len = 0;
    for (size_t k = 0; k < c->nna_used; k++)
        c->na_arg[c->na_used[k]] = NULL;
    c->nna_used = 0;

    for (size_t r = 0; r < c->nrecords && !c->stopped; r++) {
        const char *rec = c->raw.p + c->rec_start[r];
        size_t n = c->rec_end[r] - c->rec_start[r];
        long rec_line = c->rec_line[r];
        if (n && rec[n - 1] == '\r')
            n--;
        if (n == 0)
            continue; /* a blank line */

        const char *why = NULL;
        size_t nf = split(rec, n, &w->fields, &w->cap, &w->scratch, &why);
        size_t row = c->nrows, ids_mark = c->ids.len, na_mark = c->nna_used;
        int ok = 1;
        if (nf == 0) {
            bad_row(j, c, rec_line, "%s", why);
            ok = 0;
        } else if (nf != j->ncols) {
            bad_row(j, c, rec_line, "%zu fields; the header has %zu", nf, j->ncols);
            ok = 0;
        }
        for (size_t k = 0; ok && k < nf; k++) {
            const column *col = &j->cols[k];
            field f = w->fields[k];
            if (col->kind == COL_ID) {
                c->id_at[row] = c->ids.len;
                buf_put(&c->ids, f.p, f.n);
                buf_put(&c->ids, "", 1);
            } else if (col->kind == COL_NA) {
                ok = read_na(j, c, row, rec_line, f) == 0;
            } else {
                ok = read_value(j, c, row, rec_line, col, f) == 0;
            }
        }
        if (ok) {
            c->nrows++;
            continue;
        }
        /* undo what the bad row left: its id and not-applicable marks */
        c->ids.len = ids_mark;
        for (size_t k = 0; k < c->nna_used; k++)
            c->na[c->na_used[k]][row] = 0;
        for (size_t k = na_mark; k < c->nna_used; k++)
            c->na_arg[c->na_used[k]] = NULL;
        c->nna_used = na_mark;
        if (j->strict)
            c->stopped = 1;
    }
    if (j->parse_only || c->nrows == 0)
        return;

    jx_error err;
    if (jx_batch_score(j->s, w->b, c->nrows, (const double *const *)c->metrics, j->nmetrics,
                       c->nna_used ? c->na_arg : NULL, j->ninds, c->scores, NULL, c->totals,
                       c->grades, c->complete, &err) < 0) {
        buf_printf(&c->errs, "%s: %s: %s\n", prog, j->input_name, err.message);
        c->failed = 1;
        return;
    }
    for (size_t k = 0; k < c->nrows; k++) {
        const char *id = c->ids.p + c->id_at[k];
        const char *g = j->grade_field[c->grades[k]];
        put_field(&c->out, id, strlen(id));
        buf_reserve(&c->out, 25 * (j->ninds + 1) + strlen(g) + 4);
        char *o = c->out.p + c->out.len;
        for (size_t i = 0; i < j->ninds; i++) {
            *o++ = ',';
            o = fmt_fixed(o, c->scores[k * j->ninds + i], j->precision);
        }
        *o++ = ',';
        o = fmt_fixed(o, c->totals[k], j->precision);
        *o++ = ',';
        memcpy(o, g, strlen(g));
        o += strlen(g);
        memcpy(o, c->complete[k] ? ",1\n" : ",0\n", 3);
        c->out.len = (size_t)(o + 3 - c->out.p);
    }
}

/* ---- The pipeline -------------------------------------------------------------
 * The main thread reads records into free chunks and writes finished ones
 * in order; workers take filled chunks in order, read, score and format
 * them. */

typedef struct pipeline {
    const job *j;
    chunk *chunks;
    size_t nchunks;
    size_t next_work; /* sequence number of the next chunk to process */
    int quit;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    worker *workers;
} pipeline;

typedef struct worker_arg {
    pipeline *pl;
    worker *w;
} worker_arg;

static void *worker_main(void *p)
{
    worker_arg *a = p;
    pipeline *pl = a->pl;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        chunk *c = &pl->chunks[pl->next_work % pl->nchunks];
        while (!pl->quit && c->state != CHUNK_FILLED) {
            pthread_cond_wait(&pl->work, &pl->mu);
            c = &pl->chunks[pl->next_work % pl->nchunks];
        }
        if (pl->quit)
            break;
        c->state = CHUNK_BUSY;
        pl->next_work++;
        pthread_mutex_unlock(&pl->mu);
        process(pl->j, a->w, c);
        pthread_mutex_lock(&pl->mu);
        c->state = CHUNK_DONE;
        pthread_cond_broadcast(&pl->done);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* The reader: a file descriptor, the records not yet handed out, and the
 * line count. */
typedef struct reader {
    int fd;
    int eof;
    buf carry;  /* the start of the next record(s) */
    long line;  /* line of the next record */
    int started;
} reader;

static void read_more(reader *rd, buf *b)
{
    buf_reserve(b, READ_SIZE);
    ssize_t n;
    do
        n = read(rd->fd, b->p + b->len, READ_SIZE);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        die("cannot read the input: %s", strerror(errno));
    if (n == 0)
        rd->eof = 1;
    /* a UTF-8 byte order mark at the very start is not part of the data */
    if (!rd->started && b->len == 0 && n >= 3 && memcmp(b->p, "\xEF\xBB\xBF", 3) == 0) {
        memmove(b->p, b->p + 3, (size_t)n - 3);
        n -= 3;
    }
    rd->started = 1;
    b->len += (size_t)n;
}

static size_t count_lines(const char *p, size_t n)
{
    size_t k = 0;
    for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        k++;
    return k;
}

static void add_record(chunk *c, size_t start, size_t end, long line)
{
    if (c->nrecords == c->rec_cap) {
        c->rec_cap = c->rec_cap ? c->rec_cap * 2 : 1024;
        c->rec_start = xrealloc(c->rec_start, c->rec_cap * sizeof *c->rec_start);
        c->rec_end = xrealloc(c->rec_end, c->rec_cap * sizeof *c->rec_end);
        c->rec_line = xrealloc(c->rec_line, c->rec_cap * sizeof *c->rec_line);
    }
    c->rec_start[c->nrecords] = start;
    c->rec_end[c->nrecords] = end;
    c->rec_line[c->nrecords++] = line;
}

/* Fill c with up to `rows` whole records: each ends at the first line
 * break outside quotes. Returns the number taken. */
static size_t fill(reader *rd, chunk *c, size_t rows)
{
    buf *b = &c->raw;
    size_t start = 0; /* of the record being looked for */
    b->len = 0;
    c->nrecords = 0;
    buf_put(b, rd->carry.p ? rd->carry.p : "", rd->carry.len);
    rd->carry.len = 0;
    for (;;) {
        while (c->nrecords < rows) {
            const char *nl = memchr(b->p + start, '\n', b->len - start);
            if (!nl)
                break;
            size_t end = (size_t)(nl - b->p);
            long lines = 1;
            if (memchr(b->p + start, '"', end - start)) {
                /* quotes: the break may be inside a field; look closely */
                int quoted = 0;
                size_t i = start;
                for (; i < b->len && (quoted || b->p[i] != '\n'); i++)
                    quoted ^= b->p[i] == '"';
                if (i == b->len)
                    break;
                end = i;
                lines += (long)count_lines(b->p + start, end - start);
            }
            add_record(c, start, end, rd->line);
            rd->line += lines;
            start = end + 1;
        }
        if (c->nrecords == rows || rd->eof)
            break;
        read_more(rd, b);
    }
    if (c->nrecords < rows && start < b->len) {
        /* the last record, without a line break (or with a quote not closed) */
        add_record(c, start, b->len, rd->line);
        rd->line += 1 + (long)count_lines(b->p + start, b->len - start);
        start = b->len;
    }
    /* what follows the last whole record goes to the next chunk */
    buf_put(&rd->carry, b->p + start, b->len - start);
    b->len = start;
    return c->nrecords;
}

/* ---- Setup ---------------------------------------------------------------- */

/* Read the header record and map its columns. */
static void read_header(reader *rd, job *j)
{
    chunk tmp;
    memset(&tmp, 0, sizeof tmp);
    if (fill(rd, &tmp, 1) == 0)
        die("%s: empty input; expected a header row", j->input_name);
    size_t n = tmp.rec_end[0];
    if (n && tmp.raw.p[n - 1] == '\r')
        n--;
    field *fields = NULL;
    size_t cap = 0;
    buf scratch = {0};
    const char *why = NULL;
    size_t nf = split(tmp.raw.p, n, &fields, &cap, &scratch, &why);
    if (nf == 0)
        die("%s:1: header: %s", j->input_name, why);
    j->cols = xcalloc(nf, sizeof *j->cols);
    j->ncols = nf;
    int have_id = 0;
    unsigned char *seen = xcalloc(j->nmetrics, 1);
    for (size_t k = 0; k < nf; k++) {
        field f = trim(fields[k]);
        char *name = xcalloc(f.n + 1, 1);
        memcpy(name, f.p, f.n);
        j->cols[k].name = name;
        if (strcmp(name, "id") == 0) {
            if (have_id++)
                die("%s:1: header: two \"id\" columns", j->input_name);
            j->cols[k].kind = COL_ID;
        } else if (strcmp(name, "not_applicable") == 0) {
            j->cols[k].kind = COL_NA;
        } else {
            size_t m = jx_scheme_metric_find(j->s, name);
            if (m == JX_NONE)
                die("%s:1: header: column \"%s\" is not a metric of the scheme (nor id or "
                    "not_applicable)", j->input_name, name);
            if (seen[m]++)
                die("%s:1: header: two columns for metric \"%s\"", j->input_name, name);
            j->cols[k].kind = COL_METRIC;
            j->cols[k].metric = m;
            j->cols[k].type = jx_scheme_metric_type(j->s, m);
        }
    }
    if (!have_id)
        die("%s:1: header: no \"id\" column", j->input_name);
    free(seen);
    free(fields);
    free(scratch.p);
    free(tmp.raw.p);
    free(tmp.rec_start);
    free(tmp.rec_end);
    free(tmp.rec_line);
}

static void make_output_header(job *j)
{
    buf b = {0};
    buf_put(&b, "id", 2);
    for (size_t i = 0; i < j->ninds; i++) {
        const char *id = jx_scheme_indicator_id(j->s, i);
        buf_put(&b, ",", 1);
        put_field(&b, id, strlen(id));
    }
    buf_put(&b, ",total,grade,complete\n", 22);
    j->header_out = b.p;
    j->header_len = b.len;
    size_t ng = jx_scheme_grade_count(j->s);
    j->grade_field = xcalloc(ng, sizeof *j->grade_field);
    for (size_t g = 0; g < ng; g++) {
        buf f = {0};
        const char *label = jx_scheme_grade_label(j->s, g);
        put_field(&f, label, strlen(label));
        buf_put(&f, "", 1);
        j->grade_field[g] = f.p;
    }
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
    int nthreads = 1;
    job j;
    memset(&j, 0, sizeof j);
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
            j.strict = 1;
        } else if (!strcmp(a, "--parse-only")) {
            j.parse_only = 1; /* read and check only, write nothing: for timing */
        } else if (a[0] == '-' && a[1]) {
            usage(stderr);
            return EXIT_ERROR;
        } else if (!scheme_path) {
            scheme_path = a;
        } else if (!input_path) {
            input_path = a;
        } else {
            usage(stderr);
            return EXIT_ERROR;
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
    j.s = s;
    j.nmetrics = jx_scheme_metric_count(s);
    j.ninds = jx_scheme_indicator_count(s);
    j.precision = jx_scheme_precision(s);
    if (j.precision < 0 || j.precision > 9)
        die("the scheme's precision %d is outside 0..9", j.precision);
    /* Rows per chunk: up to 4096, fewer for big schemes, so that a chunk's
     * columns and scores stay within about 4 MB. */
    j.rows = (4u << 20) / (8 * (j.nmetrics + j.ninds + 2));
    j.rows = j.rows > 4096 ? 4096 : j.rows < 16 ? 16 : j.rows;

    reader rd;
    memset(&rd, 0, sizeof rd);
    rd.line = 1;
    j.input_name = strcmp(input_path, "-") ? input_path : "<stdin>";
    rd.fd = strcmp(input_path, "-") ? open(input_path, O_RDONLY) : 0;
    if (rd.fd < 0)
        die("cannot open %s: %s", input_path, strerror(errno));
    int out_fd = 1;
    if (out_path && strcmp(out_path, "-")) {
        out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (out_fd < 0)
            die("cannot create %s: %s", out_path, strerror(errno));
    }
    const char *out_name = out_path ? out_path : "<stdout>";
    read_header(&rd, &j);
    make_output_header(&j);
    /* One line for the metrics without a column (a typo in the header
     * shows up here). */
    size_t nomiss = 0;
    buf names = {0};
    for (size_t m = 0; m < j.nmetrics; m++) {
        size_t k = 0;
        while (k < j.ncols && !(j.cols[k].kind == COL_METRIC && j.cols[k].metric == m))
            k++;
        if (k < j.ncols)
            continue;
        if (nomiss++ < 5)
            buf_printf(&names, "%s\"%s\"", nomiss > 1 ? ", " : "", jx_scheme_metric_name(s, m));
    }
    if (nomiss) {
        buf_put(&names, "", 1);
        fprintf(stderr, "%s: %s: %zu metric%s without a column, missing on every row: %s%s\n",
                prog, j.input_name, nomiss, nomiss == 1 ? "" : "s", names.p,
                nomiss > 5 ? ", ..." : "");
    }
    free(names.p);
    if (!j.parse_only)
        write_all(out_fd, j.header_out, j.header_len, out_name);

    pipeline pl;
    memset(&pl, 0, sizeof pl);
    pl.j = &j;
    pl.nchunks = (size_t)nthreads + 2;
    pl.chunks = xcalloc(pl.nchunks, sizeof *pl.chunks);
    for (size_t k = 0; k < pl.nchunks; k++)
        chunk_init(&pl.chunks[k], &j);
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.work, NULL);
    pthread_cond_init(&pl.done, NULL);
    pl.workers = xcalloc((size_t)nthreads, sizeof *pl.workers);
    worker_arg *args = xcalloc((size_t)nthreads, sizeof *args);
    pthread_t *tids = xcalloc((size_t)nthreads, sizeof *tids);
    for (int t = 0; t < nthreads; t++) {
        if (!(pl.workers[t].b = jx_batch_new(s)))
            die("out of memory");
        args[t] = (worker_arg){&pl, &pl.workers[t]};
        if (pthread_create(&tids[t], NULL, worker_main, &args[t]) != 0)
            die("cannot start a thread");
    }

    int progress = isatty(2);
    double t0 = now(), last = t0;
    size_t next_fill = 0, next_write = 0, rows_done = 0, rows_bad = 0;
    int status = EXIT_OK, stop = 0;
    pthread_mutex_lock(&pl.mu);
    for (;;) {
        chunk *w = &pl.chunks[next_write % pl.nchunks];
        if (next_write < next_fill && w->state == CHUNK_DONE) {
            /* write it, outside the lock (workers do not touch it) */
            pthread_mutex_unlock(&pl.mu);
            if (!stop) { /* after a stop, chunks still in flight are dropped */
                if (w->errs.len)
                    write_all(2, w->errs.p, w->errs.len, "stderr");
                if (!j.parse_only)
                    write_all(out_fd, w->out.p, w->out.len, out_name);
                rows_done += w->nrows;
                rows_bad += w->nbad;
                if (w->failed)
                    status = EXIT_ERROR, stop = 1;
                if (w->stopped)
                    stop = 1;
            }
            if (progress && now() - last >= 0.5) {
                last = now();
                fprintf(stderr, "\r%s: %zu rows, %.0f rows/s ", prog, rows_done,
                        (double)rows_done / (last - t0));
            }
            pthread_mutex_lock(&pl.mu);
            w->state = CHUNK_FREE;
            next_write++;
            continue;
        }
        chunk *f = &pl.chunks[next_fill % pl.nchunks];
        if (!stop && !(rd.eof && rd.carry.len == 0) && f->state == CHUNK_FREE) {
            pthread_mutex_unlock(&pl.mu);
            size_t got = fill(&rd, f, j.rows);
            pthread_mutex_lock(&pl.mu);
            if (got) {
                f->state = CHUNK_FILLED;
                next_fill++;
                pthread_cond_broadcast(&pl.work);
            }
            continue;
        }
        if (next_write == next_fill && (stop || (rd.eof && rd.carry.len == 0)))
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

    for (size_t k = 0; k < pl.nchunks; k++)
        chunk_free(&pl.chunks[k], &j);
    for (int t = 0; t < nthreads; t++) {
        jx_batch_free(pl.workers[t].b);
        free(pl.workers[t].fields);
        free(pl.workers[t].scratch.p);
    }
    for (size_t k = 0; k < j.ncols; k++)
        free((char *)j.cols[k].name);
    for (size_t g = 0; g < jx_scheme_grade_count(s); g++)
        free(j.grade_field[g]);
    free(j.grade_field);
    free(j.cols);
    free(j.header_out);
    free(rd.carry.p);
    free(pl.chunks);
    free(pl.workers);
    free(args);
    free(tids);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.work);
    pthread_cond_destroy(&pl.done);
    if (rd.fd > 0)
        close(rd.fd);
    jx_scheme_free(s);
    return status;
}
