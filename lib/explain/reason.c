/* Reasons: why each indicator got its score, in the words of a score sheet,
 * in Chinese or English. Numbers are printed locale-free (lib/util/num.c). */
#include <math.h>
#include <string.h>

#include "eval/result.h"

typedef struct rctx {
    const jx_result *r;
    const jx_scheme *s;
    jxi_buf *b;
    int en;
    const double *values; /* the slots as scored */
    const jxi_eval *dev;
} rctx;

#define T(c, zh, en_text) ((c)->en ? (en_text) : (zh))

static void put(rctx *c, const char *zh, const char *en)
{
    jxi_buf_puts(c->b, T(c, zh, en));
}

static void num(rctx *c, double x, int digits)
{
    jxi_buf_number(c->b, x, digits);
}

static void numg(rctx *c, double x)
{
    jxi_buf_number_g(c->b, x);
}

/* A value with its unit: "104.00%", "2100.09万元" / "2100.09 万元". */
static void value(rctx *c, double x, int digits, const char *unit)
{
    num(c, x, digits);
    if (unit[0]) {
        if (c->en && strcmp(unit, "%") != 0)
            jxi_buf_putc(c->b, ' ');
        jxi_buf_puts(c->b, unit);
    }
}

static void valueg(rctx *c, double x, const char *unit)
{
    numg(c, x);
    if (unit[0]) {
        if (c->en && strcmp(unit, "%") != 0)
            jxi_buf_putc(c->b, ' ');
        jxi_buf_puts(c->b, unit);
    }
}

/* The unit a gap is counted in: percentage points for a rate. */
static void step_unit(rctx *c, const char *unit, double n)
{
    if (strcmp(unit, "%") == 0) {
        put(c, " 个百分点", n == 1 ? " percentage point" : " percentage points");
    } else if (unit[0]) {
        jxi_buf_putc(c->b, ' ');
        jxi_buf_puts(c->b, unit);
    }
}

static void points(rctx *c, double x)
{
    num(c, x, c->s->precision);
    put(c, " 分", " points");
}

/* Points taken off, exactly (1.575, not 1.58): the leaf's score is max
 * minus this, rounded once, and the reason must add up to it. Capped at the
 * leaf's max (扣完为止). */
static void deducted(rctx *c, double d, double max)
{
    double x = d < max ? d : max;
    char a[64], b[64];
    jxi_format(x, c->s->precision, a, sizeof a);
    jxi_format_g(x, b, sizeof b);
    /* At least the score's decimals, more only when the exact figure has
     * them. */
    jxi_buf_puts(c->b, strlen(b) > strlen(a) ? b : a);
    put(c, " 分", x == 1 ? " point" : " points");
}

/* "1 point", "0.5 points". */
static void points_g(rctx *c, double x)
{
    numg(c, x);
    put(c, " 分", x == 1 ? " point" : " points");
}

static const char *op_text(jxi_op op)
{
    return op == JXI_OP_GE ? ">= " : op == JXI_OP_LE ? "<= " : "= ";
}

/* "100% 5.25 个百分点": the target, then the gap with its unit. Without a
 * unit the two numbers would run together ("超过目标 0 4.99"), so the gap
 * gets a word of its own: "0,超出 4.99". */
static void gap_zh(rctx *c, const jxi_rule *r, const jxi_rule_out *o, const char *unit)
{
    valueg(c, r->target, unit);
    if (unit[0])
        jxi_buf_putc(c->b, ' ');
    else
        jxi_buf_puts(c->b, r->op == JXI_OP_LE ? ",超出 " : ",相差 ");
    num(c, o->gap, 2);
    step_unit(c, unit, o->gap);
}

