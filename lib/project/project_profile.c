/* Project rule profiles (schemes/profiles/mof-2020-project.json): the rules
 * of a 自评表 as data, so a province's variant needs no code. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "project/project.h"
#include "util/num.h"

static int bad(jx_error *err, const char *source, const char *path, const char *what)
{
    jxi_error_set(err, JX_EVALUE, "%s: profile %s: %s", source, path, what);
    jxi_error_source(err, source);
    jxi_error_path(err, path);
    return JX_EVALUE;
}

/* A copy of o[key] when it is a string, else NULL; *nomem set when the
 * copy could not be made (so that is not taken for a missing key). */
static char *str(json_t *o, const char *key, int *nomem)
{
    json_t *v = json_object_get(o, key);
    char *c = json_is_string(v) ? jxi_strdup(json_string_value(v)) : NULL;
    if (json_is_string(v) && !c)
        *nomem = 1;
    return c;
}

void jxi_pprofile_free(jxi_pprofile *p)
{
    if (!p)
        return;
    jxi_free(p->id);
    jxi_free(p->version);
    jxi_free(p->title);
    jxi_free(p->budget_name);
    jxi_free(p->na_word);
    for (size_t i = 0; i < p->nfirst; i++)
        jxi_free(p->first[i]);
    jxi_free(p->first);
    for (size_t i = 0; i < p->nlevels; i++) {
        jxi_free(p->levels[i].name);
        jxi_free(p->levels[i].tier);
    }
    jxi_free(p->levels);
    for (size_t i = 0; i < p->ngrades; i++)
        jxi_free(p->grades[i].label);
    jxi_free(p->grades);
    jxi_free(p);
}

/* An optional cap object {"beyond": percent >= 0, "fraction": 0..1}. */
static int profile_over(jx_error *err, json_t *o, const char *source, const char *path,
                        jxi_pover *out)
{
    char what[300];
    if (!o)
        return 0;
    json_t *b = json_object_get(o, "beyond"), *f = json_object_get(o, "fraction");
    int keys = json_is_object(o) && json_object_size(o) == (size_t)(b != NULL) + (f != NULL);
    if (!keys || !json_is_number(b) || !json_is_number(f)) {
        snprintf(what, sizeof what, "expected {\"beyond\": percent, \"fraction\": share}: a value "
                 "more than \"beyond\" %% above its target scores at most \"fraction\" of its "
                 "分值 (e.g. {\"beyond\": 20, \"fraction\": 0.8})");
        return bad(err, source, path, what);
    }
    out->beyond = json_number_value(b);
    out->fraction = json_number_value(f);
    if (!(out->beyond >= 0))
        return bad(err, source, path, "\"beyond\" is a percent of the target, 0 or more");
    if (!(out->fraction >= 0 && out->fraction <= 1))
        return bad(err, source, path, "\"fraction\" is a share of the 分值, 0 to 1");
    out->on = 1;
    return 0;
}

/* A level's tier, read as a scheme's tiers are: a range of percent. */
static int profile_tier(jx_error *err, const char *source, jxi_plevel *l, double deflt)
{
    char why[200], what[300];
    l->deflt = deflt;
    if (jxi_interval_parse(l->tier, &l->tier_iv, why, sizeof why) != 0) {
        snprintf(what, sizeof what, "tier \"%s\" of level %s: %s", l->tier, l->name, why);
        return bad(err, source, "levels", what);
    }
    if (l->tier_iv.lo < 0 || l->tier_iv.hi > 100) {
        snprintf(what, sizeof what, "tier \"%s\" of level %s: a tier is a range of percent "
                 "within [0, 100]", l->tier, l->name);
        return bad(err, source, "levels", what);
    }
    return 0;
}

