/* One project's rows: checked, then turned into a scheme (built directly by
 * project_compile.c; as JSON text here, the document of its digest) and an
 * input holding its actual values. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "load/load.h"
#include "project/project.h"
#include "util/num.h"

enum { C_ID, C_NAME, C_DEPT, C_AGENCY, C_INIT, C_BUDGET, C_SPENT,
       C_L1, C_L2, C_L3, C_WEIGHT, C_TARGET, C_ACTUAL, C_WHY };

static int num_cell(const char *s, double *out)
{
    return jx_parse_number(s, strlen(s), out);
}

/* Check and parse every row; fills target, actual, level, weight. */
static int check_rows(jx_projects *ps, jxi_project *p, jx_error *err)
{
    const jxi_pprofile *pf = ps->profile;
    char why[200];
    double sum = 0, v;
    for (int c = C_INIT; c <= C_SPENT; c++)
        if (*p->field[c] && num_cell(p->field[c], &v) != 0) {
            jxi_project_error(ps, p, p->line, c, err, JX_EVALUE,
                              "\"%s\" is not a number (万元, written like 120 or 95.5)",
                              p->field[c]);
            return JX_EVALUE;
        }
    for (size_t j = 0; j < p->nrows; j++) {
        jxi_prow *r = &p->rows[j];
        size_t f;
        for (f = 0; f < pf->nfirst; f++)
            if (strcmp(r->cell[C_L1], pf->first[f]) == 0)
                break;
        if (f == pf->nfirst) {
            jxi_project_error(ps, p, r->line, C_L1, err, JX_EVALUE,
                              "\"%s\" is not a 一级指标 of profile %s (expected %s, ...)",
                              r->cell[C_L1], pf->id, pf->first[0]);
            return JX_EVALUE;
        }
        for (int c = C_L2; c <= C_L3; c++)
            if (!*r->cell[c]) {
                jxi_project_error(ps, p, r->line, c, err, JX_EREQUIRED, "empty; a name is required");
                return JX_EREQUIRED;
            }
        for (size_t q = 0; q < j; q++)
            if (strcmp(p->rows[q].cell[C_L1], r->cell[C_L1]) == 0
                && strcmp(p->rows[q].cell[C_L2], r->cell[C_L2]) == 0
                && strcmp(p->rows[q].cell[C_L3], r->cell[C_L3]) == 0) {
                jxi_project_error(ps, p, r->line, C_L3, err, JX_EDUPLICATE,
                                  "duplicate indicator \"%s\" (also at line %d)", r->cell[C_L3],
                                  p->rows[q].line);
                return JX_EDUPLICATE;
            }
        if (num_cell(r->cell[C_WEIGHT], &r->weight) != 0 || r->weight <= 0) {
            jxi_project_error(ps, p, r->line, C_WEIGHT, err, JX_EVALUE,
                              "\"%s\": expected a number of points greater than 0",
                              r->cell[C_WEIGHT]);
            return JX_EVALUE;
        }
        sum += r->weight;
        int prc = jxi_pvalue_parse(r->cell[C_TARGET], 1, NULL, &r->target, why, sizeof why);
        if (prc != 0 || (r->target.kind != JXI_PV_NUMBER && r->target.kind != JXI_PV_WORD)) {
            if (prc == 0)
                snprintf(why, sizeof why, "empty; a 年度指标值 is required");
            jxi_project_error(ps, p, r->line, C_TARGET, err, JX_EVALUE,
                              "cannot read \"%s\": %s", r->cell[C_TARGET], why);
            return JX_EVALUE;
        }
        if (r->target.kind == JXI_PV_NUMBER) {
            double t = 0;
            if (jx_parse_number(r->target.num, strlen(r->target.num), &t) != 0
                || (r->target.op == '<' ? t < 0 : t <= 0)) {
                jxi_project_error(ps, p, r->line, C_TARGET, err, JX_EVALUE,
                                  "\"%s\": a target scored in proportion must be %s",
                                  r->cell[C_TARGET], r->target.op == '<' ? ">= 0" : "> 0");
                return JX_EVALUE;
            }
        }
        if (jxi_pvalue_parse(r->cell[C_ACTUAL], 0, pf->na_word, &r->actual, why, sizeof why)
            != 0) {
            jxi_project_error(ps, p, r->line, C_ACTUAL, err, JX_EVALUE, "cannot read \"%s\": %s",
                              r->cell[C_ACTUAL], why);
            return JX_EVALUE;
        }
        r->level = -1;
        if (r->target.kind == JXI_PV_NUMBER && r->actual.kind == JXI_PV_WORD) {
            jxi_project_error(ps, p, r->line, C_ACTUAL, err, JX_EVALUE,
                              "\"%s\": the target %s is a number, so the actual value must be "
                              "a number in %s", r->cell[C_ACTUAL], r->cell[C_TARGET],
                              *r->target.unit ? r->target.unit : "the same unit");
            return JX_EVALUE;
        }
        if (r->target.kind == JXI_PV_NUMBER && r->actual.kind == JXI_PV_NUMBER
            && jxi_pvalue_convert(r->actual.num, sizeof r->actual.num, r->actual.unit,
                                  r->target.unit, why, sizeof why) != 0) {
            jxi_project_error(ps, p, r->line, C_ACTUAL, err, JX_EVALUE, "%s", why);
            return JX_EVALUE;
        }
        if (r->target.kind == JXI_PV_WORD && r->actual.kind == JXI_PV_NUMBER) {
            jxi_project_error(ps, p, r->line, C_ACTUAL, err, JX_EVALUE,
                              "\"%s\": the target is qualitative, so the actual value is a "
                              "level (%s, ...)", r->cell[C_ACTUAL], pf->levels[0].name);
            return JX_EVALUE;
        }
        if (r->actual.kind == JXI_PV_WORD) {
            r->level = jxi_pprofile_level(pf, r->actual.word, strlen(r->actual.word));
            if (r->level < 0) {
                jxi_project_error(ps, p, r->line, C_ACTUAL, err, JX_ELEVEL,
                                  "\"%s\" is not a level of profile %s (expected %s, ..., %s)",
                                  r->actual.word, pf->id, pf->levels[0].name,
                                  pf->levels[pf->nlevels - 1].name);
                return JX_ELEVEL;
            }
            if (r->actual.has_percent && !pf->tiers) {
                jxi_project_error(ps, p, r->line, C_ACTUAL, err, JX_EVALUE,
                                  "profile %s scores each level by a fixed share; write the "
                                  "level without a percent", pf->id);
                return JX_EVALUE;
            }
        }
    }
    if (jxi_cmp(sum, pf->indicator_total) != 0) {
        char got[64], want[64];
        jxi_format_g(sum, got, sizeof got);
        jxi_format_g(pf->indicator_total, want, sizeof want);
        jxi_project_error(ps, p, p->line, C_WEIGHT, err, JX_ESUM,
                          "the 分值 of the project's indicators add up to %s; they must add up "
                          "to %s (%s takes the other %g)", got, want, pf->budget_name,
                          pf->budget_weight);
        return JX_ESUM;
    }
    return 0;
}

