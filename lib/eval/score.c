/* Scoring against a compiled scheme: values, rules, rounding,
 * not-applicable policy, totals and grade (the core, jxi_score_entity, shared
 * with lib/eval/batch.c), and jx_score, which adds the missing metrics and the
 * reasons on top. */
#include <math.h>
#include <string.h>

#include "eval/input.h"
#include "util/num.h"
#include "eval/score.h"

/* Evaluate a value formula (if any) and apply the rule. */
static inline void eval_leaf_rule(const jxi_expr *value, int round, const jxi_rule *rule,
                                  double max, const double *values,
                                  const unsigned char *states, unsigned char *marks,
                                  jxi_ind_result *ir)
{
    double x = 0;
    ir->has_value = 0;
    ir->value = 0;
    if (value) {
        if (!jxi_expr_value(value, values, states, &x)) {
            jxi_eval ev;
            jxi_expr_eval(value, values, states, marks, &ev);
            if (ev.status != JXI_EVAL_OK) {
                memset(&ir->out, 0, sizeof ir->out);
                ir->out.status = ev.status;
                ir->out.cause = JXI_CAUSE_EXPR;
                ir->out.ev = ev;
                return;
            }
            x = ev.value;
        }
        x = round >= 0 ? jxi_round_inline(x, round) : x;
        ir->has_value = 1;
        ir->value = x;
    }
    jxi_rule_apply(rule, max, x, values, states, marks, &ir->out);
}

/* Score leaf d; with `marks`, also mark the missing metrics it needs. A
 * one_of leaf uses its first alternative whose inputs are all present. */
static inline void eval_leaf(const jxi_indicator *d, const double *values,
                             const unsigned char *states, unsigned char *marks,
                             jxi_ind_result *ir)
{
    ir->alt = -1;
    if (d->rule.kind != JXI_RULE_ONE_OF) {
        eval_leaf_rule(d->value, d->round, &d->rule, d->max, values, states, marks, ir);
        return;
    }
    for (size_t a = 0; a < d->rule.nalts; a++) {
        const jxi_alt *alt = &d->rule.alts[a];
        eval_leaf_rule(alt->value, alt->round, &alt->rule, d->max, values, states, marks, ir);
        if (ir->out.status != JXI_EVAL_MISSING) {
            ir->alt = (int)a;
            return;
        }
    }
}

/* Score applicable leaf d: its status and its score rounded to the
 * scheme's precision (0 unless scored). */
static inline void score_leaf(const jxi_indicator *d, int precision, const double *values,
                              const unsigned char *states, jxi_ind_result *ir,
                              unsigned char *status, double *score)
{
    eval_leaf(d, values, states, NULL, ir);
    if (ir->out.status == JXI_EVAL_OK) {
        *status = JX_STATUS_SCORED;
        *score = jxi_round_inline(ir->out.score, precision);
    } else {
        *status = ir->out.status == JXI_EVAL_MISSING ? JX_STATUS_MISSING : JX_STATUS_UNDEFINED;
        *score = 0;
    }
}

void jxi_score_leaf(const jx_scheme *s, size_t i, const double *values,
                    const unsigned char *states, unsigned char *status, double *score)
{
    jxi_ind_result ir;
    memset(&ir, 0, sizeof ir);
    score_leaf(&s->inds[i], s->precision, values, states, &ir, status, score);
}

void jxi_derive(const jx_scheme *s, double *values, unsigned char *states, jxi_eval *dev)
{
    for (size_t k = 0; k < s->nderived; k++) {
        size_t d = s->derived_order[k];
        size_t slot = s->nmetrics + d;
        jxi_eval ev;
        jxi_expr_eval(s->derived[d].expr, values, states, NULL, &ev);
        values[slot] = ev.status == JXI_EVAL_OK ? ev.value : 0;
        states[slot] = ev.status == JXI_EVAL_OK        ? JXI_SLOT_PRESENT
                       : ev.status == JXI_EVAL_MISSING ? JXI_SLOT_MISSING
                                                       : JXI_SLOT_UNDEFINED;
        if (dev)
            dev[d] = ev;
    }
}

void jxi_inherit_na(const jx_scheme *s, unsigned char *na)
{
    /* parents come before their children */
    for (size_t i = 0; i < s->ninds; i++) {
        size_t p = s->inds[i].parent;
        na[i] = na[i] || (p != JX_NONE && na[p]);
    }
}

/* While the leaves are scored, a parent's status is this placeholder. */
#define PARENT_PENDING 7

