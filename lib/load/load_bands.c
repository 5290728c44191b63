/* A bands rule's array of {"when", "score" or "fraction"}, and the check
 * that the bands cover the value's domain exactly once (see
 * lib/load/load_rules.c). */
#include <stdlib.h>
#include <string.h>

#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/loader.h"
#include "util/num.h"

static int cmp_band(const void *pa, const void *pb)
{
    const jxi_band *a = pa, *b = pb;
    if (a->iv.lo != b->iv.lo)
        return a->iv.lo < b->iv.lo ? -1 : 1;
    return (int)b->iv.lo_incl - (int)a->iv.lo_incl; /* [x before (x */
}

/* Report a gap between (c, c_incl) and the start of the next band. */
static int band_gap(jxi_loader *L, double lo, int lo_incl, double hi, int hi_incl, size_t at)
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
static int check_band_cover(jxi_loader *L, const jxi_rule *r)
{
    const jxi_interval *dom = &r->domain;
    jxi_band *sorted = jxi_calloc(r->nbands, sizeof *sorted);
    if (!sorted)
        return jxi_load_oom(L);
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

int jxi_load_bands(jxi_loader *L, json_t *v, jxi_rule *r)
{
    static const char *const keys[] = {"when", "score", "fraction", NULL};
    if (!json_is_array(v) || json_array_size(v) == 0)
        return jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                         "a bands rule takes a non-empty array of {\"when\", \"score\"}, found %s",
                         json_is_array(v) ? jxi_jword(&L->c, "an empty array") : jxi_jtype(&L->c, v));
    size_t n = json_array_size(v);
    r->bands = jxi_calloc(n, sizeof *r->bands);
    if (!r->bands)
        return jxi_load_oom(L);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *b = json_array_get(v, i);
        jxi_band *bd = &r->bands[r->nbands++];
        jxi_path_push_index(&L->c.path, i);
        if (!json_is_object(b)) {
            rc = jxi_jfail(&L->c, JX_ETYPE, NULL, 0,
                           "a band must be an object {\"when\": \"(0, 10]\", \"score\": 6}, found %s",
                           jxi_jtype(&L->c, b));
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
        } else if (jxi_load_interval(L, b, "when", &bd->iv) < 0) {
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
