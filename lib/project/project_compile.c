/* One project's checked rows → its compiled scheme, built directly.
 *
 * The scheme is the one the loader makes from the project's scheme JSON
 * (jxi_project_scheme_json): the same metrics, indicators, rules, grades
 * and numbers, so scoring, reasons and rounding are those of any scheme.
 * Building it here skips writing, parsing and checking that text for every
 * project of a file, which was most of the time of reading one. The rows
 * were checked by jxi_project_build and the profile when it was loaded, so
 * what remains to fail is memory. tests/test_project.c compares the two
 * schemes field by field for every fixture; the digest is computed from
 * the JSON when first asked (jxi_project_digest). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compile/rules.h"
#include "compile/scheme.h"
#include "project/project.h"
#include "util/num.h"

/* A number as the loader reads it back from the scheme JSON, where the
 * generator writes it with jxi_format_g after jxi_snap. */
static double pc_as_written(double x)
{
    char t[64];
    double v = x;
    size_t n = jxi_format_g(jxi_snap(x), t, sizeof t);
    if (n < sizeof t)
        jx_parse_number(t, n, &v);
    return v;
}

/* A profile's cap on a ratio ">= target" rule, as the loader sets it from
 * the "over" the generator writes. */
static void pc_over(jxi_rule *r, const jxi_pover *o)
{
    if (!o->on)
        return;
    r->has_over = 1;
    r->over_fraction = pc_as_written(o->fraction);
    r->over_above = jxi_ratio_over_above(r->target, pc_as_written(o->beyond));
}

static int pc_resolve_number(void *ctx, const char *name, size_t len, const char **why)
{
    (void)why;
    const jx_scheme *s = ctx;
    int slot = jxi_scheme_slot(s, name, len);
    if (slot < 0 || (size_t)slot >= s->nmetrics || s->metrics[slot].type != JX_METRIC_NUMBER)
        return JXI_RESOLVE_UNKNOWN;
    return slot;
}

typedef struct pc_builder {
    const jx_projects *ps;
    jxi_project *p;
    jx_scheme *s;
    size_t cap_metrics;
    int nomem;
} pc_builder;

static char *pc_dup(pc_builder *B, const char *t)
{
    char *d = jxi_strdup(t);
    if (!d)
        B->nomem = 1;
    return d;
}

static jxi_metric *pc_add_metric(pc_builder *B, const char *name, const char *unit)
{
    jx_scheme *s = B->s;
    jxi_metric *m = &s->metrics[s->nmetrics++];
    m->name = pc_dup(B, name);
    m->unit = pc_dup(B, unit);
    m->type = JX_METRIC_NUMBER;
    return m;
}

static void pc_add_metrics(pc_builder *B)
{
    const jxi_pprofile *pf = B->ps->profile;
    const jxi_project *p = B->p;
    char name[512];
    pc_add_metric(B, "全年预算数", "万元");
    pc_add_metric(B, "全年执行数", "万元");
    for (size_t j = 0; j < p->nrows && !B->nomem; j++) {
        const jxi_prow *r = &p->rows[j];
        if (r->target.kind == JXI_PV_NUMBER) {
            jxi_project_metric_name(p, j, "实际完成值", name, sizeof name);
            pc_add_metric(B, name, r->target.unit);
            continue;
        }
        jxi_project_metric_name(p, j, "达成情况", name, sizeof name);
        jxi_metric *m = pc_add_metric(B, name, "");
        m->type = JX_METRIC_LEVEL;
        m->levels = jxi_calloc(pf->nlevels, sizeof *m->levels);
        if (!m->levels) {
            B->nomem = 1;
            return;
        }
        for (size_t l = 0; l < pf->nlevels; l++, m->nlevels++)
            if (!(m->levels[l] = pc_dup(B, pf->levels[l].name)))
                return;
        if (pf->tiers) {
            jxi_project_metric_name(p, j, "得分率", name, sizeof name);
            pc_add_metric(B, name, "%");
        }
    }
}

