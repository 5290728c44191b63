/* A project's scheme is built directly from its rows (lib/project/
 * project_compile.c); it must be the very scheme the ordinary loader makes
 * from the project's scheme JSON. Compared field by field, digest and
 * result JSON included, over the fixtures, both bundled profiles and a
 * generated file of many shapes. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile/expr.h"
#include "compile/scheme.h"
#include "project/project.h"
#include "tests.h"

#define SAME_STR(a, b, what) \
    ck_assert_msg(strcmp((a) ? (a) : "(null)", (b) ? (b) : "(null)") == 0, \
                  "%s %s: \"%s\" vs \"%s\"", where, what, (a) ? (a) : "(null)", \
                  (b) ? (b) : "(null)")
/* Doubles compare by their bits' value; NaN equals NaN. */
#define SAME_NUM(a, b, what) \
    ck_assert_msg((a) == (b) || (isnan(a) && isnan(b)), "%s %s: %.17g vs %.17g", where, what, \
                  (double)(a), (double)(b))
#define SAME_INT(a, b, what) \
    ck_assert_msg((long long)(a) == (long long)(b), "%s %s: %lld vs %lld", where, what, \
                  (long long)(a), (long long)(b))

static void same_interval(const char *where, const jxi_interval *a, const jxi_interval *b)
{
    SAME_NUM(a->lo, b->lo, "interval lo");
    SAME_NUM(a->hi, b->hi, "interval hi");
    SAME_INT(a->lo_incl, b->lo_incl, "interval lo_incl");
    SAME_INT(a->hi_incl, b->hi_incl, "interval hi_incl");
}

static void same_expr(const char *where, const jxi_expr *a, const jxi_expr *b)
{
    ck_assert_msg((a == NULL) == (b == NULL), "%s: one has a value formula", where);
    if (!a)
        return;
    SAME_STR(jxi_expr_source(a), jxi_expr_source(b), "formula");
    SAME_INT(jxi_expr_ref_count(a), jxi_expr_ref_count(b), "formula refs");
    for (size_t k = 0; k < jxi_expr_ref_count(a); k++)
        SAME_INT(jxi_expr_ref(a, k), jxi_expr_ref(b, k), "formula ref");
}

static void same_rule(const char *where, const jxi_rule *a, const jxi_rule *b,
                      size_t nlevels)
{
    SAME_INT(a->kind, b->kind, "rule kind");
    SAME_INT(a->op, b->op, "op");
    SAME_NUM(a->target, b->target, "target");
    SAME_INT(a->has_over, b->has_over, "has_over");
    SAME_NUM(a->over_above, b->over_above, "over_above");
    SAME_NUM(a->over_fraction, b->over_fraction, "over_fraction");
    SAME_NUM(a->per, b->per, "per");
    SAME_NUM(a->points, b->points, "points");
    SAME_INT(a->steps, b->steps, "steps");
    SAME_INT(a->nbands, b->nbands, "bands");
    same_interval(where, &a->domain, &b->domain);
    SAME_INT(a->nitems, b->nitems, "items");
    SAME_NUM(a->each_missing, b->each_missing, "each_missing");
    SAME_INT(a->level_slot, b->level_slot, "level slot");
    SAME_INT(a->nlevels_cache, b->nlevels_cache, "levels");
    ck_assert_msg((a->fractions == NULL) == (b->fractions == NULL), "%s: fractions", where);
    ck_assert_msg((a->tiers == NULL) == (b->tiers == NULL), "%s: tiers", where);
    for (size_t l = 0; l < nlevels; l++) {
        if (a->fractions)
            SAME_NUM(a->fractions[l], b->fractions[l], "fraction");
        if (a->tiers)
            same_interval(where, &a->tiers[l], &b->tiers[l]);
    }
    SAME_INT(a->percent_slot, b->percent_slot, "percent slot");
    same_expr(where, a->expr, b->expr);
    SAME_INT(a->nalts, b->nalts, "alternatives");
}

