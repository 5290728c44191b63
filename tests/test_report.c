/* Real reports, read honestly: the standard figures of fixture reports in
 * many published styles against their truth files, the statuses found /
 * default / missing, value origins, worksheets, and the seed report end to
 * end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"
#include "truth.h"

#ifndef JX_NO_EXTRACT

static size_t find(const jx_extraction *x, const char *metric)
{
    for (size_t k = 0; k < jx_extraction_count(x); k++)
        if (strcmp(jx_extraction_metric(x, k), metric) == 0)
            return k;
    ck_abort_msg("%s is not in the extraction", metric);
    return 0;
}

static jx_extraction *standard_of(const char *text)
{
    jx_error err;
    jx_extraction *x = jx_extract_standard(text, strlen(text), 0, &err);
    ck_assert_msg(x != NULL, "%s", err.message);
    return x;
}

static double std_value(const jx_extraction *x, const char *key, int status)
{
    size_t k = find(x, key);
    ck_assert_msg(jx_extraction_status(x, k) == status, "%s: status %d, expected %d (%s)", key,
                  jx_extraction_status(x, k), status, jx_extraction_message(x, k));
    return jx_extraction_value(x, k);
}

/* The shapes issue by issue: punctuation of both widths, PDF blanks and
 * line wraps, counts before an amount, 名/人, a total before its parts,
 * rates stated directly, and flattened tables. */
START_TEST(standard_shapes)
{
    jx_extraction *x = standard_of(
        "2021年度收入合计：８０３．７４ 万元，其中上年结转 12.5万元。\n"
        "本年支出合\n计803.74万元,基本支出:500万元;项目支出 303.74 万元。\n"
        "年初批复预算8个项目985万元。人员编制614名,其中:行政编制601名,事业编制13名;"
        "在职人员598人。\n"
        "政府采购执行率100%,较上年增长5%。自评得分96.5分,评价等级为“优 秀”。\n");
    ck_assert_double_eq(std_value(x, "收入合计", JX_FOUND), 803.74);
    ck_assert_double_eq(std_value(x, "上年结转", JX_FOUND), 12.5);
    ck_assert_double_eq(std_value(x, "支出合计", JX_FOUND), 803.74);
    ck_assert_double_eq(std_value(x, "基本支出", JX_FOUND), 500);
    ck_assert_double_eq(std_value(x, "项目支出", JX_FOUND), 303.74);
    ck_assert_double_eq(std_value(x, "年初预算数", JX_FOUND), 985);
    ck_assert_double_eq(std_value(x, "项目个数", JX_FOUND), 8);
    ck_assert_double_eq(std_value(x, "编制数", JX_FOUND), 614);
    ck_assert_double_eq(std_value(x, "在职人数", JX_FOUND), 598);
    ck_assert_double_eq(std_value(x, "政府采购执行率", JX_FOUND), 100);
    ck_assert_double_eq(std_value(x, "自评得分", JX_FOUND), 96.5);
    ck_assert_double_eq(std_value(x, "自评等级", JX_FOUND), 0); /* 优 */
    std_value(x, "预算执行率", JX_NOT_FOUND); /* 5% is a growth rate */
    /* Positions are the original text's: line 1, after "2021年度", and the
     * text is as written. */
    size_t k = find(x, "收入合计");
    ck_assert_int_eq(jx_extraction_match_line(x, k, 0), 1);
    ck_assert_int_eq(jx_extraction_match_column(x, k, 0), 7);
    ck_assert_str_eq(jx_extraction_match_text(x, k, 0), "收入合计：８０３．７４ 万元");
    /* A wrapped word is found on the line it starts on. */
    k = find(x, "支出合计");
    ck_assert_int_eq(jx_extraction_match_line(x, k, 0), 2);
    jx_extraction_free(x);

    x = standard_of("单位:万元\n"
                    "项目 | 年初预算数 | 调整后预算数 | 预算执行数 | 预算执行率\n"
                    "合计 | 985.00 | 1,020.50 | 1,010.20 | 98.99%\n");
    ck_assert_double_eq(std_value(x, "年初预算数", JX_FOUND), 985);
    ck_assert_double_eq(std_value(x, "调整后预算数", JX_FOUND), 1020.5);
    ck_assert_double_eq(std_value(x, "执行数", JX_FOUND), 1010.2);
    ck_assert_double_eq(std_value(x, "预算执行率", JX_FOUND), 98.99);
    k = find(x, "执行数");
    ck_assert_int_eq(jx_extraction_match_pattern(x, k, 0), -1);
    ck_assert_int_eq(jx_extraction_match_line(x, k, 0), 3);
    ck_assert_str_eq(jx_extraction_match_text(x, k, 0), "1,010.20");
    jx_extraction_free(x);

    /* An amount column of no stated unit is not guessed; several value rows
     * without a 合计 are not chosen between. */
    x = standard_of("年初预算数\t调整后预算数\n985\t1020\n");
    std_value(x, "年初预算数", JX_NOT_FOUND);
    jx_extraction_free(x);
    x = standard_of("科目 年初预算数(万元) 预算执行数(万元)\n基本支出 500 498\n项目支出 485 470\n");
    std_value(x, "年初预算数", JX_NOT_FOUND);
    jx_extraction_free(x);
    /* A table that disagrees with the prose is a conflict, not a choice. */
    x = standard_of("年初预算数990万元。\n年初预算数(万元) | 预算执行率\n985 | 98%\n");
    std_value(x, "年初预算数", JX_CONFLICT);
    ck_assert_double_eq(std_value(x, "预算执行率", JX_FOUND), 98);
    jx_extraction_free(x);
}
END_TEST

