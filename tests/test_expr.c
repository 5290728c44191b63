/* Formulas: grammar, evaluation outcomes, error positions and limits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"
#include "../lib/compile/expr.h"
#include "../lib/util/internal.h"

/* ---- A small metric table ------------------------------------------------ */

enum {
    S_A, S_B, S_C, S_STAFF, S_QUOTA, S_SANGONG, S_QUOTED, S_M, S_N, S_U, S_Z, S_SPACE,
    S_AND, S_IF, S_P1, S_P2, S_SUM, S_A1, S_INF, N_SLOTS
};

static const struct {
    const char *name;
    int slot;
    double value;
    unsigned char state;
} metrics[] = {
    {"a", S_A, 2, JXI_SLOT_PRESENT},
    {"b", S_B, 3, JXI_SLOT_PRESENT},
    {"c", S_C, 4, JXI_SLOT_PRESENT},
    {"在职人员数", S_STAFF, 136, JXI_SLOT_PRESENT},
    {"编制数", S_QUOTA, 160, JXI_SLOT_PRESENT},
    {"三公经费2023", S_SANGONG, 12.5, JXI_SLOT_PRESENT},
    {"“三公”经费", S_QUOTED, 7, JXI_SLOT_PRESENT},
    {"m", S_M, 999, JXI_SLOT_MISSING}, /* a stale value that must not be used */
    {"n", S_N, 999, JXI_SLOT_MISSING},
    {"u", S_U, 0, JXI_SLOT_UNDEFINED},
    {"z", S_Z, 0, JXI_SLOT_PRESENT},
    {"x y", S_SPACE, 5, JXI_SLOT_PRESENT},
    {"and", S_AND, 1, JXI_SLOT_PRESENT},
    {"if", S_IF, 9, JXI_SLOT_PRESENT},
    {"p1", S_P1, 0.1, JXI_SLOT_PRESENT},
    {"p2", S_P2, 0.2, JXI_SLOT_PRESENT},
    {"sum", S_SUM, 1, JXI_SLOT_PRESENT},
    {"a_1", S_A1, 0.665, JXI_SLOT_PRESENT},
    {"w", S_INF, 0, JXI_SLOT_PRESENT}, /* value set to infinity below */
};

#define UNUSABLE_WHY "a level metric has no number"

static int resolve(void *ctx, const char *name, size_t len, const char **why)
{
    int *calls = ctx;
    if (calls)
        (*calls)++;
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++)
        if (strlen(metrics[i].name) == len && !memcmp(metrics[i].name, name, len))
            return metrics[i].slot;
    if (len == strlen("等级") && !memcmp(name, "等级", len)) {
        *why = UNUSABLE_WHY;
        return JXI_RESOLVE_UNUSABLE;
    }
    return JXI_RESOLVE_UNKNOWN;
}

static double values[N_SLOTS];
static unsigned char states[N_SLOTS];

static void setup(void)
{
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        values[metrics[i].slot] = metrics[i].value;
        states[metrics[i].slot] = metrics[i].state;
    }
    values[S_INF] = INFINITY;
}

static jxi_expr *compile_ok(const char *f)
{
    jxi_expr *x = NULL;
    jxi_expr_error e;
    int rc = jxi_expr_compile(f, strlen(f), resolve, NULL, &x, &e);
    ck_assert_msg(rc == 0, "\"%s\" failed to compile: %s (offset %zu)", f, e.message, e.offset);
    ck_assert_ptr_nonnull(x);
    return x;
}

static jxi_eval run(const char *f, unsigned char *missing)
{
    jxi_expr *x = compile_ok(f);
    jxi_eval r;
    memset(&r, 0xAB, sizeof r); /* every field must be written */
    jxi_expr_eval(x, values, states, missing, &r);
    jxi_expr_free(x);
    return r;
}

static double val(const char *f)
{
    jxi_eval r = run(f, NULL);
    ck_assert_msg(r.status == JXI_EVAL_OK, "\"%s\": status %d, undef %d", f, r.status, r.undef);
    ck_assert_int_eq(r.undef, JXI_UNDEF_NONE);
    return r.value;
}

#define VAL(f, expected) ck_assert_msg(val(f) == (expected), "\"%s\" = %.17g, expected %.17g", \
                                       f, val(f), (double)(expected))