static void deduct_reason(rctx *c, const jxi_rule *r, const jxi_rule_out *o, double max,
                          const char *unit)
{
    if (o->gap <= 0) {
        put(c, ",达到目标 ", ", meets the target ");
        jxi_buf_puts(c->b, op_text(r->op));
        valueg(c, r->target, unit);
        put(c, ",不扣分", "; nothing deducted");
        return;
    }
    if (o->steps == 0) {
        /* Short of the target by less than one whole step. */
        put(c, r->op == JXI_OP_LE ? ",超过目标 " : r->op == JXI_OP_GE ? ",低于目标 " : ",偏离目标 ",
            ", ");
        if (c->en) {
            num(c, o->gap, 2);
            step_unit(c, unit, o->gap);
            jxi_buf_puts(c->b, " off the target of ");
            valueg(c, r->target, unit);
            jxi_buf_puts(c->b, ", less than one step of ");
            numg(c, r->per);
            step_unit(c, unit, r->per);
            jxi_buf_puts(c->b, ": nothing deducted");
        } else {
            gap_zh(c, r, o, unit);
            jxi_buf_puts(c->b, ",不足一档(每档 ");
            numg(c, r->per);
            step_unit(c, unit, r->per);
            jxi_buf_puts(c->b, "),不扣分");
        }
        return;
    }
    if (c->en) {
        jxi_buf_puts(c->b, ", ");
        num(c, o->gap, 2);
        step_unit(c, unit[0] ? unit : "", o->gap);
        jxi_buf_puts(c->b, r->op == JXI_OP_LE ? " above" : r->op == JXI_OP_GE ? " below" : " off");
        jxi_buf_puts(c->b, " the target of ");
        valueg(c, r->target, unit);
        jxi_buf_puts(c->b, "; ");
        points_g(c, r->points);
        jxi_buf_puts(c->b, " off per ");
        if (r->steps == JXI_STEPS_FLOOR)
            jxi_buf_puts(c->b, "full ");
        numg(c, r->per);
        step_unit(c, unit, r->per);
        if (r->steps == JXI_STEPS_CEIL)
            jxi_buf_puts(c->b, " or part of it");
        if (r->steps != JXI_STEPS_CONTINUOUS) {
            jxi_buf_puts(c->b, " (");
            numg(c, o->steps);
            jxi_buf_puts(c->b, o->steps == 1 ? " step)" : " steps)");
        }
        jxi_buf_puts(c->b, ": ");
        deducted(c, o->deducted, max);
        jxi_buf_puts(c->b, " deducted");
        if (o->deducted >= max)
            jxi_buf_puts(c->b, ", down to 0");
        return;
    }
    jxi_buf_puts(c->b, r->op == JXI_OP_LE ? ",超过目标 " : r->op == JXI_OP_GE ? ",低于目标 "
                                                                              : ",偏离目标 ");
    gap_zh(c, r, o, unit);
    jxi_buf_puts(c->b, r->steps == JXI_STEPS_FLOOR ? ",每满 " : ",每 ");
    numg(c, r->per);
    step_unit(c, unit, r->per);
    if (r->steps == JXI_STEPS_CEIL)
        jxi_buf_puts(c->b, "(不足按一档计)");
    else if (!unit[0])
        jxi_buf_putc(c->b, ' ');
    jxi_buf_puts(c->b, "扣 ");
    numg(c, r->points);
    jxi_buf_puts(c->b, " 分");
    if (r->steps != JXI_STEPS_CONTINUOUS) {
        jxi_buf_puts(c->b, ",计 ");
        numg(c, o->steps);
        jxi_buf_puts(c->b, " 档");
    }
    jxi_buf_puts(c->b, ",扣 ");
    deducted(c, o->deducted, max);
    if (o->deducted >= max)
        jxi_buf_puts(c->b, ",扣完为止");
}

