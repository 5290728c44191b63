/* The scheme's "metrics" and "derived" keys: the figures it reads and the
 * derived metrics computed from them (see lib/load/load.c). */
#include <string.h>

#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/loader.h"

static const char *const metric_keys[] = {"unit", "type", "levels", "description", NULL};

static int load_metric(jxi_loader *L, const char *name, json_t *def, jxi_metric *m)
{
    if (!json_is_object(def))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "metric \"%s\" must be an object such as {\"unit\": \"万元\"}, found %s",
                         name, jxi_jtype(&L->c, def));
    int rc = jxi_check_keys(&L->c, def, metric_keys, "a metric");
    m->unit = NULL;
    if (jxi_get_string(&L->c, def, "unit", 0, &m->unit) < 0)
        rc = -1;
    m->description = NULL;
    if (jxi_get_string(&L->c, def, "description", 0, &m->description) < 0)
        rc = -1;
    char *type = NULL;
    m->type = JX_METRIC_NUMBER;
    if (jxi_get_string(&L->c, def, "type", 0, &type) == 0) {
        if (strcmp(type, "number") == 0)
            m->type = JX_METRIC_NUMBER;
        else if (strcmp(type, "bool") == 0)
            m->type = JX_METRIC_BOOL;
        else if (strcmp(type, "level") == 0)
            m->type = JX_METRIC_LEVEL;
        else
            rc = jxi_jfail(&L->c, JX_EVALUE, "type", 0,
                           "unknown metric type \"%s\"; expected number, bool or level", type);
    }
    jxi_free(type);
    if (!m->unit && !(m->unit = jxi_strdup("")))
        return jxi_load_oom(L);
    json_t *levels = json_object_get(def, "levels");
    if (m->type == JX_METRIC_LEVEL) {
        if (!levels)
            return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                             "a level metric needs \"levels\", e.g. [\"好\", \"较好\", \"一般\", \"差\"]");
        if (!json_is_array(levels) || json_array_size(levels) == 0)
            return jxi_jfail(&L->c, JX_ETYPE, "levels", 0,
                             "\"levels\" must be a non-empty array of strings");
        size_t n = json_array_size(levels);
        m->levels = jxi_calloc(n, sizeof *m->levels);
        if (!m->levels)
            return jxi_load_oom(L);
        jxi_path_push_key(&L->c.path, "levels");
        for (size_t k = 0; k < n; k++) {
            json_t *lv = json_array_get(levels, k);
            jxi_path_push_index(&L->c.path, k);
            if (!json_is_string(lv) || json_string_length(lv) == 0) {
                rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0, "a level must be a non-empty string");
            } else {
                for (size_t j = 0; j < m->nlevels; j++)
                    if (strcmp(m->levels[j], json_string_value(lv)) == 0)
                        rc = jxi_jfail(&L->c, JX_EDUPLICATE, NULL, 0, "level \"%s\" appears twice",
                                       json_string_value(lv));
                if (!(m->levels[m->nlevels++] = jxi_strdup(json_string_value(lv)))) {
                    jxi_path_pop(&L->c.path);
                    jxi_path_pop(&L->c.path);
                    return jxi_load_oom(L);
                }
            }
            jxi_path_pop(&L->c.path);
        }
        jxi_path_pop(&L->c.path);
    } else if (levels) {
        rc = jxi_jfail(&L->c, JX_EKEY, "levels", 1, "\"levels\" belongs to metrics of type \"level\"");
    }
    return rc;
}

static int valid_name(const char *name)
{
    if (!*name)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == ']')
            return 0;
    return 1;
}

/* The names of "derived", in document order; their formulas are compiled
 * once every name is known (jxi_load_derived). 0 or the last error. */
