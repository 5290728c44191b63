/* Figures from report text: the bundled municipal report read exactly,
 * number and unit formats, take modes, provenance, hostile patterns and
 * text, and profile errors at load. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/extract/numtext.h"
#include "tests.h"

#ifndef JX_NO_EXTRACT

static size_t find(const jx_extraction *x, const char *metric)
{
    for (size_t k = 0; k < jx_extraction_count(x); k++)
        if (strcmp(jx_extraction_metric(x, k), metric) == 0)
            return k;
    ck_abort_msg("metric %s is not in the extraction", metric);
    return 0;
}

START_TEST(municipal_report_read_exactly)
{
    char path[512];
    snprintf(path, sizeof path, "%s/municipal-department-2023.json", jxt_schemes_dir);
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(path, 0, &err);
    ck_assert_msg(s != NULL, "%s:%d:%d: %s: %s", err.source, err.line, err.column, err.path,
                  err.message);
    ck_assert_int_eq(jx_scheme_has_extraction(s), 1);
    snprintf(path, sizeof path, "%s/examples/municipal-department-2023.report.txt",
             jxt_schemes_dir);
    size_t len;
    char *text = jxt_read_file(path, &len);
    ck_assert_msg(text != NULL, "cannot open %s", path);
    jx_extraction *x = jx_extract(s, text, len, 0, &err);
    ck_assert_msg(x != NULL, "%s", err.message);
    /* Every metric of the scheme is in the profile and found. */
    ck_assert_uint_eq(jx_extraction_count(x), jx_scheme_metric_count(s));
    static const struct { const char *metric; double value; } want[] = {
        {"编制数", 32}, {"在职人员数", 29}, {"调整后预算数", 2318.46}, {"年初预算数", 2190},
        {"预算调整数", 72.66}, {"预算执行数", 2286.12}, {"项目资金既定支付数", 1598.20},
        {"项目资金实际支付数", 1583.77}, {"年末结转结余", 32.34}, {"财务管理制度健全", 1},
        {"公务用车管理制度健全", 1}, {"公务交通费用报销办法健全", 1}, {"工作人员考核办法健全", 1},
        {"目标绩效考核办法健全", 1}, {"违规使用资金例数", 0}, {"三公经费预算数", 9.50},
        {"三公经费实际支出数", 7.86}, {"政府采购预算数", 526.40}, {"政府采购实际金额", 526.40},
        {"项目总数", 12}, {"编报绩效目标项目数", 12}, {"部门预算公开", 1}, {"部门决算公开", 1},
        {"三公经费预算公开", 1}, {"三公经费决算公开", 1}, {"在规定时限内公开", 1},
        {"资料报送情况", 0 /* 及时 */}, {"主动接受财政监督", 1}, {"监督发现问题整改到位", 1},
        {"绩效目标与部门职能相符", 1}, {"绩效目标与预算相匹配", 1},
        {"绩效指标涵盖产出效益满意度", 1}, {"绩效目标明确时间节点和责任", 1},
        {"绩效指标量化程度", 1 /* 个别指标未量化 */}, {"开展绩效运行监控", 1},
        {"监控发现偏差及时纠正", 1}, {"开展绩效自评", 1}, {"自评结果用于改进管理和预算安排", 1},
        {"政务服务受理件数", 286.42}, {"政务服务办结件数", 286.39}, {"群众满意率", 99.6},
        {"交易服务事项计划数", 1200}, {"交易服务事项完成数", 1236}, {"交易成交金额", 258.6},
        {"交易节约资金", 10.35},
    };
    ck_assert_uint_eq(sizeof want / sizeof want[0], jx_scheme_metric_count(s));
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t k = find(x, want[i].metric);
        ck_assert_msg(jx_extraction_status(x, k) == JX_FOUND, "%s: status %d (%s)", want[i].metric,
                      jx_extraction_status(x, k), jx_extraction_message(x, k));
        ck_assert_msg(jx_extraction_value(x, k) == want[i].value, "%s: %.17g, want %.17g",
                      want[i].metric, jx_extraction_value(x, k), want[i].value);
    }
    /* Provenance: both staffing sentences, with line, column and text. */
    size_t k = find(x, "编制数");
    ck_assert_uint_eq(jx_extraction_match_count(x, k), 2);
    ck_assert_int_eq(jx_extraction_match_line(x, k, 0), 6);
    ck_assert_int_eq(jx_extraction_match_column(x, k, 0), 13);
    ck_assert_str_eq(jx_extraction_match_text(x, k, 0), "事业编制24名");
    ck_assert_str_eq(jx_extraction_match_text(x, k, 1), "事业编制8名");
    ck_assert_double_eq(jx_extraction_match_value(x, k, 1), 8);
    ck_assert_uint_eq(jx_extraction_match_offset(x, k, 0),
                      (size_t)(strstr(text, "事业编制24名") - text));
    k = find(x, "政务服务办结件数");
    ck_assert_str_eq(jx_extraction_unit(x, k), "万件");
    ck_assert_str_eq(jx_extraction_match_text(x, k, 0),
                     "受理各类政务服务事项286.42万件,办结2,863,900件");

    /* The figures score; the JSON form is an input giving the same. */
    jx_input *a = jx_input_new(s), *b = jx_input_new(s);
    ck_assert_int_eq(jx_extraction_apply(x, a), (int)jx_scheme_metric_count(s));
    char *json = jx_extraction_to_json(x, 0);
    ck_assert_ptr_nonnull(json);
    ck_assert_msg(jx_input_load_buffer(b, json, strlen(json), "extracted", 0, &err) == 0,
                  "%s at %s", err.message, err.path);
    jx_result *ra = jx_score(s, a, JX_STRICT, &err), *rb = jx_score(s, b, JX_STRICT, &err);
    ck_assert_ptr_nonnull(ra);
    ck_assert_ptr_nonnull(rb);
    for (size_t i = 0; i < jx_scheme_indicator_count(s); i++)
        ck_assert_double_eq(jx_result_score(ra, i), jx_result_score(rb, i));
    ck_assert_double_eq(jx_result_total(ra), jx_result_total(rb));
    ck_assert_str_eq(jx_result_grade(ra), "优");
    jx_result_free(ra);
    jx_result_free(rb);
    jx_free(json);
    jx_input_free(a);
    jx_input_free(b);
    jx_extraction_free(x);

    /* Without JIT the same figures. */
    x = jx_extract(s, text, len, JX_EXTRACT_NO_JIT, &err);
    ck_assert_ptr_nonnull(x);
    ck_assert_double_eq(jx_extraction_value(x, find(x, "交易节约资金")), 10.35);
    jx_extraction_free(x);
    free(text);
    jx_scheme_free(s);
}
END_TEST

