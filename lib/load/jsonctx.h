/* Reading JSON documents and reporting errors at a JSON path with file,
 * line and column. Shared by the scheme and input loaders; the only place,
 * with them, that knows the JSON library. */
#ifndef JIXIAO_JSONCTX_H
#define JIXIAO_JSONCTX_H

#include <jansson.h>

#include "load/jsonpos.h"

/* Called for every error when a loader collects all of them (jx-lint);
 * `severity` is JXI_SEV_ERROR or JXI_SEV_WARNING. */
#define JXI_SEV_ERROR 0
#define JXI_SEV_WARNING 1
typedef void (*jxi_diag_fn)(void *ctx, int severity, const jx_error *e);

typedef struct jxi_jctx {
    const char *text;   /* the document, for positions */
    size_t len;
    const char *source; /* file name or "<string>" */
    jxi_path path;      /* where the loader is */
    jx_error *err;      /* first error (may be NULL) */
    int failed;         /* number of errors */
    int nomem;          /* an allocation failed: stop */
    jxi_diag_fn diag;   /* optional: every error and warning */
    void *diag_ctx;
    int unquoted;       /* a syntax error says where, never which text */
    int zh;             /* JX_LOAD_LANG_ZH: messages from lib/util/msg_zh.c */
} jxi_jctx;

/* Read a whole file (at most JXI_MAX_FILE_SIZE bytes). 0 or JX_EIO /
 * JX_ELIMIT / JX_ENOMEM with `err` filled, in Chinese when `zh`. *buf is
 * NUL-terminated. */
int jxi_read_file(const char *path, char **buf, size_t *len, int zh, jx_error *err);

/* Parse a document: checks UTF-8 and size, rejects duplicate keys, and
 * requires an object at the top. NULL with `err` filled on failure. */
json_t *jxi_json_parse(jxi_jctx *c);

/* The same tree as jxi_json_parse for a document that passes all its
 * checks, built faster; NULL for anything else (invalid, unusual or out of
 * memory), and then jxi_json_parse's slower way finds and reports it. The
 * top must be an object; objects and arrays nest at most max_depth deep. */
json_t *jxi_json_read_clean(const char *text, size_t len, int max_depth);

/* Record an error (or, with severity warning, a warning) at the current
 * path, with an extra key step when `key` is non-NULL; `at_key` points the
 * position at the key instead of its value. Returns `code`. */
int jxi_jfail(jxi_jctx *c, int code, const char *key, int at_key, const char *fmt, ...)
    JXI_PRINTF(5, 6);
/* The same, at an explicit byte offset (e.g. inside a formula string);
 * -1 locates the node as jxi_jfail does. */
int jxi_jfail_offset(jxi_jctx *c, int code, const char *key, long offset, const char *fmt, ...)
    JXI_PRINTF(5, 6);
void jxi_jwarn(jxi_jctx *c, const char *key, const char *fmt, ...) JXI_PRINTF(3, 4);
/* The same, at an absolute path given as text (used after the walk, e.g.
 * for sums), for a recorded path. */
int jxi_jfail_at(jxi_jctx *c, int code, const jxi_path *p, const char *fmt, ...)
    JXI_PRINTF(4, 5);

/* Every key of `obj` must be in the NULL-terminated `allowed` list; `what`
 * names the object in the message ("an indicator"). Returns 0 or JX_EKEY. */
int jxi_check_keys(jxi_jctx *c, json_t *obj, const char *const *allowed, const char *what);

/* The JSON type name of v ("a string", "an array", ...). */
const char *jxi_json_type_name(const json_t *v);
/* The same, and any other word put into a message, in the message's
 * language. */
const char *jxi_jtype(const jxi_jctx *c, const json_t *v);
const char *jxi_jword(const jxi_jctx *c, const char *w);

/* Typed getters: read obj[key]. A missing key is JX_EREQUIRED when
 * `required`, else leaves *out untouched and returns 1. Wrong types give
 * JX_ETYPE. Return 0 when read. Strings are copied with jxi_strdup. */
int jxi_get_string(jxi_jctx *c, json_t *obj, const char *key, int required, char **out);
int jxi_get_number(jxi_jctx *c, json_t *obj, const char *key, int required, double *out);
int jxi_get_int(jxi_jctx *c, json_t *obj, const char *key, int required, int lo, int hi,
                int *out);

#endif
