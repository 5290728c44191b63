/* Synthetic populations and schemes for the benchmark (see gen.h). Uses
 * only the public API, plus jansson to read the example input. */
#include "gen.h"

#include <jansson.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t gen_rand(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1Dull;
}

double gen_unif(uint64_t *x)
{
    return (double)(gen_rand(x) >> 11) * 0x1p-53;
}

/* An entity's figures are the example's scaled by its size (0.5 to 2
 * times) and each by up to ±5% more, keeping the example's decimals: sizes
 * vary widely, ratios (execution rates, completion rates) stay near the
 * example's. About 0.5% of figures are missing. */
#define GEN_MISSING 0.005
#define GEN_SPREAD 0.05

static double around(double ex, double size, uint64_t *r)
{
    double v = ex * size * (1 - GEN_SPREAD + 2 * GEN_SPREAD * gen_unif(r));
    return ex == floor(ex) ? floor(v + 0.5) : floor(v * 100 + 0.5) / 100;
}

int gen_population_make(const jx_scheme *s, const char *example, size_t n, uint64_t seed,
                        gen_population *p)
{
    json_error_t je;
    json_t *root = json_load_file(example, 0, &je);
    json_t *ms = json_object_get(root, "metrics"), *nas = json_object_get(root, "not_applicable");
    if (!json_is_object(ms)) {
        fprintf(stderr, "%s: %s\n", example, root ? "no \"metrics\" object" : je.text);
        json_decref(root);
        return -1;
    }
    memset(p, 0, sizeof *p);
    p->n = n;
    p->nmetrics = jx_scheme_metric_count(s);
    p->ninds = jx_scheme_indicator_count(s);
    p->cols = calloc(p->nmetrics ? p->nmetrics : 1, sizeof *p->cols);
    p->na = calloc(p->ninds, sizeof *p->na);
    if (!p->cols || !p->na)
        goto oom;
    uint64_t r = seed ? seed : 1;
    double *size = malloc(n * sizeof *size);
    if (!size)
        goto oom;
    for (size_t k = 0; k < n; k++)
        size[k] = 0.5 + 1.5 * gen_unif(&r);
    for (size_t m = 0; m < p->nmetrics; m++) {
        if (!(p->cols[m] = malloc(n * sizeof **p->cols))) {
            free(size);
            goto oom;
        }
        json_t *ex = json_object_get(ms, jx_scheme_metric_name(s, m));
        int type = jx_scheme_metric_type(s, m);
        double nlev = (double)jx_scheme_metric_level_count(s, m);
        double exv = json_is_number(ex) ? json_number_value(ex) : 500; /* not in the example */
        for (size_t k = 0; k < n; k++) {
            double v;
            if (gen_unif(&r) < GEN_MISSING)
                v = NAN;
            else if (type == JX_METRIC_BOOL)
                v = gen_unif(&r) < (json_is_false(ex) ? 0.3 : 0.85);
            else if (type == JX_METRIC_LEVEL)
                v = floor(gen_unif(&r) * nlev);
            else
                v = around(exv, size[k], &r);
            p->cols[m][k] = v;
        }
    }
    free(size);
    /* Not applicable: the example's marks for 30% of the entities, any
     * other leaf for 0.5%. */
    for (size_t i = 0; i < p->ninds; i++) {
        int marked = 0;
        size_t j;
        json_t *id;
        json_array_foreach(nas, j, id)
            marked |= json_is_string(id)
                      && strcmp(json_string_value(id), jx_scheme_indicator_id(s, i)) == 0;
        if (!marked && !jx_scheme_indicator_is_leaf(s, i))
            continue;
        if (!(p->na[i] = malloc(n)))
            goto oom;
        double share = marked ? 0.3 : 0.005;
        for (size_t k = 0; k < n; k++)
            p->na[i][k] = gen_unif(&r) < share;
    }
    json_decref(root);
    return 0;
oom:
    fprintf(stderr, "out of memory\n");
    json_decref(root);
    gen_population_free(p);
    return -1;
}

