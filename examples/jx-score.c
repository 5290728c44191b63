/*
 * jx-score — score a department's figures against an indicator scheme.
 *
 *     jx-score SCHEME METRICS [--json] [--lang en|zh] [--strict]
 *     jx-score --tree SCHEME [--lang en|zh]
 *     jx-score --help | --version
 *
 * --lang sets the language of the messages (load and validation errors)
 * and of the reasons; without it the messages follow the environment
 * (lang.h) and the reasons the scheme.
 * A thin command-line front end over libjixiao and an example of its API:
 * load a scheme, make an input, read the figures from a JSON file, score,
 * print every indicator's score and reason, the total and the grade.
 *
 * Exit status: 0 scored, 1 scored but incomplete (some indicators lack
 * data), 2 error (bad arguments, a scheme or input that does not load,
 * --strict scoring that fails, a write error).
 *
 * The program never calls setlocale(); numbers are printed with
 * jx_format_number (half-up on the decimal value, '.' as the radix).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jixiao.h"
#include "lang.h"

enum { EXIT_OK = 0, EXIT_INCOMPLETE = 1, EXIT_ERROR = 2 };

/* ---- Messages in both languages ---------------------------------------- */

typedef struct labels {
    const char *id, *indicator, *value, *score_max, *status, *reason, *max, *rule;
    const char *total_fmt;      /* total, total digits, scheme total, grade */
    const char *incomplete;
    const char *tree_total_fmt; /* scheme total, indicators, leaves */
    const char *grades, *grade_sep, *grade_item_fmt;
    const char *missing, *not_applicable, *undefined;
} labels;

static const labels labels_zh = {
    "编号", "指标", "值", "得分 / 满分", "状态", "说明", "满分", "规则",
    "总分 %s / %s,等级 %s",
    "结果不完整:有指标缺少数据或无法计算",
    "满分 %s,共 %zu 个指标(末级指标 %zu 个)",
    "等级:", ",", "%s ≥ %s",
    "缺少数据", "不适用", "无法计算",
};

static const labels labels_en = {
    "id", "indicator", "value", "score / max", "status", "reason", "max", "rule",
    "Total %s / %s, grade %s",
    "incomplete: some indicators lack data or cannot be computed",
    "Total %s, %zu indicators (%zu leaves)",
    "Grades: ", ", ", "%s >= %s",
    "missing", "not applicable", "undefined",
};

/* ---- Small utilities ----------------------------------------------------- */

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("jx-score: out of memory\n", stderr);
        exit(EXIT_ERROR);
    }
    return p;
}

/* A formatted string in fresh memory. */
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fputs("jx-score: formatting failed\n", stderr);
        exit(EXIT_ERROR);
    }
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* x with `digits` decimals rounded as the library rounds (1.005 is 1.01,
 * not printf's 1.00), never "-0.00". */
static char *fmt_number(double x, int digits)
{
    char buf[64];
    if (digits > 12)
        digits = 12;
    jx_format_number(x, digits, buf, sizeof buf);
    return xprintf("%s", buf);
}

/* x with at most `digits` decimals and no trailing zeros: 100, 92.5. */
static char *fmt_short(double x, int digits)
{
    char *s = fmt_number(x, digits);
    if (strchr(s, '.')) {
        size_t n = strlen(s);
        while (n > 0 && s[n - 1] == '0')
            s[--n] = '\0';
        if (n > 0 && s[n - 1] == '.')
            s[--n] = '\0';
    }
    return s;
}

/* Columns a code point takes in a terminal: 2 for the wide CJK ranges. */
static int codepoint_width(unsigned long c)
{
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6))
        return 2;
    return 1;
}

/* Display width of a UTF-8 string; a byte that does not start a valid
 * sequence counts as one column. */