static void same_scheme(const char *project, const jx_scheme *a, const jx_scheme *b)
{
    char where[300];
    snprintf(where, sizeof where, "project %s:", project);
    SAME_STR(a->id, b->id, "id");
    SAME_STR(a->title, b->title, "title");
    SAME_STR(a->lang, b->lang, "lang");
    SAME_NUM(a->total, b->total, "total");
    SAME_INT(a->precision, b->precision, "precision");
    SAME_INT(a->na, b->na, "not_applicable");
    SAME_INT(a->nmetrics, b->nmetrics, "metrics");
    SAME_INT(a->nderived, b->nderived, "derived");
    SAME_INT(a->nslots, b->nslots, "slots");
    for (size_t m = 0; m < a->nmetrics; m++) {
        const jxi_metric *x = &a->metrics[m], *y = &b->metrics[m];
        snprintf(where, sizeof where, "project %s: metric %zu (%s):", project, m, y->name);
        SAME_STR(x->name, y->name, "name");
        SAME_STR(x->unit, y->unit, "unit");
        SAME_STR(x->description, y->description, "description");
        SAME_INT(x->type, y->type, "type");
        SAME_INT(x->nlevels, y->nlevels, "levels");
        for (size_t l = 0; l < x->nlevels; l++)
            SAME_STR(x->levels[l], y->levels[l], "level");
    }
    snprintf(where, sizeof where, "project %s:", project);
    SAME_INT(a->nmetric_index, b->nmetric_index, "metric index");
    for (size_t k = 0; k < a->nmetric_index; k++) {
        SAME_STR(a->metric_index[k].name, b->metric_index[k].name, "metric index name");
        SAME_INT(a->metric_index[k].index, b->metric_index[k].index, "metric index slot");
    }
    SAME_INT(a->ninds, b->ninds, "indicators");
    SAME_INT(a->nleaves, b->nleaves, "leaves");
    for (size_t i = 0; i < a->ninds; i++) {
        const jxi_indicator *x = &a->inds[i], *y = &b->inds[i];
        snprintf(where, sizeof where, "project %s: indicator %s:", project, y->id);
        SAME_STR(x->id, y->id, "id");
        SAME_STR(x->name, y->name, "name");
        SAME_STR(x->unit, y->unit, "unit");
        SAME_NUM(x->max, y->max, "max");
        SAME_INT(x->parent, y->parent, "parent");
        SAME_INT(x->depth, y->depth, "depth");
        SAME_INT(x->end, y->end, "end");
        SAME_INT(x->is_leaf, y->is_leaf, "is_leaf");
        SAME_INT(x->round, y->round, "round");
        SAME_INT(x->na, y->na, "na");
        same_expr(where, x->value, y->value);
        size_t nl = x->rule.kind == JXI_RULE_LEVEL ? a->metrics[x->rule.level_slot].nlevels : 0;
        same_rule(where, &x->rule, &y->rule, nl);
        SAME_STR(a->ind_index[i].name, b->ind_index[i].name, "indicator index");
        SAME_INT(a->ind_index[i].index, b->ind_index[i].index, "indicator index slot");
    }
    snprintf(where, sizeof where, "project %s:", project);
    SAME_INT(a->ngrades, b->ngrades, "grades");
    for (size_t g = 0; g < a->ngrades; g++) {
        SAME_STR(a->grades[g].label, b->grades[g].label, "grade label");
        SAME_NUM(a->grades[g].min, b->grades[g].min, "grade min");
        SAME_INT(a->grades[g].nif_missing, b->grades[g].nif_missing, "grade if_missing");
    }
    ck_assert_msg(a->extract == NULL && b->extract == NULL, "%s extract", where);
    SAME_STR(jx_scheme_digest(a), jx_scheme_digest(b), "digest");
}

/* The same values in an input of the loaded scheme: same metrics, same
 * slots (same_scheme checked), same not-applicable rows. */
static jx_input *copy_input(const jxi_project *p, const jx_scheme *to)
{
    jx_input *in = jx_input_new(to);
    ck_assert_ptr_nonnull(in);
    for (size_t m = 0; m < jx_scheme_metric_count(to); m++) {
        double v;
        if (jx_input_get(p->input, m, &v) != 1)
            continue;
        const char *name = jx_scheme_metric_name(to, m);
        if (jx_scheme_metric_type(to, m) == JX_METRIC_LEVEL)
            ck_assert_int_eq(jx_input_set_text(in, name, jx_scheme_metric_level(to, m,
                                                                             (size_t)v)), 0);
        else
            ck_assert_int_eq(jx_input_set_number(in, name, v), 0);
    }
    for (size_t j = 0; j < p->nrows; j++)
        if (p->rows[j].actual.kind == JXI_PV_NA)
            ck_assert_int_eq(jx_input_set_not_applicable(in, jx_scheme_indicator_id(
                                                                 to, p->rows[j].leaf)), 0);
    return in;
}

