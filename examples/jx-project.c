/*
 * jx-project — score every project of a 绩效目标表 CSV on the 项目支出绩效自评表
 * rules and write the summary and the sheets.
 *
 *     jx-project [--profile PROFILE.json] [--summary OUT.csv] [--sheets OUT.txt]
 *                [--html OUT.html] [--xlsx OUT.xlsx] [--lang zh|en] PROJECTS.csv
 *     jx-project --help
 *
 * A thin program over the jx_projects_* API (docs/projects.md). Every
 * project is read and scored before anything is written; then every output
 * is written to a temporary file beside it (OUT.PID.tmp), and only when all
 * of them were written are they renamed into place, so a bad row or a
 * failed output leaves no file half-written and no output of the run in
 * place. Without an output option the summary CSV goes to standard output.
 *
 * Exit status: 0 all complete, 1 scored but some project lacks data, 2 error.
 * The program never calls setlocale(), so printf prints a '.' radix.
 */
#define _POSIX_C_SOURCE 200809L /* open, getpid, stat */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jixiao.h"
#include "lang.h"
#include "project/project_out.h"

static void usage(FILE *f)
{
    fputs("usage: jx-project [--profile PROFILE.json] [--summary OUT.csv] [--sheets OUT.txt]\n"
          "                  [--html OUT.html] [--xlsx OUT.xlsx] [--lang zh|en] PROJECTS.csv\n"
          "Score every project of a 绩效目标表 CSV (docs/projects.md).\n"
          "  --profile  rule profile (default: built-in mof-2020-project)\n"
          "  --summary  CSV: project, 执行率, score, grade, incomplete indicators\n"
          "  --sheets   each project's 自评表 as text\n"
          "  --html     printable 自评表 (A4, one project per page)\n"
#ifdef JX_HAVE_XLSXWRITER
          "  --xlsx     summary sheet and one sheet per project (libxlsxwriter)\n"
#else
          "  --xlsx     not available: built without libxlsxwriter\n"
#endif
          "  --lang     language of error messages: zh or en (default: zh when the first\n"
          "             of LC_ALL, LC_MESSAGES, LANG that is set starts with zh)\n"
          , f);
}

/* ---- Text outputs ----------------------------------------------------------- */

