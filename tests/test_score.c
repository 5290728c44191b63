/* Scoring through the public API: the bundled example, missing and
 * undefined values, not-applicable policies, reasons, export, lifetimes. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests.h"

static jx_input *example_input(jx_scheme *s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/examples/example.metrics.json", jxt_schemes_dir);
    jx_input *in = jx_input_new(s);
    jx_error err;
    ck_assert_msg(jx_input_load_file(in, path, 0, &err) == 0, "%s", err.message);
    return in;
}

static size_t idx(jx_scheme *s, const char *id)
{
    size_t i = jx_scheme_indicator_find(s, id);
    ck_assert_msg(i != JX_NONE, "no indicator %s", id);
    return i;
}

static jx_scheme *load_text(const char *text)
{
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(text, strlen(text), NULL, 0, &err);
    ck_assert_msg(s != NULL, "%s at %s (%d:%d)", err.message, err.path, err.line, err.column);
    return s;
}

START_TEST(example_scores)
{
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = example_input(s);
    jx_error err;
    jx_result *r = jx_score(s, in, 0, &err);
    ck_assert_ptr_nonnull(r);
    /* Hand-computed: 85.55 earned of 95 applicable (2.4 not applicable,
     * rescaled): 85.55 / 95 * 100 = 90.0526 -> 90.05. */
    ck_assert_double_eq(jx_result_total(r), 90.05);
    ck_assert_str_eq(jx_result_grade(r), "优");
    ck_assert_int_eq(jx_result_complete(r), 1);
    ck_assert_double_eq(jx_result_score(r, idx(s, "1")), 15.00);
    ck_assert_double_eq(jx_result_score(r, idx(s, "2.1")), 6.00);
    ck_assert_double_eq(jx_result_value(r, idx(s, "2.1")), 94.75);
    ck_assert_double_eq(jx_result_score(r, idx(s, "2.6")), 4.00);
    ck_assert_double_eq(jx_result_score(r, idx(s, "2.7")), 4.00);
    ck_assert_double_eq(jx_result_score(r, idx(s, "3.1")), 9.55);
    ck_assert_double_eq(jx_result_score(r, idx(s, "4.1")), 8.00);
    ck_assert_int_eq(jx_result_status(r, idx(s, "2.4")), JX_STATUS_NOT_APPLICABLE);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "2.1")),
                     "预算完成率 94.75%,低于目标 100% 5.25 个百分点,每满 5 个百分点扣 2 分,"
                     "计 1 档,扣 2.00 分");
    ck_assert_str_eq(jx_result_reason(r, idx(s, "2.7")),
                     "3 项中满足 2 项(缺:三公经费按时公开),每缺一项扣 2 分,扣 2.00 分");
    ck_assert_str_eq(jx_result_reason(r, idx(s, "4.1")), "社会效益:较好,按分值的 80% 计,得 8.00 分");
    ck_assert_str_eq(jx_result_value_unit(r, idx(s, "2.3")), "%");
    ck_assert_int_eq(jx_result_value_decimals(r, idx(s, "2.6")), 0);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

/* A target without a unit: the gap gets a word of its own, not
 * "超过目标 0 4.99". */
/* A ratio's "over": beyond 10 % above the target, at most half the max;
 * jx_score and the batch path alike, and the reason says why. */
