/* Regressions: bugs found by fuzzing (fuzz/), the allocation-failure test
 * (tests/test_alloc.c), the limit tests and review, each as the smallest
 * input that shows it. The fuzz inputs that found them are kept in
 * fuzz/regressions/TARGET/ and replayed by `make fuzz-replay`. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "util/internal.h"
#include "tests.h"
#include "../lib/util/num.h"

static jx_scheme *load(const char *text)
{
    jx_error e;
    jx_scheme *s = jx_scheme_load_buffer(text, strlen(text), "regression.json", 0, &e);
    ck_assert_msg(s != NULL, "%s", e.message);
    return s;
}

static jx_scheme *load_file(const char *name)
{
    char path[512];
    jx_error e;
    snprintf(path, sizeof path, "%s/%s", jxt_schemes_dir, name);
    jx_scheme *s = jx_scheme_load_file(path, 0, &e);
    ck_assert_msg(s != NULL, "%s: %s", path, e.message);
    return s;
}

/* ---- lib/util/num.c dec_print: numbers of extreme magnitude ----------------------
 * jxi_format_g prints -e decimals for a number m * 10^e: for |x| < ~1e-80
 * that is more than its 96-byte stack buffer `out` holds (a stack buffer
 * overflow: ASan "index 96 out of bounds for type 'char [96]'"), and for
 * |x| >= ~1e80 the integer digits are cut at 80 characters (a wrong number,
 * longer than the 64 bytes the callers' buffers have). fuzz/regressions/
 * score/format-g-tiny-value, fuzz/regressions/num/format-huge-or-tiny. */

START_TEST(test_format_extreme_magnitudes)
{
    static const double xs[] = {1e-100, -2.5e-300, 4.9e-324, 1e80, -1.5e300, 1.7976931348623157e308};
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        char buf[64];
        double back;
        size_t n = jxi_format_g(xs[k], buf, sizeof buf);
        ck_assert_msg(n < sizeof buf && n == strlen(buf), "format_g(%g): length %zu", xs[k], n);
        ck_assert_msg(jx_parse_number(buf, n, &back) == 0 && jxi_snap(back) == jxi_snap(xs[k]),
                      "format_g(%g) = \"%s\"", xs[k], buf);
        n = jxi_format(xs[k], 2, buf, sizeof buf);
        ck_assert_msg(n < sizeof buf && n == strlen(buf), "format(%g, 2): length %zu", xs[k], n);
        ck_assert_msg(jx_parse_number(buf, n, &back) == 0 && back == jxi_round(xs[k], 2),
                      "format(%g, 2) = \"%s\"", xs[k], buf);
    }
}
END_TEST

/* The same through the public API: a scheme whose deduct step is tiny
 * overflows the stack buffer in jx_score (the reason prints the step). */