/* Parts stated for several units add up when no total is stated. */
START_TEST(standard_parts_sum)
{
    jx_extraction *x = standard_of("本级事业编制20名,在编在岗18名;下属中心事业编制6名,在岗5人。");
    ck_assert_double_eq(std_value(x, "编制数", JX_FOUND), 26);
    ck_assert_double_eq(std_value(x, "在职人数", JX_FOUND), 23);
    ck_assert_uint_eq(jx_extraction_match_count(x, find(x, "编制数")), 2);
    jx_extraction_free(x);
}
END_TEST

/* ---- Fixture reports against their truth files --------------------------- */

/* Every number read is right (precision 100 %), and at least 95 % of the
 * figures the reports state are read (recall). make bench-extract prints
 * the same figures. */
START_TEST(fixture_reports)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/reports", jxt_data_dir);
    jxt_tally t;
    static char log[16384];
    ck_assert_msg(jxt_truth_run(dir, &t, log, sizeof log) == 0, "%s", log);
    ck_assert_msg(t.reports >= 12, "%zu fixture reports in %s, expected at least 12", t.reports,
                  dir);
    ck_assert_msg(t.found_wrong == 0 && t.found_unstated == 0,
                  "figures read wrongly (%zu) or not stated (%zu):\n%s", t.found_wrong,
                  t.found_unstated, log);
    ck_assert_msg(t.found_right * 100 >= t.stated * 95, "recall %zu/%zu below 95 %%:\n%s",
                  t.found_right, t.stated, log);
}
END_TEST

/* ---- Statuses, origins, worksheets --------------------------------------- */

static jx_scheme *scheme_with(const char *profile)
{
    char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"total\": 10,"
             " \"metrics\": {\"收入\": {\"unit\": \"万元\", \"description\": \"全年收入\"},"
             "  \"公开\": {\"type\": \"bool\"}, \"调整\": {\"unit\": \"万元\"},"
             "  \"等级\": {\"type\": \"level\", \"levels\": [\"优\", \"良\", \"中\", \"差\"]},"
             "  \"人数\": {\"unit\": \"人\"}},"
             " \"extract\": {\"metrics\": {%s}},"
             " \"indicators\": [{\"id\": \"1\", \"name\": \"收入\", \"max\": 10,"
             "  \"value\": \"收入 + 调整 + 人数\", \"rule\": {\"ratio\": {\"target\": \">= 1\"}}}]}",
             profile);
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(buf, strlen(buf), "t.json", 0, &err);
    ck_assert_msg(s != NULL, "%s at %s", err.message, err.path);
    return s;
}