static double parse(const char *s, const char *from, const char *to)
{
    jxi_decnum d;
    size_t used;
    char why[160];
    ck_assert_msg(jxi_numtext_parse(s, strlen(s), &d, &used, why, sizeof why) == 0, "%s: %s", s,
                  why);
    if (from)
        ck_assert_msg(jxi_unit_convert(&d, from, strlen(from), to, strlen(to), why, sizeof why) == 0,
                      "%s", why);
    return jxi_decnum_value(&d);
}

START_TEST(number_formats_and_units)
{
    ck_assert_double_eq(parse("2100.09", NULL, NULL), 2100.09);
    ck_assert_double_eq(parse("2,100.09", NULL, NULL), 2100.09);
    ck_assert_double_eq(parse("２１００．０９", NULL, NULL), 2100.09);
    ck_assert_double_eq(parse("１，２３４．５", NULL, NULL), 1234.5);
    ck_assert_double_eq(parse("100%", NULL, NULL), 100);
    ck_assert_double_eq(parse("100％", NULL, NULL), 100);
    ck_assert_double_eq(parse("-5.68", NULL, NULL), -5.68);
    ck_assert_double_eq(parse("240.7", "亿元", "万元"), 2407000);
    ck_assert_double_eq(parse("9.57", "亿元", "元"), 957000000);
    ck_assert_double_eq(parse("2,863,900", "件", "万件"), 286.39);
    ck_assert_double_eq(parse("272.65", "万件", "件"), 2726500);
    ck_assert_double_eq(parse("1,425.64", "万元", "万元"), 1425.64);
    ck_assert_double_eq(parse("99.6", "％", "%"), 99.6);
    ck_assert_double_eq(parse("十二", NULL, NULL), 12);
    ck_assert_double_eq(parse("两千", NULL, NULL), 2000);
    ck_assert_double_eq(parse("三万五千", NULL, NULL), 35000);
    ck_assert_double_eq(parse("一百零五", NULL, NULL), 105);
    ck_assert_double_eq(parse("十", NULL, NULL), 10);
    /* "三万件": 万 is the unit's prefix, so the number is 3. */
    jxi_decnum d;
    size_t used;
    char why[160];
    ck_assert_int_eq(jxi_numtext_parse("三万件", strlen("三万件"), &d, &used, why, sizeof why), 0);
    ck_assert_double_eq(jxi_decnum_value(&d), 3);
    ck_assert_uint_eq(used, 3);
    /* Punctuation after a number is not part of it. */
    ck_assert_int_eq(jxi_numtext_parse("2100,其中", strlen("2100,其中"), &d, &used, why, sizeof why), 0);
    ck_assert_double_eq(jxi_decnum_value(&d), 2100);
    ck_assert_int_eq(jxi_numtext_parse("1,2345", 6, &d, &used, why, sizeof why), JX_EVALUE);
    ck_assert_int_eq(jxi_numtext_parse("abc", 3, &d, &used, why, sizeof why), JX_EVALUE);
    ck_assert_int_eq(jxi_unit_convert(&d, "件", strlen("件"), "万元", strlen("万元"), why, sizeof why),
                     JX_EVALUE);
    ck_assert_ptr_nonnull(strstr(why, "cannot be converted"));
}
END_TEST

