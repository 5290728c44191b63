/* Streaming CSV reader: RFC 4180 quoting, UTF-8 with or without a BOM. */
#include <stdio.h>
#include <string.h>

#include "util/csv.h"

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
    c->starts = c->lens = NULL;
    c->nfields = c->cap = 0;
}

static int push_field(jxi_csv *c, size_t start)
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
    c->starts[c->nfields] = start;
    c->lens[c->nfields] = c->text.len - start;
    c->nfields++;
    jxi_buf_putc(&c->text, '\0');
    return c->text.failed ? JX_ENOMEM : 0;
}

static int fail(jxi_csv *c, jx_error *err, size_t at, const char *what)
{
    jxi_error_set(err, JX_ESYNTAX, "%s: record %ld, field %zu: %s", c->source, c->record,
                  c->nfields + 1, what);
    if (err) {
        jxi_error_source(err, c->source);
        err->offset = (long)at;
        jxi_line_column(c->buf, c->len, at, &err->line, &err->column);
    }
    return JX_ESYNTAX;
}

/* Invalid UTF-8 in raw bytes [from, to): named with the record and field,
 * and GBK when it looks like GBK (jxi_utf8_error). */
static int check_utf8(jxi_csv *c, jx_error *err, size_t from, size_t to)
{
    size_t bad = jxi_utf8_check(c->buf + from, to - from);
    if (bad == (size_t)-1)
        return 0;
    char what[JX_ERROR_SOURCE_LENGTH + 64];
    snprintf(what, sizeof what, "%s (record %ld, field %zu)", c->source, c->record,
             c->nfields + 1);
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
    const char *b = c->buf;
    size_t i = c->pos, n = c->len;
    for (;;) {
        size_t start = c->text.len, raw = i;
        if (i < n && b[i] == '"') {
            size_t open = i++;
            for (;;) {
                if (i >= n)
                    return fail(c, err, open, "a quoted field is not closed (expected '\"')");
                if (b[i] == '"') {
                    if (i + 1 < n && b[i + 1] == '"') {
                        jxi_buf_putc(&c->text, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (b[i] == '\n')
                    c->line++;
                jxi_buf_putc(&c->text, b[i]);
                i++;
            }
            if (i < n && b[i] != ',' && b[i] != '\n' && !(b[i] == '\r' && i + 1 < n && b[i + 1] == '\n')
                && !(b[i] == '\r' && i + 1 == n))
                return fail(c, err, i, "text after a closing quote (expected ',' or the end of the line)");
        } else {
            while (i < n && b[i] != ',' && b[i] != '\n' && b[i] != '\r')
                i++;
            /* A lone CR inside an unquoted field is kept as data. */
            while (i < n && b[i] == '\r' && !(i + 1 >= n || b[i + 1] == '\n')) {
                i++;
                while (i < n && b[i] != ',' && b[i] != '\n' && b[i] != '\r')
                    i++;
            }
            jxi_buf_append(&c->text, b + raw, i - raw);
        }
        int rc = check_utf8(c, err, raw, i);
        if (rc < 0)
            return rc;
        if (c->text.failed)
            return JX_ENOMEM;
        rc = push_field(c, start);
        if (rc < 0)
            return rc;
        if (i < n && b[i] == ',') {
            i++;
            continue;
        }
        if (i < n && b[i] == '\r')
            i++;
        if (i < n && b[i] == '\n') {
            i++;
            c->line++;
        }
        break;
    }
    c->pos = i;
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
