/* Scoring an input against a compiled scheme: values, rules, rounding,
 * not-applicable policy, totals and grade. */
#include <math.h>
#include <string.h>

#include "input.h"
#include "result.h"

typedef struct scratch {
    double *values;         /* per slot */
    unsigned char *states;  /* per slot */
    unsigned char *marks;   /* per slot: missing metrics met */
    jxi_eval *dev;          /* per derived metric: its outcome */
    unsigned char *na;      /* per indicator: not applicable, inherited */
} scratch;

/* Evaluate a value formula (if any) and apply the rule. */
static void eval_leaf_rule(const jxi_expr *value, int round, const jxi_rule *rule, double max,
                           const scratch *sc, unsigned char *marks, jxi_ind_result *ir)
{
    double x = 0;
    ir->has_value = 0;
    ir->value = 0;
    if (value) {
        jxi_eval ev;
        jxi_expr_eval(value, sc->values, sc->states, marks, &ev);
        if (ev.status != JXI_EVAL_OK) {
            memset(&ir->out, 0, sizeof ir->out);
            ir->out.status = ev.status;
            ir->out.cause = JXI_CAUSE_EXPR;
            ir->out.ev = ev;
            return;
        }
        x = round >= 0 ? jxi_round(ev.value, round) : ev.value;
        ir->has_value = 1;
        ir->value = x;
    }
    jxi_rule_apply(rule, max, x, sc->values, sc->states, marks, &ir->out);
}

/* Score leaf d; with `marks`, also mark the missing metrics it needs. A
 * one_of leaf uses its first alternative whose inputs are all present. */
static void eval_leaf(const jxi_indicator *d, const scratch *sc, unsigned char *marks,
                      jxi_ind_result *ir)
{
    ir->alt = -1;
    if (d->rule.kind != JXI_RULE_ONE_OF) {
        eval_leaf_rule(d->value, d->round, &d->rule, d->max, sc, marks, ir);
        return;
    }
    for (size_t a = 0; a < d->rule.nalts; a++) {
        const jxi_alt *alt = &d->rule.alts[a];
        eval_leaf_rule(alt->value, alt->round, &alt->rule, d->max, sc, marks, ir);
        if (ir->out.status != JXI_EVAL_MISSING) {
            ir->alt = (int)a;
            return;
        }
    }
}

/* The input metrics behind the missing values leaf i met. */
static int collect_missing(jx_result *r, const jxi_indicator *d, scratch *sc, size_t *cap,
                           jxi_ind_result *ir)
{
    const jx_scheme *s = r->s;
    jxi_ind_result tmp = *ir;
    memset(sc->marks, 0, s->nslots);
    eval_leaf(d, sc, sc->marks, &tmp);
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
}

static int scratch_init(scratch *sc, const jx_scheme *s, const jx_input *in)
{
    memset(sc, 0, sizeof *sc);
    sc->values = jxi_calloc(s->nslots, sizeof *sc->values);
    sc->states = jxi_calloc(s->nslots, 1);
    sc->marks = jxi_calloc(s->nslots, 1);
    sc->dev = jxi_calloc(s->nderived, sizeof *sc->dev);
    sc->na = jxi_calloc(s->ninds, 1);
    if (!sc->values || !sc->states || !sc->marks || !sc->dev || !sc->na)
        return JX_ENOMEM;
    memcpy(sc->values, in->values, s->nmetrics * sizeof *sc->values);
    memcpy(sc->states, in->states, s->nmetrics);
    for (size_t k = 0; k < s->nderived; k++) {
        size_t d = s->derived_order[k];
        size_t slot = s->nmetrics + d;
        jxi_eval *ev = &sc->dev[d];
        jxi_expr_eval(s->derived[d].expr, sc->values, sc->states, NULL, ev);
        sc->values[slot] = ev->status == JXI_EVAL_OK ? ev->value : 0;
        sc->states[slot] = ev->status == JXI_EVAL_OK        ? JXI_SLOT_PRESENT
                           : ev->status == JXI_EVAL_MISSING ? JXI_SLOT_MISSING
                                                            : JXI_SLOT_UNDEFINED;
    }
    for (size_t i = 0; i < s->ninds; i++) {
        size_t p = s->inds[i].parent;
        sc->na[i] = in->na[i] || (p != JX_NONE && sc->na[p]);
    }
    return 0;
}

