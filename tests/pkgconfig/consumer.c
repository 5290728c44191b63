/* A program built the way a user of an installed jixiao builds one: its
 * compiler and linker flags come only from `pkg-config jixiao` (`make
 * check-install` builds it twice, against the shared and the static
 * library, and compares what the two print).
 *
 *     consumer SCHEME METRICS
 *
 * prints the library version, then the total and the grade. Exits non-zero
 * on any failure. */
#include <jixiao.h>

#include <stdio.h>
#include <string.h>

static int fail(const char *what, const jx_error *err)
{
    fprintf(stderr, "consumer: %s: %s:%d:%d: %s: %s (%s)\n", what, err->source, err->line,
            err->column, err->path, err->message, jx_strerror(err->code));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: consumer SCHEME METRICS\n");
        return 2;
    }
    /* The header we were compiled with and the library we run with must be
     * the same release. */
    if (strcmp(jx_version(), JX_VERSION_STRING) != 0 ||
        jx_version_number() != JX_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %s but library %s\n", JX_VERSION_STRING,
                jx_version());
        return 1;
    }

    jx_error err;
    memset(&err, 0, sizeof err);
    jx_scheme *s = jx_scheme_load_file(argv[1], 0, &err);
    if (!s)
        return fail("scheme", &err);
    jx_input *in = jx_input_new(s);
    if (!in) {
        fprintf(stderr, "consumer: out of memory\n");
        jx_scheme_free(s);
        return 1;
    }
    int status = 1;
    jx_result *r = NULL;
    if (jx_input_load_file(in, argv[2], 0, &err) < 0) {
        fail("input", &err);
    } else if (!(r = jx_score(s, in, 0, &err))) {
        fail("score", &err);
    } else {
        printf("jixiao %s\n", jx_version());
        printf("%.2f %s%s\n", jx_result_total(r), jx_result_grade(r),
               jx_result_complete(r) ? "" : " (incomplete)");
        status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
    }
    if (r)
        jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
    return status;
}
