/* Project self-evaluation sheets: hand-computed fixtures
 * (tests/data/projects/projects.csv), the CSV reader, and the errors of
 * bad rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "project/project.h"
#include "tests.h"

static jx_projects *read_fixture(const char *name, const char *profile)
{
    char path[512], prof[512];
    snprintf(path, sizeof path, "%s/projects/%s", jxt_data_dir, name);
    if (profile)
        snprintf(prof, sizeof prof, "%s/profiles/%s", jxt_schemes_dir, profile);
    jx_error err;
    jx_projects *ps = jx_projects_read_file(path, profile ? prof : NULL, 0, &err);
    ck_assert_msg(ps != NULL, "%s", err.message);
    ck_assert_int_eq(jx_projects_score(ps, 0, &err), (int)jx_projects_count(ps));
    return ps;
}

/* Per project: total, grade, complete, and each row's score and status,
 * worked by hand (docs/projects.md shows P01). */
static const struct {
    const char *id;
    double total;
    const char *grade;
    int complete;
    double rate;
    double budget;
    double row[6];
    int status[6];
} want[] = {
    /* 76% of 10 = 7.6; 500 ≥ 500 full; 20 × 90/95 = 18.95; 180 ≤ 180 full;
     * 12000人次 = 1.2万人次 ≥ 1 capped at 20; 达成 100%; 10 × 85.5/90 = 9.5 */
    {"P01", 96.05, "优", 1, 76, 7.6, {20, 18.95, 10, 20, 10, 9.5}, {0, 0, 0, 0, 0, 0}},
    /* reverse 30 × 50/60 = 25; exact 30 × (1 − 2/12) = 25; 部分达成(70%) of
     * 20 = 14; 95% ≥ 90% capped */
    {"P02", 84, "良", 1, 100, 10, {25, 25, 14, 10}, {0, 0, 0, 0}},
    /* 不适用 20 out: (10 + 40 + 0 + 10) / 80 × 100 = 75; 未达成 default 0 */
    {"P03", 75, "中", 1, 100, 10, {40, 0, 0, 10}, {0, 2, 0, 0}},
    /* empty actual: missing and flagged; 0个 is scored 0 */
    {"P04", 20, "差", 0, 100, 10, {0, 0, 10}, {1, 0, 0}},
    /* 1300000元 = 130万元: 45 × 120/130 = 41.54; 5% ≥ 5% full; 10 × 72/80 = 9 */
    {"P05", 93.04, "优", 1, 75, 7.5, {41.54, 35, 9}, {0, 0, 0}},
    /* 110% capped; = 100% with 120%: 50 × 0.8 = 40; 22.5; 0% → 0 */
    {"P06", 72.5, "中", 1, 110, 10, {40, 22.5, 0}, {0, 0, 0}},
    /* 0.1万人次 = 1000人次 ≥ 1000 full; 部分达成 default 50% of 30 = 15;
     * 10 × 94.05/95 = 9.9 */
    {"P07", 82.4, "良", 1, 75, 7.5, {50, 15, 9.9}, {0, 0, 0}},
    /* no 全年执行数: 预算执行率 missing, not 0 silently; 0% ≤ 3% full */
    {"P08", 90, "优", 0, 0, 0, {60, 30}, {0, 0}},
};

