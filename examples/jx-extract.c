/* jx-extract: read a department's figures out of a narrative report with
 * the scheme's extraction profile, and show where each came from.
 *
 *   jx-extract SCHEME REPORT.txt [--json] [--no-jit]
 *
 * The table lists every metric of the profile with its value, the line and
 * column it was read from and the matched text. --json prints input JSON
 * for jx-score (with the provenance under "provenance"). Exit status: 0
 * every figure found, 1 some not found, in conflict or invalid, 2 error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jixiao.h>

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(b, cap *= 2);
        if (!nb) {
            free(b);
            b = NULL;
        }
        b = nb;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

static void usage(FILE *f)
{
    fputs("usage: jx-extract SCHEME REPORT.txt [--json] [--no-jit]\n"
          "Read the figures of SCHEME's extraction profile out of REPORT.txt (UTF-8).\n"
          "  --json     print input JSON for jx-score, with provenance\n"
          "  --no-jit   match with the pcre2 interpreter only\n",
          f);
}

int main(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    int nfiles = 0, json = 0;
    unsigned flags = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--no-jit") == 0)
            flags |= JX_EXTRACT_NO_JIT;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("jx-extract (jixiao) %s\n", jx_version());
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "jx-extract: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (nfiles < 2) {
            files[nfiles++] = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (nfiles != 2) {
        usage(stderr);
        return 2;
    }
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(files[0], 0, &err);
    if (!s) {
        fprintf(stderr, "%s:%d:%d: %s%s%s (%s)\n", err.source, err.line, err.column, err.path,
                err.path[0] ? ": " : "", err.message, jx_strerror(err.code));
        return 2;
    }
    size_t len = 0;
    char *text = read_all(files[1], &len);
    if (!text) {
        fprintf(stderr, "jx-extract: cannot read %s\n", files[1]);
        jx_scheme_free(s);
        return 2;
    }
    jx_extraction *x = jx_extract(s, text, len, flags, &err);
    free(text);
    if (!x) {
        if (err.line)
            fprintf(stderr, "%s:%d:%d: %s (%s)\n", files[1], err.line, err.column, err.message,
                    jx_strerror(err.code));
        else
            fprintf(stderr, "jx-extract: %s (%s)\n", err.message, jx_strerror(err.code));
        jx_scheme_free(s);
        return 2;
    }
    int incomplete = 0;
    for (size_t k = 0; k < jx_extraction_count(x); k++)
        incomplete |= jx_extraction_status(x, k) != JX_FOUND;
    if (json) {
        char *out = jx_extraction_to_json(x, 0);
        if (!out) {
            fprintf(stderr, "jx-extract: out of memory\n");
            return 2;
        }
        fputs(out, stdout);
        jx_free(out);
    } else {
        static const char *const status[] = {"", "not found", "conflict", "invalid"};
        for (size_t k = 0; k < jx_extraction_count(x); k++) {
            int st = jx_extraction_status(x, k);
            const char *name = jx_extraction_metric(x, k);
            if (st == JX_FOUND) {
                size_t m = jx_scheme_metric_find(s, name);
                int type = jx_scheme_metric_type(s, m);
                double v = jx_extraction_value(x, k);
                if (type == JX_METRIC_LEVEL)
                    printf("%s = %s", name, jx_scheme_metric_level(s, m, (size_t)v));
                else if (type == JX_METRIC_BOOL)
                    printf("%s = %s", name, v != 0 ? "是" : "否");
                else
                    printf("%s = %.10g %s", name, v, jx_extraction_unit(x, k));
            } else {
                printf("%s: %s", name, status[st]);
                if (jx_extraction_message(x, k)[0])
                    printf(" (%s)", jx_extraction_message(x, k));
            }
            size_t nm = jx_extraction_match_count(x, k);
            if (nm == 0 && st == JX_FOUND)
                printf("    [no match: the profile's default]");
            for (size_t j = 0; j < nm; j++)
                printf("%s%d:%d \"%s\"", j ? "; " : "    [",
                       jx_extraction_match_line(x, k, j), jx_extraction_match_column(x, k, j),
                       jx_extraction_match_text(x, k, j));
            printf("%s\n", nm ? "]" : "");
        }
    }
    jx_extraction_free(x);
    jx_scheme_free(s);
    return incomplete ? 1 : 0;
}
