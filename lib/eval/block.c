/* Columnar scoring: see block.h. Every step here is the step of
 * lib/eval/score.c and lib/compile/rules.c with the same operations in the same order,
 * over a column of entities instead of one, through the same decimal
 * functions (lib/util/num.h). A lane whose leaf would not score the plain
 * way (an undefined value, no band, a derived metric that is not present,
 * a formula that is not plain arithmetic) goes to the exact path:
 * lib/eval/score.c itself (jxi_score_leaf), over the entity's slots as
 * jx_input_set_* would store them.
 *
 * Loops run over all B lanes (a short last block is padded with missing
 * values), so that their trip count is a constant compilers can vectorise;
 * padding lanes are never sent to the exact path nor written out. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "eval/block.h"
#include "eval/lanes.h"

#define B JXI_BLOCK

struct jxi_block {
    const jx_scheme *s;
    int derive_columnar;    /* every derived metric is plain arithmetic */
    const double **slot;    /* per slot: this block's column (NaN: not present) */
    double *dcol;           /* per derived metric: B values */
    double *pad;            /* per input metric: B values, for a short block */
    double *score;          /* per indicator: B scores */
    unsigned char *status;  /* per indicator: B statuses */
    unsigned char *exact;   /* per indicator: B marks, lane left to the exact path */
    unsigned char *bits;    /* per leaf: B statuses as bits (1 << status) */
    double *scratch;        /* for jxi_expr_block */
    double *plain_below;    /* per leaf and alternative (from plain_at[i]):
                               block_plain_below, worked out once */
    size_t *plain_at;
    const unsigned char **na_cols; /* per indicator: a short block's marks */
    unsigned char *na_pad;  /* per indicator: B marks, for a short block */
    double *values;         /* per slot: one entity, for the exact path */
    unsigned char *states;
    double nan[B];          /* the column of a metric without one */
    double x[B], y[B], t[B], u[B], sum[B], earned[B], applicable[B];
    double xp[B], fp[B];    /* poison of the value and of a formula rule */
    double got[B], nfalse[B], cmissing[B]; /* a checklist's columns */
    unsigned char alt_state[B], na[B], seen[B];
    unsigned char lane_exact[B], incomplete[B], rescaled[B];
};

static void block_scratch_need(const jxi_expr *x, size_t *need)
{
    if (x && jxi_expr_block_scratch(x) > *need)
        *need = jxi_expr_block_scratch(x);
}

/* Comparing x with a bound b the decimal way (jxi_cmp: their 12-digit
 * decimals) is comparing the doubles when each is the double nearest its
 * own 12-digit decimal (snapping is monotonic, and equal doubles have equal
 * decimals). A bound is checked once, when the workspace is made; a
 * value rounded to `round` decimals is such a double while it has at most
 * 12 digits, i.e. below 10^(12 - round). */
static int block_canonical(double b)
{
    return isinf(b) || jxi_snap(b) == b;
}

static int block_interval_canonical(const jxi_interval *iv)
{
    return block_canonical(iv->lo) && block_canonical(iv->hi);
}

/* The bound under which the value of (value, round, rule r) compares
 * plainly with r's bounds, or 0 for never. */
static double block_plain_below(const jxi_expr *value, int round, const jxi_rule *r)
{
    if (!value || round < 0 || round > 11)
        return 0;
    if (r->kind == JXI_RULE_RATIO && r->op == JXI_OP_LE && !block_canonical(r->target))
        return 0;
    if (r->kind == JXI_RULE_BANDS) {
        if (!block_interval_canonical(&r->domain))
            return 0;
        for (size_t i = 0; i < r->nbands; i++)
            if (!r->bands[i].is_else && !block_interval_canonical(&r->bands[i].iv))
                return 0;
    }
    return jxi_pow10[12 - round];
}

