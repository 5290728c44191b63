/* Batches from CSV (jx_csv_*): the same text read whole and in pieces of
 * every size gives the same rows, values and errors; quoting, CRLF, BOM,
 * header errors, bad values with their line and column, bools, levels,
 * not_applicable, JX_CSV_STOP, JX_CSV_CODES, and the writer's bytes; and
 * the record scanner of lib/util/csv.c against whole-text splitting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/csv_batch.h"
#include "util/csv.h"
#include "tests.h"

/* v without the locale (the suite also runs under de_DE): whole numbers as
 * integers ("-0" kept), others with jx_format_number's decimals. */
static void put_value(FILE *f, double v)
{
    char b[64];
    if (isnan(v)) {
        fputs(" nan", f);
    } else if (v == floor(v) && fabs(v) < 1e15) {
        fprintf(f, " %s%lld", signbit(v) && v == 0 ? "-" : "", (long long)v);
    } else {
        jx_format_number(v, 9, b, sizeof b);
        size_t n = strlen(b);
        while (n && b[n - 1] == '0')
            b[--n] = '\0';
        fprintf(f, " %s", b);
    }
}

/* Every row, value and bad row of a reading, as text to compare. */
static char *dump(jx_csv_reader *r, size_t rows)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    const jx_scheme *s = jx_csv_scheme(r);
    size_t nm = jx_scheme_metric_count(s), ni = jx_scheme_indicator_count(s);
    jx_csv_chunk *c = jx_csv_chunk_new(r, rows);
    ck_assert_ptr_nonnull(c);
    jx_error e;
    int rc;
    while ((rc = jx_csv_read(r, c, &e)) > 0) {
        const double *const *m = jx_csv_chunk_metrics(c);
        const unsigned char *const *na = jx_csv_chunk_not_applicable(c);
        for (size_t k = 0; k < jx_csv_chunk_rows(c); k++) {
            fprintf(f, "[%s]", jx_csv_chunk_id(c, k));
            for (size_t j = 0; j < nm; j++)
                if (m[j])
                    put_value(f, m[j][k]);
            for (size_t i = 0; na && i < ni; i++)
                if (na[i] && na[i][k])
                    fprintf(f, " na:%s", jx_scheme_indicator_id(s, i));
            fputc('\n', f);
        }
        for (size_t k = 0; k < jx_csv_chunk_bad_count(c); k++) {
            const jx_error *b = jx_csv_chunk_bad(c, k);
            fprintf(f, "bad %s:%d:%d @%ld (%s) %d %s\n", b->source, b->line, b->column,
                    b->offset, b->path, b->code, b->message);
        }
    }
    ck_assert_msg(rc == 0, "read: %s", e.message);
    jx_csv_chunk_free(c);
    fclose(f);
    return out;
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of t sorted: a chunk lists its rows before its bad rows, so
 * chunks of other sizes give the same lines in another order. */
static char *sorted_lines(const char *t)
{
    char *copy = strdup(t), *lines[256], *out = calloc(strlen(t) + 2, 1);
    size_t n = 0;
    for (char *p = strtok(copy, "\n"); p && n < 256; p = strtok(NULL, "\n"))
        lines[n++] = p;
    qsort(lines, n, sizeof *lines, cmp_line);
    for (size_t k = 0; k < n; k++) {
        strcat(out, lines[k]);
        strcat(out, "\n");
    }
    free(copy);
    return out;
}

typedef struct pieces {
    const char *text;
    size_t len, pos, step;
} pieces;

static long read_pieces(void *ctx, char *buf, size_t size)
{
    pieces *p = ctx;
    size_t n = p->len - p->pos;
    if (n > p->step)
        n = p->step;
    if (n > size)
        n = size;
    memcpy(buf, p->text + p->pos, n);
    p->pos += n;
    return (long)n;
}

/* Quotes (with "" and line breaks inside), CRLF, a BOM, multibyte text
 * across piece boundaries, blank lines, bad rows of every kind. */
