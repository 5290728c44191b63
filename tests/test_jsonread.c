/* The fast JSON reader (lib/load/jsonread.c) against the checks and jansson's
 * decoder that it stands in for: whatever it accepts, they accept with the
 * same tree (types, values and key order), and the documents it is meant
 * for, it accepts. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "util/internal.h"
#include "load/jsonctx.h"
#include "tests.h"

/* The slow way, step by step as jxi_json_parse takes it. */
static json_t *slow_read(const char *t, size_t n)
{
    if (jxi_utf8_check(t, n) != (size_t)-1 || jxi_json_too_deep(t, n, JXI_MAX_JSON_DEPTH) >= 0)
        return NULL;
    json_error_t je;
    json_t *v = json_loadb(t, n, JSON_REJECT_DUPLICATES, &je);
    if (v && !json_is_object(v)) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

static char *dump(const json_t *v)
{
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Returns 1 when the fast reader accepted the text. */
static int compare(const char *t, size_t n, const char *what)
{
    json_t *fast = jxi_json_read_clean(t, n, JXI_MAX_JSON_DEPTH);
    json_t *slow = slow_read(t, n);
    int accepted = fast != NULL;
    if (fast) {
        ck_assert_msg(slow != NULL, "%s: read fast but refused by the checks: %.*s", what,
                      (int)(n > 200 ? 200 : n), t);
        char *a = dump(fast), *b = dump(slow);
        ck_assert_msg(strcmp(a, b) == 0, "%s: fast %s, slow %s", what, a, b);
        free(a);
        free(b);
    }
    json_decref(fast);
    json_decref(slow);
    return accepted;
}

#define SAME(lit) compare((lit), sizeof(lit) - 1, (lit))

START_TEST(test_accepts_and_agrees)
{
    static const char *const good[] = {
        "{}",
        " \t\r\n{ } \n",
        "{\"a\": 1, \"b\": -0, \"c\": 0, \"d\": -12, \"e\": 123456789012345678}",
        "{\"big\": 1234567890123456789, \"neg\": -9223372036854775808}",
        "{\"r\": 0.5, \"s\": -1.25e3, \"t\": 1E-2, \"u\": 0.10000000000000001, \"v\": 2e+5}",
        "{\"x\": 1.0, \"y\": 0e0, \"z\": -0.0}",
        "{\"t\": true, \"f\": false, \"n\": null}",
        "{\"a\": [], \"b\": [1, [2, [3]], {\"c\": {}}], \"d\": [\"x\", 1.5, null]}",
        "{\"esc\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"}",
        "{\"u\": \"\\u0041\\u00e9\\u4e2d\\uD83D\\uDE00\\u007f\"}",
        "{\"\\u4e2d\\u6587\": \"中文\", \"ключ\": \"значение\", \"😀\": 1}",
        "{\"k\\n\": 1, \"k\": 2}",
        "{\"order\": 1, \"is\": 2, \"kept\": 3, \"a\": 4, \"z\": 5}",
        "{\"s\":\"\",\"t\":\" \"}",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(compare(good[i], strlen(good[i]), good[i]), "not read fast: %s", good[i]);
}
END_TEST

START_TEST(test_refuses)
{
    /* Each is refused by the checks or jansson; the fast reader must give up
     * on it too (compare fails otherwise). Some valid ones it may leave to
     * the slow way, which is only slower. */
    static const char *const bad[] = {
        "", " ", "[]", "[1]", "1", "\"s\"", "null", "{", "}", "{\"a\"}", "{\"a\":}",
        "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{,}", "{\"a\":[1,]}",
        "{\"a\":[,1]}", "{\"a\":[1 2]}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1}{}",
        "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":-}", "{\"a\":-01}", "{\"a\":1.}",
        "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":+1}", "{\"a\":0x10}",
        "{\"a\":1.5e999}", "{\"a\":-1e400}", "{\"a\":1e-400}", "{\"a\":NaN}",
        "{\"a\":Infinity}", "{\"a\":99999999999999999999}", "{\"a\":-99999999999999999999}",
        "{\"a\":tru}", "{\"a\":truee}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":\"x}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u0000\"}",
        "{\"\\u0000\":1}", "{\"a\":\"\\uD800\"}", "{\"a\":\"\\uDC00\"}",
        "{\"a\":\"\\uD800\\u0041\"}", "{\"a\":\"\\uD800x\"}", "{\"a\":\"tab\there\"}",
        "{\"a\":\"new\nline\"}", "{\"a\":1,\"a\":2}", "{\"b\":{\"x\":1,\"y\":2,\"x\":3}}",
        "{\"a\":\"\xff\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\xc0\x80\"}",
        "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}", "\xef\xbb\xbf{}",
        "{\"a\":1}\xc3\xa9", "{\"a\":\"\\",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        compare(bad[i], strlen(bad[i]), bad[i]);
    /* A NUL byte, in a string and outside. */
    SAME("{\"a\":\"x\0y\"}");
    SAME("{\"a\":1}\0");
    SAME("{\"a\":1\0}");
}
END_TEST

START_TEST(test_nesting)
{
    char doc[2 * JXI_MAX_JSON_DEPTH + 16];
    for (int depth = JXI_MAX_JSON_DEPTH - 1; depth <= JXI_MAX_JSON_DEPTH + 1; depth++) {
        size_t n = 0;
        doc[n++] = '{';
        memcpy(doc + n, "\"a\":", 4);
        n += 4;
        for (int k = 1; k < depth; k++)
            doc[n++] = '[';
        for (int k = 1; k < depth; k++)
            doc[n++] = ']';
        doc[n++] = '}';
        int fast = compare(doc, n, "nesting");
        ck_assert_int_eq(fast, depth <= JXI_MAX_JSON_DEPTH);
    }
}
END_TEST

/* Every one-byte change of a small document: whatever the fast reader
 * still accepts, the slow way accepts alike. */
START_TEST(test_mutations)
{
    static const char base[] =
        "{\"id\": \"x-1\", \"n\": [1, -2.5e3, 0, true, false, null],\n"
        " \"s\": \"a\\\"b\\u00e9\\uD83D\\uDE00\\n\", \"o\": {\"k\": {}, \"l\": []}, \"z\": 10}";
    static const char subst[] = "{}[]\":,\\ \n0159-+.eEuntfalsx\x01\x7f\xc3\xa9\xff";
    char doc[sizeof base];
    size_t n = sizeof base - 1;
    for (size_t at = 0; at < n; at++) {
        for (size_t k = 0; k < sizeof subst - 1; k++) {
            memcpy(doc, base, n);
            doc[at] = subst[k];
            compare(doc, n, "mutation");
        }
        /* and with the byte left out */
        memcpy(doc, base, at);
        memcpy(doc + at, base + at + 1, n - at - 1);
        compare(doc, n - 1, "deletion");
    }
}
END_TEST

/* Every .json file under dir (recursively): the fast reader agrees with
 * the slow way, and reads each well-formed one itself. */
static void walk(const char *dir, int *files)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(path, files);
            continue;
        }
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0)
            continue;
        size_t len;
        char *t = jxt_read_file(path, &len);
        if (!t)
            continue;
        json_t *slow = slow_read(t, len);
        int fast = compare(t, len, path);
        ck_assert_msg(fast || !slow, "%s: well-formed but not read fast", path);
        json_decref(slow);
        free(t);
        (*files)++;
    }
    closedir(d);
}

START_TEST(test_bundled_files)
{
    int files = 0;
    walk(jxt_schemes_dir, &files);
    walk(jxt_data_dir, &files);
    ck_assert_int_gt(files, 10);
}
END_TEST

Suite *suite_jsonread(void)
{
    Suite *s = suite_create("jsonread");
    TCase *tc = tcase_create("fast reader");
    tcase_add_test(tc, test_accepts_and_agrees);
    tcase_add_test(tc, test_refuses);
    tcase_add_test(tc, test_nesting);
    tcase_add_test(tc, test_mutations);
    tcase_add_test(tc, test_bundled_files);
    suite_add_tcase(s, tc);
    return s;
}
