/* The standard 收支 figures that every 部门整体支出 or 项目支出 report states
 * in a few fixed shapes, read the same way for any scheme. The patterns run
 * on normalized text (lib/extract/normtext.c): ASCII digits and punctuation, no
 * blanks inside words or between a number and its unit. A pattern is tried
 * only when the ones before it found nothing; "first" takes its first match;
 * for staff, the matches on the line of the first one are added up: one
 * is a total, several in one paragraph are the parts stated for several
 * units (事业编制26名……事业编制7名), and a later paragraph's are not. */
#ifndef JX_NO_EXTRACT

#include <string.h>

#include "extract/extract.h"

/* A number as reports write it (normalized): 2,100.09 or 2100.09. */
#define NUM "(?<value>[0-9][0-9,]*(?:\\.[0-9]+)?)"
/* A count, in digits or Chinese numerals. */
#define COUNT "(?<value>[0-9]+|[一二两三四五六七八九十百]+)"
#define MONEY NUM "(?<unit>亿元|万元|元)"
/* Words that may stand between a keyword and its amount. */
#define GLUE "(?:合计|总计|共计|总额|[为是共计达到:])*"
/* Not last year's figure, not a sub-project's. */
#define NOT_LAST "(?<!上年)(?<!去年)(?<!上一年)"
#define QUOTE "[\"“”'‘’「」]?"

typedef struct stdpat {
    const char *re;
    jxi_take take;
} stdpat;

typedef struct stdfig {
    const char *key;
    const char *unit;
    const char *levels[4]; /* a level figure's levels, else NULL */
    stdpat pats[4];
} stdfig;

#define F JXI_TAKE_FIRST
#define L JXI_TAKE_LINE_SUM

