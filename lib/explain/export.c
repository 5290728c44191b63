/* A result as JSON: stable key order, the scheme's precision, no locale. */
#include "eval/result.h"

JX_API char *jx_result_to_json(const jx_result *r, unsigned flags)
{
    (void)flags;
    if (!r)
        return NULL;
    const jx_scheme *s = r->s;
    int p = s->precision;
    jxi_buf b;
    jxi_buf_init(&b);
    jxi_buf_putc(&b, '{');
    jxi_buf_json_key(&b, "scheme");
    jxi_buf_json_string(&b, s->id);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "title");
    jxi_buf_json_string(&b, s->title);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "total");
    jxi_buf_number(&b, r->total, p);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "max");
    jxi_buf_number(&b, s->total, p);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "grade");
    jxi_buf_json_string(&b, s->grades[r->grade].label);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "complete");
    jxi_buf_puts(&b, r->complete ? "true" : "false");
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "rescaled");
    jxi_buf_puts(&b, r->rescaled ? "true" : "false");
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "earned");
    jxi_buf_number(&b, r->earned, p);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "applicable_max");
    jxi_buf_number(&b, r->applicable, p);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "lang");
    jxi_buf_json_string(&b, r->lang_en ? "en" : "zh");
    jxi_buf_putc(&b, ',');
    jxi_audit_json(r, &b);
    jxi_buf_putc(&b, ',');
    jxi_buf_json_key(&b, "indicators");
    jxi_buf_putc(&b, '[');
    for (size_t i = 0; i < s->ninds; i++) {
        const jxi_indicator *d = &s->inds[i];
        const jxi_ind_result *ir = &r->ind[i];
        if (i)
            jxi_buf_putc(&b, ',');
        jxi_buf_putc(&b, '{');
        jxi_buf_json_key(&b, "id");
        jxi_buf_json_string(&b, d->id);
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "name");
        jxi_buf_json_string(&b, d->name);
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "depth");
        jxi_buf_printf(&b, "%d", d->depth);
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "parent");
        if (d->parent == JX_NONE)
            jxi_buf_puts(&b, "null");
        else
            jxi_buf_json_string(&b, s->inds[d->parent].id);
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "leaf");
        jxi_buf_puts(&b, d->is_leaf ? "true" : "false");
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "status");
        jxi_buf_json_string(&b, jx_status_name(ir->status));
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "max");
        jxi_buf_number(&b, d->max, p);
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "score");
        jxi_buf_number(&b, ir->score, p);
        if (d->is_leaf) {
            jxi_buf_putc(&b, ',');
            jxi_buf_json_key(&b, "rule");
            jxi_buf_json_string(&b, jxi_rule_kind_name(d->rule.kind));
            jxi_buf_putc(&b, ',');
            jxi_buf_json_key(&b, "value");
            if (ir->has_value) {
                jxi_buf_number(&b, ir->value, jx_result_value_decimals(r, i));
            } else {
                jxi_buf_puts(&b, "null");
            }
            jxi_buf_putc(&b, ',');
            jxi_buf_json_key(&b, "unit");
            jxi_buf_json_string(&b, jx_result_value_unit(r, i));
            if (d->rule.kind == JXI_RULE_ONE_OF) {
                jxi_buf_putc(&b, ',');
                jxi_buf_json_key(&b, "alternative");
                if (ir->alt >= 0)
                    jxi_buf_json_string(&b, d->rule.alts[ir->alt].name);
                else
                    jxi_buf_puts(&b, "null");
            }
            jxi_buf_putc(&b, ',');
            jxi_buf_json_key(&b, "missing");
            jxi_buf_putc(&b, '[');
            for (size_t k = 0; k < ir->miss_n; k++) {
                if (k)
                    jxi_buf_putc(&b, ',');
                jxi_buf_json_string(&b, jxi_slot_name(s, r->missing[ir->miss_at + k]));
            }
            jxi_buf_putc(&b, ']');
        }
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, "reason");
        jxi_buf_json_string(&b, r->reasons[i]);
        jxi_buf_putc(&b, '}');
    }
    jxi_buf_puts(&b, "]}\n");
    return jxi_buf_take(&b);
}