START_TEST(test_fixture)
{
    jx_projects *ps = read_fixture("projects.csv", NULL);
    size_t n = sizeof want / sizeof want[0];
    ck_assert_uint_eq(jx_projects_count(ps), n);
    ck_assert_str_eq(jx_projects_profile(ps), "mof-2020-project");
    for (size_t k = 0; k < n; k++) {
        const jx_result *r = jx_projects_result(ps, k);
        ck_assert_str_eq(jx_projects_field(ps, k, JX_PROJECT_ID), want[k].id);
        ck_assert_msg(jx_result_total(r) == want[k].total, "%s total %.4f", want[k].id,
                      jx_result_total(r));
        ck_assert_str_eq(jx_result_grade(r), want[k].grade);
        ck_assert_int_eq(jx_result_complete(r), want[k].complete);
        ck_assert_msg(jx_result_score(r, 0) == want[k].budget, "%s budget", want[k].id);
        if (want[k].complete || k != 7)
            ck_assert_msg(jx_result_value(r, 0) == want[k].rate, "%s rate", want[k].id);
        else
            ck_assert_int_eq(jx_result_status(r, 0), JX_STATUS_MISSING);
        for (size_t j = 0; j < jx_projects_row_count(ps, k); j++) {
            size_t i = jx_projects_row_indicator(ps, k, j);
            ck_assert_msg(jx_result_score(r, i) == want[k].row[j], "%s row %zu: %.4f",
                          want[k].id, j, jx_result_score(r, i));
            ck_assert_int_eq(jx_result_status(r, i), want[k].status[j]);
        }
    }
    /* Cells as written, and the leaf named after its 三级指标. */
    ck_assert_str_eq(jx_projects_row_text(ps, 0, 1, JX_PROJECT_TARGET), "≥95%");
    ck_assert_str_eq(jx_projects_row_text(ps, 0, 1, JX_PROJECT_DEVIATION),
                     "部分学员未参加补考,下年度增加补考场次");
    ck_assert_str_eq(jx_scheme_indicator_name(jx_projects_scheme(ps, 0),
                                              jx_projects_row_indicator(ps, 0, 0)), "培训人次");
    ck_assert_str_eq(jx_scheme_indicator_name(jx_projects_scheme(ps, 0), 0), "预算执行率");
    ck_assert_ptr_null(jx_projects_result(ps, 99));
    jx_projects_free(ps);
}
END_TEST

/* A province's variant is data: 好/较好/一般/差 at 100/80/60/0 %. */
START_TEST(test_province_profile)
{
    const char *csv =
        "项目名称,全年预算数,全年执行数,一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n"
        "甲,10,10,产出指标,数量指标,a,45,≥1个,1个\n"
        "甲,,,效益指标,社会效益指标,b,30,有效提升,较好\n"
        "甲,,,满意度指标,满意度,c,15,明显改善,一般\n";
    char prof[512];
    snprintf(prof, sizeof prof, "%s/profiles/province-project-example.json", jxt_schemes_dir);
    jx_error err;
    jx_projects *ps = jx_projects_read_buffer(csv, strlen(csv), "p.csv", prof, 0, &err);
    ck_assert_msg(ps != NULL, "%s", err.message);
    ck_assert_int_eq(jx_projects_score(ps, 0, &err), 1);
    /* 10 + 45 + 30 × 0.8 + 15 × 0.6 = 88 */
    ck_assert(jx_result_total(jx_projects_result(ps, 0)) == 88);
    ck_assert_str_eq(jx_result_grade(jx_projects_result(ps, 0)), "良");
    jx_projects_free(ps);
    /* The MOF words are not levels of this profile. */
    const char *bad =
        "项目名称,全年预算数,全年执行数,一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n"
        "甲,10,10,产出指标,数量指标,a,90,有效提升,达成\n";
    ps = jx_projects_read_buffer(bad, strlen(bad), "p.csv", prof, 0, &err);
    ck_assert_ptr_null(ps);
    ck_assert_int_eq(err.code, JX_ELEVEL);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 9);
}
END_TEST

/* A stricter cap is data: province-project-strict-example caps a value more
 * than 20 % beyond its ≥ target at 80 % of the 分值, and 执行率 over 100 %
 * (spending beyond the budget) at 8 of 10. */