jxi_block *jxi_block_new(const jx_scheme *s)
{
    jxi_block *w = jxi_calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t need = 1, nalts = 0;
    w->s = s;
    w->derive_columnar = 1;
    for (size_t d = 0; d < s->nderived; d++) {
        block_scratch_need(s->derived[d].expr, &need);
        w->derive_columnar &= jxi_expr_columnar(s->derived[d].expr);
    }
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        block_scratch_need(d->value, &need);
        block_scratch_need(d->rule.expr, &need);
        for (size_t a = 0; a < d->rule.nalts; a++) {
            block_scratch_need(d->rule.alts[a].value, &need);
            block_scratch_need(d->rule.alts[a].rule.expr, &need);
        }
        nalts += d->rule.kind == JXI_RULE_ONE_OF ? d->rule.nalts : 1;
    }
    w->slot = jxi_calloc(s->nslots ? s->nslots : 1, sizeof *w->slot);
    w->dcol = jxi_calloc(s->nderived ? s->nderived * B : 1, sizeof *w->dcol);
    w->pad = jxi_calloc(s->nmetrics ? s->nmetrics * B : 1, sizeof *w->pad);
    w->score = jxi_calloc(s->ninds * B, sizeof *w->score);
    w->status = jxi_calloc(s->ninds * B, 1);
    w->exact = jxi_calloc(s->ninds * B, 1);
    w->bits = jxi_calloc(s->ninds * B, 1);
    w->scratch = jxi_calloc(need * B, sizeof *w->scratch);
    w->na_cols = jxi_calloc(s->ninds, sizeof *w->na_cols);
    w->na_pad = jxi_calloc(s->ninds * B, 1);
    w->values = jxi_calloc(s->nslots ? s->nslots : 1, sizeof *w->values);
    w->states = jxi_calloc(s->nslots ? s->nslots : 1, 1);
    w->plain_at = jxi_calloc(s->ninds, sizeof *w->plain_at);
    w->plain_below = jxi_calloc(nalts, sizeof *w->plain_below);
    if (!w->slot || !w->dcol || !w->pad || !w->score || !w->status || !w->exact || !w->bits
        || !w->scratch || !w->na_cols || !w->na_pad
        || !w->values || !w->states || !w->plain_at || !w->plain_below) {
        jxi_block_free(w);
        return NULL;
    }
    for (size_t l = 0; l < B; l++)
        w->nan[l] = NAN;
    for (size_t d = 0; d < s->nderived; d++)
        w->slot[s->nmetrics + d] = w->dcol + d * B;
    nalts = 0;
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        w->plain_at[i] = nalts;
        if (d->rule.kind != JXI_RULE_ONE_OF)
            w->plain_below[nalts++] = block_plain_below(d->value, d->round, &d->rule);
        for (size_t a = 0; d->rule.kind == JXI_RULE_ONE_OF && a < d->rule.nalts; a++) {
            const jxi_alt *alt = &d->rule.alts[a];
            w->plain_below[nalts++] = block_plain_below(alt->value, alt->round, &alt->rule);
        }
    }
    return w;
}

void jxi_block_free(jxi_block *w)
{
    if (!w)
        return;
    jxi_free(w->slot);
    jxi_free(w->dcol);
    jxi_free(w->pad);
    jxi_free(w->score);
    jxi_free(w->status);
    jxi_free(w->exact);
    jxi_free(w->bits);
    jxi_free(w->scratch);
    jxi_free(w->na_cols);
    jxi_free(w->na_pad);
    jxi_free(w->values);
    jxi_free(w->states);
    jxi_free(w->plain_at);
    jxi_free(w->plain_below);
    jxi_free(w);
}

/* Loops over distinct columns, so that compilers can vectorise them. */
static void block_add(double *restrict sum, const double *restrict col)
{
    for (size_t l = 0; l < B; l++)
        sum[l] += col[l];
}

static void block_or(unsigned char *restrict acc, const unsigned char *restrict bits,
                     unsigned char mask)
{
    for (size_t l = 0; l < B; l++)
        acc[l] |= bits[l] & mask;
}

static void block_add_max(double *restrict sum, double max)
{
    for (size_t l = 0; l < B; l++)
        sum[l] += max;
}

static unsigned char block_any(const unsigned char *restrict bits)
{
    unsigned char any = 0;
    for (size_t l = 0; l < B; l++)
        any |= bits[l];
    return any;
}

/* Lane l's slots, as jx_input_set_* would store them (missing: 0; an
 * infinite number is kept but undefined), and its derived metrics. */