void jxi_score_entity(const jx_scheme *s, jxi_entity *e)
{
    /* Everything read in the loops, in locals: a store to status (unsigned
     * char) may alias anything, so fields would be reloaded after each. */
    const jxi_indicator *inds = s->inds;
    const size_t ninds = s->ninds;
    const int precision = s->precision;
    const double *values = e->values;
    const unsigned char *states = e->states, *na = e->na;
    jxi_ind_result *ind = e->ind;
    double *score = e->score;
    unsigned char *status = e->status;
    int any_rescaled = 0, complete = 1;
    double earned = 0, applicable = 0;

    /* Leaves, each rounded to the scheme's precision. */
    for (size_t i = 0; i < ninds; i++) {
        const jxi_indicator *d = &inds[i];
        if (ind)
            ind[i].alt = -1;
        if (!d->is_leaf) {
            score[i] = 0;
            status[i] = PARENT_PENDING;
            continue;
        }
        if (na && na[i]) {
            status[i] = JX_STATUS_NOT_APPLICABLE;
            score[i] = d->na == JXI_NA_FULL ? d->max : 0;
            if (d->na == JXI_NA_RESCALE) {
                any_rescaled = 1; /* left out of the total */
                continue;
            }
        } else {
            jxi_ind_result tmp, *ir = ind ? &ind[i] : &tmp;
            score_leaf(d, precision, values, states, ir, &status[i], &score[i]);
            complete &= status[i] == JX_STATUS_SCORED;
        }
        earned += score[i];
        applicable += d->max;
    }
    e->earned = earned = jxi_snap_inline(earned);
    e->applicable = applicable = jxi_snap_inline(applicable);

    /* Parents: sums of their leaves' rounded scores, in document order; the
     * worst status (not applicable when all their leaves are). A subtree is
     * a contiguous run of indicators, so a parent sums the run: the parents
     * in it are still pending at 0, and adding 0 changes no sum of scores
     * (all >= 0), so the sum is bit for bit that of its leaves alone. */
    for (size_t i = 0; i < ninds; i++) {
        const jxi_indicator *d = &inds[i];
        if (d->is_leaf)
            continue;
        static const unsigned char bit[8] = {1, 2, 4, 8, 16, 32, 64, 128};
        double sum = 0;
        unsigned seen = 0;
        for (size_t j = i + 1, end = d->end; j < end; j++) {
            sum += score[j];
            seen |= bit[status[j]];
        }
        score[i] = jxi_round_inline(sum, precision);
        status[i] = jxi_parent_status(seen & ~(1u << PARENT_PENDING));
    }

    e->rescaled = any_rescaled;
    e->complete = complete;
    e->total = jxi_total(s, earned, applicable, any_rescaled, &e->complete);
    e->grade = jxi_grade_index(s, e->total, status, 1);
}

size_t jxi_grade_index(const jx_scheme *s, double total, const unsigned char *status,
                       size_t stride)
{
    for (size_t g = 0; g < s->ngrades; g++) {
        const jxi_grade *gr = &s->grades[g];
        if (gr->nif_missing) {
            /* The override applies when a listed indicator lacks data: a
             * leaf missing or undefined, or no leaf applicable at all. */
            for (size_t k = 0; k < gr->nif_missing; k++) {
                const jxi_indicator *d = &s->inds[gr->if_missing[k]];
                int lacks = 0, any_applicable = 0;
                for (size_t j = gr->if_missing[k]; j < d->end; j++) {
                    int st = status[j * stride];
                    if (!s->inds[j].is_leaf)
                        continue;
                    lacks |= st == JX_STATUS_MISSING || st == JX_STATUS_UNDEFINED;
                    any_applicable |= st != JX_STATUS_NOT_APPLICABLE;
                }
                if (lacks || !any_applicable)
                    return g;
            }
            continue;
        }
        if (jxi_cmp_inline(total, gr->min) >= 0)
            return g;
    }
    return s->ngrades - 1;
}

/* ---- jx_score ------------------------------------------------------------ */

typedef struct scratch {
    double *values;         /* per slot */
    unsigned char *states;  /* per slot */
    unsigned char *marks;   /* per slot: missing metrics met */
    jxi_eval *dev;          /* per derived metric: its outcome */
    unsigned char *na;      /* per indicator: not applicable, inherited */
    double *score;          /* per indicator */
    unsigned char *status;  /* per indicator */
} scratch;

/* The input metrics behind the missing values leaf i met. */
static int collect_missing(jx_result *r, const jxi_indicator *d, scratch *sc, size_t *cap,
                           jxi_ind_result *ir)
{
    const jx_scheme *s = r->s;
    jxi_ind_result tmp = *ir;
    memset(sc->marks, 0, s->nslots);
    eval_leaf(d, sc->values, sc->states, sc->marks, &tmp);
    /* A missing derived metric stands for the missing inputs behind it:
     * dependents come before their dependencies in reverse order. */
    for (size_t k = s->nderived; k-- > 0;) {
        size_t dd = s->derived_order[k];
        if (sc->marks[s->nmetrics + dd]) {
            jxi_eval ev;
            jxi_expr_eval(s->derived[dd].expr, sc->values, sc->states, sc->marks, &ev);
        }
    }
    ir->miss_at = r->nmissing;
    for (size_t m = 0; m < s->nmetrics; m++) {
        if (!sc->marks[m])
            continue;
        if (r->nmissing == *cap) {
            size_t ncap = *cap ? *cap * 2 : 16;
            int *nm = jxi_realloc(r->missing, ncap * sizeof *nm);
            if (!nm)
                return JX_ENOMEM;
            r->missing = nm;
            *cap = ncap;
        }
        r->missing[r->nmissing++] = (int)m;
    }
    ir->miss_n = r->nmissing - ir->miss_at;
    return 0;
}

