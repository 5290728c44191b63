/* The scoring core (lib/score.c): the one implementation of scoring,
 * shared by jx_score (which adds missing-metric lists and reasons on top)
 * and the batch API (lib/batch.c). It works on the compiled scheme only:
 * no names, no JSON, no allocation. */
#ifndef JIXIAO_SCORE_H
#define JIXIAO_SCORE_H

#include "result.h"

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

#endif
