/* Fixture reports against their truth files; see truth.h. */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jixiao.h"
#include "truth.h"

#define LOG(...)                                                                           \
    do {                                                                                   \
        size_t used_ = strlen(log);                                                        \
        snprintf(log + used_, loglen - used_, __VA_ARGS__);                                \
    } while (0)

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 > cap) {
            char *nb = realloc(b, cap = cap * 2 + 4096);
            if (!nb)
                break;
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return b;
}

static size_t find(const jx_extraction *x, const char *key)
{
    for (size_t k = 0; k < jx_extraction_count(x); k++)
        if (strcmp(jx_extraction_metric(x, k), key) == 0)
            return k;
    return JX_NONE;
}

static int check_one(const char *dir, const char *name, jxt_tally *t, char *log, size_t loglen)
{
    static const char *const grades[] = {"优", "良", "中", "差"};
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    char *text = slurp(path, &len);
    snprintf(path, sizeof path, "%s/%s.truth.json", dir, name);
    json_error_t je;
    json_t *truth = json_load_file(path, 0, &je);
    json_t *figs = json_object_get(truth, "figures");
    jx_error err;
    jx_extraction *x = text ? jx_extract_standard(text, len, 0, &err) : NULL;
    int rc = 0;
    if (!text || !json_is_object(figs) || !x) {
        LOG("%s: %s\n", name, !text ? "cannot read the report" : !x ? err.message
                                                             : "no \"figures\" in the truth file");
        rc = -1;
        goto out;
    }
    t->reports++;
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        const char *key = jx_extraction_metric(x, k);
        json_t *want = json_object_get(figs, key);
        double v = jx_extraction_value(x, k);
        if (want)
            t->stated++;
        if (jx_extraction_status(x, k) != JX_FOUND)
            continue;
        int right = json_is_string(want) ? strcmp(json_string_value(want), grades[(size_t)v]) == 0
                    : json_is_number(want)
                        ? fabs(json_number_value(want) - v) <= 1e-9 * (1 + fabs(v))
                        : 0;
        if (!want) {
            t->found_unstated++;
            LOG("%s: %s = %.10g read, but the report states none (%d:%d)\n", name, key, v,
                jx_extraction_match_line(x, k, 0), jx_extraction_match_column(x, k, 0));
        } else if (!right) {
            t->found_wrong++;
            LOG("%s: %s = %.10g read, the truth differs (%d:%d)\n", name, key, v,
                jx_extraction_match_line(x, k, 0), jx_extraction_match_column(x, k, 0));
        } else {
            t->found_right++;
        }
    }
    const char *key;
    json_t *v;
    json_object_foreach(figs, key, v) {
        size_t k = find(x, key);
        if (k == JX_NONE) {
            LOG("%s: the truth names %s, not a standard figure\n", name, key);
            rc = -1;
        } else if (jx_extraction_status(x, k) != JX_FOUND) {
            LOG("%s: %s stated, not read%s%s%s\n", name, key,
                jx_extraction_message(x, k)[0] ? " (" : "", jx_extraction_message(x, k),
                jx_extraction_message(x, k)[0] ? ")" : "");
        }
    }
out:
    jx_extraction_free(x);
    json_decref(truth);
    free(text);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int jxt_truth_run(const char *dir, jxt_tally *t, char *log, size_t loglen)
{
    memset(t, 0, sizeof *t);
    log[0] = '\0';
    DIR *d = opendir(dir);
    if (!d) {
        LOG("cannot open %s\n", dir);
        return -1;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 11 && strcmp(e->d_name + l - 11, ".truth.json") == 0 &&
            (names[n] = malloc(l - 10))) {
            memcpy(names[n], e->d_name, l - 11);
            names[n++][l - 11] = '\0';
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        if (check_one(dir, names[k], t, log, loglen) < 0)
            rc = -1;
        free(names[k]);
    }
    return rc;
}