/* A scheme with metrics a (万元), n (个), f (bool), lv (level) and the given
 * profile entries. */
static jx_scheme *profile_scheme(const char *profile, jx_error *err)
{
    char buf[8192];
    snprintf(buf, sizeof buf,
             "{\"jixiao\": 1, \"id\": \"x\", \"title\": \"x\","
             " \"metrics\": {\"a\": {\"unit\": \"万元\"}, \"n\": {\"unit\": \"个\"},"
             "   \"f\": {\"type\": \"bool\"}, \"lv\": {\"type\": \"level\", \"levels\": [\"好\", \"差\"]}},"
             " \"indicators\": ["
             "  {\"id\": \"1\", \"name\": \"a\", \"max\": 25, \"value\": \"a\", \"rule\": {\"manual\": {}}},"
             "  {\"id\": \"2\", \"name\": \"n\", \"max\": 25, \"value\": \"n\", \"rule\": {\"manual\": {}}},"
             "  {\"id\": \"3\", \"name\": \"f\", \"max\": 25, \"rule\": {\"checklist\": {\"items\": [\"f\"], \"each_missing\": 25}}},"
             "  {\"id\": \"4\", \"name\": \"lv\", \"max\": 25, \"rule\": {\"level\": {\"metric\": \"lv\", \"fractions\": {\"好\": 1, \"差\": 0}}}}],"
             " \"extract\": {\"metrics\": {%s}}}",
             profile);
    return jx_scheme_load_buffer(buf, strlen(buf), "profile.json", 0, err);
}

static jx_extraction *run(jx_scheme *s, const char *text)
{
    jx_error err;
    jx_extraction *x = jx_extract(s, text, strlen(text), 0, &err);
    ck_assert_msg(x != NULL, "%s", err.message);
    return x;
}