static const stdfig figures[JXI_STD_FIGURES] = {
    {"收入合计", "万元", {NULL}, {
        {"收入(?:(?<=财政资金收入|部门收入|单位收入|全年收入|本年收入|年度收入|总收入)"
         "(?<!上年财政资金收入)(?<!上年部门收入)(?<!上年单位收入)(?:合计)?|合计|总计|总额)"
         "(?<!上年收入合计)(?<!去年收入合计)(?:资金)?" GLUE MONEY, F}}},
    {"上年结转", "万元", {NULL}, {
        {"(?<!年末)上年结转(?:和|及)?(?:结余)?(?:资金)?(?:收入)?" GLUE MONEY, F}}},
    {"一般公共预算收入", "万元", {NULL}, {
        {NOT_LAST "一般公共预算(?:财政)?(?:拨款)?(?:收入)?(?:资金)?" GLUE MONEY, F}}},
    {"政府性基金收入", "万元", {NULL}, {
        {NOT_LAST "政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:收入)?" GLUE MONEY, F}}},
    {"其他收入", "万元", {NULL}, {{NOT_LAST "其他收入" GLUE MONEY, F}}},
    {"支出合计", "万元", {NULL}, {
        {"支出(?:(?<=财政资金支出|部门支出|单位支出|全年支出|本年支出|年度支出|总支出)"
         "(?<!上年财政资金支出)(?<!上年部门支出)(?<!上年单位支出)(?:合计)?|合计|总计|总额)"
         "(?<!上年支出合计)(?<!去年支出合计)(?:资金)?" GLUE MONEY, F}}},
    {"基本支出", "万元", {NULL}, {{NOT_LAST "基本支出" GLUE MONEY, F}}},
    {"人员经费", "万元", {NULL}, {{NOT_LAST "人员经费(?:支出)?" GLUE MONEY, F}}},
    {"公用经费", "万元", {NULL}, {{NOT_LAST "(?<!三公)公用经费(?:支出)?" GLUE MONEY, F}}},
    {"项目支出", "万元", {NULL}, {{NOT_LAST "(?<!其中)项目支出(?!预算)" GLUE MONEY, F}}},
    {"年初预算数", "万元", {NULL}, {
        {"年初(?:批复|下达)?(?:部门)?(?:的)?预算(?:数|资金|金额)?(?:安排)?" GLUE
         "(?:[0-9]+个项目,?)?" MONEY, F}}},
    {"调整后预算数", "万元", {NULL}, {
        {"(?:调整后(?:的)?(?:全年)?预算(?:数|资金|金额)?|全年预算(?:数|资金|金额)?|"
         "预算调整后(?:为)?)" GLUE MONEY, F}}},
    {"执行数", "万元", {NULL}, {
        {"执行(?:(?<=预算执行|全年执行|实际执行|全年预算执行)(?:数|金额|资金)?|数|金额)"
         GLUE MONEY, F}}},
    {"预算执行率", "%", {NULL}, {
        {"(?<!采购)预算执行率" GLUE NUM "(?<unit>%)", F},
        {"(?<!采购)(?<!政府)资金执行率" GLUE NUM "(?<unit>%)", F}}},
    {"编制数", "人", {NULL}, {
        {"(?:核定(?:人员)?编制(?:数)?|人员编制(?:数)?|编制数|编制总数|编制人数|编制总额)"
         GLUE NUM "(?<unit>名|人)", L},
        {"(?:事业|行政|参公|工勤)编制" GLUE NUM "(?<unit>名|人)", L}}},
    {"在职人数", "人", {NULL}, {
        {"(?:在职人员|在职人数|在职职工|实有人员|实有人数|实有在职人员|在职在编人员|在编人员|"
         "实有在职[^,。;:]{0,8}?(?:人员|职工|民警|干部))(?:总数|数)?" GLUE NUM "(?<unit>名|人)", L},
        {"在(?:编在)?岗(?:工作)?(?:人员|职工|人数)?" GLUE NUM "(?<unit>名|人)", L},
        {"实有" NUM "(?<unit>名|人)", L}}},
    {"三公经费预算", "万元", {NULL}, {
        {"三公" QUOTE "经费(?:财政拨款)?(?:年初)?(?:预算数?|预算安排)" GLUE MONEY, F}}},
    {"三公经费实际", "万元", {NULL}, {
        {"三公" QUOTE "经费(?:预算[0-9,.]+(?:万元|元),)?(?:实际支出|决算数?|实际)"
         GLUE MONEY, F},
        {"三公" QUOTE "经费(?:财政拨款)?支出(?:决算)?" GLUE MONEY, F}}},
    {"政府采购预算", "万元", {NULL}, {
        {"政府采购(?:项目)?(?:预算|计划)(?:数|金额|资金)?" GLUE MONEY, F}}},
    {"政府采购实际", "万元", {NULL}, {
        {"政府采购(?:预算[0-9,.]+(?:万元|元),)?(?:实际(?:采购|执行|支出)?(?:金额|数)?)" GLUE
         MONEY, F},
        {"实际采购(?:金额)?" GLUE MONEY, F}}},
    {"政府采购执行率", "%", {NULL}, {{"采购(?:预算)?执行率" GLUE NUM "(?<unit>%)", F}}},
    {"项目个数", "个", {NULL}, {
        {"(?:项目个数|项目数量|项目总数)" GLUE COUNT "个", F},
        {"(?:共|合计|年初批复预算|年初预算|批复|安排|实施)(?:了)?(?:项目支出)?" COUNT
         "个(?:项目|支出项目|专项)", F},
        {"(?:共|实施|安排)(?:实施|安排)?了?(?:项目支出)?项目" COUNT "个", F}}},
    {"自评得分", "分", {NULL}, {
        {"(?:自评得分|自评分数|自评总分|综合得分|综合评分|评价得分|绩效评价得分|自评分)" GLUE
         NUM "(?<unit>分)", F}}},
    {"自评等级", "", {"优", "良", "中", "差"}, {
        {"(?:自评(?:结果|等级)?[为是:]|评价(?:结果|等级)?[为是:]|等级[为是:]?|评定为)"
         QUOTE "(?<value>优秀|优|良好|良|中等|合格|中|较差|不合格|差)" QUOTE "(?![、,和及])", F}}},
};

#undef F
#undef L

/* The level words a report uses for 优/良/中/差. */
static const char *const level_words[][2] = {
    {"优秀", "优"}, {"良好", "良"}, {"中等", "中"}, {"合格", "中"},
    {"较差", "差"}, {"不合格", "差"}, {"优", "优"}, {"良", "良"},
    {"中", "中"}, {"差", "差"},
};