static void number(jxi_buf *b, double x)
{
    jxi_buf_number_g(b, jxi_snap(x));
}

/* Named after the 三级指标 so reasons read as the form does. */
void jxi_project_metric_name(const jxi_project *p, size_t j, const char *suffix, char *out,
                             size_t size)
{
    const char *n3 = p->rows[j].cell[C_L3];
    int plain = strlen(n3) < 150 && !strchr(n3, ']');
    for (const char *c = n3; *c && plain; c++)
        if ((unsigned char)*c < 0x20)
            plain = 0;
    int clash = 0;
    for (size_t q = 0; q < p->nrows && plain; q++)
        if (q != j && strcmp(p->rows[q].cell[C_L3], n3) == 0)
            clash = 1;
    if (!plain)
        snprintf(out, size, "第%d行%s", p->rows[j].line, suffix);
    else if (clash)
        snprintf(out, size, "%s(第%d行)%s", n3, p->rows[j].line, suffix);
    else
        snprintf(out, size, "%s%s", n3, suffix);
}

/* A profile's cap as a ratio rule's "over" (nothing without one). */
static void over_json(jxi_buf *b, const jxi_pover *o)
{
    if (!o->on)
        return;
    jxi_buf_puts(b, ",\"over\":{\"beyond\":");
    number(b, o->beyond);
    jxi_buf_puts(b, ",\"fraction\":");
    number(b, o->fraction);
    jxi_buf_putc(b, '}');
}