/* Every project of ps: built == loaded, and scored alike to the byte. */
static void check_all(jx_projects *ps)
{
    jx_error err;
    ck_assert_int_eq(jx_projects_score(ps, 0, &err), (int)ps->n);
    for (size_t k = 0; k < ps->n; k++) {
        jxi_project *p = &ps->p[k];
        char *text = jxi_project_scheme_json(ps, p);
        ck_assert_ptr_nonnull(text);
        jx_scheme *loaded = jx_scheme_load_buffer(text, strlen(text), NULL, 0, &err);
        ck_assert_msg(loaded != NULL, "project %s: %s at %s\n%s", p->field[0], err.message,
                      err.path, text);
        same_scheme(p->field[0], p->scheme, loaded);
        jx_input *in = copy_input(p, loaded);
        jx_result *r = jx_score(loaded, in, 0, &err);
        ck_assert_ptr_nonnull(r);
        char *want = jx_result_to_json(r, 0), *got = jx_result_to_json(p->result, 0);
        ck_assert_msg(strcmp(want, got) == 0, "project %s:\n%s\n%s", p->field[0], got, want);
        jx_free(want);
        jx_free(got);
        jx_result_free(r);
        jx_input_free(in);
        jx_scheme_free(loaded);
        free(text);
    }
}

static void check_file(const char *name, const char *profile)
{
    char path[512], prof[512];
    snprintf(path, sizeof path, "%s/projects/%s", jxt_data_dir, name);
    if (profile)
        snprintf(prof, sizeof prof, "%s/profiles/%s", jxt_schemes_dir, profile);
    jx_error err;
    jx_projects *ps = jx_projects_read_file(path, profile ? prof : NULL, 0, &err);
    ck_assert_msg(ps != NULL, "%s", err.message);
    check_all(ps);
    jx_projects_free(ps);
}

START_TEST(test_built_as_loaded_fixtures)
{
    check_file("projects.csv", NULL);
    check_file("province.csv", "province-project-example.json");
    check_file("strict.csv", "province-project-strict-example.json");
    check_file("projects.csv", "province-project-strict-example.json");
}
END_TEST

/* Many shapes: 一级/二级 groups in any order, repeated 三级 names, units
 * converted, ≥ ≤ =, qualitative with and without percent, 不适用, empty
 * actuals, weights with long decimals, ids and names that need escaping. */
START_TEST(test_built_as_loaded_generated)
{
    static const char *const first[] = {"产出指标", "效益指标", "满意度指标"};
    static const char *const second[] = {"数量指标", "质量指标", "时效指标", "成本指标",
                                         "社会效益指标"};
    static const char *const cells[][2] = {
        {"≥500人次", "520人次"}, {"≥1万人次", "9800人次"}, {"≤5%", "4.25%"},
        {"=100%", "98.5%"}, {"≤120万元", "1300000元"}, {"≥95%", ""},
        {"有效提升", "达成"}, {"逐步改善", "部分达成(65%)"}, {"明显", "未达成"},
        {"≥3个", "不适用"}, {"≤0天", "0天"}, {"≥0.5亿元", "4800万元"}, {"有效提升", "部分达成"},
    };
    static const char *const weights[][4] = {
        {"30", "30", "20", "10"}, {"22.5", "22.5", "22.5", "22.5"},
        {"33.33", "33.33", "23.34", "0"},
        {"0.1", "0.2", "44.575", "45.125"},
    };
    jx_error err;
    for (int prof = 0; prof < 2; prof++) {
        char buf[65536];
        size_t len = (size_t)snprintf(buf, sizeof buf, "项目编号,项目名称,全年预算数,全年执行数,"
                                      "一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n");
        for (int p = 0; p < 24; p++) {
            const char *const *w = weights[p % 4];
            int rows = w[3][0] == '0' && w[3][1] == '\0' ? 3 : 4;
            for (int j = 0; j < rows; j++) {
                int c = (p * 5 + j * 3) % 13;
                if (prof == 1 && c >= 6 && c <= 8) /* the province profile's words */
                    c = (p + j) % 2 ? 0 : 2;
                const char *actual = cells[c][1];
                if (prof == 1 && c == 12)
                    actual = "较好";
                if (prof == 1 && c == 6)
                    actual = "一般";
                const char *l3 = (p % 3 == 0 && j < 2) ? "完成率" : cells[c][0];
                len += (size_t)snprintf(buf + len, sizeof buf - len,
                                        "\"P%02d\",\"项目\"\"%d\"\"\",%d,%s,%s,%s,\"%s%s\",%s,%s,%s\n",
                                        p, p, 100 + p, p % 5 ? "88.5" : "", first[(p + j) % 3],
                                        second[(p * 7 + j) % 5], l3, j == 3 ? "[x]" : "", w[j],
                                        cells[c][0], actual);
            }
        }
        char prof_path[512];
        snprintf(prof_path, sizeof prof_path, "%s/profiles/province-project-example.json",
                 jxt_schemes_dir);
        jx_projects *ps = jx_projects_read_buffer(buf, len, "gen.csv", prof ? prof_path : NULL, 0,
                                                  &err);
        ck_assert_msg(ps != NULL, "profile %d: %s (line %d, column %d)", prof, err.message,
                      err.line, err.column);
        ck_assert_uint_eq(jx_projects_count(ps), 24);
        check_all(ps);
        jx_projects_free(ps);
    }
}
END_TEST