static jxi_expr_error bad_n(const char *f, size_t len, int code, size_t offset)
{
    jxi_expr *x = (jxi_expr *)&x; /* must be reset to NULL */
    jxi_expr_error e;
    int rc = jxi_expr_compile(f, len, resolve, NULL, &x, &e);
    ck_assert_msg(rc == code, "\"%s\": got %d (%s), expected %d", f, rc, e.message, code);
    ck_assert_int_eq(e.code, code);
    ck_assert_msg(e.offset == offset, "\"%s\": offset %zu, expected %zu (%s)", f, e.offset,
                  offset, e.message);
    ck_assert_ptr_null(x);
    ck_assert_uint_gt(strlen(e.message), 0);
    return e;
}

static jxi_expr_error bad(const char *f, int code, size_t offset)
{
    return bad_n(f, strlen(f), code, offset);
}

#define BAD_MSG(f, code, offset, msg) ck_assert_str_eq(bad(f, code, offset).message, msg)
#define BAD_HAS(f, code, offset, part) \
    do { \
        jxi_expr_error e_ = bad(f, code, offset); \
        ck_assert_msg(strstr(e_.message, part) != NULL, "\"%s\": message \"%s\" lacks \"%s\"", \
                      f, e_.message, part); \
    } while (0)

/* ---- Arithmetic and precedence --------------------------------------------- */

START_TEST(test_arithmetic)
{
    VAL("2-3-4", -5);
    VAL("2*3+4", 10);
    VAL("2+3*4", 14);
    VAL("(2+3)*4", 20);
    VAL("-2*3", -6);
    VAL("2*-3", -6);
    VAL("2 - -3", 5);
    VAL("- -2", 2);
    VAL("+2", 2);
    VAL("8/4/2", 1);
    VAL("12/2*3", 18);
    VAL("a+b*c", 14);
    VAL("10-a*b", 4);
    VAL("1.5e3 + .5", 1500.5);
    VAL("2E-1 * 10", 2);
    VAL("  a\t+\n b\r\n", 5);
    VAL("-(a - b)", 1);
    VAL("((((a))))", 2);
}
END_TEST

START_TEST(test_logic)
{
    VAL("not 1 or 1", 1);   /* (not 1) or 1 */
    VAL("not 0 and 0", 0);  /* (not 0) and 0 */
    VAL("not (0 and 0)", 1);
    VAL("1 or 0 and 0", 1); /* and binds tighter than or */
    VAL("0 and 0 or 1", 1);
    VAL("not a = b", 1);    /* not (2 = 3) */
    VAL("not not 5", 1);
    VAL("not 5", 0);
    VAL("not 0", 1);
    VAL("1 + 1 = 2", 1);    /* arithmetic binds tighter than comparison */
    VAL("a < b and b < c", 1);
    VAL("a < b and c < b", 0);
    VAL("a > b or c > b", 1);
    /* logic results are exactly 1 or 0 */
    VAL("2 and 3", 1);
    VAL("0.5 or 0", 1);
    VAL("0 or 0.5", 1);
    VAL("0 or 0", 0);
    VAL("0 and 5", 0);
    VAL("a and b and c", 1);
    VAL("0 or 0 or 7", 1);
    VAL("(a > 1) * 10", 10);
}
END_TEST

START_TEST(test_comparisons)
{
    VAL("1 < 2", 1);
    VAL("2 < 1", 0);
    VAL("2 <= 2", 1);
    VAL("3 <= 2", 0);
    VAL("2 > 1", 1);
    VAL("1 > 2", 0);
    VAL("2 >= 2", 1);
    VAL("1 >= 2", 0);
    VAL("2 = 2", 1);
    VAL("2 == 2", 1);
    VAL("2 = 3", 0);
    VAL("2 != 3", 1);
    VAL("2 != 2", 0);
    VAL("2 <> 3", 1);
    VAL("2 <> 2", 0);
    /* decimal comparison: 0.1 + 0.2 is 0.3 to a person with a calculator */
    VAL("0.1 + 0.2 = 0.3", 1);
    VAL("p1 + p2 = 0.3", 1);
    VAL("p1 + p2 > 0.3", 0);
    VAL("p1 + p2 <= 0.3", 1);
    VAL("p1 + p2 != 0.3", 0);
    VAL("0.3 >= 0.1 * 3", 1);
    VAL("0.3 < 0.1 * 3", 0);
}
END_TEST

