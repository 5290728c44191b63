/* Scheme JSON -> compiled scheme. Everything is checked here, once, so
 * scoring never meets a malformed scheme. The format is documented in
 * docs/scheme-format.md. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/lint.h"
#include "load/load.h"
#include "util/num.h"

typedef struct loader {
    jxi_jctx c;
    jx_scheme *s;
    size_t cap_inds;
    jxi_path *ind_paths; /* where each indicator was, for later checks */
    double leaf_max;     /* the leaf being compiled, for rule checks */
    jxi_interval leaf_domain; /* its values' domain, for bands */
    int unnamed;         /* a buffer without a source name: no directory */
} loader;

static int oom(loader *L)
{
    return jxi_jfail(&L->c, JX_ENOMEM, NULL, 0, "out of memory");
}

/* ---- Formulas ----------------------------------------------------------- */

typedef struct resolve_ctx {
    const jx_scheme *s;
    char why[160];
} resolve_ctx;

static int resolve(void *ctx, const char *name, size_t len, const char **why)
{
    resolve_ctx *r = ctx;
    int slot = jxi_scheme_slot(r->s, name, len);
    if (slot < 0)
        return JXI_RESOLVE_UNKNOWN;
    if ((size_t)slot < r->s->nmetrics && r->s->metrics[slot].type == JX_METRIC_LEVEL) {
        snprintf(r->why, sizeof r->why,
                 "\"%s\" is a level metric: use it in a level rule, not in a formula",
                 r->s->metrics[slot].name);
        *why = r->why;
        return JXI_RESOLVE_UNUSABLE;
    }
    return slot;
}

/* Compile the formula string at obj[key] (or `v` itself when key is NULL
 * and the current path already points at it). */
static int compile_formula(loader *L, json_t *v, const char *key, jxi_expr **out)
{
    if (!json_is_string(v))
        return jxi_jfail(&L->c, JX_ETYPE, key, 0, "a formula must be a string, found %s",
                         jxi_json_type_name(v));
    resolve_ctx rc = {L->s, {0}};
    jxi_expr_error e;
    int r = jxi_expr_compile(json_string_value(v), json_string_length(v), resolve, &rc, out, &e);
    if (r == 0)
        return 0;
    /* A declared metric that cannot stand in a formula is a type error. */
    if (r == JX_EREF && rc.why[0])
        r = JX_ETYPE;
    const char *src = json_string_value(v);
    int col_in_formula = 1;
    for (size_t i = 0; i < e.offset && src[i]; i++)
        if (((unsigned char)src[i] & 0xC0) != 0x80)
            col_in_formula++;
    /* Point at the offending character inside the string literal, escapes
     * and all. */
    jxi_path p = L->c.path;
    if (key)
        jxi_path_push_key(&p, key);
    long quote = jxi_json_locate(L->c.text, L->c.len, &p, 0);
    long at = jxi_json_string_offset(L->c.text, L->c.len, quote, e.offset);
    return jxi_jfail_offset(&L->c, r, key, at >= 0 ? at : quote,
                            "%s (at character %d of formula \"%s\")", e.message, col_in_formula,
                            src);
}

/* ---- Metrics and derived metrics ---------------------------------------- */

static const char *const metric_keys[] = {"unit", "type", "levels", "description", NULL};

static int load_metric(loader *L, const char *name, json_t *def, jxi_metric *m)
{
    if (!json_is_object(def))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "metric \"%s\" must be an object such as {\"unit\": \"万元\"}, found %s",
                         name, jxi_json_type_name(def));
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
        return oom(L);
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
            return oom(L);
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
                    return oom(L);
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

static int load_metrics(loader *L, json_t *root)
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
                         jxi_json_type_name(metrics));
    if (derived && !json_is_object(derived))
        return jxi_jfail(&L->c, JX_ETYPE, "derived", 0,
                         "\"derived\" must be an object of name: formula, found %s",
                         jxi_json_type_name(derived));
    size_t nm = json_object_size(metrics), nd = derived ? json_object_size(derived) : 0;
    if (nm + nd > JXI_MAX_METRICS)
        return jxi_jfail(&L->c, JX_ELIMIT, "metrics", 0, "more than %d metrics",
                         JXI_MAX_METRICS);
    s->metrics = jxi_calloc(nm, sizeof *s->metrics);
    s->derived = jxi_calloc(nd, sizeof *s->derived);
    if (!s->metrics || !s->derived)
        return oom(L);

    const char *name;
    json_t *v;
    jxi_path_push_key(&L->c.path, "metrics");
    json_object_foreach(metrics, name, v) {
        jxi_metric *m = &s->metrics[s->nmetrics];
        if (!(m->name = jxi_strdup(name))) {
            jxi_path_pop(&L->c.path);
            return oom(L);
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
        json_object_foreach(derived, name, v) {
            jxi_derived *d = &s->derived[s->nderived];
            if (!(d->name = jxi_strdup(name)))
                return oom(L);
            s->nderived++;
            if (!valid_name(name)) {
                jxi_path_push_key(&L->c.path, "derived");
                rc = jxi_jfail(&L->c, JX_EVALUE, name, 1,
                               "a derived metric name must be non-empty, without control "
                               "characters or ']'");
                jxi_path_pop(&L->c.path);
            }
        }
    }
    s->nslots = s->nmetrics + s->nderived;
    if (jxi_scheme_index_metrics(s) < 0)
        return oom(L);
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

/* Compile derived formulas and order them so that each comes after the
 * derived metrics it reads; a cycle is an error. */
static int load_derived(loader *L, json_t *root)
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
        if (compile_formula(L, v, d->name, &d->expr) < 0)
            rc = -1;
        if (L->c.nomem)
            break;
    }
    jxi_path_pop(&L->c.path);
    if (rc < 0)
        return rc;

    /* Depth-first topological sort with an explicit stack: 0 new, 1 on the
     * stack, 2 done. */
    size_t n = s->nderived;
    unsigned char *state = jxi_calloc(n, 1);
    size_t *stack = jxi_calloc(n, sizeof *stack);
    size_t *next = jxi_calloc(n, sizeof *next);
    s->derived_order = jxi_calloc(n, sizeof *s->derived_order);
    if (!state || !stack || !next || !s->derived_order) {
        jxi_free(state); jxi_free(stack); jxi_free(next);
        return oom(L);
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
                    rc = jxi_jfail(&L->c, JX_ECYCLE, s->derived[dep].name, 0,
                                   "derived metrics depend on each other in a cycle: %s",
                                   b.data ? b.data : "");
                    jxi_path_pop(&L->c.path);
                    jxi_buf_free(&b);
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

/* ---- Rules -------------------------------------------------------------- */

static int parse_interval_at(loader *L, json_t *obj, const char *key, jxi_interval *iv)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return jxi_jfail(&L->c, JX_ETYPE, key, 0,
                         "\"%s\" must be a string such as \"(0, 10]\" or \">= 90\", found %s", key,
                         jxi_json_type_name(v));
    char why[320];
    if (jxi_interval_parse(json_string_value(v), iv, why, sizeof why) < 0)
        return jxi_jfail(&L->c, JX_EVALUE, key, 0, "%s", why);
    return 0;
}

