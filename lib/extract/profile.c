/* Extraction profile JSON -> compiled patterns (see extract.h). A pattern
 * that does not compile is a load error with its JSON path and the offset
 * pcre2 reports. */
#ifndef JX_NO_EXTRACT

#include <string.h>

#include "extract/extract.h"
#include "load/load.h"
#include "compile/scheme.h"

static void *pc_malloc(PCRE2_SIZE n, void *data)
{
    (void)data;
    return jxi_malloc(n);
}

static void pc_free(void *p, void *data)
{
    (void)data;
    jxi_free(p);
}

pcre2_general_context *jxi_pcre2_context(void)
{
    return pcre2_general_context_create(pc_malloc, pc_free, NULL);
}

void jxi_profile_free(jxi_profile *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        jxi_xmetric *m = &p->metrics[i];
        for (size_t k = 0; k < m->npats; k++) {
            pcre2_code_free(m->pats[k].code);
            jxi_free(m->pats[k].source);
        }
        jxi_free(m->pats);
        jxi_free(m->unit);
        for (size_t k = 0; k < m->nmap; k++)
            jxi_free(m->map_from[k]);
        jxi_free(m->map_from);
        jxi_free(m->map_to);
        jxi_free(m->std);
    }
    jxi_free(p->metrics);
    for (size_t k = 0; p->figures && k < JXI_STD_FIGURES; k++) {
        jxi_metric *f = &p->figures[k];
        jxi_free(f->name);
        jxi_free(f->unit);
        for (size_t l = 0; l < f->nlevels; l++)
            jxi_free(f->levels[l]);
        jxi_free(f->levels);
    }
    jxi_free(p->figures);
    jxi_profile_free(p->std);
    pcre2_general_context_free(p->gctx);
    jxi_free(p);
}

static int compile_pattern(jxi_jctx *c, json_t *v, const jxi_metric *metric, int has_map,
                           pcre2_compile_context *cc, jxi_profile *p, jxi_xpattern *pat)
{
    if (!json_is_string(v) || json_string_length(v) == 0)
        return jxi_jfail(c, JX_ETYPE, NULL, 0, "a pattern must be a non-empty string, found %s",
                         jxi_jtype(c, v));
    const char *src = json_string_value(v);
    if (!(pat->source = jxi_strdup(src)))
        return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    int errcode;
    PCRE2_SIZE erroff;
    pat->code = pcre2_compile((PCRE2_SPTR)src, json_string_length(v), PCRE2_UTF | PCRE2_UCP,
                              &errcode, &erroff, cc);
    /* pcre2_compile reports a failed allocation as compile error 121
     * (PCRE2_ERROR_HEAP_FAILED, "failed to allocate heap memory"); the
     * other functions as PCRE2_ERROR_NOMEMORY. Neither is the pattern's
     * fault. */
    if (!pat->code && (errcode == PCRE2_ERROR_HEAP_FAILED || errcode == PCRE2_ERROR_NOMEMORY))
        return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory compiling the pattern");
    if (!pat->code) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        return jxi_jfail(c, JX_EVALUE, NULL, 0, "pattern does not compile at offset %zu: %s",
                         (size_t)erroff, (const char *)msg);
    }
    uint32_t groups = 0;
    pcre2_pattern_info(pat->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups > p->max_groups)
        p->max_groups = groups;
    int g = pcre2_substring_number_from_name(pat->code, (PCRE2_SPTR) "value");
    pat->value_group = g > 0 ? (uint32_t)g : 0;
    g = pcre2_substring_number_from_name(pat->code, (PCRE2_SPTR) "unit");
    pat->unit_group = g > 0 ? (uint32_t)g : 0;
    if (!pat->value_group && metric->type != JX_METRIC_BOOL && !has_map)
        return jxi_jfail(c, JX_EVALUE, NULL, 0,
                         "the pattern needs a named group (?<value>...) for metric \"%s\"",
                         metric->name);
    /* JIT is an optimisation: without it the interpreter matches the same. */
    if (pcre2_jit_compile(pat->code, PCRE2_JIT_COMPLETE) != 0)
        p->jit = 0;
    return 0;
}

static const char *const entry_keys[] = {"patterns", "take", "unit", "absent", "map",
                                         "standard", NULL};

/* A value written in the profile for metric m ("absent", "map"): a number,
 * true/false, or a level name, as the input format writes them. */