START_TEST(test_strict_profile)
{
    jx_projects *ps = read_fixture("strict.csv", "province-project-strict-example.json");
    static const struct {
        double total, budget, row[4];
        const char *grade;
    } w[] = {
        /* 105 % > 100 %: 8; 121个 > 120个: 0.8 × 40 = 32; 120个 at the bound: 20;
         * 60.5% > 60%: 16; a reverse target is not capped: 10 × 5 / 20 = 2.5 */
        {78.5, 8, {32, 20, 16, 2.5}, "中"},
        /* 100 % at the bound: 10; 1.3万人次 > 1.2万: 36; = 80% is no ≥ target:
         * 35 × (1 − 10 / 80) = 30.625 → 30.63; 99% within 108%: 10 */
        {86.63, 10, {36, 30.63, 10}, "良"},
    };
    ck_assert_uint_eq(jx_projects_count(ps), 2);
    ck_assert_str_eq(jx_projects_profile(ps), "province-project-strict-example");
    for (size_t k = 0; k < 2; k++) {
        const jx_result *r = jx_projects_result(ps, k);
        ck_assert_msg(jx_result_total(r) == w[k].total, "total %.4f", jx_result_total(r));
        ck_assert_str_eq(jx_result_grade(r), w[k].grade);
        ck_assert(jx_result_score(r, 0) == w[k].budget);
        for (size_t j = 0; j < jx_projects_row_count(ps, k); j++)
            ck_assert_msg(jx_result_score(r, jx_projects_row_indicator(ps, k, j)) == w[k].row[j],
                          "project %zu row %zu: %.4f", k, j,
                          jx_result_score(r, jx_projects_row_indicator(ps, k, j)));
    }
    const jx_result *r = jx_projects_result(ps, 0);
    ck_assert_str_eq(jx_result_reason(r, jx_projects_row_indicator(ps, 0, 0)),
                     "新建站点 121.00个,目标 >= 100个,高于 120个,超额过多,最高按分值的 80% 计,"
                     "得 32.00 分");
    ck_assert_msg(strstr(jx_result_reason(r, 0), "高于 100%,超额过多,最高按分值的 80% 计") != NULL,
                  "%s", jx_result_reason(r, 0));
    jx_projects_free(ps);
    /* The shared fixture: only P06 (执行率 110 %) changes, 10 → 8. */
    ps = read_fixture("projects.csv", "province-project-strict-example.json");
    for (size_t k = 0; k < jx_projects_count(ps); k++)
        ck_assert_msg(jx_result_total(jx_projects_result(ps, k)) == (k == 5 ? 70.5 : want[k].total),
                      "%s: %.4f", want[k].id, jx_result_total(jx_projects_result(ps, k)));
    jx_projects_free(ps);
}
END_TEST

/* The built-in profile is the bundled file. */
START_TEST(test_builtin_profile)
{
    char path[512];
    snprintf(path, sizeof path, "%s/profiles/mof-2020-project.json", jxt_schemes_dir);
    size_t len;
    char *text = jxt_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, jxi_project_profile_mof2020());
    free(text);
}
END_TEST

#define HEAD "项目编号,项目名称,全年预算数,全年执行数,一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n"

static void expect_error_flags(const char *csv, unsigned flags, int code, int line, int column,
                               const char *part)
{
    jx_error err;
    memset(&err, 0, sizeof err);
    jx_projects *ps = jx_projects_read_buffer(csv, strlen(csv), "bad.csv", NULL, flags, &err);
    ck_assert_ptr_null(ps);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.source, "bad.csv");
    ck_assert_int_eq(err.line, line);
    ck_assert_int_eq(err.column, column);
    ck_assert_msg(strstr(err.message, part) != NULL, "message: %s", err.message);
}

static void expect_error(const char *csv, int code, int line, int column, const char *part)
{
    expect_error_flags(csv, 0, code, line, column, part);
}

