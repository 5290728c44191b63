/* Error reporting, driven by data (in the style of jansson's
 * test/suites/invalid): every directory under
 *
 *   tests/data/invalid/NAME/        scheme.json + expected
 *   tests/data/invalid-input/NAME/  input.json  + expected
 *
 * is one case. A scheme case loads scheme.json; an input case loads
 * input.json into an input for schemes/example.json that already holds
 * schemes/examples/example.metrics.json. `expected` holds, one per line:
 *
 *   1  the error code name (JX_EKEY)
 *   2  the JSON path (indicators[1].children[0].rule.deduct.stepz; may be empty)
 *   3  the line (1-based, 0 if none)
 *   4  the column (1-based, in code points, 0 if none)
 *   5  optional: a substring of the message
 *
 * Adding a case is adding a directory; the cases run in sorted order. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests.h"

/* ---- Error codes by name -------------------------------------------------- */

static const struct {
    const char *name;
    int code;
} code_names[] = {
    {"JX_OK", JX_OK},           {"JX_ENOMEM", JX_ENOMEM},
    {"JX_EARG", JX_EARG},       {"JX_EIO", JX_EIO},
    {"JX_ESYNTAX", JX_ESYNTAX}, {"JX_EKEY", JX_EKEY},
    {"JX_ETYPE", JX_ETYPE},     {"JX_EVALUE", JX_EVALUE},
    {"JX_EREQUIRED", JX_EREQUIRED}, {"JX_EDUPLICATE", JX_EDUPLICATE},
    {"JX_ESUM", JX_ESUM},       {"JX_EBANDS", JX_EBANDS},
    {"JX_EFORMULA", JX_EFORMULA}, {"JX_EREF", JX_EREF},
    {"JX_ECYCLE", JX_ECYCLE},   {"JX_EGRADES", JX_EGRADES},
    {"JX_ELIMIT", JX_ELIMIT},   {"JX_ENOTFOUND", JX_ENOTFOUND},
    {"JX_ELEVEL", JX_ELEVEL},   {"JX_EINCOMPLETE", JX_EINCOMPLETE},
    {"JX_EUNDEFINED", JX_EUNDEFINED}, {"JX_EUNSUPPORTED", JX_EUNSUPPORTED},
};

#define N_CODE_NAMES (sizeof code_names / sizeof code_names[0])

/* 1 and the code, or 0 for an unknown name. */
static int code_from_name(const char *name, int *code)
{
    for (size_t i = 0; i < N_CODE_NAMES; i++)
        if (strcmp(code_names[i].name, name) == 0) {
            *code = code_names[i].code;
            return 1;
        }
    return 0;
}

static const char *code_name(int code)
{
    for (size_t i = 0; i < N_CODE_NAMES; i++)
        if (code_names[i].code == code)
            return code_names[i].name;
    return "(unknown code)";
}

/* ---- Paths ------------------------------------------------------------------ */

/* snprintf that says whether the result fit: 1 if it did. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fmt(char *buf, size_t size, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(buf, size, format, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < size;
}

#define PATHF(buf, ...) \
    ck_assert_msg(fmt(buf, sizeof buf, __VA_ARGS__), "path too long: %s", buf)

/* ---- The case lists, read once when the suite is made -------------------- */

#define MAX_CASES 512
#define MAX_NAME 128

typedef struct case_list {
    const char *sub;  /* "invalid" or "invalid-input" */
    const char *file; /* "scheme.json" or "input.json" */
    char names[MAX_CASES][MAX_NAME];
    int n;
    int overflow;     /* more directories than MAX_CASES, or a name too long */
    int unreadable;   /* the directory could not be opened */
} case_list;

static case_list scheme_cases = {"invalid", "scheme.json", {{0}}, 0, 0, 0};
static case_list input_cases = {"invalid-input", "input.json", {{0}}, 0, 0, 0};

static int cmp_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void list_cases(case_list *l)
{
    char dir[1024], sub[1024];
    l->n = 0;
    DIR *d = fmt(dir, sizeof dir, "%s/%s", jxt_data_dir, l->sub) ? opendir(dir) : NULL;
    if (!d) {
        l->unreadable = 1;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        if (!fmt(sub, sizeof sub, "%s/%s", dir, e->d_name) || stat(sub, &st) != 0 ||
            !S_ISDIR(st.st_mode))
            continue;
        if (l->n == MAX_CASES || strlen(e->d_name) >= MAX_NAME) {
            l->overflow = 1;
            continue;
        }
        strcpy(l->names[l->n++], e->d_name);
    }
    closedir(d);
    qsort(l->names, (size_t)l->n, sizeof l->names[0], cmp_names);
}

/* ---- Reading a case -------------------------------------------------------- */

