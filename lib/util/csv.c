/* The CSV parser (csv.h): RFC 4180 quoting, UTF-8 with or without a BOM. */
#include <stdio.h>
#include <string.h>

#include "util/csv.h"

/* ---- Records in streamed text --------------------------------------------- */

enum { SCAN_START, SCAN_PLAIN, SCAN_QUOTED, SCAN_QUOTE };

static long csv_count_lf(const char *p, size_t n)
{
    long k = 0;
    for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        k++;
    return k;
}

int jxi_csv_scan(jxi_csv_scan_state *s, const char *rec, size_t n, size_t *end)
{
    size_t i = s->at;
    while (i < n) {
        if (s->state == SCAN_QUOTED) {
            /* to the next quote; line feeds in between are data */
            const char *q = memchr(rec + i, '"', n - i);
            size_t stop = q ? (size_t)(q - rec) : n;
            s->lines += csv_count_lf(rec + i, stop - i);
            i = stop;
            if (!q)
                break;
            i++;
            s->state = SCAN_QUOTE;
            continue;
        }
        if (s->state == SCAN_QUOTE) {
            /* "" is a quote inside the field; anything else closes it */
            if (rec[i] == '"') {
                i++;
                s->state = SCAN_QUOTED;
                continue;
            }
            s->state = SCAN_PLAIN;
        }
        /* Outside quotes: the next line feed ends the record unless a
         * quote opening a field comes first (most records have none). */
        const char *nl = memchr(rec + i, '\n', n - i);
        size_t stop = nl ? (size_t)(nl - rec) : n;
        const char *q = memchr(rec + i, '"', stop - i);
        if (!q) {
            if (nl) {
                s->at = stop;
                *end = stop;
                return 1;
            }
            if (stop > i)
                s->state = rec[stop - 1] == ',' ? SCAN_START : SCAN_PLAIN;
            i = stop;
            break;
        }
        size_t qi = (size_t)(q - rec);
        int opens = qi == i ? s->state == SCAN_START : rec[qi - 1] == ',';
        s->state = opens ? SCAN_QUOTED : SCAN_PLAIN;
        i = qi + 1;
    }
    s->at = i;
    return 0;
}

/* ---- Fields of one record ----------------------------------------------------- */

static int csv_grow_fields(jxi_csv_fields *sp)
{
    size_t cap = sp->cap ? sp->cap * 2 : 64;
    jxi_csv_cell *f = jxi_realloc(sp->f, cap * sizeof *f);
    if (!f)
        return JX_ENOMEM;
    sp->f = f;
    sp->cap = cap;
    return 0;
}

long jxi_csv_split(jxi_csv_fields *sp, const char *r, size_t n)
{
    /* Unquoting never makes a field longer, so the scratch never moves
     * while the fields point into it. */
    if (sp->scratch_cap < n || !sp->scratch) {
        size_t cap = n < 256 ? 256 : n;
        char *s = jxi_realloc(sp->scratch, cap);
        if (!s)
            return JX_ENOMEM;
        sp->scratch = s;
        sp->scratch_cap = cap;
    }
    char *o = sp->scratch;
    size_t nf = 0, i = 0;
    sp->nf = 0;
    sp->error = 0;
    for (;;) {
        if (nf == sp->cap && csv_grow_fields(sp) < 0)
            return JX_ENOMEM;
        jxi_csv_cell *f = &sp->f[nf];
        f->raw = i;
        if (i < n && r[i] == '"') {
            size_t open = i++;
            f->p = o;
            for (;;) {
                const char *q = memchr(r + i, '"', n - i);
                if (!q) {
                    sp->nf = nf;
                    sp->error = JXI_CSV_UNCLOSED;
                    sp->error_at = open;
                    return 0;
                }
                size_t k = (size_t)(q - r) - i;
                memcpy(o, r + i, k);
                o += k;
                i += k + 1;
                if (i < n && r[i] == '"') {
                    *o++ = '"';
                    i++;
                    continue;
                }
                break;
            }
            f->n = (size_t)(o - f->p);
            if (i < n && r[i] != ',') {
                sp->nf = nf;
                sp->error = JXI_CSV_AFTER_QUOTE;
                sp->error_at = i;
                return 0;
            }
        } else {
            /* fields are mostly short: a byte loop first, memchr for long ones */
            size_t e = i, stop = n - i > 24 ? i + 24 : n;
            while (e < stop && r[e] != ',')
                e++;
            if (e == stop && e < n) {
                const char *c = memchr(r + e, ',', n - e);
                e = c ? (size_t)(c - r) : n;
            }
            f->p = r + i;
            f->n = e - i;
            i = e;
        }
        f->raw_end = i;
        nf++;
        if (i == n) {
            sp->nf = nf;
            return (long)nf;
        }
        i++; /* the comma */
    }
}

void jxi_csv_fields_free(jxi_csv_fields *sp)
{
    jxi_free(sp->f);
    jxi_free(sp->scratch);
    memset(sp, 0, sizeof *sp);
}