static size_t display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        unsigned long c;
        int len;
        if (p[0] < 0x80) {
            c = p[0];
            len = 1;
        } else if ((p[0] & 0xE0) == 0xC0) {
            c = p[0] & 0x1Fu;
            len = 2;
        } else if ((p[0] & 0xF0) == 0xE0) {
            c = p[0] & 0x0Fu;
            len = 3;
        } else if ((p[0] & 0xF8) == 0xF0) {
            c = p[0] & 0x07u;
            len = 4;
        } else {
            w++;
            p++;
            continue;
        }
        int k;
        for (k = 1; k < len; k++) {
            if ((p[k] & 0xC0) != 0x80)
                break;
            c = (c << 6) | (p[k] & 0x3Fu);
        }
        if (k < len) { /* truncated sequence */
            w++;
            p++;
            continue;
        }
        w += (size_t)codepoint_width(c);
        p += len;
    }
    return w;
}

/* ---- Output lines ------------------------------------------------------ */

/* One output line, built piece by piece and printed without trailing
 * blanks. */
typedef struct line {
    char *p;
    size_t len, cap;
} line;

static void line_add(line *l, const char *s, size_t n)
{
    if (l->len + n + 2 > l->cap) {
        size_t cap = l->cap ? l->cap : 128;
        while (l->len + n + 2 > cap)
            cap *= 2;
        char *p = realloc(l->p, cap);
        if (!p) {
            fputs("jx-score: out of memory\n", stderr);
            exit(EXIT_ERROR);
        }
        l->p = p;
        l->cap = cap;
    }
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

static void line_puts(line *l, const char *s)
{
    line_add(l, s, strlen(s));
}

static void line_spaces(line *l, size_t n)
{
    while (n-- > 0)
        line_add(l, " ", 1);
}

/* s left-aligned in `width` columns. */
static void line_left(line *l, const char *s, size_t width)
{
    size_t w = display_width(s);
    line_puts(l, s);
    line_spaces(l, w < width ? width - w : 0);
}

/* s right-aligned in `width` columns. */
static void line_right(line *l, const char *s, size_t width)
{
    size_t w = display_width(s);
    line_spaces(l, w < width ? width - w : 0);
    line_puts(l, s);
}

static void line_print(line *l)
{
    while (l->len > 0 && l->p[l->len - 1] == ' ')
        l->len--;
    line_add(l, "\n", 1);
    fwrite(l->p, 1, l->len, stdout);
    l->len = 0;
}

static size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

/* ---- Errors ------------------------------------------------------------ */

/* SOURCE:LINE:COLUMN: PATH: MESSAGE (strerror), leaving out what is not
 * known; a Chinese message goes without jx_strerror's English words. */
static void print_error(const char *fallback_source, const jx_error *e, int zh)
{
    const char *src = e->source[0] ? e->source : fallback_source;
    fputs(src, stderr);
    if (e->line > 0) {
        fprintf(stderr, ":%d", e->line);
        if (e->column > 0)
            fprintf(stderr, ":%d", e->column);
    }
    fputs(": ", stderr);
    if (e->path[0])
        fprintf(stderr, "%s: ", e->path);
    if (e->message[0] && zh)
        fprintf(stderr, "%s\n", e->message);
    else if (e->message[0])
        fprintf(stderr, "%s (%s)\n", e->message, jx_strerror(e->code));
    else
        fprintf(stderr, "%s\n", jx_strerror(e->code));
}

static void clear_error(jx_error *e)
{
    memset(e, 0, sizeof *e);
    e->code = JX_ENOMEM; /* what a failure that fills nothing most likely was */
    e->offset = -1;
}

/* ---- Printing ---------------------------------------------------------- */

static const char *status_label(const labels *lb, int status)
{
    switch (status) {
    case JX_STATUS_MISSING: return lb->missing;
    case JX_STATUS_NOT_APPLICABLE: return lb->not_applicable;
    case JX_STATUS_UNDEFINED: return lb->undefined;
    default: return "";
    }
}

/* "98.50%", "136.00 人"-style: no space before "%" or a unit that starts
 * with a non-ASCII character, one space otherwise ("12.00 days"). */
static char *fmt_value(double x, int digits, const char *unit)
{
    char *num = fmt_number(x, digits);
    if (!unit[0])
        return num;
    const char *sep = (strcmp(unit, "%") == 0 || (unsigned char)unit[0] >= 0x80) ? "" : " ";
    char *s = xprintf("%s%s%s", num, sep, unit);
    free(num);
    return s;
}

typedef struct row {
    const char *id;
    const char *name;
    int depth;
    char *value;
    char *score;
    char *max;
    const char *status;
    const char *reason;
} row;

static int score_digits(const jx_scheme *s)
{
    int p = jx_scheme_precision(s);
    return p > 2 ? p : 2;
}

static void print_table(const jx_scheme *s, const jx_result *r, const labels *lb)
{
    size_t n = jx_scheme_indicator_count(s);
    int digits = score_digits(s);
    row *rows = xmalloc(n * sizeof *rows);
    size_t w_id = display_width(lb->id), w_name = display_width(lb->indicator);
    size_t w_value = display_width(lb->value), w_score = 0, w_max = 0;
    size_t w_status = display_width(lb->status);
    int any_status = 0;

    for (size_t i = 0; i < n; i++) {
        row *rw = &rows[i];
        rw->id = jx_scheme_indicator_id(s, i);
        rw->name = jx_scheme_indicator_name(s, i);
        rw->depth = jx_scheme_indicator_depth(s, i);
        if (rw->depth < 0)
            rw->depth = 0;
        rw->value = jx_result_has_value(r, i)
                        ? fmt_value(jx_result_value(r, i), jx_result_value_decimals(r, i),
                                    jx_result_value_unit(r, i))
                        : xprintf("-");
        rw->score = fmt_number(jx_result_score(r, i), digits);
        rw->max = fmt_number(jx_scheme_indicator_max(s, i), digits);
        int st = jx_result_status(r, i);
        rw->status = status_label(lb, st);
        if (rw->status[0])
            any_status = 1;
        rw->reason = jx_scheme_indicator_is_leaf(s, i) ? jx_result_reason(r, i) : "";

        w_id = max_size(w_id, display_width(rw->id));
        w_name = max_size(w_name, 2 * (size_t)rw->depth + display_width(rw->name));
        w_value = max_size(w_value, display_width(rw->value));
        w_score = max_size(w_score, display_width(rw->score));
        w_max = max_size(w_max, display_width(rw->max));
        w_status = max_size(w_status, display_width(rw->status));
    }
    /* The score column is "score / max"; widen its parts to fit the title. */
    size_t w_score_col = w_score + 3 + w_max;
    size_t w_title = display_width(lb->score_max);
    if (w_title > w_score_col) {
        w_score += w_title - w_score_col;
        w_score_col = w_title;
    }

    line l = { NULL, 0, 0 };
    const char *title = jx_scheme_title(s);
    if (title && title[0]) {
        line_puts(&l, title);
        line_print(&l);
        line_print(&l);
    }

    /* Header and rule. */
    line_left(&l, lb->id, w_id);
    line_spaces(&l, 2);
    line_left(&l, lb->indicator, w_name);
    line_spaces(&l, 2);
    line_right(&l, lb->value, w_value);
    line_spaces(&l, 2);
    line_right(&l, lb->score_max, w_score_col);
    line_spaces(&l, 2);
    if (any_status) {
        line_left(&l, lb->status, w_status);
        line_spaces(&l, 2);
    }
    line_puts(&l, lb->reason);
    line_print(&l);

    size_t widths[6] = { w_id, w_name, w_value, w_score_col, w_status, display_width(lb->reason) };
    for (int c = 0; c < 6; c++) {
        if (c == 4 && !any_status)
            continue;
        if (c > 0)
            line_spaces(&l, 2);
        for (size_t k = 0; k < widths[c]; k++)
            line_add(&l, "-", 1);
    }
    line_print(&l);

    for (size_t i = 0; i < n; i++) {
        row *rw = &rows[i];
        line_left(&l, rw->id, w_id);
        line_spaces(&l, 2);
        line_spaces(&l, 2 * (size_t)rw->depth);
        line_left(&l, rw->name, w_name - 2 * (size_t)rw->depth);
        line_spaces(&l, 2);
        line_right(&l, rw->value, w_value);
        line_spaces(&l, 2);
        line_right(&l, rw->score, w_score);
        line_puts(&l, " / ");
        line_right(&l, rw->max, w_max);
        line_spaces(&l, 2);
        if (any_status) {
            line_left(&l, rw->status, w_status);
            line_spaces(&l, 2);
        }
        line_puts(&l, rw->reason);
        line_print(&l);
        free(rw->value);
        free(rw->score);
        free(rw->max);
    }
    free(rows);

    char *total = fmt_number(jx_result_total(r), digits);
    char *out_of = fmt_short(jx_scheme_total(s), digits);
    line_print(&l);
    char *t = xprintf(lb->total_fmt, total, out_of, jx_result_grade(r));
    line_puts(&l, t);
    line_print(&l);
    if (!jx_result_complete(r)) {
        line_puts(&l, lb->incomplete);
        line_print(&l);
    }
    free(t);
    free(total);
    free(out_of);
    free(l.p);
}

static void print_tree(const jx_scheme *s, const labels *lb)
{
    size_t n = jx_scheme_indicator_count(s);
    int digits = score_digits(s);
    char **max = xmalloc(n * sizeof *max);
    size_t w_id = display_width(lb->id), w_name = display_width(lb->indicator);
    size_t w_max = display_width(lb->max), leaves = 0;

    for (size_t i = 0; i < n; i++) {
        int depth = jx_scheme_indicator_depth(s, i);
        max[i] = fmt_number(jx_scheme_indicator_max(s, i), digits);
        w_id = max_size(w_id, display_width(jx_scheme_indicator_id(s, i)));
        w_name = max_size(w_name, 2 * (size_t)(depth > 0 ? depth : 0) +
                                      display_width(jx_scheme_indicator_name(s, i)));
        w_max = max_size(w_max, display_width(max[i]));
        if (jx_scheme_indicator_is_leaf(s, i))
            leaves++;
    }

    line l = { NULL, 0, 0 };
    const char *title = jx_scheme_title(s);
    if (title && title[0]) {
        line_puts(&l, title);
        line_print(&l);
        line_print(&l);
    }
    line_left(&l, lb->id, w_id);
    line_spaces(&l, 2);
    line_left(&l, lb->indicator, w_name);
    line_spaces(&l, 2);
    line_right(&l, lb->max, w_max);
    line_spaces(&l, 2);
    line_puts(&l, lb->rule);
    line_print(&l);
    size_t widths[4] = { w_id, w_name, w_max, display_width(lb->rule) };
    for (int c = 0; c < 4; c++) {
        if (c > 0)
            line_spaces(&l, 2);
        for (size_t k = 0; k < widths[c]; k++)
            line_add(&l, "-", 1);
    }
    line_print(&l);

    for (size_t i = 0; i < n; i++) {
        int depth = jx_scheme_indicator_depth(s, i);
        size_t indent = 2 * (size_t)(depth > 0 ? depth : 0);
        line_left(&l, jx_scheme_indicator_id(s, i), w_id);
        line_spaces(&l, 2 + indent);
        line_left(&l, jx_scheme_indicator_name(s, i), w_name - indent);
        line_spaces(&l, 2);
        line_right(&l, max[i], w_max);
        line_spaces(&l, 2);
        line_puts(&l, jx_scheme_indicator_rule(s, i));
        line_print(&l);
        free(max[i]);
    }
    free(max);

    line_print(&l);
    char *total = fmt_short(jx_scheme_total(s), digits);
    char *t = xprintf(lb->tree_total_fmt, total, n, leaves);
    line_puts(&l, t);
    line_print(&l);
    free(t);
    free(total);

    size_t grades = jx_scheme_grade_count(s);
    if (grades > 0) {
        line_puts(&l, lb->grades);
        for (size_t g = 0; g < grades; g++) {
            char *min = fmt_short(jx_scheme_grade_min(s, g), digits);
            char *item = xprintf(lb->grade_item_fmt, jx_scheme_grade_label(s, g), min);
            if (g > 0)
                line_puts(&l, lb->grade_sep);
            line_puts(&l, item);
            free(item);
            free(min);
        }
        line_print(&l);
    }
    free(l.p);
}

/* ---- Where the figures came from ---------------------------------------- */

/* Every metric's value and origin; a default or a missing figure is not
 * evidence, and is flagged so. */
static void print_origins(const jx_scheme *s, const jx_input *in, int en)
{
    size_t nm = jx_scheme_metric_count(s), flagged = 0;
    printf("\n%s\n", en ? "Where each figure came from ('!': not from evidence):"
                         : "数据来源(标 ! 者并非来自证据):");
    for (size_t m = 0; m < nm; m++) {
        int o = jx_input_origin(in, m);
        const char *d = jx_input_origin_detail(in, m);
        const char *what = o == JX_ORIGIN_REPORT    ? (en ? "report" : "报告")
                           : o == JX_ORIGIN_FILE    ? (en ? "user" : "用户填报")
                           : o == JX_ORIGIN_DEFAULT ? (en ? "default, not stated in the report"
                                                          : "默认值,报告未载明")
                           : o == JX_ORIGIN_NONE    ? (en ? "missing" : "缺失")
                                                    : (en ? "set" : "程序设置");
        int flag = o == JX_ORIGIN_DEFAULT || o == JX_ORIGIN_NONE;
        flagged += flag;
        printf("%s %s", flag ? "!" : " ", jx_scheme_metric_name(s, m));
        if (o == JX_ORIGIN_NONE) {
            printf(": %s\n", what);
            continue;
        }
        double v = 0;
        jx_input_get(in, m, &v);
        int type = jx_scheme_metric_type(s, m);
        if (type == JX_METRIC_LEVEL)
            printf(" = %s", jx_scheme_metric_level(s, m, (size_t)v));
        else if (type == JX_METRIC_BOOL)
            printf(" = %s", v != 0 ? (en ? "yes" : "是") : (en ? "no" : "否"));
        else
            printf(" = %.10g%s%s", v, jx_scheme_metric_unit(s, m)[0] ? " " : "",
                   jx_scheme_metric_unit(s, m));
        printf("    [%s%s%s]\n", what, d[0] ? " " : "", d);
    }
    if (flagged)
        printf("%s%zu\n", en ? "figures not from evidence: " : "非证据数据项:", flagged);
}

/* ---- Main -------------------------------------------------------------- */

static void usage(FILE *f)
{
    fputs("usage: jx-score SCHEME METRICS [MORE...] [--json] [--lang en|zh] [--strict]\n"
          "       jx-score --tree SCHEME [--lang en|zh]\n"
          "       jx-score --help | --version\n"
          "\n"
          "Score the figures in METRICS (JSON: {\"metrics\": {...}, \"not_applicable\": [...]})\n"
          "against the indicator scheme SCHEME and print every indicator's score and\n"
          "reason, the total and the grade. Several METRICS files are read in turn, a\n"
          "later one's values taking precedence: the figures jx-extract --json read from\n"
          "a report, then the worksheet (jx-extract --worksheet) the user filled in. The\n"
          "table ends with where every figure came from: the report (line:column), a\n"
          "file of the user's, or the extraction profile's default; defaulted and missing\n"
          "figures are flagged with '!'.\n"
          "\n"
          "  --json         print the result as JSON instead of a table\n"
          "  --lang en|zh   language of the error messages, reasons and labels; without\n"
          "                 it, messages are Chinese when LC_ALL, LC_MESSAGES or LANG\n"
          "                 (the first set) starts with zh, else English, and reasons\n"
          "                 and labels are in the scheme's language\n"
          "  --strict       fail instead of scoring missing or undefined indicators 0\n"
          "  --tree         print the scheme's indicator tree with maxima and rule kinds\n"
          "\n"
          "Exit status: 0 scored, 1 scored but incomplete, 2 error.\n",
          f);
}

static int finish_output(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("jx-score: writing the output");
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    enum { MAX_ARGS = 9 };
    const char *args[MAX_ARGS] = { NULL };
    int nargs = 0, json = 0, strict = 0, tree = 0, options_done = 0, opt;
    const char *lang = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && a[0] == '-' && a[1] != '\0') {
            if (strcmp(a, "--") == 0) {
                options_done = 1;
            } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                usage(stdout);
                return finish_output();
            } else if (strcmp(a, "--version") == 0) {
                printf("jx-score (jixiao) %s\n", jx_version());
                return finish_output();
            } else if (strcmp(a, "--json") == 0) {
                json = 1;
            } else if (strcmp(a, "--strict") == 0) {
                strict = 1;
            } else if (strcmp(a, "--tree") == 0) {
                tree = 1;
            } else if ((opt = lang_option("jx-score", argc, argv, &i, &lang)) != 0) {
                if (opt < 0)
                    return EXIT_ERROR;
            } else {
                fprintf(stderr, "jx-score: unknown option '%s' (see jx-score --help)\n", a);
                return EXIT_ERROR;
            }
        } else if (nargs < MAX_ARGS) {
            args[nargs++] = a;
        } else {
            fprintf(stderr, "jx-score: too many arguments (see jx-score --help)\n");
            return EXIT_ERROR;
        }
    }
    if (tree ? (nargs != 1 || json || strict) : nargs < 2) {
        usage(stderr);
        return EXIT_ERROR;
    }

    /* Messages follow --lang, else the environment; the reasons follow
     * --lang, else the scheme. */
    unsigned load_flags = lang_load_flags(lang);
    jx_error err;
    clear_error(&err);
    jx_scheme *s = jx_scheme_load_file(args[0], load_flags, &err);
    if (!s) {
        print_error(args[0], &err, load_flags != 0);
        return EXIT_ERROR;
    }
    /* Without --lang the scheme decides, for the reasons and the labels. */
    unsigned lang_flag = 0;
    if (lang)
        lang_flag = strcmp(lang, "en") == 0 ? JX_LANG_EN : JX_LANG_ZH;
    else
        lang = strcmp(jx_scheme_lang(s), "en") == 0 ? "en" : "zh";
    const labels *lb = strcmp(lang, "en") == 0 ? &labels_en : &labels_zh;

    if (tree) {
        print_tree(s, lb);
        jx_scheme_free(s);
        return finish_output();
    }

    int status = EXIT_ERROR;
    jx_result *r = NULL;
    jx_input *in = jx_input_new(s);
    if (!in) {
        fputs("jx-score: out of memory\n", stderr);
        goto out;
    }
    for (int k = 1; k < nargs; k++) {
        clear_error(&err);
        if (jx_input_load_file(in, args[k], load_flags, &err) < 0) {
            print_error(args[k], &err, load_flags != 0);
            goto out;
        }
    }
    unsigned flags = (strict ? JX_STRICT : 0u) | lang_flag;
    clear_error(&err);
    r = jx_score(s, in, flags, &err);
    if (!r) {
        print_error(args[1], &err, load_flags != 0);
        goto out;
    }

    if (json) {
        char *text = jx_result_to_json(r, 0);
        if (!text) {
            fputs("jx-score: out of memory\n", stderr);
            goto out;
        }
        size_t len = strlen(text);
        fputs(text, stdout);
        if (len == 0 || text[len - 1] != '\n')
            putchar('\n');
        jx_free(text);
    } else {
        print_table(s, r, lb);
        print_origins(s, in, strcmp(lang, "en") == 0);
    }
    status = finish_output();
    if (status == EXIT_OK && !jx_result_complete(r))
        status = EXIT_INCOMPLETE;

out:
    if (r)
        jx_result_free(r);
    if (in)
        jx_input_free(in);
    jx_scheme_free(s);
    return status;
}
