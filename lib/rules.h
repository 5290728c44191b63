/* Scoring rules: a leaf's value -> its score (lib/rules.c). Pure
 * functions over the compiled rule; no allocation. */
#ifndef JIXIAO_RULES_H
#define JIXIAO_RULES_H

#include "scheme.h"

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

#endif