static int parse_target(loader *L, json_t *obj, jxi_rule *r)
{
    jxi_interval iv;
    if (!json_object_get(obj, "target"))
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                         "missing required key \"target\" (e.g. \">= 100\" or \"<= 100\")");
    if (parse_interval_at(L, obj, "target", &iv) < 0)
        return -1;
    if (isinf(iv.hi) && iv.lo_incl) {
        r->op = JXI_OP_GE;
        r->target = iv.lo;
    } else if (isinf(iv.lo) && iv.hi_incl) {
        r->op = JXI_OP_LE;
        r->target = iv.hi;
    } else if (iv.lo == iv.hi) {
        r->op = JXI_OP_EQ;
        r->target = iv.lo;
    } else {
        return jxi_jfail(&L->c, JX_EVALUE, "target", 0,
                         "a target must be \">= T\", \"<= T\" or \"= T\", found \"%s\"",
                         json_string_value(json_object_get(obj, "target")));
    }
    return 0;
}

static int expect_object(loader *L, json_t *v, const char *kind)
{
    if (!json_is_object(v))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0, "a %s rule takes an object, found %s", kind,
                         jxi_json_type_name(v));
    return 0;
}

static int rule_deduct(loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"target", "per", "points", "steps", NULL};
    if (expect_object(L, v, "deduct") < 0)
        return -1;
    int rc = jxi_check_keys(&L->c, v, keys, "a deduct rule");
    if (parse_target(L, v, r) < 0)
        rc = -1;
    r->per = 1;
    if (jxi_get_number(&L->c, v, "per", 0, &r->per) < 0)
        rc = -1;
    else if (!(r->per > 0))
        rc = jxi_jfail(&L->c, JX_EVALUE, "per", 0, "\"per\" must be greater than 0");
    if (jxi_get_number(&L->c, v, "points", 1, &r->points) < 0)
        rc = -1;
    else if (r->points < 0)
        rc = jxi_jfail(&L->c, JX_EVALUE, "points", 0, "\"points\" must not be negative");
    char *steps = NULL;
    r->steps = JXI_STEPS_CONTINUOUS;
    int g = jxi_get_string(&L->c, v, "steps", 0, &steps);
    if (g < 0) {
        rc = -1;
    } else if (g == 0) {
        if (strcmp(steps, "continuous") == 0)
            r->steps = JXI_STEPS_CONTINUOUS;
        else if (strcmp(steps, "floor") == 0)
            r->steps = JXI_STEPS_FLOOR;
        else if (strcmp(steps, "ceil") == 0)
            r->steps = JXI_STEPS_CEIL;
        else
            rc = jxi_jfail(&L->c, JX_EVALUE, "steps", 0,
                           "unknown steps \"%s\"; expected continuous, floor or ceil", steps);
    }
    jxi_free(steps);
    return rc;
}

static int rule_ratio(loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"target", NULL};
    if (expect_object(L, v, "ratio") < 0)
        return -1;
    int rc = jxi_check_keys(&L->c, v, keys, "a ratio rule");
    if (parse_target(L, v, r) < 0)
        return -1;
    if (r->op != JXI_OP_LE && !(r->target > 0))
        rc = jxi_jfail(&L->c, JX_EVALUE, "target", 0,
                       "a ratio target \">= T\" or \"= T\" needs T greater than 0");
    if (r->op == JXI_OP_LE && r->target < 0)
        rc = jxi_jfail(&L->c, JX_EVALUE, "target", 0,
                       "a ratio target \"<= T\" needs T of at least 0");
    return rc;
}

static int cmp_band(const void *pa, const void *pb)
{
    const jxi_band *a = pa, *b = pb;
    if (a->iv.lo != b->iv.lo)
        return a->iv.lo < b->iv.lo ? -1 : 1;
    return (int)b->iv.lo_incl - (int)a->iv.lo_incl; /* [x before (x */
}

/* Report a gap between (c, c_incl) and the start of the next band. */
static int band_gap(loader *L, double lo, int lo_incl, double hi, int hi_incl, size_t at)
{
    jxi_buf b;
    jxi_buf_init(&b);
    jxi_buf_puts(&b, "the bands leave a gap: no band holds values ");
    jxi_interval g = {lo, hi, (unsigned char)lo_incl, (unsigned char)hi_incl};
    jxi_interval_print(&g, &b);
    jxi_buf_puts(&b, "; add a band, an {\"when\": \"else\"} band, or narrow the indicator's "
                     "\"domain\"");
    if (at != JX_NONE)
        jxi_path_push_index(&L->c.path, at);
    int rc = jxi_jfail(&L->c, JX_EBANDS, at != JX_NONE ? "when" : NULL, 0, "%s",
                       b.data ? b.data : "");
    if (at != JX_NONE)
        jxi_path_pop(&L->c.path);
    jxi_buf_free(&b);
    return rc;
}

/* Check that the bands cover the domain exactly once: clip each band to the
 * domain, sort by lower bound and sweep. */
static int check_band_cover(loader *L, const jxi_rule *r)
{
    const jxi_interval *dom = &r->domain;
    jxi_band *sorted = jxi_calloc(r->nbands, sizeof *sorted);
    if (!sorted)
        return oom(L);
    size_t n = 0;
    int has_else = 0;
    for (size_t i = 0; i < r->nbands; i++) {
        jxi_interval iv = r->bands[i].iv;
        if (r->bands[i].is_else) {
            has_else = 1;
            continue;
        }
        int c = jxi_cmp(iv.lo, dom->lo);
        if (c < 0 || (c == 0 && !dom->lo_incl)) {
            iv.lo = dom->lo;
            iv.lo_incl = dom->lo_incl;
        }
        c = jxi_cmp(iv.hi, dom->hi);
        if (c > 0 || (c == 0 && !dom->hi_incl)) {
            iv.hi = dom->hi;
            iv.hi_incl = dom->hi_incl;
        }
        c = jxi_cmp(iv.lo, iv.hi);
        if (c > 0 || (c == 0 && !(iv.lo_incl && iv.hi_incl))) {
            jxi_path_push_index(&L->c.path, i);
            jxi_jwarn(&L->c, "when", "this band lies outside the value's domain and never applies");
            jxi_path_pop(&L->c.path);
            continue;
        }
        sorted[n].iv = iv;
        sorted[n].score = (double)i; /* the band's place in the document */
        n++;
    }
    qsort(sorted, n, sizeof *sorted, cmp_band);
    /* Everything in the domain below c is covered; c itself iff c_incl. */
    double c = dom->lo;
    int c_incl = !dom->lo_incl;
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const jxi_interval *iv = &sorted[k].iv;
        size_t at = (size_t)sorted[k].score;
        int cmp = jxi_cmp(iv->lo, c);
        if (cmp > 0 || (cmp == 0 && !c_incl && !iv->lo_incl)) {
            if (!has_else)
                rc = band_gap(L, c, !c_incl, iv->lo, !iv->lo_incl, at);
        } else if (cmp < 0 || (cmp == 0 && c_incl && iv->lo_incl)) {
            jxi_buf b;
            jxi_buf_init(&b);
            jxi_buf_puts(&b, "this band overlaps another band at ");
            jxi_buf_number_g(&b, iv->lo);
            jxi_path_push_index(&L->c.path, at);
            rc = jxi_jfail(&L->c, JX_EBANDS, "when", 0, "%s", b.data ? b.data : "");
            jxi_path_pop(&L->c.path);
            jxi_buf_free(&b);
        }
        int hc = jxi_cmp(iv->hi, c);
        if (hc > 0) {
            c = iv->hi;
            c_incl = iv->hi_incl;
        } else if (hc == 0) {
            c_incl |= iv->hi_incl;
        }
    }
    if (rc == 0 && !has_else) {
        int hc = jxi_cmp(c, dom->hi);
        if (!(hc > 0 || (hc == 0 && (c_incl || !dom->hi_incl))))
            rc = band_gap(L, c, !c_incl, dom->hi, dom->hi_incl, JX_NONE);
    }
    jxi_free(sorted);
    return rc;
}