static const char TEXT[] =
    "\xEF\xBB\xBF" "id,在职人员数,编制数,财务管理制度健全,社会效益,not_applicable\r\n"
    "d1,136,143,是,好,2.4\r\n"
    "\"d,2\",136.5,143,否,较好,\r\n"
    "\"多行\n的 id\",1e3,2,TRUE,一般,1.1;1.2\r\n"
    "\r\n"
    "d4,abc,143,true,好,\n"
    "d5,1,2,maybe,好,\n"
    "d6,1,2,0,优秀,\n"
    "d7,1,2,1,差,9.9\n"
    "\"d\n8\",nan,2,1,差,\n"
    "d9,inf,2,1,差,\n"
    "d10,\"1\"\"2\",2,1,差,\n"
    "d11,1,2\n"
    "d12,\"x\"y,2,1,差,\n"
    "d13, 12 ,\t7,否 ,差 ,\n"
    "d14,,,,,\n"
    "d15,-0,1.5E+2,1,好,";

START_TEST(test_pieces_agree)
{
    jx_scheme *s = jxt_scheme("example");
    jx_error e;
    size_t len = sizeof TEXT - 1;
    jx_csv_reader *r = jx_csv_open_buffer(s, TEXT, len, "t.csv", 0, &e);
    ck_assert_msg(r != NULL, "%s", e.message);
    char *want = dump(r, 1);
    jx_csv_free(r);
    r = jx_csv_open_buffer(s, TEXT, len, "t.csv", 0, &e);
    char *whole = dump(r, 0), *want_sorted = sorted_lines(want), *whole_sorted = sorted_lines(whole);
    ck_assert_str_eq(whole_sorted, want_sorted);
    free(whole);
    free(whole_sorted);
    jx_csv_free(r);
    /* what the reading must find */
    ck_assert_ptr_nonnull(strstr(want, "[d1] 136 143 1 0 na:2.4\n"));
    ck_assert_ptr_nonnull(strstr(want, "[d,2] 136.5 143 0 1\n"));
    ck_assert_ptr_nonnull(strstr(want, "[多行\n的 id] 1000 2 1 2 na:1.1 na:1.2\n"));
    ck_assert_ptr_nonnull(strstr(want, "[d13] 12 7 0 3\n"));
    ck_assert_ptr_nonnull(strstr(want, "[d14] nan nan nan nan\n"));
    ck_assert_ptr_nonnull(strstr(want, "[d15] -0 150 1 0\n"));
    ck_assert_ptr_nonnull(strstr(want, "bad t.csv:7:4 @187 "));
    ck_assert_ptr_nonnull(strstr(want, "(在职人员数) -7 column \"在职人员数\": \"abc\" is not a number"));
    ck_assert_ptr_nonnull(strstr(want, "bad t.csv:8:8 @"));
    ck_assert_ptr_nonnull(strstr(want, "\"maybe\" is not true/false/是/否/1/0"));
    ck_assert_ptr_nonnull(strstr(want, "bad t.csv:9:10 @"));
    ck_assert_ptr_nonnull(strstr(want, "-18 column \"社会效益\": \"优秀\" is not a level"));
    ck_assert_ptr_nonnull(strstr(want, "-17 not_applicable: no indicator \"9.9\" in the scheme"));
    /* a field after a quoted line break is on its own line */
    ck_assert_ptr_nonnull(strstr(want, "bad t.csv:12:4 @"));
    ck_assert_ptr_nonnull(strstr(want, "\"nan\" is not a number"));
    ck_assert_ptr_nonnull(strstr(want, "\"inf\" is not a number"));
    ck_assert_ptr_nonnull(strstr(want, "\"1\"2\" is not a number"));
    ck_assert_ptr_nonnull(strstr(want, "bad t.csv:15:8 @319 "));
    ck_assert_ptr_nonnull(strstr(want, "3 fields; the header has 6"));
    ck_assert_ptr_nonnull(strstr(want, "bad t.csv:16:8 @327 "));
    ck_assert_ptr_nonnull(strstr(want, "a character follows the closing quote of a field"));
    ck_assert_ptr_null(strstr(want, "[d4]"));
    /* every piece size, every chunk size: the same */
    for (size_t step = 1; step <= len + 1; step++) {
        for (size_t rows = 1; rows <= 5; rows += 4) {
            pieces p = {TEXT, len, 0, step};
            r = jx_csv_open_callback(s, read_pieces, &p, "t.csv", 0, &e);
            ck_assert_msg(r != NULL, "step %zu: %s", step, e.message);
            char *got = dump(r, rows);
            if (rows > 1) {
                char *g = sorted_lines(got);
                free(got);
                got = g;
            }
            ck_assert_msg(strcmp(got, rows > 1 ? want_sorted : want) == 0,
                          "step %zu, rows %zu:\n%s\nwant\n%s", step, rows, got, want);
            free(got);
            jx_csv_free(r);
        }
    }
    free(want);
    free(want_sorted);
    jx_scheme_free(s);
}
END_TEST

