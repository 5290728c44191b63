/* Extraction throughput: MB/s of report text through a scheme's whole
 * extraction profile, with and without pcre2's JIT. A benchmark, not a
 * test: it prints figures and checks nothing.
 *
 *   bench/extract [SCHEME [REPORT [MB]]]
 *
 * Defaults: the municipal scheme and its bundled report, repeated to 8 MB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/extract/extract.h"
#include "../lib/compile/scheme.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

int main(int argc, char **argv)
{
    const char *scheme = argc > 1 ? argv[1] : "schemes/municipal-department-2023.json";
    const char *report = argc > 2 ? argv[2] : "schemes/examples/municipal-department-2023.report.txt";
    double mb = argc > 3 ? atof(argv[3]) : 8;
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(scheme, 0, &err);
    if (!s || !s->extract) {
        fprintf(stderr, "%s: %s\n", scheme, s ? "no extraction profile" : err.message);
        return 2;
    }
    size_t plen;
    char *piece = slurp(report, &plen);
    if (!piece || plen == 0) {
        fprintf(stderr, "cannot read %s\n", report);
        return 2;
    }
    size_t want = (size_t)(mb * 1024 * 1024), len = 0;
    char *text = malloc(want + plen);
    while (len < want) {
        memcpy(text + len, piece, plen);
        len += plen;
    }
    size_t patterns = 0;
    for (size_t i = 0; i < s->extract->n; i++)
        patterns += s->extract->metrics[i].npats;
    printf("extraction profile: %zu metrics, %zu patterns (JIT %s); text: %.1f MB (%s repeated)\n",
           s->extract->n, patterns, s->extract->jit ? "compiled" : "unavailable",
           (double)len / (1024 * 1024), report);
    static const struct { const char *name; unsigned flags; } modes[] = {
        {"with JIT", 0}, {"without JIT", JX_EXTRACT_NO_JIT}};
    for (size_t m = 0; m < 2; m++) {
        double best = 1e9;
        size_t matches = 0;
        for (int rep = 0; rep < 3; rep++) {
            double t0 = now();
            jx_extraction *x = jx_extract(s, text, len, modes[m].flags, &err);
            double t = now() - t0;
            if (!x) {
                fprintf(stderr, "extract: %s\n", err.message);
                return 2;
            }
            matches = 0;
            for (size_t k = 0; k < jx_extraction_count(x); k++)
                matches += jx_extraction_match_count(x, k);
            jx_extraction_free(x);
            if (t < best)
                best = t;
        }
        printf("  %-12s %8.1f MB/s of text  (%.3f s per pass, %zu matches kept)\n", modes[m].name,
               (double)len / (1024 * 1024) / best, best, matches);
    }
    free(text);
    free(piece);
    jx_scheme_free(s);
    return 0;
}