static void scratch_free(scratch *sc)
{
    jxi_free(sc->values);
    jxi_free(sc->states);
    jxi_free(sc->marks);
    jxi_free(sc->dev);
    jxi_free(sc->na);
    jxi_free(sc->score);
    jxi_free(sc->status);
}

static int scratch_init(scratch *sc, const jx_scheme *s, const jx_input *in)
{
    memset(sc, 0, sizeof *sc);
    sc->values = jxi_calloc(s->nslots, sizeof *sc->values);
    sc->states = jxi_calloc(s->nslots, 1);
    sc->marks = jxi_calloc(s->nslots, 1);
    sc->dev = jxi_calloc(s->nderived, sizeof *sc->dev);
    sc->na = jxi_calloc(s->ninds, 1);
    sc->score = jxi_calloc(s->ninds, sizeof *sc->score);
    sc->status = jxi_calloc(s->ninds, 1);
    if (!sc->values || !sc->states || !sc->marks || !sc->dev || !sc->na || !sc->score
        || !sc->status)
        return JX_ENOMEM;
    memcpy(sc->values, in->values, s->nmetrics * sizeof *sc->values);
    memcpy(sc->states, in->states, s->nmetrics);
    jxi_derive(s, sc->values, sc->states, sc->dev);
    memcpy(sc->na, in->na, s->ninds);
    jxi_inherit_na(s, sc->na);
    return 0;
}

/* The core, then the missing metrics behind each missing leaf. */
static int score_all(jx_result *r, scratch *sc)
{
    const jx_scheme *s = r->s;
    jxi_entity e = {sc->values, sc->states, sc->dev, sc->na, sc->score, sc->status, r->ind,
                    0, 0, 0, 0, 0, 0};
    jxi_score_entity(s, &e);
    r->total = e.total;
    r->grade = e.grade;
    r->complete = e.complete;
    r->rescaled = e.rescaled;
    r->earned = e.earned;
    r->applicable = e.applicable;
    size_t cap = 0;
    for (size_t i = 0; i < s->ninds; i++) {
        jxi_ind_result *ir = &r->ind[i];
        ir->score = sc->score[i];
        ir->status = sc->status[i];
        if (s->inds[i].is_leaf && ir->status == JX_STATUS_MISSING
            && collect_missing(r, &s->inds[i], sc, &cap, ir) < 0)
            return JX_ENOMEM;
    }
    return 0;
}

/* With JX_STRICT: the first leaf that could not be scored is an error. */
static int strict_check(const jx_result *r, jx_error *err)
{
    const jx_scheme *s = r->s;
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_ind_result *ir = &r->ind[i];
        if (!s->inds[i].is_leaf)
            continue;
        if (ir->status == JX_STATUS_MISSING || ir->status == JX_STATUS_UNDEFINED) {
            int code = ir->status == JX_STATUS_MISSING ? JX_EINCOMPLETE : JX_EUNDEFINED;
            jxi_error_set(err, code, "indicator %s (%s): %s", s->inds[i].id, s->inds[i].name,
                          r->reasons[i]);
            return code;
        }
    }
    return 0;
}

JX_API jx_result *jx_score(const jx_scheme *s, const jx_input *in, unsigned flags, jx_error *err)
{
    if (!s || !in) {
        jxi_error_set(err, JX_EARG, "jx_score needs a scheme and an input");
        return NULL;
    }
    if (in->s != s) {
        jxi_error_set(err, JX_EARG, "the input was made for another scheme");
        return NULL;
    }
    jx_result *r = jxi_calloc(1, sizeof *r);
    scratch sc;
    int rc = JX_ENOMEM;
    if (!r || scratch_init(&sc, s, in) < 0)
        goto fail;
    r->s = s;
    jxi_scheme_retain(s);
    r->lang_en = (flags & JX_LANG_EN) ? 1 : (flags & JX_LANG_ZH) ? 0 : strcmp(s->lang, "en") == 0;
    r->ind = jxi_calloc(s->ninds, sizeof *r->ind);
    r->reasons = jxi_calloc(s->ninds, sizeof *r->reasons);
    if (!r->ind || !r->reasons || score_all(r, &sc) < 0)
        goto fail;
    for (size_t i = 0; i < s->ninds; i++)
        if (!(r->reasons[i] = jxi_reason(r, i, sc.values, sc.dev)))
            goto fail;
    /* The audit block needs the values scored: keep the scratch copies. */
    r->values = sc.values;
    r->states = sc.states;
    sc.values = NULL;
    sc.states = NULL;
    if (in->entity && !(r->entity = jxi_strdup(in->entity)))
        goto fail;
    if ((flags & JX_STRICT) && (rc = strict_check(r, err)) < 0) {
        scratch_free(&sc);
        jx_result_free(r);
        return NULL;
    }
    scratch_free(&sc);
    return r;
fail:
    if (r)
        scratch_free(&sc);
    jx_result_free(r);
    jxi_error_set(err, rc, "out of memory while scoring");
    return NULL;
}