static void header_fails(const jx_scheme *s, const char *text, unsigned flags, int code,
                         int line, int column, const char *part)
{
    jx_error e;
    jx_csv_reader *r = jx_csv_open_buffer(s, text, strlen(text), "h.csv", flags, &e);
    ck_assert_msg(r == NULL, "%s: opened", text);
    ck_assert_int_eq(e.code, code);
    ck_assert_int_eq(e.line, line);
    ck_assert_int_eq(e.column, column);
    ck_assert_str_eq(e.source, "h.csv");
    ck_assert_msg(strstr(e.message, part), "%s: %s", text, e.message);
}

START_TEST(test_header)
{
    jx_scheme *s = jxt_scheme("example");
    header_fails(s, "", 0, JX_EREQUIRED, 0, 0, "empty input; expected a header row");
    header_fails(s, "\xEF\xBB\xBF", 0, JX_EREQUIRED, 0, 0, "empty input");
    header_fails(s, "在职人员数\n1\n", 0, JX_EREQUIRED, 1, 1, "header: no \"id\" column");
    header_fails(s, "id,编制数,id\n", 0, JX_EDUPLICATE, 1, 8, "header: two \"id\" columns");
    header_fails(s, "id,编制数, 编制数\n", 0, JX_EDUPLICATE, 1, 8,
                 "header: two columns for metric \"编制数\"");
    header_fails(s, "id,编制\n", 0, JX_EKEY, 1, 4,
                 "header: column \"编制\" is not a metric of the scheme (nor id or not_applicable)");
    header_fails(s, "id,\"编制数\n", 0, JX_ESYNTAX, 1, 4, "header: a quoted field is not closed");
    header_fails(s, "id,\"编制数\"x\n", 0, JX_ESYNTAX, 1, 9, "follows the closing quote");
    header_fails(s, "id,\xff\xfe\n", 0, JX_ESYNTAX, 1, 4, "not valid UTF-8");
    jx_error e;
    const char *t = "编制数,在职人员数\n1,2\n";
    jx_csv_reader *r = jx_csv_open_buffer(s, t, strlen(t), NULL, JX_CSV_ID_OPTIONAL, &e);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(jx_csv_source(r), "<string>");
    ck_assert_uint_eq(jx_csv_column_count(r), 2);
    ck_assert_str_eq(jx_csv_column_name(r, 1), "在职人员数");
    ck_assert_ptr_null(jx_csv_column_name(r, 2));
    ck_assert_uint_eq(jx_csv_id_column(r), JX_NONE);
    ck_assert_uint_eq(jx_csv_metric_column(r, jx_scheme_metric_find(s, "编制数")), 0);
    ck_assert_uint_eq(jx_csv_metric_column(r, jx_scheme_metric_find(s, "执行数")), JX_NONE);
    ck_assert_int_eq(jx_csv_line(r), 2);
    char *d = dump(r, 0);
    ck_assert_str_eq(d, "[] 2 1\n");
    free(d);
    jx_csv_free(r);
    /* arguments */
    ck_assert_ptr_null(jx_csv_open_buffer(NULL, t, 1, NULL, 0, &e));
    ck_assert_int_eq(e.code, JX_EARG);
    ck_assert_ptr_null(jx_csv_open_callback(s, NULL, NULL, NULL, 0, &e));
    ck_assert_ptr_null(jx_csv_open_fd(s, -1, NULL, 0, &e));
    ck_assert_ptr_null(jx_csv_open_file(s, "/nonexistent/x.csv", 0, &e));
    ck_assert_int_eq(e.code, JX_EIO);
    ck_assert_ptr_nonnull(strstr(e.message, "cannot open the file"));
    jx_csv_free(NULL);
    ck_assert_ptr_null(jx_csv_chunk_new(NULL, 0));
    jx_csv_chunk_free(NULL);
    jx_scheme_free(s);
}
END_TEST