START_TEST(test_functions)
{
    VAL("if(1, a, b)", 2);
    VAL("if(0, a, b)", 3);
    VAL("if(a > b, 1, 2)", 2);
    VAL("if(a, if(0, 1, 2), 3)", 2);
    VAL("min(3, 1, 2)", 1);
    VAL("max(3, 1, 2)", 3);
    VAL("min(a, b)", 2);
    VAL("max(-1, -5)", -1);
    VAL("max(min(a, b), c)", 4);
    VAL("min(0.3, p1 + p2) = 0.3", 1);
    VAL("abs(-2.5)", 2.5);
    VAL("abs(a)", 2);
    VAL("round(0.665, 2)", 0.67);
    VAL("round(5 - (100 - 91.33) * 0.5, 2)", 0.67);
    VAL("round(72.345 / 100 * 100, 2)", 72.35);
    VAL("round(a_1, 2)", 0.67);
    VAL("round(2.5, 0)", 3);
    VAL("round(-2.5, 0)", -3);
    VAL("round(1.23456, a)", 1.23);   /* computed digit count */
    VAL("round(1.5, a - 2)", 2);
    VAL("round(1.23456, 9)", 1.23456);
    VAL("floor(0.3 / 0.1)", 3);       /* not 2 */
    VAL("floor(2.7)", 2);
    VAL("floor(-2.5)", -3);
    VAL("ceil(2.1)", 3);
    VAL("ceil(-2.5)", -2);
    VAL("ceil(0.7 / 0.1)", 7);        /* not 8 */
    /* spreadsheet spellings and a space before '(' */
    VAL("ROUND(2.345, 2)", 2.35);
    VAL("If(1, 2, 3)", 2);
    VAL("max (a, b)", 3);
    /* a function name not followed by '(' is an ordinary name */
    VAL("if + 1", 10);
    VAL("sum * 2", 2);
}
END_TEST

START_TEST(test_round_digits_runtime)
{
    jxi_eval r = run("round(a, c * 3)", NULL); /* 12 digits */
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    r = run("round(a, b / 2)", NULL); /* 1.5 digits */
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    r = run("round(a, -a)", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    /* constant digit counts are checked at compile time */
    BAD_HAS("round(a, 10)", JX_EFORMULA, 9, "0 to 9");
    BAD_HAS("round(a, -1)", JX_EFORMULA, 9, "0 to 9");
    BAD_HAS("round(a, 1.5)", JX_EFORMULA, 9, "0 to 9");
}
END_TEST

START_TEST(test_names)
{
    VAL("在职人员数 / 编制数 * 100", 85);
    VAL("在职人员数/编制数", 0.85);
    VAL("三公经费2023 * 2", 25);
    VAL("编制数+a", 162);
    VAL("[“三公”经费] + 1", 8);
    VAL("[x y] * 2", 10);
    VAL("[and] + 1", 2);
    VAL("[在职人员数]", 136);
    VAL("[if] * 1", 9);
    VAL("a_1 * 1000", 665);
}
END_TEST

/* ---- Evaluation outcomes --------------------------------------------------- */

START_TEST(test_short_circuit)
{
    unsigned char missing[N_SLOTS];
    const char *ok[] = {"if(1, a, m)", "if(0, m, a)", "if(1, a, u)", "if(0, a / z, a)"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        memset(missing, 0, sizeof missing);
        jxi_eval r = run(ok[i], missing);
        ck_assert_msg(r.status == JXI_EVAL_OK, "%s: status %d", ok[i], r.status);
        ck_assert_double_eq(r.value, 2);
        ck_assert_int_eq(missing[S_M], 0);
    }
    memset(missing, 0, sizeof missing);
    jxi_eval r = run("0 and m", missing);
    ck_assert_int_eq(r.status, JXI_EVAL_OK);
    ck_assert_double_eq(r.value, 0);
    ck_assert_int_eq(missing[S_M], 0);
    r = run("1 or m", missing);
    ck_assert_int_eq(r.status, JXI_EVAL_OK);
    ck_assert_double_eq(r.value, 1);
    ck_assert_int_eq(missing[S_M], 0);

    r = run("1 and m", missing);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.slot, S_M);
    ck_assert_int_eq(missing[S_M], 1);
    memset(missing, 0, sizeof missing);
    r = run("0 or n", missing);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.slot, S_N);
    ck_assert_int_eq(missing[S_N], 1);
}
END_TEST

