/* Batches from CSV: a chunk's records into columns (csv_batch.h). A row
 * that cannot be read leaves nothing behind (its id and marks are undone)
 * and is reported with the line and column of the field at fault. Only
 * the reader's header is read here, so chunks may be parsed on several
 * threads at once. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval/csv_batch.h"
#include "util/num.h"

/* ---- Errors --------------------------------------------------------------------------- */

void jxi_csv_quote_text(char *out, size_t max, const char *s, size_t n)
{
    size_t o = 0, i = 0;
    while (i < n) {
        uint32_t cp = 0;
        size_t k = jxi_utf8_decode(s + i, n - i, &cp);
        if (k == 0 || cp == 0) {
            if (o + 1 > max)
                break;
            out[o++] = '?';
            i++;
            continue;
        }
        if (o + k > max)
            break;
        memcpy(out + o, s + i, k);
        o += k;
        i += k;
    }
    out[o] = '\0';
}

static void csvp_errorv(const jx_csv_chunk *c, size_t rec, size_t at, const char *column,
                        jx_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return;
    jxi_error_setv(err, code, fmt, ap);
    jxi_error_source(err, c->r->source);
    if (column)
        jxi_error_path(err, column);
    int line, col;
    jxi_line_column(c->raw + c->rec_start[rec], c->rec_end[rec] - c->rec_start[rec], at, &line,
                    &col);
    err->line = (int)(c->rec_line[rec] + line - 1);
    err->column = col;
    err->offset = c->rec_offset[rec] + (long)at;
}

void jxi_csv_row_error(const jx_csv_chunk *c, size_t rec, size_t at, const char *column,
                       jx_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    csvp_errorv(c, rec, at, column, err, code, fmt, ap);
    va_end(ap);
}

/* Record the bad row: 1, or JX_ENOMEM. */
static int csvp_bad(jx_csv_chunk *c, size_t rec, size_t at, const char *column, int code,
                    const char *fmt, ...) JXI_PRINTF(6, 7);

static int csvp_bad(jx_csv_chunk *c, size_t rec, size_t at, const char *column, int code,
                    const char *fmt, ...)
{
    if (c->nbad == c->bad_cap) {
        size_t cap = c->bad_cap ? c->bad_cap * 2 : 8;
        jx_error *b = jxi_realloc(c->bad, cap * sizeof *b);
        if (!b)
            return JX_ENOMEM;
        c->bad = b;
        c->bad_cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    csvp_errorv(c, rec, at, column, &c->bad[c->nbad++], code, fmt, ap);
    va_end(ap);
    return 1;
}

/* ---- Values --------------------------------------------------------------------------- */

static int csvp_is(const char *p, size_t n, const char *word)
{
    size_t k = strlen(word);
    return n == k && memcmp(p, word, k) == 0;
}

static int csvp_is_nocase(const char *p, size_t n, const char *word)
{
    if (strlen(word) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != word[i])
            return 0;
    }
    return 1;
}

static int csvp_number(const char *p, size_t n, double *v)
{
    return jxi_parse_number(p, n, v) == n && isfinite(*v);
}

/* A bool or level cell p[0..n) written as a word: true/false (any case) or
 * 是/否, a level's name. 1 with *v, else 0. */
static int csvp_word(const jxi_csv_col *col, const char *p, size_t n, double *v)
{
    if (col->type == JX_METRIC_BOOL) {
        /* the first byte tells which word it can be */
        if ((n == 4 && (p[0] | 0x20) == 't' && csvp_is_nocase(p, n, "true"))
            || (n == 3 && p[0] == '\xE6' && csvp_is(p, n, "是")))
            *v = 1;
        else if ((n == 5 && (p[0] | 0x20) == 'f' && csvp_is_nocase(p, n, "false"))
                 || (n == 3 && p[0] == '\xE5' && csvp_is(p, n, "否")))
            *v = 0;
        else
            return 0;
        return 1;
    }
    for (size_t k = 0; k < col->nlevels; k++)
        if (n == col->level_len[k] && memcmp(p, col->levels[k], n) == 0) {
            *v = (double)k;
            return 1;
        }
    return 0;
}

