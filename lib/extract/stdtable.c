/* Standard figures in flattened tables: a table copied out of a Word or PDF
 * file becomes a header row of column names (年初预算数 | 调整后预算数 |
 * 预算执行数 | 预算执行率) and a row of values below it. A header row needs
 * two or more standard names and no number; its values are taken only from
 * a row with exactly one number per column (a row label such as 合计 may
 * stand first), and where several value rows follow, only from the one
 * labelled 合计 or 总计. Anything less certain is left unread. */
#ifndef JX_NO_EXTRACT

#include <string.h>

#include "extract/extract.h"
#include "extract/numtext.h"

/* Column names, after blanks and a parenthesized note are taken out. */
static const struct {
    const char *name;
    const char *key;
} columns[] = {
    {"收入合计", "收入合计"}, {"总收入", "收入合计"}, {"收入总计", "收入合计"},
    {"本年收入", "收入合计"}, {"本年收入合计", "收入合计"},
    {"上年结转", "上年结转"}, {"上年结转收入", "上年结转"}, {"上年结转资金", "上年结转"},
    {"上年结转结余", "上年结转"},
    {"一般公共预算收入", "一般公共预算收入"}, {"一般公共预算", "一般公共预算收入"},
    {"一般公共预算拨款", "一般公共预算收入"}, {"一般公共预算财政拨款", "一般公共预算收入"},
    {"一般公共预算财政拨款收入", "一般公共预算收入"},
    {"政府性基金收入", "政府性基金收入"}, {"政府性基金", "政府性基金收入"},
    {"政府性基金预算财政拨款", "政府性基金收入"},
    {"其他收入", "其他收入"},
    {"支出合计", "支出合计"}, {"总支出", "支出合计"}, {"支出总计", "支出合计"},
    {"本年支出", "支出合计"}, {"本年支出合计", "支出合计"},
    {"基本支出", "基本支出"}, {"人员经费", "人员经费"}, {"公用经费", "公用经费"},
    {"项目支出", "项目支出"},
    {"年初预算数", "年初预算数"}, {"年初预算", "年初预算数"}, {"年初批复预算", "年初预算数"},
    {"调整后预算数", "调整后预算数"}, {"调整后预算", "调整后预算数"},
    {"全年预算数", "调整后预算数"}, {"全年预算", "调整后预算数"},
    {"预算执行数", "执行数"}, {"执行数", "执行数"}, {"全年执行数", "执行数"},
    {"实际执行数", "执行数"},
    {"预算执行率", "预算执行率"}, {"执行率", "预算执行率"},
    {"三公经费预算", "三公经费预算"}, {"三公经费预算数", "三公经费预算"},
    {"三公经费实际", "三公经费实际"}, {"三公经费支出", "三公经费实际"},
    {"三公经费决算数", "三公经费实际"},
    {"政府采购预算", "政府采购预算"}, {"政府采购预算数", "政府采购预算"},
    {"政府采购实际", "政府采购实际"}, {"政府采购实际金额", "政府采购实际"},
    {"实际采购金额", "政府采购实际"}, {"政府采购执行率", "政府采购执行率"},
    {"编制数", "编制数"}, {"核定编制", "编制数"}, {"核定编制数", "编制数"},
    {"在职人数", "在职人数"}, {"实有人数", "在职人数"}, {"在职人员", "在职人数"},
    {"项目个数", "项目个数"}, {"项目数", "项目个数"},
    {"自评得分", "自评得分"}, {"综合得分", "自评得分"}, {"自评等级", "自评等级"},
    {"评价等级", "自评等级"}, {"等级", "自评等级"},
};

#define MAX_CELLS 16

typedef struct tcell {
    size_t start, end; /* bytes in the text */
} tcell;

static int is_sep(const char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)s[i];
    *n = 1;
    if (c == ' ' || c == '\t' || c == '|' || c == '\r')
        return 1;
    /* U+3000 ideographic space, U+FF5C full-width bar */
    if (i + 2 < len + 0 && c == 0xE3 && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80) {
        *n = 3;
        return 1;
    }
    if (i + 2 < len && c == 0xEF && (unsigned char)s[i + 1] == 0xBD &&
        (unsigned char)s[i + 2] == 0x9C) {
        *n = 3;
        return 1;
    }
    return 0;
}

