/* Loading a scheme from JSON text (lib/load/load.c). */
#ifndef JIXIAO_LOAD_H
#define JIXIAO_LOAD_H

#include "load/jsonctx.h"

/* Load and check a scheme. Every error and warning also goes to `diag` when
 * given (for jx-lint); the first error fills `err`. NULL on any error. */
/* jxi_scheme_load with jx_scheme_load_* flags (JX_LOAD_LANG_ZH). */
jx_scheme *jxi_scheme_load_ex(const char *text, size_t len, const char *source, unsigned flags,
                              jx_error *err, jxi_diag_fn diag, void *diag_ctx);
jx_scheme *jxi_scheme_load(const char *text, size_t len, const char *source, jx_error *err,
                           jxi_diag_fn diag, void *diag_ctx);

/* The digest of a parsed scheme document into out (lib/load/digest.c).
 * 0 or JX_ENOMEM. */
int jxi_scheme_digest_json(const json_t *root, char out[65]);

/* Compile an extraction profile (lib/extract/profile.c) from `obj` at the
 * context's current path. 0 and *out, or a negative code. */
struct jxi_profile;
#ifndef JX_NO_EXTRACT
int jxi_profile_load(jxi_jctx *c, json_t *obj, const jx_scheme *s, struct jxi_profile **out);
#endif

#endif