START_TEST(test_bad_rows)
{
    /* Unparseable 年度指标值. */
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,≥五百人次,1人次\n", JX_EVALUE, 2, 9,
                 "project P1, column 9 (年度指标值)");
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,500人次,1人次\n", JX_EVALUE, 2, 9,
                 "operator");
    /* Unit mismatch: 人次 vs 个, % vs 个. */
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,50,≥5%,5%\n"
                      "P1,甲,10,10,产出指标,数量指标,b,40,≥500人次,520个\n",
                 JX_EVALUE, 3, 10, "\"个\" of 实际完成值 does not agree with unit \"人次\"");
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,≤5%,3个\n", JX_EVALUE, 2, 10,
                 "project P1, column 10 (实际完成值)");
    /* Weights not adding up to 90: the project's first row, column 分值. */
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,50,≥1个,1个\n"
                      "P1,甲,10,10,效益指标,社会效益指标,b,30,≥1个,1个\n",
                 JX_ESUM, 2, 8, "add up to 80; they must add up to 90");
    /* Duplicate indicator. */
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,45,≥1个,1个\n"
                      "P1,甲,10,10,产出指标,数量指标,a,45,≥1个,1个\n",
                 JX_EDUPLICATE, 3, 7, "duplicate indicator \"a\" (also at line 2)");
    /* A number where a level is expected, an unknown level. */
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,有效提升,95%\n", JX_EVALUE, 2, 10,
                 "qualitative");
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,有效提升,很好\n", JX_ELEVEL, 2, 10,
                 "not a level");
    /* A percent outside nothing: the level's tier is checked when scoring. */
    /* Bad budget, unknown 一级, unknown column, missing column. */
    expect_error(HEAD "P1,甲,十,10,产出指标,数量指标,a,90,≥1个,1个\n", JX_EVALUE, 2, 3,
                 "not a number");
    expect_error(HEAD "P1,甲,10,10,管理指标,数量指标,a,90,≥1个,1个\n", JX_EVALUE, 2, 5,
                 "一级指标");
    expect_error("项目名称,全年预算数,全年执行数,一级指标,二级指标,三级指标,分值,年度指标,实际完成值\n",
                 JX_EKEY, 1, 8, "unknown column \"年度指标\"");
    expect_error("项目名称,全年预算数,一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n",
                 JX_EREQUIRED, 1, 0, "全年执行数");
    /* Rows of a project apart. */
    expect_error(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,≥1个,1个\n"
                      "P2,乙,10,10,产出指标,数量指标,a,90,≥1个,1个\n"
                      "P1,甲,10,10,产出指标,数量指标,b,90,≥1个,1个\n",
                 JX_EDUPLICATE, 4, 1, "must be together");
    /* CSV syntax: an unclosed quote; GBK bytes. */
    expect_error(HEAD "P1,\"甲,10,10\n", JX_ESYNTAX, 2, 4, "not closed");
    expect_error(HEAD "P1,\xBC\xD7\xD2\xD2,10,10,a,b,c,90,1,1\n", JX_ESYNTAX, 2, 4, "GBK");
}
END_TEST