static size_t split_cells(const char *s, size_t len, size_t from, size_t to, tcell *cells)
{
    size_t n = 0, i = from;
    while (i < to) {
        size_t k;
        while (i < to && is_sep(s, len, i, &k))
            i += k;
        if (i >= to)
            break;
        size_t start = i;
        while (i < to && !is_sep(s, len, i, &k))
            i++;
        if (n == MAX_CELLS)
            return MAX_CELLS + 1; /* too wide to be one of ours */
        cells[n].start = start;
        cells[n].end = i;
        n++;
    }
    return n;
}

/* A header cell's name without a note in brackets, and the unit such a
 * note gives ("年初预算数(万元)" → 年初预算数, 万元). */
static size_t header_figure(const char *s, const tcell *c, const jxi_metric *figs,
                            char *unit, size_t unitlen)
{
    size_t end = c->end;
    unit[0] = '\0';
    const char *open = NULL;
    for (const char *p = s + c->start; p < s + c->end; p++) {
        if (*p == '(' || (p + 3 <= s + c->end && memcmp(p, "（", 3) == 0)) {
            open = p;
            break;
        }
    }
    if (open) {
        end = (size_t)(open - s);
        const char *u = open + (*open == '(' ? 1 : 3);
        const char *close = u;
        while (close < s + c->end && *close != ')' &&
               !(close + 3 <= s + c->end && memcmp(close, "）", 3) == 0))
            close++;
        size_t ul = (size_t)(close - u);
        static const char *const units[] = {"万元", "元", "亿元", "%", "％", "人", "个"};
        for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
            if (strlen(units[k]) == ul && memcmp(units[k], u, ul) == 0 && ul < unitlen)
                {
                memcpy(unit, u, ul);
                unit[ul] = '\0';
            }
    }
    size_t nl = end - c->start;
    for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++) {
        if (strlen(columns[k].name) == nl && memcmp(columns[k].name, s + c->start, nl) == 0) {
            for (size_t f = 0; f < JXI_STD_FIGURES; f++)
                if (strcmp(figs[f].name, columns[k].key) == 0)
                    return f;
        }
    }
    return JX_NONE;
}

/* The grade a cell states (优秀, 良, ...): its index among 优/良/中/差, or
 * -1. */
static int grade_cell(const char *s, const tcell *c)
{
    static const struct { const char *w; int g; } words[] = {
        {"优秀", 0}, {"优", 0}, {"良好", 1}, {"良", 1}, {"中等", 2}, {"合格", 2}, {"中", 2},
        {"较差", 3}, {"不合格", 3}, {"差", 3}};
    size_t cl = c->end - c->start;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strlen(words[k].w) == cl && memcmp(words[k].w, s + c->start, cl) == 0)
            return words[k].g;
    return -1;
}

/* A cell that is one number with an optional unit, or a grade (as the
 * grade's index, with no unit). */
static int number_cell(const char *s, const tcell *c, jxi_decnum *d, const char **unit,
                       size_t *ulen)
{
    int g = grade_cell(s, c);
    if (g >= 0) {
        d->neg = 0;
        d->m = (uint64_t)g;
        d->e = 0;
        *unit = s + c->end;
        *ulen = 0;
        return 2;
    }
    size_t used;
    char why[64];
    if (jxi_numtext_parse(s + c->start, c->end - c->start, d, &used, why, sizeof why) < 0 ||
        used == 0)
        return 0;
    *unit = s + c->start + used;
    *ulen = c->end - c->start - used;
    static const char *const units[] = {"", "万元", "元", "亿元", "%", "％", "人", "名", "个"};
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (strlen(units[k]) == *ulen && memcmp(units[k], *unit, *ulen) == 0)
            return 1;
    return 0;
}

/* The unit a "单位:万元" (单位：亿元, 金额单位: 元) states within the header line
 * or the lines above it that the caller passes (a section states it once
 * above its tables), or NULL. */
static const char *table_unit(const char *s, size_t from, size_t to)
{
    static const char *const units[] = {"亿元", "万元", "元"};
    const char *found = NULL;
    for (size_t i = from; i + 6 <= to; i++) {
        if (memcmp(s + i, "单位", 6) != 0)
            continue;
        size_t j = i + 6;
        while (j < to && (s[j] == ':' || s[j] == ' '))
            j++;
        if (j + 3 <= to && (memcmp(s + j, "：", 3) == 0 || memcmp(s + j, "　", 3) == 0))
            j += 3;
        while (j < to && s[j] == ' ')
            j++;
        for (size_t k = 0; k < 3; k++)
            if (j + strlen(units[k]) <= to && memcmp(s + j, units[k], strlen(units[k])) == 0) {
                found = units[k]; /* the nearest statement counts */
                break;
            }
    }
    return found;
}