START_TEST(test_missing)
{
    unsigned char missing[N_SLOTS];
    memset(missing, 0, sizeof missing);
    jxi_eval r = run("n + a * m", missing);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.slot, S_N); /* the first met */
    ck_assert_int_eq(missing[S_M], 1);
    ck_assert_int_eq(missing[S_N], 1);
    ck_assert_int_eq(missing[S_A], 0);
    ck_assert_int_eq(r.undef, JXI_UNDEF_NONE);

    /* a missing condition counts as 0 for the path: n is not on it */
    memset(missing, 0, sizeof missing);
    r = run("if(m > 0, n, a)", missing);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.slot, S_M);
    ck_assert_int_eq(missing[S_M], 1);
    ck_assert_int_eq(missing[S_N], 0);

    /* missing wins over undefined, whatever comes first */
    r = run("u + m", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.slot, S_M);
    r = run("a / z + m", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    r = run("1e308 * 10 + m", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.undef, JXI_UNDEF_NONE);
    /* a missing divisor is reported as missing, not as a division by zero */
    r = run("a / m", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.slot, S_M);
}
END_TEST

START_TEST(test_undefined_input)
{
    jxi_eval r = run("a + u", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_INPUT);
    ck_assert_int_eq(r.slot, S_U);
    ck_assert(isnan(r.value));
    /* a present slot holding infinity is undefined input too */
    r = run("w * 0", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_INPUT);
    ck_assert_int_eq(r.slot, S_INF);
}
END_TEST

static void check_div_zero(const char *f, const char *divisor)
{
    jxi_eval r = run(f, NULL);
    ck_assert_msg(r.status == JXI_EVAL_UNDEFINED, "%s: status %d", f, r.status);
    ck_assert_int_eq(r.undef, JXI_UNDEF_DIV_ZERO);
    ck_assert_int_eq(r.slot, -1);
    const char *at = strstr(f, divisor);
    ck_assert_ptr_nonnull(at);
    ck_assert_uint_eq(r.span_start, (uint32_t)(at - f));
    ck_assert_uint_eq(r.span_len, (uint32_t)strlen(divisor));
}

START_TEST(test_div_zero)
{
    jxi_eval r = run("a / z", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_DIV_ZERO);
    ck_assert_uint_eq(r.span_start, 4);
    ck_assert_uint_eq(r.span_len, 1);
    r = run("0/0", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_DIV_ZERO);
    ck_assert_uint_eq(r.span_start, 2);
    ck_assert_uint_eq(r.span_len, 1);

    check_div_zero("a / (b - b)", "(b - b)");
    check_div_zero("在职人员数 / (编制数 - 编制数) * 100", "(编制数 - 编制数)");
    check_div_zero("a / b / z", "z");
    check_div_zero("1 / -0", "-0");
    check_div_zero("a / abs(z)", "abs(z)");
    check_div_zero("a/([x y] - 5)*2", "([x y] - 5)");
    /* the first one only */
    check_div_zero("1/z + 2/(z)", "z");
    check_div_zero("1/(z) + 2/z", "(z)");
}
END_TEST

