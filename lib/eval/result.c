/* Reading a result (see jixiao.h). */
#include "eval/result.h"

JX_API void jx_result_free(jx_result *r)
{
    if (!r)
        return;
    if (r->reasons && r->s)
        for (size_t i = 0; i < r->s->ninds; i++)
            jxi_free(r->reasons[i]);
    jxi_free(r->reasons);
    jxi_free(r->ind);
    jxi_free(r->missing);
    jxi_free(r->values);
    jxi_free(r->states);
    jxi_free(r->entity);
    if (r->s)
        jxi_scheme_release(r->s);
    jxi_free(r);
}

JX_API double jx_result_total(const jx_result *r) { return r ? r->total : 0; }

JX_API const char *jx_result_grade(const jx_result *r)
{
    return r ? r->s->grades[r->grade].label : NULL;
}

JX_API size_t jx_result_grade_index(const jx_result *r) { return r ? r->grade : JX_NONE; }
JX_API int jx_result_complete(const jx_result *r) { return r ? r->complete : 0; }
JX_API const jx_scheme *jx_result_scheme(const jx_result *r) { return r ? r->s : NULL; }

static const jxi_ind_result *at(const jx_result *r, size_t i)
{
    return r && i < r->s->ninds ? &r->ind[i] : NULL;
}

JX_API int jx_result_status(const jx_result *r, size_t i)
{
    const jxi_ind_result *x = at(r, i);
    return x ? x->status : JX_EARG;
}

JX_API double jx_result_score(const jx_result *r, size_t i)
{
    const jxi_ind_result *x = at(r, i);
    return x ? x->score : 0;
}

JX_API int jx_result_has_value(const jx_result *r, size_t i)
{
    const jxi_ind_result *x = at(r, i);
    return x ? x->has_value : 0;
}

JX_API double jx_result_value(const jx_result *r, size_t i)
{
    const jxi_ind_result *x = at(r, i);
    return x && x->has_value ? x->value : 0;
}

JX_API const char *jx_result_reason(const jx_result *r, size_t i)
{
    return at(r, i) ? r->reasons[i] : NULL;
}

JX_API const char *jx_status_name(int status)
{
    switch (status) {
    case JX_STATUS_SCORED: return "scored";
    case JX_STATUS_MISSING: return "missing";
    case JX_STATUS_NOT_APPLICABLE: return "not_applicable";
    case JX_STATUS_UNDEFINED: return "undefined";
    default: return "unknown";
    }
}

JX_API const char *jx_result_value_unit(const jx_result *r, size_t i)
{
    const jxi_ind_result *x = at(r, i);
    if (!x)
        return NULL;
    const jxi_indicator *d = &r->s->inds[i];
    return x->alt >= 0 ? d->rule.alts[x->alt].unit : d->unit;
}

JX_API int jx_result_value_decimals(const jx_result *r, size_t i)
{
    const jxi_ind_result *x = at(r, i);
    if (!x)
        return JX_EARG;
    const jxi_indicator *d = &r->s->inds[i];
    int round = x->alt >= 0 ? d->rule.alts[x->alt].round : d->round;
    return round >= 0 ? round : r->s->precision;
}
