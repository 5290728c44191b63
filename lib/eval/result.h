/* A scored input (lib/eval/score.c builds it, lib/eval/result.c reads it,
 * lib/explain/export.c prints it, lib/explain/reason.c explains it). */
#ifndef JIXIAO_RESULT_H
#define JIXIAO_RESULT_H

#include "compile/rules.h"

typedef struct jxi_ind_result {
    int status;       /* jx_status */
    int has_value;
    double value;     /* rounded as the indicator says */
    double score;     /* rounded to the scheme's precision */
    jxi_rule_out out; /* how the rule got there (leaves) */
    int alt;          /* one_of: the alternative used, -1 if none */
    size_t miss_at, miss_n; /* missing metrics: slots in result->missing */
} jxi_ind_result;

struct jx_result {
    const jx_scheme *s; /* retained */
    int lang_en;
    double total;
    size_t grade;
    int complete;
    int rescaled;         /* some leaves were left out and the total rescaled */
    double earned;        /* sum of applicable leaves' scores */
    double applicable;    /* sum of applicable leaves' maxima */
    jxi_ind_result *ind;
    int *missing;         /* slots, grouped per indicator */
    size_t nmissing;
    char **reasons;       /* per indicator, never NULL once built */
    double *values;       /* per slot: what was scored (for the audit) */
    unsigned char *states;/* per slot: JXI_SLOT_* */
    char *entity;         /* the input's entity id, or NULL */
};

/* Append `"audit": {...}` for r (lib/explain/audit.c). */
void jxi_audit_json(const jx_result *r, jxi_buf *b);

/* Explain indicator i of r, from the slot values it was scored with and
 * the derived metrics' outcomes (`dev`, indexed by derived metric, for the
 * cause of an undefined derived value). Returns a string allocated with
 * jxi_malloc, or NULL on out-of-memory. */
char *jxi_reason(const jx_result *r, size_t i, const double *values, const jxi_eval *dev);

#endif
