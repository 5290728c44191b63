/* The compiled scheme: immutable after loading, shared by threads. The
 * scoring core reads only these structures (no JSON). */
#ifndef JIXIAO_SCHEME_H
#define JIXIAO_SCHEME_H

#include <stdatomic.h>

#include "compile/expr.h"
#include "util/internal.h"

/* ---- Intervals (lib/compile/interval.c) ----------------------------------------- */

/* A set of reals between lo and hi; ±INFINITY for open ends. */
typedef struct jxi_interval {
    double lo, hi;
    unsigned char lo_incl, hi_incl;
} jxi_interval;

/* Parse "(a, b]", "[a, +inf)", "= a", ">= a", "> a", "<= a", "< a" (also
 * "≥", "≤", "==") into *iv. Returns 0, or JX_EVALUE with a message in
 * `why` (at least 160 bytes). */
int jxi_interval_parse(const char *s, jxi_interval *iv, char *why, size_t whylen);
/* 1 if x lies in iv (decimal comparison). */
int jxi_interval_contains(const jxi_interval *iv, double x);
/* Write iv in the canonical form "(0, 10]" / ">= 30" / "= 0". */
void jxi_interval_print(const jxi_interval *iv, jxi_buf *b);

/* ---- Rules -------------------------------------------------------------- */

typedef enum jxi_rule_kind {
    JXI_RULE_NONE = 0, /* a parent */
    JXI_RULE_DEDUCT,
    JXI_RULE_RATIO,
    JXI_RULE_BANDS,
    JXI_RULE_CHECKLIST,
    JXI_RULE_COUNT,
    JXI_RULE_LEVEL,
    JXI_RULE_FORMULA,
    JXI_RULE_MANUAL,
    JXI_RULE_ONE_OF
} jxi_rule_kind;

/* Target operators of deduct and ratio. */
typedef enum jxi_op { JXI_OP_GE, JXI_OP_LE, JXI_OP_EQ } jxi_op;

typedef enum jxi_steps { JXI_STEPS_CONTINUOUS, JXI_STEPS_FLOOR, JXI_STEPS_CEIL } jxi_steps;

typedef struct jxi_band {
    jxi_interval iv;
    int is_else;
    double score;
} jxi_band;

typedef struct jxi_check_item {
    int slot;        /* a bool metric */
    double points;   /* points when true (sum form) */
} jxi_check_item;

typedef struct jxi_alt jxi_alt;

typedef struct jxi_rule {
    jxi_rule_kind kind;
    /* deduct, ratio */
    jxi_op op;
    double target;
    /* ratio ">= T" with "over": a value above over_above (T × (1 + beyond /
     * 100)) scores at most over_fraction of W */
    int has_over;
    double over_above, over_fraction;
    /* deduct: `points` per `per` of gap; count: `points` per occurrence */
    double per, points;
    jxi_steps steps;
    /* bands */
    jxi_band *bands;
    size_t nbands;
    jxi_interval domain;
    /* checklist: sum of points (each_missing < 0) or W - each_missing per
     * false item */
    jxi_check_item *items;
    size_t nitems;
    double each_missing;
    /* level: a level metric; fractions[k] of W for level k, or, with tiers,
     * the evaluator's percent (percent_slot) checked against tiers[k] */
    int level_slot;
    size_t nlevels_cache; /* the level metric's number of levels */
    double *fractions;
    jxi_interval *tiers;
    int percent_slot;
    /* formula */
    jxi_expr *expr;
    /* one_of */
    jxi_alt *alts;
    size_t nalts;
} jxi_rule;

/* An alternative of a one_of leaf: its own value and rule. */
struct jxi_alt {
    char *name;
    char *unit;
    jxi_expr *value;
    int round; /* decimals, -1 for none */
    jxi_rule rule;
};

/* ---- Scheme ------------------------------------------------------------- */

/* jx_scheme_digest of a scheme built without a JSON document (a project's,
 * lib/project): computed from `ctx` and `arg` when first asked. 0 and the
 * hex digest in `out`, or JX_ENOMEM. */