static void csv_cell(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_summary(const jx_projects *ps, FILE *f)
{
    fputs("项目编号,项目名称,预算执行率(%),得分,等级,未完整指标\n", f);
    for (size_t k = 0; k < jx_projects_count(ps); k++) {
        const jx_result *r = jx_projects_result(ps, k);
        char inc[2048];
        jxp_incomplete(ps, k, inc, sizeof inc);
        csv_cell(f, jxp_id(ps, k));
        fputc(',', f);
        csv_cell(f, jx_projects_field(ps, k, JX_PROJECT_NAME));
        if (jx_result_status(r, 0) == JX_STATUS_SCORED)
            fprintf(f, ",%s", jxp_num(jx_result_value(r, 0), 2).s);
        else
            fputs(",", f);
        fprintf(f, ",%s,%s,", jxp_num(jx_result_total(r), 2).s, jx_result_grade(r));
        csv_cell(f, inc);
        fputc('\n', f);
    }
    return 0;
}

static int write_sheets(const jx_projects *ps, FILE *f)
{
    for (size_t k = 0; k < jx_projects_count(ps); k++) {
        const jx_result *r = jx_projects_result(ps, k);
        const jx_scheme *s = jx_projects_scheme(ps, k);
        fprintf(f, "== %s %s ==\n主管部门: %s  实施单位: %s\n", jxp_id(ps, k),
                jx_projects_field(ps, k, JX_PROJECT_NAME),
                jx_projects_field(ps, k, JX_PROJECT_DEPARTMENT),
                jx_projects_field(ps, k, JX_PROJECT_AGENCY));
        fprintf(f, "年初预算数 %s  全年预算数 %s  全年执行数 %s  预算执行率 %s  得分 %s/%s\n",
                jx_projects_field(ps, k, JX_PROJECT_BUDGET_INITIAL),
                jx_projects_field(ps, k, JX_PROJECT_BUDGET),
                jx_projects_field(ps, k, JX_PROJECT_SPENT), jx_result_reason(r, 0),
                jxp_num(jx_result_score(r, 0), 2).s, jxp_num_short(jx_scheme_indicator_max(s, 0)).s);
        for (size_t j = 0; j < jx_projects_row_count(ps, k); j++) {
            size_t i = jx_projects_row_indicator(ps, k, j);
            fprintf(f, "  %s / %s / %s  %s  %s  %s/%s  %s\n",
                    jx_projects_row_text(ps, k, j, JX_PROJECT_LEVEL1),
                    jx_projects_row_text(ps, k, j, JX_PROJECT_LEVEL2),
                    jx_projects_row_text(ps, k, j, JX_PROJECT_LEVEL3),
                    jx_projects_row_text(ps, k, j, JX_PROJECT_TARGET),
                    jx_projects_row_text(ps, k, j, JX_PROJECT_ACTUAL), jxp_num(jx_result_score(r, i), 2).s,
                    jxp_num_short(jx_scheme_indicator_max(s, i)).s, jx_result_reason(r, i));
        }
        fprintf(f, "总分 %s  等级 %s%s\n\n", jxp_num(jx_result_total(r), 2).s, jx_result_grade(r),
                jx_result_complete(r) ? "" : "  (数据不完整)");
    }
    return 0;
}

/* ---- HTML ------------------------------------------------------------------ */

static void h(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static int write_html(const jx_projects *ps, FILE *f)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
          "<title>项目支出绩效自评表</title>\n<style>\n"
          "@page { size: A4; margin: 15mm; }\n"
          "body { font-family: \"WenQuanYi Micro Hei\", \"Noto Sans CJK SC\", sans-serif;"
          " font-size: 10pt; color: #000; }\n"
          "section { page-break-after: always; }\n"
          "section:last-child { page-break-after: auto; }\n"
          "h1 { font-size: 15pt; text-align: center; margin: 0 0 2mm; }\n"
          "p.sub { text-align: center; margin: 0 0 3mm; }\n"
          "table { width: 100%; border-collapse: collapse; margin-bottom: 3mm; }\n"
          "th, td { border: 0.6pt solid #000; padding: 1mm 1.5mm; vertical-align: top; }\n"
          "th { background: #eee; font-weight: bold; }\n"
          "td.n { text-align: right; white-space: nowrap; }\n"
          "tr { page-break-inside: avoid; }\n"
          "@media screen { section { max-width: 180mm; margin: 10mm auto; } }\n"
          "</style></head><body>\n", f);
    for (size_t k = 0; k < jx_projects_count(ps); k++) {
        const jx_result *r = jx_projects_result(ps, k);
        const jx_scheme *s = jx_projects_scheme(ps, k);
        fputs("<section>\n<h1>项目支出绩效自评表</h1>\n<p class=\"sub\">(", f);
        h(f, jx_projects_profile(ps));
        fputs(")</p>\n<table>\n<tr><th>项目名称</th><td colspan=\"3\">", f);
        h(f, jx_projects_field(ps, k, JX_PROJECT_NAME));
        fputs("</td><th>项目编号</th><td>", f);
        h(f, jx_projects_field(ps, k, JX_PROJECT_ID));
        fputs("</td></tr>\n<tr><th>主管部门</th><td colspan=\"2\">", f);
        h(f, jx_projects_field(ps, k, JX_PROJECT_DEPARTMENT));
        fputs("</td><th>实施单位</th><td colspan=\"2\">", f);
        h(f, jx_projects_field(ps, k, JX_PROJECT_AGENCY));
        fputs("</td></tr>\n</table>\n<table>\n<tr><th>项目资金(万元)</th><th>年初预算数</th>"
              "<th>全年预算数</th><th>全年执行数</th><th>分值</th><th>执行率</th><th>得分</th></tr>\n"
              "<tr><td>年度资金总额</td><td class=\"n\">", f);
        h(f, jx_projects_field(ps, k, JX_PROJECT_BUDGET_INITIAL));
        fputs("</td><td class=\"n\">", f);
        h(f, jx_projects_field(ps, k, JX_PROJECT_BUDGET));
        fputs("</td><td class=\"n\">", f);
        h(f, jx_projects_field(ps, k, JX_PROJECT_SPENT));
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">", jxp_num_short(jx_scheme_indicator_max(s, 0)).s);
        if (jx_result_status(r, 0) == JX_STATUS_SCORED)
            fprintf(f, "%s%%", jxp_num(jx_result_value(r, 0), 2).s);
        else
            fputs("缺少数据", f);
        fprintf(f, "</td><td class=\"n\">%s</td></tr>\n</table>\n", jxp_num(jx_result_score(r, 0), 2).s);
        fputs("<table>\n<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>年度指标值</th>"
              "<th>实际完成值</th><th>分值</th><th>得分</th><th>偏差原因分析及改进措施</th></tr>\n", f);
        for (size_t j = 0; j < jx_projects_row_count(ps, k); j++) {
            size_t i = jx_projects_row_indicator(ps, k, j);
            static const int cols[] = {JX_PROJECT_LEVEL1, JX_PROJECT_LEVEL2, JX_PROJECT_LEVEL3,
                                       JX_PROJECT_TARGET, JX_PROJECT_ACTUAL};
            fputs("<tr>", f);
            for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
                fputs("<td>", f);
                h(f, jx_projects_row_text(ps, k, j, cols[c]));
                fputs("</td>", f);
            }
            fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">", jxp_num_short(jx_scheme_indicator_max(s, i)).s);
            if (jx_result_status(r, i) == JX_STATUS_NOT_APPLICABLE)
                fputs("不适用", f);
            else
                fprintf(f, "%s", jxp_num(jx_result_score(r, i), 2).s);
            fputs("</td><td>", f);
            h(f, jx_projects_row_text(ps, k, j, JX_PROJECT_DEVIATION));
            fputs("</td></tr>\n", f);
        }
        fprintf(f, "<tr><th colspan=\"5\">总分</th><td class=\"n\">%s</td><td class=\"n\">%s"
                "</td><td>等级:", jxp_num_short(jx_scheme_total(s)).s, jxp_num(jx_result_total(r), 2).s);
        h(f, jx_result_grade(r));
        fputs(jx_result_complete(r) ? "" : "(数据不完整)", f);
        fputs("</td></tr>\n</table>\n<table>\n<tr><th>扣分及说明</th></tr>\n", f);
        int any = 0;
        for (size_t i = 0; i < jx_scheme_indicator_count(s); i++) {
            char line[2048];
            if (!jxp_deduction(ps, k, i, line, sizeof line))
                continue;
            fputs("<tr><td>", f);
            h(f, line);
            fputs("</td></tr>\n", f);
            any = 1;
        }
        if (!any)
            fputs("<tr><td>无扣分</td></tr>\n", f);
        fputs("</table>\n</section>\n", f);
    }
    fputs("</body></html>\n", f);
    return 0;
}

