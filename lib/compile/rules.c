/* The scoring rules of SCORING.md, over compiled rules (see rules.h). All
 * comparisons, floors and ceilings are decimal (lib/util/num.c). */
#include <math.h>

#include "compile/rules.h"

static void bands(const jxi_rule *r, double x, jxi_rule_out *o)
{
    size_t i = jxi_band_of(r, x, 0);
    if (i < r->nbands) {
        o->band = i;
        o->score = r->bands[i].score;
        return;
    }
    o->status = JXI_EVAL_UNDEFINED;
    o->cause = JXI_CAUSE_NO_BAND;
}

static int read_slot(int slot, const double *values, const unsigned char *states,
                     unsigned char *missing, jxi_rule_out *o, double *v)
{
    if (states[slot] == JXI_SLOT_MISSING) {
        if (missing)
            missing[slot] = 1;
        o->status = JXI_EVAL_MISSING;
        o->ev.slot = slot;
        return 0;
    }
    *v = values[slot];
    return 1;
}

static void checklist(const jxi_rule *r, double max, const double *values,
                      const unsigned char *states, unsigned char *missing, jxi_rule_out *o)
{
    double got = 0;
    size_t nfalse = 0;
    for (size_t i = 0; i < r->nitems; i++) {
        double v;
        if (!read_slot(r->items[i].slot, values, states, missing, o, &v))
            continue;
        /* without a branch on the item (met or not is data): adding 0 to
         * the sum of points changes nothing */
        got += r->items[i].points * (double)(v != 0);
        nfalse += v == 0;
    }
    o->nfalse = nfalse;
    if (o->status != JXI_EVAL_OK)
        return;
    o->score = r->each_missing > 0
                   ? jxi_take_off(max, (double)o->nfalse * r->each_missing, &o->deducted)
                   : jxi_clamp(got, max);
}

static void level(const jxi_rule *r, double max, const double *values,
                  const unsigned char *states, unsigned char *missing, jxi_rule_out *o)
{
    double lv, pct = 0;
    int have = read_slot(r->level_slot, values, states, missing, o, &lv);
    if (r->tiers && !read_slot(r->percent_slot, values, states, missing, o, &pct))
        have = 0;
    if (!have)
        return;
    size_t k = (size_t)lv;
    if (!r->tiers) {
        o->score = jxi_clamp(max * r->fractions[k], max);
        return;
    }
    o->aux = pct;
    if (states[r->percent_slot] == JXI_SLOT_UNDEFINED || !isfinite(pct)) {
        o->status = JXI_EVAL_UNDEFINED;
        o->cause = JXI_CAUSE_PERCENT;
        return;
    }
    if (!jxi_interval_contains(&r->tiers[k], pct)) {
        o->status = JXI_EVAL_UNDEFINED;
        o->cause = JXI_CAUSE_TIER;
        return;
    }
    o->score = jxi_clamp(max * pct / 100, max);
}

void jxi_rule_apply(const jxi_rule *r, double max, double x, const double *values,
                    const unsigned char *states, unsigned char *missing, jxi_rule_out *o)
{
    /* Every field but ev, which is read only with JXI_CAUSE_EXPR and then
     * written by whoever sets that cause (cheaper than clearing it all). */
    o->status = JXI_EVAL_OK;
    o->score = 0;
    o->cause = JXI_CAUSE_NONE;
    o->gap = o->steps = o->deducted = o->aux = 0;
    o->band = o->nfalse = 0;
    switch (r->kind) {
    case JXI_RULE_DEDUCT:
        o->score = jxi_deduct_score(r, max, x, &o->gap, &o->steps, &o->deducted);
        break;
    case JXI_RULE_RATIO:
        o->score = jxi_ratio_score(r, max, x,
                                   r->op == JXI_OP_LE && jxi_cmp_inline(x, r->target) <= 0,
                                   &o->gap);
        break;
    case JXI_RULE_BANDS:
        bands(r, x, o);
        break;
    case JXI_RULE_CHECKLIST:
        checklist(r, max, values, states, missing, o);
        break;
    case JXI_RULE_COUNT:
        o->gap = x;
        if (jxi_cmp_inline(x, 0) < 0) {
            o->status = JXI_EVAL_UNDEFINED;
            o->cause = JXI_CAUSE_NEGATIVE;
            break;
        }
        o->score = jxi_take_off(max, x * r->points, &o->deducted);
        break;
    case JXI_RULE_LEVEL:
        level(r, max, values, states, missing, o);
        break;
    case JXI_RULE_FORMULA:
        jxi_expr_eval(r->expr, values, states, missing, &o->ev);
        if (o->ev.status != JXI_EVAL_OK) {
            o->status = o->ev.status;
            o->cause = JXI_CAUSE_EXPR;
            break;
        }
        o->score = jxi_clamp(o->ev.value, max);
        o->aux = o->ev.value;
        break;
    case JXI_RULE_MANUAL:
        if (jxi_cmp_inline(x, 0) < 0 || jxi_cmp_inline(x, max) > 0) {
            o->status = JXI_EVAL_UNDEFINED;
            o->cause = JXI_CAUSE_OUT_OF_RANGE;
            break;
        }
        o->score = jxi_clamp(x, max);
        break;
    default:
        break;
    }
}

double jxi_ratio_over_above(double target, double beyond)
{
    return jxi_snap(target + jxi_snap(target * beyond / 100));
}
