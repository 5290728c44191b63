/* Scoring rules: a leaf's value -> its score (lib/compile/rules.c). Pure
 * functions over the compiled rule; no allocation. */
#ifndef JIXIAO_RULES_H
#define JIXIAO_RULES_H

#include <math.h>

#include "util/num.h"
#include "compile/scheme.h"

/* Why a rule could not score. */
typedef enum jxi_cause {
    JXI_CAUSE_NONE = 0,
    JXI_CAUSE_EXPR,         /* the value or formula is undefined (see ev) */
    JXI_CAUSE_NO_BAND,      /* the value lies in no band */
    JXI_CAUSE_NEGATIVE,     /* a count below 0 */
    JXI_CAUSE_OUT_OF_RANGE, /* a manual score outside [0, max] */
    JXI_CAUSE_TIER,         /* the evaluator's percent lies outside the tier */
    JXI_CAUSE_PERCENT       /* the evaluator's percent is not a finite number */
} jxi_cause;

typedef struct jxi_rule_out {
    int status;       /* JXI_EVAL_OK / _MISSING / _UNDEFINED */
    double score;     /* unrounded, within [0, max] when OK */
    jxi_cause cause;
    jxi_eval ev;      /* formula outcome, for JXI_CAUSE_EXPR */
    double gap;       /* deduct: distance from the target; count: x */
    double steps;     /* deduct: steps counted */
    double deducted;  /* deduct, count, checklist: points taken off */
    double aux;       /* level with tiers: the percent */
    size_t band;      /* bands: the band that applied */
    size_t nfalse;    /* checklist: items not met */
} jxi_rule_out;

/* Score value `x` (ignored by rules that read their own metrics) with rule
 * `r` for a leaf worth `max`. Missing metrics a rule reads are marked in
 * `missing` (may be NULL). */
void jxi_rule_apply(const jxi_rule *r, double max, double x, const double *values,
                    const unsigned char *states, unsigned char *missing, jxi_rule_out *o);

/* A ratio's over_above from its target and "over"."beyond" (percent): the
 * loader and the project builder compute it alike. */
double jxi_ratio_over_above(double target, double beyond);

/* ---- The rules' arithmetic ---------------------------------------------
 * Shared by lib/compile/rules.c and the batch path (lib/eval/block.c), so that both
 * compute every score with the same operations in the same order; inlined
 * into the batch path's lane loops. */

JXI_HOT_INLINE double jxi_clamp(double v, double max)
{
    return v < 0 ? 0 : v > max ? max : v;
}

/* max less the points `amount` takes off (snapped into *deducted), at
 * least 0: deduct, count, and a checklist with each_missing. */
JXI_HOT_INLINE double jxi_take_off(double max, double amount, double *deducted)
{
    *deducted = jxi_snap_inline(amount);
    return jxi_clamp(max - *deducted, max);
}

/* deduct: full marks when the target is met; else `points` off per `per`
 * of the gap, and *gap, *steps, *deducted say how. */
JXI_HOT_INLINE double jxi_deduct_score(const jxi_rule *r, double max, double x, double *gap,
                                      double *steps, double *deducted)
{
    double g = r->op == JXI_OP_LE   ? x - r->target
               : r->op == JXI_OP_GE ? r->target - x
                                    : fabs(x - r->target);
    g = jxi_snap_inline(g);
    if (g <= 0)
        return max;
    double st = g / r->per;
    if (r->steps == JXI_STEPS_FLOOR)
        st = jxi_floor(st);
    else if (r->steps == JXI_STEPS_CEIL)
        st = jxi_ceil(st);
    *gap = g;
    *steps = st;
    return jxi_take_off(max, st * r->points, deducted);
}

/* ratio. A reverse indicator (<= target) is full marks at or under the
 * target, which the caller decides (`within`: x compared with the target
 * as decimals; it covers x = 0). An equality target sets *gap. */
JXI_HOT_INLINE double jxi_ratio_score(const jxi_rule *r, double max, double x, int within,
                                     double *gap)
{
    double t = r->target;
    if (r->op == JXI_OP_GE) {
        double s = jxi_clamp(max * x / t, max);
        if (r->has_over && jxi_cmp_inline(x, r->over_above) > 0 && s > r->over_fraction * max)
            s = r->over_fraction * max;
        return s;
    }
    if (r->op == JXI_OP_LE)
        return within ? max : jxi_clamp(max * t / x, max);
    *gap = jxi_snap_inline(fabs(x - t));
    return jxi_clamp(max * (1 - *gap / t), max);
}

/* jxi_interval_contains with plain double comparisons, which give the same
 * answer when x and the bounds are each the double nearest their own
 * 12-digit decimal (lib/eval/block.c, block_plain_below). */
JXI_HOT_INLINE int jxi_interval_contains_plain(const jxi_interval *iv, double x)
{
    if (!isinf(iv->lo) && (x < iv->lo || (x == iv->lo && !iv->lo_incl)))
        return 0;
    if (!isinf(iv->hi) && (x > iv->hi || (x == iv->hi && !iv->hi_incl)))
        return 0;
    return 1;
}

/* bands: the first band holding x (an "else" band holds every value), or
 * nbands for none; `plain`: compare plainly (see above). */
JXI_HOT_INLINE size_t jxi_band_of(const jxi_rule *r, double x, int plain)
{
    int in_domain = plain ? jxi_interval_contains_plain(&r->domain, x)
                          : jxi_interval_contains(&r->domain, x);
    for (size_t i = 0; i < r->nbands; i++) {
        const jxi_band *b = &r->bands[i];
        if (b->is_else || (in_domain && (plain ? jxi_interval_contains_plain(&b->iv, x)
                                               : jxi_interval_contains(&b->iv, x))))
            return i;
    }
    return r->nbands;
}

#endif