/* ---- Writing all or nothing ----------------------------------------------- */

/* An output: its path, the temporary file beside it, and its writer (a
 * stream writer, or the xlsx writer that takes a path). `direct`: the path
 * is a link, a device or a pipe (/dev/stdout), written in place. */
typedef struct output {
    const char *path;
    int (*text)(const jx_projects *, FILE *);
    int (*file)(const jx_projects *, const char *);
    int direct;
    char tmp[4096];
} output;

/* Write o: a file to a new temporary file beside its path (created here,
 * so an existing file is never overwritten), a link, device or pipe in
 * place.
 * -1 after a message on failure, with the temporary file removed. */
static int stage(const jx_projects *ps, output *o)
{
    o->tmp[0] = '\0';
    if (o->direct) {
        if (o->file)
            return o->file(ps, o->path);
        FILE *f = fopen(o->path, "wb");
        int bad = !f;
        if (f) {
            o->text(ps, f);
            bad = ferror(f) | fclose(f);
        }
        if (bad)
            fprintf(stderr, "jx-project: %s: write error\n", o->path);
        return bad ? -1 : 0;
    }
    int n = snprintf(o->tmp, sizeof o->tmp, "%s.%ld.tmp", o->path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof o->tmp) {
        fprintf(stderr, "jx-project: %s: path too long\n", o->path);
        o->tmp[0] = '\0';
        return -1;
    }
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        fprintf(stderr, "jx-project: %s: cannot create %s\n", o->path, o->tmp);
        o->tmp[0] = '\0';
        return -1;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        goto fail;
    }
    if (o->file) {
        fclose(f); /* the name is ours; the xlsx writer rewrites it */
        if (o->file(ps, o->tmp) != 0)
            goto fail;
        return 0;
    }
    o->text(ps, f);
    if (ferror(f) | fclose(f))
        goto fail;
    return 0;