static void block_load_lane(jxi_block *w, size_t l)
{
    const jx_scheme *s = w->s;
    for (size_t m = 0; m < s->nmetrics; m++) {
        double v = w->slot[m][l];
        w->values[m] = v == v ? v : 0;
        w->states[m] = v != v ? JXI_SLOT_MISSING
                       : s->metrics[m].type == JX_METRIC_NUMBER && !(fabs(v) <= DBL_MAX)
                           ? JXI_SLOT_UNDEFINED
                           : JXI_SLOT_PRESENT;
    }
    jxi_derive(s, w->values, w->states, NULL);
}

/* The derived metrics' columns: NaN where a lane's is not present. */
static void block_derive(jxi_block *w)
{
    const jx_scheme *s = w->s;
    if (!s->nderived)
        return;
    if (w->derive_columnar) {
        for (size_t k = 0; k < s->nderived; k++) {
            size_t d = s->derived_order[k];
            double *col = w->dcol + d * B;
            jxi_expr_block(s->derived[d].expr, w->slot, col, w->xp, w->scratch);
            block_add(col, w->xp); /* NaN where not plain */
        }
        return;
    }
    for (size_t l = 0; l < B; l++) {
        block_load_lane(w, l);
        for (size_t d = 0; d < s->nderived; d++) {
            size_t slot = s->nmetrics + d;
            w->dcol[d * B + l] = w->states[slot] == JXI_SLOT_PRESENT ? w->values[slot] : NAN;
        }
    }
}

/* Whether formula x, which gave up at lane l, is certainly missing there:
 * it is columnar (so it reads every name it has: no "if") and reads an
 * input metric that is missing, and a missing input on the way makes it
 * missing whatever else happens (expr.h). A derived metric's NaN may be
 * missing or undefined, so it is not counted. */
static int block_reads_missing(const jxi_block *w, const jxi_expr *x, size_t l)
{
    if (!jxi_expr_columnar(x))
        return 0;
    for (size_t k = 0; k < jxi_expr_ref_count(x); k++) {
        size_t slot = (size_t)jxi_expr_ref(x, k);
        if (slot < w->s->nmetrics && w->slot[slot][l] != w->slot[slot][l])
            return 1;
    }
    return 0;
}

/* A lane's outcome for one value and rule. */
enum { OUT_SCORED, OUT_MISSING, OUT_EXACT };

/* A value and rule (a leaf's own, or an alternative of a one_of leaf),
 * with the columns computed before the lane loop. */
typedef struct block_alt {
    const jxi_expr *value;   /* NULL: none */
    int round;
    const jxi_rule *r;
    double max;
    const double *x;         /* the value's column */
    const double *xp;        /* its poison: NaN where the value is not plain */
    const double *f;         /* a formula rule's column */
    const double *fp;        /* its poison */
    double plain_below;      /* |x| under this: compare x plainly (see
                                block_plain_below), else 0 */
} block_alt;

/* A checklist's columns: the points of the items met, the number of items
 * not met, and NaN where an item is missing. Items are bool input metrics
 * (0, 1 or NaN), so plain arithmetic does it and compilers vectorise it;
 * points * 1 and points * 0 are what lib/compile/rules.c adds, in the same order. */
static void block_checklist_columns(jxi_block *w, const jxi_rule *r)
{
    double *restrict got = w->got, *restrict nfalse = w->nfalse, *restrict nan = w->cmissing;
    memset(w->got, 0, sizeof w->got);
    memset(w->nfalse, 0, sizeof w->nfalse);
    memset(w->cmissing, 0, sizeof w->cmissing);
    for (size_t i = 0; i < r->nitems; i++) {
        const double *restrict col = w->slot[r->items[i].slot];
        const double points = r->items[i].points;
        for (size_t l = 0; l < B; l++) {
            got[l] += points * col[l];
            nfalse[l] += 1.0 - col[l];
            nan[l] += col[l] - col[l];
        }
    }
}

/* A checklist at lane l: a missing item makes it missing. */
static inline int block_checklist(const jxi_block *w, const jxi_rule *r, double max, size_t l,
                                  double *out)
{
    if (w->cmissing[l] != 0)
        return OUT_MISSING;
    double deducted;
    *out = r->each_missing > 0 ? jxi_take_off(max, w->nfalse[l] * r->each_missing, &deducted)
                               : jxi_clamp(w->got[l], max);
    return OUT_SCORED;
}

