/* Formulas: the recursive-descent parser, which compiles the tokens of
 * expr_lex.c straight to bytecode for the stack machine of expr_eval.c, with
 * the checks that can be made at compile time (names, arity, nesting, a
 * constant digit count of round). See expr.h for the grammar.
 *
 * Compilation resolves every name to a slot, so evaluation does no look-ups
 * and no allocation: it runs over a fixed local stack whose worst depth was
 * measured at compile time. Recursion in the parser is bounded by
 * JXI_MAX_FORMULA_DEPTH, so a hostile formula cannot exhaust the C stack.
 *
 * Every file-scope name here starts with expr_ / EXPR_ (jxi_expr_ when
 * shared, in expr_int.h) so the file can be concatenated into a single-file
 * build. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compile/expr.h"
#include "compile/expr_int.h"
#include "util/internal.h"

enum { EXPR_FN_IF, EXPR_FN_MIN, EXPR_FN_MAX, EXPR_FN_ABS, EXPR_FN_ROUND, EXPR_FN_FLOOR,
       EXPR_FN_CEIL };

static const struct {
    const char *name;
    int min_args, max_args; /* max_args 0: no upper bound */
} expr_funcs[] = {
    {"if", 3, 3}, {"min", 2, 0}, {"max", 2, 0}, {"abs", 1, 1},
    {"round", 2, 2}, {"floor", 1, 1}, {"ceil", 1, 1},
};

/* The current token for "found ..." in messages. */
static const char *expr_found(const expr_parser *p, char *buf, size_t size)
{
    const expr_token *t = &p->t;
    if (t->type == EXPR_T_END)
        return "end of formula";
    char text[64];
    jxi_expr_excerpt(p->s + t->start, t->end - t->start, text, sizeof text);
    const char *what = t->type == EXPR_T_NAME ? "name " : t->type == EXPR_T_NUM ? "number " : "";
    snprintf(buf, size, "%s'%s'", what, text);
    return buf;
}

/* ---- Code emission ------------------------------------------------------- */

static int expr_grow(expr_parser *p, void **a, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    void *q = jxi_realloc(*a, n * size);
    if (!q)
        return jxi_expr_fail(p, JX_ENOMEM, p->t.start, "out of memory");
    *a = q;
    *cap = n;
    return 0;
}

/* Append an instruction; `effect` is its change to the stack depth. */
static int expr_emit(expr_parser *p, int op, uint32_t arg, int effect)
{
    int rc = expr_grow(p, (void **)&p->code, &p->capcode, p->ncode + 1, sizeof *p->code);
    if (rc)
        return rc;
    p->code[p->ncode].op = (uint8_t)op;
    p->code[p->ncode].arg = arg;
    p->ncode++;
    p->sp += effect;
    if (p->sp > p->maxsp)
        p->maxsp = p->sp;
    return 0;
}

static int expr_emit_const(expr_parser *p, double v)
{
    int rc = expr_grow(p, (void **)&p->consts, &p->capconsts, p->nconsts + 1,
                       sizeof *p->consts);
    if (rc)
        return rc;
    p->consts[p->nconsts] = v;
    return expr_emit(p, EXPR_OP_CONST, (uint32_t)p->nconsts++, 1);
}

static int expr_add_ref(expr_parser *p, int slot)
{
    for (size_t i = 0; i < p->nrefs; i++)
        if (p->refs[i] == slot)
            return 0;
    int rc = expr_grow(p, (void **)&p->refs, &p->caprefs, p->nrefs + 1, sizeof *p->refs);
    if (rc)
        return rc;
    p->refs[p->nrefs++] = slot;
    return 0;
}

/* ---- Parser -------------------------------------------------------------- */

static int expr_parse(expr_parser *p);

static int expr_enter(expr_parser *p, size_t offset)
{
    if (++p->depth > JXI_MAX_FORMULA_DEPTH)
        return jxi_expr_fail(p, JX_ELIMIT, offset, "formula nested deeper than %d levels",
                             JXI_MAX_FORMULA_DEPTH);
    return 0;
}