START_TEST(test_reason_with_tiny_step)
{
    jx_scheme *s = load("{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
                        " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100,"
                        " \"value\": \"x\", \"rule\": {\"deduct\": {\"target\": \">= 100\","
                        " \"per\": 1e-100, \"points\": 1}}}]}");
    jx_input *in = jx_input_new(s);
    ck_assert_int_eq(jx_input_set_number(in, "x", 50), 0);
    jx_error e;
    jx_result *r = jx_score(s, in, 0, &e);
    ck_assert_ptr_nonnull(r);
    /* The step, in either notation: 1e-100 or 0.000...01 (99 zeros). */
    const char *why = jx_result_reason(r, 0);
    char plain[128] = "0.";
    for (int k = 0; k < 99; k++)
        strcat(plain, "0");
    strcat(plain, "1");
    ck_assert_msg(strstr(why, "1e-100") || strstr(why, plain), "reason: %s", why);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

/* ---- lib/util/error.c jxi_error_setv leaves jx_error.source as it was ---------
 * jixiao.h: "Strings are always NUL-terminated". Calls that report an error
 * without a source (jx_extract, jx_score, the batch API, ...) leave
 * `source` unset, so a caller's uninitialised jx_error keeps garbage there,
 * possibly without a NUL: printing it reads past the array. Found by
 * fuzz/extract.c (an invalid UTF-8 report). */

START_TEST(test_error_source_always_terminated)
{
    jx_scheme *s = load_file("municipal-department-2023.json");
    jx_error e;
    memset(&e, 'x', sizeof e);
    ck_assert_ptr_null(jx_extract(s, "\xff", 1, 0, &e));
#ifndef JX_NO_EXTRACT
    ck_assert_int_eq(e.code, JX_ESYNTAX);
#else
    ck_assert_int_eq(e.code, JX_EUNSUPPORTED);
#endif
    ck_assert_msg(memchr(e.source, 0, sizeof e.source) != NULL, "source not terminated");
    memset(&e, 'x', sizeof e);
    ck_assert_ptr_null(jx_score(NULL, NULL, 0, &e));
    ck_assert_int_eq(e.code, JX_EARG);
    ck_assert_msg(memchr(e.source, 0, sizeof e.source) != NULL, "source not terminated");
    jx_scheme_free(s);
}
END_TEST

/* ---- lib/compile/scheme.c jx_scheme_indicator_is_leaf past the end ---------------
 * jixiao.h: "Out-of-range indices give NULL, 0, JX_NONE or (for functions
 * returning int) JX_EARG"; jx_scheme_indicator_depth gives JX_EARG,
 * jx_scheme_indicator_is_leaf gives 0. (Or the header should say is_leaf
 * gives 0.) */

START_TEST(test_is_leaf_out_of_range)
{
    jx_scheme *s = load_file("example.json");
    size_t n = jx_scheme_indicator_count(s);
    ck_assert_int_eq(jx_scheme_indicator_depth(s, n), JX_EARG);
    ck_assert_int_eq(jx_scheme_indicator_is_leaf(s, n), JX_EARG);
    ck_assert_int_eq(jx_scheme_indicator_is_leaf(NULL, 0), JX_EARG);
    jx_scheme_free(s);
}
END_TEST

/* ---- lib/util/num.c jxi_parse_number: zero with a large exponent ---------------
 * "0e400" computes 0 * pow(10, 400) = 0 * inf = NaN: jx_parse_number
 * refuses it (JX_EVALUE), a formula says "number out of range", an
 * interval "expected a finite number". It is 0. fuzz/regressions/num/
 * parse-zero-large-exponent. */

START_TEST(test_parse_zero_large_exponent)
{
    double v = -1;
    ck_assert_int_eq(jx_parse_number("0e400", 5, &v), 0);
    ck_assert(v == 0);
    ck_assert_int_eq(jx_parse_number("0.000e999", 9, &v), 0);
    ck_assert(v == 0);
}
END_TEST

#ifndef JX_NO_EXTRACT
/* ---- lib/extract/extract_json.c: figures of 2^63 and more -------------------------
 * jx_extraction_to_json prints a value with jxi_buf_number_g, as an
 * integer when it has no decimals; from 2^63 on jansson refuses such an
 * integer, so the JSON the extraction gives does not load back
 * (jx_input_load_buffer: JX_ESYNTAX "too big integer"), and
 * `jx-extract --json | jx-score` fails on that report. fuzz/regressions/
 * extract/json-big-integer. */

START_TEST(test_extraction_json_big_value)
{
    jx_scheme *s = load_file("municipal-department-2023.json");
    const char *text = "财政资金收入12345678901234567890万元。";
    jx_error e;
    jx_extraction *x = jx_extract(s, text, strlen(text), 0, &e);
    ck_assert_ptr_nonnull(x);
    char *json = jx_extraction_to_json(x, 0);
    jx_input *in = jx_input_new(s);
    int rc = jx_input_load_buffer(in, json, strlen(json), "figures.json", 0, &e);
    ck_assert_msg(rc == 0, "%s", e.message);
    jx_input_free(in);
    jx_free(json);
    jx_extraction_free(x);
    jx_scheme_free(s);
}
END_TEST

/* ---- lib/extract/extract.c match_value: numbers too large for a double ------------
 * A figure of 400 digits reads as inf and is JX_FOUND: jx_extraction_apply
 * then stores inf as a present value (jx_input_set_number would make it
 * undefined), and jx_extraction_to_json prints "inf", which is not JSON.
 * It should be JX_INVALID ("out of range"). fuzz/regressions/extract/
 * huge-number. */

START_TEST(test_extraction_huge_number)
{
    jx_scheme *s = load_file("municipal-department-2023.json");
    char text[600] = "满意率1";
    for (int k = 0; k < 400; k++)
        strcat(text, "0");
    strcat(text, "%。");
    jx_error e;
    jx_extraction *x = jx_extract(s, text, strlen(text), 0, &e);
    ck_assert_ptr_nonnull(x);
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        if (strcmp(jx_extraction_metric(x, k), "群众满意率") != 0)
            continue;
        ck_assert_int_eq(jx_extraction_status(x, k), JX_INVALID);
    }
    char *json = jx_extraction_to_json(x, 0);
    jx_input *in = jx_input_new(s);
    ck_assert_msg(jx_input_load_buffer(in, json, strlen(json), NULL, 0, &e) == 0, "%s",
                  e.message);
    jx_input_free(in);
    jx_free(json);
    jx_extraction_free(x);
    jx_scheme_free(s);
}
END_TEST

