/* The "audit" block of a result's JSON: what a decision looked like when
 * it was made (library version, scheme digest, the entity, and for each
 * leaf the inputs it read and the target or band it applied). */
#include <math.h>
#include <string.h>

#include "eval/result.h"

/* Append slot to set (size n, capacity s->nslots) unless present. */
static void add_slot(int *set, size_t *n, int slot)
{
    if (slot < 0)
        return;
    for (size_t k = 0; k < *n; k++)
        if (set[k] == slot)
            return;
    set[(*n)++] = slot;
}

static void add_expr(int *set, size_t *n, const jxi_expr *x)
{
    if (!x)
        return;
    for (size_t k = 0; k < jxi_expr_ref_count(x); k++)
        add_slot(set, n, jxi_expr_ref(x, k));
}

static void add_rule(int *set, size_t *n, const jxi_rule *r)
{
    switch (r->kind) {
    case JXI_RULE_CHECKLIST:
        for (size_t k = 0; k < r->nitems; k++)
            add_slot(set, n, r->items[k].slot);
        break;
    case JXI_RULE_LEVEL:
        add_slot(set, n, r->level_slot);
        if (r->tiers)
            add_slot(set, n, r->percent_slot);
        break;
    case JXI_RULE_FORMULA:
        add_expr(set, n, r->expr);
        break;
    default:
        break;
    }
}

/* A number, or null when it is not finite: a gap of 1e307 over steps of 0.1
 * is infinitely many steps, which JSON cannot write. */
static void audit_number(jxi_buf *b, double v)
{
    if (isfinite(v))
        jxi_buf_number_g(b, v);
    else
        jxi_buf_puts(b, "null");
}

static void put_slot_value(jxi_buf *b, const jx_result *r, int slot)
{
    const jx_scheme *s = r->s;
    if (r->states[slot] != JXI_SLOT_PRESENT) {
        jxi_buf_puts(b, "null");
        return;
    }
    double v = r->values[slot];
    if ((size_t)slot >= s->nmetrics || s->metrics[slot].type == JX_METRIC_NUMBER)
        audit_number(b, v);
    else if (s->metrics[slot].type == JX_METRIC_BOOL)
        jxi_buf_puts(b, v != 0 ? "true" : "false");
    else
        jxi_buf_json_string(b, s->metrics[slot].levels[(size_t)v]);
}

static void field_g(jxi_buf *b, const char *key, double v)
{
    jxi_buf_putc(b, ',');
    jxi_buf_json_key(b, key);
    audit_number(b, v);
}

static const char *op_name(jxi_op op)
{
    return op == JXI_OP_GE ? ">=" : op == JXI_OP_LE ? "<=" : "=";
}

/* The rule's parameters and, when it scored, how far it went. */
static void put_applied(jxi_buf *b, const jxi_rule *r, const jxi_rule_out *o)
{
    int ok = o->status == JXI_EVAL_OK;
    jxi_buf_putc(b, '{');
    jxi_buf_json_key(b, "rule");
    jxi_buf_json_string(b, jxi_rule_kind_name(r->kind));
    switch (r->kind) {
    case JXI_RULE_DEDUCT:
    case JXI_RULE_RATIO:
        jxi_buf_putc(b, ',');
        jxi_buf_json_key(b, "op");
        jxi_buf_json_string(b, op_name(r->op));
        field_g(b, "target", r->target);
        if (r->has_over) {
            field_g(b, "over_above", r->over_above);
            field_g(b, "over_fraction", r->over_fraction);
        }
        if (r->kind == JXI_RULE_DEDUCT) {
            field_g(b, "per", r->per);
            field_g(b, "points", r->points);
            if (ok) {
                field_g(b, "gap", o->gap > 0 ? o->gap : 0);
                field_g(b, "steps", o->gap > 0 ? o->steps : 0);
                field_g(b, "deducted", o->gap > 0 ? o->deducted : 0);
            }
        }
        break;
    case JXI_RULE_BANDS:
        if (ok && o->band < r->nbands) {
            const jxi_band *bd = &r->bands[o->band];
            jxi_buf_putc(b, ',');
            jxi_buf_json_key(b, "band");
            if (bd->is_else) {
                jxi_buf_json_string(b, "else");
            } else {
                jxi_buf iv;
                jxi_buf_init(&iv);
                jxi_interval_print(&bd->iv, &iv);
                char *t = jxi_buf_take(&iv);
                if (t)
                    jxi_buf_json_string(b, t);
                else
                    b->failed = 1; /* out of memory: the whole export fails */
                jxi_free(t);
            }
            field_g(b, "band_score", bd->score);
        }
        break;
    case JXI_RULE_COUNT:
        field_g(b, "points", r->points);
        if (ok)
            field_g(b, "deducted", o->deducted);
        break;
    case JXI_RULE_CHECKLIST:
        if (ok) {
            jxi_buf_putc(b, ',');
            jxi_buf_json_key(b, "items_not_met");
            jxi_buf_printf(b, "%zu", o->nfalse);
            field_g(b, "deducted", o->deducted);
        }
        break;
    case JXI_RULE_LEVEL:
        if (ok && r->tiers)
            field_g(b, "percent", o->aux);
        break;
    default:
        break;
    }
    jxi_buf_putc(b, '}');
}