static const char profile[] =
    "\"收入\": {\"standard\": [\"调整后预算数\", \"收入合计\"]},"
    "\"公开\": {\"patterns\": [\"(?<value>未|没有)?及时公开\"], \"take\": \"agree\"},"
    "\"调整\": {\"patterns\": [\"追加(?<value>[0-9.]+)万元\"], \"absent\": 0},"
    "\"等级\": {\"standard\": \"自评等级\"},"
    "\"人数\": {\"standard\": \"在职人数\"}";

/* found only with a match; default only from the profile's "absent";
 * missing without evidence; negative evidence reads false. */
START_TEST(statuses_are_truthful)
{
    jx_scheme *s = scheme_with(profile);
    const char *text = "本单位收入合计1,200万元,预决算未及时公开。自评为良好。";
    jx_error err;
    jx_extraction *x = jx_extract(s, text, strlen(text), 0, &err);
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(jx_extraction_status(x, find(x, "收入")), JX_FOUND);
    ck_assert_double_eq(jx_extraction_value(x, find(x, "收入")), 1200);
    ck_assert_int_eq(jx_extraction_status(x, find(x, "公开")), JX_FOUND);
    ck_assert_double_eq(jx_extraction_value(x, find(x, "公开")), 0); /* 未及时公开 */
    ck_assert_int_eq(jx_extraction_status(x, find(x, "调整")), JX_DEFAULT);
    ck_assert_uint_eq(jx_extraction_match_count(x, find(x, "调整")), 0);
    ck_assert_int_eq(jx_extraction_status(x, find(x, "等级")), JX_FOUND);
    ck_assert_double_eq(jx_extraction_value(x, find(x, "等级")), 1); /* 良 */
    ck_assert_int_eq(jx_extraction_status(x, find(x, "人数")), JX_NOT_FOUND);
    /* Every found entry has a match behind it. */
    for (size_t k = 0; k < jx_extraction_count(x); k++)
        if (jx_extraction_status(x, k) == JX_FOUND)
            ck_assert_uint_gt(jx_extraction_match_count(x, k), 0);
    const jx_extraction *std = jx_extraction_standard(x);
    ck_assert_ptr_nonnull(std);
    ck_assert_int_eq(jx_extraction_status(std, find(std, "收入合计")), JX_FOUND);
    ck_assert_ptr_null(jx_extraction_standard(std));

    char *json = jx_extraction_to_json(x, 0);
    ck_assert_ptr_nonnull(strstr(json, "\"调整\": {\"status\":\"default\""));
    ck_assert_ptr_nonnull(strstr(json, "\"人数\": {\"status\":\"missing\""));
    ck_assert_ptr_nonnull(strstr(json, "\"standard\": {"));
    ck_assert_ptr_null(strstr(json, "not_found"));

    /* Origins follow the figures through JSON into an input. */
    jx_input *in = jx_input_new(s);
    ck_assert_int_eq(jx_input_load_buffer(in, json, strlen(json), "figures.json", 0, &err), 0);
    size_t m = jx_scheme_metric_find(s, "收入");
    ck_assert_int_eq(jx_input_origin(in, m), JX_ORIGIN_REPORT);
    ck_assert_str_eq(jx_input_origin_detail(in, m), "1:4");
    ck_assert_int_eq(jx_input_origin(in, jx_scheme_metric_find(s, "调整")), JX_ORIGIN_DEFAULT);
    ck_assert_int_eq(jx_input_origin(in, jx_scheme_metric_find(s, "人数")), JX_ORIGIN_NONE);
    jx_free(json);

    /* The worksheet lists what is not found; filled in, it takes precedence
     * and its values are the user's. */
    char *ws = jx_extraction_worksheet(x, 0);
    ck_assert_ptr_nonnull(strstr(ws, "\"人数\": {\"value\":null"));
    ck_assert_ptr_nonnull(strstr(ws, "\"status\":\"default\""));
    ck_assert_ptr_null(strstr(ws, "\"收入\""));
    jx_free(ws);
    char *csv = jx_extraction_worksheet(x, JX_WORKSHEET_CSV);
    ck_assert_ptr_nonnull(strstr(csv, "metric,value,unit,type,levels,status,description\r\n"));
    ck_assert_ptr_nonnull(strstr(csv, "人数,,人,number,,missing,\r\n"));
    jx_free(csv);
    const char *filled = "{\"worksheet\": {\"人数\": {\"value\": 12, \"unit\": \"人\"},"
                         " \"调整\": {\"value\": null}}}";
    ck_assert_int_eq(jx_input_load_buffer(in, filled, strlen(filled), "ws.json", 0, &err), 0);
    m = jx_scheme_metric_find(s, "人数");
    double v = 0;
    ck_assert_int_eq(jx_input_get(in, m, &v), 1);
    ck_assert_double_eq(v, 12);
    ck_assert_int_eq(jx_input_origin(in, m), JX_ORIGIN_FILE);
    ck_assert_str_eq(jx_input_origin_detail(in, m), "ws.json");
    /* null left the default as it was */
    ck_assert_int_eq(jx_input_origin(in, jx_scheme_metric_find(s, "调整")), JX_ORIGIN_DEFAULT);
    /* A setter makes the value the program's own. */
    ck_assert_int_eq(jx_input_set_number(in, "人数", 13), 0);
    ck_assert_int_eq(jx_input_origin(in, m), JX_ORIGIN_SET);
    /* Wrong worksheet entries are errors with their path; the input stays. */
    const char *bad = "{\"worksheet\": {\"人数\": {\"value\": \"many\"}}}";
    ck_assert_int_eq(jx_input_load_buffer(in, bad, strlen(bad), "ws.json", 0, &err), JX_ETYPE);
    ck_assert_str_eq(err.path, "worksheet.人数.value");
    ck_assert_int_eq(jx_input_get(in, m, &v), 1);
    ck_assert_double_eq(v, 13);
    bad = "{\"worksheet\": {\"人口\": {\"value\": 1}}}";
    ck_assert_int_eq(jx_input_load_buffer(in, bad, strlen(bad), "ws.json", 0, &err),
                     JX_ENOTFOUND);
    jx_input_free(in);
    jx_extraction_free(x);

    /* Extraction applied directly records the same origins. */
    in = jx_input_new(s);
    x = jx_extract(s, text, strlen(text), 0, &err);
    ck_assert_int_eq(jx_extraction_apply(x, in), 4);
    ck_assert_int_eq(jx_input_origin(in, jx_scheme_metric_find(s, "收入")), JX_ORIGIN_REPORT);
    ck_assert_int_eq(jx_input_origin(in, jx_scheme_metric_find(s, "调整")), JX_ORIGIN_DEFAULT);
    jx_input_free(in);
    jx_extraction_free(x);
    jx_scheme_free(s);
}
END_TEST