jxi_pprofile *jxi_pprofile_load(const char *buf, size_t len, const char *source, jx_error *err)
{
    json_error_t je;
    if (!source)
        source = "<built-in profile>";
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        jxi_error_set(err, JX_ESYNTAX, "%s: profile is not valid JSON: %s", source, je.text);
        jxi_error_source(err, source);
        if (err) {
            err->line = je.line;
            err->column = je.column;
        }
        return NULL;
    }
    jxi_pprofile *p = jxi_calloc(1, sizeof *p);
    int rc = 0;
    if (!p) {
        jxi_error_set(err, JX_ENOMEM, "out of memory");
        json_decref(root);
        return NULL;
    }
    json_t *budget = json_object_get(root, "budget");
    int nomem = 0;
    p->id = str(root, "id", &nomem);
    p->version = str(root, "version", &nomem);
    p->title = str(root, "title", &nomem);
    p->na_word = str(root, "not_applicable", &nomem);
    p->budget_name = str(budget, "name", &nomem);
    json_t *bw = json_object_get(budget, "weight"), *tot = json_object_get(root, "indicator_total");
    json_t *prec = json_object_get(root, "precision");
    if (nomem)
        rc = JX_ENOMEM;
    else if (json_integer_value(json_object_get(root, "jixiao_project_profile")) != 1)
        rc = bad(err, source, "jixiao_project_profile", "expected 1");
    else if (!p->id || !p->version || !p->title || !p->na_word || !p->budget_name)
        rc = bad(err, source, "", "id, version, title, not_applicable and budget.name are "
                 "required strings");
    else if (!json_is_number(bw) || !json_is_number(tot) || !json_is_integer(prec))
        rc = bad(err, source, "", "budget.weight and indicator_total are required numbers, "
                 "precision an integer");
    if (rc == 0)
        rc = profile_over(err, json_object_get(budget, "over"), source, "budget.over",
                          &p->budget_over);
    if (rc == 0)
        rc = profile_over(err, json_object_get(root, "over_achievement"), source,
                          "over_achievement", &p->over);
    if (rc == 0) {
        p->budget_weight = json_number_value(bw);
        p->indicator_total = json_number_value(tot);
        p->precision = (int)json_integer_value(prec);
        if (p->budget_weight <= 0 || p->indicator_total <= 0 || p->precision < 0
            || p->precision > 6)
            rc = bad(err, source, "", "weights must be > 0 and precision 0..6");
    }
    json_t *first = json_object_get(root, "first_level");
    json_t *levels = json_object_get(root, "levels");
    json_t *grades = json_object_get(root, "grades");
    if (rc == 0 && (!json_is_array(first) || !json_array_size(first) || !json_is_array(levels)
                    || !json_array_size(levels) || !json_is_array(grades)
                    || !json_array_size(grades)))
        rc = bad(err, source, "", "first_level, levels and grades are required non-empty arrays");
    if (rc == 0) {
        p->first = jxi_calloc(json_array_size(first), sizeof *p->first);
        p->levels = jxi_calloc(json_array_size(levels), sizeof *p->levels);
        p->grades = jxi_calloc(json_array_size(grades), sizeof *p->grades);
        if (!p->first || !p->levels || !p->grades)
            rc = JX_ENOMEM;
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(first); i++) {
        json_t *v = json_array_get(first, i);
        if (!json_is_string(v))
            rc = bad(err, source, "first_level", "expected strings");
        else if (!(p->first[p->nfirst++] = jxi_strdup(json_string_value(v))))
            rc = JX_ENOMEM;
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(levels); i++) {
        json_t *v = json_array_get(levels, i);
        jxi_plevel *l = &p->levels[p->nlevels++];
        l->name = str(v, "level", &nomem);
        l->tier = str(v, "tier", &nomem);
        json_t *d = json_object_get(v, "default"), *f = json_object_get(v, "fraction");
        int tier = l->tier != NULL;
        if (i == 0)
            p->tiers = tier;
        if (nomem)
            rc = JX_ENOMEM;
        else if (!l->name)
            rc = bad(err, source, "levels", "each level needs \"level\"");
        else if (tier != p->tiers || (tier && !json_is_number(d)) || (!tier && !json_is_number(f)))
            rc = bad(err, source, "levels", "every level has a tier and a default percent, or "
                     "every level a fraction");
        else if (tier)
            rc = profile_tier(err, source, l, json_number_value(d));
        else if ((l->fraction = json_number_value(f)) < 0 || l->fraction > 1)
            rc = bad(err, source, "levels", "a fraction lies in [0, 1]");
        for (size_t k = 0; rc == 0 && k < i; k++)
            if (strcmp(p->levels[k].name, l->name) == 0)
                rc = bad(err, source, "levels", "a level is named twice");
        if (rc == 0 && !*l->name)
            rc = bad(err, source, "levels", "a level's name must not be empty");
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(grades); i++) {
        json_t *v = json_array_get(grades, i);
        jxi_pgrade *g = &p->grades[p->ngrades++];
        g->label = str(v, "label", &nomem);
        json_t *m = json_object_get(v, "min");
        if (nomem)
            rc = JX_ENOMEM;
        else if (!g->label || !json_is_number(m))
            rc = bad(err, source, "grades", "each grade needs \"label\" and \"min\"");
        else if ((g->min = json_number_value(m)), i > 0 && !(jxi_cmp(g->min, g[-1].min) < 0))
            rc = bad(err, source, "grades", "grades are listed best first, with falling \"min\"");
    }
    if (rc == 0 && jxi_cmp(p->grades[p->ngrades - 1].min, 0) > 0)
        rc = bad(err, source, "grades", "the lowest grade's \"min\" must be 0, so that every "
                 "total has a grade");
    json_decref(root);
    if (rc == JX_ENOMEM)
        jxi_error_set(err, JX_ENOMEM, "out of memory");
    if (rc) {
        jxi_pprofile_free(p);
        return NULL;
    }
    return p;
}

int jxi_pprofile_level(const jxi_pprofile *p, const char *word, size_t len)
{
    for (size_t i = 0; i < p->nlevels; i++)
        if (strlen(p->levels[i].name) == len && memcmp(p->levels[i].name, word, len) == 0)
            return (int)i;
    return -1;
}
