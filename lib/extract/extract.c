/* Running an extraction profile over report text: every match keeps its
 * provenance; values are converted to the metric's unit exactly; matches
 * that must agree and do not are reported, never resolved silently. The
 * compiled patterns are shared read-only; match data is per call. */
#ifndef JX_NO_EXTRACT

#include <math.h>
#include <string.h>

#include "extract/extract.h"
#include "eval/input.h"
#include "extract/normtext.h"
#include "extract/numtext.h"
#include "compile/scheme.h"
#include "util/num.h"

typedef struct jxi_xmatch {
    int pattern;
    size_t offset;
    int line, column;
    char *text;
    double value;
} jxi_xmatch;

typedef struct jxi_xentry {
    size_t metric;
    const jxi_metric *target;
    int status;        /* jx_found */
    double value;
    const char *unit;  /* the profile's unit (owned by the scheme) */
    char *message;     /* conflict or invalid: why */
    size_t first, n;   /* matches[first .. first + n) */
} jxi_xentry;

struct jx_extraction {
    const jx_scheme *s; /* retained; NULL for a standard block */
    jx_extraction *std; /* the standard block of a scheme's extraction */
    jxi_profile *own;   /* the patterns of jx_extract_standard's block */
    jxi_xentry *e;
    size_t n;
    jxi_xmatch *m;
    size_t nm, cap;
};

/* Per-call state. */
typedef struct xrun {
    jx_extraction *x;
    const char *text;   /* normalized: what patterns see */
    size_t len;
    const char *orig;   /* as written: what positions and match texts are of */
    size_t orig_len;
    jxi_normtext nt;
    uint32_t *cols; /* see build_lines */
    size_t *lines; /* byte offset of each line's start */
    size_t nlines;
    size_t line_hint, seg_hint; /* jxi_find_le's starting points */
    pcre2_match_data *md;
    pcre2_match_context *mc;
    uint32_t options;
    jx_error *err;
} xrun;

JX_API int jx_scheme_has_extraction(const jx_scheme *s)
{
    return s && s->extract ? 1 : 0;
}

unsigned jxi_extract_features(void)
{
    uint32_t jit = 0;
    pcre2_config(PCRE2_CONFIG_JIT, &jit);
    return JX_FEATURE_EXTRACT | (jit ? JX_FEATURE_JIT : 0u);
}

/* Line starts, and every JXI_COL_STEP bytes the column (in characters)
 * that byte is at, so that a match's column is counted from a checkpoint
 * near it rather than from the start of a long line. */
#define JXI_COL_STEP 64