#endif /* JX_NO_EXTRACT */

/* ---- lib/load/jsonctx.c jxi_json_parse: jansson's text cut inside a character --
 * jansson quotes the token it stopped at ("invalid escape near '"a\<e6>'")
 * byte by byte, cut wherever the error was found, so the quote may end in
 * the middle of a UTF-8 sequence; the library copies it into
 * jx_error.message, which jixiao.h promises is UTF-8 (the Python binding
 * decodes it as such). The quote should be cut back to a character
 * boundary (or the bad bytes dropped). fuzz/regressions/scheme/
 * jansson-message-cut-utf8. */

START_TEST(test_syntax_error_message_is_utf8)
{
    static const char *const docs[] = {
        "{\"a\\数\": 1}",           /* an invalid escape before 数 */
        "{\"metrics\": {\"a\\数\": {}}}",
    };
    for (size_t k = 0; k < sizeof docs / sizeof docs[0]; k++) {
        jx_error e;
        ck_assert_ptr_null(jx_scheme_load_buffer(docs[k], strlen(docs[k]), NULL, 0, &e));
        ck_assert_int_eq(e.code, JX_ESYNTAX);
        ck_assert_msg(jxi_utf8_check(e.message, strlen(e.message)) == (size_t)-1,
                      "the message is not UTF-8: %s", e.message);
        jx_diagnostics *d = jx_lint_buffer(docs[k], strlen(docs[k]), NULL, 0);
        const char *m = jx_diagnostics_get(d, 0)->message;
        ck_assert_msg(jxi_utf8_check(m, strlen(m)) == (size_t)-1, "lint: not UTF-8: %s", m);
        jx_diagnostics_free(d);
    }
    /* and an input document */
    jx_scheme *s = load_file("example.json");
    jx_input *in = jx_input_new(s);
    jx_error e;
    ck_assert_int_eq(jx_input_load_buffer(in, docs[0], strlen(docs[0]), NULL, 0, &e), JX_ESYNTAX);
    ck_assert_msg(jxi_utf8_check(e.message, strlen(e.message)) == (size_t)-1,
                  "the message is not UTF-8: %s", e.message);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

#ifndef JX_NO_EXTRACT
/* ---- lib/load/load_extract.c: a profile file that is not a regular file ---
 * "extract" names a file, which the loader opens and reads whatever it is:
 * a FIFO (or a terminal, a socket...) blocks the host forever, inside
 * jx_scheme_load_* and jx_lint_*. A scheme from outside must not be able
 * to hang the process that loads it: open with O_NONBLOCK and refuse what
 * fstat does not call a regular file (JX_EIO). (The name is relative to
 * the scheme's source: an absolute one is refused before anything is
 * opened, see test_extract_file_not_disclosed.) The load runs in a child,
 * which is killed after 10 s. */

START_TEST(test_extract_file_is_a_fifo)
{
    char dir[] = "/tmp/jixiao-fifo-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char fifo[64], source[64], scheme[4096];
    snprintf(fifo, sizeof fifo, "%s/profile.json", dir);
    snprintf(source, sizeof source, "%s/scheme.json", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    snprintf(scheme, sizeof scheme,
             "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
             " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100, \"value\": \"x\","
             " \"rule\": {\"manual\": {}}}], \"extract\": \"profile.json\"}");
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        jx_error e;
        jx_scheme *s = jx_scheme_load_buffer(scheme, strlen(scheme), source, 0, &e);
        _exit(s == NULL && e.code == JX_EIO ? 0 : 1);
    }
    int status = 0, done = 0;
    for (int k = 0; k < 200 && !done; k++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            done = 1;
        else
            nanosleep(&(struct timespec){0, 50000000}, NULL);
    }
    if (!done) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    unlink(fifo);
    rmdir(dir);
    ck_assert_msg(done, "jx_scheme_load_buffer blocks on a FIFO named by \"extract\"");
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "a FIFO as the profile file: not JX_EIO");
}
END_TEST
#endif /* JX_NO_EXTRACT */