static int rule_bands(loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"when", "score", "fraction", NULL};
    if (!json_is_array(v) || json_array_size(v) == 0)
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "a bands rule takes a non-empty array of {\"when\", \"score\"}, found %s",
                         json_is_array(v) ? "an empty array" : jxi_json_type_name(v));
    size_t n = json_array_size(v);
    r->bands = jxi_calloc(n, sizeof *r->bands);
    if (!r->bands)
        return oom(L);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *b = json_array_get(v, i);
        jxi_band *bd = &r->bands[r->nbands++];
        jxi_path_push_index(&L->c.path, i);
        if (!json_is_object(b)) {
            rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                           "a band must be an object {\"when\": \"(0, 10]\", \"score\": 6}, found %s",
                           jxi_json_type_name(b));
            jxi_path_pop(&L->c.path);
            continue;
        }
        if (jxi_check_keys(&L->c, b, keys, "a band") < 0)
            rc = -1;
        json_t *when = json_object_get(b, "when");
        if (!when) {
            rc = jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "missing required key \"when\"");
        } else if (json_is_string(when) && strcmp(json_string_value(when), "else") == 0) {
            bd->is_else = 1;
            if (i + 1 != n)
                rc = jxi_jfail(&L->c, JX_EBANDS, "when", 0, "the \"else\" band must come last");
        } else if (parse_interval_at(L, b, "when", &bd->iv) < 0) {
            rc = -1;
        }
        int has_score = json_object_get(b, "score") != NULL;
        int has_fraction = json_object_get(b, "fraction") != NULL;
        if (has_score && has_fraction) {
            rc = jxi_jfail(&L->c, JX_EKEY, "fraction", 1,
                           "a band takes \"score\" (points) or \"fraction\" (of max), not both");
        } else if (!has_score && !has_fraction) {
            rc = jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                           "a band needs \"score\" (points) or \"fraction\" (of max)");
        } else if (has_score) {
            if (jxi_get_number(&L->c, b, "score", 1, &bd->score) < 0)
                rc = -1;
            else if (bd->score < 0 || jxi_cmp(bd->score, L->leaf_max) > 0)
                rc = jxi_jfail(&L->c, JX_EVALUE, "score", 0,
                               "a band score must lie between 0 and the indicator's max");
        } else {
            double f = 0;
            if (jxi_get_number(&L->c, b, "fraction", 1, &f) < 0)
                rc = -1;
            else if (f < 0 || f > 1)
                rc = jxi_jfail(&L->c, JX_EVALUE, "fraction", 0,
                               "a band fraction must lie between 0 and 1");
            bd->score = jxi_snap(f * L->leaf_max);
        }
        jxi_path_pop(&L->c.path);
    }
    if (rc == 0)
        rc = check_band_cover(L, r);
    return rc;
}

/* A metric named by a rule: it must exist and have the given type. */
static int rule_metric(loader *L, json_t *obj, const char *key, jx_metric_type type, int *slot)
{
    json_t *v = key ? json_object_get(obj, key) : obj;
    static const char *const tn[] = {"number", "bool", "level"};
    if (!v)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "missing required key \"%s\"", key);
    if (!json_is_string(v))
        return jxi_jfail(&L->c, JX_ETYPE, key, 0, "expected a metric name (a string), found %s",
                         jxi_json_type_name(v));
    const char *name = json_string_value(v);
    int s = jxi_scheme_slot(L->s, name, strlen(name));
    if (s < 0 || (size_t)s >= L->s->nmetrics)
        return jxi_jfail(&L->c, JX_EREF, key, 0, "unknown metric \"%s\"; declare it in \"metrics\"",
                         name);
    if (L->s->metrics[s].type != type)
        return jxi_jfail(&L->c, JX_ETYPE, key, 0, "metric \"%s\" must be of type %s", name,
                         tn[type]);
    *slot = s;
    return 0;
}

static int rule_checklist(loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"items", "each_missing", NULL};
    static const char *const item_keys[] = {"metric", "points", NULL};
    if (expect_object(L, v, "checklist") < 0)
        return -1;
    int rc = jxi_check_keys(&L->c, v, keys, "a checklist rule");
    r->each_missing = -1;
    if (json_object_get(v, "each_missing")) {
        if (jxi_get_number(&L->c, v, "each_missing", 1, &r->each_missing) < 0)
            rc = -1;
        else if (!(r->each_missing > 0))
            rc = jxi_jfail(&L->c, JX_EVALUE, "each_missing", 0,
                           "\"each_missing\" must be greater than 0");
    }
    json_t *items = json_object_get(v, "items");
    if (!items)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "missing required key \"items\"");
    if (!json_is_array(items) || json_array_size(items) == 0)
        return jxi_jfail(&L->c, JX_ETYPE, "items", 0,
                         "\"items\" must be a non-empty array of bool metrics");
    size_t n = json_array_size(items);
    r->items = jxi_calloc(n, sizeof *r->items);
    if (!r->items)
        return oom(L);
    int per_missing = json_object_get(v, "each_missing") != NULL;
    double sum = 0;
    jxi_path_push_key(&L->c.path, "items");
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        jxi_check_item *ci = &r->items[r->nitems++];
        jxi_path_push_index(&L->c.path, i);
        if (json_is_string(it)) {
            if (rule_metric(L, it, NULL, JX_METRIC_BOOL, &ci->slot) < 0)
                rc = -1;
            if (!per_missing)
                rc = jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                               "without \"each_missing\", an item is {\"metric\": ..., \"points\": ...}");
        } else if (json_is_object(it)) {
            if (jxi_check_keys(&L->c, it, item_keys, "a checklist item") < 0)
                rc = -1;
            if (rule_metric(L, it, "metric", JX_METRIC_BOOL, &ci->slot) < 0)
                rc = -1;
            if (per_missing) {
                if (json_object_get(it, "points"))
                    rc = jxi_jfail(&L->c, JX_EKEY, "points", 1,
                                   "items carry no \"points\" when \"each_missing\" is given");
            } else if (jxi_get_number(&L->c, it, "points", 1, &ci->points) < 0) {
                rc = -1;
            } else if (ci->points < 0) {
                rc = jxi_jfail(&L->c, JX_EVALUE, "points", 0, "\"points\" must not be negative");
            }
            sum += ci->points;
        } else {
            rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                           "a checklist item is a bool metric name or {\"metric\", \"points\"}, "
                           "found %s", jxi_json_type_name(it));
        }
        jxi_path_pop(&L->c.path);
    }
    jxi_path_pop(&L->c.path);
    if (rc == 0 && !per_missing && jxi_cmp(sum, L->leaf_max) != 0) {
        char a[64], b[64];
        jxi_format_g(sum, a, sizeof a);
        jxi_format_g(L->leaf_max, b, sizeof b);
        rc = jxi_jfail(&L->c, JX_ESUM, "items", 0,
                       "checklist points add up to %s but the indicator's max is %s", a, b);
    }
    return rc;
}