/* Leaves first, then parents, total and grade. */
static int score_all(jx_result *r, const jx_input *in, scratch *sc)
{
    const jx_scheme *s = r->s;
    size_t cap = 0;
    int any_rescaled = 0;
    r->complete = 1;
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        jxi_ind_result *ir = &r->ind[i];
        ir->alt = -1;
        if (!d->is_leaf)
            continue;
        if (sc->na[i]) {
            ir->status = JX_STATUS_NOT_APPLICABLE;
            ir->score = d->na == JXI_NA_FULL ? d->max : 0;
            if (d->na == JXI_NA_RESCALE) {
                any_rescaled = 1;
                continue;
            }
            r->earned += ir->score;
            r->applicable += d->max;
            continue;
        }
        eval_leaf(d, sc, NULL, ir);
        if (ir->out.status == JXI_EVAL_OK) {
            ir->status = JX_STATUS_SCORED;
            ir->score = jxi_round(ir->out.score, s->precision);
        } else {
            ir->status = ir->out.status == JXI_EVAL_MISSING ? JX_STATUS_MISSING
                                                            : JX_STATUS_UNDEFINED;
            ir->score = 0;
            r->complete = 0;
            if (ir->status == JX_STATUS_MISSING && collect_missing(r, d, sc, &cap, ir) < 0)
                return JX_ENOMEM;
        }
        r->earned += ir->score;
        r->applicable += d->max;
    }
    (void)in;
    r->earned = jxi_snap(r->earned);
    r->applicable = jxi_snap(r->applicable);

    /* Parents: sums of their leaves' rounded scores; the worst status. */
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        if (d->is_leaf)
            continue;
        double sum = 0;
        int all_na = 1, undef = 0, miss = 0;
        for (size_t j = i + 1; j < d->end; j++) {
            if (!s->inds[j].is_leaf)
                continue;
            sum += r->ind[j].score;
            int st = r->ind[j].status;
            all_na &= st == JX_STATUS_NOT_APPLICABLE;
            undef |= st == JX_STATUS_UNDEFINED;
            miss |= st == JX_STATUS_MISSING;
        }
        r->ind[i].score = jxi_round(sum, s->precision);
        r->ind[i].status = all_na ? JX_STATUS_NOT_APPLICABLE
                           : undef ? JX_STATUS_UNDEFINED
                           : miss  ? JX_STATUS_MISSING
                                   : JX_STATUS_SCORED;
    }

    r->rescaled = any_rescaled;
    if (!any_rescaled)
        r->total = jxi_round(r->earned, s->precision);
    else if (r->applicable > 0)
        r->total = jxi_round(r->earned / r->applicable * s->total, s->precision);
    else
        r->total = 0, r->complete = 0; /* nothing applicable: no score to give */

    r->grade = s->ngrades - 1;
    for (size_t g = 0; g < s->ngrades; g++) {
        const jxi_grade *gr = &s->grades[g];
        if (gr->nif_missing) {
            /* The override applies when a listed indicator lacks data: a
             * leaf missing or undefined, or no leaf applicable at all. */
            for (size_t k = 0; k < gr->nif_missing; k++) {
                const jxi_indicator *d = &s->inds[gr->if_missing[k]];
                int lacks = 0, applicable = 0;
                for (size_t j = gr->if_missing[k]; j < d->end; j++) {
                    int st = r->ind[j].status;
                    if (!s->inds[j].is_leaf)
                        continue;
                    lacks |= st == JX_STATUS_MISSING || st == JX_STATUS_UNDEFINED;
                    applicable |= st != JX_STATUS_NOT_APPLICABLE;
                }
                if (lacks || !applicable) {
                    r->grade = g;
                    return 0;
                }
            }
            continue;
        }
        if (jxi_cmp(r->total, gr->min) >= 0) {
            r->grade = g;
            return 0;
        }
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
    if (!r->ind || !r->reasons || score_all(r, in, &sc) < 0)
        goto fail;
    for (size_t i = 0; i < s->ninds; i++)
        if (!(r->reasons[i] = jxi_reason(r, i, sc.values, sc.dev)))
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