static jxi_indicator *pc_add_indicator(pc_builder *B, const char *id, const char *name,
                                    const char *unit, double max, size_t parent, int depth)
{
    jx_scheme *s = B->s;
    jxi_indicator *d = &s->inds[s->ninds++];
    d->id = pc_dup(B, id);
    d->name = pc_dup(B, name);
    d->unit = pc_dup(B, unit);
    d->max = pc_as_written(max);
    d->parent = parent;
    d->depth = depth;
    d->round = -1;
    d->na = JXI_NA_RESCALE;
    d->end = s->ninds;
    return d;
}

static void pc_add_leaf_rule(pc_builder *B, jxi_indicator *d, size_t j)
{
    const jxi_pprofile *pf = B->ps->profile;
    const jxi_prow *r = &B->p->rows[j];
    jx_scheme *s = B->s;
    char name[512];
    d->is_leaf = 1;
    s->nleaves++;
    d->rule.domain = (jxi_interval){0, INFINITY, 1, 0};
    if (r->target.kind == JXI_PV_NUMBER) {
        char formula[520], target[64], why[200];
        jxi_project_metric_name(B->p, j, "实际完成值", name, sizeof name);
        int n = snprintf(formula, sizeof formula, "[%s]", name);
        jxi_expr_error e;
        if (jxi_expr_compile(formula, (size_t)n, pc_resolve_number, s, &d->value, &e) < 0) {
            B->nomem = 1;
            return;
        }
        /* The target as the generator writes it, read by the same parser. */
        snprintf(target, sizeof target, "%s %s",
                 r->target.op == '>' ? ">=" : r->target.op == '<' ? "<=" : "=", r->target.num);
        jxi_interval iv;
        jxi_interval_parse(target, &iv, why, sizeof why);
        d->rule.kind = JXI_RULE_RATIO;
        d->rule.op = r->target.op == '>' ? JXI_OP_GE : r->target.op == '<' ? JXI_OP_LE : JXI_OP_EQ;
        d->rule.target = d->rule.op == JXI_OP_LE ? iv.hi : iv.lo;
        if (d->rule.op == JXI_OP_GE)
            pc_over(&d->rule, &pf->over);
        return;
    }
    d->rule.kind = JXI_RULE_LEVEL;
    jxi_project_metric_name(B->p, j, "达成情况", name, sizeof name);
    d->rule.level_slot = jxi_scheme_slot(s, name, strlen(name));
    d->rule.nlevels_cache = pf->nlevels;
    if (pf->tiers) {
        jxi_project_metric_name(B->p, j, "得分率", name, sizeof name);
        d->rule.percent_slot = jxi_scheme_slot(s, name, strlen(name));
        if (!(d->rule.tiers = jxi_calloc(pf->nlevels, sizeof *d->rule.tiers))) {
            B->nomem = 1;
            return;
        }
        for (size_t l = 0; l < pf->nlevels; l++)
            d->rule.tiers[l] = pf->levels[l].tier_iv;
    } else {
        if (!(d->rule.fractions = jxi_calloc(pf->nlevels, sizeof *d->rule.fractions))) {
            B->nomem = 1;
            return;
        }
        for (size_t l = 0; l < pf->nlevels; l++)
            d->rule.fractions[l] = pc_as_written(pf->levels[l].fraction);
    }
}

static void pc_add_budget(pc_builder *B)
{
    static const char formula[] = "全年执行数 / 全年预算数 * 100";
    const jxi_pprofile *pf = B->ps->profile;
    jxi_indicator *d = pc_add_indicator(B, "1", pf->budget_name, "%", pf->budget_weight, JX_NONE, 0);
    d->is_leaf = 1;
    B->s->nleaves++;
    d->round = 2;
    d->rule.kind = JXI_RULE_RATIO;
    d->rule.op = JXI_OP_GE;
    d->rule.target = 100;
    pc_over(&d->rule, &pf->budget_over);
    d->rule.domain = (jxi_interval){0, INFINITY, 1, 0};
    jxi_expr_error e;
    if (jxi_expr_compile(formula, sizeof formula - 1, pc_resolve_number, B->s, &d->value, &e) < 0)
        B->nomem = 1;
}