static size_t line_end(const char *s, size_t len, size_t i)
{
    const char *nl = memchr(s + i, '\n', len - i);
    return nl ? (size_t)(nl - s) : len;
}

static int push(jxi_tablefig **out, size_t *n, size_t *cap, const jxi_tablefig *f)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        jxi_tablefig *nf = jxi_realloc(*out, c * sizeof *nf);
        if (!nf)
            return JX_ENOMEM;
        *out = nf;
        *cap = c;
    }
    (*out)[(*n)++] = *f;
    return 0;
}

typedef struct vrow {
    tcell cells[MAX_CELLS];
    size_t first;  /* the first number cell */
    size_t n;      /* cells */
    int total;     /* labelled 合计 / 总计 */
    int year;      /* labelled "2022年", "2022年度" (else 0) */
} vrow;

/* Cells [first, n) all numbers? */
static int value_row(const char *s, size_t len, size_t from, size_t to, vrow *r)
{
    r->n = split_cells(s, len, from, to, r->cells);
    if (r->n == 0 || r->n > MAX_CELLS)
        return 0;
    jxi_decnum d;
    const char *u;
    size_t ul;
    r->first = 0;
    while (r->first < r->n && !number_cell(s, &r->cells[r->first], &d, &u, &ul))
        r->first++;
    if (r->first == r->n || r->first > 1)
        return 0;
    for (size_t k = r->first; k < r->n; k++)
        if (!number_cell(s, &r->cells[k], &d, &u, &ul))
            return 0;
    r->total = 0;
    r->year = 0;
    if (r->first == 1) {
        const tcell *c = &r->cells[0];
        size_t cl = c->end - c->start;
        const char *t = s + c->start;
        r->total = (cl == 6 && (memcmp(t, "合计", 6) == 0 || memcmp(t, "总计", 6) == 0));
        if ((cl == 7 || cl == 10) && memcmp(t + 4, "年", 3) == 0 &&
            (cl == 7 || memcmp(t + 7, "度", 3) == 0)) {
            int y = 0;
            for (size_t k = 0; k < 4 && t[k] >= '0' && t[k] <= '9'; k++)
                y = y * 10 + (t[k] - '0');
            r->year = y >= 1000 ? y : 0;
        }
    }
    return 1;
}

static int take_row(const char *s, const vrow *r, const size_t *fig, char (*units)[16],
                    size_t ncols, const char *tunit, const jxi_metric *figs, jxi_tablefig **out,
                    size_t *n, size_t *cap)
{
    for (size_t k = 0; k < ncols; k++) {
        if (fig[k] == JX_NONE)
            continue;
        const tcell *c = &r->cells[r->first + k];
        jxi_decnum d;
        const char *u;
        size_t ul;
        int grade = number_cell(s, c, &d, &u, &ul) == 2;
        if (grade != (figs[fig[k]].type == JX_METRIC_LEVEL))
            continue;
        const char *want = figs[fig[k]].unit;
        if (ul == 0) {
            /* The column's note, the table's 单位, or (rates, counts) none. */
            u = units[k][0] ? units[k] : NULL;
            if (!u && strcmp(want, "万元") == 0)
                u = tunit;
            if (!u && strcmp(want, "万元") == 0)
                continue; /* an amount of unknown unit is not read */
            ul = u ? strlen(u) : 0;
        }
        char why[128];
        if (ul > 0 && jxi_unit_convert(&d, u, ul, want, strlen(want), why, sizeof why) < 0)
            continue;
        jxi_tablefig f = {fig[k], jxi_decnum_value(&d), c->start, c->end};
        if (push(out, n, cap, &f) < 0)
            return JX_ENOMEM;
    }
    return 0;
}

/* A row of a two-way table: a standard name, its amount, then perhaps its
 * share in percent ("基本支出 | 2,105.60 | 72.51%"). */
