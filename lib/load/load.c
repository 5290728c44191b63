/* Scheme JSON -> compiled scheme. Everything is checked here, once, so
 * scoring never meets a malformed scheme. The format is documented in
 * docs/scheme-format.md.
 *
 * This file holds the entry points, the top-level keys and the helpers the
 * other parts share (lib/load/loader.h); each part of the document has its
 * own file: load_metrics.c ("metrics", "derived"), load_indicators.c
 * ("indicators"), load_rules.c and load_bands.c (the "rule" objects),
 * load_grades.c ("grades") and load_extract.c ("extract"). */
#include <stdio.h>
#include <string.h>

#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/lint.h"
#include "load/load.h"
#include "load/loader.h"

/* ---- Helpers shared by the loader's files (loader.h) -------------------- */

int jxi_load_oom(jxi_loader *L)
{
    return jxi_jfail(&L->c, JX_ENOMEM, NULL, 0, "out of memory");
}

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
int jxi_load_formula(jxi_loader *L, json_t *v, const char *key, jxi_expr **out)
{
    if (!json_is_string(v))
        return jxi_jfail(&L->c, JX_ETYPE, key, 0, "a formula must be a string, found %s",
                         jxi_jtype(&L->c, v));
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

/* An interval string: a band's "when", a target, a tier, a "domain". */
int jxi_load_interval(jxi_loader *L, json_t *obj, const char *key, jxi_interval *iv)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return jxi_jfail(&L->c, JX_ETYPE, key, 0,
                         "\"%s\" must be a string such as \"(0, 10]\" or \">= 90\", found %s", key,
                         jxi_jtype(&L->c, v));
    char why[320];
    if (jxi_interval_parse(json_string_value(v), iv, why, sizeof why) < 0)
        return jxi_jfail(&L->c, JX_EVALUE, key, 0, "%s", why);
    return 0;
}

/* A "not_applicable" policy, of the scheme or of an indicator. */
int jxi_load_na(jxi_loader *L, json_t *obj, jxi_na *na)
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

/* ---- The document ------------------------------------------------------- */

static const char *const top_keys[] = {"jixiao", "id", "title", "description", "total",
                                       "precision", "not_applicable", "lang", "grades",
                                       "metrics", "derived", "indicators", "extract", NULL};

static int load_top(jxi_loader *L, json_t *root)
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
                         jxi_jtype(&L->c, ver));
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
    if (jxi_load_na(L, root, &s->na) < 0)
        rc = -1;
    if (jxi_get_string(&L->c, root, "lang", 0, &s->lang) < 0)
        rc = -1;
    else if (s->lang && strcmp(s->lang, "zh") != 0 && strcmp(s->lang, "en") != 0)
        rc = jxi_jfail(&L->c, JX_EVALUE, "lang", 0, "unknown lang \"%s\"; expected zh or en",
                       s->lang);
    if (!s->lang && !(s->lang = jxi_strdup("zh")))
        return jxi_load_oom(L);
    if (!s->id && !(s->id = jxi_strdup("")))
        return jxi_load_oom(L);
    if (!s->title && !(s->title = jxi_strdup("")))
        return jxi_load_oom(L);
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
    jxi_loader L;
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
        jxi_error_set_lang(L.c.err, L.c.zh, JX_ELIMIT, "scheme larger than the limit of %u bytes",
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
        jxi_load_oom(&L);
        return NULL;
    }
    atomic_init(&s->refs, 1);
    atomic_init(&s->digest_state, JXI_DIGEST_READY); /* filled below */
    L.s = s;
    s->source = jxi_strdup(L.c.source);
    if (!s->source)
        jxi_load_oom(&L);

    if (!L.c.nomem && load_top(&L, root) == 0 && !L.c.nomem) {
        if (jxi_load_metrics(&L, root) == 0 && !L.c.nomem)
            jxi_load_derived(&L, root);
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
            jxi_load_indicators(&L, inds, JX_NONE, 0, s->na);
            jxi_path_pop(&L.c.path);
            if (!L.c.nomem && L.c.failed == 0)
                jxi_load_check_tree(&L);
            if (!L.c.nomem && L.c.failed == 0)
                jxi_load_grades(&L, root);
            if (!L.c.nomem && L.c.failed == 0 && json_object_get(root, "extract"))
                jxi_load_extract(&L, json_object_get(root, "extract"));
            if (!L.c.nomem && L.c.failed == 0 && diag)
                jxi_lint_warnings(&L.c, s);
        }
    }
    if (!L.c.failed && jxi_scheme_digest_json(root, s->digest) < 0)
        jxi_load_oom(&L);
    json_decref(root);
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
    if (jxi_read_file(path, &buf, &len, (flags & JX_LOAD_LANG_ZH) != 0, err) < 0)
        return NULL;
    jx_scheme *s = jxi_scheme_load_ex(buf, len, path, flags, err, NULL, NULL);
    jxi_free(buf);
    return s;
}
