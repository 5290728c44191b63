/* The scheme's "grades": labels with cut-offs, best first, and override
 * grades for missing indicators (see lib/load/load.c). */
#include <math.h>

#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/loader.h"
#include "util/num.h"

/* No "grades": 优 from 90%, 良 from 80%, 中 from 60% of the total, else 差. */
static int default_grades(jxi_loader *L)
{
    static const char *const labels[] = {"优", "良", "中", "差"};
    static const double mins[] = {90, 80, 60, 0};
    jx_scheme *s = L->s;
    s->grades = jxi_calloc(4, sizeof *s->grades);
    if (!s->grades)
        return jxi_load_oom(L);
    for (size_t g = 0; g < 4; g++) {
        s->grades[g].min = mins[g] / 100 * s->total;
        if (!(s->grades[g].label = jxi_strdup(labels[g])))
            return jxi_load_oom(L);
        s->ngrades++;
    }
    return 0;
}

/* An override grade's "if_missing": the ids of the indicators whose
 * absence gives this grade, into gr->if_missing (allocated to the array's
 * size). 0 or the last error. */
static int read_if_missing(jxi_loader *L, json_t *ifm, jxi_grade *gr)
{
    const jx_scheme *s = L->s;
    int rc = 0;
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
    return rc;
}

/* At least one grade has a "min", and the lowest (`prev`, the grade at
 * index `lowest`) is 0 or less, so that every total has a grade. The path
 * is at "grades". */
static int check_lowest_grade(jxi_loader *L, double prev, size_t lowest)
{
    int rc = 0;
    if (isinf(prev)) {
        rc = jxi_jfail(&L->c, JX_EGRADES, NULL, 0, "at least one grade needs a \"min\"");
    } else if (jxi_cmp(prev, 0) > 0) {
        jxi_path_push_index(&L->c.path, lowest);
        rc = jxi_jfail(&L->c, JX_EGRADES, "min", 0,
                       "the lowest grade's \"min\" must be 0 or less, so that every total "
                       "has a grade");
        jxi_path_pop(&L->c.path);
    }
    return rc;
}

int jxi_load_grades(jxi_loader *L, json_t *root)
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
        return jxi_load_oom(L);
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
                    return jxi_load_oom(L);
                }
                int r = read_if_missing(L, ifm, gr);
                if (r < 0)
                    rc = r;
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
    if (rc == 0)
        rc = check_lowest_grade(L, prev, lowest);
    jxi_path_pop(&L->c.path);
    return rc;
}