typedef struct expected {
    char code_name[64];
    int code;
    char path[512];
    int line, column;
    char message[512]; /* "" when not given */
} expected;

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* 0 on success, else a description of what is wrong with the file. */
static const char *read_expected(const char *path, expected *x)
{
    char lines[5][512];
    int n = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return "cannot open the expected file";
    memset(x, 0, sizeof *x);
    while (n < 5 && fgets(lines[n], sizeof lines[n], f)) {
        chomp(lines[n]);
        n++;
    }
    fclose(f);
    if (n < 4)
        return "the expected file needs at least 4 lines: code, path, line, column";
    if (strlen(lines[0]) >= sizeof x->code_name || !code_from_name(lines[0], &x->code))
        return "line 1 of the expected file is not a JX_E... code name";
    strcpy(x->code_name, lines[0]);
    strcpy(x->path, lines[1]);
    char *end;
    x->line = (int)strtol(lines[2], &end, 10);
    if (end == lines[2] || *end)
        return "line 3 of the expected file is not a number";
    x->column = (int)strtol(lines[3], &end, 10);
    if (end == lines[3] || *end)
        return "line 4 of the expected file is not a number";
    if (n == 5)
        strcpy(x->message, lines[4]);
    return NULL;
}

/* A case document, read into static storage so that a failing assertion
 * (which leaves the test early) leaks nothing under CK_FORK=no. */
#define MAX_DOC (256 * 1024)
static char doc[MAX_DOC + 1];

/* 1 and the length when the whole file fit, else 0. */
static int read_doc(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(doc, 1, sizeof doc, f);
    int err = ferror(f);
    fclose(f);
    if (err || n > MAX_DOC)
        return 0;
    doc[n] = '\0';
    *len = n;
    return 1;
}

/* Line and column (code points) of byte `offset`, as a reader counts them. */
static void line_column(const char *s, size_t len, size_t offset, int *line, int *column)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

/* ---- Checking an error against a case ------------------------------------ */

static void check_error(const char *what, const expected *x, int rc, const jx_error *e,
                        const char *source, const char *text, size_t len)
{
    ck_assert_msg(rc == x->code && e->code == x->code && strcmp(e->path, x->path) == 0 &&
                      e->line == x->line && e->column == x->column,
                  "%s:\n  expected %s at \"%s\" %d:%d\n  got      %s at \"%s\" %d:%d (returned %s)"
                  "\n  message: %s",
                  what, x->code_name, x->path, x->line, x->column, code_name(e->code), e->path,
                  e->line, e->column, code_name(rc), e->message);
    ck_assert_msg(e->message[0] != '\0', "%s: empty message", what);
    if (x->message[0])
        ck_assert_msg(strstr(e->message, x->message) != NULL,
                      "%s: message \"%s\" does not contain \"%s\"", what, e->message,
                      x->message);
    /* The source names the file (truncated with "..." when too long). */
    if (strlen(source) < sizeof e->source) {
        ck_assert_msg(strcmp(e->source, source) == 0, "%s: source \"%s\", expected \"%s\"", what,
                      e->source, source);
    } else {
        size_t n = strlen(e->source);
        ck_assert_msg(n >= 3 && strcmp(e->source + n - 3, "...") == 0 &&
                          strncmp(e->source, source, n - 3) == 0,
                      "%s: source \"%s\" is not a truncation of \"%s\"", what, e->source, source);
    }
    /* The byte offset agrees with line and column. */
    if (x->line > 0) {
        ck_assert_msg(e->offset >= 0 && (size_t)e->offset <= len,
                      "%s: offset %ld outside the document (%zu bytes)", what, e->offset, len);
        int l, c;
        line_column(text, len, (size_t)e->offset, &l, &c);
        ck_assert_msg(l == e->line && c == e->column,
                      "%s: offset %ld is at %d:%d but the error says %d:%d", what, e->offset, l,
                      c, e->line, e->column);
    }
}

/* ---- Schemes --------------------------------------------------------------- */

