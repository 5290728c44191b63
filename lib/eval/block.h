/* Columnar scoring (lib/eval/block.c): up to JXI_BLOCK entities at a time, one
 * indicator at a time, for the batch API. Each step runs over all the
 * entities of the block in a tight loop; a lane (entity) whose outcome the
 * step cannot be sure of (a missing or undefined value, a rounding too
 * close to a tie, a rule that would not score) is scored the exact way,
 * by jxi_score_leaf over that entity's slots. So the results are those of
 * jxi_score_entity, entity by entity. */
#ifndef JIXIAO_BLOCK_H
#define JIXIAO_BLOCK_H

#include "eval/score.h"

#define JXI_BLOCK 64

typedef struct jxi_block jxi_block;

/* One block: the input columns, positioned at its first entity. */
typedef struct jxi_block_in {
    size_t n;                          /* entities, 1 .. JXI_BLOCK */
    const double *const *metrics;      /* per input metric: n values, or NULL
                                          (missing for all); bools and levels
                                          already checked */
    const unsigned char *const *na;    /* NULL, or per indicator NULL or n
                                          not-applicable marks */
} jxi_block_in;

/* Outputs, each NULL when not wanted, positioned at the block's first
 * entity (scores and statuses row-major, ninds per entity). */
typedef struct jxi_block_out {
    double *scores;
    unsigned char *statuses;
    double *totals;
    int *grades;
    unsigned char *complete;
} jxi_block_out;

/* A workspace for scheme s (which must outlive it); NULL on out-of-memory. */
jxi_block *jxi_block_new(const jx_scheme *s);
void jxi_block_free(jxi_block *w);

/* Score one block. No allocation. */
void jxi_block_score(jxi_block *w, const jxi_block_in *in, const jxi_block_out *out);

#endif