static void *ask_digest(void *s)
{
    return (void *)jx_scheme_digest(s);
}

/* The digest is made when first asked, by any thread, and is the loaded
 * scheme's (same_scheme compares them); asked again, the same text. */
START_TEST(test_digest_when_asked)
{
    char path[512];
    snprintf(path, sizeof path, "%s/projects/projects.csv", jxt_data_dir);
    jx_error err;
    jx_projects *ps = jx_projects_read_file(path, NULL, 0, &err);
    ck_assert_ptr_nonnull(ps);
    const jx_scheme *s = jx_projects_scheme(ps, 0);
    ck_assert_int_eq(atomic_load(&s->digest_state), JXI_DIGEST_NONE);
    /* Four threads ask at once (TSan runs this too). */
    pthread_t t[4];
    const char *seen[4];
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(pthread_create(&t[k], NULL, ask_digest, (void *)s), 0);
    for (int k = 0; k < 4; k++) {
        void *r;
        pthread_join(t[k], &r);
        seen[k] = r;
    }
    const char *d = jx_scheme_digest(s);
    for (int k = 0; k < 4; k++)
        ck_assert_ptr_eq(seen[k], d);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(strlen(d), 64);
    ck_assert_int_eq(atomic_load(&s->digest_state), JXI_DIGEST_READY);
    ck_assert_ptr_eq(jx_scheme_digest(s), d);
    jx_projects_free(ps);
}
END_TEST

/* What the schemes are built from is checked once, when the profile is
 * read: each broken profile fails with its file and what was expected. */
START_TEST(test_profile_checked)
{
    static const struct {
        const char *from, *to, *part;
    } cases[] = {
        {"\"[80, 100]\"", "\"[80, 100\"", "tier \"[80, 100\" of level 达成"},
        {"\"[0, 50)\"", "\"[0, 150)\"", "within [0, 100]"},
        {"\"部分达成\"", "\"达成\"", "named twice"},
        {"{\"level\": \"未达成\"", "{\"level\": \"\"", "must not be empty"},
        {"\"min\": 80", "\"min\": 95", "falling"},
        {"\"min\": 0}", "\"min\": 10}", "lowest grade"},
        {"\"precision\": 2,", "\"precision\": 2, \"over_achievement\": {\"beyond\": 20, "
                               "\"fraction\": 1.5},", "\"fraction\" is a share of the 分值, 0 to 1"},
        {"\"weight\": 10}", "\"weight\": 10, \"over\": {\"beyond\": -5, \"fraction\": 0.8}}",
         "budget.over: \"beyond\" is a percent of the target, 0 or more"},
        {"\"precision\": 2,", "\"precision\": 2, \"over_achievement\": {\"beyond\": 20},",
         "over_achievement: expected {\"beyond\": percent, \"fraction\": share}"},
    };
    char base[512];
    snprintf(base, sizeof base, "%s/profiles/mof-2020-project.json", jxt_schemes_dir);
    size_t len;
    char *text = jxt_read_file(base, &len);
    ck_assert_ptr_nonnull(text);
    const char *csv = "项目名称,全年预算数,全年执行数,一级指标,二级指标,三级指标,分值,年度指标值,"
                      "实际完成值\n甲,10,10,产出指标,数量指标,a,90,≥1个,1个\n";
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *at = strstr(text, cases[c].from);
        ck_assert_msg(at != NULL, "case %zu: %s", c, cases[c].from);
        char path[] = "/tmp/jx-profile-XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        FILE *f = fdopen(fd, "w");
        fprintf(f, "%.*s%s%s", (int)(at - text), text, cases[c].to, at + strlen(cases[c].from));
        fclose(f);
        jx_error err;
        jx_projects *ps = jx_projects_read_buffer(csv, strlen(csv), "p.csv", path, 0, &err);
        remove(path);
        ck_assert_msg(ps == NULL, "case %zu loaded", c);
        ck_assert_int_eq(err.code, JX_EVALUE);
        ck_assert_str_eq(err.source, path);
        ck_assert_msg(strstr(err.message, cases[c].part) != NULL, "case %zu: %s", c,
                      err.message);
    }
    free(text);
}
END_TEST

Suite *suite_project_build(void)
{
    Suite *s = suite_create("project_build");
    TCase *tc = tcase_create("project_build");
    tcase_add_test(tc, test_built_as_loaded_fixtures);
    tcase_add_test(tc, test_built_as_loaded_generated);
    tcase_add_test(tc, test_digest_when_asked);
    tcase_add_test(tc, test_profile_checked);
    suite_add_tcase(s, tc);
    return s;
}