static int build_lines(xrun *r)
{
    size_t n = 1;
    for (size_t i = 0; i < r->orig_len; i++)
        n += r->orig[i] == '\n';
    r->lines = jxi_malloc(n * sizeof *r->lines);
    r->cols = jxi_malloc((r->orig_len / JXI_COL_STEP + 1) * sizeof *r->cols);
    if (!r->lines || !r->cols)
        return JX_ENOMEM;
    r->lines[0] = 0;
    r->nlines = 1;
    uint32_t col = 1;
    for (size_t i = 0; i < r->orig_len; i++) {
        if (i % JXI_COL_STEP == 0)
            r->cols[i / JXI_COL_STEP] = col;
        if (r->orig[i] == '\n') {
            r->lines[r->nlines++] = i + 1;
            col = 1;
        } else if (((unsigned char)r->orig[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    if (r->orig_len % JXI_COL_STEP == 0)
        r->cols[r->orig_len / JXI_COL_STEP] = col;
    return 0;
}

static void position(xrun *r, size_t off, int *line, int *column)
{
    size_t lo = jxi_find_le(r->lines, r->nlines, off, &r->line_hint);
    /* From the checkpoint before off, or the line's start if it is later. */
    size_t from = off / JXI_COL_STEP * JXI_COL_STEP;
    uint32_t col = r->cols[off / JXI_COL_STEP];
    if (from < r->lines[lo]) {
        from = r->lines[lo];
        col = 1;
    }
    for (size_t i = from; i < off; i++)
        if (((unsigned char)r->orig[i] & 0xC0) != 0x80)
            col++;
    *line = (int)lo + 1;
    *column = (int)col;
}

/* A match at original bytes [start, end). */
static int add_match_orig(xrun *r, int pattern, size_t start, size_t end, double value)
{
    jx_extraction *x = r->x;
    if (x->nm == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 32;
        jxi_xmatch *nm = jxi_realloc(x->m, cap * sizeof *nm);
        if (!nm)
            return JX_ENOMEM;
        x->m = nm;
        x->cap = cap;
    }
    jxi_xmatch *m = &x->m[x->nm];
    if (!(m->text = jxi_strndup(r->orig + start, end - start)))
        return JX_ENOMEM;
    m->pattern = pattern;
    m->offset = start;
    m->value = value;
    position(r, start, &m->line, &m->column);
    x->nm++;
    return 0;
}

/* A match at normalized bytes [start, end). */
static int add_match(xrun *r, int pattern, size_t start, size_t end, double value)
{
    size_t o = jxi_normtext_orig(&r->nt, start, &r->seg_hint);
    return add_match_orig(r, pattern, o, jxi_normtext_orig_end(&r->nt, start, end, &r->seg_hint),
                          value);
}

static int set_message(jxi_xentry *e, int status, const char *msg)
{
    e->status = status;
    jxi_free(e->message);
    return (e->message = jxi_strdup(msg)) ? 0 : JX_ENOMEM;
}

/* The value of one match: the "value" group read as a number (or a level,
 * or presence for a bool), converted from the "unit" group's unit. */
static int match_value(const jxi_xmetric *xm, const jxi_xpattern *p, const char *text,
                       const PCRE2_SIZE *ov, double *out, char *why, size_t whylen)
{
    const jxi_metric *metric = xm->target;
    int has_value = p->value_group && ov[2 * p->value_group] != PCRE2_UNSET;
    /* Without a value group the whole match is the captured text. */
    size_t from = has_value ? ov[2 * p->value_group] : ov[0];
    size_t to = has_value ? ov[2 * p->value_group + 1] : ov[1];
    const char *v = text + from;
    size_t vl = to - from;
    if (xm->nmap) {
        for (size_t k = 0; k < xm->nmap; k++) {
            if (strlen(xm->map_from[k]) == vl && memcmp(xm->map_from[k], v, vl) == 0) {
                *out = xm->map_to[k];
                return 0;
            }
        }
        snprintf(why, whylen, "\"%.*s\" is not in the entry's \"map\"", (int)vl, v);
        return JX_EVALUE;
    }
    if (!has_value) {
        if (metric->type == JX_METRIC_BOOL) {
            *out = 1;
            return 0;
        }
        snprintf(why, whylen, "the pattern matched without its \"value\" group");
        return JX_EVALUE;
    }
    if (metric->type == JX_METRIC_LEVEL) {
        for (size_t k = 0; k < metric->nlevels; k++) {
            if (strlen(metric->levels[k]) == vl && memcmp(metric->levels[k], v, vl) == 0) {
                *out = (double)k;
                return 0;
            }
        }
        snprintf(why, whylen, "\"%.*s\" is not a level of metric \"%s\"", (int)vl, v,
                 metric->name);
        return JX_ELEVEL;
    }
    if (metric->type == JX_METRIC_BOOL) {
        /* Negative evidence reads as no: "未开展", "尚未建立", "没有公开". */
        static const char *const yes[] = {"是", "有", "已", "true", "yes", "1"};
        static const char *const no[] = {"否", "无", "false", "no", "0", "未", "尚未", "没有",
                                         "不", "未能"};
        for (size_t k = 0; k < sizeof no / sizeof no[0]; k++) {
            if (k < sizeof yes / sizeof yes[0] && strlen(yes[k]) == vl &&
                memcmp(yes[k], v, vl) == 0) {
                *out = 1;
                return 0;
            }
            if (strlen(no[k]) == vl && memcmp(no[k], v, vl) == 0) {
                *out = 0;
                return 0;
            }
        }
        snprintf(why, whylen, "\"%.*s\" is not a yes/no answer (是/否)", (int)vl, v);
        return JX_EVALUE;
    }
    jxi_decnum d;
    size_t used;
    if (jxi_numtext_parse(v, vl, &d, &used, why, whylen) < 0)
        return JX_EVALUE;
    /* A unit written inside the value group ("2100.09万元", "100%") counts
     * as the unit when there is no unit group. */
    const char *u = v + used;
    size_t ul = vl - used;
    if (p->unit_group && ov[2 * p->unit_group] != PCRE2_UNSET) {
        u = text + ov[2 * p->unit_group];
        ul = ov[2 * p->unit_group + 1] - ov[2 * p->unit_group];
    }
    while (ul > 0 && (*u == ' ' || *u == '\t')) {
        u++;
        ul--;
    }
    if (ul > 0 && jxi_unit_convert(&d, u, ul, xm->unit, strlen(xm->unit), why, whylen) < 0)
        return JX_EVALUE;
    *out = jxi_decnum_value(&d);
    if (!isfinite(*out)) {
        snprintf(why, whylen, "\"%.*s\" is out of the range of numbers", (int)(vl > 40 ? 40 : vl),
                 v);
        return JX_EVALUE;
    }
    return 0;
}

static int limit_error(xrun *r, const jxi_xmetric *xm, size_t k, int rc)
{
    const char *what = rc == PCRE2_ERROR_MATCHLIMIT   ? "match limit"
                       : rc == PCRE2_ERROR_DEPTHLIMIT ? "depth limit"
                       : rc == PCRE2_ERROR_HEAPLIMIT  ? "heap limit"
                       : rc == PCRE2_ERROR_JIT_STACKLIMIT ? "JIT stack limit"
                                                          : NULL;
    const char *name = xm->target->name;
    if (rc == PCRE2_ERROR_NOMEMORY) {
        jxi_error_set(r->err, JX_ENOMEM, "out of memory matching pattern %zu of metric \"%s\"",
                      k, name);
        return JX_ENOMEM;
    }
    if (what) {
        jxi_error_set(r->err, JX_ELIMIT,
                      "pattern %zu of metric \"%s\" hit the %s; simplify the pattern "
                      "(nested quantifiers backtrack without end)", k, name, what);
        return JX_ELIMIT;
    }
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(rc, msg, sizeof msg);
    jxi_error_set(r->err, JX_EVALUE, "pattern %zu of metric \"%s\" failed: %s", k, name,
                  (const char *)msg);
    return JX_EVALUE;
}

/* A standard figure's match whose clause, before it, speaks of last year
 * ("上年同一项目执行数为…", "上年度该项目执行数为…"): a comparison, not the
 * year's figure. 上年结转 is this year's revenue and does not count. */
static int last_years(const char *t, size_t at)
{
    size_t from = at > 60 ? at - 60 : 0;
    /* The clause: back to a comma, semicolon, colon, bracket, full stop or
     * line break (full-width ones are ASCII in normalized text, but 。). */
    for (size_t i = at; i > from; i--) {
        char c = t[i - 1];
        if (c == ',' || c == ';' || c == ':' || c == '\n' || c == '(' ||
            (i >= 3 && memcmp(t + i - 3, "。", 3) == 0)) {
            from = i;
            break;
        }
    }
    for (size_t i = from; i + 6 <= at; i++) {
        if (memcmp(t + i, "去年", 6) == 0 || (i + 9 <= at && memcmp(t + i, "上一年", 9) == 0))
            return 1;
        if (memcmp(t + i, "上年", 6) == 0 && !(i + 12 <= at && memcmp(t + i + 6, "结转", 6) == 0))
            return 1;
    }
    return 0;
}

/* Run every pattern of one metric and decide its value. */
static int run_metric(xrun *r, const jxi_xmetric *xm, jxi_xentry *e)
{
    e->metric = xm->metric;
    e->target = xm->target;
    e->unit = xm->unit;
    e->status = JX_NOT_FOUND;
    e->first = r->x->nm;
    jxi_take take = xm->take;
    char why[256];
    for (size_t k = 0; k < xm->npats; k++) {
        const jxi_xpattern *p = &xm->pats[k];
        size_t start = 0, found = 0, kept_from = r->x->nm;
        while (start <= r->len) {
            int rc = pcre2_match(p->code, (PCRE2_SPTR)r->text, r->len, start, r->options, r->md,
                                 r->mc);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0)
                return limit_error(r, xm, k, rc);
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
            if (!r->x->s && last_years(r->text, ov[0])) {
                start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
                while (start < r->len && ((unsigned char)r->text[start] & 0xC0) == 0x80)
                    start++;
                continue;
            }
            double v = 0;
            int vr = match_value(xm, p, r->text, ov, &v, why, sizeof why);
            if (add_match(r, (int)k, ov[0], ov[1], v) < 0)
                return JX_ENOMEM;
            if (vr < 0) {
                char msg[400];
                snprintf(msg, sizeof msg, "line %d: %s", r->x->m[r->x->nm - 1].line, why);
                if (set_message(e, JX_INVALID, msg) < 0)
                    return JX_ENOMEM;
            }
            found++;
            /* Step past an empty match by one character. */
            if (ov[1] > ov[0]) {
                start = ov[1];
            } else {
                start = ov[1] + 1;
                while (start < r->len && ((unsigned char)r->text[start] & 0xC0) == 0x80)
                    start++;
            }
        }
        if (found == 0)
            continue;
        take = p->take;
        if (take == JXI_TAKE_AGREE)
            continue; /* every pattern's matches count */
        /* first / last / sum: the first pattern that matches decides. */
        if (take == JXI_TAKE_FIRST) {
            for (size_t j = kept_from + 1; j < r->x->nm; j++)
                jxi_free(r->x->m[j].text);
            r->x->nm = kept_from + 1;
        } else if (take == JXI_TAKE_LINE_SUM) {
            size_t keep = kept_from + 1;
            for (size_t j = kept_from + 1; j < r->x->nm; j++) {
                if (r->x->m[j].line == r->x->m[kept_from].line)
                    r->x->m[keep++] = r->x->m[j];
                else
                    jxi_free(r->x->m[j].text);
            }
            r->x->nm = keep;
        } else if (take == JXI_TAKE_LAST) {
            for (size_t j = kept_from; j + 1 < r->x->nm; j++)
                jxi_free(r->x->m[j].text);
            r->x->m[kept_from] = r->x->m[r->x->nm - 1];
            r->x->nm = kept_from + 1;
        }
        break;
    }
    e->n = r->x->nm - e->first;
    if (e->status == JX_INVALID)
        return 0;
    if (e->n == 0)
        return 0;
    const jxi_xmatch *m = &r->x->m[e->first];
    e->status = JX_FOUND;
    e->value = m[0].value;
    if (take == JXI_TAKE_SUM || take == JXI_TAKE_LINE_SUM) {
        double sum = 0;
        for (size_t j = 0; j < e->n; j++)
            sum += m[j].value;
        e->value = jxi_snap(sum);
    } else if (take == JXI_TAKE_AGREE) {
        for (size_t j = 1; j < e->n; j++) {
            if (jxi_cmp(m[j].value, m[0].value) != 0) {
                char a[64], b[64], msg[400];
                jxi_format_g(m[0].value, a, sizeof a);
                jxi_format_g(m[j].value, b, sizeof b);
                snprintf(msg, sizeof msg, "line %d gives %s, line %d gives %s", m[0].line, a,
                         m[j].line, b);
                return set_message(e, JX_CONFLICT, msg);
            }
        }
    }
    return 0;
}

/* Figures read from flattened tables: each stands where no pattern found
 * its figure; where one did and the table disagrees, the figure is a
 * conflict. */
static int merge_tables(xrun *r, const jxi_profile *p)
{
    jx_extraction *x = r->x;
    jxi_tablefig *tf;
    size_t ntf;
    if (jxi_stdtable_scan(r->orig, r->orig_len, p->figures, &tf, &ntf) < 0)
        return JX_ENOMEM;
    int rc = 0;
    for (size_t k = 0; k < ntf && rc == 0; k++) {
        jxi_xentry *e = &x->e[tf[k].figure];
        if (e->status == JX_NOT_FOUND) {
            /* The entry's matches become this one match, appended last. */
            e->first = x->nm;
            if ((rc = add_match_orig(r, -1, tf[k].start, tf[k].end, tf[k].value)) < 0)
                break;
            e->n = 1;
            e->status = JX_FOUND;
            e->value = tf[k].value;
        } else if (e->status == JX_FOUND && jxi_cmp(e->value, tf[k].value) != 0) {
            int line, column;
            position(r, tf[k].start, &line, &column);
            char a[64], b[64], msg[400];
            jxi_format_g(e->value, a, sizeof a);
            jxi_format_g(tf[k].value, b, sizeof b);
            snprintf(msg, sizeof msg, "line %d gives %s, the table at line %d gives %s",
                     x->m[e->first].line, a, line, b);
            rc = set_message(e, JX_CONFLICT, msg);
        }
    }
    jxi_free(tf);
    return rc;
}

/* v from the figure's unit into the metric's: the same base at another
 * scale (万元 into 元), exactly. */
static int convert_figure(double v, const char *from, const char *to, double *out)
{
    const char *fb, *tb;
    size_t fbl, tbl;
    int fe, te;
    jxi_unit_split(from, strlen(from), &fb, &fbl, &fe);
    jxi_unit_split(to, strlen(to), &tb, &tbl, &te);
    if (tbl == 0 && te == 0) {
        *out = v; /* the metric has no unit: take the figure as it is */
        return 0;
    }
    if (fbl != tbl || memcmp(fb, tb, fbl) != 0)
        return JX_EVALUE;
    double f = 1;
    for (int k = fe; k > te; k--)
        f *= 10;
    for (int k = fe; k < te; k++)
        f /= 10;
    *out = jxi_snap(v * f);
    return 0;
}

/* A metric the profile maps onto standard figures: the first of them that
 * the report states, with its matches. */
static int take_standard(xrun *r, const jxi_xmetric *xm, jxi_xentry *e)
{
    const jx_extraction *std = r->x->std;
    for (size_t k = 0; k < xm->nstd; k++) {
        const jxi_xentry *f = &std->e[xm->std[k]];
        if (f->status == JX_NOT_FOUND)
            continue;
        char msg[400];
        e->first = r->x->nm;
        for (size_t j = 0; j < f->n; j++) {
            const jxi_xmatch *m = &std->m[f->first + j];
            size_t end = m->offset + strlen(m->text);
            if (add_match_orig(r, m->pattern, m->offset, end, m->value) < 0)
                return JX_ENOMEM;
        }
        e->n = f->n;
        if (f->status != JX_FOUND) {
            snprintf(msg, sizeof msg, "standard figure %s: %s", f->target->name, f->message);
            return set_message(e, f->status, msg);
        }
        if (xm->target->type == JX_METRIC_LEVEL) {
            const char *level = f->target->levels[(size_t)f->value];
            for (size_t l = 0; l < xm->target->nlevels; l++)
                if (strcmp(xm->target->levels[l], level) == 0) {
                    e->status = JX_FOUND;
                    e->value = (double)l;
                    return 0;
                }
            snprintf(msg, sizeof msg, "standard figure %s is %s, not a level of metric \"%s\"",
                     f->target->name, level, xm->target->name);
            return set_message(e, JX_INVALID, msg);
        }
        if (xm->target->type != f->target->type ||
            convert_figure(f->value, f->unit, xm->unit, &e->value) < 0) {
            snprintf(msg, sizeof msg, "standard figure %s (%s) cannot be converted to \"%s\"",
                     f->target->name, f->unit, xm->unit);
            return set_message(e, JX_INVALID, msg);
        }
        e->status = JX_FOUND;
        return 0;
    }
    return 0;
}

/* Every metric of profile p into x->e. */
static int run_profile(xrun *r, const jxi_profile *p)
{
    jx_extraction *x = r->x;
    if (!(x->e = jxi_calloc(p->n ? p->n : 1, sizeof *x->e)))
        return JX_ENOMEM;
    for (size_t i = 0; i < p->n; i++) {
        const jxi_xmetric *xm = &p->metrics[i];
        jxi_xentry *e = &x->e[i];
        x->n++;
        int rc = run_metric(r, xm, e);
        if (rc == 0 && e->status == JX_NOT_FOUND && xm->nstd)
            rc = take_standard(r, xm, e);
        if (rc < 0)
            return rc;
        if (e->status == JX_NOT_FOUND && xm->has_absent) {
            e->status = JX_DEFAULT;
            e->value = xm->absent;
        }
    }
    return p->figures ? merge_tables(r, p) : 0;
}

static jx_extraction *extract(const jx_scheme *s, const jxi_profile *p, jxi_profile *own,
                              const char *text, size_t len, unsigned flags, jx_error *err)
{
    if (len > JXI_MAX_TEXT_SIZE) {
        jxi_error_set(err, JX_ELIMIT, "text larger than the limit of %u bytes",
                      (unsigned)JXI_MAX_TEXT_SIZE);
        jxi_profile_free(own);
        return NULL;
    }
    size_t bad = jxi_utf8_check(text, len);
    if (bad != (size_t)-1) {
        jxi_utf8_error(err, "the text", text, len, bad);
        jxi_profile_free(own);
        return NULL;
    }
    jx_extraction *x = jxi_calloc(1, sizeof *x);
    xrun r;
    memset(&r, 0, sizeof r);
    r.orig = text;
    r.orig_len = len;
    r.options = PCRE2_NO_UTF_CHECK;
    r.err = err;
    int rc = JX_ENOMEM;
    if (!x) {
        jxi_profile_free(own);
        goto fail;
    }
    x->own = own;
    if (s) {
        x->s = s;
        jxi_scheme_retain(s);
        if (!(x->std = jxi_calloc(1, sizeof *x->std)))
            goto fail;
    }
    if (jxi_normtext_make(&r.nt, text, len) < 0)
        goto fail;
    r.text = r.nt.text;
    r.len = r.nt.len;
    r.mc = pcre2_match_context_create(p->gctx);
    if (!r.mc || build_lines(&r) < 0)
        goto fail;
    pcre2_set_match_limit(r.mc, JXI_MATCH_LIMIT);
    pcre2_set_depth_limit(r.mc, JXI_DEPTH_LIMIT);
    pcre2_set_heap_limit(r.mc, JXI_HEAP_LIMIT);
    if (flags & JX_EXTRACT_NO_JIT)
        r.options |= PCRE2_NO_JIT;
    /* One match data fits every pattern: sized for the most groups. */
    uint32_t groups = p->max_groups;
    if (s && p->std->max_groups > groups)
        groups = p->std->max_groups;
    r.md = pcre2_match_data_create(groups + 1, p->gctx);
    if (!r.md)
        goto fail;
    if (s) {
        /* The standard block first: the scheme's metrics may stand on it. */
        r.x = x->std;
        if ((rc = run_profile(&r, p->std)) < 0)
            goto fail_rc;
    }
    r.x = x;
    if ((rc = run_profile(&r, p)) < 0)
        goto fail_rc;
    pcre2_match_data_free(r.md);
    pcre2_match_context_free(r.mc);
    jxi_free(r.lines);
    jxi_free(r.cols);
    jxi_normtext_free(&r.nt);
    return x;
fail_rc:
    if (rc != JX_ENOMEM)
        goto fail_set;
fail:
    jxi_error_set(err, JX_ENOMEM, "out of memory while extracting");
fail_set:
    pcre2_match_data_free(r.md);
    pcre2_match_context_free(r.mc);
    jxi_free(r.lines);
    jxi_free(r.cols);
    jxi_normtext_free(&r.nt);
    jx_extraction_free(x);
    return NULL;
}

JX_API jx_extraction *jx_extract(const jx_scheme *s, const char *text, size_t len,
                                 unsigned flags, jx_error *err)
{
    if (!s || !text) {
        jxi_error_set(err, JX_EARG, "jx_extract needs a scheme and a text");
        return NULL;
    }
    if (!s->extract) {
        jxi_error_set(err, JX_EUNSUPPORTED, "scheme \"%s\" has no extraction profile (\"extract\")",
                      s->id);
        return NULL;
    }
    return extract(s, s->extract, NULL, text, len, flags, err);
}

JX_API jx_extraction *jx_extract_standard(const char *text, size_t len, unsigned flags,
                                          jx_error *err)
{
    if (!text) {
        jxi_error_set(err, JX_EARG, "jx_extract_standard needs a text");
        return NULL;
    }
    jxi_profile *p;
    if (jxi_stdfig_compile(&p) < 0) {
        jxi_error_set(err, JX_ENOMEM, "out of memory compiling the standard patterns");
        return NULL;
    }
    return extract(NULL, p, p, text, len, flags, err);
}

JX_API const jx_extraction *jx_extraction_standard(const jx_extraction *x)
{
    return x ? x->std : NULL;
}

JX_API void jx_extraction_free(jx_extraction *x)
{
    if (!x)
        return;
    for (size_t j = 0; j < x->nm; j++)
        jxi_free(x->m[j].text);
    for (size_t i = 0; i < x->n; i++)
        jxi_free(x->e[i].message);
    jxi_free(x->m);
    jxi_free(x->e);
    jx_extraction_free(x->std);
    jxi_profile_free(x->own);
    if (x->s)
        jxi_scheme_release(x->s);
    jxi_free(x);
}

static const jxi_xentry *entry(const jx_extraction *x, size_t k)
{
    return x && k < x->n ? &x->e[k] : NULL;
}

static const jxi_xmatch *match_at(const jx_extraction *x, size_t k, size_t j)
{
    const jxi_xentry *e = entry(x, k);
    return e && j < e->n ? &x->m[e->first + j] : NULL;
}

JX_API size_t jx_extraction_count(const jx_extraction *x) { return x ? x->n : 0; }

const jx_scheme *jxi_extraction_scheme(const jx_extraction *x)
{
    return x->s;
}

const jxi_metric *jxi_extraction_target(const jx_extraction *x, size_t k)
{
    return x->e[k].target;
}

JX_API const char *jx_extraction_metric(const jx_extraction *x, size_t k)
{
    const jxi_xentry *e = entry(x, k);
    return e ? e->target->name : NULL;
}

JX_API int jx_extraction_status(const jx_extraction *x, size_t k)
{
    const jxi_xentry *e = entry(x, k);
    return e ? e->status : JX_EARG;
}

JX_API double jx_extraction_value(const jx_extraction *x, size_t k)
{
    const jxi_xentry *e = entry(x, k);
    return e && (e->status == JX_FOUND || e->status == JX_DEFAULT) ? e->value : 0;
}

JX_API const char *jx_extraction_unit(const jx_extraction *x, size_t k)
{
    const jxi_xentry *e = entry(x, k);
    return e ? e->unit : NULL;
}

JX_API const char *jx_extraction_message(const jx_extraction *x, size_t k)
{
    const jxi_xentry *e = entry(x, k);
    return e ? (e->message ? e->message : "") : NULL;
}

JX_API size_t jx_extraction_match_count(const jx_extraction *x, size_t k)
{
    const jxi_xentry *e = entry(x, k);
    return e ? e->n : 0;
}

JX_API int jx_extraction_match_pattern(const jx_extraction *x, size_t k, size_t j)
{
    const jxi_xmatch *m = match_at(x, k, j);
    return m ? m->pattern : JX_EARG;
}

JX_API size_t jx_extraction_match_offset(const jx_extraction *x, size_t k, size_t j)
{
    const jxi_xmatch *m = match_at(x, k, j);
    return m ? m->offset : JX_NONE;
}

JX_API int jx_extraction_match_line(const jx_extraction *x, size_t k, size_t j)
{
    const jxi_xmatch *m = match_at(x, k, j);
    return m ? m->line : JX_EARG;
}

JX_API int jx_extraction_match_column(const jx_extraction *x, size_t k, size_t j)
{
    const jxi_xmatch *m = match_at(x, k, j);
    return m ? m->column : JX_EARG;
}

JX_API const char *jx_extraction_match_text(const jx_extraction *x, size_t k, size_t j)
{
    const jxi_xmatch *m = match_at(x, k, j);
    return m ? m->text : NULL;
}

JX_API double jx_extraction_match_value(const jx_extraction *x, size_t k, size_t j)
{
    const jxi_xmatch *m = match_at(x, k, j);
    return m ? m->value : 0;
}

JX_API int jx_extraction_apply(const jx_extraction *x, jx_input *in)
{
    if (!x || !in || !x->s || in->s != x->s)
        return JX_EARG;
    int n = 0;
    for (size_t i = 0; i < x->n; i++) {
        const jxi_xentry *e = &x->e[i];
        if (e->status != JX_FOUND && e->status != JX_DEFAULT)
            continue;
        char where[32] = "";
        if (e->status == JX_FOUND && e->n > 0)
            snprintf(where, sizeof where, "%d:%d", x->m[e->first].line, x->m[e->first].column);
        if (jxi_input_set_origin(in, e->metric,
                                 e->status == JX_FOUND ? JX_ORIGIN_REPORT : JX_ORIGIN_DEFAULT,
                                 where) < 0)
            return JX_ENOMEM;
        in->values[e->metric] = e->value;
        in->states[e->metric] = JXI_SLOT_PRESENT;
        n++;
    }
    return n;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_extract_unused;
#endif /* JX_NO_EXTRACT */