/* A level rule at lane l. */
static inline int block_level(const jxi_block *w, const jxi_rule *r, double max, size_t l,
                              double *out)
{
    double lv = w->slot[r->level_slot][l];
    if (lv != lv)
        return OUT_MISSING; /* a level is an input metric */
    if (!r->tiers) {
        *out = jxi_clamp(max * r->fractions[(size_t)lv], max);
        return OUT_SCORED;
    }
    double pct = w->slot[r->percent_slot][l];
    if (pct != pct)
        return (size_t)r->percent_slot < w->s->nmetrics ? OUT_MISSING : OUT_EXACT;
    if (!isfinite(pct) || !jxi_interval_contains(&r->tiers[(size_t)lv], pct))
        return OUT_EXACT; /* undefined */
    *out = jxi_clamp(max * pct / 100, max);
    return OUT_SCORED;
}

/* jxi_rule_apply's score at lane l (unrounded, in *out), as lib/compile/rules.c
 * computes it; a lane that would not score is left to the exact path. */
JXI_HOT_INLINE int block_lane(const jxi_block *w, const block_alt *a, jxi_rule_kind kind,
                              size_t l, double *out)
{
    const jxi_rule *r = a->r;
    const double max = a->max;
    double x = 0;
    if (a->value) {
        if (a->xp[l] != 0)
            return block_reads_missing(w, a->value, l) ? OUT_MISSING : OUT_EXACT;
        x = a->x[l]; /* rounded already, if it is to be */
    }
    double gap, steps, deducted; /* how the rule got there: not kept here */
    switch (kind) {
    case JXI_RULE_DEDUCT:
        *out = jxi_deduct_score(r, max, x, &gap, &steps, &deducted);
        return OUT_SCORED;
    case JXI_RULE_RATIO:
        *out = jxi_ratio_score(r, max, x,
                               r->op == JXI_OP_LE
                                   && (fabs(x) < a->plain_below ? x <= r->target
                                                                : jxi_cmp_inline(x, r->target) <= 0),
                               &gap);
        return OUT_SCORED;
    case JXI_RULE_BANDS: {
        size_t i = jxi_band_of(r, x, fabs(x) < a->plain_below);
        if (i == r->nbands)
            return OUT_EXACT; /* in no band: undefined */
        *out = r->bands[i].score;
        return OUT_SCORED;
    }
    case JXI_RULE_CHECKLIST:
        return block_checklist(w, r, max, l, out);
    case JXI_RULE_LEVEL:
        return block_level(w, r, max, l, out);
    case JXI_RULE_COUNT:
        if (jxi_cmp_inline(x, 0) < 0)
            return OUT_EXACT; /* undefined */
        *out = jxi_take_off(max, x * r->points, &deducted);
        return OUT_SCORED;
    case JXI_RULE_FORMULA:
        if (!a->f)
            return OUT_EXACT;
        if (a->fp[l] != 0)
            return block_reads_missing(w, r->expr, l) ? OUT_MISSING : OUT_EXACT;
        *out = jxi_clamp(a->f[l], max);
        return OUT_SCORED;
    case JXI_RULE_MANUAL:
        if (jxi_cmp_inline(x, 0) < 0 || jxi_cmp_inline(x, max) > 0)
            return OUT_EXACT; /* out of range: undefined */
        *out = jxi_clamp(x, max);
        return OUT_SCORED;
    default:
        return OUT_EXACT;
    }
}

/* The columns alternative a needs: its value and a formula rule's. */
static void block_alt_columns(jxi_block *w, block_alt *a, const jxi_expr *value, int round,
                              const jxi_rule *r, double max, double plain_below)
{
    a->value = value;
    a->round = round;
    a->r = r;
    a->max = max;
    a->x = w->x;
    a->xp = w->xp;
    a->f = NULL;
    a->fp = w->fp;
    a->plain_below = plain_below;
    if (value) {
        if (!jxi_expr_columnar(value)) {
            for (size_t l = 0; l < B; l++)
                w->xp[l] = NAN; /* every lane the exact way */
        } else {
            jxi_expr_block(value, w->slot, round >= 0 ? w->u : w->x, w->xp, w->scratch);
            if (round >= 0)
                jxi_lanes_round(w->x, w->u, round);
        }
    }
    if (r->kind == JXI_RULE_FORMULA && jxi_expr_columnar(r->expr)) {
        jxi_expr_block(r->expr, w->slot, w->y, w->fp, w->scratch);
        a->f = w->y;
    }
    if (r->kind == JXI_RULE_CHECKLIST)
        block_checklist_columns(w, r);
}