static int label_row(const char *s, size_t len, const tcell *cells, size_t nc, size_t figure,
                     char *unit, const char *tunit, const jxi_metric *figs, jxi_tablefig **out,
                     size_t *n, size_t *cap)
{
    (void)len;
    jxi_decnum d;
    const char *u;
    size_t ul;
    for (size_t k = 2; k < nc; k++)
        if (number_cell(s, &cells[k], &d, &u, &ul) != 1 || ul == 0 || *u != '%')
            return 0;
    vrow r;
    r.n = nc;
    r.first = 1;
    memcpy(r.cells, cells, nc * sizeof *cells);
    size_t fig[1] = {figure};
    char units[1][16];
    memcpy(units[0], unit, 16);
    return take_row(s, &r, fig, units, 1, tunit, figs, out, n, cap);
}

int jxi_stdtable_scan(const char *s, size_t len, const jxi_metric *figs, jxi_tablefig **out,
                      size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    enum { BACK = 12 };
    size_t prev[BACK] = {0}; /* starts of the lines above, nearest first */
    for (size_t i = 0; i < len;) {
        size_t e = line_end(s, len, i);
        tcell cells[MAX_CELLS];
        /* Most lines are prose, without a cell separator: one cell, no
         * table. The byte test is cheap; split_cells() looks closer. */
        size_t nc = 0;
        /* A row is short and is not a sentence. */
        int row = e - i <= 240;
        for (size_t k = i; row && k + 3 <= e; k++)
            row = memcmp(s + k, "。", 3) != 0;
        for (size_t k = i; row && k < e; k++) {
            size_t step;
            if (is_sep(s, len, k, &step)) {
                nc = split_cells(s, len, i, e, cells);
                break;
            }
        }
        size_t fig[MAX_CELLS];
        char units[MAX_CELLS][16];
        size_t known = 0, numbers = 0;
        if (nc >= 2 && nc <= MAX_CELLS) {
            for (size_t k = 0; k < nc; k++) {
                jxi_decnum d;
                const char *u;
                size_t ul;
                fig[k] = header_figure(s, &cells[k], figs, units[k], sizeof units[k]);
                known += fig[k] != JX_NONE;
                numbers += number_cell(s, &cells[k], &d, &u, &ul);
            }
        }
        if (known >= 2 && numbers == 0) {
            const char *tunit = table_unit(s, prev[BACK - 1], e);
            /* The value rows under the header. */
            vrow rows[4];
            size_t nr = 0;
            size_t j = e < len ? e + 1 : len;
            while (j < len && nr < 4) {
                size_t je = line_end(s, len, j);
                if (!value_row(s, len, j, je, &rows[nr]))
                    break;
                nr++;
                j = je < len ? je + 1 : len;
            }
            /* The header's leading label columns (项目, 科目) have no number. */
            size_t skip = 0;
            while (skip < nc && fig[skip] == JX_NONE)
                skip++;
            /* One row; else the 合计 row; else, rows by year, the latest. */
            const vrow *pick = NULL;
            int years = nr > 1;
            if (nr == 1)
                pick = &rows[0];
            for (size_t r = 0; nr > 1 && r < nr; r++) {
                if (rows[r].total)
                    pick = &rows[r];
                years &= rows[r].year > 0;
            }
            for (size_t r = 0; years && !pick && r < nr; r++) {
                const vrow *latest = &rows[0];
                for (size_t q = 1; q < nr; q++)
                    if (rows[q].year > latest->year)
                        latest = &rows[q];
                pick = latest;
            }
            if (pick) {
                size_t nv = pick->n - pick->first;
                int rc = 0;
                if (nv == nc)
                    rc = take_row(s, pick, fig, units, nc, tunit, figs, out, n, &cap);
                else if (nv == nc - skip && skip > 0)
                    rc = take_row(s, pick, fig + skip, units + skip, nc - skip, tunit, figs, out,
                                  n, &cap);
                if (rc < 0) {
                    jxi_free(*out);
                    *out = NULL;
                    *n = 0;
                    return rc;
                }
            }
        }
        if (known == 1 && fig[0] != JX_NONE && nc >= 2 && numbers == nc - 1 &&
            label_row(s, len, cells, nc, fig[0], units[0], table_unit(s, prev[BACK - 1], e), figs,
                      out, n, &cap) < 0) {
            jxi_free(*out);
            *out = NULL;
            *n = 0;
            return JX_ENOMEM;
        }
        memmove(prev + 1, prev, (BACK - 1) * sizeof *prev);
        prev[0] = i;
        i = e < len ? e + 1 : len;
    }
    return 0;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_stdtable_unused;
#endif /* JX_NO_EXTRACT */