fail:
    fprintf(stderr, "jx-project: %s: write error\n", o->path);
    remove(o->tmp);
    o->tmp[0] = '\0';
    return -1;
}

/* Write every output to its temporary file; only when all succeeded rename
 * them into place. On a failure to write, no output of this run is left:
 * the temporary files are removed and the targets are untouched. Links,
 * devices and pipes, which a rename would replace, are written last, once
 * the files are written. (A rename beside its own temporary file fails only
 * when something else changed the directory meanwhile; the temporaries
 * not yet renamed are removed.) */
static int write_all(const jx_projects *ps, output *outs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        struct stat st, lst;
        if (!outs[i].path || lstat(outs[i].path, &lst) != 0)
            continue;
        if (stat(outs[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
            /* Caught here, not by the rename after the others were renamed. */
            fprintf(stderr, "jx-project: %s: is a directory\n", outs[i].path);
            return -1;
        }
        /* A rename onto /dev/stdout (a link) would replace it with a file. */
        outs[i].direct = !S_ISREG(lst.st_mode);
    }
    int rc = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (i = 0; i < n && rc == 0; i++)
            if (outs[i].path && outs[i].direct == pass)
                rc = stage(ps, &outs[i]);
    for (i = 0; i < n && rc == 0; i++)
        if (outs[i].path && !outs[i].direct) {
            if (rename(outs[i].tmp, outs[i].path) != 0) {
                fprintf(stderr, "jx-project: %s: cannot rename %s to it\n", outs[i].path,
                        outs[i].tmp);
                rc = -1;
            } else {
                outs[i].tmp[0] = '\0';
            }
        }
    for (i = 0; i < n; i++)
        if (outs[i].path && outs[i].tmp[0])
            remove(outs[i].tmp);
    return rc;
}

int main(int argc, char **argv)
{
    const char *profile = NULL, *summary = NULL, *sheets = NULL, *html = NULL, *xlsx = NULL;
    const char *input = NULL, *lang = NULL;
    for (int a = 1; a < argc; a++) {
        const char **opt = NULL;
        int l = lang_option("jx-project", argc, argv, &a, &lang);
        if (l < 0)
            return 2;
        if (l > 0)
            continue;
        if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[a], "--profile") == 0) opt = &profile;
        else if (strcmp(argv[a], "--summary") == 0) opt = &summary;
        else if (strcmp(argv[a], "--sheets") == 0) opt = &sheets;
        else if (strcmp(argv[a], "--html") == 0) opt = &html;
        else if (strcmp(argv[a], "--xlsx") == 0) opt = &xlsx;
        else if (argv[a][0] == '-' || input) {
            usage(stderr);
            return 2;
        } else {
            input = argv[a];
            continue;
        }
        if (++a >= argc) {
            usage(stderr);
            return 2;
        }
        *opt = argv[a];
    }
    if (!input) {
        usage(stderr);
        return 2;
    }
#ifndef JX_HAVE_XLSXWRITER
    if (xlsx) {
        fputs("jx-project: --xlsx: this build has no libxlsxwriter\n", stderr);
        return 2;
    }
#endif
    jx_error err;
    jx_projects *ps = jx_projects_read_file(input, profile, lang_load_flags(lang), &err);
    if (!ps || jx_projects_score(ps, 0, &err) < 0) {
        fprintf(stderr, "jx-project: %s\n", err.message);
        jx_projects_free(ps);
        return 2;
    }
    int rc = 0;
    if (!summary && !sheets && !html && !xlsx)
        write_summary(ps, stdout);
    output outs[] = {
        {summary, write_summary, NULL, 0, ""},
        {sheets, write_sheets, NULL, 0, ""},
        {html, write_html, NULL, 0, ""},
        {xlsx, NULL, jxp_write_xlsx, 0, ""},
    };
    if (write_all(ps, outs, sizeof outs / sizeof outs[0]) != 0)
        rc = 2;
    int complete = 1;
    for (size_t k = 0; k < jx_projects_count(ps); k++)
        complete &= jx_result_complete(jx_projects_result(ps, k));
    jx_projects_free(ps);
    return rc ? rc : complete ? 0 : 1;
}
