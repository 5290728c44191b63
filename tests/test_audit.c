/* The scheme digest (and the SHA-256 behind it), the result's audit block,
 * entity ids and the setters' last error. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util/internal.h"
#include "../lib/load/load.h"
#include "../lib/util/sha256.h"
#include "tests.h"

START_TEST(sha256_fips_vectors)
{
    /* FIPS 180-2 appendix B and the empty message. */
    char hex[65];
    jxi_sha256_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    jxi_sha256_hex("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    jxi_sha256_hex(two, strlen(two), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* One million 'a', fed in uneven pieces across block boundaries. */
    jxi_sha256 c;
    unsigned char d[32];
    char a[997];
    memset(a, 'a', sizeof a);
    jxi_sha256_init(&c);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        jxi_sha256_update(&c, a, n);
        left -= n;
    }
    jxi_sha256_final(&c, d);
    static const unsigned char want[32] = {
        0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e, 0x67,
        0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};
    ck_assert(memcmp(d, want, 32) == 0);
}
END_TEST

static const char *scheme_a =
    "{\"jixiao\": 1, \"id\": \"aud\", \"title\": \"t\", \"total\": 20, \"lang\": \"en\",\n"
    " \"metrics\": {\"x\": {\"unit\": \"%\"}, \"ok\": {\"type\": \"bool\"}},\n"
    " \"indicators\": [\n"
    "  {\"id\": \"A\", \"name\": \"a\", \"max\": 10, \"value\": \"x\",\n"
    "   \"rule\": {\"deduct\": {\"target\": \">= 90\", \"per\": 1, \"points\": 2}}},\n"
    "  {\"id\": \"B\", \"name\": \"b\", \"max\": 10, \"value\": \"x\",\n"
    "   \"rule\": {\"bands\": [{\"when\": \"< 50\", \"score\": 0},\n"
    "    {\"when\": \">= 50\", \"score\": 10}]}}],\n"
    " \"grades\": [{\"label\": \"good\", \"min\": 10}, {\"label\": \"bad\", \"min\": 0}]}";

static jx_scheme *load(const char *text)
{
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(text, strlen(text), NULL, 0, &err);
    ck_assert_msg(s != NULL, "%d:%d: %s", err.line, err.column, err.message);
    return s;
}

START_TEST(digest_ignores_layout_not_values)
{
    jx_scheme *s = load(scheme_a);
    const char *d = jx_scheme_digest(s);
    ck_assert_uint_eq(strlen(d), 64);
    ck_assert(strspn(d, "0123456789abcdef") == 64);
    /* The same document with other whitespace: same digest. */
    char *flat = strdup(scheme_a);
    for (char *p = flat; *p; p++)
        if (*p == '\n')
            *p = ' ';
    jx_scheme *s2 = load(flat);
    ck_assert_str_eq(jx_scheme_digest(s2), d);
    /* The canonical form by hand: the digest is its SHA-256. */
    json_t *root = json_loads(scheme_a, 0, NULL);
    char *canon = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    char hex[65];
    jxi_sha256_hex(canon, strlen(canon), hex);
    ck_assert_str_eq(hex, d);
    free(canon);
    json_decref(root);
    /* One value changed: another digest. */
    char *t = strdup(scheme_a);
    char *p = strstr(t, "\"points\": 2");
    p[10] = '3';
    jx_scheme *s3 = load(t);
    ck_assert_str_ne(jx_scheme_digest(s3), d);
    ck_assert_ptr_null(jx_scheme_digest(NULL));
    free(t);
    free(flat);
    jx_scheme_free(s3);
    jx_scheme_free(s2);
    jx_scheme_free(s);
}
END_TEST

