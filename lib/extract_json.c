/* Extracted figures as input JSON, with their provenance. */
#ifndef JX_NO_EXTRACT

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "scheme.h"

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

JX_API char *jx_extraction_to_json(const jx_extraction *x, unsigned flags)
{
    (void)flags;
    if (!x)
        return NULL;
    const jx_scheme *s = jxi_extraction_scheme(x);
    jxi_buf b;
    jxi_buf_init(&b);
    jxi_buf_puts(&b, "{\n  \"metrics\": {");
    int first = 1;
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        if (jx_extraction_status(x, k) != JX_FOUND)
            continue;
        const jxi_metric *m = &s->metrics[jx_scheme_metric_find(s, jx_extraction_metric(x, k))];
        jxi_buf_puts(&b, first ? "\n    " : ",\n    ");
        first = 0;
        jxi_buf_json_key(&b, m->name);
        jxi_buf_putc(&b, ' ');
        put_metric_value(&b, m, jx_extraction_value(x, k));
    }
    jxi_buf_puts(&b, first ? "},\n  \"provenance\": {" : "\n  },\n  \"provenance\": {");
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        static const char *const st[] = {"found", "not_found", "conflict", "invalid"};
        const jxi_metric *m = &s->metrics[jx_scheme_metric_find(s, jx_extraction_metric(x, k))];
        jxi_buf_puts(&b, k ? ",\n    " : "\n    ");
        jxi_buf_json_key(&b, m->name);
        jxi_buf_puts(&b, " {");
        jxi_buf_json_key(&b, "status");
        jxi_buf_json_string(&b, st[jx_extraction_status(x, k)]);
        jxi_buf_puts(&b, ", ");
        jxi_buf_json_key(&b, "unit");
        jxi_buf_json_string(&b, jx_extraction_unit(x, k));
        if (jx_extraction_message(x, k)[0]) {
            jxi_buf_puts(&b, ", ");
            jxi_buf_json_key(&b, "message");
            jxi_buf_json_string(&b, jx_extraction_message(x, k));
        }
        jxi_buf_puts(&b, ", ");
        jxi_buf_json_key(&b, "matches");
        jxi_buf_putc(&b, '[');
        for (size_t j = 0; j < jx_extraction_match_count(x, k); j++) {
            jxi_buf_puts(&b, j ? ",\n      {" : "\n      {");
            jxi_buf_json_key(&b, "pattern");
            jxi_buf_printf(&b, "%d, ", jx_extraction_match_pattern(x, k, j));
            jxi_buf_json_key(&b, "line");
            jxi_buf_printf(&b, "%d, ", jx_extraction_match_line(x, k, j));
            jxi_buf_json_key(&b, "column");
            jxi_buf_printf(&b, "%d, ", jx_extraction_match_column(x, k, j));
            jxi_buf_json_key(&b, "offset");
            jxi_buf_printf(&b, "%zu, ", jx_extraction_match_offset(x, k, j));
            jxi_buf_json_key(&b, "text");
            jxi_buf_json_string(&b, jx_extraction_match_text(x, k, j));
            jxi_buf_puts(&b, ", ");
            jxi_buf_json_key(&b, "value");
            put_number(&b, jx_extraction_match_value(x, k, j));
            jxi_buf_putc(&b, '}');
        }
        jxi_buf_puts(&b, jx_extraction_match_count(x, k) ? "]}" : "]}");
    }
    jxi_buf_puts(&b, jx_extraction_count(x) ? "\n  }\n}\n" : "}\n}\n");
    return jxi_buf_take(&b);
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_extract_json_unused;
#endif /* JX_NO_EXTRACT */