START_TEST(test_stop_and_codes)
{
    jx_scheme *s = jxt_scheme("example");
    jx_error e;
    const char *t = "id,社会效益,财务管理制度健全\na,好,1\nb,2.0,1.0\nc,3,0\nd,好,2\n";
    jx_csv_reader *r = jx_csv_open_buffer(s, t, strlen(t), "c.csv", JX_CSV_STOP, &e);
    char *d = dump(r, 0);
    ck_assert_str_eq(d, "[a] 1 0\nbad c.csv:3:3 @51 (社会效益) -18 column \"社会效益\": \"2.0\" is "
                        "not a level of the metric\n");
    free(d);
    jx_csv_free(r);
    r = jx_csv_open_buffer(s, t, strlen(t), "c.csv", JX_CSV_CODES, &e);
    d = dump(r, 0);
    ck_assert_str_eq(d, "[a] 1 0\n[b] 1 2\n[c] 0 3\nbad c.csv:5:5 @71 (财务管理制度健全) -7 column "
                        "\"财务管理制度健全\": \"2\" is not true/false/是/否/1/0\n");
    free(d);
    jx_csv_free(r);
    /* a level index out of range, or not whole, is not a level */
    t = "id,社会效益\na,4\nb,1.5\nc,-1\n";
    r = jx_csv_open_buffer(s, t, strlen(t), "c.csv", JX_CSV_CODES, &e);
    d = dump(r, 0);
    ck_assert_uint_eq(strlen(d) > 0, 1);
    ck_assert_ptr_null(strstr(d, "[a]"));
    ck_assert_ptr_null(strstr(d, "[b]"));
    ck_assert_ptr_null(strstr(d, "[c]"));
    free(d);
    jx_csv_free(r);
    jx_scheme_free(s);
}
END_TEST

