/* Formulas: a recursive-descent compiler to bytecode for a small stack
 * machine, and its evaluator. See expr.h for the grammar.
 *
 * Compilation resolves every name to a slot, so evaluation does no look-ups
 * and no allocation: it runs over a fixed local stack whose worst depth was
 * measured at compile time. Recursion in the parser is bounded by
 * JXI_MAX_FORMULA_DEPTH, so a hostile formula cannot exhaust the C stack.
 *
 * Every file-scope name here starts with expr_ / EXPR_ so the file can be
 * concatenated into a single-file build. */
#include "compile/expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/internal.h"
#include "util/num.h"

/* Worst stack use per nesting level is 4 pending values (the left operands
 * of a comparison, a sum and a term, and one earlier function argument), so
 * this bounds every formula that passes the nesting limit. */
#define EXPR_STACK_MAX (4 * (JXI_MAX_FORMULA_DEPTH + 2))

enum {
    EXPR_OP_CONST,  /* push consts[arg] */
    EXPR_OP_LOAD,   /* push the value of slot arg */
    EXPR_OP_NEG,
    EXPR_OP_NOT,
    EXPR_OP_TRUTH,  /* x != 0 -> 1 or 0 */
    EXPR_OP_ABS,
    EXPR_OP_FLOOR,
    EXPR_OP_CEIL,
    EXPR_OP_ADD,
    EXPR_OP_SUB,
    EXPR_OP_MUL,
    EXPR_OP_DIV,    /* arg: divisor's source span, start << 16 | length */
    EXPR_OP_LT,
    EXPR_OP_LE,
    EXPR_OP_GT,
    EXPR_OP_GE,
    EXPR_OP_EQ,
    EXPR_OP_NE,
    EXPR_OP_MIN,    /* binary; min(a, b, c) is emitted as two of them */
    EXPR_OP_MAX,
    EXPR_OP_ROUND,  /* x n -> round(x, n) */
    EXPR_OP_JUMP,   /* pc = arg */
    EXPR_OP_JUMP_IF_FALSE, /* pop; if zero, pc = arg */
    EXPR_OP_AND,    /* if top is zero: top = 0, pc = arg; else pop */
    EXPR_OP_OR,     /* if top is non-zero: top = 1, pc = arg; else pop */
    /* Only in the fused code of expr_eval_fast: a LOAD or CONST and the
     * + - * / after it, as one instruction (top = top op operand). */
    EXPR_OP_ADD_SLOT, EXPR_OP_SUB_SLOT, EXPR_OP_MUL_SLOT, EXPR_OP_DIV_SLOT,
    EXPR_OP_ADD_CONST, EXPR_OP_SUB_CONST, EXPR_OP_MUL_CONST, EXPR_OP_DIV_CONST
};

typedef struct expr_instr {
    uint8_t op;
    uint32_t arg;
} expr_instr;

struct jxi_expr {
    char *source;
    expr_instr *code;
    size_t ncode;
    expr_instr *fused;  /* the code for expr_eval_fast (see expr_fuse) */
    size_t nfused;
    int chain;          /* fused is a LOAD or CONST and then only fused + - * /
                           (a / b * 100): expr_eval_chain runs it */
    int columnar;       /* fused has only arithmetic: jxi_expr_block runs it */
    double *consts;
    int *refs;
    size_t nrefs;
    int max_stack;
};

/* ---- Lexer --------------------------------------------------------------- */

enum {
    EXPR_T_END, EXPR_T_NUM, EXPR_T_NAME, EXPR_T_LP, EXPR_T_RP, EXPR_T_COMMA,
    EXPR_T_PLUS, EXPR_T_MINUS, EXPR_T_STAR, EXPR_T_SLASH,
    EXPR_T_LT, EXPR_T_LE, EXPR_T_GT, EXPR_T_GE, EXPR_T_EQ, EXPR_T_NE,
    EXPR_T_AND, EXPR_T_OR, EXPR_T_NOT
};

typedef struct expr_token {
    int type;
    size_t start, end;       /* the token's bytes in the source */
    size_t name, name_len;   /* EXPR_T_NAME: the name without brackets */
    int bracketed;
    double num;
} expr_token;

enum { EXPR_FN_IF, EXPR_FN_MIN, EXPR_FN_MAX, EXPR_FN_ABS, EXPR_FN_ROUND, EXPR_FN_FLOOR,
       EXPR_FN_CEIL };

static const struct {
    const char *name;
    int min_args, max_args; /* max_args 0: no upper bound */
} expr_funcs[] = {
    {"if", 3, 3}, {"min", 2, 0}, {"max", 2, 0}, {"abs", 1, 1},
    {"round", 2, 2}, {"floor", 1, 1}, {"ceil", 1, 1},
};

typedef struct expr_parser {
    const char *s;
    size_t len;
    size_t pos;        /* lexer position */
    expr_token t;      /* current token */
    expr_token prev;   /* the token consumed last */
    int depth;
    jxi_resolve_fn resolve;
    void *ctx;
    jxi_expr_error *e;
    expr_instr *code;
    size_t ncode, capcode;
    double *consts;
    size_t nconsts, capconsts;
    int *refs;
    size_t nrefs, caprefs;
    int sp, maxsp;     /* stack depth while emitting, and its maximum */
} expr_parser;

static int expr_fail(expr_parser *p, int code, size_t offset, const char *fmt, ...)
    JXI_PRINTF(4, 5);