/* A profile naming a figure that is not standard fails at load. */
START_TEST(standard_mapping_errors)
{
    const char *buf = "{\"jixiao\": 1, \"id\": \"t\", \"title\": \"t\", \"total\": 10, \"metrics\": {\"a\": {}},"
                      " \"extract\": {\"metrics\": {\"a\": {\"standard\": \"收入\"}}},"
                      " \"indicators\": [{\"id\": \"1\", \"name\": \"a\", \"max\": 10,"
                      " \"value\": \"a\", \"rule\": {\"ratio\": {\"target\": \">= 1\"}}}]}";
    jx_error err;
    ck_assert_ptr_null(jx_scheme_load_buffer(buf, strlen(buf), "t.json", 0, &err));
    ck_assert_int_eq(err.code, JX_EVALUE);
    ck_assert_str_eq(err.path, "extract.metrics.a.standard");
    ck_assert_int_gt(err.line, 0);
}
END_TEST

/* Bad text keeps its clear errors. */
START_TEST(bad_text)
{
    jx_error err;
    const char gbk[] = "\xB2\xBF\xC3\xC5\xCA\xD5\xC8\xEB"; /* 部门收入 in GBK */
    ck_assert_ptr_null(jx_extract_standard(gbk, sizeof gbk - 1, 0, &err));
    ck_assert_int_eq(err.code, JX_ESYNTAX);
    ck_assert_ptr_nonnull(strstr(err.message, "GBK"));
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.column, 1);
    const char bad[] = "收入\n合计\xFF";
    ck_assert_ptr_null(jx_extract_standard(bad, sizeof bad - 1, 0, &err));
    ck_assert_int_eq(err.code, JX_ESYNTAX);
    ck_assert_ptr_null(strstr(err.message, "GBK"));
    ck_assert_int_eq(err.offset, 13);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 3);
}
END_TEST

