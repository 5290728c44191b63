/* The scoring rules of SCORING.md, over compiled rules (see rules.h). All
 * comparisons, floors and ceilings are decimal (lib/num.c). */
#include <math.h>

#include "numfast.h"
#include "rules.h"

static double clamp(double v, double max)
{
    return v < 0 ? 0 : v > max ? max : v;
}

static void deduct(const jxi_rule *r, double max, double x, jxi_rule_out *o)
{
    double gap = 0;
    if (r->op == JXI_OP_LE)
        gap = x - r->target;
    else if (r->op == JXI_OP_GE)
        gap = r->target - x;
    else
        gap = fabs(x - r->target);
    gap = jxi_snap_inline(gap);
    if (gap <= 0) {
        o->score = max;
        return;
    }
    double steps = gap / r->per;
    if (r->steps == JXI_STEPS_FLOOR)
        steps = jxi_floor(steps);
    else if (r->steps == JXI_STEPS_CEIL)
        steps = jxi_ceil(steps);
    o->gap = gap;
    o->steps = steps;
    o->deducted = jxi_snap_inline(steps * r->points);
    o->score = clamp(max - o->deducted, max);
}

static void ratio(const jxi_rule *r, double max, double x, jxi_rule_out *o)
{
    double t = r->target;
    if (r->op == JXI_OP_GE) {
        o->score = clamp(max * x / t, max);
    } else if (r->op == JXI_OP_LE) {
        /* A reverse indicator: at or under the target is full marks (this
         * covers x = 0). */
        o->score = jxi_cmp_inline(x, t) <= 0 ? max : clamp(max * t / x, max);
    } else {
        o->gap = jxi_snap_inline(fabs(x - t));
        o->score = clamp(max * (1 - o->gap / t), max);
    }
}

static void bands(const jxi_rule *r, double max, double x, jxi_rule_out *o)
{
    (void)max;
    int in_domain = jxi_interval_contains(&r->domain, x);
    for (size_t i = 0; i < r->nbands; i++) {
        const jxi_band *b = &r->bands[i];
        if (b->is_else || (in_domain && jxi_interval_contains(&b->iv, x))) {
            o->band = i;
            o->score = b->score;
            return;
        }
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
    if (r->each_missing > 0) {
        o->deducted = jxi_snap_inline((double)o->nfalse * r->each_missing);
        o->score = clamp(max - o->deducted, max);
    } else {
        o->score = clamp(got, max);
    }
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
        o->score = clamp(max * r->fractions[k], max);
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
    o->score = clamp(max * pct / 100, max);
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
        deduct(r, max, x, o);
        break;
    case JXI_RULE_RATIO:
        ratio(r, max, x, o);
        break;
    case JXI_RULE_BANDS:
        bands(r, max, x, o);
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
        o->deducted = jxi_snap_inline(x * r->points);
        o->score = clamp(max - o->deducted, max);
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
        o->score = clamp(o->ev.value, max);
        o->aux = o->ev.value;
        break;
    case JXI_RULE_MANUAL:
        if (jxi_cmp_inline(x, 0) < 0 || jxi_cmp_inline(x, max) > 0) {
            o->status = JXI_EVAL_UNDEFINED;
            o->cause = JXI_CAUSE_OUT_OF_RANGE;
            break;
        }
        o->score = clamp(x, max);
        break;
    default:
        break;
    }
}
