/* What jx-project's writers share (examples/jx-project.c and the files of
 * examples/project/). Not part of the library: a program's own helpers. */
#ifndef JX_PROJECT_OUT_H
#define JX_PROJECT_OUT_H

#include <stddef.h>

#include "jixiao.h"

/* A number as text, rounded half-up on its decimal value by the library
 * (printf("%.2f") would print 76.005 as 76.00). Returned by value so that
 * jxp_num(x, 2).s can stand in an argument list. */
typedef struct jxp_numtext {
    char s[64];
} jxp_numtext;

jxp_numtext jxp_num(double x, int digits);
/* At most two decimals, trailing zeros dropped: 10, 20.5. */
jxp_numtext jxp_num_short(double x);
/* The project's 项目编号, or its 项目名称 when it has none. */
const char *jxp_id(const jx_projects *ps, size_t k);
/* The 三级指标 of project k that are missing or undefined, "; "-joined. */
void jxp_incomplete(const jx_projects *ps, size_t k, char *out, size_t size);
/* Indicator i of project k as a line of the sheet's 扣分及说明 block
 * ("考核合格率 扣 1.05 分:..."), or 0 when it lost nothing. */
int jxp_deduction(const jx_projects *ps, size_t k, size_t i, char *out, size_t size);

/* The workbook: a 汇总 sheet and one sheet per project in the national
 * form's layout. 0, or -1 with a message on standard error; without
 * libxlsxwriter always -1. */
int jxp_write_xlsx(const jx_projects *ps, const char *path);

#endif
