/* jx-lint: check schemes and report every error and warning at once.
 *
 *   jx-lint [--werror] [--lang en|zh] SCHEME...
 *
 * Prints one line per diagnostic, "FILE:LINE:COLUMN: error: PATH: MESSAGE",
 * and exits 1 when any scheme has an error (or, with --werror, a warning),
 * 2 on bad usage, 0 otherwise. In Chinese (--lang zh, or the environment's
 * language, lang.h) the messages and the words around them are Chinese:
 * "FILE:LINE:COLUMN: 错误: PATH: MESSAGE". */
#include <stdio.h>
#include <string.h>

#include <jixiao.h>

#include "lang.h"

static void usage(FILE *f)
{
    fputs("usage: jx-lint [--werror] [--lang en|zh] SCHEME...\n"
          "Check jixiao schemes; print every error and warning.\n"
          "  --werror       exit 1 on warnings too\n"
          "  --lang en|zh   language of the messages (default: Chinese when LC_ALL,\n"
          "                 LC_MESSAGES or LANG, the first set, starts with zh)\n",
          f);
}

int main(int argc, char **argv)
{
    int werror = 0, nfiles = 0, bad = 0, opt;
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--werror") == 0) {
            werror = 1;
        } else if ((opt = lang_option("jx-lint", argc, argv, &i, &lang)) != 0) {
            if (opt < 0)
                return 2;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("jx-lint (jixiao) %s\n", jx_version());
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "jx-lint: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0) {
        usage(stderr);
        return 2;
    }
    unsigned flags = lang_load_flags(lang);
    int zh = flags != 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0) {
            i++; /* and its value */
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        jx_diagnostics *d = jx_lint_file(argv[i], flags);
        if (!d) {
            fprintf(stderr, "jx-lint: %s: out of memory\n", argv[i]);
            return 2;
        }
        for (size_t k = 0; k < jx_diagnostics_count(d); k++) {
            const jx_error *e = jx_diagnostics_get(d, k);
            int warn = jx_diagnostics_severity(d, k) == JX_SEVERITY_WARNING;
            printf("%s:%d:%d: %s: %s%s%s\n", e->source[0] ? e->source : argv[i], e->line,
                   e->column, zh ? (warn ? "警告" : "错误") : warn ? "warning" : "error", e->path,
                   e->path[0] ? ": " : "", e->message);
        }
        size_t errors = jx_diagnostics_errors(d), warnings = jx_diagnostics_warnings(d);
        if (errors || (werror && warnings))
            bad = 1;
        if (errors == 0 && warnings == 0)
            printf("%s: %s\n", argv[i], zh ? "通过" : "ok");
        else if (zh)
            printf("%s: %zu 个错误,%zu 个警告\n", argv[i], errors, warnings);
        else
            printf("%s: %zu error%s, %zu warning%s\n", argv[i], errors, errors == 1 ? "" : "s",
                   warnings, warnings == 1 ? "" : "s");
        jx_diagnostics_free(d);
    }
    return bad;
}