void gen_population_free(gen_population *p)
{
    for (size_t m = 0; p->cols && m < p->nmetrics; m++)
        free(p->cols[m]);
    for (size_t i = 0; p->na && i < p->ninds; i++)
        free(p->na[i]);
    free(p->cols);
    free(p->na);
    memset(p, 0, sizeof *p);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(const char *f, FILE *out)
{
    if (!strpbrk(f, ",\"\r\n")) {
        fputs(f, out);
        return;
    }
    putc('"', out);
    for (; *f; f++) {
        if (*f == '"')
            putc('"', out);
        putc(*f, out);
    }
    putc('"', out);
}

int gen_population_csv(const jx_scheme *s, const gen_population *p, int header,
                       size_t first_id, FILE *out)
{
    if (header) {
        fputs("id", out);
        for (size_t m = 0; m < p->nmetrics; m++) {
            putc(',', out);
            csv_field(jx_scheme_metric_name(s, m), out);
        }
        fputs(",not_applicable\n", out);
    }
    for (size_t k = 0; k < p->n; k++) {
        fprintf(out, "E%zu", first_id + k);
        for (size_t m = 0; m < p->nmetrics; m++) {
            double v = p->cols[m][k];
            putc(',', out);
            if (isnan(v))
                continue;
            switch (jx_scheme_metric_type(s, m)) {
            case JX_METRIC_BOOL: fputs(v != 0 ? "true" : "false", out); break;
            case JX_METRIC_LEVEL: csv_field(jx_scheme_metric_level(s, m, (size_t)v), out); break;
            default: fprintf(out, "%.15g", v); break; /* this program keeps the C locale */
            }
        }
        putc(',', out);
        const char *sep = "";
        for (size_t i = 0; i < p->ninds; i++) {
            if (p->na[i] && p->na[i][k]) {
                fprintf(out, "%s%s", sep, jx_scheme_indicator_id(s, i));
                sep = ";";
            }
        }
        putc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

/* ---- A big scheme --------------------------------------------------------- */

typedef struct gen_buf {
    char *p;
    size_t len, cap;
} gen_buf;

static void put(gen_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(gen_buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n >= 0 && b->p && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap * 2 + (size_t)n + 4096;
        char *q = realloc(b->p, cap);
        if (!q) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
        b->p = q;
        b->cap = cap;
    }
}

char *gen_big_scheme(size_t leaves)
{
    /* Every leaf is worth 100 / leaves (exact in decimal for 1,000). */
    gen_buf b = {0};
    size_t groups = (leaves + 9) / 10;
    double w = 100.0 / (double)leaves;
    put(&b, "{\"jixiao\": 1, \"id\": \"bench-%zu\", \"title\": \"bench\", \"precision\": 2,\n"
            " \"grades\": [{\"label\": \"A\", \"min\": 90}, {\"label\": \"B\", \"min\": 60},"
            " {\"label\": \"C\", \"min\": 0}],\n \"metrics\": {\n", leaves);
    for (size_t k = 0; k < leaves; k++)
        put(&b, "  \"a%zu\": {}, \"b%zu\": {}, \"ok%zu\": {\"type\": \"bool\"}%s\n", k, k, k,
            k + 1 < leaves ? "," : "");
    put(&b, " },\n \"indicators\": [\n");
    for (size_t g = 0; g < groups; g++) {
        put(&b, "  {\"id\": \"%zu\", \"name\": \"group %zu\", \"children\": [\n", g + 1, g + 1);
        for (size_t k = g * 10; k < leaves && k < g * 10 + 10; k++) {
            put(&b, "   {\"id\": \"%zu.%zu\", \"name\": \"leaf %zu\", \"max\": %.17g, ", g + 1,
                k - g * 10 + 1, k, w);
            const char *value =
                "\"unit\": \"%%\", \"round\": 2, \"value\": \"a%zu / b%zu * 100\", ";
            switch (k % 5) {
            case 0:
                put(&b, value, k, k);
                put(&b, "\"rule\": {\"ratio\": {\"target\": \">= 100\"}}}");
                break;
            case 1:
                put(&b, value, k, k);
                put(&b, "\"rule\": {\"deduct\": {\"target\": \"<= 100\", \"per\": 1, "
                        "\"points\": %.17g}}}", w / 20);
                break;
            case 2:
                put(&b, value, k, k);
                put(&b, "\"rule\": {\"bands\": [{\"when\": \">= 90\", \"fraction\": 1}, "
                        "{\"when\": \"[60, 90)\", \"fraction\": 0.6}, "
                        "{\"when\": \"< 60\", \"fraction\": 0}]}}");
                break;
            case 3:
                put(&b, "\"rule\": {\"checklist\": {\"items\": [\"ok%zu\"], "
                        "\"each_missing\": %.17g}}}", k, w);
                break;
            default:
                put(&b, "\"rule\": {\"formula\": "
                        "\"if(a%zu >= b%zu, %.17g, %.17g * a%zu / b%zu)\"}}", k, k, w, w, k, k);
                break;
            }
            put(&b, "%s\n", k + 1 < leaves && k + 1 < g * 10 + 10 ? "," : "");
        }
        put(&b, "  ]}%s\n", g + 1 < groups ? "," : "");
    }
    put(&b, " ]\n}\n");
    return b.p;
}