/* A bool or level written as a number x (JX_CSV_CODES, and "1"/"0" for a
 * bool): 1 with *v when x is 0 or 1, or a level's index, else 0. */
JXI_HOT_INLINE int csvp_code(const jxi_csv_col *col, double x, double *v)
{
    if (col->type == JX_METRIC_BOOL) {
        if (!(x == 0 || x == 1))
            return 0;
        *v = x == 0 ? 0 : 1;
        return 1;
    }
    if (!(x >= 0 && x < (double)col->nlevels && x == floor(x)))
        return 0;
    *v = x;
    return 1;
}

/* One metric cell of row `row` (record `rec`): 0, 1 (a bad row, recorded)
 * or JX_ENOMEM. */
static int csvp_value(const jx_csv_reader *r, jx_csv_chunk *c, size_t rec, size_t row,
                      const jxi_csv_col *col, const jxi_csv_cell *f)
{
    double *v = &c->metrics[col->metric][row];
    const char *p = f->p;
    size_t n = f->n;
    while (n && (p[0] == ' ' || p[0] == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0) {
        *v = NAN;
        return 0;
    }
    int codes = (r->flags & JX_CSV_CODES) != 0;
    double x;
    char shown[64];
    switch (col->type) {
    case JX_METRIC_BOOL:
        if (csvp_word(col, p, n, v))
            return 0;
        if (n == 1 && (p[0] == '1' || p[0] == '0')) {
            *v = p[0] == '1';
            return 0;
        }
        if (codes && csvp_number(p, n, &x) && csvp_code(col, x, v))
            return 0;
        break;
    case JX_METRIC_LEVEL:
        if (csvp_word(col, p, n, v)
            || (codes && csvp_number(p, n, &x) && csvp_code(col, x, v)))
            return 0;
        jxi_csv_quote_text(shown, 60, p, n);
        return csvp_bad(c, rec, f->raw, col->name, JX_ELEVEL,
                        "column \"%s\": \"%s\" is not a level of the metric", col->name, shown);
    default:
        if (csvp_number(p, n, v))
            return 0;
        jxi_csv_quote_text(shown, 60, p, n);
        return csvp_bad(c, rec, f->raw, col->name, JX_EVALUE,
                        "column \"%s\": \"%s\" is not a number", col->name, shown);
    }
    jxi_csv_quote_text(shown, 60, p, n);
    return csvp_bad(c, rec, f->raw, col->name, JX_EVALUE,
                    "column \"%s\": \"%s\" is not true/false/是/否/1/0", col->name, shown);
}

/* The indicators a not_applicable cell lists, marked for row `row`. */
static int csvp_na(const jx_csv_reader *r, jx_csv_chunk *c, size_t rec, size_t row,
                   const jxi_csv_col *col, const jxi_csv_cell *f)
{
    const char *p = f->p;
    size_t n = f->n;
    while (n) {
        const char *semi = memchr(p, ';', n);
        const char *id = p;
        size_t len = semi ? (size_t)(semi - p) : n;
        p += len + (semi ? 1 : 0);
        n -= len + (semi ? 1 : 0);
        while (len && (id[0] == ' ' || id[0] == '\t'))
            id++, len--;
        while (len && (id[len - 1] == ' ' || id[len - 1] == '\t'))
            len--;
        if (!len)
            continue;
        char name[256];
        size_t i = JX_NONE;
        if (len < sizeof name && !memchr(id, '\0', len)) {
            memcpy(name, id, len);
            name[len] = '\0';
            i = jx_scheme_indicator_find(r->s, name);
        }
        if (i == JX_NONE) {
            char shown[64];
            jxi_csv_quote_text(shown, 60, id, len);
            return csvp_bad(c, rec, f->raw, col->name, JX_ENOTFOUND,
                            "not_applicable: no indicator \"%s\" in the scheme", shown);
        }
        if (!c->na[i] && !(c->na[i] = jxi_malloc(c->cap)))
            return JX_ENOMEM;
        if (!c->na_arg[i]) {
            memset(c->na[i], 0, c->cap);
            c->na_arg[i] = c->na[i];
            c->na_used[c->nna_used++] = i;
        }
        c->na[i][row] = 1;
    }
    return 0;
}

/* An id is UTF-8 text without NUL. */
static int csvp_id_ok(const char *p, size_t n)
{
    return jxi_utf8_check(p, n) == (size_t)-1 && !memchr(p, '\0', n);
}

static int csvp_put_id(jx_csv_chunk *c, const char *p, size_t n)
{
    if (c->ids_cap - c->ids_len < n + 1) {
        size_t cap = c->ids_cap ? c->ids_cap : 4096;
        while (cap - c->ids_len < n + 1)
            cap *= 2;
        char *b = jxi_realloc(c->ids, cap);
        if (!b)
            return JX_ENOMEM;
        c->ids = b;
        c->ids_cap = cap;
    }
    memcpy(c->ids + c->ids_len, p, n);
    c->ids[c->ids_len + n] = '\0';
    c->ids_len += n + 1;
    return 0;
}

/* Undo a row's not-applicable marks: those of row `row`, and the
 * indicators first marked since na_mark. */
static void csvp_undo_na(jx_csv_chunk *c, size_t row, size_t na_mark)
{
    for (size_t k = 0; k < c->nna_used; k++)
        c->na[c->na_used[k]][row] = 0;
    for (size_t k = na_mark; k < c->nna_used; k++)
        c->na_arg[c->na_used[k]] = NULL;
    c->nna_used = na_mark;
}

/* Record `rec` (rec_text[0..n), no line break) as row c->nrows: 0, 1 (bad,
 * recorded) or JX_ENOMEM. */
static int csvp_row(const jx_csv_reader *r, jx_csv_chunk *c, size_t rec, const char *text,
                    size_t n)
{
    long nf = jxi_csv_split(&c->split, text, n);
    if (nf < 0)
        return JX_ENOMEM;
    if (nf == 0)
        return csvp_bad(c, rec, c->split.error_at, NULL, JX_ESYNTAX, "%s",
                        c->split.error == JXI_CSV_UNCLOSED
                            ? "a quoted field is not closed"
                            : "a character follows the closing quote of a field");
    if ((size_t)nf != r->ncols)
        return csvp_bad(c, rec, (size_t)nf > r->ncols ? c->split.f[r->ncols].raw : n, NULL,
                        JX_ESYNTAX, "%ld fields; the header has %zu", nf, r->ncols);
    size_t row = c->nrows, na_mark = c->nna_used;
    int rc = 0;
    for (size_t k = 0; k < r->ncols && rc == 0; k++) {
        const jxi_csv_col *col = &r->cols[k];
        const jxi_csv_cell *f = &c->split.f[k];
        if (col->kind == JXI_CSVCOL_METRIC) {
            rc = csvp_value(r, c, rec, row, col, f);
        } else if (col->kind == JXI_CSVCOL_NA) {
            rc = csvp_na(r, c, rec, row, col, f);
        } else if (!csvp_id_ok(f->p, f->n)) {
            rc = csvp_bad(c, rec, f->raw, col->name, JX_ESYNTAX,
                          "column \"%s\": the id is not valid UTF-8 text", col->name);
        }
    }
    if (rc == 0) {
        size_t at = c->ids_len;
        rc = r->id_col == JX_NONE ? csvp_put_id(c, "", 0)
                                  : csvp_put_id(c, c->split.f[r->id_col].p,
                                                c->split.f[r->id_col].n);
        if (rc == 0) {
            c->id_at[row] = at;
            c->nrows++;
            return 0;
        }
    }
    csvp_undo_na(c, row, na_mark);
    return rc;
}

/* ---- The fast path ------------------------------------------------------------------------ */

#define CSVP_SLOW 2

/* A plain decimal at *sp ("12", "-3.5", ".5", "5."; at most 15 digits, no
 * blanks or exponent) ending at a comma or at e: 1 with *x and *sp moved
 * past it, else 0. The value is jxi_parse_number's exact case, m / 10^k
 * with both exact doubles, so the bits are those the general path gives. */
JXI_HOT_INLINE int csvp_plain_number(const char **sp, const char *e, double *x)
{
    const char *s = *sp;
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    uint64_t m = 0, whole;
    int nd = 0, frac = 0;
    for (; s < e && (unsigned char)(*s - '0') < 10; s++, nd++)
        m = m * 10 + (uint64_t)(*s - '0');
    whole = m;
    unsigned fz = 0; /* nonzero when a decimal is not 0 */
    if (s < e && *s == '.')
        for (s++; s < e && (unsigned char)(*s - '0') < 10; s++, frac++) {
            m = m * 10 + (uint64_t)(*s - '0');
            fz |= (unsigned)(*s - '0');
        }
    if (nd + frac == 0 || nd + frac > 15 || (s < e && *s != ','))
        return 0;
    /* "523.0" is 5230 / 10, exactly 523: no division needed */
    double v = fz ? (double)m / jxi_pow10[frac] : (double)whole;
    *x = neg ? -v : v;
    *sp = s;
    return 1;
}

/* One metric cell at *sp: 1 with *x (NaN when empty) and *sp at the comma
 * or the end, or 0 when the general path must read it. */
JXI_HOT_INLINE int csvp_plain_cell(const jxi_csv_col *col, int codes, const char **sp, const char *e,
                           double *x)
{
    const char *f = *sp;
    if (f == e || *f == ',') {
        *x = NAN;
        return 1;
    }
    /* a level whose names are numbers: the names come first */
    if (!(col->type == JX_METRIC_LEVEL && !col->plain) && csvp_plain_number(sp, e, x))
        /* a bool or level as a code; "1"/"0" is a bool without codes too */
        return col->type == JX_METRIC_NUMBER
               || ((codes || (col->type == JX_METRIC_BOOL && *sp - f == 1))
                   && csvp_code(col, *x, x));
    if (col->type == JX_METRIC_NUMBER)
        return 0;
    const char *q = memchr(f, ',', (size_t)(e - f));
    size_t n = (size_t)((q ? q : e) - f);
    /* blanks are trimmed and quotes undone by the general path only */
    if (f[0] == ' ' || f[0] == '\t' || f[0] == '"' || f[n - 1] == ' ' || f[n - 1] == '\t'
        || !csvp_word(col, f, n, x))
        return 0;
    *sp = f + n;
    return 1;
}

/* Record `rec` (text[0..n)) as row c->nrows when it is of the plain kind
 * most files are made of: no quoted field, metric cells empty, plain
 * decimals or bool and level words without blanks, and not_applicable
 * cells. Such a row is read in one pass without splitting it into fields
 * first. Anything else returns CSVP_SLOW having kept nothing (its marks
 * undone, only the row's own value slots written), and csvp_row reads it
 * again and gives any error: its values and errors are those of the
 * general path (tests/test_csv.c compares the two). */
static int csvp_row_fast(const jx_csv_reader *r, jx_csv_chunk *c, size_t rec, const char *text,
                         size_t n)
{
    const char *s = text, *e = text + n, *id = "";
    size_t idn = 0, row = c->nrows, na_mark = c->nna_used;
    int codes = (r->flags & JX_CSV_CODES) != 0, rc = CSVP_SLOW;
    for (size_t k = 0; k < r->ncols; k++) {
        const jxi_csv_col *col = &r->cols[k];
        const char *f = s;
        if (col->kind == JXI_CSVCOL_METRIC) {
            double x;
            if (!csvp_plain_cell(col, codes, &s, e, &x))
                goto slow;
            c->metrics[col->metric][row] = x;
        } else {
            if (s < e && *s == '"')
                goto slow;
            const char *q = memchr(s, ',', (size_t)(e - s));
            s = q ? q : e;
            size_t len = (size_t)(s - f);
            if (col->kind == JXI_CSVCOL_NA) {
                jxi_csv_cell cell = {f, len, (size_t)(f - text), (size_t)(s - text)};
                int bad = len ? csvp_na(r, c, rec, row, col, &cell) : 0;
                if (bad == JX_ENOMEM) {
                    rc = JX_ENOMEM;
                    goto slow;
                }
                if (bad) {
                    c->nbad--; /* the general path reports it, after any error before it */
                    goto slow;
                }
            } else {
                if (!csvp_id_ok(f, len))
                    goto slow;
                id = f;
                idn = len;
            }
        }
        /* s is at the comma after the field, or at the end of the record */
        if (k + 1 < r->ncols) {
            if (s == e)
                goto slow;
            s++;
        } else if (s != e) {
            goto slow;
        }
    }
    size_t at = c->ids_len;
    if (csvp_put_id(c, id, idn) < 0) {
        rc = JX_ENOMEM;
        goto slow;
    }
    c->id_at[row] = at;
    c->nrows++;
    return 0;
slow:
    csvp_undo_na(c, row, na_mark);
    return rc;
}

JX_API int jx_csv_chunk_parse(const jx_csv_reader *r, jx_csv_chunk *c, jx_error *err)
{
    if (!r || !c || c->r != r) {
        jxi_error_set(err, JX_EARG, "%s", !r || !c ? "no reader or chunk"
                                                  : "the chunk was made for another reader");
        return JX_EARG;
    }
    c->nrows = c->nbad = 0;
    c->ids_len = 0;
    for (size_t k = 0; k < c->nna_used; k++)
        c->na_arg[c->na_used[k]] = NULL;
    c->nna_used = 0;
    for (size_t q = 0; q < c->nrec; q++) {
        const char *text = c->raw + c->rec_start[q];
        size_t n = c->rec_end[q] - c->rec_start[q];
        if (n && text[n - 1] == '\r')
            n--;
        if (n == 0)
            continue; /* a blank line */
        int rc = r->flags & JXI_CSV_GENERAL ? CSVP_SLOW : csvp_row_fast(r, c, q, text, n);
        if (rc == CSVP_SLOW)
            rc = csvp_row(r, c, q, text, n);
        if (rc == JX_ENOMEM) {
            jxi_error_set(err, JX_ENOMEM, "out of memory reading the CSV");
            jxi_error_source(err, r->source);
            c->nrows = 0;
            return JX_ENOMEM;
        }
        if (rc > 0 && (r->flags & JX_CSV_STOP))
            break;
    }
    return 0;
}

/* ---- What a chunk holds ------------------------------------------------------------------ */

JX_API size_t jx_csv_chunk_rows(const jx_csv_chunk *c)
{
    return c ? c->nrows : 0;
}

JX_API size_t jx_csv_chunk_records(const jx_csv_chunk *c)
{
    return c ? c->nrec : 0;
}

JX_API size_t jx_csv_chunk_bytes(const jx_csv_chunk *c)
{
    return c ? c->raw_len : 0;
}

JX_API const double *const *jx_csv_chunk_metrics(const jx_csv_chunk *c)
{
    return c ? (const double *const *)c->metrics : NULL;
}

JX_API const unsigned char *const *jx_csv_chunk_not_applicable(const jx_csv_chunk *c)
{
    return c && c->nna_used ? c->na_arg : NULL;
}

JX_API const char *jx_csv_chunk_id(const jx_csv_chunk *c, size_t k)
{
    return c && k < c->nrows ? c->ids + c->id_at[k] : NULL;
}

JX_API const char *jx_csv_chunk_ids(const jx_csv_chunk *c, size_t *len)
{
    if (len)
        *len = c && c->nrows ? c->ids_len : 0;
    return c && c->nrows ? c->ids : "";
}

JX_API size_t jx_csv_chunk_bad_count(const jx_csv_chunk *c)
{
    return c ? c->nbad : 0;
}

JX_API const jx_error *jx_csv_chunk_bad(const jx_csv_chunk *c, size_t k)
{
    return c && k < c->nbad ? &c->bad[k] : NULL;
}