/* The current token cannot follow a complete expression. `expected` says
 * what could have. */
static int expr_unexpected_after(expr_parser *p, const char *expected)
{
    const expr_token *t = &p->t;
    char buf[96];
    if (t->type == EXPR_T_NAME && !t->bracketed
        && ((t->name_len == 3 && !strncmp(p->s + t->name, "AND", 3))
            || (t->name_len == 2 && !strncmp(p->s + t->name, "OR", 2))))
        return jxi_expr_fail(p, JX_EFORMULA, t->start, "expected %s, found %s; write 'and' / 'or' "
                             "in lower case", expected, expr_found(p, buf, sizeof buf));
    return jxi_expr_fail(p, JX_EFORMULA, t->start, "expected %s, found %s", expected,
                         expr_found(p, buf, sizeof buf));
}

/* The function the current token calls: -1 if it is not a call, -2 if it
 * calls an unknown function. */
static int expr_func(const expr_parser *p)
{
    const expr_token *t = &p->t;
    if (t->type != EXPR_T_NAME || t->bracketed)
        return -1;
    /* a function name is one only when a '(' follows */
    size_t k = t->end;
    while (k < p->len && (p->s[k] == ' ' || p->s[k] == '\t' || p->s[k] == '\n'
                          || p->s[k] == '\r'))
        k++;
    if (k == p->len || p->s[k] != '(')
        return -1;
    for (int f = 0; f < (int)(sizeof expr_funcs / sizeof expr_funcs[0]); f++) {
        const char *n = expr_funcs[f].name;
        size_t i, nl = strlen(n);
        if (t->name_len != nl)
            continue;
        /* spreadsheet habits (ROUND, IF) are accepted: a name before '(' is
         * an error otherwise, so this changes no valid formula */
        for (i = 0; i < nl; i++) {
            char c = p->s[t->name + i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != n[i])
                break;
        }
        if (i == nl)
            return f;
    }
    return -2;
}

/* func "(" expr { "," expr } ")" — arguments are compiled in place, with the
 * jumps of if() and the pairwise min/max folds emitted between them. */
