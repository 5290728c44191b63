/* Extracted figures as input JSON, with their provenance. */
#ifndef JX_NO_EXTRACT

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "compile/scheme.h"

/* A byte %g writes in every locale: a digit, a sign or the exponent's 'e'. */
static int c_number_byte(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e';
}

/* text, a number printf wrote in the process locale, with '.' for the
 * radix character whatever that locale uses: %g never groups digits, so
 * the only other bytes are the radix character's (more than one in a few
 * locales). */
static void put_c_number(jxi_buf *b, const char *text)
{
    for (const char *t = text; *t;) {
        if (c_number_byte(*t)) {
            jxi_buf_putc(b, *t++);
            continue;
        }
        jxi_buf_putc(b, '.');
        while (*t && !c_number_byte(*t))
            t++;
    }
}

/* v written so that a JSON reader takes it back as exactly the same double:
 * the figure as extracted, not its 12-digit reading, so that the JSON
 * scores as jx_extraction_apply does. A whole number under 10^17 is written
 * as an integer ("%.0f" is exact and has no radix character; it fits any
 * 64-bit reader); anything else as the shortest of %.15g, %.16g and %.17g
 * that strtod reads back as v (%.17g always does). snprintf and strtod
 * both follow the process locale, so the comparison is made before the
 * radix character becomes '.'. */
static void put_number(jxi_buf *b, double v)
{
    if (!isfinite(v)) {
        jxi_buf_puts(b, "null"); /* an invalid match: its message says why */
        return;
    }
    char tmp[64];
    if (v == floor(v) && fabs(v) < 1e17) {
        snprintf(tmp, sizeof tmp, "%.0f", v);
        jxi_buf_puts(b, tmp);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    put_c_number(b, tmp);
}

/* A metric's value as the input format writes it. */
static void put_metric_value(jxi_buf *b, const jxi_metric *m, double v)
{
    if (m->type == JX_METRIC_BOOL)
        jxi_buf_puts(b, v != 0 ? "true" : "false");
    else if (m->type == JX_METRIC_LEVEL)
        jxi_buf_json_string(b, m->levels[(size_t)v]);
    else
        put_number(b, v);
}

static const char *const status_names[] = {"found", "missing", "conflict", "invalid",
                                           "default"};

/* {"status": ..., ["value": ...,] "unit": ..., ["message": ...,] "matches": [...]} */
static void put_entry(jxi_buf *b, const jx_extraction *x, size_t k, int with_value)
{
    int st = jx_extraction_status(x, k);
    jxi_buf_puts(b, "{");
    jxi_buf_json_key(b, "status");
    jxi_buf_json_string(b, status_names[st]);
    if (with_value) {
        jxi_buf_puts(b, ", ");
        jxi_buf_json_key(b, "value");
        if (st == JX_FOUND || st == JX_DEFAULT)
            put_metric_value(b, jxi_extraction_target(x, k), jx_extraction_value(x, k));
        else
            jxi_buf_puts(b, "null");
    }
    jxi_buf_puts(b, ", ");
    jxi_buf_json_key(b, "unit");
    jxi_buf_json_string(b, jx_extraction_unit(x, k));
    if (jx_extraction_message(x, k)[0]) {
        jxi_buf_puts(b, ", ");
        jxi_buf_json_key(b, "message");
        jxi_buf_json_string(b, jx_extraction_message(x, k));
    }
    jxi_buf_puts(b, ", ");
    jxi_buf_json_key(b, "matches");
    jxi_buf_putc(b, '[');
    for (size_t j = 0; j < jx_extraction_match_count(x, k); j++) {
        jxi_buf_puts(b, j ? ",\n      {" : "\n      {");
        jxi_buf_json_key(b, "pattern");
        jxi_buf_printf(b, "%d, ", jx_extraction_match_pattern(x, k, j));
        jxi_buf_json_key(b, "line");
        jxi_buf_printf(b, "%d, ", jx_extraction_match_line(x, k, j));
        jxi_buf_json_key(b, "column");
        jxi_buf_printf(b, "%d, ", jx_extraction_match_column(x, k, j));
        jxi_buf_json_key(b, "offset");
        jxi_buf_printf(b, "%zu, ", jx_extraction_match_offset(x, k, j));
        jxi_buf_json_key(b, "text");
        jxi_buf_json_string(b, jx_extraction_match_text(x, k, j));
        jxi_buf_puts(b, ", ");
        jxi_buf_json_key(b, "value");
        put_number(b, jx_extraction_match_value(x, k, j));
        jxi_buf_putc(b, '}');
    }
    jxi_buf_puts(b, "]}");
}

/* "key": {entry}, for every entry of x. */
static void put_entries(jxi_buf *b, const jx_extraction *x, int with_value)
{
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        jxi_buf_puts(b, k ? ",\n    " : "\n    ");
        jxi_buf_json_key(b, jx_extraction_metric(x, k));
        jxi_buf_putc(b, ' ');
        put_entry(b, x, k, with_value);
    }
    jxi_buf_puts(b, jx_extraction_count(x) ? "\n  }" : "}");
}