static int load_derived_names(jxi_loader *L, json_t *derived)
{
    jx_scheme *s = L->s;
    int rc = 0;
    const char *name;
    json_t *v;
    json_object_foreach(derived, name, v) {
        jxi_derived *d = &s->derived[s->nderived];
        if (!(d->name = jxi_strdup(name)))
            return jxi_load_oom(L);
        s->nderived++;
        if (!valid_name(name)) {
            jxi_path_push_key(&L->c.path, "derived");
            rc = jxi_jfail(&L->c, JX_EVALUE, name, 1,
                           "a derived metric name must be non-empty, without control "
                           "characters or ']'");
            jxi_path_pop(&L->c.path);
        }
    }
    return rc;
}

/* No name declared both as a metric and as a derived metric. 0 or the
 * last error. */
static int check_metric_names(jxi_loader *L)
{
    const jx_scheme *s = L->s;
    int rc = 0;
    /* Equal names sit side by side in the sorted index. */
    for (size_t i = 1; i < s->nmetric_index; i++) {
        if (strcmp(s->metric_index[i - 1].name, s->metric_index[i].name) != 0)
            continue;
        size_t later = s->metric_index[i].index > s->metric_index[i - 1].index
                           ? s->metric_index[i].index : s->metric_index[i - 1].index;
        jxi_path_push_key(&L->c.path, later < s->nmetrics ? "metrics" : "derived");
        rc = jxi_jfail(&L->c, JX_EDUPLICATE, s->metric_index[i].name, 1,
                       "\"%s\" is declared both as a metric and as a derived metric",
                       s->metric_index[i].name);
        jxi_path_pop(&L->c.path);
    }
    return rc;
}

int jxi_load_metrics(jxi_loader *L, json_t *root)
{
    jx_scheme *s = L->s;
    json_t *metrics = json_object_get(root, "metrics");
    json_t *derived = json_object_get(root, "derived");
    int rc = 0;
    if (!metrics)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                         "missing required key \"metrics\" (the figures the scheme reads)");
    if (!json_is_object(metrics))
        return jxi_jfail(&L->c, JX_ETYPE, "metrics", 0,
                         "\"metrics\" must be an object of name: {unit, type}, found %s",
                         jxi_jtype(&L->c, metrics));
    if (derived && !json_is_object(derived))
        return jxi_jfail(&L->c, JX_ETYPE, "derived", 0,
                         "\"derived\" must be an object of name: formula, found %s",
                         jxi_jtype(&L->c, derived));
    size_t nm = json_object_size(metrics), nd = derived ? json_object_size(derived) : 0;
    if (nm + nd > JXI_MAX_METRICS)
        return jxi_jfail(&L->c, JX_ELIMIT, "metrics", 0, "more than %d metrics",
                         JXI_MAX_METRICS);
    s->metrics = jxi_calloc(nm, sizeof *s->metrics);
    s->derived = jxi_calloc(nd, sizeof *s->derived);
    if (!s->metrics || !s->derived)
        return jxi_load_oom(L);

    const char *name;
    json_t *v;
    jxi_path_push_key(&L->c.path, "metrics");
    json_object_foreach(metrics, name, v) {
        jxi_metric *m = &s->metrics[s->nmetrics];
        if (!(m->name = jxi_strdup(name))) {
            jxi_path_pop(&L->c.path);
            return jxi_load_oom(L);
        }
        s->nmetrics++;
        if (!valid_name(name))
            rc = jxi_jfail(&L->c, JX_EVALUE, name, 1,
                           "a metric name must be non-empty, without control characters or ']'");
        jxi_path_push_key(&L->c.path, name);
        if (load_metric(L, name, v, m) < 0)
            rc = -1;
        jxi_path_pop(&L->c.path);
        if (L->c.nomem)
            break;
    }
    jxi_path_pop(&L->c.path);
    if (L->c.nomem)
        return JX_ENOMEM;

    if (derived) {
        int r = load_derived_names(L, derived);
        if (L->c.nomem)
            return JX_ENOMEM;
        if (r < 0)
            rc = r;
    }
    s->nslots = s->nmetrics + s->nderived;
    if (jxi_scheme_index_metrics(s) < 0)
        return jxi_load_oom(L);
    int dup = check_metric_names(L);
    return dup < 0 ? dup : rc;
}