START_TEST(test_invalid_scheme)
{
    const char *name = scheme_cases.names[_i];
    char dir[1024], path[1200], epath[1200], what[1300];
    PATHF(dir, "%s/invalid/%s", jxt_data_dir, name);
    PATHF(path, "%s/scheme.json", dir);
    PATHF(epath, "%s/expected", dir);
    PATHF(what, "invalid/%s", name);

    expected x;
    const char *bad = read_expected(epath, &x);
    ck_assert_msg(bad == NULL, "%s: %s", what, bad ? bad : "");
    size_t len = 0;
    ck_assert_msg(read_doc(path, &len), "%s: cannot read %s (at most %d bytes)", what, path,
                  MAX_DOC);

    /* From the file: the source is the path. */
    jx_error e;
    memset(&e, 0, sizeof e);
    e.code = 12345;
    jx_scheme *s = jx_scheme_load_file(path, 0, &e);
    int loaded = s != NULL;
    jx_scheme_free(s);
    ck_assert_msg(!loaded, "%s: the scheme loaded", what);
    check_error(what, &x, e.code, &e, path, doc, len);

    /* From a buffer: the same error under the given source name. */
    jx_error eb;
    memset(&eb, 0, sizeof eb);
    s = jx_scheme_load_buffer(doc, len, "方案.json", 0, &eb);
    loaded = s != NULL;
    jx_scheme_free(s);
    ck_assert_msg(!loaded, "%s: the scheme loaded from a buffer", what);
    check_error(what, &x, eb.code, &eb, "方案.json", doc, len);
    ck_assert_msg(strcmp(e.message, eb.message) == 0 && e.offset == eb.offset,
                  "%s: file and buffer disagree: \"%s\" at %ld vs \"%s\" at %ld", what,
                  e.message, e.offset, eb.message, eb.offset);

    /* Without a jx_error: still NULL. */
    s = jx_scheme_load_file(path, 0, NULL);
    loaded = s != NULL;
    jx_scheme_free(s);
    ck_assert_msg(!loaded, "%s: loaded without a jx_error", what);
}
END_TEST

/* ---- Inputs ---------------------------------------------------------------- */

/* The scored result as JSON (NULL if scoring failed), for comparing an
 * input before and after a failed load. */
static char *score_json(const jx_scheme *s, const jx_input *in)
{
    jx_result *r = jx_score(s, in, 0, NULL);
    char *j = r ? jx_result_to_json(r, 0) : NULL;
    jx_result_free(r);
    return j;
}

