/* Collecting every diagnostic of a scheme (jx_lint_*), and the warnings:
 * checks of schemes that load but are probably not what the author meant. */
#include <math.h>
#include <string.h>

#include "jsonctx.h"
#include "load.h"
#include "scheme.h"

struct jx_diagnostics {
    jx_error *items;
    int *severity;
    size_t n, cap;
    size_t errors, warnings;
    int nomem;
};

static void collect(void *ctx, int severity, const jx_error *e)
{
    jx_diagnostics *d = ctx;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        jx_error *ni = jxi_realloc(d->items, cap * sizeof *ni);
        if (!ni) {
            d->nomem = 1;
            return;
        }
        d->items = ni;
        int *ns = jxi_realloc(d->severity, cap * sizeof *ns);
        if (!ns) {
            d->nomem = 1;
            return;
        }
        d->severity = ns;
        d->cap = cap;
    }
    d->items[d->n] = *e;
    d->severity[d->n] = severity;
    d->n++;
    if (severity == JXI_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
}

/* Mark the slots a formula reads. */
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

void jxi_lint_warnings(jxi_jctx *c, const jx_scheme *s, const jxi_path *ind_paths)
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
        c->path = ind_paths[i];
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

JX_API jx_diagnostics *jx_lint_buffer(const char *buf, size_t len, const char *source,
                                      unsigned flags)
{
    (void)flags;
    jx_diagnostics *d = jxi_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (!buf) {
        jx_error e;
        jxi_error_set(&e, JX_EARG, "no buffer given");
        jxi_error_source(&e, source ? source : "<string>");
        collect(d, JXI_SEV_ERROR, &e);
    } else {
        jx_scheme *s = jxi_scheme_load(buf, len, source, NULL, collect, d);
        jx_scheme_free(s);
    }
    if (d->nomem) {
        jx_diagnostics_free(d);
        return NULL;
    }
    return d;
}

JX_API jx_diagnostics *jx_lint_file(const char *path, unsigned flags)
{
    jx_error e;
    char *buf = NULL;
    size_t len = 0;
    if (!path || jxi_read_file(path, &buf, &len, &e) < 0) {
        jx_diagnostics *d = jxi_calloc(1, sizeof *d);
        if (!d)
            return NULL;
        if (!path) {
            jxi_error_set(&e, JX_EARG, "no path given");
            jxi_error_source(&e, "");
        }
        collect(d, JXI_SEV_ERROR, &e);
        if (d->nomem) {
            jx_diagnostics_free(d);
            return NULL;
        }
        return d;
    }
    jx_diagnostics *d = jx_lint_buffer(buf, len, path, flags);
    jxi_free(buf);
    return d;
}

JX_API size_t jx_diagnostics_count(const jx_diagnostics *d) { return d ? d->n : 0; }
JX_API size_t jx_diagnostics_errors(const jx_diagnostics *d) { return d ? d->errors : 0; }
JX_API size_t jx_diagnostics_warnings(const jx_diagnostics *d) { return d ? d->warnings : 0; }

JX_API const jx_error *jx_diagnostics_get(const jx_diagnostics *d, size_t k)
{
    return d && k < d->n ? &d->items[k] : NULL;
}

JX_API int jx_diagnostics_severity(const jx_diagnostics *d, size_t k)
{
    return d && k < d->n ? d->severity[k] : JX_EARG;
}

JX_API void jx_diagnostics_free(jx_diagnostics *d)
{
    if (!d)
        return;
    jxi_free(d->items);
    jxi_free(d->severity);
    jxi_free(d);
}