static void ratio_reason(rctx *c, const jxi_rule *r, const jxi_ind_result *ir, double max,
                         const char *unit)
{
    const jxi_rule_out *o = &ir->out;
    put(c, ",目标 ", ", target ");
    jxi_buf_puts(c->b, op_text(r->op));
    valueg(c, r->target, unit);
    if (r->op == JXI_OP_GE && r->has_over && r->over_fraction < 1
        && jxi_cmp(ir->value, r->over_above) > 0) {
        put(c, ",高于 ", "; above ");
        valueg(c, r->over_above, unit);
        put(c, ",超额过多,最高按分值的 ", ", over-achievement scores at most ");
        numg(c, r->over_fraction * 100);
        put(c, "% 计,得 ", "% of the max: ");
        points(c, ir->score);
        return;
    }
    if (jxi_cmp(o->score, max) >= 0) {
        put(c, ",得满分 ", "; full marks: ");
        points(c, max);
        return;
    }
    put(c, ",按比例得分 ", "; scored in proportion: ");
    numg(c, max);
    if (r->op == JXI_OP_GE) {
        jxi_buf_puts(c->b, " × ");
        numg(c, ir->value);
        jxi_buf_puts(c->b, " / ");
        numg(c, r->target);
    } else if (r->op == JXI_OP_LE) {
        jxi_buf_puts(c->b, " × ");
        numg(c, r->target);
        jxi_buf_puts(c->b, " / ");
        numg(c, ir->value);
    } else {
        jxi_buf_puts(c->b, " × (1 - ");
        numg(c, o->gap);
        jxi_buf_puts(c->b, " / ");
        numg(c, r->target);
        jxi_buf_puts(c->b, ")");
    }
    jxi_buf_puts(c->b, " = ");
    points(c, ir->score);
}

static void bands_reason(rctx *c, const jxi_rule *r, const jxi_ind_result *ir)
{
    const jxi_band *b = &r->bands[ir->out.band];
    if (b->is_else) {
        put(c, ",不在其他各档内", ", in none of the other bands");
    } else {
        put(c, ",属于 ", ", in band ");
        jxi_interval_print(&b->iv, c->b);
        put(c, " 档", "");
    }
    put(c, ",得 ", ": ");
    points(c, ir->score);
}

/* Items not met, by name, in the order of the checklist. */
static void unmet_items(rctx *c, const jxi_rule *r)
{
    int first = 1;
    for (size_t i = 0; i < r->nitems; i++) {
        if (c->values[r->items[i].slot] != 0)
            continue;
        jxi_buf_puts(c->b, first ? T(c, "(缺:", " (not met: ") : T(c, "、", ", "));
        jxi_buf_puts(c->b, jxi_slot_name(c->s, r->items[i].slot));
        first = 0;
    }
    if (!first)
        jxi_buf_puts(c->b, T(c, ")", ")"));
}

static void checklist_reason(rctx *c, const jxi_rule *r, const jxi_ind_result *ir, double max)
{
    const jxi_rule_out *o = &ir->out;
    size_t n = r->nitems;
    if (c->en)
        jxi_buf_printf(c->b, "%zu of %zu items met", n - o->nfalse, n);
    else
        jxi_buf_printf(c->b, "%zu 项中满足 %zu 项", n, n - o->nfalse);
    unmet_items(c, r);
    if (r->each_missing > 0 && o->nfalse > 0) {
        put(c, ",每缺一项扣 ", "; ");
        numg(c, r->each_missing);
        put(c, " 分,扣 ", c->en && r->each_missing == 1 ? " point off per item not met: "
                                                       : " points off per item not met: ");
        deducted(c, o->deducted, max);
        if (c->en)
            jxi_buf_puts(c->b, " deducted");
        return;
    }
    put(c, ",得 ", ": ");
    points(c, ir->score);
}

static void count_reason(rctx *c, const jxi_rule *r, const jxi_ind_result *ir, double max)
{
    const jxi_rule_out *o = &ir->out;
    if (jxi_cmp(o->gap, 0) == 0) {
        put(c, ",未发现问题,不扣分", ": none found, nothing deducted");
        return;
    }
    put(c, ",每例扣 ", "; ");
    numg(c, r->points);
    put(c, " 分,扣 ", c->en && r->points == 1 ? " point off per case: " : " points off per case: ");
    deducted(c, o->deducted, max);
    if (c->en)
        jxi_buf_puts(c->b, " deducted");
    if (o->deducted >= max)
        put(c, ",扣完为止", ", down to 0");
}

