/* Reading a 绩效目标表 CSV (one row per indicator) into projects, checking
 * every cell, and the public jx_projects_* functions. */
#include <stdio.h>
#include <string.h>

#include "util/csv.h"
#include "project/project.h"

static const char *const names[JXI_PCOLS] = {
    "项目编号", "项目名称", "主管部门", "实施单位", "年初预算数", "全年预算数", "全年执行数",
    "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值",
    "偏差原因分析及改进措施",
};
static const int required[JXI_PCOLS] = {0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0};

const char *jxi_project_column_name(int c)
{
    return c >= 0 && c < JXI_PCOLS ? names[c] : "";
}

/* The message for `fmt` in the reader's language. */
static const char *msg(int zh, const char *fmt) { return zh ? jxi_msg_zh(fmt) : fmt; }

void jxi_project_error(const jx_projects *ps, const jxi_project *p, int line, int col,
                       jx_error *err, int code, const char *fmt, ...)
{
    char what[JX_ERROR_MESSAGE_LENGTH];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, msg(ps->zh, fmt), ap);
    va_end(ap);
    const char *id = p ? (p->field[0] && *p->field[0] ? p->field[0] : p->field[1]) : NULL;
    int fc = col >= 0 ? ps->filecol[col] : -1;
    char proj[128] = "";
    if (id)
        snprintf(proj, sizeof proj, msg(ps->zh, "project %s, "), id);
    if (fc >= 0)
        jxi_error_set_lang(err, ps->zh, code, "%s:%d: %scolumn %d (%s): %s", ps->source, line,
                           proj, fc + 1, names[col], what);
    else
        jxi_error_set(err, code, "%s:%d: %s%s", ps->source, line, proj, what);
    jxi_error_source(err, ps->source);
    if (err) {
        err->line = line;
        err->column = fc >= 0 ? fc + 1 : 0;
    }
}

static void project_clear(jxi_project *p)
{
    for (int c = 0; c < JXI_PFIRST_ROW_COL; c++)
        jxi_free(p->field[c]);
    for (size_t j = 0; j < p->nrows; j++)
        jxi_free(p->rows[j].cell[0]); /* all the row's cells (row_cells) */
    jxi_free(p->rows);
    jx_result_free(p->result);
    jx_input_free(p->input);
    jx_scheme_free(p->scheme);
}

JX_API void jx_projects_free(jx_projects *ps)
{
    if (!ps)
        return;
    for (size_t k = 0; k < ps->n; k++)
        project_clear(&ps->p[k]);
    jxi_free(ps->p);
    jxi_free(ps->source);
    jxi_pprofile_free(ps->profile);
    jxi_free(ps);
}

static int header(jx_projects *ps, jxi_csv *c, jx_error *err)
{
    for (int k = 0; k < JXI_PCOLS; k++)
        ps->filecol[k] = -1;
    for (size_t i = 0; i < jxi_csv_count(c); i++) {
        size_t len;
        const char *h = jxi_csv_field(c, i, &len);
        int k;
        for (k = 0; k < JXI_PCOLS; k++)
            if (strcmp(h, names[k]) == 0 || (k == JXI_PCOLS - 1 && strcmp(h, "偏差原因") == 0))
                break;
        if (k == JXI_PCOLS) {
            jxi_error_set_lang(err, ps->zh, JX_EKEY,
                               "%s:%d: column %zu: unknown column \"%s\" (expected "
                               "项目编号, 项目名称, 一级指标, ..., see docs/projects.md)",
                               ps->source, c->record_line, i + 1, h);
            goto at;
        }
        if (ps->filecol[k] >= 0) {
            jxi_error_set_lang(err, ps->zh, JX_EDUPLICATE,
                               "%s:%d: column %zu: column \"%s\" appears twice", ps->source,
                               c->record_line, i + 1, h);
            goto at;
        }
        ps->filecol[k] = (int)i;
        continue;
    at:
        jxi_error_source(err, ps->source);
        if (err) {
            err->line = c->record_line;
            err->column = (int)i + 1;
        }
        return JX_EKEY;
    }
    for (int k = 0; k < JXI_PCOLS; k++)
        if (required[k] && ps->filecol[k] < 0) {
            jxi_error_set_lang(err, ps->zh, JX_EREQUIRED, "%s:%d: the header has no column \"%s\"",
                               ps->source, c->record_line, names[k]);
            jxi_error_source(err, ps->source);
            if (err)
                err->line = c->record_line;
            return JX_EREQUIRED;
        }
    return 0;
}