START_TEST(take_modes_and_conflicts)
{
    jx_error err;
    jx_scheme *s = profile_scheme(
        "\"a\": {\"patterns\": [\"收入(?<value>[0-9.,]+)(?<unit>亿元|万元|元)\"], \"take\": \"agree\"},"
        "\"n\": {\"patterns\": [\"完成(?<value>[0-9]+)个\"], \"take\": \"sum\"},"
        "\"f\": {\"patterns\": [\"制度(?<value>是|否)健全\"]},"
        "\"lv\": {\"patterns\": [\"评价为(?<value>好|差|一般)\"], \"take\": \"last\"}",
        &err);
    ck_assert_msg(s != NULL, "%s at %s", err.message, err.path);
    jx_extraction *x = run(s, "收入1.5亿元。另据统计收入15,000万元。完成3个,完成4个。制度否健全。评价为差,再评价为好。");
    ck_assert_int_eq(jx_extraction_status(x, 0), JX_FOUND);
    ck_assert_double_eq(jx_extraction_value(x, 0), 15000);
    ck_assert_uint_eq(jx_extraction_match_count(x, 0), 2);
    ck_assert_double_eq(jx_extraction_value(x, 1), 7);
    ck_assert_double_eq(jx_extraction_value(x, 2), 0);
    ck_assert_int_eq(jx_extraction_status(x, 3), JX_FOUND);
    ck_assert_double_eq(jx_extraction_value(x, 3), 0); /* the last: 好 */
    ck_assert_str_eq(jx_extraction_match_text(x, 3, 0), "评价为好");
    jx_extraction_free(x);
    /* Disagreeing figures are a conflict, not a choice. */
    x = run(s, "收入1.5亿元。另据统计收入14,000万元。评价为一般。");
    ck_assert_int_eq(jx_extraction_status(x, 0), JX_CONFLICT);
    ck_assert_str_eq(jx_extraction_message(x, 0), "line 1 gives 15000, line 1 gives 14000");
    ck_assert_int_eq(jx_extraction_status(x, 1), JX_NOT_FOUND);
    ck_assert_int_eq(jx_extraction_status(x, 3), JX_INVALID);
    ck_assert_ptr_nonnull(strstr(jx_extraction_message(x, 3), "一般"));
    jx_input *in = jx_input_new(s);
    ck_assert_int_eq(jx_extraction_apply(x, in), 0);
    char *json = jx_extraction_to_json(x, 0);
    ck_assert_ptr_nonnull(strstr(json, "\"status\":\"conflict\""));
    ck_assert_ptr_nonnull(strstr(json, "\"metrics\": {}"));
    jx_free(json);
    jx_input_free(in);
    jx_extraction_free(x);
    jx_scheme_free(s);

    s = profile_scheme("\"n\": {\"patterns\": [\"共(?<value>[0-9]+)个\", \"共(?<value>[一二三四五六七八九十]+)个\"],"
                       " \"take\": \"first\"},"
                       "\"f\": {\"patterns\": [\"制度健全\"], \"absent\": false},"
                       "\"lv\": {\"patterns\": [\"(?<value>优|劣)等\"], \"map\": {\"优\": \"好\", \"劣\": \"差\"},"
                       " \"absent\": \"好\"}",
                       &err);
    ck_assert_msg(s != NULL, "%s at %s", err.message, err.path);
    x = run(s, "项目共十二个,另共两个。评为劣等。");
    ck_assert_double_eq(jx_extraction_value(x, 0), 12);
    ck_assert_int_eq(jx_extraction_match_pattern(x, 0, 0), 1);
    ck_assert_uint_eq(jx_extraction_match_count(x, 0), 1);
    /* No match: the profile's "absent" value stands, reported as a default,
     * never as found. */
    ck_assert_int_eq(jx_extraction_status(x, 1), JX_DEFAULT);
    ck_assert_double_eq(jx_extraction_value(x, 1), 0); /* absent: false */
    ck_assert_uint_eq(jx_extraction_match_count(x, 1), 0);
    ck_assert_double_eq(jx_extraction_value(x, 2), 1); /* 劣 -> 差 */
    jx_extraction_free(x);
    x = run(s, "没有数字。");
    ck_assert_int_eq(jx_extraction_status(x, 0), JX_NOT_FOUND);
    ck_assert_int_eq(jx_extraction_status(x, 2), JX_DEFAULT);
    ck_assert_double_eq(jx_extraction_value(x, 2), 0); /* absent: 好 */
    jx_extraction_free(x);
    jx_scheme_free(s);
}
END_TEST