/* Leaf i's not-applicable marks, its own and its ancestors', in w->na;
 * 0 when it has none in this call. */
static int block_na(jxi_block *w, const jxi_block_in *in, size_t i)
{
    const jx_scheme *s = w->s;
    int any = 0;
    if (!in->na)
        return 0;
    for (size_t j = i; j != JX_NONE; j = s->inds[j].parent) {
        const unsigned char *restrict col = in->na[j];
        unsigned char *restrict na = w->na;
        if (!col)
            continue;
        if (!any)
            memset(na, 0, B);
        any = 1;
        for (size_t l = 0; l < B; l++)
            na[l] |= col[l];
    }
    return any;
}

/* Settle lane l as not applicable or, past a short block's end, missing
 * (never written out): 1 if it was. */
JXI_HOT_INLINE int block_settle(jxi_block *w, const unsigned char *na, size_t n, size_t l,
                                unsigned char *status, unsigned char *bits)
{
    unsigned char st;
    if (na && na[l])
        st = JX_STATUS_NOT_APPLICABLE;
    else if (l >= n)
        st = JX_STATUS_MISSING;
    else
        return 0;
    status[l] = st;
    bits[l] = (unsigned char)(1u << st);
    w->t[l] = 0;
    return 1;
}

/* One alternative over the lanes: each settled as scored (the unrounded
 * score in w->t), missing or left to the exact path. A plain leaf settles
 * its not-applicable and padding lanes here too; a one_of leaf has them
 * settled before, and passes `open`: the lanes no alternative has taken
 * yet (a missing one leaves its lane open for the next). Returns whether
 * any lane was left to the exact path. */
JXI_HOT_INLINE int block_lanes(jxi_block *w, const block_alt *a, jxi_rule_kind kind,
                               const unsigned char *na, size_t n, unsigned char *status,
                               unsigned char *bits, unsigned char *exact, unsigned char *open)
{
    int any_exact = 0;
    for (size_t l = 0; l < B; l++) {
        double v;
        if (open ? !open[l] : block_settle(w, na, n, l, status, bits))
            continue;
        switch (block_lane(w, a, kind, l, &v)) {
        case OUT_SCORED:
            status[l] = JX_STATUS_SCORED;
            bits[l] = 1u << JX_STATUS_SCORED;
            w->t[l] = v; /* rounded by the caller */
            if (open)
                open[l] = 0;
            break;
        case OUT_EXACT:
            w->t[l] = 0;
            exact[l] = w->lane_exact[l] = 1;
            any_exact = 1;
            if (open)
                open[l] = 0;
            break;
        default: /* missing: a one_of leaf's next alternative, if any */
            status[l] = JX_STATUS_MISSING;
            bits[l] = 1u << JX_STATUS_MISSING;
            w->t[l] = 0;
            break;
        }
    }
    return any_exact;
}

/* block_lanes with the rule kind a constant: one loop per kind, each with
 * its rule's code inlined. */
static int block_lanes_by_kind(jxi_block *w, const block_alt *a, const unsigned char *na,
                               size_t n, unsigned char *status, unsigned char *bits,
                               unsigned char *exact, unsigned char *open)
{
    switch (a->r->kind) {
#define BLOCK_LANES_OF(kind) \
    case kind:               \
        return block_lanes(w, a, kind, na, n, status, bits, exact, open);
        BLOCK_LANES_OF(JXI_RULE_DEDUCT)
        BLOCK_LANES_OF(JXI_RULE_RATIO)
        BLOCK_LANES_OF(JXI_RULE_BANDS)
        BLOCK_LANES_OF(JXI_RULE_CHECKLIST)
        BLOCK_LANES_OF(JXI_RULE_LEVEL)
        BLOCK_LANES_OF(JXI_RULE_COUNT)
        BLOCK_LANES_OF(JXI_RULE_FORMULA)
        BLOCK_LANES_OF(JXI_RULE_MANUAL)
#undef BLOCK_LANES_OF
    default:
        return block_lanes(w, a, JXI_RULE_NONE, na, n, status, bits, exact, open);
    }
}