START_TEST(test_overflow)
{
    jxi_eval r = run("1e308 * 10", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    r = run("-1e308 - 1e308", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    r = run("1 / 1e-320", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    /* an overflow inside a comparison still makes the result undefined */
    r = run("1e308 * 10 > 0", NULL);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    /* the first undefined operation is the one reported */
    r = run("1e308 * 10 + a / z", NULL);
    ck_assert_int_eq(r.undef, JXI_UNDEF_OVERFLOW);
    r = run("a / z + 1e308 * 10", NULL);
    ck_assert_int_eq(r.undef, JXI_UNDEF_DIV_ZERO);
    r = run("u + a / z", NULL);
    ck_assert_int_eq(r.undef, JXI_UNDEF_INPUT);
    /* large but finite is fine */
    ck_assert_double_eq_tol(val("1e308 + 1e307"), 1.1e308, 1e295);
}
END_TEST

START_TEST(test_results_clean)
{
    /* no negative zero reaches a report */
    double v = val("-0");
    ck_assert_double_eq(v, 0);
    ck_assert(!signbit(v));
    v = val("0 * -1");
    ck_assert(!signbit(v));
    v = val("round(-0.001, 2)");
    ck_assert_double_eq(v, 0);
    ck_assert(!signbit(v));

    /* one compiled formula, several evaluations with other figures */
    jxi_expr *x = compile_ok("在职人员数 / 编制数 * 100");
    double vals[N_SLOTS] = {0};
    unsigned char st[N_SLOTS] = {0};
    jxi_eval r;
    vals[S_STAFF] = 170;
    vals[S_QUOTA] = 160;
    jxi_expr_eval(x, vals, st, NULL, &r);
    ck_assert_int_eq(r.status, JXI_EVAL_OK);
    ck_assert_double_eq_tol(r.value, 106.25, 1e-9);
    st[S_QUOTA] = JXI_SLOT_MISSING;
    jxi_expr_eval(x, vals, st, NULL, &r);
    ck_assert_int_eq(r.status, JXI_EVAL_MISSING);
    ck_assert_int_eq(r.slot, S_QUOTA);
    st[S_QUOTA] = JXI_SLOT_PRESENT;
    vals[S_QUOTA] = 0;
    jxi_expr_eval(x, vals, st, NULL, &r);
    ck_assert_int_eq(r.status, JXI_EVAL_UNDEFINED);
    ck_assert_int_eq(r.undef, JXI_UNDEF_DIV_ZERO);
    ck_assert_uint_eq(r.span_start, strlen("在职人员数 / "));
    ck_assert_uint_eq(r.span_len, strlen("编制数"));
    jxi_expr_free(x);
    jxi_expr_free(NULL);
}
END_TEST

/* ---- Errors ---------------------------------------------------------------- */

START_TEST(test_syntax_errors)
{
    BAD_MSG("", JX_EFORMULA, 0, "empty formula");
    BAD_MSG("  \t ", JX_EFORMULA, 0, "empty formula");
    BAD_HAS("a +", JX_EFORMULA, 3, "found end of formula");
    BAD_HAS("a + * b", JX_EFORMULA, 4, "expected a number, a name or '('");
    BAD_HAS("(a + b", JX_EFORMULA, 6, "expected ')'");
    BAD_MSG("a + b)", JX_EFORMULA, 5, "unmatched ')'");
    BAD_HAS("(a b)", JX_EFORMULA, 3, "expected an operator or ')'");
    BAD_HAS("a b", JX_EFORMULA, 2, "expected an operator");
    BAD_HAS("2 3", JX_EFORMULA, 2, "expected an operator");
    BAD_HAS("(", JX_EFORMULA, 1, "found end of formula");
    BAD_HAS("()", JX_EFORMULA, 1, "found ')'");
    BAD_HAS("a < b < c", JX_EFORMULA, 6, "chained");
    BAD_HAS("a = = b", JX_EFORMULA, 4, "expected a number");
    BAD_HAS("a and", JX_EFORMULA, 5, "end of formula");
    BAD_HAS("and a", JX_EFORMULA, 0, "found 'and'");
    BAD_HAS("a not b", JX_EFORMULA, 2, "found 'not'");
    BAD_HAS("a AND b", JX_EFORMULA, 2, "lower case");
    BAD_HAS("a & b", JX_EFORMULA, 2, "use 'and'");
    BAD_HAS("a | b", JX_EFORMULA, 2, "use 'or'");
    BAD_HAS("!a", JX_EFORMULA, 0, "'not'");
    BAD_HAS("a $ b", JX_EFORMULA, 2, "'$'");
    BAD_HAS("a % 2", JX_EFORMULA, 2, "'%'");
    BAD_HAS("a.b", JX_EFORMULA, 1, "'.'");
    BAD_HAS("a\x01", JX_EFORMULA, 1, "control character");
    bad_n("a\0b", 3, JX_EFORMULA, 1);
    BAD_HAS("1e999", JX_EFORMULA, 0, "out of range");
    BAD_HAS("2023年预算 + 1", JX_EFORMULA, 0, "[2023年预算]");
    BAD_HAS("3x", JX_EFORMULA, 0, "[3x]");
}
END_TEST

START_TEST(test_call_errors)
{
    BAD_MSG("if(a, b)", JX_EFORMULA, 0, "if expects 3 arguments, got 2");
    BAD_MSG("1 + if(a, b, c, a)", JX_EFORMULA, 4, "if expects 3 arguments, got 4");
    BAD_MSG("max(a)", JX_EFORMULA, 0, "max expects at least 2 arguments, got 1");
    BAD_MSG("min()", JX_EFORMULA, 0, "min expects at least 2 arguments, got 0");
    BAD_MSG("abs(a, b)", JX_EFORMULA, 0, "abs expects 1 argument, got 2");
    BAD_MSG("round(a)", JX_EFORMULA, 0, "round expects 2 arguments, got 1");
    BAD_MSG("floor()", JX_EFORMULA, 0, "floor expects 1 argument, got 0");
    BAD_MSG("ceil(a, b)", JX_EFORMULA, 0, "ceil expects 1 argument, got 2");
    BAD_HAS("max(a, b", JX_EFORMULA, 8, "expected ')' after argument list");
    BAD_HAS("max(a b)", JX_EFORMULA, 6, "',' or ')'");
    BAD_HAS("max(a,)", JX_EFORMULA, 6, "found ')'");
    BAD_HAS("max(,a)", JX_EFORMULA, 4, "found ','");
    BAD_HAS("foo(a)", JX_EFORMULA, 0, "unknown function 'foo'");
    BAD_HAS("a + sum(a)", JX_EFORMULA, 4, "unknown function 'sum'"); /* sum is a metric */
    BAD_HAS("[a](b)", JX_EFORMULA, 3, "found '('");
}
END_TEST

START_TEST(test_name_errors)
{
    BAD_MSG("编制数x + 1", JX_EREF, 0, "unknown metric \"编制数x\"");
    BAD_MSG("a + 编制数x", JX_EREF, 4, "unknown metric \"编制数x\"");
    BAD_MSG("a * [no such]", JX_EREF, 4, "unknown metric \"no such\"");
    BAD_MSG("if(1, a, zz)", JX_EREF, 9, "unknown metric \"zz\""); /* untaken branches too */
    BAD_MSG("1 + 等级", JX_EREF, 4,
            "metric \"等级\" cannot be used in a formula: " UNUSABLE_WHY);
    BAD_MSG("[abc", JX_EFORMULA, 0, "expected ']' to close the bracketed name");
    BAD_MSG("a + []", JX_EFORMULA, 4, "empty name in brackets");
    BAD_HAS("a ]", JX_EFORMULA, 2, "']'");
    BAD_HAS("“三公”经费 + 1", JX_EFORMULA, 0, "[“三公”经费]");
    BAD_HAS("\"三公经费\"变动率", JX_EFORMULA, 0, "brackets");

    /* a resolver may be absent: every name is then unknown */
    jxi_expr *x = NULL;
    jxi_expr_error e;
    ck_assert_int_eq(jxi_expr_compile("1 + a", 5, NULL, NULL, &x, &e), JX_EREF);
    ck_assert_uint_eq(e.offset, 4);
    ck_assert_ptr_null(x);
    /* and the error struct may be absent */
    ck_assert_int_eq(jxi_expr_compile("1 +", 3, resolve, NULL, &x, NULL), JX_EFORMULA);
    ck_assert_ptr_null(x);
    /* long names are shortened in messages, on a character boundary */
    char f[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(f, "长");
    jxi_expr_error e2 = bad(f, JX_EREF, 0);
    ck_assert_ptr_nonnull(strstr(e2.message, "...\""));
    ck_assert_uint_eq(jxi_utf8_check(e2.message, strlen(e2.message)), (size_t)-1);
}
END_TEST

START_TEST(test_encoding_errors)
{
    BAD_MSG("编制数（a）", JX_EFORMULA, 9, "full-width '（' found; use ASCII '('");
    BAD_MSG("a ＋ b", JX_EFORMULA, 2, "full-width '＋' found; use ASCII '+'");
    BAD_MSG("max(a，b)", JX_EFORMULA, 5, "full-width '，' found; use ASCII ','");
    BAD_MSG("a\xe3\x80\x80+ b", JX_EFORMULA, 1, "full-width '\xe3\x80\x80' found; use ASCII ' '");
    BAD_MSG("a × b", JX_EFORMULA, 2, "'×' found; use ASCII '*'");
    BAD_MSG("a ≥ b", JX_EFORMULA, 2, "'≥' found; use ASCII '>='");
    BAD_MSG("【a】", JX_EFORMULA, 0, "full-width '【' found; use ASCII '['");
    BAD_HAS("a。", JX_EFORMULA, 1, "'。'");
    BAD_MSG("a + \xff", JX_EFORMULA, 4, "invalid UTF-8");
    BAD_MSG("a\xe5\x9c", JX_EFORMULA, 1, "invalid UTF-8");
    BAD_MSG("[\xc0\xaf]", JX_EFORMULA, 1, "invalid UTF-8");
}
END_TEST

/* ---- Limits ---------------------------------------------------------------- */

static char *nested(const char *open, int n, const char *mid, const char *close)
{
    size_t size = (strlen(open) + strlen(close)) * (size_t)n + strlen(mid) + 1;
    char *s = malloc(size);
    ck_assert_ptr_nonnull(s);
    s[0] = '\0';
    for (int i = 0; i < n; i++)
        strcat(s, open);
    strcat(s, mid);
    for (int i = 0; i < n; i++)
        strcat(s, close);
    return s;
}

START_TEST(test_limits)
{
    char *f = nested("(", 100, "1", ")");
    BAD_HAS(f, JX_ELIMIT, JXI_MAX_FORMULA_DEPTH, "nested");
    free(f);
    f = nested("(", JXI_MAX_FORMULA_DEPTH + 1, "1", ")");
    bad(f, JX_ELIMIT, JXI_MAX_FORMULA_DEPTH);
    free(f);
    f = nested("(", JXI_MAX_FORMULA_DEPTH, "a", ")");
    ck_assert_double_eq(val(f), 2);
    free(f);
    f = nested("abs(", 100, "1", ")");
    bad(f, JX_ELIMIT, 4 * JXI_MAX_FORMULA_DEPTH);
    free(f);
    f = nested("-", 100, "1", "");
    bad(f, JX_ELIMIT, JXI_MAX_FORMULA_DEPTH);
    free(f);
    f = nested("not ", 100, "1", "");
    bad(f, JX_ELIMIT, 4 * JXI_MAX_FORMULA_DEPTH);
    free(f);

    /* length: exactly the limit compiles, one byte more does not */
    char *s = malloc(JXI_MAX_FORMULA_LENGTH + 2);
    ck_assert_ptr_nonnull(s);
    strcpy(s, "1");
    size_t n = 1;
    while (n + 2 <= JXI_MAX_FORMULA_LENGTH) {
        memcpy(s + n, "+1", 2);
        n += 2;
    }
    while (n < JXI_MAX_FORMULA_LENGTH)
        s[n++] = ' ';
    s[n] = '\0';
    ck_assert_double_eq(val(s), (JXI_MAX_FORMULA_LENGTH + 1) / 2);
    s[n++] = ' ';
    s[n] = '\0';
    BAD_HAS(s, JX_ELIMIT, JXI_MAX_FORMULA_LENGTH, "longer");
    free(s);

    /* many arguments do not pile up on the stack */
    s = malloc(JXI_MAX_FORMULA_LENGTH);
    strcpy(s, "min(5");
    for (int i = 0; i < 1000; i++)
        strcat(s, i == 500 ? ",-1" : ",3");
    strcat(s, ")");
    ck_assert_double_eq(val(s), -1);
    free(s);
}
END_TEST

START_TEST(test_deepest_stack)
{
    /* each level keeps four values waiting (comparison, sum, term and the
     * first min argument): the worst case for the evaluation stack */
    char *f = nested("1 = 1 + 1 * min(1, ", JXI_MAX_FORMULA_DEPTH, "1", ")");
    double expected = 1;
    for (int i = 0; i < JXI_MAX_FORMULA_DEPTH; i++)
        expected = 1 == 1 + fmin(1, expected);
    ck_assert_double_eq(val(f), expected);
    free(f);
    f = nested("2 = 2 + 2 * (", JXI_MAX_FORMULA_DEPTH, "0", ")");
    expected = 0;
    for (int i = 0; i < JXI_MAX_FORMULA_DEPTH; i++)
        expected = 2 == 2 + 2 * expected;
    ck_assert_double_eq(val(f), expected);
    free(f);
}
END_TEST

/* ---- Introspection --------------------------------------------------------- */

START_TEST(test_refs)
{
    jxi_expr *x = compile_ok("b + a * b + 编制数 - a");
    ck_assert_uint_eq(jxi_expr_ref_count(x), 3);
    ck_assert_int_eq(jxi_expr_ref(x, 0), S_B);
    ck_assert_int_eq(jxi_expr_ref(x, 1), S_A);
    ck_assert_int_eq(jxi_expr_ref(x, 2), S_QUOTA);
    ck_assert_int_eq(jxi_expr_ref(x, 3), -1);
    ck_assert_int_eq(jxi_expr_single_slot(x), -1);
    ck_assert_str_eq(jxi_expr_source(x), "b + a * b + 编制数 - a");
    jxi_expr_free(x);

    /* both branches are listed */
    x = compile_ok("if(c, m, n) or [x y]");
    ck_assert_uint_eq(jxi_expr_ref_count(x), 4);
    ck_assert_int_eq(jxi_expr_ref(x, 0), S_C);
    ck_assert_int_eq(jxi_expr_ref(x, 1), S_M);
    ck_assert_int_eq(jxi_expr_ref(x, 2), S_N);
    ck_assert_int_eq(jxi_expr_ref(x, 3), S_SPACE);
    jxi_expr_free(x);

    x = compile_ok("2 * 3");
    ck_assert_uint_eq(jxi_expr_ref_count(x), 0);
    ck_assert_int_eq(jxi_expr_single_slot(x), -1);
    jxi_expr_free(x);

    const char *single[] = {"编制数", " [编制数] ", "(编制数)"};
    for (size_t i = 0; i < 3; i++) {
        x = compile_ok(single[i]);
        ck_assert_int_eq(jxi_expr_single_slot(x), S_QUOTA);
        ck_assert_uint_eq(jxi_expr_ref_count(x), 1);
        ck_assert_str_eq(jxi_expr_source(x), single[i]);
        jxi_expr_free(x);
    }
    const char *not_single[] = {"-a", "a + 0", "abs(a)", "not a", "a = a"};
    for (size_t i = 0; i < 5; i++) {
        x = compile_ok(not_single[i]);
        ck_assert_int_eq(jxi_expr_single_slot(x), -1);
        jxi_expr_free(x);
    }

    /* the source is the `len` bytes given, not up to a NUL */
    jxi_expr_error e;
    int calls = 0;
    ck_assert_int_eq(jxi_expr_compile("a + b", 1, resolve, &calls, &x, &e), 0);
    ck_assert_str_eq(jxi_expr_source(x), "a");
    ck_assert_int_eq(calls, 1); /* the resolver is told the name once */
    ck_assert_int_eq(jxi_expr_single_slot(x), S_A);
    jxi_expr_free(x);
}
END_TEST

Suite *suite_expr(void)
{
    Suite *s = suite_create("expr");
    TCase *tc = tcase_create("expr");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_arithmetic);
    tcase_add_test(tc, test_logic);
    tcase_add_test(tc, test_comparisons);
    tcase_add_test(tc, test_functions);
    tcase_add_test(tc, test_round_digits_runtime);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_short_circuit);
    tcase_add_test(tc, test_missing);
    tcase_add_test(tc, test_undefined_input);
    tcase_add_test(tc, test_div_zero);
    tcase_add_test(tc, test_overflow);
    tcase_add_test(tc, test_results_clean);
    tcase_add_test(tc, test_syntax_errors);
    tcase_add_test(tc, test_call_errors);
    tcase_add_test(tc, test_name_errors);
    tcase_add_test(tc, test_encoding_errors);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_deepest_stack);
    tcase_add_test(tc, test_refs);
    suite_add_tcase(s, tc);
    return s;
}