static void level_reason(rctx *c, const jxi_rule *r, const jxi_ind_result *ir)
{
    const jxi_metric *m = &c->s->metrics[r->level_slot];
    size_t k = (size_t)c->values[r->level_slot];
    jxi_buf_puts(c->b, m->name);
    jxi_buf_puts(c->b, T(c, ":", ": "));
    jxi_buf_puts(c->b, m->levels[k]);
    if (r->tiers) {
        jxi_buf_puts(c->b, T(c, "(", " ("));
        jxi_interval_print(&r->tiers[k], c->b);
        jxi_buf_puts(c->b, "%)");
        put(c, ",评价比例 ", ", evaluator's share ");
        numg(c, ir->out.aux);
        jxi_buf_puts(c->b, "%");
    } else {
        put(c, ",按分值的 ", ", ");
        numg(c, jxi_round(r->fractions[k] * 100, 2));
        put(c, "% 计", "% of the points");
    }
    put(c, ",得 ", ": ");
    points(c, ir->score);
}

/* Why an expression is undefined. */
static void undefined_expr(rctx *c, const jxi_eval *ev, const char *src, int depth)
{
    const jx_scheme *s = c->s;
    switch (ev->undef) {
    case JXI_UNDEF_DIV_ZERO:
        put(c, "除数 ", "the divisor ");
        if (src && ev->span_len)
            jxi_buf_append(c->b, src + ev->span_start, ev->span_len);
        put(c, " 为 0", " is 0");
        break;
    case JXI_UNDEF_INPUT: {
        int slot = ev->slot;
        if ((size_t)slot >= s->nmetrics && depth < 8) {
            size_t d = (size_t)slot - s->nmetrics;
            jxi_buf_puts(c->b, s->derived[d].name);
            put(c, " 无法计算:", " cannot be computed: ");
            undefined_expr(c, &c->dev[d], jxi_expr_source(s->derived[d].expr), depth + 1);
        } else {
            jxi_buf_puts(c->b, jxi_slot_name(s, slot));
            put(c, " 不是有限数值", " is not a finite number");
        }
        break;
    }
    default:
        put(c, "结果超出数值范围", "the result is out of range");
        break;
    }
}

static void missing_reason(rctx *c, const jxi_ind_result *ir)
{
    put(c, "缺少数据:", "missing input: ");
    for (size_t k = 0; k < ir->miss_n; k++) {
        if (k)
            jxi_buf_puts(c->b, T(c, "、", ", "));
        jxi_buf_puts(c->b, jxi_slot_name(c->s, c->r->missing[ir->miss_at + k]));
    }
    put(c, ",按 0 分计", "; scored 0");
}