START_TEST(audit_block_fields)
{
    jx_scheme *s = load(scheme_a);
    jx_input *in = jx_input_new(s);
    const char *txt = "{\"entity\": \"dept-07\", \"metrics\": {\"x\": 87.5}}";
    jx_error err;
    ck_assert_int_eq(jx_input_load_buffer(in, txt, strlen(txt), NULL, 0, &err), 0);
    ck_assert_str_eq(jx_input_entity(in), "dept-07");
    jx_result *r = jx_score(s, in, 0, &err);
    ck_assert_ptr_nonnull(r);
    char *js = jx_result_to_json(r, 0);
    json_t *root = json_loads(js, 0, NULL);
    ck_assert_ptr_nonnull(root);
    json_t *a = json_object_get(root, "audit");
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(json_string_value(json_object_get(a, "library")), jx_version());
    ck_assert_str_eq(json_string_value(json_object_get(a, "scheme")), "aud");
    ck_assert_str_eq(json_string_value(json_object_get(a, "digest")), jx_scheme_digest(s));
    ck_assert_str_eq(json_string_value(json_object_get(a, "entity")), "dept-07");
    json_t *leaves = json_object_get(a, "leaves");
    ck_assert_uint_eq(json_array_size(leaves), 2);
    json_t *l0 = json_array_get(leaves, 0);
    ck_assert_str_eq(json_string_value(json_object_get(l0, "id")), "A");
    ck_assert(json_number_value(json_object_get(json_object_get(l0, "inputs"), "x")) == 87.5);
    json_t *ap = json_object_get(l0, "applied");
    ck_assert_str_eq(json_string_value(json_object_get(ap, "rule")), "deduct");
    ck_assert_str_eq(json_string_value(json_object_get(ap, "op")), ">=");
    ck_assert(json_number_value(json_object_get(ap, "target")) == 90);
    ck_assert(json_number_value(json_object_get(ap, "gap")) == 2.5);
    ck_assert(json_number_value(json_object_get(ap, "steps")) == 2.5);
    ck_assert(json_number_value(json_object_get(ap, "deducted")) == 5);
    json_t *ap1 = json_object_get(json_array_get(leaves, 1), "applied");
    ck_assert_str_eq(json_string_value(json_object_get(ap1, "band")), ">= 50");
    ck_assert(json_number_value(json_object_get(ap1, "band_score")) == 10);
    json_decref(root);
    jx_free(js);
    jx_result_free(r);

    /* Missing input: null, no entity after clear. */
    jx_input_clear(in);
    ck_assert_ptr_null(jx_input_entity(in));
    r = jx_score(s, in, 0, &err);
    js = jx_result_to_json(r, 0);
    root = json_loads(js, 0, NULL);
    a = json_object_get(root, "audit");
    ck_assert(json_is_null(json_object_get(a, "entity")));
    l0 = json_array_get(json_object_get(a, "leaves"), 0);
    ck_assert(json_is_null(json_object_get(json_object_get(l0, "inputs"), "x")));
    ck_assert_ptr_null(json_object_get(json_object_get(l0, "applied"), "gap"));
    json_decref(root);
    jx_free(js);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(setters_name_the_metric)
{
    jx_scheme *s = load(scheme_a);
    jx_input *in = jx_input_new(s);
    ck_assert_int_eq(jx_input_last_error(in)->code, 0);
    ck_assert_int_eq(jx_input_set_number(in, "nosuch", 1), JX_ENOTFOUND);
    const jx_error *e = jx_input_last_error(in);
    ck_assert_int_eq(e->code, JX_ENOTFOUND);
    ck_assert_msg(strstr(e->message, "\"nosuch\"") != NULL, "%s", e->message);
    ck_assert_int_eq(jx_input_set_number(in, "ok", 1), JX_ETYPE);
    ck_assert_msg(strstr(jx_input_last_error(in)->message, "\"ok\"") != NULL, "%s",
                  jx_input_last_error(in)->message);
    ck_assert_int_eq(jx_input_set_not_applicable(in, "Z9"), JX_ENOTFOUND);
    ck_assert_msg(strstr(jx_input_last_error(in)->message, "\"Z9\"") != NULL, "%s",
                  jx_input_last_error(in)->message);
    ck_assert_int_eq(jx_input_set_entity(in, "e1"), 0);
    ck_assert_str_eq(jx_input_entity(in), "e1");
    ck_assert_int_eq(jx_input_set_entity(in, NULL), 0);
    ck_assert_ptr_null(jx_input_entity(in));
    ck_assert_ptr_null(jx_input_last_error(NULL));
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

/* The conversions of a format, in order ("%s%zu..."), %% skipped. */
static void conversions(const char *f, char *out, size_t cap)
{
    size_t n = 0;
    for (; *f; f++) {
        if (*f != '%')
            continue;
        f++;
        if (*f == '%')
            continue;
        while (*f && !strchr("sdiuxzlfg", *f))
            f++;
        while (*f && strchr("zl", *f) && n + 1 < cap)
            out[n++] = *f++;
        if (*f && n + 1 < cap)
            out[n++] = *f;
    }
    out[n] = '\0';
}

START_TEST(chinese_messages)
{
    const char *bad = "{\"jixiao\": 1, \"id\": \"x\", \"title\": \"t\", \"total\": 10,"
                      " \"metrics\": {}, \"bogus\": 1}";
    jx_error err;
    ck_assert_ptr_null(jx_scheme_load_buffer(bad, strlen(bad), "s.json", 0, &err));
    ck_assert_msg(strstr(err.message, "unknown key \"bogus\"") != NULL, "%s", err.message);
    ck_assert_ptr_null(jx_scheme_load_buffer(bad, strlen(bad), "s.json", JX_LOAD_LANG_ZH, &err));
    ck_assert_msg(strstr(err.message, "未知的键 \"bogus\"") != NULL, "%s", err.message);
    ck_assert_str_eq(err.source, "s.json"); /* where stays the same */
    ck_assert_int_eq(err.line, 1);

    jx_scheme *s = load(scheme_a);
    jx_input *in = jx_input_new(s);
    const char *txt = "{\"metrics\": {\"nosuch\": 1}}";
    ck_assert_int_eq(jx_input_load_buffer(in, txt, strlen(txt), NULL, JX_LOAD_LANG_ZH, &err),
                     JX_ENOTFOUND);
    ck_assert_msg(strstr(err.message, "未知的数据项 \"nosuch\"") != NULL, "%s", err.message);
    txt = "{\"metrics\": {\"x\": \"many\"}}";
    ck_assert_int_lt(jx_input_load_buffer(in, txt, strlen(txt), NULL, JX_LOAD_LANG_ZH, &err), 0);
    ck_assert_msg(strstr(err.message, "应为数值") != NULL, "%s", err.message);
    ck_assert_int_lt(jx_input_load_buffer(in, txt, strlen(txt), NULL, 0, &err), 0);
    ck_assert_msg(strstr(err.message, "takes a number") != NULL, "%s", err.message);
    jx_input_free(in);
    jx_scheme_free(s);

    /* Every translation takes the English one's arguments, in order. */
    ck_assert_uint_ge(jxi_msg_zh_count(), 40);
    for (size_t k = 0; k < jxi_msg_zh_count(); k++) {
        const char *en = jxi_msg_zh_english(k);
        char a[32], b[32];
        conversions(en, a, sizeof a);
        conversions(jxi_msg_zh(en), b, sizeof b);
        ck_assert_msg(strcmp(a, b) == 0, "%s: %s vs %s", en, a, b);
        ck_assert_ptr_ne(jxi_msg_zh(en), en);
        for (size_t j = 0; j < k; j++) /* a second entry would never be found */
            ck_assert_msg(strcmp(jxi_msg_zh_english(j), en) != 0, "twice: %s", en);
    }
    ck_assert_str_eq(jxi_msg_zh("no such message"), "no such message");
}
END_TEST

/* The same failure in both languages: same code and position, the message
 * in Chinese only with JX_LOAD_LANG_ZH. */
static void scheme_both(const char *text, const char *en, const char *zh)
{
    jx_error e, z;
    ck_assert_ptr_null(jx_scheme_load_buffer(text, strlen(text), "s.json", 0, &e));
    ck_assert_ptr_null(jx_scheme_load_buffer(text, strlen(text), "s.json", JX_LOAD_LANG_ZH, &z));
    ck_assert_msg(strstr(e.message, en) != NULL, "%s", e.message);
    ck_assert_msg(strstr(z.message, zh) != NULL, "%s", z.message);
    ck_assert_int_eq(e.code, z.code);
    ck_assert_int_eq(e.line, z.line);
    ck_assert_int_eq(e.column, z.column);
    ck_assert_int_eq(e.offset, z.offset);
    ck_assert_str_eq(e.path, z.path);
    ck_assert_str_eq(e.source, z.source);
}

static void input_both(jx_input *in, const char *text, const char *en, const char *zh)
{
    jx_error e, z;
    int rc = jx_input_load_buffer(in, text, strlen(text), "in.json", 0, &e);
    ck_assert_int_lt(rc, 0);
    ck_assert_int_eq(jx_input_load_buffer(in, text, strlen(text), "in.json", JX_LOAD_LANG_ZH, &z),
                     rc);
    ck_assert_msg(strstr(e.message, en) != NULL, "%s", e.message);
    ck_assert_msg(strstr(z.message, zh) != NULL, "%s", z.message);
    ck_assert_int_eq(e.line, z.line);
    ck_assert_int_eq(e.column, z.column);
    ck_assert_str_eq(e.path, z.path);
}

START_TEST(chinese_messages_files_inputs_lint_setters)
{
    /* Syntax errors, with jansson's words replaced where they are ours. */
    scheme_both("{\"jixiao\": 1,,}", "malformed JSON: ", "JSON 格式错误:语法错误");
    scheme_both("{\"jixiao\": 1", "malformed JSON: ", "JSON 格式错误:文本在一个值的中间结束");
    scheme_both("{\"jixiao\": 1, \"id\": \"\xff\"}", "invalid UTF-8 at byte 21",
                "第 21 字节处不是有效的 UTF-8");
    scheme_both("[1]", "found an array", "实际为 数组");
    scheme_both("{\"jixiao\": 1, \"id\": 7}", "\"id\" must be a string, found an integer",
                "\"id\" 应为字符串,实际为 整数");
    scheme_both("{\"jixiao\": 1, \"id\": \"x\", \"title\": \"t\", \"precision\": 9}",
                "\"precision\" must be between 0 and 6, found 9",
                "\"precision\" 应在 0 到 6 之间,实际为 9");

    jx_error err;
    ck_assert_ptr_null(jx_scheme_load_file("/nonexistent/s.json", JX_LOAD_LANG_ZH, &err));
    ck_assert_int_eq(err.code, JX_EIO);
    ck_assert_str_eq(err.message, "无法打开文件:文件不存在");
    ck_assert_str_eq(err.source, "/nonexistent/s.json");
    ck_assert_ptr_null(jx_scheme_load_file("/nonexistent/s.json", 0, &err));
    ck_assert_str_eq(err.message, "cannot open file: no such file");

    jx_scheme *s = load(scheme_a);
    jx_input *in = jx_input_new(s);
    input_both(in, "{\"metrics\": {}, \"bogus\": 1}", "unknown key \"bogus\" in an input",
               "未知的键 \"bogus\"(在输入中)");
    input_both(in, "{\"not_applicable\": \"A\"}",
               "\"not_applicable\" must be an array of indicator ids, found a string",
               "\"not_applicable\" 应为指标编号的数组,实际为 字符串");
    input_both(in, "{\"metrics\": [1]}", "\"metrics\" must be an object",
               "\"metrics\" 应为 数据项名称: 值 形式的对象,实际为 数组");
    input_both(in, "{\"metrics\": {\"ok\": null, \"x\": true}}", "takes a number, found a boolean",
               "数据项 \"x\" 应为数值,实际为 布尔值");
    input_both(in, "{\"metrics\": {\"x\": 1}", "malformed JSON", "JSON 格式错误");
    ck_assert_int_eq(jx_input_load_file(in, "/nonexistent/in.json", JX_LOAD_LANG_ZH, &err),
                     JX_EIO);
    ck_assert_str_eq(err.message, "无法打开文件:文件不存在");

    /* Setters: English until asked, then Chinese, and back. */
    ck_assert_int_eq(jx_input_set_number(in, "nosuch", 1), JX_ENOTFOUND);
    ck_assert_str_eq(jx_input_last_error(in)->message,
                     "unknown metric \"nosuch\": the scheme does not declare it");
    ck_assert_int_eq(jx_input_set_messages(in, JX_LOAD_LANG_ZH), 0);
    ck_assert_int_eq(jx_input_set_number(in, "nosuch", 1), JX_ENOTFOUND);
    ck_assert_str_eq(jx_input_last_error(in)->message, "未知的数据项 \"nosuch\":指标体系未声明");
    ck_assert_int_eq(jx_input_set_bool(in, "x", 1), JX_ETYPE);
    ck_assert_str_eq(jx_input_last_error(in)->message,
                     "数据项 \"x\" 应为数值,而不是true 或 false");
    ck_assert_int_eq(jx_input_set_not_applicable(in, "Z9"), JX_ENOTFOUND);
    ck_assert_str_eq(jx_input_last_error(in)->message, "没有编号为 \"Z9\" 的指标");
    jx_input_clear(in); /* keeps the language */
    ck_assert_int_eq(jx_input_unset(in, "nosuch"), JX_ENOTFOUND);
    ck_assert_str_eq(jx_input_last_error(in)->message, "未知的数据项 \"nosuch\":指标体系未声明");
    ck_assert_int_eq(jx_input_set_messages(in, 0), 0);
    ck_assert_int_eq(jx_input_set_bool(in, "x", 1), JX_ETYPE);
    ck_assert_str_eq(jx_input_last_error(in)->message,
                     "metric \"x\" takes a number, not true or false");
    ck_assert_int_eq(jx_input_set_messages(NULL, 0), JX_EARG);
    jx_input_free(in);
    jx_scheme_free(s);

    /* jx_lint_* take the flag too, for errors and warnings alike. */
    const char *bad = "{\"jixiao\": 1, \"id\": \"x\", \"title\": \"t\", \"total\": 10,"
                      " \"metrics\": {}, \"bogus\": 1}";
    jx_diagnostics *d = jx_lint_buffer(bad, strlen(bad), "s.json", JX_LOAD_LANG_ZH);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_ge(jx_diagnostics_errors(d), 1);
    ck_assert_msg(strstr(jx_diagnostics_get(d, 0)->message, "未知的键 \"bogus\"(在指标体系中)"),
                  "%s", jx_diagnostics_get(d, 0)->message);
    jx_diagnostics_free(d);
    d = jx_lint_buffer(bad, strlen(bad), "s.json", 0);
    ck_assert_msg(strstr(jx_diagnostics_get(d, 0)->message, "unknown key \"bogus\" in a scheme"),
                  "%s", jx_diagnostics_get(d, 0)->message);
    jx_diagnostics_free(d);
    d = jx_lint_file("/nonexistent/s.json", JX_LOAD_LANG_ZH);
    ck_assert_str_eq(jx_diagnostics_get(d, 0)->message, "无法打开文件:文件不存在");
    jx_diagnostics_free(d);
}
END_TEST

/* The digest's canonical text is written by lib/load/digest.c; it must be
 * jansson's compact, key-sorted dump byte for byte (docs/api.md). */
static void same_as_dumps(const json_t *root, const char *what)
{
    char *canon = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    ck_assert_ptr_nonnull(canon);
    char want[65], got[65];
    jxi_sha256_hex(canon, strlen(canon), want);
    ck_assert_int_eq(jxi_scheme_digest_json(root, got), 0);
    ck_assert_msg(strcmp(want, got) == 0, "%s: digest differs from that of %s", what,
                  strlen(canon) < 300 ? canon : "its dump");
    free(canon);
}

START_TEST(digest_canonical_form_is_jansson_dump)
{
    static const char *const docs[] = {
        "[0.1, 7.5, 100.0, -0.0, 0.0, 1e16, 1e17, 1.5e-5, 1e-4, 0.0001234, 123456.789]",
        "[5e-324, 1.7976931348623157e308, -7.25, 2.5e-300, 1e22, 9007199254740993.0]",
        "[0.30000000000000004, 1.0000000000000002, 123456789012345678901234567890.0]",
        "[-9223372036854775807, 0, -1, 9223372036854775807, 12, -0]",
        "[true, false, null, [], {}, [[[]]], {\"a\": {}}]",
        "{\"b\": 1, \"a\": 2, \"ab\": 3, \"\": 4, \"a\\u00e9\": 5, \"\\u4e2d\": 6, \"B\": 7}",
        "[\"\\b\\f\\n\\r\\t\\\"\\\\/\\u0001\\u001f\\u007f\", \"\\u00e9\\u4e2d\\ud834\\udd1e\"]",
        "{\"k\\n\\u0002\": \"v\", \"z\": [1, {\"y\": 2, \"x\": [3.25]}]}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        json_error_t e;
        json_t *root = json_loads(docs[i], JSON_DECODE_ANY, &e);
        ck_assert_msg(root != NULL, "%s: %s", docs[i], e.text);
        same_as_dumps(root, docs[i]);
        json_decref(root);
    }
    /* An object of many keys (the sorted, not the on-stack, path). */
    json_t *big = json_object();
    for (int i = 99; i >= 0; i--) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i * 37 % 100);
        json_object_set_new(big, k, json_real(i / 7.0));
    }
    same_as_dumps(big, "100 keys");
    json_decref(big);
    /* Every bundled scheme. */
    static const char *const files[] = {
        "example.json", "mof-2013-department.json", "mof-2020-project-hotline.json",
        "mof-2020-project-self.json", "municipal-department-2023.json",
        "sichuan-department-2017.json", "us-omb-part.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", jxt_schemes_dir, files[i]);
        json_error_t e;
        json_t *root = json_load_file(path, 0, &e);
        ck_assert_msg(root != NULL, "%s: %s", path, e.text);
        same_as_dumps(root, path);
        char want[65];
        ck_assert_int_eq(jxi_scheme_digest_json(root, want), 0);
        json_decref(root);
        jx_error err;
        jx_scheme *s = jx_scheme_load_file(path, 0, &err);
        ck_assert_msg(s != NULL, "%s: %s", path, err.message);
        ck_assert_str_eq(jx_scheme_digest(s), want);
        jx_scheme_free(s);
    }
}
END_TEST