size_t jxi_stdfig_find(const char *key)
{
    for (size_t k = 0; k < JXI_STD_FIGURES; k++)
        if (strcmp(figures[k].key, key) == 0)
            return k;
    return JX_NONE;
}

static int compile_figure(jxi_profile *p, pcre2_compile_context *cc, size_t k)
{
    const stdfig *f = &figures[k];
    jxi_metric *m = &p->figures[k];
    jxi_xmetric *xm = &p->metrics[k];
    p->n++;
    xm->metric = k;
    xm->target = m;
    xm->take = JXI_TAKE_FIRST;
    if (!(m->name = jxi_strdup(f->key)) || !(m->unit = jxi_strdup(f->unit)) ||
        !(xm->unit = jxi_strdup(f->unit)))
        return JX_ENOMEM;
    m->type = f->levels[0] ? JX_METRIC_LEVEL : JX_METRIC_NUMBER;
    if (f->levels[0]) {
        if (!(m->levels = jxi_calloc(4, sizeof *m->levels)))
            return JX_ENOMEM;
        for (; m->nlevels < 4; m->nlevels++)
            if (!(m->levels[m->nlevels] = jxi_strdup(f->levels[m->nlevels])))
                return JX_ENOMEM;
        size_t nw = sizeof level_words / sizeof level_words[0];
        if (!(xm->map_from = jxi_calloc(nw, sizeof *xm->map_from)) ||
            !(xm->map_to = jxi_calloc(nw, sizeof *xm->map_to)))
            return JX_ENOMEM;
        for (; xm->nmap < nw; xm->nmap++) {
            if (!(xm->map_from[xm->nmap] = jxi_strdup(level_words[xm->nmap][0])))
                return JX_ENOMEM;
            for (size_t l = 0; l < 4; l++)
                if (strcmp(f->levels[l], level_words[xm->nmap][1]) == 0)
                    xm->map_to[xm->nmap] = (double)l;
        }
    }
    size_t n = 0;
    while (n < 4 && f->pats[n].re)
        n++;
    if (!(xm->pats = jxi_calloc(n, sizeof *xm->pats)))
        return JX_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        jxi_xpattern *pat = &xm->pats[i];
        xm->npats++;
        int errcode;
        PCRE2_SIZE erroff;
        if (!(pat->source = jxi_strdup(f->pats[i].re)))
            return JX_ENOMEM;
        pat->take = f->pats[i].take;
        pat->code = pcre2_compile((PCRE2_SPTR)pat->source, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, cc);
        /* The patterns are the library's own: the only way to fail is a
         * failed allocation. */
        if (!pat->code)
            return JX_ENOMEM;
        uint32_t groups = 0;
        pcre2_pattern_info(pat->code, PCRE2_INFO_CAPTURECOUNT, &groups);
        if (groups > p->max_groups)
            p->max_groups = groups;
        int g = pcre2_substring_number_from_name(pat->code, (PCRE2_SPTR) "value");
        pat->value_group = g > 0 ? (uint32_t)g : 0;
        g = pcre2_substring_number_from_name(pat->code, (PCRE2_SPTR) "unit");
        pat->unit_group = g > 0 ? (uint32_t)g : 0;
        if (pcre2_jit_compile(pat->code, PCRE2_JIT_COMPLETE) != 0)
            p->jit = 0;
    }
    return 0;
}

int jxi_stdfig_compile(jxi_profile **out)
{
    *out = NULL;
    jxi_profile *p = jxi_calloc(1, sizeof *p);
    if (!p)
        return JX_ENOMEM;
    p->jit = 1;
    p->gctx = jxi_pcre2_context();
    pcre2_compile_context *cc = p->gctx ? pcre2_compile_context_create(p->gctx) : NULL;
    p->metrics = jxi_calloc(JXI_STD_FIGURES, sizeof *p->metrics);
    p->figures = jxi_calloc(JXI_STD_FIGURES, sizeof *p->figures);
    int rc = !p->gctx || !cc || !p->metrics || !p->figures ? JX_ENOMEM : 0;
    for (size_t k = 0; rc == 0 && k < JXI_STD_FIGURES; k++)
        rc = compile_figure(p, cc, k);
    pcre2_compile_context_free(cc);
    if (rc < 0) {
        jxi_profile_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_stdfig_unused;
#endif /* JX_NO_EXTRACT */