START_TEST(ratio_over_cap)
{
    static const char text[] =
        "{\"jixiao\": 1, \"id\": \"over\", \"title\": \"t\", \"total\": 10,"
        " \"metrics\": {\"x\": {\"unit\": \"%\"}},"
        " \"indicators\": [{\"id\": \"1\", \"name\": \"完成率\", \"max\": 10, \"unit\": \"%\","
        "   \"value\": \"x\", \"rule\": {\"ratio\": {\"target\": \">= 100\","
        "   \"over\": {\"beyond\": 10, \"fraction\": 0.5}}}}]}";
    /* 50: 10 × 50 / 100; 110 is not beyond 110; 110.01 is: 5; 0: 0 */
    static const double x[] = {50, 110, 110.01, 200, 0}, want[] = {5, 10, 5, 5, 0};
    enum { N = sizeof x / sizeof x[0] };
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(text, strlen(text), NULL, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    for (size_t k = 0; k < N; k++) {
        jx_input *in = jx_input_new(s);
        jx_input_set_number(in, "x", x[k]);
        jx_result *r = jx_score(s, in, 0, &err);
        ck_assert_ptr_nonnull(r);
        ck_assert_msg(jx_result_score(r, 0) == want[k], "x %g: %g", x[k], jx_result_score(r, 0));
        if (k == 2)
            ck_assert_str_eq(jx_result_reason(r, 0), "完成率 110.01%,目标 >= 100%,高于 110%,"
                             "超额过多,最高按分值的 50% 计,得 5.00 分");
        jx_result_free(r);
        jx_input_free(in);
    }
    const double *cols[] = {x};
    double scores[N];
    jx_batch *b = jx_batch_new(s);
    ck_assert_int_eq(jx_batch_score(s, b, N, cols, 1, NULL, 0, scores, NULL, NULL, NULL, NULL,
                                    &err), 0);
    for (size_t k = 0; k < N; k++)
        ck_assert_msg(scores[k] == want[k], "batch, x %g: %g", x[k], scores[k]);
    jx_batch_free(b);
    jx_scheme_free(s);
}
END_TEST

START_TEST(reason_gap_without_unit)
{
    static const char text[] =
        "{\"jixiao\": 1, \"id\": \"le0\", \"title\": \"t\", \"total\": 20,"
        " \"metrics\": {\"违规金额\": {\"type\": \"number\"}, \"人数\": {\"type\": \"number\"}},"
        " \"indicators\": ["
        "  {\"id\": \"1\", \"name\": \"违规资金\", \"max\": 10, \"value\": \"违规金额\","
        "   \"rule\": {\"deduct\": {\"target\": \"<= 0\", \"per\": 1, \"points\": 1}}},"
        "  {\"id\": \"2\", \"name\": \"培训人数\", \"max\": 10, \"value\": \"人数\","
        "   \"rule\": {\"deduct\": {\"target\": \">= 50\", \"per\": 10, \"points\": 2,"
        "    \"steps\": \"floor\"}}}]}";
    jx_error err;
    jx_scheme *s = jx_scheme_load_buffer(text, strlen(text), NULL, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    jx_input *in = jx_input_new(s);
    jx_input_set_number(in, "违规金额", 4.99);
    jx_input_set_number(in, "人数", 45);
    jx_result *r = jx_score(s, in, 0, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(jx_result_reason(r, 0), "违规资金 4.99,超过目标 0,超出 4.99,每 1 扣 1 分,扣 4.99 分");
    ck_assert_str_eq(jx_result_reason(r, 1),
                     "培训人数 45.00,低于目标 50,相差 5.00,不足一档(每档 10),不扣分");
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(issue_reason_example)
{
    /* 在职人员控制率 104.00%: the reason of the scheme-format example. */
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = example_input(s);
    jx_input_set_number(in, "在职人员数", 104);
    jx_input_set_number(in, "编制数", 100);
    jx_result *r = jx_score(s, in, 0, NULL);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "1.1")),
                     "在职人员控制率 104.00%,超过目标 100% 4.00 个百分点,每 1 个百分点扣 0.5 分,"
                     "扣 2.00 分");
    ck_assert_double_eq(jx_result_score(r, idx(s, "1.1")), 3.00);
    jx_result_free(r);
    r = jx_score(s, in, JX_LANG_EN, NULL);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "1.1")),
                     "在职人员控制率 104.00%, 4.00 percentage points above the target of 100%; "
                     "0.5 points off per 1 percentage point: 2.00 points deducted");
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(introspection)
{
    jx_scheme *s = jxt_scheme("example");
    ck_assert_str_eq(jx_scheme_id(s), "example-dept-2023");
    ck_assert_str_eq(jx_scheme_title(s), "部门整体支出绩效评价指标体系(示例)");
    ck_assert_double_eq(jx_scheme_total(s), 100);
    ck_assert_int_eq(jx_scheme_precision(s), 2);
    ck_assert_str_eq(jx_scheme_lang(s), "zh");
    ck_assert_uint_eq(jx_scheme_indicator_count(s), 18); /* 4 parents, 14 leaves */
    size_t i = idx(s, "2.2");
    ck_assert_str_eq(jx_scheme_indicator_name(s, i), "预算调整率");
    ck_assert_str_eq(jx_scheme_indicator_unit(s, i), "%");
    ck_assert_double_eq(jx_scheme_indicator_max(s, i), 8);
    ck_assert_uint_eq(jx_scheme_indicator_parent(s, i), idx(s, "2"));
    ck_assert_int_eq(jx_scheme_indicator_depth(s, i), 1);
    ck_assert_int_eq(jx_scheme_indicator_is_leaf(s, i), 1);
    ck_assert_str_eq(jx_scheme_indicator_rule(s, i), "bands");
    ck_assert_int_eq(jx_scheme_indicator_is_leaf(s, idx(s, "2")), 0);
    ck_assert_double_eq(jx_scheme_indicator_max(s, idx(s, "2")), 45);
    ck_assert_uint_eq(jx_scheme_indicator_parent(s, idx(s, "2")), JX_NONE);
    ck_assert_str_eq(jx_scheme_indicator_rule(s, idx(s, "2")), "");
    ck_assert_uint_eq(jx_scheme_indicator_find(s, "9.9"), JX_NONE);
    ck_assert_ptr_null(jx_scheme_indicator_id(s, 999));
    ck_assert_uint_eq(jx_scheme_metric_count(s), 28);
    size_t m = jx_scheme_metric_find(s, "社会效益");
    ck_assert_int_eq(jx_scheme_metric_type(s, m), JX_METRIC_LEVEL);
    ck_assert_uint_eq(jx_scheme_metric_level_count(s, m), 4);
    ck_assert_str_eq(jx_scheme_metric_level(s, m, 1), "较好");
    ck_assert_str_eq(jx_scheme_metric_unit(s, jx_scheme_metric_find(s, "预算数")), "万元");
    ck_assert_int_eq(jx_scheme_metric_type(s, jx_scheme_metric_find(s, "预算按时公开")),
                     JX_METRIC_BOOL);
    /* A derived metric is not an input. */
    ck_assert_uint_eq(jx_scheme_metric_find(s, "执行率"), JX_NONE);
    ck_assert_uint_eq(jx_scheme_grade_count(s), 4);
    ck_assert_str_eq(jx_scheme_grade_label(s, 2), "中");
    ck_assert_double_eq(jx_scheme_grade_min(s, 2), 60);
    jx_scheme_free(s);
}
END_TEST

