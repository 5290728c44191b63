/* jx-project --xlsx: a 汇总 sheet, then one sheet per project laid out as
 * the national 项目支出绩效自评表 (header block, budget block with 执行率,
 * 年度总体目标, the indicator table with 一级/二级 merged over their rows,
 * 总分 and 等级, the deductions), written with libxlsxwriter. The layout is
 * the one the xlsx reader of the Python binding (and scripts/jx-xlsx2csv)
 * reads back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "project_out.h"

#ifndef JX_HAVE_XLSXWRITER
int jxp_write_xlsx(const jx_projects *ps, const char *path)
{
    (void)ps;
    fprintf(stderr, "jx-project: %s: this build has no libxlsxwriter\n", path);
    return -1;
}
#else
#include <xlsxwriter.h>

typedef struct formats {
    lxw_format *title, *label, *head, *text, *number, *score, *percent;
} formats;

/* A budget figure as the number it is (the library checked it is a plain
 * number); an empty one stays empty. */
static void write_figure(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    char *end;
    double x = strtod(s, &end);
    if (*s && !*end)
        worksheet_write_number(ws, r, c, x, f);
    else
        worksheet_write_string(ws, r, c, s, f);
}

/* The project's id as a sheet name when Excel allows it (at most 31
 * characters, none of []:*?/\, not used yet), else 项目N. */
static lxw_worksheet *project_sheet(lxw_workbook *wb, const jx_projects *ps, size_t k)
{
    char name[128];
    snprintf(name, sizeof name, "%s", jxp_id(ps, k));
    for (char *p = name; *p; p++)
        if (strchr("[]:*?/\\", *p))
            *p = '_';
    if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
        snprintf(name, sizeof name, "项目%zu", k + 1);
    return workbook_add_worksheet(wb, name);
}

static void write_summary_sheet(lxw_workbook *wb, const jx_projects *ps, const formats *fm)
{
    lxw_worksheet *sum = workbook_add_worksheet(wb, "汇总");
    const char *head[] = {"项目编号", "项目名称", "预算执行率(%)", "得分", "等级", "未完整指标"};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(sum, 0, (lxw_col_t)c, head[c], fm->head);
    for (size_t k = 0; k < jx_projects_count(ps); k++) {
        const jx_result *r = jx_projects_result(ps, k);
        lxw_row_t row = (lxw_row_t)(k + 1);
        char inc[2048];
        jxp_incomplete(ps, k, inc, sizeof inc);
        worksheet_write_string(sum, row, 0, jxp_id(ps, k), NULL);
        worksheet_write_string(sum, row, 1, jx_projects_field(ps, k, JX_PROJECT_NAME), NULL);
        if (jx_result_status(r, 0) == JX_STATUS_SCORED)
            worksheet_write_number(sum, row, 2, jx_result_value(r, 0), fm->score);
        worksheet_write_number(sum, row, 3, jx_result_total(r), fm->score);
        worksheet_write_string(sum, row, 4, jx_result_grade(r), NULL);
        worksheet_write_string(sum, row, 5, inc, NULL);
    }
    worksheet_set_column(sum, 0, 1, 16, NULL);
    worksheet_set_column(sum, 5, 5, 40, NULL);
}