START_TEST(test_writer)
{
    jx_scheme *s = jxt_scheme("example");
    size_t ni = jx_scheme_indicator_count(s);
    jx_csv_writer *w = jx_csv_writer_new(s, 0);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(jx_csv_writer_header(w), 0);
    size_t len;
    const char *h = jx_csv_writer_text(w, &len);
    ck_assert(strncmp(h, "id,1,1.1,1.2,", 13) == 0);
    ck_assert(strcmp(h + len - 22, ",total,grade,complete\n") == 0);
    jx_csv_writer_clear(w);
    double *scores = calloc(2 * ni, sizeof *scores);
    scores[0] = 1.005;    /* not at the precision: rounded half-up as a decimal */
    scores[1] = -0.0;     /* never -0.00 */
    scores[2] = 39.995;
    scores[3] = 2.5;
    scores[ni] = NAN;
    double totals[2] = {97.75, -1.25};
    int grades[2] = {0, -1};
    unsigned char complete[2] = {1, 0};
    ck_assert_int_eq(jx_csv_writer_rows(w, 2, "a\"b\0plain", scores, totals, grades, complete), 0);
    const char *t = jx_csv_writer_text(w, &len);
    char want[4096];
    size_t o = (size_t)snprintf(want, sizeof want, "\"a\"\"b\",1.01,0.00,40.00,2.50");
    for (size_t i = 4; i < ni; i++)
        o += (size_t)snprintf(want + o, sizeof want - o, ",0.00");
    o += (size_t)snprintf(want + o, sizeof want - o, ",97.75,%s,1\nplain,nan",
                          jx_scheme_grade_label(s, 0));
    for (size_t i = 1; i < ni; i++)
        o += (size_t)snprintf(want + o, sizeof want - o, ",0.00");
    snprintf(want + o, sizeof want - o, ",-1.25,,0\n");
    ck_assert_str_eq(t, want);
    ck_assert_uint_eq(len, strlen(want));
    ck_assert_int_eq(jx_csv_writer_rows(w, 1, NULL, NULL, totals, grades, complete), JX_EARG);
    ck_assert_int_eq(jx_csv_writer_rows(NULL, 0, NULL, NULL, NULL, NULL, NULL), JX_EARG);
    ck_assert_int_eq(jx_csv_writer_header(NULL), JX_EARG);
    ck_assert_ptr_null(jx_csv_writer_new(NULL, 0));
    jx_csv_writer_free(NULL);
    free(scores);
    jx_csv_writer_free(w);
    jx_scheme_free(s);
}
END_TEST

/* The scanner over pieces finds the record ends that splitting the whole
 * text finds, for every cut of a text with every kind of quoting. */
START_TEST(test_scan_pieces)
{
    static const char t[] = "a,\"b\nc\",d\r\n\"\"\"\",x\"y\n\"q\"\"\n\"\n,\"\n\"\n\"\"\n";
    size_t n = sizeof t - 1;
    size_t want[16], nw = 0, at = 0, end;
    while (at < n) {
        jxi_csv_scan_state sc = {0, 0, 0};
        if (!jxi_csv_scan(&sc, t + at, n - at, &end))
            break;
        want[nw++] = at + end;
        at += end + 1;
    }
    ck_assert_uint_eq(nw, 5);
    for (size_t cut = 1; cut < n; cut++) {
        size_t got = 0, start = 0, avail = cut;
        jxi_csv_scan_state sc = {0, 0, 0};
        for (;;) {
            if (jxi_csv_scan(&sc, t + start, avail - start, &end)) {
                ck_assert_uint_lt(got, nw);
                ck_assert_uint_eq(start + end, want[got]);
                got++;
                start += end + 1;
                memset(&sc, 0, sizeof sc);
                continue;
            }
            if (avail == n)
                break;
            avail = avail + cut > n ? n : avail + cut;
        }
        ck_assert_uint_eq(got, nw);
    }
}
END_TEST

/* A plain row is read by a fast path, anything else by the general one
 * (JXI_CSV_GENERAL sends every row there). Both must give the same bits and
 * the same errors for every cell, in a number, a bool and two level columns
 * (one whose names are themselves numbers), with and without JX_CSV_CODES,
 * with and without an id column (first or last), not_applicable cells. */
static const char FAST_SCHEME[] =
    "{\"jixiao\": 1, \"id\": \"fast\", \"title\": \"t\", \"total\": 10,"
    " \"metrics\": {\"n\": {}, \"b\": {\"type\": \"bool\"},"
    "  \"l\": {\"type\": \"level\", \"levels\": [\"高\", \"中\", \"低\", \" 差 \"]},"
    "  \"ln\": {\"type\": \"level\", \"levels\": [\"3\", \"2\", \"1\", \"0.5\"]}},"
    " \"indicators\": ["
    "  {\"id\": \"1\", \"name\": \"n\", \"max\": 4, \"value\": \"n\", \"rule\": {\"ratio\": {\"target\": \">= 1\"}}},"
    "  {\"id\": \"2\", \"name\": \"b\", \"max\": 2, \"rule\": {\"checklist\": {\"items\": [{\"metric\": \"b\", \"points\": 2}]}}},"
    "  {\"id\": \"3\", \"name\": \"l\", \"max\": 2, \"rule\": {\"level\": {\"metric\": \"l\", \"fractions\": {\"高\": 1, \"中\": 0.5, \"低\": 0.25, \" 差 \": 0}}}},"
    "  {\"id\": \"4\", \"name\": \"ln\", \"max\": 2, \"rule\": {\"level\": {\"metric\": \"ln\", \"fractions\": {\"3\": 1, \"2\": 0.5, \"1\": 0.25, \"0.5\": 0}}}}]}";