void jxi_audit_json(const jx_result *r, jxi_buf *b)
{
    const jx_scheme *s = r->s;
    jxi_buf_json_key(b, "audit");
    jxi_buf_putc(b, '{');
    jxi_buf_json_key(b, "library");
    jxi_buf_json_string(b, jx_version());
    jxi_buf_putc(b, ',');
    jxi_buf_json_key(b, "scheme");
    jxi_buf_json_string(b, s->id);
    jxi_buf_putc(b, ',');
    jxi_buf_json_key(b, "digest");
    const char *digest = jx_scheme_digest(s); /* a project's is made when first asked */
    if (digest)
        jxi_buf_json_string(b, digest);
    else
        b->failed = 1;
    jxi_buf_putc(b, ',');
    jxi_buf_json_key(b, "entity");
    if (r->entity)
        jxi_buf_json_string(b, r->entity);
    else
        jxi_buf_puts(b, "null");
    jxi_buf_putc(b, ',');
    jxi_buf_json_key(b, "leaves");
    jxi_buf_putc(b, '[');
    int *set = jxi_malloc((s->nslots ? s->nslots : 1) * sizeof *set);
    int first = 1;
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        const jxi_ind_result *ir = &r->ind[i];
        if (!d->is_leaf)
            continue;
        const jxi_rule *rule = &d->rule;
        size_t n = 0;
        if (set) {
            add_expr(set, &n, d->value);
            if (d->rule.kind == JXI_RULE_ONE_OF) {
                /* The alternative used, or all of them when none could be. */
                for (size_t a = 0; a < d->rule.nalts; a++) {
                    if (ir->alt >= 0 && (size_t)ir->alt != a)
                        continue;
                    add_expr(set, &n, d->rule.alts[a].value);
                    add_rule(set, &n, &d->rule.alts[a].rule);
                }
                if (ir->alt >= 0)
                    rule = &d->rule.alts[ir->alt].rule;
            } else {
                add_rule(set, &n, rule);
            }
        }
        if (!first)
            jxi_buf_putc(b, ',');
        first = 0;
        jxi_buf_putc(b, '{');
        jxi_buf_json_key(b, "id");
        jxi_buf_json_string(b, d->id);
        jxi_buf_putc(b, ',');
        jxi_buf_json_key(b, "inputs");
        jxi_buf_putc(b, '{');
        for (size_t k = 0; k < n; k++) {
            if (k)
                jxi_buf_putc(b, ',');
            jxi_buf_json_key(b, jxi_slot_name(s, set[k]));
            put_slot_value(b, r, set[k]);
        }
        jxi_buf_putc(b, '}');
        jxi_buf_putc(b, ',');
        jxi_buf_json_key(b, "applied");
        if (ir->status == JX_STATUS_NOT_APPLICABLE || rule->kind == JXI_RULE_ONE_OF)
            jxi_buf_puts(b, "null");
        else
            put_applied(b, rule, &ir->out);
        jxi_buf_putc(b, '}');
    }
    jxi_free(set);
    if (!set && s->nleaves)
        b->failed = 1;
    jxi_buf_puts(b, "]}");
}