static int rule_count(loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"points", NULL};
    if (expect_object(L, v, "count") < 0)
        return -1;
    int rc = jxi_check_keys(&L->c, v, keys, "a count rule");
    if (jxi_get_number(&L->c, v, "points", 1, &r->points) < 0)
        rc = -1;
    else if (!(r->points > 0))
        rc = jxi_jfail(&L->c, JX_EVALUE, "points", 0, "\"points\" must be greater than 0");
    return rc;
}

static int rule_level(loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"metric", "fractions", "tiers", "percent", NULL};
    if (expect_object(L, v, "level") < 0)
        return -1;
    int rc = jxi_check_keys(&L->c, v, keys, "a level rule");
    if (rule_metric(L, v, "metric", JX_METRIC_LEVEL, &r->level_slot) < 0)
        return -1;
    const jxi_metric *m = &L->s->metrics[r->level_slot];
    json_t *fr = json_object_get(v, "fractions"), *tiers = json_object_get(v, "tiers");
    if (fr && tiers)
        return jxi_jfail(&L->c, JX_EKEY, "tiers", 1,
                         "a level rule takes \"fractions\" or \"tiers\", not both");
    if (!fr && !tiers)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                         "a level rule needs \"fractions\" (level -> share of max) or \"tiers\" "
                         "with \"percent\"");
    const char *key = fr ? "fractions" : "tiers";
    json_t *map = fr ? fr : tiers;
    if (!json_is_object(map))
        return jxi_jfail(&L->c, JX_ETYPE, key, 0, "\"%s\" must be an object keyed by level", key);
    r->nlevels_cache = m->nlevels;
    if (fr) {
        r->fractions = jxi_calloc(m->nlevels, sizeof *r->fractions);
        if (!r->fractions)
            return oom(L);
    } else {
        r->tiers = jxi_calloc(m->nlevels, sizeof *r->tiers);
        if (!r->tiers)
            return oom(L);
        if (rule_metric(L, v, "percent", JX_METRIC_NUMBER, &r->percent_slot) < 0)
            rc = -1;
    }
    jxi_path_push_key(&L->c.path, key);
    const char *lk;
    json_t *lv;
    json_object_foreach(map, lk, lv) {
        size_t k = 0;
        while (k < m->nlevels && strcmp(m->levels[k], lk) != 0)
            k++;
        if (k == m->nlevels) {
            rc = jxi_jfail(&L->c, JX_ELEVEL, lk, 1, "\"%s\" is not a level of metric \"%s\"", lk,
                           m->name);
            continue;
        }
        if (fr) {
            if (!json_is_number(lv) || json_number_value(lv) < 0 || json_number_value(lv) > 1)
                rc = jxi_jfail(&L->c, JX_EVALUE, lk, 0,
                               "a level's fraction must be a number from 0 to 1");
            else
                r->fractions[k] = json_number_value(lv);
        } else {
            if (parse_interval_at(L, map, lk, &r->tiers[k]) < 0)
                rc = -1;
            else if (r->tiers[k].lo < 0 || r->tiers[k].hi > 100)
                rc = jxi_jfail(&L->c, JX_EVALUE, lk, 0,
                               "a tier is a range of percent within [0, 100]");
        }
    }
    for (size_t k = 0; k < m->nlevels && rc == 0; k++)
        if (!json_object_get(map, m->levels[k]))
            rc = jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "level \"%s\" of metric \"%s\" has no %s",
                           m->levels[k], m->name, fr ? "fraction" : "tier");
    jxi_path_pop(&L->c.path);
    return rc;
}

static int load_rule(loader *L, json_t *v, jxi_rule *r, int allow_one_of);

static const char *const alt_keys[] = {"name", "value", "unit", "round", "rule", NULL};

/* Rules over a number need a "value"; rules that read their own metrics
 * must not have one. */
static int check_value_use(loader *L, jxi_rule_kind k, int has_value)
{
    int needs = k == JXI_RULE_DEDUCT || k == JXI_RULE_RATIO || k == JXI_RULE_BANDS ||
                k == JXI_RULE_COUNT || k == JXI_RULE_MANUAL;
    if (needs && !has_value)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "a %s rule needs a \"value\" formula",
                         jxi_rule_kind_name(k));
    if (has_value && (k == JXI_RULE_CHECKLIST || k == JXI_RULE_LEVEL || k == JXI_RULE_ONE_OF))
        return jxi_jfail(&L->c, JX_EKEY, "value", 1,
                         "a %s rule reads its own metrics; remove \"value\"",
                         jxi_rule_kind_name(k));
    return 0;
}

static int rule_one_of(loader *L, json_t *v, jxi_rule *r)
{
    if (!json_is_array(v) || json_array_size(v) < 2)
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "a one_of rule takes an array of at least two alternatives "
                         "{\"name\", \"value\", \"rule\"}");
    size_t n = json_array_size(v);
    r->alts = jxi_calloc(n, sizeof *r->alts);
    if (!r->alts)
        return oom(L);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(v, i);
        jxi_alt *alt = &r->alts[r->nalts++];
        alt->round = -1;
        jxi_path_push_index(&L->c.path, i);
        if (!json_is_object(a)) {
            rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0, "an alternative must be an object, found %s",
                           jxi_json_type_name(a));
            jxi_path_pop(&L->c.path);
            continue;
        }
        if (jxi_check_keys(&L->c, a, alt_keys, "an alternative") < 0)
            rc = -1;
        if (jxi_get_string(&L->c, a, "name", 1, &alt->name) < 0)
            rc = -1;
        if (jxi_get_string(&L->c, a, "unit", 0, &alt->unit) < 0)
            rc = -1;
        if (!alt->unit && !(alt->unit = jxi_strdup(""))) {
            jxi_path_pop(&L->c.path);
            return oom(L);
        }
        if (jxi_get_int(&L->c, a, "round", 0, 0, 9, &alt->round) < 0)
            rc = -1;
        json_t *val = json_object_get(a, "value");
        if (val && compile_formula(L, val, "value", &alt->value) < 0)
            rc = -1;
        json_t *rv = json_object_get(a, "rule");
        if (!rv) {
            rc = jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "missing required key \"rule\"");
        } else {
            jxi_path_push_key(&L->c.path, "rule");
            alt->rule.domain = L->leaf_domain;
            if (load_rule(L, rv, &alt->rule, 0) < 0)
                rc = -1;
            jxi_path_pop(&L->c.path);
            if (rc == 0 && check_value_use(L, alt->rule.kind, alt->value != NULL) < 0)
                rc = -1;
        }
        jxi_path_pop(&L->c.path);
        if (L->c.nomem)
            return JX_ENOMEM;
    }
    return rc;
}

