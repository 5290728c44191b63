/* The scoring core (lib/eval/score.c): the one implementation of scoring,
 * shared by jx_score (which adds missing-metric lists and reasons on top)
 * and the batch API (lib/eval/batch.c). It works on the compiled scheme only:
 * no names, no JSON, no allocation. */
#ifndef JIXIAO_SCORE_H
#define JIXIAO_SCORE_H

#include "util/num.h"
#include "eval/result.h"

/* One entity being scored: the caller's buffers, sized for the scheme. */
typedef struct jxi_entity {
    double *values;          /* per slot: the input metrics (0 when missing) */
    unsigned char *states;   /* per slot: JXI_SLOT_* */
    jxi_eval *dev;           /* per derived metric: its outcome; NULL: not kept */
    const unsigned char *na; /* per indicator: not applicable, inherited (see
                                jxi_inherit_na); NULL when none is */
    double *score;           /* out, per indicator: the rounded score */
    unsigned char *status;   /* out, per indicator: jx_status */
    jxi_ind_result *ind;     /* out, per indicator, or NULL: how each leaf was
                                scored (value, rule outcome, alternative) */
    /* out */
    double total;
    size_t grade;
    int complete;
    int rescaled;            /* some leaves were left out and the total rescaled */
    double earned;           /* sum of applicable leaves' scores */
    double applicable;       /* sum of applicable leaves' maxima */
} jxi_entity;

/* Compute the derived metrics (slots nmetrics and up) from the input
 * metrics in values / states. `dev` may be NULL. */
void jxi_derive(const jx_scheme *s, double *values, unsigned char *states, jxi_eval *dev);

/* Turn each indicator's own not-applicable mark into the inherited one (a
 * mark covers the whole subtree), in place. */
void jxi_inherit_na(const jx_scheme *s, unsigned char *na);

/* Score e's inputs (derived metrics already computed). */
void jxi_score_entity(const jx_scheme *s, jxi_entity *e);

/* Score applicable leaf i from one entity's slots: its status (jx_status)
 * and its score rounded to the scheme's precision, exactly as
 * jxi_score_entity does. */
void jxi_score_leaf(const jx_scheme *s, size_t i, const double *values,
                    const unsigned char *states, unsigned char *status, double *score);

/* The grade index for `total`, given the indicators' statuses
 * (indicator j's at status[j * stride]). */
size_t jxi_grade_index(const jx_scheme *s, double total, const unsigned char *status,
                       size_t stride);

/* A parent's status from the set of its leaves' statuses (bit 1 << status
 * for each): not applicable when all are, else the worst. */
static inline unsigned char jxi_parent_status(unsigned seen)
{
    return !(seen & ~(1u << JX_STATUS_NOT_APPLICABLE)) ? JX_STATUS_NOT_APPLICABLE
           : seen & 1u << JX_STATUS_UNDEFINED          ? JX_STATUS_UNDEFINED
           : seen & 1u << JX_STATUS_MISSING            ? JX_STATUS_MISSING
                                                       : JX_STATUS_SCORED;
}

/* The total from the rounded sums of the applicable leaves' scores and
 * maxima; rescaled to the scheme's total when leaves were left out.
 * Clears *complete when nothing is applicable (no score to give). */
static inline double jxi_total(const jx_scheme *s, double earned, double applicable,
                               int rescaled, int *complete)
{
    if (!rescaled)
        return jxi_round_inline(earned, s->precision);
    if (applicable > 0)
        return jxi_round_inline(earned / applicable * s->total, s->precision);
    *complete = 0;
    return 0;
}

#endif
