/* The scheme loader's own state and the calls between its files
 * (lib/load/load*.c), one file for each part of the scheme document. Only
 * those files include this; the rest of the library uses load/load.h. */
#ifndef JIXIAO_LOADER_H
#define JIXIAO_LOADER_H

#include "compile/scheme.h"
#include "load/jsonctx.h"

typedef struct jxi_loader {
    jxi_jctx c;
    jx_scheme *s;
    size_t cap_inds;
    double leaf_max;     /* the leaf being compiled, for rule checks */
    jxi_interval leaf_domain; /* its values' domain, for bands */
    int unnamed;         /* a buffer without a source name: no directory */
} jxi_loader;

/* ---- Shared helpers (lib/load/load.c) ----------------------------------- */

/* Report an allocation failure at the current path; returns JX_ENOMEM. */
int jxi_load_oom(jxi_loader *L);
/* Compile the formula string at obj[key] (or `v` itself when key is NULL
 * and the current path already points at it). */
int jxi_load_formula(jxi_loader *L, json_t *v, const char *key, jxi_expr **out);
/* The interval string at obj[key] ("(0, 10]", ">= 90") into *iv. */
int jxi_load_interval(jxi_loader *L, json_t *obj, const char *key, jxi_interval *iv);
/* obj["not_applicable"], when present, into *na. */
int jxi_load_na(jxi_loader *L, json_t *obj, jxi_na *na);

/* ---- "metrics" and "derived" (lib/load/load_metrics.c) ------------------ */

/* Declare the metrics and the derived metrics' names, and index them. */
int jxi_load_metrics(jxi_loader *L, json_t *root);
/* Compile the derived formulas and order them by their dependencies. */
int jxi_load_derived(jxi_loader *L, json_t *root);

/* ---- "indicators" (lib/load/load_indicators.c) -------------------------- */

/* The indicators of array `arr`, children of `parent` (JX_NONE at the top),
 * at `depth`, inheriting the not_applicable policy `na`. */
int jxi_load_indicators(jxi_loader *L, json_t *arr, size_t parent, int depth, jxi_na na);
/* Ids unique; parents' maxima are their children's sums; leaves add up to
 * the total. */
int jxi_load_check_tree(jxi_loader *L);

/* ---- "rule" objects (lib/load/load_rules.c, lib/load/load_bands.c) ------ */

/* The rule object `v` into *r; one_of only when `allow_one_of`. */
int jxi_load_rule(jxi_loader *L, json_t *v, jxi_rule *r, int allow_one_of);
/* Rules over a number need a "value"; rules that read their own metrics
 * must not have one. */
int jxi_load_value_use(jxi_loader *L, jxi_rule_kind k, int has_value);
/* The array of a bands rule, checked to cover the domain exactly once. */
int jxi_load_bands(jxi_loader *L, json_t *v, jxi_rule *r);

/* ---- "grades" (lib/load/load_grades.c) ---------------------------------- */

/* The grades, or the default 优/良/中/差 when the scheme gives none. */
int jxi_load_grades(jxi_loader *L, json_t *root);

/* ---- "extract" (lib/load/load_extract.c) -------------------------------- */

/* The extraction profile `v`: inline, or the name of a file beside the
 * scheme. */
int jxi_load_extract(jxi_loader *L, json_t *v);

#endif
