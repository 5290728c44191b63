/* The "rule" object of a leaf indicator or of a one_of alternative: one
 * key naming the kind, the kind's body (see lib/load/load.c; bands rules
 * are read in lib/load/load_bands.c). */
#include <math.h>
#include <string.h>

#include "compile/rules.h"
#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/loader.h"
#include "util/num.h"

static int parse_target(jxi_loader *L, json_t *obj, jxi_rule *r)
{
    jxi_interval iv;
    if (!json_object_get(obj, "target"))
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0,
                         "missing required key \"target\" (e.g. \">= 100\" or \"<= 100\")");
    if (jxi_load_interval(L, obj, "target", &iv) < 0)
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

static int expect_object(jxi_loader *L, json_t *v, const char *kind)
{
    if (!json_is_object(v))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0, "a %s rule takes an object, found %s", kind,
                         jxi_jtype(&L->c, v));
    return 0;
}

static int rule_deduct(jxi_loader *L, json_t *v, jxi_rule *r)
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

/* A ratio's "over": {"beyond": P, "fraction": F}, for ">= T" targets. */
static int ratio_over(jxi_loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"beyond", "fraction", NULL};
    json_t *o = json_object_get(v, "over");
    if (!o)
        return 0;
    if (r->op != JXI_OP_GE)
        return jxi_jfail(&L->c, JX_EVALUE, "over", 1,
                         "\"over\" caps over-achievement: it needs a \">= T\" target");
    if (!json_is_object(o))
        return jxi_jfail(&L->c, JX_ETYPE, "over", 0, "\"over\" takes an object "
                         "{\"beyond\": percent, \"fraction\": share of the max}, found %s",
                         jxi_json_type_name(o));
    jxi_path_push_key(&L->c.path, "over");
    double beyond = 0;
    int rc = jxi_check_keys(&L->c, o, keys, "\"over\"");
    if (jxi_get_number(&L->c, o, "beyond", 1, &beyond) < 0
        || jxi_get_number(&L->c, o, "fraction", 1, &r->over_fraction) < 0)
        rc = -1;
    else if (!(beyond >= 0))
        rc = jxi_jfail(&L->c, JX_EVALUE, "beyond", 0,
                       "\"beyond\" is the percent of the target beyond which the cap applies: "
                       "0 or more");
    else if (!(r->over_fraction >= 0 && r->over_fraction <= 1))
        rc = jxi_jfail(&L->c, JX_EVALUE, "fraction", 0,
                       "\"fraction\" is the share of the max a value beyond it scores at most: "
                       "0 to 1");
    jxi_path_pop(&L->c.path);
    r->has_over = 1;
    r->over_above = jxi_ratio_over_above(r->target, beyond);
    return rc;
}

static int rule_ratio(jxi_loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"target", "over", NULL};
    if (expect_object(L, v, "ratio") < 0)
        return -1;
    int rc = jxi_check_keys(&L->c, v, keys, "a ratio rule");
    if (parse_target(L, v, r) < 0)
        return -1;
    if (ratio_over(L, v, r) < 0)
        rc = -1;
    if (r->op != JXI_OP_LE && !(r->target > 0))
        rc = jxi_jfail(&L->c, JX_EVALUE, "target", 0,
                       "a ratio target \">= T\" or \"= T\" needs T greater than 0");
    if (r->op == JXI_OP_LE && r->target < 0)
        rc = jxi_jfail(&L->c, JX_EVALUE, "target", 0,
                       "a ratio target \"<= T\" needs T of at least 0");
    return rc;
}

/* A metric named by a rule: it must exist and have the given type. */
static int rule_metric(jxi_loader *L, json_t *obj, const char *key, jx_metric_type type, int *slot)
{
    json_t *v = key ? json_object_get(obj, key) : obj;
    static const char *const tn[] = {"number", "bool", "level"};
    if (!v)
        return jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "missing required key \"%s\"", key);
    if (!json_is_string(v))
        return jxi_jfail(&L->c, JX_ETYPE, key, 0, "expected a metric name (a string), found %s",
                         jxi_jtype(&L->c, v));
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

static int rule_checklist(jxi_loader *L, json_t *v, jxi_rule *r)
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
        return jxi_load_oom(L);
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
                           "found %s", jxi_jtype(&L->c, it));
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

static int rule_count(jxi_loader *L, json_t *v, jxi_rule *r)
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

static int rule_level(jxi_loader *L, json_t *v, jxi_rule *r)
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
            return jxi_load_oom(L);
    } else {
        r->tiers = jxi_calloc(m->nlevels, sizeof *r->tiers);
        if (!r->tiers)
            return jxi_load_oom(L);
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
            if (jxi_load_interval(L, map, lk, &r->tiers[k]) < 0)
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

static const char *const alt_keys[] = {"name", "value", "unit", "round", "rule", NULL};

/* Rules over a number need a "value"; rules that read their own metrics
 * must not have one. */
int jxi_load_value_use(jxi_loader *L, jxi_rule_kind k, int has_value)
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

static int rule_one_of(jxi_loader *L, json_t *v, jxi_rule *r)
{
    if (!json_is_array(v) || json_array_size(v) < 2)
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "a one_of rule takes an array of at least two alternatives "
                         "{\"name\", \"value\", \"rule\"}");
    size_t n = json_array_size(v);
    r->alts = jxi_calloc(n, sizeof *r->alts);
    if (!r->alts)
        return jxi_load_oom(L);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(v, i);
        jxi_alt *alt = &r->alts[r->nalts++];
        alt->round = -1;
        jxi_path_push_index(&L->c.path, i);
        if (!json_is_object(a)) {
            rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0, "an alternative must be an object, found %s",
                           jxi_jtype(&L->c, a));
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
            return jxi_load_oom(L);
        }
        if (jxi_get_int(&L->c, a, "round", 0, 0, 9, &alt->round) < 0)
            rc = -1;
        json_t *val = json_object_get(a, "value");
        if (val && jxi_load_formula(L, val, "value", &alt->value) < 0)
            rc = -1;
        json_t *rv = json_object_get(a, "rule");
        if (!rv) {
            rc = jxi_jfail(&L->c, JX_EREQUIRED, NULL, 0, "missing required key \"rule\"");
        } else {
            jxi_path_push_key(&L->c.path, "rule");
            alt->rule.domain = L->leaf_domain;
            if (jxi_load_rule(L, rv, &alt->rule, 0) < 0)
                rc = -1;
            jxi_path_pop(&L->c.path);
            if (rc == 0 && jxi_load_value_use(L, alt->rule.kind, alt->value != NULL) < 0)
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

int jxi_load_rule(jxi_loader *L, json_t *v, jxi_rule *r, int allow_one_of)
{
    if (!json_is_object(v))
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "a rule must be an object with one key naming its kind, e.g. "
                         "{\"deduct\": {...}}, found %s", jxi_jtype(&L->c, v));
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
    case JXI_RULE_BANDS: rc = jxi_load_bands(L, body, r); break;
    case JXI_RULE_CHECKLIST: rc = rule_checklist(L, body, r); break;
    case JXI_RULE_COUNT: rc = rule_count(L, body, r); break;
    case JXI_RULE_LEVEL: rc = rule_level(L, body, r); break;
    case JXI_RULE_FORMULA: rc = jxi_load_formula(L, body, NULL, &r->expr); break;
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