static void leaf_reason(rctx *c, const jxi_indicator *d, const jxi_ind_result *ir)
{
    const jxi_rule *rule = &d->rule;
    const char *name = d->name, *unit = d->unit;
    int round = d->round;
    const char *src = d->value ? jxi_expr_source(d->value) : NULL;
    if (rule->kind == JXI_RULE_ONE_OF && ir->alt >= 0) {
        const jxi_alt *a = &rule->alts[ir->alt];
        put(c, "按“", "by \"");
        jxi_buf_puts(c->b, a->name);
        put(c, "”评价:", "\": ");
        rule = &a->rule;
        name = a->name;
        unit = a->unit;
        round = a->round;
        src = a->value ? jxi_expr_source(a->value) : NULL;
    }
    if (ir->status == JX_STATUS_MISSING) {
        missing_reason(c, ir);
        return;
    }
    const jxi_rule_out *o = &ir->out;
    int digits = round >= 0 ? round : 2;
    if (ir->status == JX_STATUS_UNDEFINED) {
        put(c, "无法评分:", "cannot be scored: ");
        switch (o->cause) {
        case JXI_CAUSE_EXPR:
            /* A formula rule fails after its value was computed. */
            if (rule->kind == JXI_RULE_FORMULA && (ir->has_value || !src))
                src = jxi_expr_source(rule->expr);
            undefined_expr(c, &o->ev, src, 0);
            break;
        case JXI_CAUSE_NO_BAND:
            jxi_buf_puts(c->b, name);
            jxi_buf_putc(c->b, ' ');
            value(c, ir->value, digits, unit);
            put(c, " 不在任何一档内", " lies in no band");
            break;
        case JXI_CAUSE_NEGATIVE:
            put(c, "次数 ", "the count ");
            numg(c, ir->value);
            put(c, " 为负数", " is negative");
            break;
        case JXI_CAUSE_OUT_OF_RANGE:
            put(c, "评分 ", "the score ");
            numg(c, ir->value);
            put(c, " 不在 0 至 ", " is outside 0 to ");
            numg(c, d->max);
            put(c, " 分之间", "");
            break;
        case JXI_CAUSE_TIER:
        case JXI_CAUSE_PERCENT: {
            const jxi_metric *m = &c->s->metrics[rule->level_slot];
            jxi_buf_puts(c->b, jxi_slot_name(c->s, rule->percent_slot));
            jxi_buf_putc(c->b, ' ');
            numg(c, o->aux);
            jxi_buf_puts(c->b, "% ");
            put(c, "不在所选档次 ", "is outside the chosen tier ");
            jxi_buf_puts(c->b, m->levels[(size_t)c->values[rule->level_slot]]);
            jxi_buf_putc(c->b, ' ');
            jxi_interval_print(&rule->tiers[(size_t)c->values[rule->level_slot]], c->b);
            jxi_buf_putc(c->b, '%');
            break;
        }
        default:
            break;
        }
        put(c, ",按 0 分计", "; scored 0");
        return;
    }
    if (ir->has_value && rule->kind != JXI_RULE_MANUAL) {
        jxi_buf_puts(c->b, name);
        jxi_buf_putc(c->b, ' ');
        value(c, ir->value, digits, unit);
    }
    switch (rule->kind) {
    case JXI_RULE_DEDUCT:
        deduct_reason(c, rule, o, d->max, unit);
        break;
    case JXI_RULE_RATIO:
        ratio_reason(c, rule, ir, d->max, unit);
        break;
    case JXI_RULE_BANDS:
        bands_reason(c, rule, ir);
        break;
    case JXI_RULE_CHECKLIST:
        checklist_reason(c, rule, ir, d->max);
        break;
    case JXI_RULE_COUNT:
        count_reason(c, rule, ir, d->max);
        break;
    case JXI_RULE_LEVEL:
        level_reason(c, rule, ir);
        break;
    case JXI_RULE_FORMULA:
        if (ir->has_value)
            jxi_buf_puts(c->b, T(c, ",", "; "));
        put(c, "按公式 ", "by the formula ");
        jxi_buf_puts(c->b, jxi_expr_source(rule->expr));
        if (jxi_cmp(o->aux, ir->score) != 0 && jxi_round(o->aux, c->s->precision) != ir->score) {
            put(c, " 得 ", " = ");
            numg(c, o->aux);
            put(c, o->aux > d->max ? ",以满分为限,计 " : ",不低于 0,计 ",
                o->aux > d->max ? ", capped at the max: " : ", not below 0: ");
        } else {
            put(c, " 计得 ", ": ");
        }
        points(c, ir->score);
        break;
    case JXI_RULE_MANUAL:
        put(c, "评价人评分 ", "evaluator's score ");
        points(c, ir->score);
        break;
    default:
        break;
    }
}

char *jxi_reason(const jx_result *r, size_t i, const double *values, const jxi_eval *dev)
{
    jxi_buf b;
    jxi_buf_init(&b);
    rctx c = {r, r->s, &b, r->lang_en, values, dev};
    const jxi_indicator *d = &r->s->inds[i];
    const jxi_ind_result *ir = &r->ind[i];
    if (ir->status == JX_STATUS_NOT_APPLICABLE) {
        if (d->na == JXI_NA_FULL)
            put(&c, "不适用,按满分计", "not applicable; full marks");
        else if (d->na == JXI_NA_ZERO)
            put(&c, "不适用,按 0 分计", "not applicable; scored 0");
        else
            put(&c, "不适用,不计入总分,总分按适用指标折算",
                "not applicable; left out, total rescaled over the applicable indicators");
    } else if (d->is_leaf) {
        leaf_reason(&c, d, ir);
    } else {
        put(&c, "下级指标得分合计", "sum of the sub-indicators' scores");
    }
    return jxi_buf_take(&b);
}
