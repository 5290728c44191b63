/* Recall and precision of the standard report figures over the fixture
 * reports (tests/data/reports, each with its truth file): a figure read is
 * right when it equals the truth; one read where the report states none,
 * or read wrongly, costs precision; one stated and not read costs recall.
 *
 *   bench/recall [DIR]      (make bench-extract) */
#include <stdio.h>

#include "../tests/truth.h"

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/data/reports";
    jxt_tally t;
    static char log[65536];
    if (jxt_truth_run(dir, &t, log, sizeof log) < 0) {
        fprintf(stderr, "%s", log);
        return 2;
    }
    size_t read = t.found_right + t.found_wrong + t.found_unstated;
    printf("standard figures over %zu fixture reports in %s:\n", t.reports, dir);
    printf("  recall    %6.2f %%  (%zu of %zu stated figures read right)   [target >= 95 %%]\n",
           t.stated ? 100.0 * t.found_right / t.stated : 0, t.found_right, t.stated);
    printf("  precision %6.2f %%  (%zu of %zu figures read were right)      [target 100 %%]\n",
           read ? 100.0 * t.found_right / read : 100, t.found_right, read);
    if (log[0])
        printf("not read or wrong:\n%s", log);
    return 0;
}
