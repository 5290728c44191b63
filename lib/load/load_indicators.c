/* The scheme's "indicators": the tree of indicators, each leaf with its
 * "value" formula and "rule", and the checks of the whole tree (see
 * lib/load/load.c). */
#include <math.h>
#include <string.h>

#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/loader.h"
#include "util/num.h"

static const char *const ind_keys[] = {"id", "name", "description", "max", "unit", "round",
                                       "value", "rule", "children", "not_applicable",
                                       "domain", NULL};

static int add_indicator(jxi_loader *L, size_t *index)
{
    jx_scheme *s = L->s;
    if (s->ninds >= JXI_MAX_INDICATORS)
        return jxi_jfail(&L->c, JX_ELIMIT, NULL, 0, "more than %d indicators",
                         JXI_MAX_INDICATORS);
    if (s->ninds == L->cap_inds) {
        size_t cap = L->cap_inds ? L->cap_inds * 2 : 32;
        jxi_indicator *ni = jxi_realloc(s->inds, cap * sizeof *ni);
        if (!ni)
            return jxi_load_oom(L);
        s->inds = ni;
        L->cap_inds = cap;
    }
    *index = s->ninds++;
    memset(&s->inds[*index], 0, sizeof s->inds[*index]);
    return 0;
}

/* An indicator with "children": no key of a leaf, and the children read
 * below it. `rc` is the indicator's result so far; returns it or a later
 * error. */
static int load_branch(jxi_loader *L, json_t *v, json_t *children, size_t i, int depth,
                       jxi_na na, int rc)
{
    jx_scheme *s = L->s;
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
        if (jxi_load_indicators(L, children, i, depth + 1, na) < 0)
            rc = -1;
        jxi_path_pop(&L->c.path);
    }
    jxi_indicator *d = &s->inds[i]; /* the array may have moved */
    d->end = s->ninds;
    d->rule.kind = JXI_RULE_NONE;
    return rc;
}

/* A leaf indicator: its "max", "round", "value" formula, "rule" and
 * "domain". `rc` is the indicator's result so far; returns it or a later
 * error. */
static int load_leaf(jxi_loader *L, json_t *v, size_t i, int rc)
{
    jx_scheme *s = L->s;
    jxi_indicator *d = &s->inds[i];
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
    if (val && jxi_load_formula(L, val, "value", &d->value) < 0)
        rc = -1;
    json_t *rule = json_object_get(v, "rule");
    if (!rule)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                         "missing required key \"rule\" (how a leaf is scored)");
    L->leaf_max = d->max;
    L->leaf_domain = (jxi_interval){0, INFINITY, 1, 0};
    if (json_object_get(v, "domain") && jxi_load_interval(L, v, "domain", &L->leaf_domain) < 0)
        rc = -1;
    d->rule.domain = L->leaf_domain;
    jxi_path_push_key(&L->c.path, "rule");
    if (jxi_load_rule(L, rule, &d->rule, 1) < 0)
        rc = -1;
    jxi_path_pop(&L->c.path);
    if (rc < 0)
        return rc;
    jxi_rule_kind k = d->rule.kind;
    if (jxi_load_value_use(L, k, d->value != NULL) < 0)
        return -1;
    if (k == JXI_RULE_ONE_OF && json_object_get(v, "round"))
        return jxi_jfail(&L->c, JX_EKEY, "round", 1,
                         "an either/or leaf rounds in its alternatives; move \"round\" there");
    if (json_object_get(v, "domain") && k != JXI_RULE_BANDS && k != JXI_RULE_ONE_OF)
        return jxi_jfail(&L->c, JX_EKEY, "domain", 1, "\"domain\" belongs to bands rules");
    return 0;
}

/* One indicator of an "indicators" or "children" array: the keys every
 * indicator has, then those of a parent or of a leaf. */
static int load_indicator(jxi_loader *L, json_t *v, size_t parent, int depth, jxi_na na)
{
    jx_scheme *s = L->s;
    if (!json_is_object(v))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "an indicator must be an object {\"id\", \"name\", ...}, found %s",
                         jxi_jtype(&L->c, v));
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
        return jxi_load_oom(L);
    if (!d->name && !(d->name = jxi_strdup("")))
        return jxi_load_oom(L);
    if (!d->unit && !(d->unit = jxi_strdup("")))
        return jxi_load_oom(L);
    if (json_object_get(v, "max")) {
        if (jxi_get_number(&L->c, v, "max", 1, &d->max) < 0)
            rc = -1;
        else if (d->max < 0)
            rc = jxi_jfail(&L->c, JX_EVALUE, "max", 0, "\"max\" must not be negative");
    }
    if (jxi_load_na(L, v, &na) < 0)
        rc = -1;
    d->na = na;

    json_t *children = json_object_get(v, "children");
    if (children)
        return load_branch(L, v, children, i, depth, na, rc);
    return load_leaf(L, v, i, rc);
}

int jxi_load_indicators(jxi_loader *L, json_t *arr, size_t parent, int depth, jxi_na na)
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
int jxi_load_check_tree(jxi_loader *L)
{
    jx_scheme *s = L->s;
    int rc = 0;
    if (jxi_scheme_index_indicators(s) < 0)
        return jxi_load_oom(L);
    for (size_t k = 1; k < s->ninds; k++) {
        if (strcmp(s->ind_index[k - 1].name, s->ind_index[k].name) != 0)
            continue;
        size_t a = s->ind_index[k - 1].index, b = s->ind_index[k].index;
        size_t later = a > b ? a : b, first = a > b ? b : a;
        jxi_path p, fp;
        jxi_path_of_indicator(s, later, &p);
        jxi_path_of_indicator(s, first, &fp);
        jxi_path_push_key(&p, "id");
        jxi_buf fb;
        jxi_buf_init(&fb);
        jxi_path_format(&fp, &fb);
        rc = jxi_jfail_at(&L->c, JX_EDUPLICATE, &p, "indicator id \"%s\" is already used at %s",
                          s->inds[later].id, fb.data ? fb.data : "");
        jxi_buf_free(&fb);
    }
    /* Children before parents: walk backwards summing into parents. */
    double *sum = jxi_calloc(s->ninds, sizeof *sum);
    if (!sum)
        return jxi_load_oom(L);
    for (size_t k = s->ninds; k-- > 0;) {
        jxi_indicator *d = &s->inds[k];
        if (!d->is_leaf) {
            if (isnan(d->max)) {
                d->max = jxi_snap(sum[k]);
            } else if (jxi_cmp(d->max, sum[k]) != 0) {
                char a[64], b[64];
                jxi_format_g(d->max, a, sizeof a);
                jxi_format_g(sum[k], b, sizeof b);
                jxi_path p;
                jxi_path_of_indicator(s, k, &p);
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