static const char *const rule_kinds[] = {"deduct", "ratio", "bands", "checklist", "count",
                                         "level", "formula", "manual", "one_of", NULL};

static int load_rule(loader *L, json_t *v, jxi_rule *r, int allow_one_of)
{
    if (!json_is_object(v))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "a rule must be an object with one key naming its kind, e.g. "
                         "{\"deduct\": {...}}, found %s", jxi_json_type_name(v));
    if (json_object_size(v) != 1)
        return jxi_jfail(&L->c, json_object_size(v) ? JX_EKEY : JX_EREQUIRED, NULL, 0,
                         "a rule must have exactly one key naming its kind (deduct, ratio, bands, "
                         "checklist, count, level, formula, manual, one_of), found %zu",
                         json_object_size(v));
    const char *kind = json_object_iter_key(json_object_iter(v));
    json_t *body = json_object_iter_value(json_object_iter(v));
    int k = 0;
    while (rule_kinds[k] && strcmp(rule_kinds[k], kind) != 0)
        k++;
    if (!rule_kinds[k])
        return jxi_jfail(&L->c, JX_EKEY, kind, 1,
                         "unknown rule kind \"%s\"; expected one of: deduct, ratio, bands, "
                         "checklist, count, level, formula, manual, one_of", kind);
    r->kind = (jxi_rule_kind)(k + 1);
    jxi_path_push_key(&L->c.path, kind);
    int rc;
    switch (r->kind) {
    case JXI_RULE_DEDUCT: rc = rule_deduct(L, body, r); break;
    case JXI_RULE_RATIO: rc = rule_ratio(L, body, r); break;
    case JXI_RULE_BANDS: rc = rule_bands(L, body, r); break;
    case JXI_RULE_CHECKLIST: rc = rule_checklist(L, body, r); break;
    case JXI_RULE_COUNT: rc = rule_count(L, body, r); break;
    case JXI_RULE_LEVEL: rc = rule_level(L, body, r); break;
    case JXI_RULE_FORMULA: rc = compile_formula(L, body, NULL, &r->expr); break;
    case JXI_RULE_MANUAL:
        rc = expect_object(L, body, "manual");
        if (rc == 0 && json_object_size(body) != 0)
            rc = jxi_jfail(&L->c, JX_EKEY, json_object_iter_key(json_object_iter(body)), 1,
                           "a manual rule takes no keys: the indicator's value is the score");
        break;
    case JXI_RULE_ONE_OF:
        rc = allow_one_of ? rule_one_of(L, body, r)
                          : jxi_jfail(&L->c, JX_EVALUE, NULL, 0,
                                      "one_of alternatives cannot nest another one_of");
        break;
    default: rc = -1; break;
    }
    jxi_path_pop(&L->c.path);
    return rc < 0 ? rc : 0;
}

/* ---- Indicators --------------------------------------------------------- */

static const char *const ind_keys[] = {"id", "name", "description", "max", "unit", "round",
                                       "value", "rule", "children", "not_applicable",
                                       "domain", NULL};

static int parse_na(loader *L, json_t *obj, jxi_na *na)
{
    char *s = NULL;
    int g = jxi_get_string(&L->c, obj, "not_applicable", 0, &s);
    if (g != 0)
        return g < 0 ? g : 0;
    int rc = 0;
    if (strcmp(s, "rescale") == 0)
        *na = JXI_NA_RESCALE;
    else if (strcmp(s, "full") == 0)
        *na = JXI_NA_FULL;
    else if (strcmp(s, "zero") == 0)
        *na = JXI_NA_ZERO;
    else
        rc = jxi_jfail(&L->c, JX_EVALUE, "not_applicable", 0,
                       "unknown not_applicable policy \"%s\"; expected rescale, full or zero", s);
    jxi_free(s);
    return rc;
}

static int add_indicator(loader *L, size_t *index)
{
    jx_scheme *s = L->s;
    if (s->ninds >= JXI_MAX_INDICATORS)
        return jxi_jfail(&L->c, JX_ELIMIT, NULL, 0, "more than %d indicators",
                         JXI_MAX_INDICATORS);
    if (s->ninds == L->cap_inds) {
        size_t cap = L->cap_inds ? L->cap_inds * 2 : 32;
        jxi_indicator *ni = jxi_realloc(s->inds, cap * sizeof *ni);
        if (!ni)
            return oom(L);
        s->inds = ni;
        jxi_path *np = jxi_realloc(L->ind_paths, cap * sizeof *np);
        if (!np)
            return oom(L);
        L->ind_paths = np;
        L->cap_inds = cap;
    }
    *index = s->ninds++;
    memset(&s->inds[*index], 0, sizeof s->inds[*index]);
    L->ind_paths[*index] = L->c.path;
    return 0;
}

static int load_indicators(loader *L, json_t *arr, size_t parent, int depth, jxi_na na);

