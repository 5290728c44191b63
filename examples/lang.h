/* The language of the programs' messages, shared by jx-score, jx-lint and
 * jx-extract: --lang zh|en when given, else the environment's. Programs may
 * read the environment; the library never does (it takes JX_LOAD_LANG_ZH).
 * Nothing here calls setlocale(): numbers stay locale-free. */
#ifndef JX_EXAMPLES_LANG_H
#define JX_EXAMPLES_LANG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jixiao.h>

/* 1 when the first of LC_ALL, LC_MESSAGES and LANG that is set and not
 * empty (the order POSIX gives them) starts with "zh", as zh_CN.UTF-8. */
static int lang_env_is_zh(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) {
        const char *v = getenv(vars[k]);
        if (v && v[0])
            return strncmp(v, "zh", 2) == 0;
    }
    return 0;
}

/* Reads "--lang X" or "--lang=X" at argv[*i] (advancing *i past X) into
 * *lang. Returns 1 when it was that option, 0 when it is another
 * argument, -1 after printing why the value is not en or zh. */
static int lang_option(const char *prog, int argc, char **argv, int *i, const char **lang)
{
    const char *a = argv[*i];
    if (strcmp(a, "--lang") == 0) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "%s: --lang needs a value (en or zh)\n", prog);
            return -1;
        }
        *lang = argv[++*i];
    } else if (strncmp(a, "--lang=", 7) == 0) {
        *lang = a + 7;
    } else {
        return 0;
    }
    if (strcmp(*lang, "en") != 0 && strcmp(*lang, "zh") != 0) {
        fprintf(stderr, "%s: --lang must be en or zh, not '%s'\n", prog, *lang);
        return -1;
    }
    return 1;
}

/* The load flags for `lang` (NULL: from the environment). */
static unsigned lang_load_flags(const char *lang)
{
    int zh = lang ? strcmp(lang, "zh") == 0 : lang_env_is_zh();
    return zh ? JX_LOAD_LANG_ZH : 0u;
}

#endif