static int pc_same(const jxi_prow *a, const jxi_prow *b, int upto)
{
    for (int c = JX_PROJECT_LEVEL1; c <= upto; c++)
        if (strcmp(a->cell[c], b->cell[c]) != 0)
            return 0;
    return 1;
}

/* 一级 and 二级 groups in the order they first appear; each 二级's leaves
 * in file order (the ids the generator gives: "2", "2.1", "2.1.1"). */
static void pc_add_tree(pc_builder *B)
{
    jxi_project *p = B->p;
    jx_scheme *s = B->s;
    size_t n1 = 0;
    for (size_t j = 0; j < p->nrows && !B->nomem; j++) {
        size_t q;
        for (q = 0; q < j && !pc_same(&p->rows[q], &p->rows[j], JX_PROJECT_LEVEL1); q++)
            ;
        if (q < j)
            continue;
        double w1 = 0;
        for (size_t k = j; k < p->nrows; k++)
            if (pc_same(&p->rows[k], &p->rows[j], JX_PROJECT_LEVEL1))
                w1 += p->rows[k].weight;
        char id[64];
        snprintf(id, sizeof id, "%zu", ++n1 + 1);
        size_t i1 = s->ninds;
        pc_add_indicator(B, id, p->rows[j].cell[JX_PROJECT_LEVEL1], "", w1, JX_NONE, 0);
        size_t n2 = 0;
        for (size_t k = j; k < p->nrows && !B->nomem; k++) {
            if (!pc_same(&p->rows[k], &p->rows[j], JX_PROJECT_LEVEL1))
                continue;
            for (q = j; q < k && !pc_same(&p->rows[q], &p->rows[k], JX_PROJECT_LEVEL2); q++)
                ;
            if (q < k)
                continue;
            double w2 = 0;
            for (size_t m = k; m < p->nrows; m++)
                if (pc_same(&p->rows[m], &p->rows[k], JX_PROJECT_LEVEL2))
                    w2 += p->rows[m].weight;
            snprintf(id, sizeof id, "%zu.%zu", n1 + 1, ++n2);
            size_t i2 = s->ninds;
            pc_add_indicator(B, id, p->rows[k].cell[JX_PROJECT_LEVEL2], "", w2, i1, 1);
            size_t n3 = 0;
            for (size_t m = k; m < p->nrows && !B->nomem; m++) {
                if (!pc_same(&p->rows[m], &p->rows[k], JX_PROJECT_LEVEL2))
                    continue;
                const jxi_prow *r = &p->rows[m];
                snprintf(id, sizeof id, "%zu.%zu.%zu", n1 + 1, n2, ++n3);
                p->rows[m].leaf = s->ninds;
                jxi_indicator *d = pc_add_indicator(B, id, r->cell[JX_PROJECT_LEVEL3],
                                                 r->target.kind == JXI_PV_NUMBER ? r->target.unit
                                                                                 : "",
                                                 r->weight, i2, 2);
                pc_add_leaf_rule(B, d, m);
            }
            s->inds[i2].end = s->ninds;
        }
        s->inds[i1].end = s->ninds;
    }
}

static void pc_add_grades(pc_builder *B)
{
    const jxi_pprofile *pf = B->ps->profile;
    jx_scheme *s = B->s;
    if (!(s->grades = jxi_calloc(pf->ngrades, sizeof *s->grades))) {
        B->nomem = 1;
        return;
    }
    for (size_t g = 0; g < pf->ngrades; g++, s->ngrades++) {
        s->grades[g].min = pc_as_written(pf->grades[g].min);
        if (!(s->grades[g].label = pc_dup(B, pf->grades[g].label)))
            return;
    }
}

/* The number of indicators: the budget leaf, the rows, and one per
 * distinct 一级 and 一级/二级 pair (at most one of each per row). */