static int expr_fail(expr_parser *p, int code, size_t offset, const char *fmt, ...)
{
    va_list ap;
    p->e->code = code;
    p->e->offset = offset;
    va_start(ap, fmt);
    vsnprintf(p->e->message, sizeof p->e->message, fmt, ap);
    va_end(ap);
    return code;
}

/* s[0..n) as a message excerpt of at most `size` - 1 bytes, cut on a code
 * point boundary with "..." so long names keep messages readable. */
static const char *expr_excerpt(const char *s, size_t n, char *buf, size_t size)
{
    if (n < size) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        return buf;
    }
    size_t k = size - 4;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, s, k);
    memcpy(buf + k, "...", 4);
    return buf;
}

/* The current token for "found ..." in messages. */
static const char *expr_found(const expr_parser *p, char *buf, size_t size)
{
    const expr_token *t = &p->t;
    if (t->type == EXPR_T_END)
        return "end of formula";
    char text[64];
    expr_excerpt(p->s + t->start, t->end - t->start, text, sizeof text);
    const char *what = t->type == EXPR_T_NAME ? "name " : t->type == EXPR_T_NUM ? "number " : "";
    snprintf(buf, size, "%s'%s'", what, text);
    return buf;
}

/* Non-ASCII code points that cannot be part of a plain name: CJK and
 * full-width punctuation, general punctuation (including “” quotes), and
 * symbols that look like operators (× ÷ ≤ ≥ ≠). */
static int expr_is_name_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_'
               || (cp >= '0' && cp <= '9');
    return !(cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F)
             || (cp >= 0x2200 && cp <= 0x22FF) || (cp >= 0x3000 && cp <= 0x303F)
             || cp == 0xFEFF || (cp >= 0xFF00 && cp <= 0xFF0F)
             || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40)
             || (cp >= 0xFF5B && cp <= 0xFF65));
}

/* Length of the name character at s[pos], or 0 if there is none. */
static size_t expr_name_char(const expr_parser *p, size_t pos)
{
    uint32_t cp;
    size_t n = jxi_utf8_decode(p->s + pos, p->len - pos, &cp);
    return n && expr_is_name_cp(cp) ? n : 0;
}

/* A character that cannot start a token: explain the likely slip (a
 * full-width or typographic operator typed with a Chinese input method). */
static int expr_bad_char(expr_parser *p, size_t pos)
{
    uint32_t cp = 0;
    size_t n = jxi_utf8_decode(p->s + pos, p->len - pos, &cp);
    char ch[8];
    if (n == 0)
        return expr_fail(p, JX_EFORMULA, pos, "invalid UTF-8");
    if (cp < 0x20 || cp == 0x7F)
        return expr_fail(p, JX_EFORMULA, pos, "unexpected control character U+%04X",
                         (unsigned)cp);
    memcpy(ch, p->s + pos, n);
    ch[n] = '\0';
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return expr_fail(p, JX_EFORMULA, pos, "full-width '%s' found; use ASCII '%c'", ch,
                         (char)(cp - 0xFEE0));
    static const struct { uint32_t cp; const char *use; } alike[] = {
        {0x3000, " "}, {0x00D7, "*"}, {0x00F7, "/"}, {0x2212, "-"}, {0x2264, "<="},
        {0x2265, ">="}, {0x2260, "!="}, {0x3010, "["}, {0x3011, "]"}, {0x3001, ","},
    };
    for (size_t i = 0; i < sizeof alike / sizeof alike[0]; i++)
        if (alike[i].cp == cp)
            return expr_fail(p, JX_EFORMULA, pos, "%s'%s' found; use ASCII '%s'",
                             cp >= 0x3000 ? "full-width " : "", ch, alike[i].use);
    if ((cp >= 0x2018 && cp <= 0x201F) || cp == '"' || cp == '\'')
        return expr_fail(p, JX_EFORMULA, pos, "unexpected '%s'; write a name with quotes in "
                         "brackets, e.g. [“三公”经费]", ch);
    if (cp == '!')
        return expr_fail(p, JX_EFORMULA, pos, "unexpected '!'; use 'not' or '!='");
    if (cp == '&')
        return expr_fail(p, JX_EFORMULA, pos, "unexpected '&'; use 'and'");
    if (cp == '|')
        return expr_fail(p, JX_EFORMULA, pos, "unexpected '|'; use 'or'");
    return expr_fail(p, JX_EFORMULA, pos, "unexpected character '%s'", ch);
}