static int profile_value(jxi_jctx *c, const char *key, json_t *v, const jxi_metric *m,
                         double *out)
{
    switch (m->type) {
    case JX_METRIC_NUMBER:
        if (json_is_number(v)) {
            *out = json_number_value(v);
            return 0;
        }
        return jxi_jfail(c, JX_ETYPE, key, 0, "metric \"%s\" takes a number here, found %s",
                         m->name, jxi_jtype(c, v));
    case JX_METRIC_BOOL:
        if (json_is_boolean(v)) {
            *out = json_is_true(v);
            return 0;
        }
        return jxi_jfail(c, JX_ETYPE, key, 0, "metric \"%s\" takes true or false here, found %s",
                         m->name, jxi_jtype(c, v));
    case JX_METRIC_LEVEL:
        if (json_is_string(v))
            for (size_t k = 0; k < m->nlevels; k++)
                if (strcmp(m->levels[k], json_string_value(v)) == 0) {
                    *out = (double)k;
                    return 0;
                }
        return jxi_jfail(c, JX_ELEVEL, key, 0, "expected a level of metric \"%s\"", m->name);
    }
    return JX_EVALUE;
}

/* "standard": a standard figure's key, or an array of keys tried in
 * order, that stands in for the metric when its patterns find nothing. */
static int load_standard(jxi_jctx *c, json_t *v, const jxi_metric *metric, jxi_xmetric *xm)
{
    if (!v)
        return 0;
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    if (!(json_is_string(v) || (json_is_array(v) && n > 0)))
        return jxi_jfail(c, JX_ETYPE, "standard", 0,
                         "\"standard\" must name a standard figure or be a non-empty array of "
                         "them, found %s", jxi_jtype(c, v));
    if (metric->type == JX_METRIC_BOOL)
        return jxi_jfail(c, JX_ETYPE, "standard", 0,
                         "metric \"%s\" is a bool; standard figures are numbers and levels",
                         metric->name);
    if (!(xm->std = jxi_calloc(n, sizeof *xm->std)))
        return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    int rc = 0;
    jxi_path_push_key(&c->path, "standard");
    for (size_t k = 0; k < n; k++) {
        json_t *key = json_is_array(v) ? json_array_get(v, k) : v;
        if (json_is_array(v))
            jxi_path_push_index(&c->path, k);
        size_t f = json_is_string(key) ? jxi_stdfig_find(json_string_value(key)) : JX_NONE;
        if (!json_is_string(key))
            rc = jxi_jfail(c, JX_ETYPE, NULL, 0, "expected a standard figure's key, found %s",
                           jxi_jtype(c, key));
        else if (f == JX_NONE)
            rc = jxi_jfail(c, JX_EVALUE, NULL, 0,
                           "\"%s\" is not a standard figure (docs/extraction.md lists them)",
                           json_string_value(key));
        else
            xm->std[xm->nstd++] = f;
        if (json_is_array(v))
            jxi_path_pop(&c->path);
    }
    jxi_path_pop(&c->path);
    return rc;
}