static int load_indicator(loader *L, json_t *v, size_t parent, int depth, jxi_na na)
{
    jx_scheme *s = L->s;
    if (!json_is_object(v))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "an indicator must be an object {\"id\", \"name\", ...}, found %s",
                         jxi_json_type_name(v));
    size_t i = 0;
    if (add_indicator(L, &i) < 0)
        return -1;
    jxi_indicator *d = &s->inds[i];
    d->parent = parent;
    d->depth = depth;
    d->round = -1;
    d->max = NAN;
    int rc = jxi_check_keys(&L->c, v, ind_keys, "an indicator");
    if (jxi_get_string(&L->c, v, "id", 1, &d->id) < 0)
        rc = -1;
    else if (!d->id[0])
        rc = jxi_jfail(&L->c, JX_EVALUE, "id", 0, "an indicator id must not be empty");
    if (jxi_get_string(&L->c, v, "name", 1, &d->name) < 0)
        rc = -1;
    if (jxi_get_string(&L->c, v, "unit", 0, &d->unit) < 0)
        rc = -1;
    char *desc = NULL;
    if (jxi_get_string(&L->c, v, "description", 0, &desc) < 0)
        rc = -1;
    jxi_free(desc);
    if (!d->id && !(d->id = jxi_strdup("")))
        return oom(L);
    if (!d->name && !(d->name = jxi_strdup("")))
        return oom(L);
    if (!d->unit && !(d->unit = jxi_strdup("")))
        return oom(L);
    if (json_object_get(v, "max")) {
        if (jxi_get_number(&L->c, v, "max", 1, &d->max) < 0)
            rc = -1;
        else if (d->max < 0)
            rc = jxi_jfail(&L->c, JX_EVALUE, "max", 0, "\"max\" must not be negative");
    }
    if (parse_na(L, v, &na) < 0)
        rc = -1;
    d->na = na;

    json_t *children = json_object_get(v, "children");
    if (children) {
        static const char *const leaf_only[] = {"rule", "value", "round", "domain"};
        for (size_t k = 0; k < sizeof leaf_only / sizeof *leaf_only; k++)
            if (json_object_get(v, leaf_only[k]))
                rc = jxi_jfail(&L->c, JX_EKEY, leaf_only[k], 1,
                               "\"%s\" belongs to leaf indicators; this one has children",
                               leaf_only[k]);
        if (!json_is_array(children) || json_array_size(children) == 0) {
            rc = jxi_jfail(&L->c, JX_ETYPE, "children", 0,
                           "\"children\" must be a non-empty array of indicators");
        } else if (depth + 1 >= JXI_MAX_DEPTH) {
            rc = jxi_jfail(&L->c, JX_ELIMIT, "children", 0,
                           "indicators nest deeper than %d levels", JXI_MAX_DEPTH);
        } else {
            jxi_path_push_key(&L->c.path, "children");
            if (load_indicators(L, children, i, depth + 1, na) < 0)
                rc = -1;
            jxi_path_pop(&L->c.path);
        }
        d = &s->inds[i]; /* the array may have moved */
        d->end = s->ninds;
        d->rule.kind = JXI_RULE_NONE;
        return rc;
    }

    d->is_leaf = 1;
    d->end = i + 1;
    s->nleaves++;
    if (isnan(d->max)) {
        rc = jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                       "missing required key \"max\" (a leaf indicator's points)");
        d->max = 0;
    }
    if (jxi_get_int(&L->c, v, "round", 0, 0, 9, &d->round) < 0)
        rc = -1;
    json_t *val = json_object_get(v, "value");
    if (val && compile_formula(L, val, "value", &d->value) < 0)
        rc = -1;
    json_t *rule = json_object_get(v, "rule");
    if (!rule)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                         "missing required key \"rule\" (how a leaf is scored)");
    L->leaf_max = d->max;
    L->leaf_domain = (jxi_interval){0, INFINITY, 1, 0};
    if (json_object_get(v, "domain") && parse_interval_at(L, v, "domain", &L->leaf_domain) < 0)
        rc = -1;
    d->rule.domain = L->leaf_domain;
    jxi_path_push_key(&L->c.path, "rule");
    if (load_rule(L, rule, &d->rule, 1) < 0)
        rc = -1;
    jxi_path_pop(&L->c.path);
    if (rc < 0)
        return rc;
    jxi_rule_kind k = d->rule.kind;
    if (check_value_use(L, k, d->value != NULL) < 0)
        return -1;
    if (k == JXI_RULE_ONE_OF && json_object_get(v, "round"))
        return jxi_jfail(&L->c, JX_EKEY, "round", 1,
                         "an either/or leaf rounds in its alternatives; move \"round\" there");
    if (json_object_get(v, "domain") && k != JXI_RULE_BANDS && k != JXI_RULE_ONE_OF)
        return jxi_jfail(&L->c, JX_EKEY, "domain", 1, "\"domain\" belongs to bands rules");
    return 0;
}

static int load_indicators(loader *L, json_t *arr, size_t parent, int depth, jxi_na na)
{
    int rc = 0;
    for (size_t k = 0; k < json_array_size(arr); k++) {
        jxi_path_push_index(&L->c.path, k);
        if (load_indicator(L, json_array_get(arr, k), parent, depth, na) < 0)
            rc = -1;
        jxi_path_pop(&L->c.path);
        if (L->c.nomem)
            return JX_ENOMEM;
    }
    return rc;
}

/* Ids unique; parents' maxima are their children's sums; leaves add up to
 * the total. */
static int check_tree(loader *L)
{
    jx_scheme *s = L->s;
    int rc = 0;
    if (jxi_scheme_index_indicators(s) < 0)
        return oom(L);
    for (size_t k = 1; k < s->ninds; k++) {
        if (strcmp(s->ind_index[k - 1].name, s->ind_index[k].name) != 0)
            continue;
        size_t a = s->ind_index[k - 1].index, b = s->ind_index[k].index;
        size_t later = a > b ? a : b, first = a > b ? b : a;
        jxi_path p = L->ind_paths[later];
        jxi_path_push_key(&p, "id");
        jxi_buf fb;
        jxi_buf_init(&fb);
        jxi_path_format(&L->ind_paths[first], &fb);
        rc = jxi_jfail_at(&L->c, JX_EDUPLICATE, &p, "indicator id \"%s\" is already used at %s",
                          s->inds[later].id, fb.data ? fb.data : "");
        jxi_buf_free(&fb);
    }
    /* Children before parents: walk backwards summing into parents. */
    double *sum = jxi_calloc(s->ninds, sizeof *sum);
    if (!sum)
        return oom(L);
    for (size_t k = s->ninds; k-- > 0;) {
        jxi_indicator *d = &s->inds[k];
        if (!d->is_leaf) {
            if (isnan(d->max)) {
                d->max = jxi_snap(sum[k]);
            } else if (jxi_cmp(d->max, sum[k]) != 0) {
                char a[64], b[64];
                jxi_format_g(d->max, a, sizeof a);
                jxi_format_g(sum[k], b, sizeof b);
                jxi_path p = L->ind_paths[k];
                jxi_path_push_key(&p, "max");
                rc = jxi_jfail_at(&L->c, JX_ESUM, &p,
                                  "indicator \"%s\" has max %s but its children add up to %s",
                                  d->id, a, b);
                d->max = jxi_snap(sum[k]);
            }
        }
        if (d->parent != JX_NONE)
            sum[d->parent] += d->max;
    }
    double leaves = 0;
    for (size_t k = 0; k < s->ninds; k++)
        if (s->inds[k].is_leaf)
            leaves += s->inds[k].max;
    jxi_free(sum);
    if (rc == 0 && jxi_cmp(leaves, s->total) != 0) {
        char a[64], b[64];
        jxi_format_g(leaves, a, sizeof a);
        jxi_format_g(s->total, b, sizeof b);
        rc = jxi_jfail(&L->c, JX_ESUM, "indicators", 0,
                       "the leaf indicators' maxima add up to %s, but \"total\" is %s", a, b);
    }
    return rc;
}

/* ---- Grades ------------------------------------------------------------- */

static int default_grades(loader *L)
{
    static const char *const labels[] = {"优", "良", "中", "差"};
    static const double mins[] = {90, 80, 60, 0};
    jx_scheme *s = L->s;
    s->grades = jxi_calloc(4, sizeof *s->grades);
    if (!s->grades)
        return oom(L);
    for (size_t g = 0; g < 4; g++) {
        s->grades[g].min = mins[g] / 100 * s->total;
        if (!(s->grades[g].label = jxi_strdup(labels[g])))
            return oom(L);
        s->ngrades++;
    }
    return 0;
}

