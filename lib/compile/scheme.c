/* The compiled scheme: look-ups, introspection, lifetime. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "compile/scheme.h"

const char *jxi_rule_kind_name(jxi_rule_kind k)
{
    switch (k) {
    case JXI_RULE_DEDUCT: return "deduct";
    case JXI_RULE_RATIO: return "ratio";
    case JXI_RULE_BANDS: return "bands";
    case JXI_RULE_CHECKLIST: return "checklist";
    case JXI_RULE_COUNT: return "count";
    case JXI_RULE_LEVEL: return "level";
    case JXI_RULE_FORMULA: return "formula";
    case JXI_RULE_MANUAL: return "manual";
    case JXI_RULE_ONE_OF: return "one_of";
    default: return "";
    }
}

/* Names compare as byte strings with an explicit length on one side. */
static int cmp_name(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int cmp_index(const void *pa, const void *pb)
{
    const jxi_name_index *a = pa, *b = pb;
    return strcmp(a->name, b->name);
}

static size_t index_find(const jxi_name_index *ix, size_t n, const char *name, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_name(name, len, ix[mid].name);
        if (c == 0)
            return ix[mid].index;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return JX_NONE;
}

int jxi_scheme_index_metrics(jx_scheme *s)
{
    s->nmetric_index = s->nmetrics + s->nderived;
    s->metric_index = jxi_calloc(s->nmetric_index, sizeof *s->metric_index);
    if (!s->metric_index)
        return JX_ENOMEM;
    for (size_t i = 0; i < s->nmetrics; i++)
        s->metric_index[i] = (jxi_name_index){s->metrics[i].name, i};
    for (size_t i = 0; i < s->nderived; i++)
        s->metric_index[s->nmetrics + i] = (jxi_name_index){s->derived[i].name, s->nmetrics + i};
    qsort(s->metric_index, s->nmetric_index, sizeof *s->metric_index, cmp_index);
    return 0;
}

int jxi_scheme_index_indicators(jx_scheme *s)
{
    s->ind_index = jxi_calloc(s->ninds, sizeof *s->ind_index);
    if (!s->ind_index)
        return JX_ENOMEM;
    for (size_t i = 0; i < s->ninds; i++)
        s->ind_index[i] = (jxi_name_index){s->inds[i].id, i};
    qsort(s->ind_index, s->ninds, sizeof *s->ind_index, cmp_index);
    return 0;
}

int jxi_scheme_slot(const jx_scheme *s, const char *name, size_t len)
{
    size_t k = index_find(s->metric_index, s->nmetric_index, name, len);
    return k == JX_NONE ? -1 : (int)k;
}

const char *jxi_slot_name(const jx_scheme *s, int slot)
{
    if (slot < 0)
        return "";
    if ((size_t)slot < s->nmetrics)
        return s->metrics[slot].name;
    if ((size_t)slot < s->nslots)
        return s->derived[(size_t)slot - s->nmetrics].name;
    return "";
}

size_t jxi_scheme_find_indicator(const jx_scheme *s, const char *id)
{
    return index_find(s->ind_index, s->ninds, id, strlen(id));
}

static void rule_free(jxi_rule *r)
{
    jxi_free(r->bands);
    jxi_free(r->items);
    jxi_free(r->fractions);
    jxi_free(r->tiers);
    jxi_expr_free(r->expr);
    for (size_t i = 0; i < r->nalts; i++) {
        jxi_free(r->alts[i].name);
        jxi_free(r->alts[i].unit);
        jxi_expr_free(r->alts[i].value);
        rule_free(&r->alts[i].rule);
    }
    jxi_free(r->alts);
}

void jxi_scheme_destroy(jx_scheme *s)
{
    if (!s)
        return;
    jxi_free(s->source);
    jxi_free(s->id);
    jxi_free(s->title);
    jxi_free(s->lang);
    for (size_t i = 0; i < s->nmetrics; i++) {
        jxi_free(s->metrics[i].name);
        jxi_free(s->metrics[i].unit);
        jxi_free(s->metrics[i].description);
        for (size_t k = 0; k < s->metrics[i].nlevels; k++)
            jxi_free(s->metrics[i].levels[k]);
        jxi_free(s->metrics[i].levels);
    }
    jxi_free(s->metrics);
    for (size_t i = 0; i < s->nderived; i++) {
        jxi_free(s->derived[i].name);
        jxi_expr_free(s->derived[i].expr);
    }
    jxi_free(s->derived);
    jxi_free(s->derived_order);
    for (size_t i = 0; i < s->ninds; i++) {
        jxi_indicator *d = &s->inds[i];
        jxi_free(d->id);
        jxi_free(d->name);
        jxi_free(d->unit);
        jxi_expr_free(d->value);
        rule_free(&d->rule);
    }
    jxi_free(s->inds);
    for (size_t i = 0; i < s->ngrades; i++) {
        jxi_free(s->grades[i].label);
        jxi_free(s->grades[i].if_missing);
    }
    jxi_free(s->grades);
    jxi_free(s->metric_index);
    jxi_free(s->ind_index);
    jxi_profile_free(s->extract);
    jxi_free(s);
}

void jxi_scheme_retain(const jx_scheme *s)
{
    atomic_fetch_add(&((jx_scheme *)s)->refs, 1);
}

void jxi_scheme_release(const jx_scheme *s)
{
    if (s && atomic_fetch_sub(&((jx_scheme *)s)->refs, 1) == 1)
        jxi_scheme_destroy((jx_scheme *)s);
}

JX_API void jx_scheme_free(jx_scheme *s)
{
    jxi_scheme_release(s);
}

/* ---- Introspection ------------------------------------------------------ */

JX_API const char *jx_scheme_id(const jx_scheme *s) { return s ? s->id : NULL; }
JX_API const char *jx_scheme_title(const jx_scheme *s) { return s ? s->title : NULL; }
JX_API double jx_scheme_total(const jx_scheme *s) { return s ? s->total : 0; }
JX_API int jx_scheme_precision(const jx_scheme *s) { return s ? s->precision : 0; }
JX_API const char *jx_scheme_lang(const jx_scheme *s) { return s ? s->lang : NULL; }
JX_API const char *jx_scheme_digest(const jx_scheme *s)
{
    if (!s)
        return NULL;
    /* A cache written once: the scheme is otherwise never changed. */
    jx_scheme *w = (jx_scheme *)s;
    for (;;) {
        int st = atomic_load_explicit(&w->digest_state, memory_order_acquire);
        if (st == JXI_DIGEST_READY)
            return w->digest;
        int none = JXI_DIGEST_NONE;
        if (st == JXI_DIGEST_NONE
            && atomic_compare_exchange_strong(&w->digest_state, &none, JXI_DIGEST_BUSY)) {
            int rc = w->digest_fn ? w->digest_fn(w->digest_ctx, w->digest_arg, w->digest)
                                  : JX_EARG;
            atomic_store_explicit(&w->digest_state, rc == 0 ? JXI_DIGEST_READY : JXI_DIGEST_NONE,
                                  memory_order_release);
            return rc == 0 ? w->digest : NULL;
        }
        if (st == JXI_DIGEST_BUSY)
            sched_yield(); /* another thread is computing it: microseconds */
    }
}

JX_API size_t jx_scheme_indicator_count(const jx_scheme *s) { return s ? s->ninds : 0; }

JX_API size_t jx_scheme_indicator_find(const jx_scheme *s, const char *id)
{
    return s && id ? jxi_scheme_find_indicator(s, id) : JX_NONE;
}

static const jxi_indicator *ind_at(const jx_scheme *s, size_t i)
{
    return s && i < s->ninds ? &s->inds[i] : NULL;
}

JX_API const char *jx_scheme_indicator_id(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? d->id : NULL;
}

JX_API const char *jx_scheme_indicator_name(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? d->name : NULL;
}

JX_API const char *jx_scheme_indicator_unit(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? d->unit : NULL;
}

JX_API double jx_scheme_indicator_max(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? d->max : 0;
}

JX_API size_t jx_scheme_indicator_parent(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? d->parent : JX_NONE;
}

JX_API int jx_scheme_indicator_depth(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? d->depth : JX_EARG;
}

JX_API int jx_scheme_indicator_is_leaf(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? d->is_leaf : JX_EARG;
}

JX_API const char *jx_scheme_indicator_rule(const jx_scheme *s, size_t i)
{
    const jxi_indicator *d = ind_at(s, i);
    return d ? jxi_rule_kind_name(d->rule.kind) : NULL;
}

JX_API size_t jx_scheme_metric_count(const jx_scheme *s) { return s ? s->nmetrics : 0; }

JX_API size_t jx_scheme_metric_find(const jx_scheme *s, const char *name)
{
    if (!s || !name)
        return JX_NONE;
    int slot = jxi_scheme_slot(s, name, strlen(name));
    return slot >= 0 && (size_t)slot < s->nmetrics ? (size_t)slot : JX_NONE;
}

static const jxi_metric *metric_at(const jx_scheme *s, size_t m)
{
    return s && m < s->nmetrics ? &s->metrics[m] : NULL;
}

JX_API const char *jx_scheme_metric_name(const jx_scheme *s, size_t m)
{
    const jxi_metric *x = metric_at(s, m);
    return x ? x->name : NULL;
}

JX_API const char *jx_scheme_metric_unit(const jx_scheme *s, size_t m)
{
    const jxi_metric *x = metric_at(s, m);
    return x ? x->unit : NULL;
}

JX_API int jx_scheme_metric_type(const jx_scheme *s, size_t m)
{
    const jxi_metric *x = metric_at(s, m);
    return x ? (int)x->type : JX_EARG;
}

JX_API const char *jx_scheme_metric_description(const jx_scheme *s, size_t m)
{
    const jxi_metric *x = s && m < s->nmetrics ? &s->metrics[m] : NULL;
    return x ? (x->description ? x->description : "") : NULL;
}

JX_API size_t jx_scheme_metric_level_count(const jx_scheme *s, size_t m)
{
    const jxi_metric *x = metric_at(s, m);
    return x ? x->nlevels : 0;
}

JX_API const char *jx_scheme_metric_level(const jx_scheme *s, size_t m, size_t k)
{
    const jxi_metric *x = metric_at(s, m);
    return x && k < x->nlevels ? x->levels[k] : NULL;
}

JX_API size_t jx_scheme_grade_count(const jx_scheme *s) { return s ? s->ngrades : 0; }

JX_API const char *jx_scheme_grade_label(const jx_scheme *s, size_t g)
{
    return s && g < s->ngrades ? s->grades[g].label : NULL;
}

JX_API double jx_scheme_grade_min(const jx_scheme *s, size_t g)
{
    return s && g < s->ngrades ? s->grades[g].min : 0;
}