static int expr_call(expr_parser *p, int f)
{
    size_t at = p->t.start, arg_start = 0, jump_else = 0, jump_end = 0, before = 0;
    int nargs = 0, rc;
    const char *fname = expr_funcs[f].name;

    if ((rc = expr_enter(p, at)) || (rc = jxi_expr_next(p)) || (rc = jxi_expr_next(p)))
        return rc;
    while (p->t.type != EXPR_T_RP || nargs > 0) {
        arg_start = p->t.start;
        before = p->ncode;
        if ((rc = expr_parse(p)))
            return rc;
        nargs++;
        if (f == EXPR_FN_IF && nargs == 1) {
            jump_else = p->ncode;
            rc = expr_emit(p, EXPR_OP_JUMP_IF_FALSE, 0, -1);
        } else if (f == EXPR_FN_IF && nargs == 2) {
            jump_end = p->ncode;
            rc = expr_emit(p, EXPR_OP_JUMP, 0, 0);
            p->sp--; /* the else branch starts without the then value */
            p->code[jump_else].arg = (uint32_t)p->ncode;
        } else if (f == EXPR_FN_IF && nargs == 3) {
            p->code[jump_end].arg = (uint32_t)p->ncode;
        } else if ((f == EXPR_FN_MIN || f == EXPR_FN_MAX) && nargs >= 2) {
            rc = expr_emit(p, f == EXPR_FN_MIN ? EXPR_OP_MIN : EXPR_OP_MAX, 0, -1);
        }
        if (rc)
            return rc;
        if (p->t.type == EXPR_T_RP)
            break;
        if (p->t.type == EXPR_T_END)
            return jxi_expr_fail(p, JX_EFORMULA, p->t.start,
                                 "expected ')' after argument list of %s, found end of formula",
                                 fname);
        if (p->t.type != EXPR_T_COMMA) {
            char buf[96];
            snprintf(buf, sizeof buf, "an operator, ',' or ')' in the arguments of %s", fname);
            return expr_unexpected_after(p, buf);
        }
        if ((rc = jxi_expr_next(p)))
            return rc;
    }
    int lo = expr_funcs[f].min_args, hi = expr_funcs[f].max_args;
    if (nargs < lo || (hi && nargs > hi)) {
        if (lo == hi)
            return jxi_expr_fail(p, JX_EFORMULA, at, "%s expects %d argument%s, got %d", fname, lo,
                                 lo == 1 ? "" : "s", nargs);
        return jxi_expr_fail(p, JX_EFORMULA, at, "%s expects at least %d arguments, got %d", fname,
                             lo, nargs);
    }
    switch (f) {
    case EXPR_FN_ABS: rc = expr_emit(p, EXPR_OP_ABS, 0, 0); break;
    case EXPR_FN_FLOOR: rc = expr_emit(p, EXPR_OP_FLOOR, 0, 0); break;
    case EXPR_FN_CEIL: rc = expr_emit(p, EXPR_OP_CEIL, 0, 0); break;
    case EXPR_FN_ROUND:
        /* a constant digit count is checked now rather than at every eval */
        if (p->ncode == before + 1 && p->code[before].op == EXPR_OP_CONST) {
            double n = p->consts[p->code[before].arg];
            if (!(n >= 0 && n <= 9 && n == floor(n)))
                return jxi_expr_fail(p, JX_EFORMULA, arg_start,
                                     "round expects a whole number of decimals from 0 to 9");
        }
        rc = expr_emit(p, EXPR_OP_ROUND, 0, -1);
        break;
    default: break;
    }
    if (rc || (rc = jxi_expr_next(p)))
        return rc;
    p->depth--;
    return 0;
}

static int expr_primary(expr_parser *p)
{
    char buf[96], name[128];
    int rc, f;
    switch (p->t.type) {
    case EXPR_T_NUM:
        if ((rc = expr_emit_const(p, p->t.num)))
            return rc;
        return jxi_expr_next(p);
    case EXPR_T_NAME: {
        const char *why = NULL;
        const char *s = p->s + p->t.name;
        if ((f = expr_func(p)) >= 0)
            return expr_call(p, f);
        if (f == -2)
            return jxi_expr_fail(p, JX_EFORMULA, p->t.start,
                                 "unknown function '%s'; functions are if, min, max, abs, round, "
                                 "floor, ceil",
                                 jxi_expr_excerpt(s, p->t.name_len, name, 64));
        int slot = p->resolve ? p->resolve(p->ctx, s, p->t.name_len, &why) : JXI_RESOLVE_UNKNOWN;
        jxi_expr_excerpt(s, p->t.name_len, name, sizeof name);
        if (slot == JXI_RESOLVE_UNUSABLE)
            return jxi_expr_fail(p, JX_EREF, p->t.start,
                                 "metric \"%s\" cannot be used in a formula%s%s", name,
                                 why ? ": " : "", why ? why : "");
        if (slot < 0)
            return jxi_expr_fail(p, JX_EREF, p->t.start, "unknown metric \"%s\"", name);
        if ((rc = expr_emit(p, EXPR_OP_LOAD, (uint32_t)slot, 1)) || (rc = expr_add_ref(p, slot)))
            return rc;
        return jxi_expr_next(p);
    }
    case EXPR_T_LP:
        if ((rc = expr_enter(p, p->t.start)) || (rc = jxi_expr_next(p)) || (rc = expr_parse(p)))
            return rc;
        if (p->t.type != EXPR_T_RP) {
            if (p->t.type == EXPR_T_END)
                return jxi_expr_fail(p, JX_EFORMULA, p->t.start,
                                     "expected ')' to close '(', found end of formula");
            return expr_unexpected_after(p, "an operator or ')'");
        }
        p->depth--;
        return jxi_expr_next(p);
    default:
        return jxi_expr_fail(p, JX_EFORMULA, p->t.start,
                             "expected a number, a name or '(', found %s",
                             expr_found(p, buf, sizeof buf));
    }
}