static int load_grades(loader *L, json_t *root)
{
    static const char *const keys[] = {"label", "min", "if_missing", NULL};
    jx_scheme *s = L->s;
    json_t *grades = json_object_get(root, "grades");
    if (!grades)
        return default_grades(L);
    if (!json_is_array(grades) || json_array_size(grades) == 0)
        return jxi_jfail(&L->c, JX_ETYPE, "grades", 0,
                         "\"grades\" must be a non-empty array of {\"label\", \"min\"}, best first");
    size_t n = json_array_size(grades);
    s->grades = jxi_calloc(n, sizeof *s->grades);
    if (!s->grades)
        return oom(L);
    int rc = 0;
    jxi_path_push_key(&L->c.path, "grades");
    double prev = INFINITY;
    size_t lowest = 0;
    int numeric_seen = 0;
    for (size_t g = 0; g < n; g++) {
        json_t *v = json_array_get(grades, g);
        jxi_grade *gr = &s->grades[s->ngrades++];
        jxi_path_push_index(&L->c.path, g);
        if (!json_is_object(v)) {
            rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0, "a grade must be an object {\"label\", \"min\"}");
            jxi_path_pop(&L->c.path);
            continue;
        }
        if (jxi_check_keys(&L->c, v, keys, "a grade") < 0)
            rc = -1;
        if (jxi_get_string(&L->c, v, "label", 1, &gr->label) < 0)
            rc = -1;
        json_t *ifm = json_object_get(v, "if_missing");
        if (ifm && numeric_seen)
            rc = jxi_jfail(&L->c, JX_EGRADES, "if_missing", 1,
                           "a grade with \"if_missing\" overrides the cut-offs and must come "
                           "before every grade with a \"min\"");
        if (ifm) {
            /* An override grade: no cut-off of its own. */
            if (json_object_get(v, "min"))
                rc = jxi_jfail(&L->c, JX_EKEY, "min", 1,
                               "a grade with \"if_missing\" overrides the number and takes no \"min\"");
            if (!json_is_array(ifm) || json_array_size(ifm) == 0) {
                rc = jxi_jfail(&L->c, JX_ETYPE, "if_missing", 0,
                               "\"if_missing\" must be a non-empty array of indicator ids");
            } else {
                gr->if_missing = jxi_calloc(json_array_size(ifm), sizeof *gr->if_missing);
                if (!gr->if_missing) {
                    jxi_path_pop(&L->c.path);
                    jxi_path_pop(&L->c.path);
                    return oom(L);
                }
                jxi_path_push_key(&L->c.path, "if_missing");
                for (size_t k = 0; k < json_array_size(ifm); k++) {
                    json_t *id = json_array_get(ifm, k);
                    jxi_path_push_index(&L->c.path, k);
                    size_t at = json_is_string(id) ? jxi_scheme_find_indicator(s, json_string_value(id))
                                                   : JX_NONE;
                    if (!json_is_string(id))
                        rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0, "expected an indicator id");
                    else if (at == JX_NONE)
                        rc = jxi_jfail(&L->c, JX_EREF, NULL, 0, "no indicator has id \"%s\"",
                                       json_string_value(id));
                    else
                        gr->if_missing[gr->nif_missing++] = at;
                    jxi_path_pop(&L->c.path);
                }
                jxi_path_pop(&L->c.path);
            }
            gr->min = NAN;
            jxi_path_pop(&L->c.path);
            continue;
        }
        numeric_seen = 1;
        if (jxi_get_number(&L->c, v, "min", 1, &gr->min) < 0) {
            rc = -1;
        } else if (!(jxi_cmp(gr->min, prev) < 0)) {
            rc = jxi_jfail(&L->c, JX_EGRADES, "min", 0,
                           "grades must be listed best first with strictly falling \"min\"");
        } else {
            prev = gr->min;
            lowest = g;
        }
        jxi_path_pop(&L->c.path);
    }
    if (rc == 0) {
        if (isinf(prev)) {
            rc = jxi_jfail(&L->c, JX_EGRADES, NULL, 0, "at least one grade needs a \"min\"");
        } else if (jxi_cmp(prev, 0) > 0) {
            jxi_path_push_index(&L->c.path, lowest);
            rc = jxi_jfail(&L->c, JX_EGRADES, "min", 0,
                           "the lowest grade's \"min\" must be 0 or less, so that every total "
                           "has a grade");
            jxi_path_pop(&L->c.path);
        }
    }
    jxi_path_pop(&L->c.path);
    return rc;
}

/* ---- Extraction profile ------------------------------------------------- */

/* "extract" is the profile itself, or the name of a file holding it,
 * relative to the scheme's own file. */
#ifdef JX_NO_EXTRACT
/* Built without text extraction: the scheme still scores; jx_extract says
 * JX_EUNSUPPORTED when asked. */
static int load_extract(loader *L, json_t *v)
{
    (void)L;
    (void)v;
    return 0;
}
#else
/* Why a profile file name is refused, or NULL. The name may only lead
 * into the scheme's own directory: an absolute name or a ".." step would
 * let a scheme from outside make the library open any file of the host. */
static const char *profile_name_problem(const char *name)
{
    if (!name[0])
        return "is empty";
    if (name[0] == '/')
        return "is an absolute path";
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return "has a \"..\" step";
        p += n;
        p += *p == '/';
    }
    return NULL;
}

static int load_extract(loader *L, json_t *v)
{
    jxi_path_push_key(&L->c.path, "extract");
    if (!json_is_string(v)) {
        int rc = jxi_profile_load(&L->c, v, L->s, &L->s->extract);
        jxi_path_pop(&L->c.path);
        return rc;
    }
    const char *name = json_string_value(v);
    const char *why = profile_name_problem(name);
    if (why || L->unnamed) {
        int rc = why ? jxi_jfail(&L->c, JX_EVALUE, NULL, 0,
                                 "\"extract\" must name the profile file relative to the "
                                 "scheme's directory, without \"..\" steps; \"%s\" %s",
                                 name, why)
                     : jxi_jfail(&L->c, JX_EVALUE, NULL, 0,
                                 "\"extract\" names the profile file \"%s\", but a scheme "
                                 "loaded from a buffer without a source name has no directory "
                                 "to find it in; give the profile inline as an object",
                                 name);
        jxi_path_pop(&L->c.path);
        return rc;
    }
    char path[4096];
    const char *slash = strrchr(L->c.source, '/');
    if (!slash)
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - L->c.source), L->c.source, name);
    char *buf = NULL;
    size_t len = 0;
    jx_error e;
    if (jxi_read_file(path, &buf, &len, &e) < 0) {
        int rc = jxi_jfail(&L->c, e.code, NULL, 0, "extraction profile \"%s\": %s", path,
                           e.message);
        jxi_path_pop(&L->c.path);
        return rc;
    }
    jxi_path_pop(&L->c.path);
    /* Errors inside the profile file are reported against that file; its
     * text is never quoted (it may not be a profile at all). */
    jxi_jctx c = L->c;
    c.text = buf;
    c.len = len;
    c.source = path;
    c.unquoted = 1;
    c.path.depth = 0;
    c.path.overflow = 0;
    c.failed = 0;
    json_t *root = jxi_json_parse(&c);
    int rc = root ? jxi_profile_load(&c, root, L->s, &L->s->extract) : -1;
    json_decref(root);
    L->c.failed += c.failed;
    L->c.nomem |= c.nomem;
    /* The file name in a message must outlive the buffer; it is the error's
     * own copy, so only the text goes. */
    jxi_free(buf);
    return rc;
}
#endif