static const char *const FAST_CELLS[] = {
    "0", "1", "-0", "+0", "+1", "-1", "1.", "1.0", "0.0", "-0.0", ".5", "-.5", "5.", ".", "-", "+",
    "", " ", " 1", "1 ", "\t1", "007", "0.5", "2", "2.0", "3", "3.00", "4", "1.5", "1e3", "1E-2",
    "123456789012345", "1234567890123456", "6.4708321257442331", "64.708321257442331",
    "99999999999999.9", "0.000000000000001", "0.1", "0.3", "2.675", "1234.5678", "-98765.4321",
    "1.000000000000001", "00000000000000000001", "是", "否", "true", "FALSE", "高", "低", "0x10",
    "nan", "inf", "1.2.3", "--1", "1-", "1\r2", "\"5\"", "\"\"", "5\"", "1,5", "1,2,3,4,5",
    "\xff", "1\xc3", "r\"x", "\"r\"", "\"r,1\"", "1;2", "2;9", "", ";",
    "True", "tRUE", "false ", " 否", "是是", "中", "中 ", "\t低", "好", "高\"", "\"高\"", " 3", "0.5 ",
    "1; 2", "2;;1", " 差 ", "差", " 差", "差 ", " 1 ", "9.9", "1;9.9", "\"1;2\"", "2\t", "\xe6\x98", "\xe5",
};

/* Every cell in every column (the id and not_applicable columns too). */
static char *fast_text(const char *header, size_t ncol, size_t id_col)
{
    size_t nc = sizeof FAST_CELLS / sizeof *FAST_CELLS, cap = 64 + nc * ncol * 96, len;
    char *t = malloc(cap);
    len = (size_t)snprintf(t, cap, "%s\n", header);
    for (size_t k = 0; k < nc; k++)
        for (size_t col = 0; col < ncol; col++) {
            for (size_t j = 0; j < ncol; j++)
                len += (size_t)snprintf(t + len, cap - len, "%s%s", j ? "," : "",
                                        j == col ? FAST_CELLS[k] : j == id_col ? "r" : "");
            len += (size_t)snprintf(t + len, cap - len, "\n");
        }
    ck_assert_uint_lt(len, cap);
    return t;
}

/* Read text both ways with `flags`; every value, mark, id and error
 * agrees. Returns the rows read. */