static void leaf_json(jxi_buf *b, const jx_projects *ps, const jxi_project *p, size_t j,
                      const char *id)
{
    const jxi_pprofile *pf = ps->profile;
    const jxi_prow *r = &p->rows[j];
    char name[512];
    jxi_buf_puts(b, "{\"id\":");
    jxi_buf_json_string(b, id);
    jxi_buf_puts(b, ",\"name\":");
    jxi_buf_json_string(b, r->cell[C_L3]);
    jxi_buf_puts(b, ",\"max\":");
    number(b, r->weight);
    jxi_buf_puts(b, ",\"description\":");
    jxi_buf_json_string(b, r->cell[C_TARGET]);
    if (r->target.kind == JXI_PV_NUMBER) {
        if (*r->target.unit) {
            jxi_buf_puts(b, ",\"unit\":");
            jxi_buf_json_string(b, r->target.unit);
        }
        jxi_project_metric_name(p, j, "实际完成值", name, sizeof name);
        char formula[520];
        snprintf(formula, sizeof formula, "[%s]", name);
        jxi_buf_puts(b, ",\"value\":");
        jxi_buf_json_string(b, formula);
        jxi_buf_printf(b, ",\"rule\":{\"ratio\":{\"target\":\"%s %s\"",
                       r->target.op == '>' ? ">=" : r->target.op == '<' ? "<=" : "=",
                       r->target.num);
        if (r->target.op == '>')
            over_json(b, &pf->over);
        jxi_buf_puts(b, "}}}");
        return;
    }
    jxi_project_metric_name(p, j, "达成情况", name, sizeof name);
    jxi_buf_puts(b, ",\"rule\":{\"level\":{\"metric\":");
    jxi_buf_json_string(b, name);
    if (pf->tiers) {
        jxi_project_metric_name(p, j, "得分率", name, sizeof name);
        jxi_buf_puts(b, ",\"percent\":");
        jxi_buf_json_string(b, name);
        jxi_buf_puts(b, ",\"tiers\":{");
    } else
        jxi_buf_puts(b, ",\"fractions\":{");
    for (size_t l = 0; l < pf->nlevels; l++) {
        if (l)
            jxi_buf_putc(b, ',');
        jxi_buf_json_key(b, pf->levels[l].name);
        if (pf->tiers)
            jxi_buf_json_string(b, pf->levels[l].tier);
        else
            number(b, pf->levels[l].fraction);
    }
    jxi_buf_puts(b, "}}}}");
}