/* The JSON form writes each figure as the double it is, not its 12-digit
 * reading: whole numbers as integers, others in the fewest digits that read
 * back exactly, with '.' whatever the locale (make check-locale runs this
 * under de_DE.UTF-8 too). */
START_TEST(json_numbers_exact)
{
    static const struct {
        const char *text, *json;
    } cases[] = {
        {"收入1234万元", "\"a\": 1234\n"},
        {"收入-5.68万元", "\"a\": -5.68\n"},
        {"收入0.1万元", "\"a\": 0.1\n"},
        {"收入1元", "\"a\": 0.0001\n"},
        {"收入2,318,462,345,678.91元", "\"a\": 231846234.567891\n"},
        {"收入1,234,567,890,123.456789万元", "\"a\": 1234567890123.4568\n"},
        {"收入12345678901234567万元", "\"a\": 12345678901234568\n"},
        {"收入100000000000000000000万元", "\"a\": 1e+20\n"},
    };
    jx_error err;
    jx_scheme *s = profile_scheme(
        "\"a\": {\"patterns\": [\"收入(?<value>[-0-9.,]+)(?<unit>万元|元)\"]}", &err);
    ck_assert_msg(s != NULL, "%s at %s", err.message, err.path);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        jx_extraction *x = run(s, cases[k].text);
        ck_assert_int_eq(jx_extraction_status(x, 0), JX_FOUND);
        char *json = jx_extraction_to_json(x, 0);
        ck_assert_ptr_nonnull(json);
        ck_assert_msg(strstr(json, cases[k].json) != NULL, "%s: want %s in\n%s", cases[k].text,
                      cases[k].json, json);
        jx_free(json);
        jx_extraction_free(x);
    }
    jx_scheme_free(s);
}
END_TEST

START_TEST(hostile_pattern_ends_with_an_error)
{
    jx_error err;
    /* Nested quantifiers over a 1 MB run of digits that never end with an
     * x or y: the backtracking would not end without pcre2's limits. (A
     * single required letter would let pcre2 give up at once, so the tail
     * is an alternation.) */
    jx_scheme *s =
        profile_scheme("\"a\": {\"patterns\": [\"(?<value>(\\\\d+)+)(?:x|y)\"]}", &err);
    ck_assert_msg(s != NULL, "%s at %s", err.message, err.path);
    size_t len = 1u << 20;
    char *text = malloc(len + 1);
    memset(text, '1', len);
    text[len] = '\0';
    for (unsigned flags = 0; flags <= JX_EXTRACT_NO_JIT; flags += JX_EXTRACT_NO_JIT) {
        jx_extraction *x = jx_extract(s, text, len, flags, &err);
        ck_assert_ptr_null(x);
        ck_assert_int_eq(err.code, JX_ELIMIT);
        ck_assert_msg(strstr(err.message, "limit") && strstr(err.message, "\"a\""), "%s",
                      err.message);
    }
    free(text);
    jx_scheme_free(s);
}
END_TEST