static int load_entry(jxi_jctx *c, const char *name, json_t *v, const jx_scheme *s,
                      pcre2_compile_context *cc, jxi_profile *p, size_t *npatterns)
{
    jxi_xmetric *xm = &p->metrics[p->n];
    size_t m = jx_scheme_metric_find(s, name);
    if (m == JX_NONE)
        return jxi_jfail(c, JX_EREF, NULL, 1,
                         "unknown metric \"%s\": the scheme does not declare it", name);
    const jxi_metric *metric = &s->metrics[m];
    if (!json_is_object(v))
        return jxi_jfail(c, JX_ETYPE, NULL, 0,
                         "an extraction entry must be an object {\"patterns\": [...]}, found %s",
                         jxi_jtype(c, v));
    int rc = jxi_check_keys(c, v, entry_keys, "an extraction entry");
    p->n++;
    xm->metric = m;
    xm->target = metric;
    char *take = NULL;
    xm->take = JXI_TAKE_FIRST;
    int g = jxi_get_string(c, v, "take", 0, &take);
    if (g < 0) {
        rc = -1;
    } else if (g == 0) {
        static const char *const names[] = {"first", "last", "agree", "sum"};
        size_t k = 0;
        while (k < 4 && strcmp(names[k], take) != 0)
            k++;
        if (k == 4)
            rc = jxi_jfail(c, JX_EVALUE, "take", 0,
                           "unknown take \"%s\"; expected first, last, agree or sum", take);
        else
            xm->take = (jxi_take)k;
    }
    jxi_free(take);
    if (jxi_get_string(c, v, "unit", 0, &xm->unit) < 0)
        rc = -1;
    if (!xm->unit && !(xm->unit = jxi_strdup(metric->unit)))
        return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    json_t *absent = json_object_get(v, "absent");
    if (absent && !json_is_null(absent)) {
        if (profile_value(c, "absent", absent, metric, &xm->absent) < 0)
            rc = -1;
        xm->has_absent = 1;
    }
    json_t *map = json_object_get(v, "map");
    if (map) {
        if (!json_is_object(map) || json_object_size(map) == 0)
            return jxi_jfail(c, JX_ETYPE, "map", 0,
                             "\"map\" must be a non-empty object of captured text: value");
        size_t n = json_object_size(map);
        xm->map_from = jxi_calloc(n, sizeof *xm->map_from);
        xm->map_to = jxi_calloc(n, sizeof *xm->map_to);
        if (!xm->map_from || !xm->map_to)
            return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
        const char *from;
        json_t *to;
        jxi_path_push_key(&c->path, "map");
        json_object_foreach(map, from, to) {
            if (!(xm->map_from[xm->nmap] = jxi_strdup(from))) {
                jxi_path_pop(&c->path);
                return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
            }
            if (profile_value(c, from, to, metric, &xm->map_to[xm->nmap]) < 0)
                rc = -1;
            xm->nmap++;
        }
        jxi_path_pop(&c->path);
    }
    if (load_standard(c, json_object_get(v, "standard"), metric, xm) < 0)
        rc = -1;
    json_t *pats = json_object_get(v, "patterns");
    if (!pats && xm->nstd)
        return rc;
    if (!pats)
        return jxi_jfail(c, JX_EREQUIRED, NULL, 0,
                         "missing required key \"patterns\" (or \"standard\")");
    if (!json_is_array(pats) || json_array_size(pats) == 0)
        return jxi_jfail(c, JX_ETYPE, "patterns", 0,
                         "\"patterns\" must be a non-empty array of regular expressions");
    size_t n = json_array_size(pats);
    if (*npatterns + n > JXI_MAX_PATTERNS)
        return jxi_jfail(c, JX_ELIMIT, "patterns", 0, "more than %d patterns in the profile",
                         JXI_MAX_PATTERNS);
    *npatterns += n;
    xm->pats = jxi_calloc(n, sizeof *xm->pats);
    if (!xm->pats)
        return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    jxi_path_push_key(&c->path, "patterns");
    for (size_t k = 0; k < n; k++) {
        jxi_path_push_index(&c->path, k);
        xm->npats++;
        xm->pats[k].take = xm->take;
        if (compile_pattern(c, json_array_get(pats, k), metric, xm->nmap > 0, cc, p,
                            &xm->pats[k]) < 0)
            rc = -1;
        jxi_path_pop(&c->path);
        if (c->nomem)
            break;
    }
    jxi_path_pop(&c->path);
    return rc;
}

int jxi_profile_load(jxi_jctx *c, json_t *obj, const jx_scheme *s, jxi_profile **out)
{
    static const char *const keys[] = {"metrics", "description", NULL};
    *out = NULL;
    if (!json_is_object(obj))
        return jxi_jfail(c, JX_ETYPE, NULL, 0,
                         "an extraction profile must be an object {\"metrics\": {...}}, found %s",
                         jxi_jtype(c, obj));
    int rc = jxi_check_keys(c, obj, keys, "an extraction profile");
    json_t *metrics = json_object_get(obj, "metrics");
    if (!metrics)
        return jxi_jfail(c, JX_EREQUIRED, NULL, 0, "missing required key \"metrics\"");
    if (!json_is_object(metrics))
        return jxi_jfail(c, JX_ETYPE, "metrics", 0,
                         "\"metrics\" must be an object of metric name: {\"patterns\": [...]}");
    jxi_profile *p = jxi_calloc(1, sizeof *p);
    if (!p)
        return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    p->jit = 1;
    p->gctx = jxi_pcre2_context();
    pcre2_compile_context *cc = p->gctx ? pcre2_compile_context_create(p->gctx) : NULL;
    p->metrics = jxi_calloc(json_object_size(metrics), sizeof *p->metrics);
    if (!p->gctx || !cc || !p->metrics) {
        pcre2_compile_context_free(cc);
        jxi_profile_free(p);
        return jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory");
    }
    const char *name;
    json_t *v;
    size_t npatterns = 0;
    jxi_path_push_key(&c->path, "metrics");
    json_object_foreach(metrics, name, v) {
        jxi_path_push_key(&c->path, name);
        if (load_entry(c, name, v, s, cc, p, &npatterns) < 0)
            rc = -1;
        jxi_path_pop(&c->path);
        if (c->nomem)
            break;
    }
    jxi_path_pop(&c->path);
    pcre2_compile_context_free(cc);
    if (rc == 0 && !c->failed && jxi_stdfig_compile(&p->std) < 0)
        rc = jxi_jfail(c, JX_ENOMEM, NULL, 0, "out of memory compiling the standard patterns");
    if (rc < 0 || c->failed) {
        jxi_profile_free(p);
        return rc < 0 ? rc : JX_EVALUE;
    }
    *out = p;
    return 0;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_profile_unused;
#endif /* JX_NO_EXTRACT */