#ifndef JX_NO_EXTRACT
/* ---- lib/extract/extract_json.c: figures of more than 12 significant digits -------
 * jx_extraction_to_json writes values with jxi_format_g, which keeps 12
 * significant digits (the snapped reading), so the JSON does not carry the
 * figure the report gives: 2,318,462,345,678.91元 is 231846234.567891 万元
 * to jx_extraction_apply but 231846234.568 in the JSON, and
 * `jx-extract --json | jx-score` scores other figures than
 * jx_extraction_apply (values and reasons differ; found by fuzz/extract.c,
 * fuzz/regressions/extract/json-loses-digits). The JSON should give the
 * double exactly (the shortest text that reads back as it, up to 17
 * digits). */

START_TEST(test_extraction_json_keeps_digits)
{
    jx_scheme *s = load_file("municipal-department-2023.json");
    const char *text = "财政资金收入2,318,462,345,678.91元。";
    jx_error e;
    jx_extraction *x = jx_extract(s, text, strlen(text), 0, &e);
    ck_assert_ptr_nonnull(x);
    char *json = jx_extraction_to_json(x, 0);
    json_t *root = json_loads(json, JSON_DECODE_INT_AS_REAL, NULL);
    ck_assert_ptr_nonnull(root);
    size_t checked = 0;
    double in_json = NAN, extracted = NAN;
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        if (jx_extraction_status(x, k) != JX_FOUND ||
            strcmp(jx_extraction_metric(x, k), "调整后预算数") != 0)
            continue;
        json_t *v = json_object_get(json_object_get(root, "metrics"), "调整后预算数");
        in_json = v ? json_real_value(v) : NAN;
        extracted = jx_extraction_value(x, k);
        checked++;
    }
    /* freed before the checks: a failure leaks nothing under valgrind */
    json_decref(root);
    jx_free(json);
    jx_extraction_free(x);
    jx_scheme_free(s);
    ck_assert_uint_eq(checked, 1);
    ck_assert_msg(in_json == extracted, "JSON %.17g, extraction %.17g", in_json, extracted);
}
END_TEST

/* ---- lib/load/load_extract.c: any file, quoted in the error ---------------
 * "extract" may name any path, absolute or with "..": a scheme loaded from
 * a buffer (a service taking schemes from its users) makes the library
 * open it, and when it is not a profile the error quotes its first token
 * ("malformed JSON: '[' or '{' expected near 'vm'" for /etc/hostname). A
 * scheme must not be able to read the host's files back through the error
 * message: refuse absolute names and ".." (and, from a buffer with no file
 * name, any file), or at least do not quote the file. */