/* JX_LOAD_LANG_ZH: the same errors at the same places, in Chinese. */
START_TEST(test_bad_rows_chinese)
{
    const unsigned zh = JX_LOAD_LANG_ZH;
    expect_error_flags(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,≥五百人次,1人次\n", zh, JX_EVALUE, 2,
                       9, "bad.csv:2: 项目 P1,第 9 列(年度指标值):无法读取 \"≥五百人次\":");
    expect_error_flags(HEAD "P1,甲,10,10,产出指标,数量指标,a,50,≥1个,1个\n"
                            "P1,甲,10,10,效益指标,社会效益指标,b,30,≥1个,1个\n",
                       zh, JX_ESUM, 2, 8, "项目各指标的分值合计为 80;应合计为 90");
    expect_error_flags(HEAD "P1,甲,10,10,产出指标,数量指标,a,45,≥1个,1个\n"
                            "P1,甲,10,10,产出指标,数量指标,a,45,≥1个,1个\n",
                       zh, JX_EDUPLICATE, 3, 7, "指标 \"a\" 重复(第 2 行也有)");
    expect_error_flags(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,有效提升,很好\n", zh, JX_ELEVEL, 2,
                       10, "\"很好\" 不是评分规则 mof-2020-project 的等级");
    expect_error_flags(HEAD "P1,甲,十,10,产出指标,数量指标,a,90,≥1个,1个\n", zh, JX_EVALUE, 2, 3,
                       "\"十\" 不是数值");
    expect_error_flags("项目名称,全年预算数,全年执行数,一级指标,二级指标,三级指标,分值,年度指标,"
                       "实际完成值\n",
                       zh, JX_EKEY, 1, 8, "bad.csv:1: 第 8 列:未知的列 \"年度指标\"");
    expect_error_flags("项目名称,全年预算数,一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n",
                       zh, JX_EREQUIRED, 1, 0, "表头缺少列 \"全年执行数\"");
    expect_error_flags(HEAD "P1,甲,10,10,产出指标,数量指标,a,90,≥1个,1个\n"
                            "P2,乙,10,10,产出指标,数量指标,a,90,≥1个,1个\n"
                            "P1,甲,10,10,产出指标,数量指标,b,90,≥1个,1个\n",
                       zh, JX_EDUPLICATE, 4, 1, "同一项目的行必须相邻;该项目始于第 2 行");
    expect_error_flags(HEAD, zh, JX_EREQUIRED, 0, 0, "bad.csv:表头之后没有项目行");
    jx_error err;
    ck_assert_ptr_null(jx_projects_read_file("/nonexistent/p.csv", NULL, zh, &err));
    ck_assert_str_eq(err.message, "/nonexistent/p.csv:无法打开文件");
    ck_assert_ptr_null(jx_projects_read_file("/nonexistent/p.csv", NULL, 0, &err));
    ck_assert_str_eq(err.message, "/nonexistent/p.csv: cannot open the file");
}
END_TEST

/* Metrics are named after the 三级指标: a repeated name under another 二级,
 * a quote and a ']' in a name still load, and the reason names the row. */
START_TEST(test_metric_names)
{
    const char *csv = HEAD
        "P1,甲,10,10,产出指标,数量指标,完成率,30,≥10个,5个\n"
        "P1,甲,10,10,产出指标,质量指标,完成率,30,≥10个,\n"
        "P1,甲,10,10,效益指标,社会效益指标,\"\"\"惠民\"\"[x]\",30,有效提升,达成\n";
    jx_error err;
    jx_projects *ps = jx_projects_read_buffer(csv, strlen(csv), "n.csv", NULL, 0, &err);
    ck_assert_msg(ps != NULL, "%s", err.message);
    ck_assert_int_eq(jx_projects_score(ps, 0, &err), 1);
    const jx_result *r = jx_projects_result(ps, 0);
    /* 10 + 30 × 5/10 + 0 (missing) + 30 = 55 */
    ck_assert(jx_result_total(r) == 55);
    ck_assert_ptr_nonnull(strstr(jx_result_reason(r, jx_projects_row_indicator(ps, 0, 1)),
                                 "完成率(第3行)实际完成值"));
    ck_assert_str_eq(jx_projects_row_text(ps, 0, 2, JX_PROJECT_LEVEL3), "\"惠民\"[x]");
    jx_projects_free(ps);
}
END_TEST

