/* The one test runner: every area's suite, run by `make check`. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests.h"

const char *jxt_data_dir = "tests/data";
const char *jxt_schemes_dir = "schemes";

char *jxt_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

jx_scheme *jxt_scheme(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.json", jxt_schemes_dir, name);
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(path, 0, &err);
    ck_assert_msg(s != NULL, "%s:%d:%d: %s", err.source, err.line, err.column, err.message);
    return s;
}

int main(void)
{
    /* Take the locale from the environment, so that the run under
     * LC_ALL=de_DE.UTF-8 really has a comma as decimal point. */
    setlocale(LC_ALL, "");
    const char *d = getenv("JX_TEST_DATA");
    if (d && *d)
        jxt_data_dir = d;
    d = getenv("JX_SCHEMES_DIR");
    if (d && *d)
        jxt_schemes_dir = d;

    SRunner *sr = srunner_create(suite_num());
    srunner_add_suite(sr, suite_expr());
    srunner_add_suite(sr, suite_vectors());
    srunner_add_suite(sr, suite_score());
    srunner_add_suite(sr, suite_schemes());
    srunner_add_suite(sr, suite_errors());
    srunner_add_suite(sr, suite_jsonread());
    srunner_add_suite(sr, suite_extract());
    srunner_add_suite(sr, suite_batch());
    srunner_add_suite(sr, suite_limits());
    srunner_add_suite(sr, suite_regressions());
    srunner_add_suite(sr, suite_report());
    srunner_add_suite(sr, suite_project());
    srunner_add_suite(sr, suite_project_build());
    srunner_add_suite(sr, suite_audit());
    srunner_add_suite(sr, suite_csv());
    srunner_add_suite(sr, suite_csv_score());
    srunner_add_suite(sr, suite_alloc());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
