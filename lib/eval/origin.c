/* Where each input value came from: a setter, a file of the user's, a
 * match in a report, or an extraction profile's default. Kept beside the
 * values so that a score sheet can say which figures rest on evidence. */
#include <string.h>

#include "eval/input.h"

static int ensure(jx_input *in)
{
    if (in->origin)
        return 0;
    size_t n = in->s->nmetrics ? in->s->nmetrics : 1;
    in->origin = jxi_calloc(n, 1);
    in->origin_detail = jxi_calloc(n, sizeof *in->origin_detail);
    if (!in->origin || !in->origin_detail) {
        jxi_input_free_origins(in);
        return JX_ENOMEM;
    }
    return 0;
}

int jxi_input_set_origin(jx_input *in, size_t m, int origin, const char *detail)
{
    if (origin == JX_ORIGIN_SET && !in->origin)
        return 0;
    if (ensure(in) < 0)
        return JX_ENOMEM;
    char *d = NULL;
    if (detail && detail[0] && !(d = jxi_strdup(detail)))
        return JX_ENOMEM;
    jxi_free(in->origin_detail[m]);
    in->origin_detail[m] = d;
    in->origin[m] = (unsigned char)origin;
    return 0;
}

int jxi_input_copy_origins(jx_input *dst, const jx_input *src)
{
    jxi_input_free_origins(dst);
    if (!src->origin)
        return 0;
    if (ensure(dst) < 0)
        return JX_ENOMEM;
    for (size_t m = 0; m < src->s->nmetrics; m++)
        if (jxi_input_set_origin(dst, m, src->origin[m], src->origin_detail[m]) < 0)
            return JX_ENOMEM;
    return 0;
}

void jxi_input_swap_origins(jx_input *a, jx_input *b)
{
    unsigned char *o = a->origin;
    char **d = a->origin_detail;
    a->origin = b->origin;
    a->origin_detail = b->origin_detail;
    b->origin = o;
    b->origin_detail = d;
}

void jxi_input_free_origins(jx_input *in)
{
    if (in->origin_detail)
        for (size_t m = 0; m < in->s->nmetrics; m++)
            jxi_free(in->origin_detail[m]);
    jxi_free(in->origin_detail);
    jxi_free(in->origin);
    in->origin = NULL;
    in->origin_detail = NULL;
}

JX_API int jx_input_origin(const jx_input *in, size_t m)
{
    if (!in || m >= in->s->nmetrics)
        return JX_EARG;
    if (in->states[m] == JXI_SLOT_MISSING)
        return JX_ORIGIN_NONE;
    return in->origin && in->origin[m] ? in->origin[m] : JX_ORIGIN_SET;
}

JX_API const char *jx_input_origin_detail(const jx_input *in, size_t m)
{
    if (!in || m >= in->s->nmetrics)
        return NULL;
    if (in->states[m] == JXI_SLOT_MISSING || !in->origin_detail || !in->origin_detail[m])
        return "";
    return in->origin_detail[m];
}