/* 1 when both are non-NULL and equal. */
static int same_json(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

START_TEST(test_invalid_input)
{
    const char *name = input_cases.names[_i];
    char dir[1024], path[1200], epath[1200], what[1300], sp[1024], mp[1024];
    PATHF(dir, "%s/invalid-input/%s", jxt_data_dir, name);
    PATHF(path, "%s/input.json", dir);
    PATHF(epath, "%s/expected", dir);
    PATHF(what, "invalid-input/%s", name);
    PATHF(sp, "%s/example.json", jxt_schemes_dir);
    PATHF(mp, "%s/examples/example.metrics.json", jxt_schemes_dir);

    expected x;
    const char *bad = read_expected(epath, &x);
    ck_assert_msg(bad == NULL, "%s: %s", what, bad ? bad : "");
    size_t len = 0;
    ck_assert_msg(read_doc(path, &len), "%s: cannot read %s (at most %d bytes)", what, path,
                  MAX_DOC);

    jx_error e;
    jx_scheme *s = jx_scheme_load_file(sp, 0, &e);
    ck_assert_msg(s != NULL, "%s: %s", sp, s ? "" : e.message);
    jx_input *in = jx_input_new(s);
    int rc0 = in ? jx_input_load_file(in, mp, 0, &e) : JX_ENOMEM;
    char *before = rc0 == 0 ? score_json(s, in) : NULL;

    /* Everything runs before the first assertion, so that a failure leaks
     * nothing. */
    jx_error ef, eb;
    memset(&ef, 0, sizeof ef);
    memset(&eb, 0, sizeof eb);
    ef.code = eb.code = 12345;
    int rc_file = JX_EARG, rc_buf = JX_EARG, rc_null = JX_EARG;
    int kept_file = 0, kept_buf = 0, kept_null = 0;
    if (before) {
        char *after;
        rc_file = jx_input_load_file(in, path, 0, &ef);
        after = score_json(s, in);
        kept_file = same_json(before, after);
        jx_free(after);
        rc_buf = jx_input_load_buffer(in, doc, len, "数据.json", 0, &eb);
        after = score_json(s, in);
        kept_buf = same_json(before, after);
        jx_free(after);
        rc_null = jx_input_load_file(in, path, 0, NULL);
        after = score_json(s, in);
        kept_null = same_json(before, after);
        jx_free(after);
    }
    int ready = before != NULL;
    jx_free(before);
    jx_input_free(in);
    jx_scheme_free(s);

    ck_assert_msg(ready, "%s: %s did not load or score: %s", what, mp,
                  rc0 == 0 ? "jx_score failed" : e.message);
    ck_assert_msg(rc_file < 0, "%s: the input loaded (returned %d)", what, rc_file);
    check_error(what, &x, rc_file, &ef, path, doc, len);
    ck_assert_msg(kept_file, "%s: a failed jx_input_load_file changed the input", what);
    ck_assert_msg(rc_buf < 0, "%s: the input loaded from a buffer (returned %d)", what, rc_buf);
    check_error(what, &x, rc_buf, &eb, "数据.json", doc, len);
    ck_assert_msg(kept_buf, "%s: a failed jx_input_load_buffer changed the input", what);
    ck_assert_msg(rc_null == x.code, "%s: without a jx_error returned %s", what,
                  code_name(rc_null));
    ck_assert_msg(kept_null, "%s: a failed load without a jx_error changed the input", what);
}
END_TEST

/* ---- The lists themselves and the nesting boundary ------------------------ */

static void check_list(const case_list *l, int at_least)
{
    ck_assert_msg(!l->unreadable, "cannot open %s/%s (set JX_TEST_DATA)", jxt_data_dir, l->sub);
    ck_assert_msg(!l->overflow, "%s: more than %d cases or a name of %d bytes or more", l->sub,
                  MAX_CASES, MAX_NAME);
    ck_assert_msg(l->n >= at_least, "%s: %d cases, expected at least %d", l->sub, l->n, at_least);
    /* Every case directory holds its document and an expected file. */
    for (int i = 0; i < l->n; i++) {
        char p[1200];
        struct stat st;
        PATHF(p, "%s/%s/%s/%s", jxt_data_dir, l->sub, l->names[i], l->file);
        ck_assert_msg(stat(p, &st) == 0, "%s/%s: no %s", l->sub, l->names[i], l->file);
        PATHF(p, "%s/%s/%s/expected", jxt_data_dir, l->sub, l->names[i]);
        ck_assert_msg(stat(p, &st) == 0, "%s/%s: no expected file", l->sub, l->names[i]);
    }
}

START_TEST(test_case_lists)
{
    check_list(&scheme_cases, 45);
    check_list(&input_cases, 12);
}
END_TEST

/* A chain of `levels` indicators, each the only child of the one before,
 * in static storage. */
static const char *nested_scheme(int levels)
{
    static char b[16384];
    size_t n = 0;
    ck_assert_int_le(levels, 64);
    fmt(b, sizeof b, "%s",
        "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"测试\",\n"
        " \"metrics\": {\"执行数\": {}, \"预算数\": {}},\n"
        " \"indicators\": [\n");
    n = strlen(b);
    for (int k = 1; k < levels; k++) {
        fmt(b + n, sizeof b - n, "{\"id\": \"%d\", \"name\": \"第%d层\", \"children\": [\n", k, k);
        n += strlen(b + n);
    }
    fmt(b + n, sizeof b - n,
        "{\"id\": \"%d\", \"name\": \"第%d层\", \"max\": 100, "
        "\"value\": \"执行数 / 预算数 * 100\", \"rule\": {\"ratio\": {\"target\": \">= 100\"}}}\n",
        levels, levels);
    n += strlen(b + n);
    for (int k = 1; k < levels; k++) {
        fmt(b + n, sizeof b - n, "]}\n");
        n += strlen(b + n);
    }
    fmt(b + n, sizeof b - n, "]}\n");
    return b;
}

START_TEST(test_nesting_limit)
{
    /* 16 levels (the limit) load, with the deepest at depth 15; 17 do not
     * (the file case invalid/indicators-too-deep checks the position). */
    jx_error e;
    memset(&e, 0, sizeof e);
    const char *t = nested_scheme(16);
    jx_scheme *s = jx_scheme_load_buffer(t, strlen(t), NULL, 0, &e);
    int loaded = s != NULL;
    int depth = s ? jx_scheme_indicator_depth(s, jx_scheme_indicator_count(s) - 1) : -1;
    jx_scheme_free(s);
    ck_assert_msg(loaded, "16 levels: %s at %s %d:%d", e.message, e.path, e.line, e.column);
    ck_assert_int_eq(depth, 15);

    t = nested_scheme(17);
    memset(&e, 0, sizeof e);
    s = jx_scheme_load_buffer(t, strlen(t), NULL, 0, &e);
    loaded = s != NULL;
    jx_scheme_free(s);
    ck_assert_msg(!loaded, "17 levels loaded");
    ck_assert_int_eq(e.code, JX_ELIMIT);
    ck_assert_str_eq(e.source, "<string>");
}
END_TEST

Suite *suite_errors(void)
{
    Suite *s = suite_create("errors");
    list_cases(&scheme_cases);
    list_cases(&input_cases);

    TCase *tc = tcase_create("lists");
    tcase_add_test(tc, test_case_lists);
    tcase_add_test(tc, test_nesting_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid schemes");
    tcase_add_loop_test(tc, test_invalid_scheme, 0, scheme_cases.n);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid inputs");
    tcase_add_loop_test(tc, test_invalid_input, 0, input_cases.n);
    suite_add_tcase(s, tc);
    return s;
}
