/* Loading a scheme from JSON text (lib/load.c). */
#ifndef JIXIAO_LOAD_H
#define JIXIAO_LOAD_H

#include "jsonctx.h"

/* Load and check a scheme. Every error and warning also goes to `diag` when
 * given (for jx-lint); the first error fills `err`. NULL on any error. */
/* jxi_scheme_load with jx_scheme_load_* flags (JX_LOAD_LANG_ZH). */
jx_scheme *jxi_scheme_load_ex(const char *text, size_t len, const char *source, unsigned flags,
                              jx_error *err, jxi_diag_fn diag, void *diag_ctx);
jx_scheme *jxi_scheme_load(const char *text, size_t len, const char *source, jx_error *err,
                           jxi_diag_fn diag, void *diag_ctx);

/* Report the warnings of a loaded scheme (lib/lint.c); `ind_paths` holds
 * where each indicator stands in the document. */
void jxi_lint_warnings(jxi_jctx *c, const jx_scheme *s, const jxi_path *ind_paths);

/* Compile an extraction profile (lib/profile.c) from `obj` at the
 * context's current path. 0 and *out, or a negative code. */
struct jxi_profile;
#ifndef JX_NO_EXTRACT
int jxi_profile_load(jxi_jctx *c, json_t *obj, const jx_scheme *s, struct jxi_profile **out);
#endif

#endif