START_TEST(test_extract_file_not_disclosed)
{
    char path[] = "/tmp/jixiao-secret-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char secret[] = "TOPSECRET-7f3a9 is the password\n";
    ck_assert_int_eq(write(fd, secret, sizeof secret - 1), (ssize_t)(sizeof secret - 1));
    close(fd);
    char scheme[4096];
    snprintf(scheme, sizeof scheme,
             "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"metrics\": {\"x\": {}},"
             " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100, \"value\": \"x\","
             " \"rule\": {\"manual\": {}}}], \"extract\": \"%s\"}", path);
    jx_error e;
    jx_scheme *s = jx_scheme_load_buffer(scheme, strlen(scheme), NULL, 0, &e);
    jx_diagnostics *d = jx_lint_buffer(scheme, strlen(scheme), NULL, 0);
    unlink(path);
    char lint_leak[JX_ERROR_MESSAGE_LENGTH] = "";
    for (size_t k = 0; k < jx_diagnostics_count(d); k++)
        if (strstr(jx_diagnostics_get(d, k)->message, "TOPSECRET"))
            snprintf(lint_leak, sizeof lint_leak, "%s", jx_diagnostics_get(d, k)->message);
    jx_diagnostics_free(d);
    jx_scheme_free(s);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(e.message, "TOPSECRET") == NULL, "the file leaks: %s", e.message);
    ck_assert_msg(!lint_leak[0], "the file leaks through lint: %s", lint_leak);
}
END_TEST
#endif /* JX_NO_EXTRACT */

/* ---- Misuse: NULL objects, NULL strings, indices past the end --------------
 * A host's mistake must give an error value, never a crash. jixiao.h:
 * "Out-of-range indices give NULL, 0, JX_NONE or (for functions returning
 * int) JX_EARG"; free functions take NULL. */