/* ---- Records of a buffer held in memory ------------------------------------------ */

void jxi_csv_init(jxi_csv *c, const char *buf, size_t len, const char *source)
{
    memset(c, 0, sizeof *c);
    c->buf = buf;
    c->len = len;
    c->source = source ? source : "<string>";
    c->line = 1;
    /* Spreadsheet programs write a BOM when saving "CSV UTF-8". */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
    jxi_buf_init(&c->text);
}

void jxi_csv_free(jxi_csv *c)
{
    jxi_buf_free(&c->text);
    jxi_free(c->starts);
    jxi_free(c->lens);
    jxi_csv_fields_free(&c->split);
    c->starts = c->lens = NULL;
    c->nfields = c->cap = 0;
}

static int push_field(jxi_csv *c, const char *p, size_t n)
{
    if (c->nfields == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        size_t *s = jxi_realloc(c->starts, cap * sizeof *s);
        if (!s)
            return JX_ENOMEM;
        c->starts = s;
        size_t *l = jxi_realloc(c->lens, cap * sizeof *l);
        if (!l)
            return JX_ENOMEM;
        c->lens = l;
        c->cap = cap;
    }
    c->starts[c->nfields] = c->text.len;
    c->lens[c->nfields] = n;
    c->nfields++;
    jxi_buf_append(&c->text, p, n);
    jxi_buf_putc(&c->text, '\0');
    return c->text.failed ? JX_ENOMEM : 0;
}

static int fail(jxi_csv *c, jx_error *err, size_t field, size_t at, const char *what)
{
    jxi_error_set(err, JX_ESYNTAX, "%s: record %ld, field %zu: %s", c->source, c->record,
                  field + 1, what);
    if (err) {
        jxi_error_source(err, c->source);
        err->offset = (long)at;
        jxi_line_column(c->buf, c->len, at, &err->line, &err->column);
    }
    return JX_ESYNTAX;
}

/* Invalid UTF-8 in raw bytes [from, to) of field `field`: named with the
 * record and field, and GBK when it looks like GBK (jxi_utf8_error). */
static int check_utf8(jxi_csv *c, jx_error *err, size_t field, size_t from, size_t to)
{
    size_t bad = jxi_utf8_check(c->buf + from, to - from);
    if (bad == (size_t)-1)
        return 0;
    char what[JX_ERROR_SOURCE_LENGTH + 64];
    snprintf(what, sizeof what, "%s (record %ld, field %zu)", c->source, c->record, field + 1);
    jxi_utf8_error(err, what, c->buf, c->len, from + bad);
    jxi_error_source(err, c->source);
    return JX_ESYNTAX;
}

int jxi_csv_next(jxi_csv *c, jx_error *err)
{
    if (c->pos >= c->len)
        return 0;
    c->record++;
    c->record_line = c->line;
    c->nfields = 0;
    c->text.len = 0;
    if (c->text.data)
        c->text.data[0] = '\0';
    const char *rec = c->buf + c->pos;
    size_t avail = c->len - c->pos, end = avail;
    jxi_csv_scan_state scan = {0, 0, 0};
    int ended = jxi_csv_scan(&scan, rec, avail, &end);
    size_t n = ended ? end : avail;
    if (n && rec[n - 1] == '\r')
        n--;
    long nf = jxi_csv_split(&c->split, rec, n);
    if (nf < 0)
        return (int)nf;
    /* Fields in order: a bad byte in an earlier field is named before a
     * quoting error in a later one. */
    size_t good = nf ? (size_t)nf : c->split.nf;
    for (size_t k = 0; k < good; k++) {
        const jxi_csv_cell *f = &c->split.f[k];
        int rc = check_utf8(c, err, k, c->pos + f->raw, c->pos + f->raw_end);
        if (rc < 0)
            return rc;
        rc = push_field(c, f->p, f->n);
        if (rc < 0)
            return rc;
    }
    if (nf == 0)
        return fail(c, err, good, c->pos + c->split.error_at,
                    c->split.error == JXI_CSV_UNCLOSED
                        ? "a quoted field is not closed (expected '\"')"
                        : "text after a closing quote (expected ',' or the end of the line)");
    c->line += (int)scan.lines + (ended ? 1 : 0);
    c->pos += ended ? end + 1 : avail;
    return 1;
}

size_t jxi_csv_count(const jxi_csv *c)
{
    return c->nfields;
}

const char *jxi_csv_field(const jxi_csv *c, size_t i, size_t *len)
{
    if (i >= c->nfields) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = c->lens[i];
    return c->text.data + c->starts[i];
}

int jxi_csv_blank(const jxi_csv *c)
{
    for (size_t i = 0; i < c->nfields; i++) {
        const char *f = c->text.data + c->starts[i];
        for (size_t k = 0; k < c->lens[i]; k++)
            if (f[k] != ' ' && f[k] != '\t')
                return 0;
    }
    return 1;
}
