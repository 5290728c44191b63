/* Helpers jx-project's writers share: numbers as text, a project's id, its
 * incomplete indicators and its deductions. */
#include <stdio.h>
#include <string.h>

#include "project_out.h"

jxp_numtext jxp_num(double x, int digits)
{
    jxp_numtext t;
    jx_format_number(x, digits, t.s, sizeof t.s);
    return t;
}

jxp_numtext jxp_num_short(double x)
{
    jxp_numtext t = jxp_num(x, 2);
    char *dot = strchr(t.s, '.');
    if (dot) {
        char *e = t.s + strlen(t.s);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    return t;
}

const char *jxp_id(const jx_projects *ps, size_t k)
{
    const char *id = jx_projects_field(ps, k, JX_PROJECT_ID);
    return *id ? id : jx_projects_field(ps, k, JX_PROJECT_NAME);
}

void jxp_incomplete(const jx_projects *ps, size_t k, char *out, size_t size)
{
    const jx_result *r = jx_projects_result(ps, k);
    const jx_scheme *s = jx_projects_scheme(ps, k);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < jx_scheme_indicator_count(s); i++) {
        int st = jx_result_status(r, i);
        if (!jx_scheme_indicator_is_leaf(s, i) || (st != JX_STATUS_MISSING && st != JX_STATUS_UNDEFINED))
            continue;
        int n = snprintf(out + used, size - used, "%s%s(%s)", used ? "; " : "",
                         jx_scheme_indicator_name(s, i), jx_status_name(st));
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

int jxp_deduction(const jx_projects *ps, size_t k, size_t i, char *out, size_t size)
{
    const jx_result *r = jx_projects_result(ps, k);
    const jx_scheme *s = jx_projects_scheme(ps, k);
    if (!jx_scheme_indicator_is_leaf(s, i))
        return 0;
    int st = jx_result_status(r, i);
    if (st == JX_STATUS_SCORED && jx_result_score(r, i) >= jx_scheme_indicator_max(s, i))
        return 0;
    if (st == JX_STATUS_SCORED)
        snprintf(out, size, "%s 扣 %s 分:%s", jx_scheme_indicator_name(s, i),
                 jxp_num(jx_scheme_indicator_max(s, i) - jx_result_score(r, i), 2).s,
                 jx_result_reason(r, i));
    else
        snprintf(out, size, "%s:%s", jx_scheme_indicator_name(s, i), jx_result_reason(r, i));
    return 1;
}