static size_t pc_count_indicators(const jxi_project *p)
{
    size_t n = 1 + p->nrows;
    for (size_t j = 0; j < p->nrows; j++) {
        size_t q1, q2;
        for (q1 = 0; q1 < j && !pc_same(&p->rows[q1], &p->rows[j], JX_PROJECT_LEVEL1); q1++)
            ;
        for (q2 = 0; q2 < j && !pc_same(&p->rows[q2], &p->rows[j], JX_PROJECT_LEVEL2); q2++)
            ;
        n += (q1 == j) + (q2 == j);
    }
    return n;
}

int jxi_project_compile(jx_projects *ps, jxi_project *p, jx_error *err)
{
    const jxi_pprofile *pf = ps->profile;
    size_t nmetrics = 2 + p->nrows * (pf->tiers ? 2 : 1), ninds = pc_count_indicators(p);
    if (nmetrics > JXI_MAX_METRICS || ninds > JXI_MAX_INDICATORS) {
        jxi_project_error(ps, p, p->line, -1, err, JX_ELIMIT,
                          "more than %d indicators or metrics", JXI_MAX_INDICATORS);
        return JX_ELIMIT;
    }
    jx_scheme *s = jxi_calloc(1, sizeof *s);
    pc_builder B = {ps, p, s, nmetrics, 0};
    if (!s) {
        jxi_error_set(err, JX_ENOMEM, "out of memory");
        return JX_ENOMEM;
    }
    atomic_init(&s->refs, 1);
    atomic_init(&s->digest_state, JXI_DIGEST_NONE);
    s->digest_fn = jxi_project_digest;
    s->digest_ctx = ps;
    s->digest_arg = (size_t)(p - ps->p);
    s->id = pc_dup(&B, *p->field[JX_PROJECT_ID] ? p->field[JX_PROJECT_ID] : p->field[JX_PROJECT_NAME]);
    s->title = pc_dup(&B, p->field[JX_PROJECT_NAME]);
    s->lang = pc_dup(&B, "zh");
    s->total = pc_as_written(pf->budget_weight + pf->indicator_total);
    s->precision = pf->precision;
    s->na = JXI_NA_RESCALE;
    s->metrics = jxi_calloc(nmetrics, sizeof *s->metrics);
    s->inds = jxi_calloc(ninds, sizeof *s->inds);
    if (!s->metrics || !s->inds)
        B.nomem = 1;
    if (!B.nomem)
        pc_add_metrics(&B);
    s->nslots = s->nmetrics;
    if (!B.nomem && jxi_scheme_index_metrics(s) < 0)
        B.nomem = 1;
    int dup_name = 0;
    for (size_t k = 1; !B.nomem && k < s->nmetric_index; k++)
        dup_name |= strcmp(s->metric_index[k - 1].name, s->metric_index[k].name) == 0;
    if (!B.nomem && !dup_name) {
        pc_add_budget(&B);
        pc_add_tree(&B);
    }
    if (!B.nomem && !dup_name) {
        pc_add_grades(&B);
        if (!B.nomem && jxi_scheme_index_indicators(s) < 0)
            B.nomem = 1;
    }
    double leaves = 0;
    for (size_t i = 0; i < s->ninds; i++)
        leaves += s->inds[i].is_leaf ? s->inds[i].max : 0;
    if (B.nomem || dup_name || jxi_cmp(leaves, s->total) != 0) {
        jxi_scheme_destroy(s);
        if (B.nomem) {
            jxi_error_set(err, JX_ENOMEM, "out of memory");
            return JX_ENOMEM;
        }
        /* Neither happens with rows jxi_project_build checked; kept so a
         * change there cannot produce a scheme the loader would refuse. */
        jxi_project_error(ps, p, p->line, -1, err, dup_name ? JX_EDUPLICATE : JX_ESUM,
                          dup_name ? "two indicators need the same metric name"
                                   : "the indicators do not add up to the total");
        return dup_name ? JX_EDUPLICATE : JX_ESUM;
    }
    p->scheme = s;
    return 0;
}
