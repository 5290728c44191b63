/* Runs through any build of the library (the shared library, or the
 * single-file build in dist/): the worked vectors of SCORING.md, then
 * every bundled scheme's example scored and printed as JSON, and (when the
 * build has extraction) the bundled report's figures. make check compares
 * the printout of the single-file build with the shared library's.
 *
 *   run SCHEMES_DIR */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests.h"

const char *jxt_data_dir = "tests/data";
const char *jxt_schemes_dir = "schemes";

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int score_example(const char *dir, const char *sheet)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/%s", dir, sheet);
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) {
        fprintf(stderr, "%s: %s\n", path, je.text);
        return 1;
    }
    char sp[1024], ip[1024];
    snprintf(sp, sizeof sp, "%s/%s", dir, json_string_value(json_object_get(doc, "scheme")));
    snprintf(ip, sizeof ip, "%s/examples/%s", dir, json_string_value(json_object_get(doc, "input")));
    json_decref(doc);
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(sp, 0, &err);
    if (!s) {
        fprintf(stderr, "%s: %s\n", sp, err.message);
        return 1;
    }
    jx_input *in = jx_input_new(s);
    jx_result *r = NULL;
    char *json = NULL;
    if (in && jx_input_load_file(in, ip, 0, &err) == 0 && (r = jx_score(s, in, 0, &err)) &&
        (json = jx_result_to_json(r, 0))) {
        printf("== %s\n%s", sheet, json);
    } else {
        fprintf(stderr, "%s: %s\n", ip, err.message);
    }
    int bad = json == NULL;
    jx_free(json);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
    return bad;
}

static int extract_report(const char *dir)
{
    char sp[1024], rp[1024];
    snprintf(sp, sizeof sp, "%s/municipal-department-2023.json", dir);
    snprintf(rp, sizeof rp, "%s/examples/municipal-department-2023.report.txt", dir);
    FILE *f = fopen(rp, "rb");
    if (!f)
        return 1;
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(sp, 0, &err);
    jx_extraction *x = s ? jx_extract(s, text, n, 0, &err) : NULL;
    char *json = x ? jx_extraction_to_json(x, 0) : NULL;
    if (json)
        printf("== extraction\n%s", json);
    else
        fprintf(stderr, "extraction: %s\n", err.message);
    int bad = json == NULL;
    jx_free(json);
    jx_extraction_free(x);
    jx_scheme_free(s);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        jxt_schemes_dir = argv[1];
    SRunner *sr = srunner_create(suite_vectors());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_SILENT);
    int failed = srunner_ntests_failed(sr), run = srunner_ntests_run(sr);
    srunner_free(sr);
    fprintf(stderr, "vectors: %d run, %d failed; features 0x%x\n", run, failed, jx_features());
    if (failed || run == 0)
        return 1;

    char dir[1024];
    snprintf(dir, sizeof dir, "%s/examples", jxt_schemes_dir);
    DIR *d = opendir(dir);
    if (!d)
        return 1;
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 14 && strcmp(e->d_name + l - 14, ".expected.json") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    int bad = n == 0;
    for (size_t i = 0; i < n; i++) {
        bad |= score_example(jxt_schemes_dir, names[i]);
        free(names[i]);
    }
    if (jx_features() & JX_FEATURE_EXTRACT)
        bad |= extract_report(jxt_schemes_dir);
    return bad;
}