/* Leaf i: each lane's status and rounded score, or its exact-path mark
 * (w->exact, cleared for the block). A one_of leaf takes, lane by lane,
 * its first alternative that is not missing. Returns whether any lane
 * needs the exact path. */
static int block_leaf(jxi_block *w, const jxi_block_in *in, size_t i)
{
    const jx_scheme *s = w->s;
    const jxi_indicator *d = &s->inds[i];
    double *score = w->score + i * B;
    unsigned char *status = w->status + i * B, *exact = w->exact + i * B;
    unsigned char *bits = w->bits + i * B;
    const unsigned char *na = block_na(w, in, i) ? w->na : NULL;
    const double na_score = d->na == JXI_NA_FULL ? d->max : 0;
    int any_exact = 0;
    block_alt a;

    if (d->rule.kind != JXI_RULE_ONE_OF) {
        block_alt_columns(w, &a, d->value, d->round, &d->rule, d->max,
                          w->plain_below[w->plain_at[i]]);
        any_exact = block_lanes_by_kind(w, &a, na, in->n, status, bits, exact, NULL);
    } else {
        unsigned char *open = w->alt_state;
        for (size_t l = 0; l < B; l++)
            open[l] = !block_settle(w, na, in->n, l, status, bits);
        for (size_t k = 0; k < d->rule.nalts; k++) {
            const jxi_alt *alt = &d->rule.alts[k];
            block_alt_columns(w, &a, alt->value, alt->round, &alt->rule, d->max,
                              w->plain_below[w->plain_at[i] + k]);
            any_exact |= block_lanes_by_kind(w, &a, NULL, in->n, status, bits, exact, open);
        }
        if (!d->rule.nalts)
            for (size_t l = 0; l < B; l++)
                if (open[l]) /* no alternative at all: missing */
                    status[l] = JX_STATUS_MISSING, bits[l] = 1u << JX_STATUS_MISSING,
                    w->t[l] = 0;
    }
    /* Rounding is the identity on 0 (missing lanes), but a not-applicable
     * lane keeps the maximum as it is. */
    jxi_lanes_round(score, w->t, s->precision);
    if (na && na_score != 0)
        for (size_t l = 0; l < B; l++)
            score[l] = na[l] ? na_score : score[l];
    return any_exact;
}

/* Every leaf's status and rounded score; the exact path where needed. */
static void block_leaves(jxi_block *w, const jxi_block_in *in)
{
    const jx_scheme *s = w->s;
    int any_exact = 0;
    memset(w->lane_exact, 0, B);
    memset(w->exact, 0, s->ninds * B);
    for (size_t i = 0; i < s->ninds; i++)
        if (s->inds[i].is_leaf)
            any_exact |= block_leaf(w, in, i);
    if (!any_exact)
        return;
    for (size_t l = 0; l < in->n; l++) {
        if (!w->lane_exact[l])
            continue;
        block_load_lane(w, l);
        for (size_t i = 0; i < s->ninds; i++)
            if (w->exact[i * B + l]) {
                jxi_score_leaf(s, i, w->values, w->states, &w->status[i * B + l],
                               &w->score[i * B + l]);
                w->bits[i * B + l] = (unsigned char)(1u << w->status[i * B + l]);
            }
    }
}

/* Parents (sums of their leaves' rounded scores, in document order, as
 * jxi_score_entity adds them) and the sums of the applicable leaves. */