char *jxi_project_scheme_json(const jx_projects *ps, const jxi_project *p)
{
    const jxi_pprofile *pf = ps->profile;
    jxi_buf b;
    jxi_buf_init(&b);
    jxi_buf_puts(&b, "{\"jixiao\":1,\"id\":");
    jxi_buf_json_string(&b, *p->field[C_ID] ? p->field[C_ID] : p->field[C_NAME]);
    jxi_buf_puts(&b, ",\"title\":");
    jxi_buf_json_string(&b, p->field[C_NAME]);
    jxi_buf_puts(&b, ",\"description\":");
    jxi_buf_json_string(&b, pf->title);
    jxi_buf_puts(&b, ",\"total\":");
    number(&b, pf->budget_weight + pf->indicator_total);
    jxi_buf_printf(&b, ",\"precision\":%d,\"not_applicable\":\"rescale\",\"lang\":\"zh\","
                   "\"grades\":[", pf->precision);
    for (size_t g = 0; g < pf->ngrades; g++) {
        jxi_buf_puts(&b, g ? ",{\"label\":" : "{\"label\":");
        jxi_buf_json_string(&b, pf->grades[g].label);
        jxi_buf_puts(&b, ",\"min\":");
        number(&b, pf->grades[g].min);
        jxi_buf_putc(&b, '}');
    }
    jxi_buf_puts(&b, "],\"metrics\":{\"全年预算数\":{\"unit\":\"万元\"},"
                     "\"全年执行数\":{\"unit\":\"万元\"}");
    for (size_t j = 0; j < p->nrows; j++) {
        const jxi_prow *r = &p->rows[j];
        char name[512];
        if (r->target.kind == JXI_PV_NUMBER) {
            jxi_project_metric_name(p, j, "实际完成值", name, sizeof name);
            jxi_buf_putc(&b, ',');
            jxi_buf_json_key(&b, name);
            jxi_buf_puts(&b, "{\"unit\":");
            jxi_buf_json_string(&b, r->target.unit);
            jxi_buf_putc(&b, '}');
            continue;
        }
        jxi_project_metric_name(p, j, "达成情况", name, sizeof name);
        jxi_buf_putc(&b, ',');
        jxi_buf_json_key(&b, name);
        jxi_buf_puts(&b, "{\"type\":\"level\",\"levels\":[");
        for (size_t l = 0; l < pf->nlevels; l++) {
            if (l)
                jxi_buf_putc(&b, ',');
            jxi_buf_json_string(&b, pf->levels[l].name);
        }
        jxi_buf_puts(&b, "]}");
        if (pf->tiers) {
            jxi_project_metric_name(p, j, "得分率", name, sizeof name);
            jxi_buf_putc(&b, ',');
            jxi_buf_json_key(&b, name);
            jxi_buf_puts(&b, "{\"unit\":\"%\"}");
        }
    }
    jxi_buf_puts(&b, "},\"indicators\":[{\"id\":\"1\",\"name\":");
    jxi_buf_json_string(&b, pf->budget_name);
    jxi_buf_puts(&b, ",\"max\":");
    number(&b, pf->budget_weight);
    jxi_buf_puts(&b, ",\"unit\":\"%\",\"round\":2,\"value\":\"全年执行数 / 全年预算数 * 100\","
                     "\"rule\":{\"ratio\":{\"target\":\">= 100\"");
    over_json(&b, &pf->budget_over);
    jxi_buf_puts(&b, "}}}");
    /* 一级 and 二级 in the order they first appear. */
    size_t n1 = 0;
    for (size_t j = 0; j < p->nrows; j++) {
        const char *l1 = p->rows[j].cell[C_L1];
        size_t q;
        for (q = 0; q < j && strcmp(p->rows[q].cell[C_L1], l1) != 0; q++)
            ;
        if (q < j)
            continue;
        n1++;
        double w1 = 0;
        for (size_t k = j; k < p->nrows; k++)
            if (strcmp(p->rows[k].cell[C_L1], l1) == 0)
                w1 += p->rows[k].weight;
        jxi_buf_printf(&b, ",{\"id\":\"%zu\",\"name\":", n1 + 1);
        jxi_buf_json_string(&b, l1);
        jxi_buf_puts(&b, ",\"max\":");
        number(&b, w1);
        jxi_buf_puts(&b, ",\"children\":[");
        size_t n2 = 0;
        for (size_t k = j; k < p->nrows; k++) {
            const char *l2 = p->rows[k].cell[C_L2];
            if (strcmp(p->rows[k].cell[C_L1], l1) != 0)
                continue;
            size_t q2;
            for (q2 = j; q2 < k; q2++)
                if (strcmp(p->rows[q2].cell[C_L1], l1) == 0
                    && strcmp(p->rows[q2].cell[C_L2], l2) == 0)
                    break;
            if (q2 < k)
                continue;
            n2++;
            double w2 = 0;
            for (size_t m = k; m < p->nrows; m++)
                if (strcmp(p->rows[m].cell[C_L1], l1) == 0
                    && strcmp(p->rows[m].cell[C_L2], l2) == 0)
                    w2 += p->rows[m].weight;
            jxi_buf_printf(&b, "%s{\"id\":\"%zu.%zu\",\"name\":", n2 > 1 ? "," : "", n1 + 1, n2);
            jxi_buf_json_string(&b, l2);
            jxi_buf_puts(&b, ",\"max\":");
            number(&b, w2);
            jxi_buf_puts(&b, ",\"children\":[");
            size_t n3 = 0;
            for (size_t m = k; m < p->nrows; m++) {
                if (strcmp(p->rows[m].cell[C_L1], l1) != 0
                    || strcmp(p->rows[m].cell[C_L2], l2) != 0)
                    continue;
                char id[64];
                snprintf(id, sizeof id, "%zu.%zu.%zu", n1 + 1, n2, ++n3);
                if (n3 > 1)
                    jxi_buf_putc(&b, ',');
                leaf_json(&b, ps, p, m, id);
            }
            jxi_buf_puts(&b, "]}");
        }
        jxi_buf_puts(&b, "]}");
    }
    jxi_buf_puts(&b, "]}");
    return jxi_buf_take(&b);
}

