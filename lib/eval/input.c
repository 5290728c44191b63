/* Inputs: the figures to score, by metric name (see jixiao.h). */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "eval/input.h"

JX_API jx_input *jx_input_new(const jx_scheme *s)
{
    if (!s)
        return NULL;
    jx_input *in = jxi_calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->s = s;
    in->values = jxi_calloc(s->nmetrics, sizeof *in->values);
    in->states = jxi_malloc(s->nmetrics);
    in->na = jxi_calloc(s->ninds, 1);
    if (!in->values || !in->states || !in->na) {
        jx_input_free(in);
        return NULL;
    }
    memset(in->states, JXI_SLOT_MISSING, s->nmetrics);
    return in;
}

JX_API void jx_input_free(jx_input *in)
{
    if (!in)
        return;
    jxi_free(in->values);
    jxi_free(in->states);
    jxi_free(in->na);
    jxi_input_free_origins(in);
    jxi_free(in->entity);
    jxi_free(in);
}

JX_API int jx_input_set_messages(jx_input *in, unsigned flags)
{
    if (!in)
        return JX_EARG;
    in->zh = (flags & JX_LOAD_LANG_ZH) != 0;
    return 0;
}

JX_API void jx_input_clear(jx_input *in)
{
    if (!in)
        return;
    memset(in->values, 0, in->s->nmetrics * sizeof *in->values);
    memset(in->states, JXI_SLOT_MISSING, in->s->nmetrics);
    memset(in->na, 0, in->s->ninds);
    jxi_input_free_origins(in);
    jxi_free(in->entity);
    in->entity = NULL;
}

int jxi_input_fail(jx_input *in, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jxi_error_setv(&in->last, code, in->zh ? jxi_msg_zh(fmt) : fmt, ap);
    va_end(ap);
    return code;
}

static const char *type_word(const jx_input *in, jx_metric_type t)
{
    const char *w = t == JX_METRIC_NUMBER ? "a number" : t == JX_METRIC_BOOL ? "true or false"
                                                                               : "a level";
    return in->zh ? jxi_msg_zh(w) : w;
}

/* The metric index of `name`, or a negative code. */
static long find(jx_input *in, const char *name, jx_metric_type type)
{
    if (!in)
        return JX_EARG;
    if (!name)
        return jxi_input_fail(in, JX_EARG, "no metric name given");
    size_t m = jx_scheme_metric_find(in->s, name);
    if (m == JX_NONE)
        return jxi_input_fail(in, JX_ENOTFOUND, "unknown metric \"%s\": the scheme does not declare it",
                              name);
    if (in->s->metrics[m].type != type)
        return jxi_input_fail(in, JX_ETYPE, "metric \"%s\" takes %s, not %s", name,
                              type_word(in, in->s->metrics[m].type), type_word(in, type));
    return (long)m;
}

JX_API int jx_input_set_number(jx_input *in, const char *metric, double value)
{
    long m = find(in, metric, JX_METRIC_NUMBER);
    if (m < 0)
        return (int)m;
    in->values[m] = value;
    in->states[m] = isfinite(value) ? JXI_SLOT_PRESENT : JXI_SLOT_UNDEFINED;
    return jxi_input_set_origin(in, (size_t)m, JX_ORIGIN_SET, NULL);
}

JX_API int jx_input_set_bool(jx_input *in, const char *metric, int value)
{
    long m = find(in, metric, JX_METRIC_BOOL);
    if (m < 0)
        return (int)m;
    in->values[m] = value ? 1 : 0;
    in->states[m] = JXI_SLOT_PRESENT;
    return jxi_input_set_origin(in, (size_t)m, JX_ORIGIN_SET, NULL);
}

int jxi_input_set_level(jx_input *in, size_t m, const char *level, size_t len)
{
    const jxi_metric *x = &in->s->metrics[m];
    for (size_t k = 0; k < x->nlevels; k++) {
        if (strlen(x->levels[k]) == len && memcmp(x->levels[k], level, len) == 0) {
            in->values[m] = (double)k;
            in->states[m] = JXI_SLOT_PRESENT;
            return jxi_input_set_origin(in, m, JX_ORIGIN_SET, NULL);
        }
    }
    return JX_ELEVEL;
}

JX_API int jx_input_set_text(jx_input *in, const char *metric, const char *level)
{
    long m = find(in, metric, JX_METRIC_LEVEL);
    if (m < 0)
        return (int)m;
    if (!level)
        return jxi_input_fail(in, JX_EARG, "no level given for metric \"%s\"", metric);
    int rc = jxi_input_set_level(in, (size_t)m, level, strlen(level));
    if (rc < 0)
        jxi_input_fail(in, rc, "metric \"%s\" has no level \"%s\"", metric, level);
    return rc;
}

JX_API int jx_input_unset(jx_input *in, const char *metric)
{
    if (!in)
        return JX_EARG;
    if (!metric)
        return jxi_input_fail(in, JX_EARG, "no metric name given");
    size_t m = jx_scheme_metric_find(in->s, metric);
    if (m == JX_NONE)
        return jxi_input_fail(in, JX_ENOTFOUND,
                              "unknown metric \"%s\": the scheme does not declare it", metric);
    in->values[m] = 0;
    in->states[m] = JXI_SLOT_MISSING;
    return jxi_input_set_origin(in, m, JX_ORIGIN_SET, NULL);
}

static int mark(jx_input *in, const char *id, unsigned char v)
{
    if (!in)
        return JX_EARG;
    if (!id)
        return jxi_input_fail(in, JX_EARG, "no indicator id given");
    size_t i = jxi_scheme_find_indicator(in->s, id);
    if (i == JX_NONE)
        return jxi_input_fail(in, JX_ENOTFOUND, "no indicator has id \"%s\"", id);
    in->na[i] = v;
    return 0;
}

JX_API int jx_input_set_not_applicable(jx_input *in, const char *indicator_id)
{
    return mark(in, indicator_id, 1);
}

JX_API int jx_input_clear_not_applicable(jx_input *in, const char *indicator_id)
{
    return mark(in, indicator_id, 0);
}

JX_API int jx_input_get(const jx_input *in, size_t m, double *value)
{
    if (!in || !value || m >= in->s->nmetrics)
        return JX_EARG;
    if (in->states[m] == JXI_SLOT_MISSING)
        return 0;
    *value = in->values[m];
    return 1;
}

JX_API int jx_input_set_entity(jx_input *in, const char *entity)
{
    if (!in)
        return JX_EARG;
    char *copy = NULL;
    if (entity && !(copy = jxi_strdup(entity)))
        return jxi_input_fail(in, JX_ENOMEM, "out of memory");
    jxi_free(in->entity);
    in->entity = copy;
    return 0;
}

JX_API const char *jx_input_entity(const jx_input *in)
{
    return in ? in->entity : NULL;
}

JX_API const jx_error *jx_input_last_error(const jx_input *in)
{
    return in ? &in->last : NULL;
}
