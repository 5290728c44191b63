/* Fixture reports against their truth files (tests/data/reports): shared
 * by the test runner (tests/test_report.c) and make bench-extract
 * (bench/recall.c). */
#ifndef JIXIAO_TRUTH_H
#define JIXIAO_TRUTH_H

#include <stddef.h>

typedef struct jxt_tally {
    size_t reports;
    size_t stated;         /* figures the truth files list */
    size_t found_right;    /* read, and equal to the truth */
    size_t found_wrong;    /* read, and not equal */
    size_t found_unstated; /* read, where the report states none */
} jxt_tally;

/* Read every NAME.txt of dir that has a NAME.truth.json with
 * jx_extract_standard and tally the figures into *t; what was wrong or not
 * read is described in log (NUL-terminated, truncated to loglen). Returns
 * 0, or -1 with the reason in log when a file cannot be read. */
int jxt_truth_run(const char *dir, jxt_tally *t, char *log, size_t loglen);

#endif
