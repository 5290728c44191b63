/* Every diagnostic of a scheme (jx_lint_*): the loader run with a
 * collector, its errors and the warnings (lib/load/lint.c) gathered. */
#include <string.h>

#include "load/load.h"

struct jx_diagnostics {
    jx_error *items;
    int *severity;
    size_t n, cap;
    size_t errors, warnings;
    int nomem;
};

static void collect(void *ctx, int severity, const jx_error *e)
{
    jx_diagnostics *d = ctx;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        jx_error *ni = jxi_realloc(d->items, cap * sizeof *ni);
        if (!ni) {
            d->nomem = 1;
            return;
        }
        d->items = ni;
        int *ns = jxi_realloc(d->severity, cap * sizeof *ns);
        if (!ns) {
            d->nomem = 1;
            return;
        }
        d->severity = ns;
        d->cap = cap;
    }
    d->items[d->n] = *e;
    d->severity[d->n] = severity;
    d->n++;
    if (severity == JXI_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
}

/* Mark the slots a formula reads. */
JX_API jx_diagnostics *jx_lint_buffer(const char *buf, size_t len, const char *source,
                                      unsigned flags)
{
    jx_diagnostics *d = jxi_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (!buf) {
        jx_error e;
        jxi_error_set(&e, JX_EARG, "no buffer given");
        jxi_error_source(&e, source ? source : "<string>");
        collect(d, JXI_SEV_ERROR, &e);
    } else {
        jx_scheme *s = jxi_scheme_load_ex(buf, len, source, flags, NULL, collect, d);
        jx_scheme_free(s);
    }
    if (d->nomem) {
        jx_diagnostics_free(d);
        return NULL;
    }
    return d;
}

JX_API jx_diagnostics *jx_lint_file(const char *path, unsigned flags)
{
    jx_error e;
    char *buf = NULL;
    size_t len = 0;
    if (!path || jxi_read_file(path, &buf, &len, (flags & JX_LOAD_LANG_ZH) != 0, &e) < 0) {
        jx_diagnostics *d = jxi_calloc(1, sizeof *d);
        if (!d)
            return NULL;
        if (!path) {
            jxi_error_set(&e, JX_EARG, "no path given");
            jxi_error_source(&e, "");
        }
        collect(d, JXI_SEV_ERROR, &e);
        if (d->nomem) {
            jx_diagnostics_free(d);
            return NULL;
        }
        return d;
    }
    jx_diagnostics *d = jx_lint_buffer(buf, len, path, flags);
    jxi_free(buf);
    return d;
}

JX_API size_t jx_diagnostics_count(const jx_diagnostics *d) { return d ? d->n : 0; }
JX_API size_t jx_diagnostics_errors(const jx_diagnostics *d) { return d ? d->errors : 0; }
JX_API size_t jx_diagnostics_warnings(const jx_diagnostics *d) { return d ? d->warnings : 0; }

JX_API const jx_error *jx_diagnostics_get(const jx_diagnostics *d, size_t k)
{
    return d && k < d->n ? &d->items[k] : NULL;
}

JX_API int jx_diagnostics_severity(const jx_diagnostics *d, size_t k)
{
    return d && k < d->n ? d->severity[k] : JX_EARG;
}

JX_API void jx_diagnostics_free(jx_diagnostics *d)
{
    if (!d)
        return;
    jxi_free(d->items);
    jxi_free(d->severity);
    jxi_free(d);
}
