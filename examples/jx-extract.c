/* jx-extract: read a department's figures out of a narrative report with
 * the scheme's extraction profile, and show where each came from.
 *
 *   jx-extract SCHEME REPORT.txt [--json] [--worksheet FILE] [--no-jit] [--lang en|zh]
 *   jx-extract --standard REPORT.txt [--json] [--no-jit]
 *
 * The table lists every metric of the profile with its value, the line and
 * column it was read from and the matched text. --json prints input JSON
 * for jx-score (with the provenance under "provenance"). Exit status: 0
 * every figure found, 1 some not found, in conflict or invalid, 2 error.
 * --lang (else the environment's language, lang.h) sets the language of
 * the scheme's load errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jixiao.h>

#include "lang.h"

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
    fputs("usage: jx-extract SCHEME REPORT.txt [--json] [--worksheet FILE] [--no-jit]\n"
          "                  [--lang en|zh]\n"
          "       jx-extract --standard REPORT.txt [--json] [--no-jit]\n"
          "Read the figures of SCHEME's extraction profile, and the standard figures\n"
          "(收入合计, 支出合计, 编制数, ...) of any report, out of REPORT.txt (UTF-8).\n"
          "  --json            print input JSON for jx-score, with provenance and the\n"
          "                    standard figures under \"standard\"\n"
          "  --worksheet FILE  also write the metrics SCHEME still needs (missing,\n"
          "                    defaulted, in conflict, invalid) for a person to fill in:\n"
          "                    CSV when FILE ends in .csv, else JSON; give the filled\n"
          "                    JSON to jx-score after the figures\n"
          "  --standard        the standard figures only, without a scheme\n"
          "  --no-jit          match with the pcre2 interpreter only\n"
          "  --lang en|zh      language of the scheme's error messages (default: Chinese\n"
          "                    when LC_ALL, LC_MESSAGES or LANG, the first set, starts\n"
          "                    with zh)\n"
          "Exit status: 0 every figure found, 1 some missing, defaulted, in conflict or\n"
          "invalid, 2 error.\n",
          f);
}

static const char *const status_words[] = {"", "missing", "conflict", "invalid", "default"};

/* One line per entry: value, status and where it was read. */
static void print_entries(const jx_extraction *x, const jx_scheme *s)
{
    static const char *const grades[] = {"优", "良", "中", "差"};
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        int st = jx_extraction_status(x, k);
        const char *name = jx_extraction_metric(x, k);
        if (st == JX_FOUND || st == JX_DEFAULT) {
            size_t m = s ? jx_scheme_metric_find(s, name) : JX_NONE;
            int type = s ? jx_scheme_metric_type(s, m)
                         : jx_extraction_unit(x, k)[0] ? JX_METRIC_NUMBER : JX_METRIC_LEVEL;
            double v = jx_extraction_value(x, k);
            if (type == JX_METRIC_LEVEL)
                printf("%s = %s", name, s ? jx_scheme_metric_level(s, m, (size_t)v)
                                          : grades[(size_t)v]);
            else if (type == JX_METRIC_BOOL)
                printf("%s = %s", name, v != 0 ? "是" : "否");
            else
                printf("%s = %.10g %s", name, v, jx_extraction_unit(x, k));
        } else {
            printf("%s: %s", name, status_words[st]);
        }
        if (st != JX_FOUND && jx_extraction_message(x, k)[0])
            printf(" (%s)", jx_extraction_message(x, k));
        size_t nm = jx_extraction_match_count(x, k);
        if (st == JX_DEFAULT)
            printf("    [default: not stated in the report]");
        for (size_t j = 0; j < nm; j++)
            printf("%s%d:%d%s \"%s\"", j ? "; " : "    [", jx_extraction_match_line(x, k, j),
                   jx_extraction_match_column(x, k, j),
                   jx_extraction_match_pattern(x, k, j) < 0 ? " table" : "",
                   jx_extraction_match_text(x, k, j));
        printf("%s\n", nm ? "]" : "");
    }
}

static int write_file(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fputs(data, f) < 0;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

int main(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL}, *worksheet = NULL;
    int nfiles = 0, json = 0, standard = 0, opt;
    unsigned flags = 0;
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if ((opt = lang_option("jx-extract", argc, argv, &i, &lang)) != 0) {
            if (opt < 0)
                return 2;
        } else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--standard") == 0)
            standard = 1;
        else if (strcmp(argv[i], "--worksheet") == 0 && i + 1 < argc)
            worksheet = argv[++i];
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
    if (nfiles != (standard ? 1 : 2) || (standard && worksheet)) {
        usage(stderr);
        return 2;
    }
    jx_error err;
    jx_scheme *s = NULL;
    unsigned load_flags = lang_load_flags(lang);
    if (!standard && !(s = jx_scheme_load_file(files[0], load_flags, &err))) {
        /* A Chinese message goes without jx_strerror's English words. */
        fprintf(stderr, "%s:%d:%d: %s%s%s%s%s%s\n", err.source, err.line, err.column, err.path,
                err.path[0] ? ": " : "", err.message, load_flags ? "" : " (",
                load_flags ? "" : jx_strerror(err.code), load_flags ? "" : ")");
        return 2;
    }
    const char *report = files[standard ? 0 : 1];
    size_t len = 0;
    char *text = read_all(report, &len);
    if (!text) {
        fprintf(stderr, "jx-extract: cannot read %s\n", report);
        jx_scheme_free(s);
        return 2;
    }
    jx_extraction *x = s ? jx_extract(s, text, len, flags, &err)
                         : jx_extract_standard(text, len, flags, &err);
    free(text);
    if (!x) {
        if (err.line)
            fprintf(stderr, "%s:%d:%d: %s (%s)\n", report, err.line, err.column, err.message,
                    jx_strerror(err.code));
        else
            fprintf(stderr, "jx-extract: %s (%s)\n", err.message, jx_strerror(err.code));
        jx_scheme_free(s);
        return 2;
    }
    int incomplete = 0, rc = 0;
    for (size_t k = 0; k < jx_extraction_count(x); k++)
        incomplete |= jx_extraction_status(x, k) != JX_FOUND;
    if (json) {
        char *out = jx_extraction_to_json(x, 0);
        if (!out) {
            fprintf(stderr, "jx-extract: out of memory\n");
            rc = 2;
        } else {
            fputs(out, stdout);
        }
        jx_free(out);
    } else {
        if (s) {
            print_entries(x, s);
            printf("\n标准收支数据 (standard figures):\n");
        }
        print_entries(jx_extraction_standard(x) ? jx_extraction_standard(x) : x, NULL);
    }
    if (rc == 0 && worksheet) {
        char *ws = jx_extraction_worksheet(x, ends_with(worksheet, ".csv") ? JX_WORKSHEET_CSV : 0);
        if (!ws || write_file(worksheet, ws) < 0) {
            fprintf(stderr, "jx-extract: cannot write %s\n", worksheet);
            rc = 2;
        }
        jx_free(ws);
    }
    jx_extraction_free(x);
    jx_scheme_free(s);
    return rc ? rc : incomplete ? 1 : 0;
}