typedef int (*jxi_digest_fn)(const void *ctx, size_t arg, char out[65]);

#define JXI_DIGEST_NONE 0  /* not computed yet (digest_fn computes it) */
#define JXI_DIGEST_BUSY 1  /* a thread is computing it */
#define JXI_DIGEST_READY 2 /* digest[] holds it */

typedef enum jxi_na { JXI_NA_RESCALE, JXI_NA_FULL, JXI_NA_ZERO } jxi_na;

typedef struct jxi_metric {
    char *name;
    char *unit;
    char *description; /* or NULL */
    jx_metric_type type;
    char **levels;
    size_t nlevels;
} jxi_metric;

typedef struct jxi_derived {
    char *name;
    jxi_expr *expr;
} jxi_derived;

typedef struct jxi_indicator {
    char *id, *name, *unit;
    double max;
    size_t parent;  /* JX_NONE at top */
    int depth;
    size_t end;     /* one past the last indicator of its subtree */
    int is_leaf;
    jxi_expr *value; /* NULL if the leaf has no value of its own */
    int round;       /* decimals for the value, -1 for none */
    jxi_na na;       /* not-applicable policy in force */
    jxi_rule rule;
} jxi_indicator;

typedef struct jxi_grade {
    char *label;
    double min;
    /* Overrides the numeric grade when any leaf under one of these
     * indicators is missing or undefined (e.g. PART's "Results Not
     * Demonstrated"). */
    size_t *if_missing;
    size_t nif_missing;
} jxi_grade;

/* Name -> index, sorted by name for bsearch. */
typedef struct jxi_name_index {
    const char *name;
    size_t index;
} jxi_name_index;

struct jx_scheme {
    atomic_int refs; /* the scheme plus each live result */
    char *source;
    char *id, *title, *lang;
    double total;
    int precision;
    jxi_na na;

    jxi_metric *metrics;
    size_t nmetrics;
    jxi_derived *derived;   /* slot nmetrics + k */
    size_t nderived;
    size_t *derived_order;  /* evaluation order (dependencies first) */
    size_t nslots;

    jxi_indicator *inds;    /* document order, parents first */
    size_t ninds;
    size_t nleaves;

    jxi_grade *grades;
    size_t ngrades;

    jxi_name_index *metric_index;   /* metrics and derived, by name */
    size_t nmetric_index;
    jxi_name_index *ind_index;      /* indicators by id */

    struct jxi_profile *extract;    /* extraction profile, or NULL */
    char digest[65];                /* jx_scheme_digest: SHA-256, hex */
    /* The digest is the one field filled after building, once, by the
     * first jx_scheme_digest call when the loader did not fill it. */
    atomic_int digest_state;        /* JXI_DIGEST_* */
    jxi_digest_fn digest_fn;
    const void *digest_ctx;
    size_t digest_arg;
};

/* Look up a metric or derived metric: its slot, or -1. */
int jxi_scheme_slot(const jx_scheme *s, const char *name, size_t len);
/* The name of a slot (metric or derived). */
const char *jxi_slot_name(const jx_scheme *s, int slot);
/* Indicator index by id, or JX_NONE. */
size_t jxi_scheme_find_indicator(const jx_scheme *s, const char *id);
/* Build the sorted name indexes (stable: equal names keep no particular
 * order); 0 or JX_ENOMEM. Duplicates are adjacent afterwards. */
int jxi_scheme_index_metrics(jx_scheme *s);
int jxi_scheme_index_indicators(jx_scheme *s);
/* Release everything (ignores the reference count). */
void jxi_scheme_destroy(jx_scheme *s);
void jxi_scheme_retain(const jx_scheme *s);
void jxi_scheme_release(const jx_scheme *s);

const char *jxi_rule_kind_name(jxi_rule_kind k);

/* Release an extraction profile (lib/extract/profile.c; NULL is a no-op). */
void jxi_profile_free(struct jxi_profile *p);

#endif