static int expr_unary(expr_parser *p)
{
    int rc;
    if (p->t.type != EXPR_T_MINUS && p->t.type != EXPR_T_PLUS)
        return expr_primary(p);
    int neg = p->t.type == EXPR_T_MINUS;
    if ((rc = expr_enter(p, p->t.start)) || (rc = jxi_expr_next(p)))
        return rc;
    size_t start = p->ncode;
    if ((rc = expr_unary(p)))
        return rc;
    p->depth--;
    if (!neg)
        return 0;
    if (p->ncode == start + 1 && p->code[start].op == EXPR_OP_CONST) {
        /* fold -constant, so round(x, -1) is caught at compile time */
        double *k = &p->consts[p->code[start].arg];
        *k = *k == 0.0 ? 0.0 : -*k;
        return 0;
    }
    return expr_emit(p, EXPR_OP_NEG, 0, 0);
}

static int expr_term(expr_parser *p)
{
    int rc = expr_unary(p);
    while (!rc && (p->t.type == EXPR_T_STAR || p->t.type == EXPR_T_SLASH)) {
        int div = p->t.type == EXPR_T_SLASH;
        if ((rc = jxi_expr_next(p)))
            break;
        size_t start = p->t.start;
        if ((rc = expr_unary(p)))
            break;
        /* the formula is at most JXI_MAX_FORMULA_LENGTH bytes, so the span
         * fits in 16 + 16 bits */
        size_t span_len = p->prev.end - start;
        rc = expr_emit(p, div ? EXPR_OP_DIV : EXPR_OP_MUL,
                       div ? (uint32_t)(start << 16 | span_len) : 0, -1);
    }
    return rc;
}

static int expr_sum(expr_parser *p)
{
    int rc = expr_term(p);
    while (!rc && (p->t.type == EXPR_T_PLUS || p->t.type == EXPR_T_MINUS)) {
        int op = p->t.type == EXPR_T_PLUS ? EXPR_OP_ADD : EXPR_OP_SUB;
        if (!(rc = jxi_expr_next(p)) && !(rc = expr_term(p)))
            rc = expr_emit(p, op, 0, -1);
    }
    return rc;
}

static int expr_cmp_op(int type)
{
    switch (type) {
    case EXPR_T_LT: return EXPR_OP_LT;
    case EXPR_T_LE: return EXPR_OP_LE;
    case EXPR_T_GT: return EXPR_OP_GT;
    case EXPR_T_GE: return EXPR_OP_GE;
    case EXPR_T_EQ: return EXPR_OP_EQ;
    case EXPR_T_NE: return EXPR_OP_NE;
    default: return -1;
    }
}

static int expr_cmp(expr_parser *p)
{
    int rc = expr_sum(p), op;
    if (rc || (op = expr_cmp_op(p->t.type)) < 0)
        return rc;
    if ((rc = jxi_expr_next(p)) || (rc = expr_sum(p)) || (rc = expr_emit(p, op, 0, -1)))
        return rc;
    if (expr_cmp_op(p->t.type) >= 0)
        return jxi_expr_fail(p, JX_EFORMULA, p->t.start,
                             "comparisons cannot be chained; combine them with 'and'");
    return 0;
}

static int expr_not(expr_parser *p)
{
    int rc;
    if (p->t.type != EXPR_T_NOT)
        return expr_cmp(p);
    if ((rc = expr_enter(p, p->t.start)) || (rc = jxi_expr_next(p)) || (rc = expr_not(p)))
        return rc;
    p->depth--;
    return expr_emit(p, EXPR_OP_NOT, 0, 0);
}