/* Rows 1-7: title, header block, budget block, 年度总体目标. */
static void write_head(lxw_worksheet *ws, const jx_projects *ps, size_t k, const formats *fm)
{
    const jx_result *r = jx_projects_result(ps, k);
    const jx_scheme *s = jx_projects_scheme(ps, k);
    worksheet_merge_range(ws, 0, 0, 0, 8, "项目支出绩效自评表", fm->title);
    worksheet_merge_range(ws, 1, 0, 1, 8, jx_projects_profile(ps), NULL);
    worksheet_write_string(ws, 2, 0, "项目名称", fm->label);
    worksheet_merge_range(ws, 2, 1, 2, 5, jx_projects_field(ps, k, JX_PROJECT_NAME), fm->text);
    worksheet_write_string(ws, 2, 6, "项目编号", fm->label);
    worksheet_merge_range(ws, 2, 7, 2, 8, jx_projects_field(ps, k, JX_PROJECT_ID), fm->text);
    worksheet_write_string(ws, 3, 0, "主管部门", fm->label);
    worksheet_merge_range(ws, 3, 1, 3, 3, jx_projects_field(ps, k, JX_PROJECT_DEPARTMENT), fm->text);
    worksheet_write_string(ws, 3, 4, "实施单位", fm->label);
    worksheet_merge_range(ws, 3, 5, 3, 8, jx_projects_field(ps, k, JX_PROJECT_AGENCY), fm->text);
    worksheet_merge_range(ws, 4, 0, 5, 0, "项目资金(万元)", fm->label);
    const char *bh[] = {"", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"};
    for (int c = 1; c < 7; c++)
        worksheet_write_string(ws, 4, (lxw_col_t)c + 1, bh[c], fm->head);
    worksheet_write_string(ws, 5, 1, "年度资金总额", fm->text);
    for (int c = 0; c < 3; c++)
        write_figure(ws, 5, (lxw_col_t)(2 + c),
                     jx_projects_field(ps, k, JX_PROJECT_BUDGET_INITIAL + c), fm->number);
    worksheet_write_number(ws, 5, 5, jx_scheme_indicator_max(s, 0), fm->number);
    if (jx_result_status(r, 0) == JX_STATUS_SCORED)
        worksheet_write_number(ws, 5, 6, jx_result_value(r, 0) / 100, fm->percent);
    else
        worksheet_write_string(ws, 5, 6, "缺少数据", fm->text);
    worksheet_write_number(ws, 5, 7, jx_result_score(r, 0), fm->score);
    worksheet_write_string(ws, 6, 0, "年度总体目标", fm->label);
    worksheet_merge_range(ws, 6, 1, 6, 8, "", fm->text);
}

/* The same 一级 (col 0) or 一级+二级 (col 1) as the row above: part of its
 * merged cell. */
static int same_group(const jx_projects *ps, size_t k, size_t a, size_t b, int col)
{
    for (int c = 0; c <= col; c++)
        if (strcmp(jx_projects_row_text(ps, k, a, JX_PROJECT_LEVEL1 + c),
                   jx_projects_row_text(ps, k, b, JX_PROJECT_LEVEL1 + c)) != 0)
            return 0;
    return 1;
}

/* The indicator table from row 8; returns the row after the 总分 row. */
static lxw_row_t write_table(lxw_worksheet *ws, const jx_projects *ps, size_t k, const formats *fm)
{
    const jx_result *r = jx_projects_result(ps, k);
    const jx_scheme *s = jx_projects_scheme(ps, k);
    const lxw_row_t top = 8;
    const char *ih[] = {"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                        "分值", "得分", "偏差原因分析及改进措施", "说明"};
    for (int c = 0; c < 9; c++)
        worksheet_write_string(ws, top - 1, (lxw_col_t)c, ih[c], fm->head);
    size_t n = jx_projects_row_count(ps, k);
    for (size_t j = 0; j < n; j++) {
        size_t i = jx_projects_row_indicator(ps, k, j);
        lxw_row_t rr = (lxw_row_t)(top + j);
        for (int c = 0; c < 2; c++) {
            if (j > 0 && same_group(ps, k, j - 1, j, c))
                continue;
            size_t e = j;
            while (e + 1 < n && same_group(ps, k, j, e + 1, c))
                e++;
            const char *t = jx_projects_row_text(ps, k, j, JX_PROJECT_LEVEL1 + c);
            if (e > j)
                worksheet_merge_range(ws, rr, (lxw_col_t)c, (lxw_row_t)(top + e), (lxw_col_t)c, t, fm->text);
            else
                worksheet_write_string(ws, rr, (lxw_col_t)c, t, fm->text);
        }
        static const int cols[] = {JX_PROJECT_LEVEL3, JX_PROJECT_TARGET, JX_PROJECT_ACTUAL};
        for (int c = 0; c < 3; c++)
            worksheet_write_string(ws, rr, (lxw_col_t)(2 + c), jx_projects_row_text(ps, k, j, cols[c]),
                                   fm->text);
        worksheet_write_number(ws, rr, 5, jx_scheme_indicator_max(s, i), fm->number);
        if (jx_result_status(r, i) == JX_STATUS_NOT_APPLICABLE)
            worksheet_write_string(ws, rr, 6, "不适用", fm->text);
        else
            worksheet_write_number(ws, rr, 6, jx_result_score(r, i), fm->score);
        worksheet_write_string(ws, rr, 7, jx_projects_row_text(ps, k, j, JX_PROJECT_DEVIATION), fm->text);
        worksheet_write_string(ws, rr, 8, jx_result_reason(r, i), fm->text);
    }
    lxw_row_t tr = (lxw_row_t)(top + n);
    char grade[256];
    snprintf(grade, sizeof grade, "等级:%s%s", jx_result_grade(r),
             jx_result_complete(r) ? "" : "(数据不完整)");
    worksheet_merge_range(ws, tr, 0, tr, 4, "总分", fm->label);
    worksheet_write_number(ws, tr, 5, jx_scheme_total(s), fm->number);
    worksheet_write_number(ws, tr, 6, jx_result_total(r), fm->score);
    worksheet_merge_range(ws, tr, 7, tr, 8, grade, fm->label);
    return tr + 1;
}

static void write_deductions(lxw_worksheet *ws, const jx_projects *ps, size_t k, lxw_row_t row,
                             const formats *fm)
{
    const jx_scheme *s = jx_projects_scheme(ps, k);
    row++;
    worksheet_merge_range(ws, row, 0, row, 8, "扣分及说明", fm->head);
    int any = 0;
    for (size_t i = 0; i < jx_scheme_indicator_count(s); i++) {
        char line[2048];
        if (!jxp_deduction(ps, k, i, line, sizeof line))
            continue;
        row++;
        worksheet_merge_range(ws, row, 0, row, 8, line, fm->text);
        any = 1;
    }
    if (!any)
        worksheet_merge_range(ws, row + 1, 0, row + 1, 8, "无扣分", fm->text);
}

int jxp_write_xlsx(const jx_projects *ps, const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        fprintf(stderr, "jx-project: %s: cannot create the workbook\n", path);
        return -1;
    }
    formats fm;
    fm.title = workbook_add_format(wb);
    format_set_bold(fm.title);
    format_set_font_size(fm.title, 16);
    format_set_align(fm.title, LXW_ALIGN_CENTER);
    fm.label = workbook_add_format(wb);
    format_set_bold(fm.label);
    format_set_border(fm.label, LXW_BORDER_THIN);
    format_set_align(fm.label, LXW_ALIGN_VERTICAL_CENTER);
    fm.head = workbook_add_format(wb);
    format_set_bold(fm.head);
    format_set_border(fm.head, LXW_BORDER_THIN);
    format_set_bg_color(fm.head, 0xEEEEEE);
    fm.text = workbook_add_format(wb);
    format_set_border(fm.text, LXW_BORDER_THIN);
    format_set_text_wrap(fm.text);
    format_set_align(fm.text, LXW_ALIGN_VERTICAL_CENTER);
    fm.number = workbook_add_format(wb);
    format_set_border(fm.number, LXW_BORDER_THIN);
    fm.score = workbook_add_format(wb);
    format_set_border(fm.score, LXW_BORDER_THIN);
    format_set_num_format(fm.score, "0.00");
    fm.percent = workbook_add_format(wb);
    format_set_border(fm.percent, LXW_BORDER_THIN);
    format_set_num_format(fm.percent, "0.00%");

    write_summary_sheet(wb, ps, &fm);
    for (size_t k = 0; k < jx_projects_count(ps); k++) {
        lxw_worksheet *ws = project_sheet(wb, ps, k);
        if (!ws) {
            fprintf(stderr, "jx-project: %s: cannot add the sheet of project %s\n", path, jxp_id(ps, k));
            workbook_close(wb);
            return -1;
        }
        write_head(ws, ps, k, &fm);
        write_deductions(ws, ps, k, write_table(ws, ps, k, &fm), &fm);
        worksheet_set_column(ws, 0, 2, 14, NULL);
        worksheet_set_column(ws, 3, 6, 11, NULL);
        worksheet_set_column(ws, 7, 8, 30, NULL);
        worksheet_set_landscape(ws);
        worksheet_set_paper(ws, 9); /* A4 */
        worksheet_fit_to_pages(ws, 1, 0);
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "jx-project: %s: cannot write the workbook: %s\n", path, lxw_strerror(e));
        return -1;
    }
    return 0;
}
#endif