/* Field k of the record, without the ASCII spaces spreadsheets pad cells
 * with ("" for a column the file does not have). */
static const char *cell(const jx_projects *ps, const jxi_csv *c, int k, size_t *len)
{
    if (ps->filecol[k] < 0) {
        *len = 0;
        return "";
    }
    const char *f = jxi_csv_field(c, (size_t)ps->filecol[k], len);
    while (*len && (*f == ' ' || *f == '\t')) {
        f++;
        (*len)--;
    }
    while (*len && (f[*len - 1] == ' ' || f[*len - 1] == '\t'))
        (*len)--;
    return f;
}

/* A row's cells in one allocation (a file has ten thousand projects of a
 * dozen rows): cell[0] is its start, and freeing cell[0] frees them all. */
static int row_cells(const jx_projects *ps, const jxi_csv *c, jxi_prow *row)
{
    const char *f[JXI_PCOLS];
    size_t n[JXI_PCOLS], total = 0;
    for (int k = 0; k < JXI_PCOLS; k++) {
        f[k] = cell(ps, c, k, &n[k]);
        total += n[k] + 1;
    }
    char *block = jxi_malloc(total);
    if (!block)
        return -1;
    for (int k = 0; k < JXI_PCOLS; k++) {
        memcpy(block, f[k], n[k]);
        block[n[k]] = '\0';
        row->cell[k] = block;
        block += n[k] + 1;
    }
    return 0;
}

/* The projects seen so far by key, to find a project whose rows are split
 * without a quadratic scan: open addressing over project indices + 1. */
typedef struct seen {
    size_t *slot;
    size_t cap;
} seen;

static const char *key_of(const jxi_project *q)
{
    return *q->field[0] ? q->field[0] : q->field[1];
}