/* The seed report of ../shared/seed end to end: the standard block holds
 * what it states, and with a worksheet of only what it does not state the
 * municipal scheme grades from evidence. */
START_TEST(seed_report_end_to_end)
{
    /* The seed report is not part of the project (its text must not be
     * copied in): it sits beside a checkout at ../shared/seed, or where
     * JX_SEED_DIR says. A clone elsewhere skips the test and says so; a
     * JX_SEED_DIR that does not hold the report fails. */
    const char *env = getenv("JX_SEED_DIR");
    const char *dir = env ? env : "../shared/seed";
    char path[1024];
    snprintf(path, sizeof path, "%s/municipal-center-2022-self-evaluation.txt", dir);
    size_t len;
    char *text = jxt_read_file(path, &len);
    if (!text && !env) {
        fprintf(stderr, "report: seed_report_end_to_end skipped: no %s (set JX_SEED_DIR)\n",
                path);
        return;
    }
    ck_assert_msg(text != NULL, "cannot read %s (JX_SEED_DIR)", path);
    snprintf(path, sizeof path, "%s/municipal-department-2023.json", jxt_schemes_dir);
    jx_error err;
    jx_scheme *s = jx_scheme_load_file(path, 0, &err);
    ck_assert_ptr_nonnull(s);
    jx_extraction *x = jx_extract(s, text, len, 0, &err);
    ck_assert_ptr_nonnull(x);
    const jx_extraction *std = jx_extraction_standard(x);
    static const struct { const char *key; double v; } want[] = {
        {"收入合计", 2100.09}, {"上年结转", 42.13}, {"一般公共预算收入", 2057.96},
        {"支出合计", 2100.09}, {"基本支出", 674.45}, {"项目支出", 1425.64},
        {"编制数", 37}, {"在职人数", 34}, {"政府采购执行率", 100},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_double_eq(std_value(std, want[k].key, JX_FOUND), want[k].v);
    jx_input *in = jx_input_new(s);
    ck_assert_int_ge(jx_extraction_apply(x, in), 0);
    snprintf(path, sizeof path, "%s/reports/seed-worksheet.json", jxt_data_dir);
    ck_assert_int_eq(jx_input_load_file(in, path, 0, &err), 0);
    for (size_t m = 0; m < jx_scheme_metric_count(s); m++) {
        int o = jx_input_origin(in, m);
        ck_assert_msg(o == JX_ORIGIN_REPORT || o == JX_ORIGIN_FILE, "%s: origin %d",
                      jx_scheme_metric_name(s, m), o);
    }
    jx_result *r = jx_score(s, in, JX_STRICT, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_double_eq(jx_result_total(r), 97.41);
    ck_assert_str_eq(jx_result_grade(r), "优");
    jx_result_free(r);
    jx_input_free(in);
    jx_extraction_free(x);
    jx_scheme_free(s);
    free(text);
}
END_TEST

Suite *suite_report(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, standard_shapes);
    tcase_add_test(tc, standard_parts_sum);
    tcase_add_test(tc, fixture_reports);
    tcase_add_test(tc, statuses_are_truthful);
    tcase_add_test(tc, standard_mapping_errors);
    tcase_add_test(tc, bad_text);
    tcase_add_test(tc, seed_report_end_to_end);
    suite_add_tcase(s, tc);
    return s;
}

#else

Suite *suite_report(void)
{
    return suite_create("report");
}

#endif