START_TEST(invalid_utf8_text)
{
    jx_error err;
    jx_scheme *s = profile_scheme("\"n\": {\"patterns\": [\"(?<value>[0-9]+)个\"]}", &err);
    ck_assert_ptr_nonnull(s);
    const char text[] = "第一行\n完成3个\xE4\xB8项";
    ck_assert_ptr_null(jx_extract(s, text, sizeof text - 1, 0, &err));
    ck_assert_int_eq(err.code, JX_ESYNTAX);
    ck_assert_int_eq(err.offset, (long)strlen("第一行\n完成3个"));
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 5);
    jx_scheme_free(s);

    /* A scheme without a profile says so. */
    char path[512];
    snprintf(path, sizeof path, "%s/example.json", jxt_schemes_dir);
    s = jx_scheme_load_file(path, 0, &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(jx_scheme_has_extraction(s), 0);
    ck_assert_ptr_null(jx_extract(s, "x", 1, 0, &err));
    ck_assert_int_eq(err.code, JX_EUNSUPPORTED);
    jx_scheme_free(s);
}
END_TEST

START_TEST(profile_errors_at_load)
{
    jx_error err;
    ck_assert_ptr_null(profile_scheme("\"a\": {\"patterns\": [\"收入(?<value>[0-9+)万元\"]}", &err));
    ck_assert_int_eq(err.code, JX_EVALUE);
    ck_assert_str_eq(err.path, "extract.metrics.a.patterns[0]");
    /* pcre2 finds the missing ']' at the end of the pattern: byte 27. */
    ck_assert_msg(strstr(err.message, "offset 27"), "%s", err.message);
    ck_assert_str_eq(err.source, "profile.json");
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_null(profile_scheme("\"zz\": {\"patterns\": [\"x\"]}", &err));
    ck_assert_int_eq(err.code, JX_EREF);
    ck_assert_str_eq(err.path, "extract.metrics.zz");
    ck_assert_ptr_null(profile_scheme("\"a\": {\"patterns\": [\"收入[0-9]+\"]}", &err));
    ck_assert_int_eq(err.code, JX_EVALUE);
    ck_assert_ptr_nonnull(strstr(err.message, "(?<value>"));
    ck_assert_ptr_null(profile_scheme("\"a\": {\"patterns\": [\"x(?<value>1)\"], \"take\": \"most\"}", &err));
    ck_assert_str_eq(err.path, "extract.metrics.a.take");
    ck_assert_ptr_null(profile_scheme("\"a\": {\"patterns\": []}", &err));
    ck_assert_int_eq(err.code, JX_ETYPE);
    ck_assert_ptr_null(profile_scheme("\"a\": {\"patterns\": [\"(?<value>1)\"], \"absent\": false}", &err));
    ck_assert_int_eq(err.code, JX_ETYPE);
    ck_assert_ptr_null(profile_scheme("\"lv\": {\"patterns\": [\"(?<value>x)\"], \"map\": {\"x\": \"中\"}}", &err));
    ck_assert_int_eq(err.code, JX_ELEVEL);
    ck_assert_str_eq(err.path, "extract.metrics.lv.map.x");

    /* A profile in its own file, named relative to the scheme. */
    char path[512];
    snprintf(path, sizeof path, "%s/extract/missing-profile.json", jxt_data_dir);
    ck_assert_ptr_null(jx_scheme_load_file(path, 0, &err));
    ck_assert_int_eq(err.code, JX_EIO);
    ck_assert_str_eq(err.path, "extract");
    snprintf(path, sizeof path, "%s/extract/bad-profile-scheme.json", jxt_data_dir);
    ck_assert_ptr_null(jx_scheme_load_file(path, 0, &err));
    ck_assert_int_eq(err.code, JX_EKEY);
    ck_assert_msg(strstr(err.source, "bad-profile.extract.json") != NULL, "%s", err.source);
    ck_assert_str_eq(err.path, "metrics.n.pattern");
    ck_assert_int_eq(err.line, 3);
}
END_TEST