static size_t hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The project with this key, or NULL. */
static const jxi_project *seen_find(const seen *t, const jx_projects *ps, const char *key)
{
    if (!t->cap)
        return NULL;
    for (size_t i = hash(key) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
        if (strcmp(key_of(&ps->p[t->slot[i] - 1]), key) == 0)
            return &ps->p[t->slot[i] - 1];
    return NULL;
}

static int seen_add(seen *t, const jx_projects *ps, size_t k)
{
    if ((k + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        size_t *slot = jxi_calloc(cap, sizeof *slot);
        if (!slot)
            return JX_ENOMEM;
        for (size_t q = 0; q < k; q++) {
            size_t i = hash(key_of(&ps->p[q])) & (cap - 1);
            while (slot[i])
                i = (i + 1) & (cap - 1);
            slot[i] = q + 1;
        }
        jxi_free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t i = hash(key_of(&ps->p[k])) & (t->cap - 1);
    while (t->slot[i])
        i = (i + 1) & (t->cap - 1);
    t->slot[i] = k + 1;
    return 0;
}

/* One record: a new project or one more row of the current one. */
static int add_row(jx_projects *ps, seen *t, jxi_csv *c, jx_error *err)
{
    jxi_prow row;
    memset(&row, 0, sizeof row);
    row.line = c->record_line;
    if (row_cells(ps, c, &row) != 0)
        goto nomem;
    const char *key = *row.cell[0] ? row.cell[0] : row.cell[1];
    jxi_project *p = ps->n ? &ps->p[ps->n - 1] : NULL;
    const char *pkey = p ? (*p->field[0] ? p->field[0] : p->field[1]) : NULL;
    if (!*key) {
        jxi_project_error(ps, p, row.line, 1, err, JX_EREQUIRED,
                          "every row needs 项目名称 (or 项目编号)");
        goto fail;
    }
    if (!p || strcmp(key, pkey) != 0) {
        const jxi_project *q = seen_find(t, ps, key);
        if (q) {
            jxi_project_error(ps, q, row.line, *row.cell[0] ? 0 : 1, err, JX_EDUPLICATE,
                              "the rows of a project must be together; this project "
                              "began at line %d", q->line);
            goto fail;
        }
        if (ps->n == ps->cap) {
            size_t cap = ps->cap ? ps->cap * 2 : 16;
            jxi_project *np = jxi_realloc(ps->p, cap * sizeof *np);
            if (!np)
                goto nomem;
            ps->p = np;
            ps->cap = cap;
        }
        p = &ps->p[ps->n++];
        memset(p, 0, sizeof *p);
        p->line = row.line;
        for (int k = 0; k < JXI_PFIRST_ROW_COL; k++)
            if (!(p->field[k] = jxi_strdup(row.cell[k])))
                goto nomem;
        if (seen_add(t, ps, ps->n - 1) != 0)
            goto nomem;
    } else {
        /* Project cells may be repeated on every row, or left empty. */
        for (int k = 0; k < JXI_PFIRST_ROW_COL; k++) {
            if (!*row.cell[k])
                continue;
            if (!*p->field[k]) {
                jxi_free(p->field[k]);
                if (!(p->field[k] = jxi_strdup(row.cell[k])))
                    goto nomem;
            } else if (strcmp(p->field[k], row.cell[k]) != 0) {
                jxi_project_error(ps, p, row.line, k, err, JX_EVALUE,
                                  "\"%s\" differs from \"%s\" given earlier for the project",
                                  row.cell[k], p->field[k]);
                goto fail;
            }
        }
    }
    if (p->nrows == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        jxi_prow *nr = jxi_realloc(p->rows, cap * sizeof *nr);
        if (!nr)
            goto nomem;
        p->rows = nr;
        p->cap = cap;
    }
    p->rows[p->nrows++] = row;
    return 0;
nomem:
    jxi_error_set_lang(err, ps->zh, JX_ENOMEM, "out of memory");
fail:
    jxi_free(row.cell[0]);
    return err ? err->code : JX_ENOMEM;
}

JX_API jx_projects *jx_projects_read_buffer(const char *buf, size_t len, const char *source,
                                            const char *profile, unsigned flags, jx_error *err)
{
    int zh = (flags & JX_LOAD_LANG_ZH) != 0;
    if (!buf) {
        jxi_error_set(err, JX_EARG, "no buffer");
        return NULL;
    }
    jx_projects *ps = jxi_calloc(1, sizeof *ps);
    if (!ps || !(ps->source = jxi_strdup(source ? source : "<string>"))) {
        jxi_free(ps);
        jxi_error_set_lang(err, zh, JX_ENOMEM, "out of memory");
        return NULL;
    }
    ps->zh = zh;
    if (profile) {
        FILE *f = fopen(profile, "rb");
        jxi_buf b;
        jxi_buf_init(&b);
        char chunk[4096];
        size_t got;
        if (!f) {
            jxi_error_set_lang(err, zh, JX_EIO, "%s: cannot open the profile", profile);
            jxi_error_source(err, profile);
            jx_projects_free(ps);
            return NULL;
        }
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
            jxi_buf_append(&b, chunk, got);
        fclose(f);
        ps->profile = b.failed ? NULL : jxi_pprofile_load(b.data ? b.data : "", b.len, profile, err);
        jxi_buf_free(&b);
    } else {
        ps->profile = jxi_pprofile_load(jxi_project_profile_mof2020(),
                                        strlen(jxi_project_profile_mof2020()), NULL, err);
    }
    if (!ps->profile) {
        jx_projects_free(ps);
        return NULL;
    }
    jxi_csv c;
    jxi_csv_init(&c, buf, len, ps->source);
    int rc = jxi_csv_next(&c, err);
    if (rc == 0) {
        jxi_error_set_lang(err, zh, JX_EREQUIRED, "%s: empty file: expected a header row",
                           ps->source);
        jxi_error_source(err, ps->source);
        rc = JX_EREQUIRED;
    }
    if (rc > 0)
        rc = header(ps, &c, err);
    seen t = {NULL, 0};
    while (rc >= 0 && (rc = jxi_csv_next(&c, err)) > 0)
        if (!jxi_csv_blank(&c))
            rc = add_row(ps, &t, &c, err);
    jxi_free(t.slot);
    jxi_csv_free(&c);
    for (size_t k = 0; rc == 0 && k < ps->n; k++)
        rc = jxi_project_build(ps, &ps->p[k], err);
    if (rc == 0 && ps->n == 0) {
        jxi_error_set_lang(err, zh, JX_EREQUIRED, "%s: no project rows after the header",
                           ps->source);
        jxi_error_source(err, ps->source);
        rc = JX_EREQUIRED;
    }
    if (rc < 0) {
        jx_projects_free(ps);
        return NULL;
    }
    return ps;
}

JX_API jx_projects *jx_projects_read_file(const char *path, const char *profile, unsigned flags,
                                          jx_error *err)
{
    if (!path) {
        jxi_error_set(err, JX_EARG, "no path");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        jxi_error_set_lang(err, (flags & JX_LOAD_LANG_ZH) != 0, JX_EIO, "%s: cannot open the file",
                           path);
        jxi_error_source(err, path);
        return NULL;
    }
    jxi_buf b;
    jxi_buf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        jxi_buf_append(&b, chunk, got);
    int ioerr = ferror(f);
    fclose(f);
    if (ioerr || b.failed) {
        jxi_buf_free(&b);
        jxi_error_set_lang(err, (flags & JX_LOAD_LANG_ZH) != 0, ioerr ? JX_EIO : JX_ENOMEM,
                           "%s: cannot read the file", path);
        jxi_error_source(err, path);
        return NULL;
    }
    jx_projects *ps = jx_projects_read_buffer(b.data ? b.data : "", b.len, path, profile, flags,
                                              err);
    jxi_buf_free(&b);
    return ps;
}

JX_API size_t jx_projects_count(const jx_projects *ps)
{
    return ps ? ps->n : 0;
}

JX_API const char *jx_projects_profile(const jx_projects *ps)
{
    return ps ? ps->profile->id : NULL;
}

JX_API const char *jx_projects_profile_version(const jx_projects *ps)
{
    return ps ? ps->profile->version : NULL;
}

JX_API const char *jx_projects_field(const jx_projects *ps, size_t k, int column)
{
    if (!ps || k >= ps->n || column < 0 || column >= JXI_PFIRST_ROW_COL)
        return NULL;
    return ps->p[k].field[column];
}

JX_API size_t jx_projects_row_count(const jx_projects *ps, size_t k)
{
    return ps && k < ps->n ? ps->p[k].nrows : 0;
}

JX_API const char *jx_projects_row_text(const jx_projects *ps, size_t k, size_t j, int column)
{
    if (!ps || k >= ps->n || j >= ps->p[k].nrows || column < 0 || column >= JXI_PCOLS)
        return NULL;
    return ps->p[k].rows[j].cell[column];
}

JX_API size_t jx_projects_row_indicator(const jx_projects *ps, size_t k, size_t j)
{
    if (!ps || k >= ps->n || j >= ps->p[k].nrows)
        return JX_NONE;
    return ps->p[k].rows[j].leaf;
}

JX_API const char *jx_projects_column_name(int column)
{
    return column >= 0 && column < JXI_PCOLS ? names[column] : NULL;
}

JX_API const jx_scheme *jx_projects_scheme(const jx_projects *ps, size_t k)
{
    return ps && k < ps->n ? ps->p[k].scheme : NULL;
}

JX_API const jx_input *jx_projects_input(const jx_projects *ps, size_t k)
{
    return ps && k < ps->n ? ps->p[k].input : NULL;
}

JX_API const jx_result *jx_projects_result(const jx_projects *ps, size_t k)
{
    return ps && k < ps->n ? ps->p[k].result : NULL;
}

JX_API int jx_projects_score(jx_projects *ps, unsigned flags, jx_error *err)
{
    if (!ps) {
        jxi_error_set(err, JX_EARG, "no projects");
        return JX_EARG;
    }
    /* All or nothing: results replace the old ones only when every project
     * scored. */
    jx_result **rs = jxi_calloc(ps->n ? ps->n : 1, sizeof *rs);
    if (!rs) {
        jxi_error_set(err, JX_ENOMEM, "out of memory");
        return JX_ENOMEM;
    }
    for (size_t k = 0; k < ps->n; k++) {
        rs[k] = jx_score(ps->p[k].scheme, ps->p[k].input, flags, err);
        if (!rs[k]) {
            int code = err ? err->code : JX_ENOMEM;
            for (size_t q = 0; q < k; q++)
                jx_result_free(rs[q]);
            jxi_free(rs);
            return code;
        }
    }
    for (size_t k = 0; k < ps->n; k++) {
        jx_result_free(ps->p[k].result);
        ps->p[k].result = rs[k];
    }
    jxi_free(rs);
    return (int)(ps->n > (size_t)0x7fffffff ? 0x7fffffff : ps->n);
}