JX_API char *jx_extraction_to_json(const jx_extraction *x, unsigned flags)
{
    (void)flags;
    if (!x)
        return NULL;
    jxi_buf b;
    jxi_buf_init(&b);
    jxi_buf_puts(&b, "{\n");
    if (jxi_extraction_scheme(x)) {
        jxi_buf_puts(&b, "  \"metrics\": {");
        int first = 1;
        for (size_t k = 0; k < jx_extraction_count(x); k++) {
            int st = jx_extraction_status(x, k);
            if (st != JX_FOUND && st != JX_DEFAULT)
                continue;
            jxi_buf_puts(&b, first ? "\n    " : ",\n    ");
            first = 0;
            jxi_buf_json_key(&b, jx_extraction_metric(x, k));
            jxi_buf_putc(&b, ' ');
            put_metric_value(&b, jxi_extraction_target(x, k), jx_extraction_value(x, k));
        }
        jxi_buf_puts(&b, first ? "},\n  \"provenance\": {" : "\n  },\n  \"provenance\": {");
        put_entries(&b, x, 0);
        jxi_buf_puts(&b, ",\n");
    }
    const jx_extraction *std = jx_extraction_standard(x) ? jx_extraction_standard(x) : x;
    jxi_buf_puts(&b, "  \"standard\": {");
    put_entries(&b, std, 1);
    jxi_buf_puts(&b, "\n}\n");
    return jxi_buf_take(&b);
}

static const char *const type_names[] = {"number", "bool", "level"};

/* The metrics of x's scheme that x did not find, each with what a person
 * needs to fill it in. */
static void worksheet_json(jxi_buf *b, const jx_extraction *x, const jx_scheme *s,
                           const int *status)
{
    jxi_buf_puts(b, "{\n  \"worksheet\": {");
    int first = 1;
    for (size_t m = 0; m < jx_scheme_metric_count(s); m++) {
        if (status[m] == JX_FOUND)
            continue;
        const jxi_metric *metric = &s->metrics[m];
        jxi_buf_puts(b, first ? "\n    " : ",\n    ");
        first = 0;
        jxi_buf_json_key(b, metric->name);
        jxi_buf_puts(b, " {");
        jxi_buf_json_key(b, "value");
        jxi_buf_puts(b, "null, ");
        jxi_buf_json_key(b, "type");
        jxi_buf_json_string(b, type_names[metric->type]);
        jxi_buf_puts(b, ", ");
        jxi_buf_json_key(b, "unit");
        jxi_buf_json_string(b, metric->unit);
        if (metric->nlevels) {
            jxi_buf_puts(b, ", ");
            jxi_buf_json_key(b, "levels");
            jxi_buf_putc(b, '[');
            for (size_t l = 0; l < metric->nlevels; l++) {
                if (l)
                    jxi_buf_puts(b, ", ");
                jxi_buf_json_string(b, metric->levels[l]);
            }
            jxi_buf_putc(b, ']');
        }
        jxi_buf_puts(b, ", ");
        jxi_buf_json_key(b, "status");
        jxi_buf_json_string(b, status[m] < 0 ? "missing" : status_names[status[m]]);
        jxi_buf_puts(b, ", ");
        jxi_buf_json_key(b, "description");
        jxi_buf_json_string(b, jx_scheme_metric_description(s, m));
        jxi_buf_putc(b, '}');
    }
    (void)x;
    jxi_buf_puts(b, first ? "}\n}\n" : "\n  }\n}\n");
}

/* One CSV field, quoted when it holds a comma, a quote or a line break. */
static void csv_field(jxi_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        jxi_buf_puts(b, s);
        return;
    }
    jxi_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            jxi_buf_putc(b, '"');
        jxi_buf_putc(b, *s);
    }
    jxi_buf_putc(b, '"');
}

static void worksheet_csv(jxi_buf *b, const jx_scheme *s, const int *status)
{
    jxi_buf_puts(b, "\xEF\xBB\xBFmetric,value,unit,type,levels,status,description\r\n");
    for (size_t m = 0; m < jx_scheme_metric_count(s); m++) {
        if (status[m] == JX_FOUND)
            continue;
        const jxi_metric *metric = &s->metrics[m];
        jxi_buf levels;
        jxi_buf_init(&levels);
        for (size_t l = 0; l < metric->nlevels; l++) {
            if (l)
                jxi_buf_putc(&levels, '/');
            jxi_buf_puts(&levels, metric->levels[l]);
        }
        csv_field(b, metric->name);
        jxi_buf_puts(b, ",,");
        csv_field(b, metric->unit);
        jxi_buf_putc(b, ',');
        jxi_buf_puts(b, type_names[metric->type]);
        jxi_buf_putc(b, ',');
        csv_field(b, levels.data ? levels.data : "");
        jxi_buf_putc(b, ',');
        jxi_buf_puts(b, status[m] < 0 ? "missing" : status_names[status[m]]);
        jxi_buf_putc(b, ',');
        csv_field(b, jx_scheme_metric_description(s, m));
        jxi_buf_puts(b, "\r\n");
        jxi_buf_free(&levels);
    }
}

JX_API char *jx_extraction_worksheet(const jx_extraction *x, unsigned flags)
{
    const jx_scheme *s = x ? jxi_extraction_scheme(x) : NULL;
    if (!s)
        return NULL;
    size_t n = jx_scheme_metric_count(s);
    int *status = jxi_malloc((n ? n : 1) * sizeof *status);
    if (!status)
        return NULL;
    /* -1: a metric the profile does not read at all. */
    for (size_t m = 0; m < n; m++)
        status[m] = -1;
    for (size_t k = 0; k < jx_extraction_count(x); k++)
        status[jx_scheme_metric_find(s, jx_extraction_metric(x, k))] = jx_extraction_status(x, k);
    jxi_buf b;
    jxi_buf_init(&b);
    if (flags & JX_WORKSHEET_CSV)
        worksheet_csv(&b, s, status);
    else
        worksheet_json(&b, x, s, status);
    jxi_free(status);
    return jxi_buf_take(&b);
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_extract_json_unused;
#endif /* JX_NO_EXTRACT */