/* A scheme with metric n and "extract" naming a file. */
static void named_profile_text(char *buf, size_t size, const char *file)
{
    snprintf(buf, size,
             "{\"jixiao\": 1, \"id\": \"p\", \"title\": \"p\", \"metrics\": {\"n\": {\"unit\": \"个\"}},"
             " \"indicators\": [{\"id\": \"1\", \"name\": \"n\", \"max\": 100, \"value\": \"n\","
             " \"rule\": {\"manual\": {}}}], \"extract\": \"%s\"}",
             file);
}

/* That scheme loaded from a buffer under the name `source` (NULL: none). */
static jx_scheme *named_profile_scheme(const char *file, const char *source, jx_error *err)
{
    char buf[4096];
    named_profile_text(buf, sizeof buf, file);
    return jx_scheme_load_buffer(buf, strlen(buf), source, 0, err);
}

/* "extract" names a file inside the scheme's directory, nothing else; a
 * file that is not JSON is reported by position, its text never quoted. */
START_TEST(profile_file_names)
{
    char source[512], path[512];
    snprintf(source, sizeof source, "%s/extract/scheme.json", jxt_data_dir);
    jx_error err;
    /* a name that leaves the directory, or none */
    static const char *const refused[] = {
        "../extract/bad-profile.extract.json", "sub/../bad-profile.extract.json", "..", "",
    };
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        ck_assert_ptr_null(named_profile_scheme(refused[k], source, &err));
        ck_assert_int_eq(err.code, JX_EVALUE);
        ck_assert_str_eq(err.path, "extract");
        ck_assert_str_eq(err.source, source);
        ck_assert_msg(strstr(err.message, "relative to the scheme's directory"), "%s",
                      err.message);
    }
    snprintf(path, sizeof path, "%s/extract/bad-profile.extract.json", jxt_data_dir);
    if (path[0] != '/') {
        char cwd[256];
        ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
        snprintf(path, sizeof path, "%s/%s/extract/bad-profile.extract.json", cwd, jxt_data_dir);
    }
    ck_assert_ptr_null(named_profile_scheme(path, source, &err));
    ck_assert_int_eq(err.code, JX_EVALUE);
    ck_assert_str_eq(err.path, "extract");
    ck_assert_ptr_nonnull(strstr(err.message, "absolute path"));
    /* ".." inside a name is no step: the file is looked for (and missing) */
    ck_assert_ptr_null(named_profile_scheme("no..such.extract.json", source, &err));
    ck_assert_int_eq(err.code, JX_EIO);
    /* a buffer without a name has no directory */
    ck_assert_ptr_null(named_profile_scheme("bad-profile.extract.json", NULL, &err));
    ck_assert_int_eq(err.code, JX_EVALUE);
    ck_assert_str_eq(err.path, "extract");
    ck_assert_ptr_nonnull(strstr(err.message, "inline"));
    char text[4096];
    named_profile_text(text, sizeof text, "bad-profile.extract.json");
    jx_diagnostics *d = jx_lint_buffer(text, strlen(text), NULL, 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 1);
    ck_assert_int_eq(jx_diagnostics_get(d, 0)->code, JX_EVALUE);
    ck_assert_str_eq(jx_diagnostics_get(d, 0)->path, "extract");
    jx_diagnostics_free(d);
    /* with a name, the file is found beside it */
    ck_assert_ptr_null(named_profile_scheme("bad-profile.extract.json", source, &err));
    ck_assert_int_eq(err.code, JX_EKEY);
    ck_assert_str_eq(err.path, "metrics.n.pattern");

    /* Not JSON: file, line and column, and no word of its text. */
    snprintf(path, sizeof path, "%s/extract/not-json-profile-scheme.json", jxt_data_dir);
    ck_assert_ptr_null(jx_scheme_load_file(path, 0, &err));
    ck_assert_int_eq(err.code, JX_ESYNTAX);
    ck_assert_msg(strstr(err.source, "not-json.extract.json") != NULL, "%s", err.source);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_ge(err.column, 14);
    ck_assert_msg(strstr(err.message, "SECRET") == NULL, "%s", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "malformed JSON"));
    d = jx_lint_file(path, 0);
    ck_assert_uint_eq(jx_diagnostics_errors(d), 1);
    const jx_error *de = jx_diagnostics_get(d, 0);
    ck_assert_int_eq(de->code, JX_ESYNTAX);
    ck_assert_str_eq(de->message, err.message);
    ck_assert_int_eq(de->line, 2);
    jx_diagnostics_free(d);

    /* Each kind of syntax error in words of its own, none quoting the text. */
    static const struct {
        const char *profile, *message;
    } bad[] = {
        {"{\"metrics\": {\"n\": ", "malformed JSON: the text ends inside a value"},
        {"{\"metrics\": {}} trailing", "malformed JSON: text after the end of the document"},
        {"{\"metrics\": {}, \"metrics\": {}}", "malformed JSON: a duplicate key"},
        {"{\"metrics\": {\"n\": 1e999}}", "malformed JSON: a number out of range"},
        {"{\"metrics\": {\"n\\u0000x\": {}}}", "malformed JSON: a NUL character"},
    };
    char dir[] = "/tmp/jixiao-profile-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char scheme_path[64], profile_path[64];
    snprintf(scheme_path, sizeof scheme_path, "%s/scheme.json", dir);
    snprintf(profile_path, sizeof profile_path, "%s/p.json", dir);
    named_profile_text(text, sizeof text, "p.json");
    FILE *f = fopen(scheme_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        f = fopen(profile_path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(bad[k].profile, f);
        fclose(f);
        jx_scheme *ps = jx_scheme_load_file(scheme_path, 0, &err);
        jx_scheme_free(ps);
        ck_assert_ptr_null(ps);
        ck_assert_int_eq(err.code, JX_ESYNTAX);
        ck_assert_str_eq(err.source, profile_path);
        ck_assert_str_eq(err.message, bad[k].message);
    }
    unlink(profile_path);
    unlink(scheme_path);
    rmdir(dir);
}
END_TEST