START_TEST(setters_check_names_and_types)
{
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = jx_input_new(s);
    ck_assert_int_eq(jx_input_set_number(in, "不存在", 1), JX_ENOTFOUND);
    ck_assert_int_eq(jx_input_set_number(in, "执行率", 1), JX_ENOTFOUND);
    ck_assert_int_eq(jx_input_set_number(in, "预算按时公开", 1), JX_ETYPE);
    ck_assert_int_eq(jx_input_set_bool(in, "预算数", 1), JX_ETYPE);
    ck_assert_int_eq(jx_input_set_text(in, "社会效益", "很好"), JX_ELEVEL);
    ck_assert_int_eq(jx_input_set_text(in, "社会效益", "一般"), 0);
    ck_assert_int_eq(jx_input_set_not_applicable(in, "7"), JX_ENOTFOUND);
    ck_assert_int_eq(jx_input_set_number(NULL, "预算数", 1), JX_EARG);
    ck_assert_int_eq(jx_input_unset(in, "社会效益"), 0);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(missing_is_reported_not_scored)
{
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = example_input(s);
    ck_assert_int_eq(jx_input_unset(in, "编制数"), 0);
    ck_assert_int_eq(jx_input_unset(in, "预算数"), 0);
    jx_result *r = jx_score(s, in, 0, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(jx_result_complete(r), 0);
    ck_assert_int_eq(jx_result_status(r, idx(s, "1.1")), JX_STATUS_MISSING);
    ck_assert_double_eq(jx_result_score(r, idx(s, "1.1")), 0);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "1.1")), "缺少数据:编制数,按 0 分计");
    /* Through the derived 执行率. */
    ck_assert_int_eq(jx_result_status(r, idx(s, "2.1")), JX_STATUS_MISSING);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "2.1")), "缺少数据:预算数,按 0 分计");
    ck_assert_int_eq(jx_result_status(r, idx(s, "1")), JX_STATUS_MISSING);
    ck_assert_int_eq(jx_result_has_value(r, idx(s, "1.1")), 0);
    jx_result_free(r);
    jx_error err;
    r = jx_score(s, in, JX_STRICT, &err);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(err.code, JX_EINCOMPLETE);
    ck_assert_msg(strstr(err.message, "1.1") && strstr(err.message, "编制数"), "%s", err.message);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(undefined_division_and_nan)
{
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = example_input(s);
    jx_input_set_number(in, "编制数", 0);
    jx_input_set_number(in, "预算数", 0);
    jx_input_set_number(in, "质量达标率", NAN);
    jx_result *r = jx_score(s, in, 0, NULL);
    ck_assert_int_eq(jx_result_status(r, idx(s, "1.1")), JX_STATUS_UNDEFINED);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "1.1")), "无法评分:除数 编制数 为 0,按 0 分计");
    ck_assert_int_eq(jx_result_status(r, idx(s, "2.1")), JX_STATUS_UNDEFINED);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "2.1")),
                     "无法评分:执行率 无法计算:除数 预算数 为 0,按 0 分计");
    ck_assert_int_eq(jx_result_status(r, idx(s, "3.2")), JX_STATUS_UNDEFINED);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "3.2")), "无法评分:质量达标率 不是有限数值,按 0 分计");
    ck_assert_int_eq(jx_result_complete(r), 0);
    char *json = jx_result_to_json(r, 0);
    ck_assert_ptr_nonnull(json);
    ck_assert_ptr_null(strstr(json, "nan"));
    ck_assert_ptr_null(strstr(json, "inf"));
    jx_free(json);
    jx_result_free(r);
    jx_error err;
    ck_assert_ptr_null(jx_score(s, in, JX_STRICT, &err));
    ck_assert_int_eq(err.code, JX_EUNDEFINED);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(not_applicable_policies)
{
    jx_scheme *s = load_text(
        "{\"jixiao\": 1, \"id\": \"p\", \"title\": \"p\", \"not_applicable\": \"zero\","
        " \"metrics\": {\"a\": {}, \"b\": {}, \"c\": {}},"
        " \"indicators\": ["
        "  {\"id\": \"A\", \"name\": \"A\", \"max\": 50, \"value\": \"a\", \"rule\": {\"manual\": {}}},"
        "  {\"id\": \"G\", \"name\": \"G\", \"not_applicable\": \"full\", \"children\": ["
        "    {\"id\": \"B\", \"name\": \"B\", \"max\": 30, \"value\": \"b\", \"rule\": {\"manual\": {}}}]},"
        "  {\"id\": \"C\", \"name\": \"C\", \"max\": 20, \"value\": \"c\", \"rule\": {\"manual\": {}}}]}");
    jx_input *in = jx_input_new(s);
    jx_input_set_number(in, "a", 40);
    jx_input_set_not_applicable(in, "G"); /* B inherits "full" from G */
    jx_input_set_not_applicable(in, "C"); /* C follows the scheme: "zero" */
    jx_result *r = jx_score(s, in, JX_STRICT, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert_double_eq(jx_result_score(r, idx(s, "B")), 30);
    ck_assert_double_eq(jx_result_score(r, idx(s, "G")), 30);
    ck_assert_double_eq(jx_result_score(r, idx(s, "C")), 0);
    ck_assert_double_eq(jx_result_total(r), 70);
    ck_assert_str_eq(jx_result_reason(r, idx(s, "B")), "不适用,按满分计");
    ck_assert_str_eq(jx_result_reason(r, idx(s, "C")), "不适用,按 0 分计");
    ck_assert_int_eq(jx_result_status(r, idx(s, "G")), JX_STATUS_NOT_APPLICABLE);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(either_or_takes_first_complete)
{
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = example_input(s);
    jx_input_unset(in, "结转结余总额");
    jx_input_set_number(in, "本年结转结余", 55);
    jx_input_set_number(in, "上年结转结余", 50);
    jx_result *r = jx_score(s, in, 0, NULL);
    size_t i = idx(s, "2.3");
    ck_assert_int_eq(jx_result_status(r, i), JX_STATUS_SCORED);
    /* 变动率 10.00 %, 0.5 per point above 0: 5 off, 1.00 left */
    ck_assert_double_eq(jx_result_value(r, i), 10.00);
    ck_assert_double_eq(jx_result_score(r, i), 1.00);
    ck_assert_msg(strncmp(jx_result_reason(r, i), "按“结转结余变动率”评价:", 36) == 0, "%s",
                  jx_result_reason(r, i));
    jx_result_free(r);
    jx_input_unset(in, "上年结转结余");
    r = jx_score(s, in, 0, NULL);
    ck_assert_int_eq(jx_result_status(r, i), JX_STATUS_MISSING);
    ck_assert_str_eq(jx_result_reason(r, i), "缺少数据:结转结余总额、上年结转结余,按 0 分计");
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(out_of_range_values_are_undefined)
{
    jx_scheme *s = load_text(
        "{\"jixiao\": 1, \"id\": \"u\", \"title\": \"u\","
        " \"metrics\": {\"rate\": {}, \"expert\": {}, \"n\": {},"
        "   \"达成\": {\"type\": \"level\", \"levels\": [\"达成\", \"部分达成\", \"未达成\"]},"
        "   \"比例\": {}},"
        " \"indicators\": ["
        "  {\"id\": \"B\", \"name\": \"B\", \"max\": 40, \"value\": \"rate\","
        "   \"rule\": {\"bands\": [{\"when\": \"[0, 50)\", \"score\": 0}, {\"when\": \">= 50\", \"score\": 40}]}},"
        "  {\"id\": \"M\", \"name\": \"M\", \"max\": 20, \"value\": \"expert\", \"rule\": {\"manual\": {}}},"
        "  {\"id\": \"N\", \"name\": \"N\", \"max\": 20, \"value\": \"n\", \"rule\": {\"count\": {\"points\": 1}}},"
        "  {\"id\": \"T\", \"name\": \"T\", \"max\": 20, \"rule\": {\"level\": {\"metric\": \"达成\","
        "     \"tiers\": {\"达成\": \"[80, 100]\", \"部分达成\": \"[50, 80]\", \"未达成\": \"[0, 50]\"},"
        "     \"percent\": \"比例\"}}}]}");
    jx_input *in = jx_input_new(s);
    jx_input_set_number(in, "rate", -3);
    jx_input_set_number(in, "expert", 21);
    jx_input_set_number(in, "n", -1);
    jx_input_set_text(in, "达成", "部分达成");
    jx_input_set_number(in, "比例", 85);
    jx_result *r = jx_score(s, in, 0, NULL);
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(jx_result_status(r, i), JX_STATUS_UNDEFINED);
    ck_assert_str_eq(jx_result_reason(r, 0), "无法评分:B -3.00 不在任何一档内,按 0 分计");
    ck_assert_str_eq(jx_result_reason(r, 1), "无法评分:评分 21 不在 0 至 20 分之间,按 0 分计");
    ck_assert_str_eq(jx_result_reason(r, 3),
                     "无法评分:比例 85% 不在所选档次 部分达成 [50, 80]%,按 0 分计");
    jx_result_free(r);
    jx_input_set_number(in, "rate", 60);
    jx_input_set_number(in, "expert", 17.5);
    jx_input_set_number(in, "n", 3);
    jx_input_set_number(in, "比例", 70);
    r = jx_score(s, in, JX_STRICT, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert_double_eq(jx_result_score(r, 0), 40);
    ck_assert_double_eq(jx_result_score(r, 1), 17.5);
    ck_assert_double_eq(jx_result_score(r, 2), 17);
    ck_assert_double_eq(jx_result_score(r, 3), 14);
    ck_assert_double_eq(jx_result_total(r), 88.5);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(override_grade_when_results_lack_data)
{
    jx_scheme *s = load_text(
        "{\"jixiao\": 1, \"id\": \"o\", \"title\": \"o\", \"lang\": \"en\","
        " \"grades\": [{\"label\": \"Results Not Demonstrated\", \"if_missing\": [\"R\"]},"
        "   {\"label\": \"Effective\", \"min\": 85}, {\"label\": \"Ineffective\", \"min\": 0}],"
        " \"metrics\": {\"a\": {}, \"b\": {}, \"c\": {}},"
        " \"indicators\": ["
        "  {\"id\": \"P\", \"name\": \"P\", \"max\": 50, \"value\": \"a\", \"rule\": {\"manual\": {}}},"
        "  {\"id\": \"R\", \"name\": \"R\", \"children\": ["
        "    {\"id\": \"R1\", \"name\": \"R1\", \"max\": 25, \"value\": \"b\", \"rule\": {\"manual\": {}}},"
        "    {\"id\": \"R2\", \"name\": \"R2\", \"max\": 25, \"value\": \"c\", \"rule\": {\"manual\": {}}}]}]}");
    jx_input *in = jx_input_new(s);
    jx_input_set_number(in, "a", 50);
    jx_input_set_number(in, "b", 25);
    jx_input_set_number(in, "c", 25);
    jx_result *r = jx_score(s, in, 0, NULL);
    ck_assert_str_eq(jx_result_grade(r), "Effective");
    jx_result_free(r);
    /* One result missing: the override. */
    jx_input_unset(in, "c");
    r = jx_score(s, in, 0, NULL);
    ck_assert_str_eq(jx_result_grade(r), "Results Not Demonstrated");
    ck_assert_uint_eq(jx_result_grade_index(r), 0);
    jx_result_free(r);
    /* Every result not applicable: nothing demonstrated either, even though
     * the rescaled number (50 of 50) would grade Effective. */
    jx_input_set_not_applicable(in, "R");
    r = jx_score(s, in, 0, NULL);
    ck_assert_double_eq(jx_result_total(r), 100);
    ck_assert_str_eq(jx_result_grade(r), "Results Not Demonstrated");
    jx_result_free(r);
    /* One of the two not applicable, the other scored: a result is shown. */
    jx_input_clear_not_applicable(in, "R");
    jx_input_set_not_applicable(in, "R2");
    r = jx_score(s, in, 0, NULL);
    ck_assert_str_eq(jx_result_grade(r), "Effective");
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(result_outlives_scheme)
{
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = example_input(s);
    jx_result *r = jx_score(s, in, 0, NULL);
    jx_input_free(in);
    jx_scheme_free(s);
    ck_assert_double_eq(jx_result_total(r), 90.05);
    ck_assert_str_eq(jx_scheme_id(jx_result_scheme(r)), "example-dept-2023");
    ck_assert_str_eq(jx_result_grade(r), "优");
    jx_result_free(r);
}
END_TEST

START_TEST(input_for_other_scheme_rejected)
{
    jx_scheme *a = jxt_scheme("example"), *b = jxt_scheme("example");
    jx_input *in = jx_input_new(a);
    jx_error err;
    ck_assert_ptr_null(jx_score(b, in, 0, &err));
    ck_assert_int_eq(err.code, JX_EARG);
    ck_assert_ptr_null(jx_score(NULL, in, 0, &err));
    ck_assert_int_eq(err.code, JX_EARG);
    jx_input_free(in);
    jx_scheme_free(a);
    jx_scheme_free(b);
}
END_TEST

START_TEST(json_export)
{
    jx_scheme *s = jxt_scheme("example");
    jx_input *in = example_input(s);
    jx_result *r = jx_score(s, in, 0, NULL);
    char *text = jx_result_to_json(r, 0);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strncmp(text, "{\"scheme\":\"example-dept-2023\",\"title\":", 38) == 0, "%s", text);
    ck_assert_ptr_nonnull(strstr(text, "\"total\":90.05,\"max\":100.00,\"grade\":\"优\","));
    ck_assert_ptr_nonnull(strstr(text, "\"id\":\"2.6\""));
    ck_assert_ptr_nonnull(strstr(text, "\"value\":1,\"unit\":\"例\""));
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    ck_assert_msg(doc != NULL, "export is not JSON: %s", je.text);
    json_t *inds = json_object_get(doc, "indicators");
    ck_assert_uint_eq(json_array_size(inds), 18);
    json_t *leaf = json_array_get(inds, 1);
    ck_assert_str_eq(json_string_value(json_object_get(leaf, "id")), "1.1");
    ck_assert_str_eq(json_string_value(json_object_get(leaf, "parent")), "1");
    ck_assert_double_eq(json_number_value(json_object_get(leaf, "value")), 95.10);
    ck_assert_str_eq(json_string_value(json_object_get(leaf, "status")), "scored");
    json_decref(doc);
    jx_free(text);
    jx_result_free(r);
    jx_input_free(in);
    jx_scheme_free(s);
}
END_TEST

START_TEST(version_and_errors)
{
    ck_assert_str_eq(jx_version(), JX_VERSION_STRING);
    ck_assert_uint_eq(jx_version_number(), JX_VERSION_NUMBER);
    for (int c = JX_EUNSUPPORTED; c <= 0; c++) {
        ck_assert_ptr_nonnull(jx_strerror(c));
        ck_assert_str_ne(jx_strerror(c), "unknown error");
        for (int d = c + 1; d <= 0; d++)
            ck_assert_str_ne(jx_strerror(c), jx_strerror(d));
    }
    ck_assert_str_eq(jx_strerror(-999), "unknown error");
    ck_assert_str_eq(jx_status_name(JX_STATUS_NOT_APPLICABLE), "not_applicable");
    jx_free(NULL);
    jx_scheme_free(NULL);
    jx_input_free(NULL);
    jx_result_free(NULL);
}
END_TEST

Suite *suite_score(void)
{
    Suite *s = suite_create("score");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, example_scores);
    tcase_add_test(tc, issue_reason_example);
    tcase_add_test(tc, reason_gap_without_unit);
    tcase_add_test(tc, ratio_over_cap);
    tcase_add_test(tc, introspection);
    tcase_add_test(tc, setters_check_names_and_types);
    tcase_add_test(tc, missing_is_reported_not_scored);
    tcase_add_test(tc, undefined_division_and_nan);
    tcase_add_test(tc, not_applicable_policies);
    tcase_add_test(tc, either_or_takes_first_complete);
    tcase_add_test(tc, out_of_range_values_are_undefined);
    tcase_add_test(tc, override_grade_when_results_lack_data);
    tcase_add_test(tc, result_outlives_scheme);
    tcase_add_test(tc, input_for_other_scheme_rejected);
    tcase_add_test(tc, json_export);
    tcase_add_test(tc, version_and_errors);
    suite_add_tcase(s, tc);
    return s;
}
