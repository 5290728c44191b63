/* The warnings: checks of schemes that load but are probably not what the
 * author meant. They read the compiled scheme only; the loader calls them
 * and they report through its JSON context. */
#include <math.h>
#include <string.h>

#include "load/lint.h"
#include "util/num.h"

static void mark_expr(const jxi_expr *x, unsigned char *used)
{
    if (!x)
        return;
    for (size_t k = 0; k < jxi_expr_ref_count(x); k++)
        used[jxi_expr_ref(x, k)] = 1;
}

static void mark_rule(const jxi_rule *r, unsigned char *used)
{
    for (size_t i = 0; i < r->nitems; i++)
        used[r->items[i].slot] = 1;
    if (r->kind == JXI_RULE_LEVEL) {
        used[r->level_slot] = 1;
        if (r->tiers)
            used[r->percent_slot] = 1;
    }
    mark_expr(r->expr, used);
    for (size_t a = 0; a < r->nalts; a++) {
        mark_expr(r->alts[a].value, used);
        mark_rule(&r->alts[a].rule, used);
    }
}

/* A rule that gives every input full marks: nothing to evaluate. */
static int never_deducts(const jxi_rule *r, double max)
{
    switch (r->kind) {
    case JXI_RULE_DEDUCT:
        return r->points == 0;
    case JXI_RULE_BANDS:
        for (size_t i = 0; i < r->nbands; i++)
            if (jxi_cmp(r->bands[i].score, max) < 0)
                return 0;
        return 1;
    case JXI_RULE_LEVEL:
        if (r->tiers)
            return 0;
        for (size_t i = 0; i < r->nlevels_cache; i++)
            if (jxi_cmp(r->fractions[i], 1) < 0)
                return 0;
        return 1;
    default:
        return 0;
    }
}

void jxi_lint_warnings(jxi_jctx *c, const jx_scheme *s)
{
    unsigned char *used = jxi_calloc(s->nslots, 1);
    if (!used)
        return;
    for (size_t i = 0; i < s->ninds; i++) {
        mark_expr(s->inds[i].value, used);
        mark_rule(&s->inds[i].rule, used);
    }
    /* A derived metric in use makes what it reads used. */
    for (size_t k = s->nderived; k-- > 0;) {
        size_t d = s->derived_order[k];
        if (used[s->nmetrics + d])
            mark_expr(s->derived[d].expr, used);
    }
    for (size_t m = 0; m < s->nslots; m++) {
        if (used[m])
            continue;
        int is_metric = m < s->nmetrics;
        jxi_path p = {0};
        jxi_path_push_key(&p, is_metric ? "metrics" : "derived");
        jxi_path saved = c->path;
        c->path = p;
        jxi_jwarn(c, jxi_slot_name(s, (int)m), "%s \"%s\" is declared but never used",
                  is_metric ? "metric" : "derived metric", jxi_slot_name(s, (int)m));
        c->path = saved;
    }
    jxi_free(used);

    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        if (!d->is_leaf)
            continue;
        jxi_path saved = c->path;
        jxi_path_of_indicator(s, i, &c->path);
        const jxi_rule *r = &d->rule;
        if (d->max == 0)
            jxi_jwarn(c, "max", "indicator \"%s\" is worth 0 points", d->id);
        if (never_deducts(r, d->max))
            jxi_jwarn(c, "rule", "the rule of indicator \"%s\" gives full marks whatever the input",
                      d->id);
        if (r->kind == JXI_RULE_BANDS) {
            int full = 0;
            for (size_t b = 0; b < r->nbands; b++)
                full |= jxi_cmp(r->bands[b].score, d->max) == 0;
            if (!full)
                jxi_jwarn(c, "rule", "no band of indicator \"%s\" reaches its max", d->id);
        }
        if (r->kind == JXI_RULE_LEVEL && !r->tiers) {
            int full = 0;
            for (size_t k = 0; k < r->nlevels_cache; k++)
                full |= jxi_cmp(r->fractions[k], 1) == 0;
            if (!full)
                jxi_jwarn(c, "rule", "no level of indicator \"%s\" gives full marks", d->id);
        }
        c->path = saved;
    }
}