START_TEST(features_say_extraction)
{
    ck_assert_uint_eq(jx_features() & JX_FEATURE_EXTRACT, JX_FEATURE_EXTRACT);
}
END_TEST

#else /* JX_NO_EXTRACT */

/* Built without extraction: the API is there and says so; schemes with a
 * profile still load and score. */
START_TEST(extraction_not_built)
{
    ck_assert_uint_eq(jx_features() & (JX_FEATURE_EXTRACT | JX_FEATURE_JIT), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/municipal-department-2023.json", jxt_schemes_dir);
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(path, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    ck_assert_int_eq(jx_scheme_has_extraction(s), 0);
    ck_assert_ptr_null(jx_extract(s, "text", 4, 0, &err));
    ck_assert_int_eq(err.code, JX_EUNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.message, "without text extraction"));
    ck_assert_uint_eq(jx_extraction_count(NULL), 0);
    ck_assert_ptr_null(jx_extraction_to_json(NULL, 0));
    jx_input *in = jx_input_new(s);
    ck_assert_int_eq(jx_extraction_apply(NULL, in), JX_EARG);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

#endif /* JX_NO_EXTRACT */

Suite *suite_extract(void)
{
    Suite *s = suite_create("extract");
    TCase *tc = tcase_create("text");
    tcase_set_timeout(tc, 30);
#ifdef JX_NO_EXTRACT
    tcase_add_test(tc, extraction_not_built);
#else
    tcase_add_test(tc, features_say_extraction);
    tcase_add_test(tc, municipal_report_read_exactly);
    tcase_add_test(tc, number_formats_and_units);
    tcase_add_test(tc, take_modes_and_conflicts);
    tcase_add_test(tc, json_numbers_exact);
    tcase_add_test(tc, hostile_pattern_ends_with_an_error);
    tcase_add_test(tc, invalid_utf8_text);
    tcase_add_test(tc, profile_errors_at_load);
    tcase_add_test(tc, profile_file_names);
#endif
    suite_add_tcase(s, tc);
    return s;
}
