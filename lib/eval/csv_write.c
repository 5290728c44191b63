/* Batches from CSV: results as CSV text (jixiao.h, jx_csv_writer_*). Scores
 * come rounded to the scheme's precision from jx_batch_score, so most are
 * written digit by digit from a whole number of hundredths (or whatever
 * the precision is); any other value goes through jxi_format, the same
 * half-up decimal rounding as jx_format_number. No locale applies. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "eval/csv_batch.h"
#include "util/num.h"

struct jx_csv_writer {
    const jx_scheme *s;
    size_t ninds;
    int precision;
    char *header;
    size_t header_len;
    char **grade;       /* each grade's label as a CSV field */
    size_t *grade_len;
    size_t ngrades;
    char *p;            /* the text */
    size_t len, cap;
};

static int csvw_reserve(jx_csv_writer *w, size_t more)
{
    if (w->cap - w->len > more)
        return 0;
    size_t cap = w->cap ? w->cap : 65536;
    while (cap - w->len <= more)
        cap *= 2;
    char *p = jxi_realloc(w->p, cap);
    if (!p)
        return JX_ENOMEM;
    w->p = p;
    w->cap = cap;
    return 0;
}

/* s[0..n) as a CSV field into o (room for 2n + 2): quoted when it holds a
 * comma, a quote or a line break. Returns the end. */
static char *csvw_field(char *o, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        memcpy(o, s, n);
        return o + n;
    }
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *o++ = '"';
        *o++ = s[i];
    }
    *o++ = '"';
    return o;
}

static char *csvw_dup_field(const char *s, size_t *len)
{
    size_t n = strlen(s);
    char *f = jxi_malloc(2 * n + 3);
    if (!f)
        return NULL;
    char *e = csvw_field(f, s, n);
    *e = '\0';
    *len = (size_t)(e - f);
    return f;
}

/* v with `digits` decimals at o (at most 64 bytes); returns the end. */
static char *csvw_number(char *o, double v, int digits)
{
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
                                 1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
    double a = v < 0 ? -v : v, t = a * p10[digits];
    if (t < 9e15) {
        uint64_t u = (uint64_t)(t + 0.5);
        /* already at the precision (what jx_batch_score gives): exact digits */
        if (fabs(t - (double)u) <= 1e-7 * (t > 1 ? t : 1)) {
            char tmp[32], *e = tmp + sizeof tmp, *q = e;
            int neg = v < 0 && u != 0; /* never "-0.00" */
            for (int k = 0; k < digits; k++) {
                *--q = (char)('0' + u % 10);
                u /= 10;
            }
            if (digits)
                *--q = '.';
            do {
                *--q = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            if (neg)
                *--q = '-';
            memcpy(o, q, (size_t)(e - q));
            return o + (e - q);
        }
    }
    return o + jxi_format(v, digits, o, 64);
}

JX_API jx_csv_writer *jx_csv_writer_new(const jx_scheme *s, unsigned flags)
{
    (void)flags;
    if (!s)
        return NULL;
    jx_csv_writer *w = jxi_calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->s = s;
    w->ninds = jx_scheme_indicator_count(s);
    w->precision = jx_scheme_precision(s);
    if (w->precision < 0)
        w->precision = 0;
    if (w->precision > 12)
        w->precision = 12;
    w->ngrades = jx_scheme_grade_count(s);
    w->grade = jxi_calloc(w->ngrades + 1, sizeof *w->grade);
    w->grade_len = jxi_calloc(w->ngrades + 1, sizeof *w->grade_len);
    jxi_buf h;
    jxi_buf_init(&h);
    jxi_buf_puts(&h, "id");
    for (size_t i = 0; i < w->ninds; i++) {
        const char *id = jx_scheme_indicator_id(s, i);
        size_t n;
        char *f = csvw_dup_field(id, &n);
        jxi_buf_putc(&h, ',');
        if (f)
            jxi_buf_append(&h, f, n);
        else
            h.failed = 1;
        jxi_free(f);
    }
    jxi_buf_puts(&h, ",total,grade,complete\n");
    w->header_len = h.len;
    w->header = jxi_buf_take(&h);
    int ok = w->grade && w->grade_len && w->header;
    for (size_t g = 0; ok && g < w->ngrades; g++)
        ok = (w->grade[g] = csvw_dup_field(jx_scheme_grade_label(s, g), &w->grade_len[g])) != NULL;
    if (!ok) {
        jx_csv_writer_free(w);
        return NULL;
    }
    return w;
}

JX_API void jx_csv_writer_free(jx_csv_writer *w)
{
    if (!w)
        return;
    for (size_t g = 0; w->grade && g < w->ngrades; g++)
        jxi_free(w->grade[g]);
    jxi_free(w->grade);
    jxi_free(w->grade_len);
    jxi_free(w->header);
    jxi_free(w->p);
    jxi_free(w);
}

JX_API int jx_csv_writer_header(jx_csv_writer *w)
{
    if (!w)
        return JX_EARG;
    if (csvw_reserve(w, w->header_len) < 0)
        return JX_ENOMEM;
    memcpy(w->p + w->len, w->header, w->header_len);
    w->len += w->header_len;
    w->p[w->len] = '\0';
    return 0;
}

JX_API int jx_csv_writer_rows(jx_csv_writer *w, size_t n, const char *ids, const double *scores,
                              const double *totals, const int *grades,
                              const unsigned char *complete)
{
    if (!w || (n && (!totals || !grades || !complete || (w->ninds && !scores))))
        return JX_EARG;
    const char *id = ids;
    size_t ni = w->ninds;
    for (size_t k = 0; k < n; k++) {
        size_t idn = id ? strlen(id) : 0;
        int g = grades[k];
        size_t gi = g >= 0 && (size_t)g < w->ngrades ? (size_t)g : w->ngrades;
        if (csvw_reserve(w, 2 * idn + 2 + 65 * (ni + 1) + w->grade_len[gi] + 4) < 0)
            return JX_ENOMEM;
        char *o = w->p + w->len;
        if (id) {
            o = csvw_field(o, id, idn);
            id += idn + 1;
        }
        for (size_t i = 0; i < ni; i++) {
            *o++ = ',';
            o = csvw_number(o, scores[k * ni + i], w->precision);
        }
        *o++ = ',';
        o = csvw_number(o, totals[k], w->precision);
        *o++ = ',';
        if (w->grade[gi]) {
            memcpy(o, w->grade[gi], w->grade_len[gi]);
            o += w->grade_len[gi];
        }
        memcpy(o, complete[k] ? ",1\n" : ",0\n", 3);
        w->len = (size_t)(o + 3 - w->p);
    }
    if (w->p)
        w->p[w->len] = '\0';
    return 0;
}

JX_API const char *jx_csv_writer_text(const jx_csv_writer *w, size_t *len)
{
    if (len)
        *len = w ? w->len : 0;
    return w && w->p ? w->p : "";
}

JX_API void jx_csv_writer_clear(jx_csv_writer *w)
{
    if (w)
        w->len = 0;
}