/* Read the next token into p->t (the current one moves to p->prev). */
static int expr_next(expr_parser *p)
{
    const char *s = p->s;
    size_t len = p->len, pos = p->pos;
    expr_token *t = &p->t;

    p->prev = *t;
    while (pos < len && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
        pos++;
    memset(t, 0, sizeof *t);
    t->start = pos;
    if (pos == len) {
        t->type = EXPR_T_END;
        t->end = p->pos = pos;
        return 0;
    }
    unsigned char c = (unsigned char)s[pos];
    size_t n;
    if ((c >= '0' && c <= '9') || (c == '.' && pos + 1 < len && s[pos + 1] >= '0'
                                   && s[pos + 1] <= '9')) {
        n = jxi_parse_number(s + pos, len - pos, &t->num);
        if (n == 0)
            return expr_fail(p, JX_EFORMULA, pos, "malformed number");
        if (!isfinite(t->num))
            return expr_fail(p, JX_EFORMULA, pos, "number out of range");
        if (pos + n < len && expr_name_char(p, pos + n)) {
            /* "2023年预算": a name that starts with a digit */
            size_t end = pos + n, k;
            while (end < len && (k = expr_name_char(p, end)) > 0)
                end += k;
            char name[64];
            return expr_fail(p, JX_EFORMULA, pos,
                             "a name cannot start with a digit; write it in brackets: [%s]",
                             expr_excerpt(s + pos, end - pos, name, sizeof name));
        }
        t->type = EXPR_T_NUM;
        pos += n;
    } else if ((n = expr_name_char(p, pos)) > 0) {
        do
            pos += n;
        while (pos < len && (n = expr_name_char(p, pos)) > 0);
        size_t k = pos - t->start;
        const char *w = s + t->start;
        t->type = k == 3 && !memcmp(w, "and", 3)   ? EXPR_T_AND
                  : k == 2 && !memcmp(w, "or", 2)  ? EXPR_T_OR
                  : k == 3 && !memcmp(w, "not", 3) ? EXPR_T_NOT
                                                   : EXPR_T_NAME;
        t->name = t->start;
        t->name_len = k;
    } else if (c == '[') {
        const char *close = memchr(s + pos + 1, ']', len - pos - 1);
        if (!close)
            return expr_fail(p, JX_EFORMULA, pos, "expected ']' to close the bracketed name");
        if (close == s + pos + 1)
            return expr_fail(p, JX_EFORMULA, pos, "empty name in brackets");
        t->type = EXPR_T_NAME;
        t->bracketed = 1;
        t->name = pos + 1;
        t->name_len = (size_t)(close - (s + pos + 1));
        pos = (size_t)(close - s) + 1;
    } else {
        int two = pos + 1 < len ? s[pos + 1] : 0;
        n = 1;
        switch (c) {
        case '(': t->type = EXPR_T_LP; break;
        case ')': t->type = EXPR_T_RP; break;
        case ',': t->type = EXPR_T_COMMA; break;
        case '+': t->type = EXPR_T_PLUS; break;
        case '-': t->type = EXPR_T_MINUS; break;
        case '*': t->type = EXPR_T_STAR; break;
        case '/': t->type = EXPR_T_SLASH; break;
        case '<':
            t->type = two == '=' ? EXPR_T_LE : two == '>' ? EXPR_T_NE : EXPR_T_LT;
            n = two == '=' || two == '>' ? 2 : 1;
            break;
        case '>':
            t->type = two == '=' ? EXPR_T_GE : EXPR_T_GT;
            n = two == '=' ? 2 : 1;
            break;
        case '=':
            t->type = EXPR_T_EQ;
            n = two == '=' ? 2 : 1;
            break;
        case '!':
            if (two != '=')
                return expr_bad_char(p, pos);
            t->type = EXPR_T_NE;
            n = 2;
            break;
        case ']':
            return expr_fail(p, JX_EFORMULA, pos, "unexpected ']' without '['");
        default:
            return expr_bad_char(p, pos);
        }
        pos += n;
    }
    t->end = p->pos = pos;
    return 0;
}

/* ---- Code emission ------------------------------------------------------- */

static int expr_grow(expr_parser *p, void **a, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    void *q = jxi_realloc(*a, n * size);
    if (!q)
        return expr_fail(p, JX_ENOMEM, p->t.start, "out of memory");
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
        return expr_fail(p, JX_ELIMIT, offset, "formula nested deeper than %d levels",
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
        return expr_fail(p, JX_EFORMULA, t->start, "expected %s, found %s; write 'and' / 'or' "
                         "in lower case", expected, expr_found(p, buf, sizeof buf));
    return expr_fail(p, JX_EFORMULA, t->start, "expected %s, found %s", expected,
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

    if ((rc = expr_enter(p, at)) || (rc = expr_next(p)) || (rc = expr_next(p)))
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
            return expr_fail(p, JX_EFORMULA, p->t.start,
                             "expected ')' after argument list of %s, found end of formula",
                             fname);
        if (p->t.type != EXPR_T_COMMA) {
            char buf[96];
            snprintf(buf, sizeof buf, "an operator, ',' or ')' in the arguments of %s", fname);
            return expr_unexpected_after(p, buf);
        }
        if ((rc = expr_next(p)))
            return rc;
    }
    int lo = expr_funcs[f].min_args, hi = expr_funcs[f].max_args;
    if (nargs < lo || (hi && nargs > hi)) {
        if (lo == hi)
            return expr_fail(p, JX_EFORMULA, at, "%s expects %d argument%s, got %d", fname, lo,
                             lo == 1 ? "" : "s", nargs);
        return expr_fail(p, JX_EFORMULA, at, "%s expects at least %d arguments, got %d", fname,
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
                return expr_fail(p, JX_EFORMULA, arg_start,
                                 "round expects a whole number of decimals from 0 to 9");
        }
        rc = expr_emit(p, EXPR_OP_ROUND, 0, -1);
        break;
    default: break;
    }
    if (rc || (rc = expr_next(p)))
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
        return expr_next(p);
    case EXPR_T_NAME: {
        const char *why = NULL;
        const char *s = p->s + p->t.name;
        if ((f = expr_func(p)) >= 0)
            return expr_call(p, f);
        if (f == -2)
            return expr_fail(p, JX_EFORMULA, p->t.start,
                             "unknown function '%s'; functions are if, min, max, abs, round, "
                             "floor, ceil",
                             expr_excerpt(s, p->t.name_len, name, 64));
        int slot = p->resolve ? p->resolve(p->ctx, s, p->t.name_len, &why) : JXI_RESOLVE_UNKNOWN;
        expr_excerpt(s, p->t.name_len, name, sizeof name);
        if (slot == JXI_RESOLVE_UNUSABLE)
            return expr_fail(p, JX_EREF, p->t.start,
                             "metric \"%s\" cannot be used in a formula%s%s", name,
                             why ? ": " : "", why ? why : "");
        if (slot < 0)
            return expr_fail(p, JX_EREF, p->t.start, "unknown metric \"%s\"", name);
        if ((rc = expr_emit(p, EXPR_OP_LOAD, (uint32_t)slot, 1)) || (rc = expr_add_ref(p, slot)))
            return rc;
        return expr_next(p);
    }
    case EXPR_T_LP:
        if ((rc = expr_enter(p, p->t.start)) || (rc = expr_next(p)) || (rc = expr_parse(p)))
            return rc;
        if (p->t.type != EXPR_T_RP) {
            if (p->t.type == EXPR_T_END)
                return expr_fail(p, JX_EFORMULA, p->t.start,
                                 "expected ')' to close '(', found end of formula");
            return expr_unexpected_after(p, "an operator or ')'");
        }
        p->depth--;
        return expr_next(p);
    default:
        return expr_fail(p, JX_EFORMULA, p->t.start, "expected a number, a name or '(', found %s",
                         expr_found(p, buf, sizeof buf));
    }
}

static int expr_unary(expr_parser *p)
{
    int rc;
    if (p->t.type != EXPR_T_MINUS && p->t.type != EXPR_T_PLUS)
        return expr_primary(p);
    int neg = p->t.type == EXPR_T_MINUS;
    if ((rc = expr_enter(p, p->t.start)) || (rc = expr_next(p)))
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
        if ((rc = expr_next(p)))
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
        if (!(rc = expr_next(p)) && !(rc = expr_term(p)))
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
    if ((rc = expr_next(p)) || (rc = expr_sum(p)) || (rc = expr_emit(p, op, 0, -1)))
        return rc;
    if (expr_cmp_op(p->t.type) >= 0)
        return expr_fail(p, JX_EFORMULA, p->t.start,
                         "comparisons cannot be chained; combine them with 'and'");
    return 0;
}

static int expr_not(expr_parser *p)
{
    int rc;
    if (p->t.type != EXPR_T_NOT)
        return expr_cmp(p);
    if ((rc = expr_enter(p, p->t.start)) || (rc = expr_next(p)) || (rc = expr_not(p)))
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
        if ((rc = expr_emit(p, is_or ? EXPR_OP_OR : EXPR_OP_AND, 0, -1)) || (rc = expr_next(p))
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

/* The code for expr_eval_fast, with fewer instructions to dispatch: a LOAD
 * or CONST followed by + - * / becomes one instruction taking the slot or
 * constant as its operand ("a / b * 100": LOAD a, DIV_SLOT b, MUL_CONST
 * 100). Jumps are renumbered; an instruction a jump lands on is never
 * fused into the one before it. Returns 0 or JX_ENOMEM. */
static int expr_fuse(jxi_expr *x)
{
    size_t n = x->ncode, k = 0;
    unsigned char *target = jxi_calloc(n + 1, 1);
    size_t *map = jxi_calloc(n + 1, sizeof *map);
    x->fused = jxi_calloc(n, sizeof *x->fused);
    if (!target || !map || !x->fused) {
        jxi_free(target);
        jxi_free(map);
        return JX_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (x->code[i].op >= EXPR_OP_JUMP && x->code[i].op <= EXPR_OP_OR)
            target[x->code[i].arg] = 1;
    for (size_t i = 0; i < n; i++) {
        expr_instr in = x->code[i];
        map[i] = k;
        if ((in.op == EXPR_OP_LOAD || in.op == EXPR_OP_CONST) && i + 1 < n && !target[i + 1]
            && x->code[i + 1].op >= EXPR_OP_ADD && x->code[i + 1].op <= EXPR_OP_DIV) {
            int base = in.op == EXPR_OP_LOAD ? EXPR_OP_ADD_SLOT : EXPR_OP_ADD_CONST;
            in.op = (uint8_t)(base + x->code[i + 1].op - EXPR_OP_ADD);
            map[++i] = k;
        }
        x->fused[k++] = in;
    }
    map[n] = k;
    for (size_t j = 0; j < k; j++)
        if (x->fused[j].op >= EXPR_OP_JUMP && x->fused[j].op <= EXPR_OP_OR)
            x->fused[j].arg = (uint32_t)map[x->fused[j].arg];
    x->nfused = k;
    x->chain = x->fused[0].op == EXPR_OP_LOAD || x->fused[0].op == EXPR_OP_CONST;
    for (size_t j = 1; j < k; j++)
        x->chain &= x->fused[j].op >= EXPR_OP_ADD_SLOT && x->fused[j].op <= EXPR_OP_DIV_CONST;
    /* Arithmetic only: every operation carries a NaN through, so a
     * column's NaN (missing) cannot turn into a number on the way. */
    x->columnar = 1;
    for (size_t j = 0; j < k; j++) {
        int op = x->fused[j].op;
        x->columnar &= op == EXPR_OP_CONST || op == EXPR_OP_LOAD || op == EXPR_OP_NEG
                       || op == EXPR_OP_ABS || (op >= EXPR_OP_ADD && op <= EXPR_OP_DIV)
                       || (op >= EXPR_OP_ADD_SLOT && op <= EXPR_OP_DIV_CONST);
    }
    jxi_free(target);
    jxi_free(map);
    return 0;
}

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
        return expr_fail(&p, JX_EARG, 0, "invalid argument");
    if (!src)
        src = "";
    p.s = src;
    p.len = len;
    p.resolve = resolve;
    p.ctx = ctx;

    if (len > JXI_MAX_FORMULA_LENGTH)
        return expr_fail(&p, JX_ELIMIT, JXI_MAX_FORMULA_LENGTH,
                         "formula longer than %d bytes", JXI_MAX_FORMULA_LENGTH);
    if ((bad = jxi_utf8_check(src, len)) != (size_t)-1)
        return expr_fail(&p, JX_EFORMULA, bad, "invalid UTF-8");

    if ((rc = expr_next(&p)))
        goto fail;
    if (p.t.type == EXPR_T_END) {
        rc = expr_fail(&p, JX_EFORMULA, 0, "empty formula");
        goto fail;
    }
    if ((rc = expr_parse(&p)))
        goto fail;
    if (p.t.type != EXPR_T_END) {
        if (p.t.type == EXPR_T_RP)
            rc = expr_fail(&p, JX_EFORMULA, p.t.start, "unmatched ')'");
        else
            rc = expr_unexpected_after(&p, "an operator or end of formula");
        goto fail;
    }
    if (p.maxsp > EXPR_STACK_MAX) { /* cannot happen within the nesting limit */
        rc = expr_fail(&p, JX_ELIMIT, 0, "formula too complex");
        goto fail;
    }

    jxi_expr *x = jxi_calloc(1, sizeof *x);
    if (!x || !(x->source = jxi_strndup(src, len))) {
        jxi_free(x);
        rc = expr_fail(&p, JX_ENOMEM, 0, "out of memory");
        goto fail;
    }
    x->code = p.code;
    x->ncode = p.ncode;
    x->consts = p.consts;
    x->refs = p.refs;
    x->nrefs = p.nrefs;
    x->max_stack = p.maxsp;
    if (expr_fuse(x) < 0) {
        jxi_expr_free(x);
        return expr_fail(&p, JX_ENOMEM, 0, "out of memory");
    }
    *out = x;
    return 0;

fail:
    jxi_free(p.code);
    jxi_free(p.consts);
    jxi_free(p.refs);
    return rc;
}

void jxi_expr_free(jxi_expr *x)
{
    if (!x)
        return;
    jxi_free(x->source);
    jxi_free(x->code);
    jxi_free(x->fused);
    jxi_free(x->consts);
    jxi_free(x->refs);
    jxi_free(x);
}

size_t jxi_expr_ref_count(const jxi_expr *x)
{
    return x ? x->nrefs : 0;
}

int jxi_expr_ref(const jxi_expr *x, size_t k)
{
    return x && k < x->nrefs ? x->refs[k] : -1;
}

const char *jxi_expr_source(const jxi_expr *x)
{
    return x ? x->source : NULL;
}

int jxi_expr_single_slot(const jxi_expr *x)
{
    /* "a", "(a)" and "+a" all compile to one LOAD */
    return x && x->ncode == 1 && x->code[0].op == EXPR_OP_LOAD ? (int)x->code[0].arg : -1;
}

/* ---- Evaluation ---------------------------------------------------------- */

typedef struct expr_state {
    int first_missing;
    int undef, slot;
    uint32_t span;
} expr_state;

/* Only the first undefined operation is reported; evaluation goes on with 0
 * so that missing slots further along the path are still found. */
static double expr_undef(expr_state *st, int why, int slot, uint32_t span)
{
    if (st->undef == JXI_UNDEF_NONE) {
        st->undef = why;
        st->slot = slot;
        st->span = span;
    }
    return 0.0;
}

static double expr_checked(expr_state *st, double r)
{
    return isfinite(r) ? r : expr_undef(st, JXI_UNDEF_OVERFLOW, -1, 0);
}

/* The common case: every slot read is present and finite, and no
 * operation is undefined. The value is then plain arithmetic on the same
 * operands as below, so this loop checks nothing as it goes: x - x is NaN
 * only for an infinity or a NaN, so a non-finite result anywhere leaves
 * `poison` NaN. Returns 0 when the formula needs expr_eval_full (a slot
 * missing or undefined, a division by zero, anything non-finite), which
 * then finds out what and where. */
static int expr_eval_fast(const jxi_expr *x, const double *values,
                          const unsigned char *states, double *out)
{
    double stack[EXPR_STACK_MAX], *sp = stack; /* sp: one past the top */
    double poison = 0.0, b, r;
    const expr_instr *code = x->fused, *pc = code, *end = code + x->nfused;

    while (pc < end) {
        const expr_instr *in = pc++;
        switch (in->op) {
        case EXPR_OP_CONST: *sp++ = x->consts[in->arg]; break;
        case EXPR_OP_ADD_SLOT:
        case EXPR_OP_SUB_SLOT:
        case EXPR_OP_MUL_SLOT:
        case EXPR_OP_DIV_SLOT:
            if (states && states[in->arg] != JXI_SLOT_PRESENT)
                return 0;
            b = values[in->arg];
            poison += b - b;
            goto binary;
        case EXPR_OP_ADD_CONST:
        case EXPR_OP_SUB_CONST:
        case EXPR_OP_MUL_CONST:
        case EXPR_OP_DIV_CONST:
            b = x->consts[in->arg];
        binary:
            switch ((in->op - EXPR_OP_ADD_SLOT) & 3) {
            case 0: r = sp[-1] + b; break;
            case 1: r = sp[-1] - b; break;
            case 2: r = sp[-1] * b; break;
            default:
                if (b == 0.0)
                    return 0;
                r = sp[-1] / b;
                break;
            }
            sp[-1] = r;
            poison += r - r;
            break;
        case EXPR_OP_LOAD:
            if (states && states[in->arg] != JXI_SLOT_PRESENT)
                return 0;
            r = values[in->arg];
            poison += r - r;
            *sp++ = r;
            break;
        case EXPR_OP_NEG: sp[-1] = -sp[-1]; break;
        case EXPR_OP_NOT: sp[-1] = sp[-1] == 0.0 ? 1.0 : 0.0; break;
        case EXPR_OP_TRUTH: sp[-1] = sp[-1] != 0.0 ? 1.0 : 0.0; break;
        case EXPR_OP_ABS: sp[-1] = fabs(sp[-1]); break;
        case EXPR_OP_FLOOR: r = sp[-1] = jxi_floor(sp[-1]); poison += r - r; break;
        case EXPR_OP_CEIL: r = sp[-1] = jxi_ceil(sp[-1]); poison += r - r; break;
        case EXPR_OP_ADD: b = *--sp; r = sp[-1] = sp[-1] + b; poison += r - r; break;
        case EXPR_OP_SUB: b = *--sp; r = sp[-1] = sp[-1] - b; poison += r - r; break;
        case EXPR_OP_MUL: b = *--sp; r = sp[-1] = sp[-1] * b; poison += r - r; break;
        case EXPR_OP_DIV:
            b = *--sp;
            if (b == 0.0)
                return 0;
            r = sp[-1] = sp[-1] / b;
            poison += r - r;
            break;
        case EXPR_OP_LT: b = *--sp; sp[-1] = jxi_cmp_inline(sp[-1], b) < 0; break;
        case EXPR_OP_LE: b = *--sp; sp[-1] = jxi_cmp_inline(sp[-1], b) <= 0; break;
        case EXPR_OP_GT: b = *--sp; sp[-1] = jxi_cmp_inline(sp[-1], b) > 0; break;
        case EXPR_OP_GE: b = *--sp; sp[-1] = jxi_cmp_inline(sp[-1], b) >= 0; break;
        case EXPR_OP_EQ: b = *--sp; sp[-1] = jxi_cmp_inline(sp[-1], b) == 0; break;
        case EXPR_OP_NE: b = *--sp; sp[-1] = jxi_cmp_inline(sp[-1], b) != 0; break;
        case EXPR_OP_MIN: b = *--sp; sp[-1] = jxi_cmp_inline(b, sp[-1]) < 0 ? b : sp[-1]; break;
        case EXPR_OP_MAX: b = *--sp; sp[-1] = jxi_cmp_inline(b, sp[-1]) > 0 ? b : sp[-1]; break;
        case EXPR_OP_ROUND:
            b = *--sp;
            r = jxi_round_inline(b, 0);
            if (!(b >= 0 && b <= 9) || jxi_cmp_inline(b, r) != 0)
                return 0;
            r = sp[-1] = jxi_round_inline(sp[-1], (int)r);
            poison += r - r;
            break;
        case EXPR_OP_JUMP: pc = code + in->arg; break;
        case EXPR_OP_JUMP_IF_FALSE:
            if (*--sp == 0.0)
                pc = code + in->arg;
            break;
        case EXPR_OP_AND:
            if (sp[-1] == 0.0) {
                sp[-1] = 0.0;
                pc = code + in->arg;
            } else {
                sp--;
            }
            break;
        case EXPR_OP_OR:
            if (sp[-1] != 0.0) {
                sp[-1] = 1.0;
                pc = code + in->arg;
            } else {
                sp--;
            }
            break;
        default:
            break;
        }
    }
    if (poison != 0.0) /* NaN */
        return 0;
    *out = stack[0] == 0.0 ? 0.0 : stack[0]; /* no "-0" in reports */
    return 1;
}

/* Every case, with the first missing slot, the first undefined operation
 * and the missing slots met on the way. */
static void expr_eval_full(const jxi_expr *x, const double *values, const unsigned char *states,
                           unsigned char *missing, jxi_eval *out)
{
    double stack[EXPR_STACK_MAX];
    size_t sp = 0, pc = 0;
    expr_state st = {-1, JXI_UNDEF_NONE, -1, 0};

    while (pc < x->ncode) {
        const expr_instr *in = &x->code[pc++];
        /* operands: a is the top of the stack (the left one for binary
         * operators, whose right one b is popped here) */
        double a, b = 0.0, r;
        if (in->op >= EXPR_OP_ADD && in->op <= EXPR_OP_ROUND)
            b = stack[--sp];
        a = sp ? stack[sp - 1] : 0.0;
        switch (in->op) {
        case EXPR_OP_CONST:
            stack[sp++] = x->consts[in->arg];
            break;
        case EXPR_OP_LOAD: {
            int slot = (int)in->arg;
            int state = states ? states[slot] : JXI_SLOT_PRESENT;
            r = values[slot];
            if (state == JXI_SLOT_MISSING) {
                if (missing)
                    missing[slot] = 1;
                if (st.first_missing < 0)
                    st.first_missing = slot;
                r = 0.0;
            } else if (state != JXI_SLOT_PRESENT || !isfinite(r)) {
                r = expr_undef(&st, JXI_UNDEF_INPUT, slot, 0);
            }
            stack[sp++] = r;
            break;
        }
        case EXPR_OP_NEG: stack[sp - 1] = -a; break;
        case EXPR_OP_NOT: stack[sp - 1] = a == 0.0 ? 1.0 : 0.0; break;
        case EXPR_OP_TRUTH: stack[sp - 1] = a != 0.0 ? 1.0 : 0.0; break;
        case EXPR_OP_ABS: stack[sp - 1] = fabs(a); break;
        case EXPR_OP_FLOOR: stack[sp - 1] = expr_checked(&st, jxi_floor(a)); break;
        case EXPR_OP_CEIL: stack[sp - 1] = expr_checked(&st, jxi_ceil(a)); break;
        case EXPR_OP_ADD: stack[sp - 1] = expr_checked(&st, a + b); break;
        case EXPR_OP_SUB: stack[sp - 1] = expr_checked(&st, a - b); break;
        case EXPR_OP_MUL: stack[sp - 1] = expr_checked(&st, a * b); break;
        case EXPR_OP_DIV:
            stack[sp - 1] = b == 0.0 ? expr_undef(&st, JXI_UNDEF_DIV_ZERO, -1, in->arg)
                                     : expr_checked(&st, a / b);
            break;
        /* comparisons as decimals, so 0.1 + 0.2 = 0.3 holds */
        case EXPR_OP_LT: stack[sp - 1] = jxi_cmp(a, b) < 0; break;
        case EXPR_OP_LE: stack[sp - 1] = jxi_cmp(a, b) <= 0; break;
        case EXPR_OP_GT: stack[sp - 1] = jxi_cmp(a, b) > 0; break;
        case EXPR_OP_GE: stack[sp - 1] = jxi_cmp(a, b) >= 0; break;
        case EXPR_OP_EQ: stack[sp - 1] = jxi_cmp(a, b) == 0; break;
        case EXPR_OP_NE: stack[sp - 1] = jxi_cmp(a, b) != 0; break;
        case EXPR_OP_MIN: stack[sp - 1] = jxi_cmp(b, a) < 0 ? b : a; break;
        case EXPR_OP_MAX: stack[sp - 1] = jxi_cmp(b, a) > 0 ? b : a; break;
        case EXPR_OP_ROUND:
            /* a computed digit count must be a whole number 0..9; anything
             * else has no meaningful result */
            r = jxi_round(b, 0);
            if (!(b >= 0 && b <= 9) || jxi_cmp(b, r) != 0)
                stack[sp - 1] = expr_undef(&st, JXI_UNDEF_OVERFLOW, -1, 0);
            else
                stack[sp - 1] = expr_checked(&st, jxi_round(a, (int)r));
            break;
        case EXPR_OP_JUMP:
            pc = in->arg;
            break;
        case EXPR_OP_JUMP_IF_FALSE:
            sp--;
            if (a == 0.0)
                pc = in->arg;
            break;
        case EXPR_OP_AND:
            if (a == 0.0) {
                stack[sp - 1] = 0.0;
                pc = in->arg;
            } else {
                sp--;
            }
            break;
        case EXPR_OP_OR:
            if (a != 0.0) {
                stack[sp - 1] = 1.0;
                pc = in->arg;
            } else {
                sp--;
            }
            break;
        default:
            break;
        }
    }

    out->value = NAN;
    out->undef = JXI_UNDEF_NONE;
    out->slot = -1;
    out->span_start = out->span_len = 0;
    if (st.first_missing >= 0) {
        /* missing wins: the user can fix it by entering the figures */
        out->status = JXI_EVAL_MISSING;
        out->slot = st.first_missing;
    } else if (st.undef != JXI_UNDEF_NONE) {
        out->status = JXI_EVAL_UNDEFINED;
        out->undef = st.undef;
        out->slot = st.slot;
        out->span_start = st.span >> 16;
        out->span_len = st.span & 0xFFFFu;
    } else {
        out->status = JXI_EVAL_OK;
        out->value = stack[0] == 0.0 ? 0.0 : stack[0]; /* no "-0" in reports */
    }
}

/* Most value formulas are a chain: "a / b * 100", "(a - b) / b * 100",
 * "a". The same operations as expr_eval_fast, in the same order, with no
 * stack and no dispatch on every opcode. */
static int expr_eval_chain(const jxi_expr *x, const double *values,
                           const unsigned char *states, double *out)
{
    const expr_instr *in = x->fused, *end = in + x->nfused;
    double r, b, poison;
    if (in->op == EXPR_OP_LOAD) {
        if (states && states[in->arg] != JXI_SLOT_PRESENT)
            return 0;
        r = values[in->arg];
    } else {
        r = x->consts[in->arg];
    }
    poison = r - r;
    for (in++; in < end; in++) {
        if (in->op <= EXPR_OP_DIV_SLOT) {
            if (states && states[in->arg] != JXI_SLOT_PRESENT)
                return 0;
            b = values[in->arg];
            poison += b - b;
        } else {
            b = x->consts[in->arg];
        }
        switch ((in->op - EXPR_OP_ADD_SLOT) & 3) {
        case 0: r = r + b; break;
        case 1: r = r - b; break;
        case 2: r = r * b; break;
        default:
            if (b == 0.0)
                return 0;
            r = r / b;
            break;
        }
        poison += r - r;
    }
    if (poison != 0.0) /* NaN */
        return 0;
    *out = r == 0.0 ? 0.0 : r;
    return 1;
}

int jxi_expr_value(const jxi_expr *x, const double *values, const unsigned char *states,
                   double *out)
{
    return x->chain ? expr_eval_chain(x, values, states, out)
                    : expr_eval_fast(x, values, states, out);
}

void jxi_expr_eval(const jxi_expr *x, const double *values, const unsigned char *states,
                   unsigned char *missing, jxi_eval *out)
{
    if (jxi_expr_value(x, values, states, &out->value)) {
        out->status = JXI_EVAL_OK;
        out->undef = JXI_UNDEF_NONE;
        out->slot = -1;
        out->span_start = out->span_len = 0;
        return;
    }
    expr_eval_full(x, values, states, missing, out);
}

/* ---- Columns ------------------------------------------------------------- */

int jxi_expr_columnar(const jxi_expr *x)
{
    return x->columnar;
}

size_t jxi_expr_block_scratch(const jxi_expr *x)
{
    return (size_t)x->max_stack + 1;
}

/* The loops of jxi_expr_block, one kind each, over JXI_LANES lanes with
 * no aliasing between the columns, so that compilers can vectorise them.
 * `poison` turns NaN where a value read or made is not finite. */
static void expr_col_load(double *restrict top, const double *restrict v,
                          double *restrict poison)
{
    for (size_t l = 0; l < JXI_LANES; l++) {
        top[l] = v[l];
        poison[l] += v[l] - v[l];
    }
}

static void expr_col_const(double *restrict top, double c)
{
    for (size_t l = 0; l < JXI_LANES; l++)
        top[l] = c;
}

static void expr_col_op(int op, double *restrict top, const double *restrict v,
                        double *restrict poison)
{
    switch (op) {
    case 0:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] + v[l];
        break;
    case 1:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] - v[l];
        break;
    case 2:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] * v[l];
        break;
    default:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] / v[l];
        break;
    }
    for (size_t l = 0; l < JXI_LANES; l++)
        poison[l] += (v[l] - v[l]) + (top[l] - top[l]);
}