static size_t paths_agree(const jx_scheme *s, const char *t, unsigned flags)
{
    jx_error e;
    jx_csv_reader *r[2];
    jx_csv_chunk *c[2];
    for (int general = 0; general < 2; general++) {
        r[general] = jx_csv_open_buffer(s, t, strlen(t), "f.csv", flags, &e);
        ck_assert_msg(r[general] != NULL, "%s", e.message);
        if (general)
            r[general]->flags |= JXI_CSV_GENERAL;
        c[general] = jx_csv_chunk_new(r[general], 4096);
        ck_assert_int_eq(jx_csv_read(r[general], c[general], &e), 1);
    }
    size_t rows = jx_csv_chunk_rows(c[0]);
    ck_assert_uint_eq(rows, jx_csv_chunk_rows(c[1]));
    for (size_t m = 0; m < jx_scheme_metric_count(s); m++)
        ck_assert_msg(memcmp(jx_csv_chunk_metrics(c[0])[m], jx_csv_chunk_metrics(c[1])[m],
                             rows * sizeof(double)) == 0,
                      "flags %#x: metric %s differs", flags, jx_scheme_metric_name(s, m));
    const unsigned char *const *na[2] = {jx_csv_chunk_not_applicable(c[0]),
                                         jx_csv_chunk_not_applicable(c[1])};
    ck_assert_int_eq(!na[0], !na[1]);
    for (size_t i = 0; na[0] && i < jx_scheme_indicator_count(s); i++) {
        ck_assert_int_eq(!na[0][i], !na[1][i]);
        ck_assert(!na[0][i] || memcmp(na[0][i], na[1][i], rows) == 0);
    }
    for (size_t k = 0; k < rows; k++)
        ck_assert_str_eq(jx_csv_chunk_id(c[0], k), jx_csv_chunk_id(c[1], k));
    ck_assert_uint_eq(jx_csv_chunk_bad_count(c[0]), jx_csv_chunk_bad_count(c[1]));
    for (size_t k = 0; k < jx_csv_chunk_bad_count(c[0]); k++) {
        const jx_error *a = jx_csv_chunk_bad(c[0], k), *b = jx_csv_chunk_bad(c[1], k);
        ck_assert_int_eq(a->code, b->code);
        ck_assert_int_eq(a->line, b->line);
        ck_assert_int_eq(a->column, b->column);
        ck_assert_int_eq(a->offset, b->offset);
        ck_assert_str_eq(a->path, b->path);
        ck_assert_str_eq(a->message, b->message);
    }
    for (int general = 0; general < 2; general++) {
        jx_csv_chunk_free(c[general]);
        jx_csv_free(r[general]);
    }
    return rows;
}

START_TEST(test_fast_path_agrees)
{
    jx_error e;
    jx_scheme *s = jx_scheme_load_buffer(FAST_SCHEME, strlen(FAST_SCHEME), "fast.json", 0, &e);
    ck_assert_msg(s != NULL, "%s", e.message);
    static const char *const headers[] = {"id,n,b,l,ln", "n,b,l,ln,id", "n,b,l,ln",
                                          "id,n,b,not_applicable,l,ln"};
    static const size_t ncols[] = {5, 5, 4, 6}, id_cols[] = {0, 4, JX_NONE, 0};
    unsigned flag_sets[] = {0, JX_CSV_CODES, JX_CSV_CODES | JX_CSV_STOP};
    for (size_t h = 0; h < 4; h++)
        for (size_t fs = 0; fs < 3; fs++) {
            char *t = fast_text(headers[h], ncols[h], id_cols[h]);
            unsigned flags = flag_sets[fs] | (h == 2 ? JX_CSV_ID_OPTIONAL : 0);
            /* most cells are good somewhere; JX_CSV_STOP ends at the first bad one */
            ck_assert_uint_gt(paths_agree(s, t, flags), (flags & JX_CSV_STOP) ? 0 : 60);
            free(t);
        }
    /* marks made before a cell only the general path reads, on a row it then
     * finds bad or good: the only marks of their indicators, so a mark left
     * behind shows */
    ck_assert_uint_eq(paths_agree(s, "id,n,b,not_applicable,l,ln\nr,,,4,高,9\nr2,1,,,,\n", 0), 1);
    ck_assert_uint_eq(paths_agree(s, "id,n,b,not_applicable,l,ln\nr,,,3, 高,\n", 0), 1);
    jx_scheme_free(s);
}
END_TEST

Suite *suite_csv(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("batches from CSV");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_pieces_agree);
    tcase_add_test(tc, test_header);
    tcase_add_test(tc, test_stop_and_codes);
    tcase_add_test(tc, test_writer);
    tcase_add_test(tc, test_scan_pieces);
    tcase_add_test(tc, test_fast_path_agrees);
    suite_add_tcase(s, tc);
    return s;
}