/* and / or: the right operand is skipped when the left decides. */
static int expr_logic(expr_parser *p, int tok)
{
    int is_or = tok == EXPR_T_OR;
    int rc = is_or ? expr_logic(p, EXPR_T_AND) : expr_not(p);
    while (!rc && p->t.type == tok) {
        size_t jump = p->ncode;
        if ((rc = expr_emit(p, is_or ? EXPR_OP_OR : EXPR_OP_AND, 0, -1)) || (rc = jxi_expr_next(p))
            || (rc = is_or ? expr_logic(p, EXPR_T_AND) : expr_not(p))
            || (rc = expr_emit(p, EXPR_OP_TRUTH, 0, 0)))
            break;
        p->code[jump].arg = (uint32_t)p->ncode;
    }
    return rc;
}

static int expr_parse(expr_parser *p)
{
    return expr_logic(p, EXPR_T_OR);
}

/* ---- Compiling a formula ------------------------------------------------- */

int jxi_expr_compile(const char *src, size_t len, jxi_resolve_fn resolve, void *ctx,
                     jxi_expr **out, jxi_expr_error *e)
{
    jxi_expr_error dummy;
    expr_parser p;
    size_t bad;
    int rc;

    if (!e)
        e = &dummy;
    memset(e, 0, sizeof *e);
    memset(&p, 0, sizeof p);
    p.e = e;
    if (out)
        *out = NULL;
    if (!out || (!src && len))
        return jxi_expr_fail(&p, JX_EARG, 0, "invalid argument");
    if (!src)
        src = "";
    p.s = src;
    p.len = len;
    p.resolve = resolve;
    p.ctx = ctx;

    if (len > JXI_MAX_FORMULA_LENGTH)
        return jxi_expr_fail(&p, JX_ELIMIT, JXI_MAX_FORMULA_LENGTH,
                             "formula longer than %d bytes", JXI_MAX_FORMULA_LENGTH);
    if ((bad = jxi_utf8_check(src, len)) != (size_t)-1)
        return jxi_expr_fail(&p, JX_EFORMULA, bad, "invalid UTF-8");

    if ((rc = jxi_expr_next(&p)))
        goto fail;
    if (p.t.type == EXPR_T_END) {
        rc = jxi_expr_fail(&p, JX_EFORMULA, 0, "empty formula");
        goto fail;
    }
    if ((rc = expr_parse(&p)))
        goto fail;
    if (p.t.type != EXPR_T_END) {
        if (p.t.type == EXPR_T_RP)
            rc = jxi_expr_fail(&p, JX_EFORMULA, p.t.start, "unmatched ')'");
        else
            rc = expr_unexpected_after(&p, "an operator or end of formula");
        goto fail;
    }
    if (p.maxsp > EXPR_STACK_MAX) { /* cannot happen within the nesting limit */
        rc = jxi_expr_fail(&p, JX_ELIMIT, 0, "formula too complex");
        goto fail;
    }

    jxi_expr *x = jxi_calloc(1, sizeof *x);
    if (!x || !(x->source = jxi_strndup(src, len))) {
        jxi_free(x);
        rc = jxi_expr_fail(&p, JX_ENOMEM, 0, "out of memory");
        goto fail;
    }
    x->code = p.code;
    x->ncode = p.ncode;
    x->consts = p.consts;
    x->refs = p.refs;
    x->nrefs = p.nrefs;
    x->max_stack = p.maxsp;
    if (jxi_expr_fuse(x) < 0) {
        jxi_expr_free(x);
        return jxi_expr_fail(&p, JX_ENOMEM, 0, "out of memory");
    }
    *out = x;
    return 0;

fail:
    jxi_free(p.code);
    jxi_free(p.consts);
    jxi_free(p.refs);
    return rc;
}