static void expr_col_op_const(int op, double *restrict top, double c, double *restrict poison)
{
    switch (op) {
    case 0:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] + c;
        break;
    case 1:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] - c;
        break;
    case 2:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] * c;
        break;
    default:
        for (size_t l = 0; l < JXI_LANES; l++)
            top[l] = top[l] / c;
        break;
    }
    for (size_t l = 0; l < JXI_LANES; l++)
        poison[l] += top[l] - top[l];
}

/* The result column: + 0.0 turns -0 into 0, as expr_eval_fast does. */
static void expr_col_result(double *restrict out, const double *restrict top)
{
    for (size_t l = 0; l < JXI_LANES; l++)
        out[l] = top[l] + 0.0;
}

/* The operations of expr_eval_fast, in the same order, one column at a
 * time. A lane's poison turns NaN when a value read or made is not finite
 * (a missing NaN, an infinite input, a division by zero, an overflow):
 * exactly the lanes where expr_eval_fast gives up. */
void jxi_expr_block(const jxi_expr *x, const double *const *slots, double *out,
                    double *poison, double *scratch)
{
    const size_t n = JXI_LANES;
    double *sp = scratch; /* the next free column */
    const expr_instr *in = x->fused, *end = in + x->nfused;

    for (size_t l = 0; l < n; l++)
        poison[l] = 0.0;
    for (; in < end; in++) {
        double *top = sp - n;
        switch (in->op) {
        case EXPR_OP_CONST:
            expr_col_const(sp, x->consts[in->arg]);
            sp += n;
            break;
        case EXPR_OP_LOAD:
            expr_col_load(sp, slots[in->arg], poison);
            sp += n;
            break;
        case EXPR_OP_ADD_SLOT:
        case EXPR_OP_SUB_SLOT:
        case EXPR_OP_MUL_SLOT:
        case EXPR_OP_DIV_SLOT:
            expr_col_op(in->op - EXPR_OP_ADD_SLOT, top, slots[in->arg], poison);
            break;
        case EXPR_OP_ADD:
        case EXPR_OP_SUB:
        case EXPR_OP_MUL:
        case EXPR_OP_DIV:
            sp -= n;
            expr_col_op(in->op - EXPR_OP_ADD, sp - n, sp, poison);
            break;
        case EXPR_OP_ADD_CONST:
        case EXPR_OP_SUB_CONST:
        case EXPR_OP_MUL_CONST:
        case EXPR_OP_DIV_CONST:
            expr_col_op_const(in->op - EXPR_OP_ADD_CONST, top, x->consts[in->arg], poison);
            break;
        case EXPR_OP_NEG:
            for (size_t l = 0; l < n; l++)
                top[l] = -top[l];
            break;
        case EXPR_OP_ABS:
            for (size_t l = 0; l < n; l++)
                top[l] = fabs(top[l]);
            break;
        default: /* not columnar: jxi_expr_columnar said so */
            for (size_t l = 0; l < n; l++)
                poison[l] = NAN;
            break;
        }
    }
    expr_col_result(out, sp - n);
}
