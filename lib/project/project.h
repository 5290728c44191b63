/* Project self-evaluation sheets (项目支出绩效自评表): the structures shared
 * by the profile, the reader, the value parser and the scheme generator
 * (lib/project_*.c). */
#ifndef JIXIAO_PROJECT_H
#define JIXIAO_PROJECT_H

#include "compile/scheme.h"
#include "util/internal.h"

/* ---- Rule profile (lib/project/project_profile.c) ---- */

typedef struct jxi_plevel {
    char *name;      /* 达成, 好, ... */
    char *tier;      /* "[80, 100]" (tiers), or NULL */
    jxi_interval tier_iv; /* the tier, read when the profile is loaded */
    double deflt;    /* tiers: the percent when the sheet gives none */
    double fraction; /* fractions: the share of the weight */
} jxi_plevel;

typedef struct jxi_pgrade {
    char *label;
    double min;
} jxi_pgrade;

/* A stricter cap ("over_achievement", "budget"."over"): a value more than
 * `beyond` % above its target scores at most `fraction` of the 分值. */
typedef struct jxi_pover {
    int on;
    double beyond, fraction;
} jxi_pover;

typedef struct jxi_pprofile {
    char *id, *version, *title;
    char *budget_name;      /* 预算执行率 */
    double budget_weight;   /* 10 */
    jxi_pover budget_over;  /* 执行率 above 100 % (+ beyond) */
    jxi_pover over;         /* positive (≥) indicators */
    double indicator_total; /* the weights of a project's indicators add up to this */
    char **first;           /* the allowed 一级指标, in the form's order */
    size_t nfirst;
    int tiers;              /* 1: levels have tiers and a percent; 0: fractions */
    jxi_plevel *levels;
    size_t nlevels;
    char *na_word;          /* 不适用 */
    int precision;
    jxi_pgrade *grades;
    size_t ngrades;
} jxi_pprofile;

/* The built-in profile's text (mof-2020-project), the same as
 * schemes/profiles/mof-2020-project.json. */
const char *jxi_project_profile_mof2020(void);

jxi_pprofile *jxi_pprofile_load(const char *buf, size_t len, const char *source, jx_error *err);
void jxi_pprofile_free(jxi_pprofile *p);
/* Index of a level word, or -1. */
int jxi_pprofile_level(const jxi_pprofile *p, const char *word, size_t len);

/* ---- Values as written (lib/project/project_value.c) ---- */

enum { JXI_PV_EMPTY, JXI_PV_NUMBER, JXI_PV_WORD, JXI_PV_NA };

typedef struct jxi_pvalue {
    int kind;
    char op;              /* targets: '>' (≥), '<' (≤), '='; 0 for none */
    char num[48];         /* the number as an ASCII decimal, e.g. "500", "4.2" */
    char unit[48];        /* "%", "人次", "" */
    char word[96];        /* JXI_PV_WORD: the word (达成, 有效提升, ...) */
    int has_percent;      /* a word with a percent: 部分达成(70%) */
    char percent[48];
} jxi_pvalue;

/* Parse a 年度指标值 (is_target) or 实际完成值. 0, or JX_EVALUE with `why`. */
int jxi_pvalue_parse(const char *s, int is_target, const char *na_word, jxi_pvalue *v,
                     char *why, size_t whylen);
/* Convert `num` written in unit `from` into unit `to` (人次 → 万人次 by
 * moving the decimal point). 0, or JX_EVALUE with `why` when the units
 * differ in more than a scale (人次 and 个, % and 个). */
int jxi_pvalue_convert(char *num, size_t size, const char *from, const char *to, char *why,
                       size_t whylen);

/* ---- Projects (lib/project/project_read.c, lib/project/project_scheme.c) ---- */

#define JXI_PCOLS 14
#define JXI_PFIRST_ROW_COL 7 /* columns before it belong to the project */

typedef struct jxi_prow {
    char *cell[JXI_PCOLS]; /* one allocation, from cell[0] (project_read.c) */
    int line;           /* physical line of the CSV record */
    jxi_pvalue target, actual;
    int level;          /* qualitative actual: index of the profile level */
    double weight;
    size_t leaf;        /* indicator index in the project's scheme */
} jxi_prow;

typedef struct jxi_project {
    char *field[JXI_PFIRST_ROW_COL];
    int line;
    jxi_prow *rows;
    size_t nrows, cap;
    jx_scheme *scheme;
    jx_input *input;
    jx_result *result;
} jxi_project;

struct jx_projects {
    jxi_pprofile *profile;
    char *source;
    int filecol[JXI_PCOLS]; /* 0-based column in the file, -1 if absent */
    jxi_project *p;
    size_t n, cap;
    int zh;                 /* JX_LOAD_LANG_ZH: messages from lib/util/msg_zh.c */
};

/* The header name of column c. */
const char *jxi_project_column_name(int c);
/* Fill err for a cell: "<source>:<line>: project <id>, column <n>
 * (<name>): <what>", in Chinese when ps->zh. col < 0 names no column. */
void jxi_project_error(const jx_projects *ps, const jxi_project *p, int line, int col,
                       jx_error *err, int code, const char *fmt, ...) JXI_PRINTF(7, 8);

/* Build, load and fill the scheme and input of project p. */
int jxi_project_build(jx_projects *ps, jxi_project *p, jx_error *err);

/* Row j's metric name: its 三级指标 and `suffix` ("培训人次实际完成值"), the
 * line added when the project repeats the 三级 name, "第N行" + suffix when
 * the name cannot stand in a formula. */
void jxi_project_metric_name(const jxi_project *p, size_t j, const char *suffix, char *out,
                             size_t size);
/* The project's scheme as JSON, the document its digest is taken from (and
 * that the ordinary loader turns into the very scheme jxi_project_compile
 * builds). NULL on out-of-memory; free with jxi_free. */
char *jxi_project_scheme_json(const jx_projects *ps, const jxi_project *p);
/* p->scheme from p's checked rows (lib/project/project_compile.c). */
int jxi_project_compile(jx_projects *ps, jxi_project *p, jx_error *err);
/* The digest of project ps->p[k]'s scheme (a jxi_digest_fn). */
int jxi_project_digest(const void *ps, size_t k, char out[65]);

#endif