/* The cycle that reaches derived metric `dep` again: it sits on the stack
 * from `dep` up to the top (`sp` entries in all). */
static int report_cycle(jxi_loader *L, const size_t *stack, size_t sp, size_t dep)
{
    const jx_scheme *s = L->s;
    jxi_buf b;
    jxi_buf_init(&b);
    size_t from = 0;
    while (stack[from] != dep)
        from++;
    for (size_t k = from; k < sp; k++) {
        jxi_buf_puts(&b, s->derived[stack[k]].name);
        jxi_buf_puts(&b, " -> ");
    }
    jxi_buf_puts(&b, s->derived[dep].name);
    jxi_path_push_key(&L->c.path, "derived");
    int rc = jxi_jfail(&L->c, JX_ECYCLE, s->derived[dep].name, 0,
                       "derived metrics depend on each other in a cycle: %s",
                       b.data ? b.data : "");
    jxi_path_pop(&L->c.path);
    jxi_buf_free(&b);
    return rc;
}

/* Order the compiled derived metrics (s->derived_order) so that each comes
 * after the derived metrics it reads: a depth-first topological sort with
 * an explicit stack, states 0 new, 1 on the stack, 2 done. */
static int order_derived(jxi_loader *L)
{
    jx_scheme *s = L->s;
    int rc = 0;
    size_t n = s->nderived;
    unsigned char *state = jxi_calloc(n, 1);
    size_t *stack = jxi_calloc(n, sizeof *stack);
    size_t *next = jxi_calloc(n, sizeof *next);
    s->derived_order = jxi_calloc(n, sizeof *s->derived_order);
    if (!state || !stack || !next || !s->derived_order) {
        jxi_free(state); jxi_free(stack); jxi_free(next);
        return jxi_load_oom(L);
    }
    size_t norder = 0;
    for (size_t start = 0; start < n && rc == 0; start++) {
        if (state[start])
            continue;
        size_t sp = 0;
        stack[sp++] = start;
        state[start] = 1;
        next[start] = 0;
        while (sp > 0 && rc == 0) {
            size_t d = stack[sp - 1];
            const jxi_expr *x = s->derived[d].expr;
            if (next[d] < jxi_expr_ref_count(x)) {
                int slot = jxi_expr_ref(x, next[d]++);
                if ((size_t)slot < s->nmetrics)
                    continue;
                size_t dep = (size_t)slot - s->nmetrics;
                if (state[dep] == 0) {
                    state[dep] = 1;
                    next[dep] = 0;
                    stack[sp++] = dep;
                } else if (state[dep] == 1) {
                    rc = report_cycle(L, stack, sp, dep);
                }
            } else {
                state[d] = 2;
                s->derived_order[norder++] = d;
                sp--;
            }
        }
    }
    jxi_free(state);
    jxi_free(stack);
    jxi_free(next);
    return rc;
}

/* Compile derived formulas and order them so that each comes after the
 * derived metrics it reads; a cycle is an error. */
int jxi_load_derived(jxi_loader *L, json_t *root)
{
    jx_scheme *s = L->s;
    json_t *derived = json_object_get(root, "derived");
    int rc = 0;
    if (!derived || s->nderived == 0)
        return 0;
    jxi_path_push_key(&L->c.path, "derived");
    for (size_t i = 0; i < s->nderived; i++) {
        jxi_derived *d = &s->derived[i];
        json_t *v = json_object_get(derived, d->name);
        if (jxi_load_formula(L, v, d->name, &d->expr) < 0)
            rc = -1;
        if (L->c.nomem)
            break;
    }
    jxi_path_pop(&L->c.path);
    if (rc < 0)
        return rc;
    return order_derived(L);
}