/* A gap too large for its steps: the audit still parses, with null where a
 * figure is not finite (a fuzz finding: "steps":inf). */
START_TEST(audit_overflow_is_null)
{
    jx_scheme *s = load(scheme_a);
    jx_input *in = jx_input_new(s);
    ck_assert_int_eq(jx_input_set_number(in, "x", -1.7e308), 0);
    jx_error err;
    jx_result *r = jx_score(s, in, 0, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert(jx_result_score(r, 0) == 0);
    char *js = jx_result_to_json(r, 0);
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    ck_assert_msg(root != NULL, "%s: %s", je.text, js);
    json_t *ap = json_object_get(json_array_get(json_object_get(json_object_get(root, "audit"),
                                                                "leaves"), 0), "applied");
    ck_assert(json_number_value(json_object_get(ap, "gap")) > 1e308);
    ck_assert(json_number_value(json_object_get(ap, "steps")) > 1e308);
    ck_assert(json_is_null(json_object_get(ap, "deducted")));
    json_decref(root);
    jx_free(js);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

Suite *suite_audit(void)
{
    Suite *su = suite_create("audit");
    TCase *tc = tcase_create("audit");
    tcase_add_test(tc, sha256_fips_vectors);
    tcase_add_test(tc, digest_ignores_layout_not_values);
    tcase_add_test(tc, digest_canonical_form_is_jansson_dump);
    tcase_add_test(tc, audit_block_fields);
    tcase_add_test(tc, audit_overflow_is_null);
    tcase_add_test(tc, setters_name_the_metric);
    tcase_add_test(tc, chinese_messages);
    tcase_add_test(tc, chinese_messages_files_inputs_lint_setters);
    suite_add_tcase(su, tc);
    return su;
}
