/* Shared declarations for the Check test runner (tests/main.c). Each area
 * file defines one suite. */
#ifndef JIXIAO_TESTS_H
#define JIXIAO_TESTS_H

#include <check.h>

#include "jixiao.h"

Suite *suite_num(void);
Suite *suite_expr(void);
Suite *suite_vectors(void);
Suite *suite_score(void);
Suite *suite_schemes(void);
Suite *suite_errors(void);
Suite *suite_jsonread(void);
Suite *suite_extract(void);
Suite *suite_batch(void);
Suite *suite_alloc(void);
Suite *suite_limits(void);
Suite *suite_regressions(void);
Suite *suite_report(void);
Suite *suite_project(void);
Suite *suite_project_build(void);
Suite *suite_audit(void);
Suite *suite_csv(void);
Suite *suite_csv_score(void);

/* Directory holding the test fixtures (tests/data), set by the runner from
 * JX_TEST_DATA or its default. */
extern const char *jxt_data_dir;
/* Directory holding bundled schemes (schemes/), from JX_SCHEMES_DIR. */
extern const char *jxt_schemes_dir;

/* Bundled scheme `name` (schemes/NAME.json), loaded or the test fails. */
jx_scheme *jxt_scheme(const char *name);

/* A whole file, NUL-terminated (malloc'd; *len without the NUL), or NULL
 * when it cannot be opened. */
char *jxt_read_file(const char *path, size_t *len);

#endif