static void block_sums(jxi_block *w)
{
    const jx_scheme *s = w->s;
    const int precision = s->precision;
    const unsigned char na_bit = 1u << JX_STATUS_NOT_APPLICABLE;
    const unsigned char lacking = 1u << JX_STATUS_MISSING | 1u << JX_STATUS_UNDEFINED;
    unsigned char parent_status[16];
    for (unsigned k = 0; k < 16; k++)
        parent_status[k] = jxi_parent_status(k);
    memset(w->earned, 0, sizeof w->earned);
    memset(w->applicable, 0, sizeof w->applicable);
    memset(w->incomplete, 0, sizeof w->incomplete);
    memset(w->rescaled, 0, sizeof w->rescaled);
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        if (!d->is_leaf)
            continue;
        const double *score = w->score + i * B;
        const unsigned char *bits = w->bits + i * B;
        if (d->na == JXI_NA_RESCALE && (block_any(bits) & na_bit)) {
            /* left out of both sums, and the total rescaled */
            for (size_t l = 0; l < B; l++) {
                if (bits[l] & na_bit) {
                    w->rescaled[l] = 1;
                    continue;
                }
                w->earned[l] += score[l];
                w->applicable[l] += d->max;
            }
        } else {
            block_add(w->earned, score);
            block_add_max(w->applicable, d->max);
        }
        block_or(w->incomplete, bits, lacking);
    }
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        if (d->is_leaf)
            continue;
        memset(w->sum, 0, sizeof w->sum);
        memset(w->seen, 0, sizeof w->seen);
        for (size_t j = i + 1; j < d->end; j++) {
            if (!s->inds[j].is_leaf)
                continue;
            block_add(w->sum, w->score + j * B);
            block_or(w->seen, w->bits + j * B, 0xFF);
        }
        unsigned char *pt = w->status + i * B;
        jxi_lanes_round(w->score + i * B, w->sum, precision);
        for (size_t l = 0; l < B; l++)
            pt[l] = parent_status[w->seen[l] & 15];
    }
}

/* dst[l * stride] = col[l] for l < n: one indicator's column into the
 * caller's row-major output, four lanes a step; for scores and statuses. */
#define BLOCK_SCATTER(name, type)                                                    \
    static void name(type *restrict dst, size_t stride, const type *restrict col,   \
                     size_t n)                                                       \
    {                                                                                \
        size_t l = 0;                                                                \
        for (; l + 4 <= n; l += 4, dst += 4 * stride) {                              \
            dst[0] = col[l];                                                         \
            dst[stride] = col[l + 1];                                                \
            dst[2 * stride] = col[l + 2];                                            \
            dst[3 * stride] = col[l + 3];                                            \
        }                                                                            \
        for (; l < n; l++, dst += stride)                                            \
            *dst = col[l];                                                           \
    }
BLOCK_SCATTER(block_scatter_double, double)
BLOCK_SCATTER(block_scatter_byte, unsigned char)
#undef BLOCK_SCATTER

void jxi_block_score(jxi_block *w, const jxi_block_in *in, const jxi_block_out *out)
{
    const jx_scheme *s = w->s;
    const size_t n = in->n, ni = s->ninds;
    for (size_t m = 0; m < s->nmetrics; m++) {
        const double *col = in->metrics[m];
        if (col && n < B) {
            double *pad = w->pad + m * B;
            memcpy(pad, col, n * sizeof *pad);
            for (size_t l = n; l < B; l++)
                pad[l] = NAN;
            col = pad;
        }
        w->slot[m] = col ? col : w->nan;
    }
    jxi_block_in padded = *in;
    if (in->na && n < B) {
        for (size_t i = 0; i < ni; i++) {
            w->na_cols[i] = NULL;
            if (!in->na[i])
                continue;
            unsigned char *pad = w->na_pad + i * B;
            memcpy(pad, in->na[i], n);
            memset(pad + n, 0, B - n);
            w->na_cols[i] = pad;
        }
        padded.na = w->na_cols;
    }
    block_derive(w);
    block_leaves(w, &padded);
    block_sums(w);

    for (size_t l = 0; l < n; l++) {
        int complete = !w->incomplete[l];
        double total = jxi_total(s, jxi_snap_inline(w->earned[l]),
                                 jxi_snap_inline(w->applicable[l]), w->rescaled[l], &complete);
        if (out->totals)
            out->totals[l] = total;
        if (out->complete)
            out->complete[l] = (unsigned char)complete;
        if (out->grades)
            out->grades[l] = (int)jxi_grade_index(s, total, w->status + l, B);
    }
    if (out->scores)
        for (size_t i = 0; i < ni; i++)
            block_scatter_double(out->scores + i, ni, w->score + i * B, n);
    if (out->statuses)
        for (size_t i = 0; i < ni; i++)
            block_scatter_byte(out->statuses + i, ni, w->status + i * B, n);
}