static int fill_input(jx_projects *ps, jxi_project *p, jx_error *err)
{
    const jxi_pprofile *pf = ps->profile;
    jx_input *in = p->input;
    double v;
    if (*p->field[C_BUDGET] && num_cell(p->field[C_BUDGET], &v) == 0)
        jx_input_set_number(in, "全年预算数", v);
    if (*p->field[C_SPENT] && num_cell(p->field[C_SPENT], &v) == 0)
        jx_input_set_number(in, "全年执行数", v);
    for (size_t j = 0; j < p->nrows; j++) {
        jxi_prow *r = &p->rows[j];
        char name[512];
        int rc = 0;
        if (r->actual.kind == JXI_PV_NA) {
            rc = jx_input_set_not_applicable(in, jx_scheme_indicator_id(p->scheme, r->leaf));
        } else if (r->actual.kind == JXI_PV_NUMBER) {
            jxi_project_metric_name(p, j, "实际完成值", name, sizeof name);
            if (jx_parse_number(r->actual.num, strlen(r->actual.num), &v) == 0)
                rc = jx_input_set_number(in, name, v);
        } else if (r->actual.kind == JXI_PV_WORD) {
            jxi_project_metric_name(p, j, "达成情况", name, sizeof name);
            rc = jx_input_set_text(in, name, r->actual.word);
            if (rc == 0 && pf->tiers) {
                jxi_project_metric_name(p, j, "得分率", name, sizeof name);
                v = pf->levels[r->level].deflt;
                if (r->actual.has_percent)
                    jx_parse_number(r->actual.percent, strlen(r->actual.percent), &v);
                rc = jx_input_set_number(in, name, v);
            }
        }
        if (rc < 0) {
            jxi_project_error(ps, p, r->line, C_ACTUAL, err, rc, "cannot be set (%s)",
                              jx_strerror(rc));
            return rc;
        }
    }
    return 0;
}

int jxi_project_digest(const void *ctx, size_t k, char out[65])
{
    const jx_projects *ps = ctx;
    char *text = jxi_project_scheme_json(ps, &ps->p[k]);
    json_t *root = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    int rc = root ? jxi_scheme_digest_json(root, out) : JX_ENOMEM;
    json_decref(root);
    jxi_free(text);
    return rc < 0 ? rc : 0;
}

int jxi_project_build(jx_projects *ps, jxi_project *p, jx_error *err)
{
    int rc = check_rows(ps, p, err);
    if (rc == 0)
        rc = jxi_project_compile(ps, p, err);
    if (rc < 0)
        return rc;
    p->input = jx_input_new(p->scheme);
    if (!p->input) {
        jxi_error_set(err, JX_ENOMEM, "out of memory");
        return JX_ENOMEM;
    }
    return fill_input(ps, p, err);
}