START_TEST(test_null_and_out_of_range)
{
    jx_error e;
    /* NULL objects */
    ck_assert_ptr_null(jx_scheme_load_file(NULL, 0, &e));
    ck_assert_int_eq(e.code, JX_EARG);
    ck_assert_ptr_null(jx_scheme_load_buffer(NULL, 5, NULL, 0, &e));
    ck_assert_int_eq(e.code, JX_EARG);
    ck_assert_ptr_null(jx_scheme_load_file(NULL, 0, NULL));
    jx_scheme_free(NULL);
    ck_assert_ptr_null(jx_scheme_id(NULL));
    ck_assert_ptr_null(jx_scheme_title(NULL));
    ck_assert_ptr_null(jx_scheme_lang(NULL));
    ck_assert(jx_scheme_total(NULL) == 0);
    ck_assert_int_le(jx_scheme_precision(NULL), 0);
    ck_assert_uint_eq(jx_scheme_indicator_count(NULL), 0);
    ck_assert_uint_eq(jx_scheme_indicator_find(NULL, "1"), JX_NONE);
    ck_assert_ptr_null(jx_scheme_indicator_id(NULL, 0));
    ck_assert_uint_eq(jx_scheme_metric_count(NULL), 0);
    ck_assert_uint_eq(jx_scheme_metric_find(NULL, "x"), JX_NONE);
    ck_assert_int_eq(jx_scheme_metric_type(NULL, 0), JX_EARG);
    ck_assert_uint_eq(jx_scheme_grade_count(NULL), 0);
    ck_assert_ptr_null(jx_scheme_grade_label(NULL, 0));
    ck_assert_int_eq(jx_scheme_has_extraction(NULL), 0);
    ck_assert_ptr_null(jx_input_new(NULL));
    jx_input_free(NULL);
    jx_input_clear(NULL);
    ck_assert_int_eq(jx_input_set_number(NULL, "x", 1), JX_EARG);
    ck_assert_int_eq(jx_input_set_bool(NULL, "x", 1), JX_EARG);
    ck_assert_int_eq(jx_input_set_text(NULL, "x", "y"), JX_EARG);
    ck_assert_int_eq(jx_input_unset(NULL, "x"), JX_EARG);
    ck_assert_int_eq(jx_input_set_not_applicable(NULL, "1"), JX_EARG);
    ck_assert_int_eq(jx_input_clear_not_applicable(NULL, "1"), JX_EARG);
    ck_assert_int_eq(jx_input_load_file(NULL, "x", 0, &e), JX_EARG);
    ck_assert_int_eq(jx_input_load_buffer(NULL, "{}", 2, NULL, 0, &e), JX_EARG);
    ck_assert_ptr_null(jx_score(NULL, NULL, 0, NULL));
    jx_result_free(NULL);
    ck_assert(jx_result_total(NULL) == 0);
    ck_assert_ptr_null(jx_result_grade(NULL));
    ck_assert_uint_eq(jx_result_grade_index(NULL), JX_NONE);
    ck_assert_int_eq(jx_result_complete(NULL), 0);
    ck_assert_ptr_null(jx_result_scheme(NULL));
    ck_assert_int_eq(jx_result_status(NULL, 0), JX_EARG);
    ck_assert(jx_result_score(NULL, 0) == 0);
    ck_assert_int_le(jx_result_has_value(NULL, 0), 0);
    ck_assert(jx_result_value(NULL, 0) == 0);
    ck_assert_ptr_null(jx_result_reason(NULL, 0));
    ck_assert_ptr_null(jx_result_to_json(NULL, 0));
    ck_assert_ptr_nonnull(jx_status_name(-5));
    ck_assert_ptr_nonnull(jx_status_name(99));
    ck_assert_ptr_nonnull(jx_strerror(-999));
    ck_assert_ptr_nonnull(jx_strerror(5));
    jx_diagnostics *d = jx_lint_buffer(NULL, 3, NULL, 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 1);
    ck_assert_int_eq(jx_diagnostics_get(d, 0)->code, JX_EARG);
    jx_diagnostics_free(d);
    d = jx_lint_file(NULL, 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 1);
    jx_diagnostics_free(d);
    jx_diagnostics_free(NULL);
    ck_assert_uint_eq(jx_diagnostics_count(NULL), 0);
    ck_assert_ptr_null(jx_diagnostics_get(NULL, 0));
    ck_assert_int_eq(jx_diagnostics_severity(NULL, 0), JX_EARG);
    ck_assert_ptr_null(jx_batch_new(NULL));
    jx_batch_free(NULL);
    ck_assert_ptr_null(jx_batch_scheme(NULL));
    double v = 7;
    ck_assert_int_eq(jx_parse_number(NULL, 3, &v), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number("1", 1, NULL), JX_EVALUE);
    ck_assert_int_eq(jx_parse_number("", 0, &v), JX_EVALUE);
    ck_assert_ptr_null(jx_extract(NULL, "x", 1, 0, &e));
    jx_extraction_free(NULL);
    ck_assert_uint_eq(jx_extraction_count(NULL), 0);
    ck_assert_ptr_null(jx_extraction_metric(NULL, 0));
    ck_assert_ptr_null(jx_extraction_match_text(NULL, 0, 0));
    ck_assert_int_eq(jx_extraction_apply(NULL, NULL), JX_EARG);
    ck_assert_ptr_null(jx_extraction_to_json(NULL, 0));
    jx_free(NULL);

    /* A real scheme, NULL names, indices past the end */
    jx_scheme *s = load_file("example.json");
    size_t ni = jx_scheme_indicator_count(s), nm = jx_scheme_metric_count(s);
    ck_assert_uint_eq(jx_scheme_indicator_find(s, NULL), JX_NONE);
    ck_assert_uint_eq(jx_scheme_metric_find(s, NULL), JX_NONE);
    ck_assert_ptr_null(jx_scheme_indicator_name(s, ni));
    ck_assert_ptr_null(jx_scheme_indicator_unit(s, ni));
    ck_assert_ptr_null(jx_scheme_indicator_rule(s, ni));
    ck_assert(jx_scheme_indicator_max(s, ni) == 0);
    ck_assert_ptr_null(jx_scheme_metric_unit(s, nm));
    ck_assert_uint_eq(jx_scheme_metric_level_count(s, nm), 0);
    ck_assert_ptr_null(jx_scheme_metric_level(s, nm, 0));
    ck_assert_ptr_null(jx_scheme_grade_label(s, jx_scheme_grade_count(s)));
    ck_assert(isnan(jx_scheme_grade_min(s, jx_scheme_grade_count(s))) ||
              jx_scheme_grade_min(s, jx_scheme_grade_count(s)) == 0);
    jx_input *in = jx_input_new(s);
    ck_assert_int_lt(jx_input_set_number(in, NULL, 1), 0);
    ck_assert_int_lt(jx_input_set_bool(in, NULL, 1), 0);
    ck_assert_int_lt(jx_input_set_text(in, NULL, "好"), 0);
    ck_assert_int_lt(jx_input_set_text(in, "社会效益", NULL), 0);
    ck_assert_int_lt(jx_input_unset(in, NULL), 0);
    ck_assert_int_lt(jx_input_set_not_applicable(in, NULL), 0);
    ck_assert_int_lt(jx_input_clear_not_applicable(in, NULL), 0);
    ck_assert_int_eq(jx_input_load_buffer(in, NULL, 0, NULL, 0, &e), JX_EARG);
    ck_assert_int_eq(jx_input_load_file(in, NULL, 0, &e), JX_EARG);
    ck_assert_int_eq(jx_input_load_file(in, "/nonexistent/figures.json", 0, &e), JX_EIO);
    jx_result *r = jx_score(s, in, 0, &e);
    ck_assert_int_eq(jx_result_status(r, ni), JX_EARG);
    ck_assert(jx_result_score(r, ni) == 0);
    ck_assert_int_le(jx_result_has_value(r, ni), 0);
    ck_assert_ptr_null(jx_result_reason(r, ni));
    ck_assert_ptr_null(jx_result_value_unit(r, ni));
    ck_assert_int_le(jx_result_value_decimals(r, ni), 0);
    /* an input made for another scheme */
    jx_scheme *other = load_file("us-omb-part.json");
    ck_assert_ptr_null(jx_score(other, in, 0, &e));
    ck_assert_int_eq(e.code, JX_EARG);
    jx_batch *b = jx_batch_new(s);
    ck_assert_ptr_eq(jx_batch_scheme(b), s);
    double total;
    ck_assert_int_eq(jx_batch_score(other, b, 1, NULL, jx_scheme_metric_count(other), NULL, 0,
                                    NULL, NULL, &total, NULL, NULL, &e), JX_EARG);
    ck_assert_int_eq(jx_batch_score(s, b, 1, NULL, nm + 1, NULL, 0, NULL, NULL, &total, NULL,
                                    NULL, &e), JX_EARG);
    ck_assert_int_eq(jx_batch_score_threads(s, 0, 1, NULL, nm, NULL, 0, NULL, NULL, &total, NULL,
                                            NULL, &e), JX_EARG);
    ck_assert_ptr_null(jx_extract(s, "x", 1, 0, &e)); /* no profile */
    ck_assert_int_eq(e.code, JX_EUNSUPPORTED);
    jx_batch_free(b);
    jx_scheme_free(other);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

Suite *suite_regressions(void)
{
    Suite *s = suite_create("regressions");
    TCase *tc = tcase_create("regressions");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_format_extreme_magnitudes);
    tcase_add_test(tc, test_reason_with_tiny_step);
    tcase_add_test(tc, test_error_source_always_terminated);
    tcase_add_test(tc, test_is_leaf_out_of_range);
    tcase_add_test(tc, test_parse_zero_large_exponent);
    tcase_add_test(tc, test_syntax_error_message_is_utf8);
#ifndef JX_NO_EXTRACT
    tcase_add_test(tc, test_extraction_json_big_value);
    tcase_add_test(tc, test_extraction_huge_number);
    tcase_add_test(tc, test_extract_file_is_a_fifo);
    tcase_add_test(tc, test_extraction_json_keeps_digits);
    tcase_add_test(tc, test_extract_file_not_disclosed);
#endif
    suite_add_tcase(s, tc);
    tc = tcase_create("misuse");
    tcase_add_test(tc, test_null_and_out_of_range);
    suite_add_tcase(s, tc);
    return s;
}