START_TEST(test_csv_reader)
{
    const char *t = "\xEF\xBB\xBF" "a,\"b,\"\"c\"\"\",\r\n\"x\ny\",,z\n\n\"q\"";
    jxi_csv c;
    jx_error err;
    jxi_csv_init(&c, t, strlen(t), "t.csv");
    ck_assert_int_eq(jxi_csv_next(&c, &err), 1);
    ck_assert_uint_eq(jxi_csv_count(&c), 3);
    ck_assert_str_eq(jxi_csv_field(&c, 0, NULL), "a");
    ck_assert_str_eq(jxi_csv_field(&c, 1, NULL), "b,\"c\"");
    ck_assert_str_eq(jxi_csv_field(&c, 2, NULL), "");
    ck_assert_int_eq(jxi_csv_next(&c, &err), 1);
    ck_assert_int_eq(c.record_line, 2);
    ck_assert_str_eq(jxi_csv_field(&c, 0, NULL), "x\ny");
    ck_assert_str_eq(jxi_csv_field(&c, 2, NULL), "z");
    ck_assert_int_eq(jxi_csv_next(&c, &err), 1);
    ck_assert(jxi_csv_blank(&c));
    ck_assert_int_eq(jxi_csv_next(&c, &err), 1);
    ck_assert_int_eq(c.record_line, 5);
    ck_assert_str_eq(jxi_csv_field(&c, 0, NULL), "q");
    ck_assert_int_eq(jxi_csv_next(&c, &err), 0);
    jxi_csv_free(&c);
    const char *bad = "a,\"b\"x\n";
    jxi_csv_init(&c, bad, strlen(bad), "t.csv");
    ck_assert_int_eq(jxi_csv_next(&c, &err), JX_ESYNTAX);
    ck_assert_int_eq(err.column, 6);
    ck_assert_ptr_nonnull(strstr(err.message, "record 1, field 2"));
    jxi_csv_free(&c);
}
END_TEST

START_TEST(test_values)
{
    jxi_pvalue v;
    char why[200], num[48];
    ck_assert_int_eq(jxi_pvalue_parse("≤120万元", 1, NULL, &v, why, sizeof why), 0);
    ck_assert_int_eq(v.op, '<');
    ck_assert_str_eq(v.num, "120");
    ck_assert_str_eq(v.unit, "万元");
    ck_assert_int_eq(jxi_pvalue_parse(">= 95 ％", 1, NULL, &v, why, sizeof why), 0);
    ck_assert_str_eq(v.unit, "%");
    ck_assert_int_eq(jxi_pvalue_parse("部分达成（65%）", 0, "不适用", &v, why, sizeof why), 0);
    ck_assert_str_eq(v.word, "部分达成");
    ck_assert_str_eq(v.percent, "65");
    ck_assert_int_eq(jxi_pvalue_parse("不适用", 0, "不适用", &v, why, sizeof why), 0);
    ck_assert_int_eq(v.kind, JXI_PV_NA);
    ck_assert_int_eq(jxi_pvalue_parse("≥", 1, NULL, &v, why, sizeof why), JX_EVALUE);
    strcpy(num, "12000");
    ck_assert_int_eq(jxi_pvalue_convert(num, sizeof num, "人次", "万人次", why, sizeof why), 0);
    ck_assert_str_eq(num, "1.2000");
    strcpy(num, "0.05");
    ck_assert_int_eq(jxi_pvalue_convert(num, sizeof num, "亿元", "万元", why, sizeof why), 0);
    ck_assert_str_eq(num, "500");
    strcpy(num, "3.5");
    ck_assert_int_eq(jxi_pvalue_convert(num, sizeof num, "元", "万元", why, sizeof why), 0);
    ck_assert_str_eq(num, "0.00035");
    ck_assert_int_eq(jxi_pvalue_convert(num, sizeof num, "%", "个", why, sizeof why), JX_EVALUE);
}
END_TEST

Suite *suite_project(void)
{
    Suite *s = suite_create("project");
    TCase *tc = tcase_create("project");
    tcase_add_test(tc, test_fixture);
    tcase_add_test(tc, test_province_profile);
    tcase_add_test(tc, test_strict_profile);
    tcase_add_test(tc, test_builtin_profile);
    tcase_add_test(tc, test_bad_rows);
    tcase_add_test(tc, test_bad_rows_chinese);
    tcase_add_test(tc, test_metric_names);
    tcase_add_test(tc, test_csv_reader);
    tcase_add_test(tc, test_values);
    suite_add_tcase(s, tc);
    return s;
}