/* ---- The document ------------------------------------------------------- */

static const char *const top_keys[] = {"jixiao", "id", "title", "description", "total",
                                       "precision", "not_applicable", "lang", "grades",
                                       "metrics", "derived", "indicators", "extract", NULL};

static int load_top(loader *L, json_t *root)
{
    jx_scheme *s = L->s;
    int rc = jxi_check_keys(&L->c, root, top_keys, "a scheme");
    json_t *ver = json_object_get(root, "jixiao");
    if (!ver) {
        /* Without the format marker nothing else can be trusted. */
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                         "missing required key \"jixiao\" (the scheme format version, 1)");
    }
    if (!json_is_integer(ver))
        return jxi_jfail(&L->c, JX_ETYPE, "jixiao", 0,
                         "\"jixiao\" is the format version, an integer, found %s",
                         jxi_json_type_name(ver));
    if (json_integer_value(ver) != 1)
        return jxi_jfail(&L->c, JX_EVALUE, "jixiao", 0,
                         "unsupported scheme format version %lld; this library reads version 1",
                         (long long)json_integer_value(ver));
    if (jxi_get_string(&L->c, root, "id", 1, &s->id) < 0)
        rc = -1;
    if (jxi_get_string(&L->c, root, "title", 1, &s->title) < 0)
        rc = -1;
    char *desc = NULL;
    if (jxi_get_string(&L->c, root, "description", 0, &desc) < 0)
        rc = -1;
    jxi_free(desc);
    s->total = 100;
    if (jxi_get_number(&L->c, root, "total", 0, &s->total) < 0)
        rc = -1;
    else if (!(s->total > 0))
        rc = jxi_jfail(&L->c, JX_EVALUE, "total", 0, "\"total\" must be greater than 0");
    s->precision = 2;
    if (jxi_get_int(&L->c, root, "precision", 0, 0, 6, &s->precision) < 0)
        rc = -1;
    s->na = JXI_NA_RESCALE;
    if (parse_na(L, root, &s->na) < 0)
        rc = -1;
    if (jxi_get_string(&L->c, root, "lang", 0, &s->lang) < 0)
        rc = -1;
    else if (s->lang && strcmp(s->lang, "zh") != 0 && strcmp(s->lang, "en") != 0)
        rc = jxi_jfail(&L->c, JX_EVALUE, "lang", 0, "unknown lang \"%s\"; expected zh or en",
                       s->lang);
    if (!s->lang && !(s->lang = jxi_strdup("zh")))
        return oom(L);
    if (!s->id && !(s->id = jxi_strdup("")))
        return oom(L);
    if (!s->title && !(s->title = jxi_strdup("")))
        return oom(L);
    return rc;
}

jx_scheme *jxi_scheme_load(const char *text, size_t len, const char *source, jx_error *err,
                           jxi_diag_fn diag, void *diag_ctx)
{
    return jxi_scheme_load_ex(text, len, source, 0, err, diag, diag_ctx);
}

jx_scheme *jxi_scheme_load_ex(const char *text, size_t len, const char *source, unsigned flags,
                              jx_error *err, jxi_diag_fn diag, void *diag_ctx)
{
    loader L;
    jx_error local;
    memset(&L, 0, sizeof L);
    L.c.zh = (flags & JX_LOAD_LANG_ZH) != 0;
    L.c.text = text;
    L.c.len = len;
    L.c.source = source ? source : "<string>";
    L.unnamed = !source || !source[0];
    L.c.err = err ? err : &local;
    L.c.diag = diag;
    L.c.diag_ctx = diag_ctx;
    if (len > JXI_MAX_FILE_SIZE) {
        jxi_error_set(L.c.err, JX_ELIMIT, "scheme larger than the limit of %u bytes",
                      (unsigned)JXI_MAX_FILE_SIZE);
        jxi_error_source(L.c.err, L.c.source);
        if (diag)
            diag(diag_ctx, JXI_SEV_ERROR, L.c.err);
        return NULL;
    }
    json_t *root = jxi_json_parse(&L.c);
    if (!root)
        return NULL;
    jx_scheme *s = jxi_calloc(1, sizeof *s);
    if (!s) {
        json_decref(root);
        oom(&L);
        return NULL;
    }
    atomic_init(&s->refs, 1);
    L.s = s;
    s->source = jxi_strdup(L.c.source);
    if (!s->source)
        oom(&L);

    if (!L.c.nomem && load_top(&L, root) == 0 && !L.c.nomem) {
        if (load_metrics(&L, root) == 0 && !L.c.nomem)
            load_derived(&L, root);
        json_t *inds = json_object_get(root, "indicators");
        if (L.c.nomem) {
            /* stop */
        } else if (!inds) {
            jxi_jfail(&L.c, JX_EREQUIRED, NULL, 0, "missing required key \"indicators\"");
        } else if (!json_is_array(inds) || json_array_size(inds) == 0) {
            jxi_jfail(&L.c, JX_ETYPE, "indicators", 0,
                      "\"indicators\" must be a non-empty array of indicators");
        } else if (s->metric_index) {
            jxi_path_push_key(&L.c.path, "indicators");
            load_indicators(&L, inds, JX_NONE, 0, s->na);
            jxi_path_pop(&L.c.path);
            if (!L.c.nomem && L.c.failed == 0)
                check_tree(&L);
            if (!L.c.nomem && L.c.failed == 0)
                load_grades(&L, root);
            if (!L.c.nomem && L.c.failed == 0 && json_object_get(root, "extract"))
                load_extract(&L, json_object_get(root, "extract"));
            if (!L.c.nomem && L.c.failed == 0 && diag)
                jxi_lint_warnings(&L.c, s, L.ind_paths);
        }
    }
    if (!L.c.failed && jxi_scheme_digest_json(root, s->digest) < 0)
        oom(&L);
    json_decref(root);
    jxi_free(L.ind_paths);
    if (L.c.failed) {
        jxi_scheme_destroy(s);
        return NULL;
    }
    return s;
}

JX_API jx_scheme *jx_scheme_load_buffer(const char *buf, size_t len, const char *source,
                                        unsigned flags, jx_error *err)
{
    if (!buf) {
        jxi_error_set(err, JX_EARG, "no buffer given");
        return NULL;
    }
    return jxi_scheme_load_ex(buf, len, source, flags, err, NULL, NULL);
}

JX_API jx_scheme *jx_scheme_load_file(const char *path, unsigned flags, jx_error *err)
{
    if (!path) {
        jxi_error_set(err, JX_EARG, "no path given");
        return NULL;
    }
    char *buf;
    size_t len;
    if (jxi_read_file(path, &buf, &len, err) < 0)
        return NULL;
    jx_scheme *s = jxi_scheme_load_ex(buf, len, path, flags, err, NULL, NULL);
    jxi_free(buf);
    return s;
}
