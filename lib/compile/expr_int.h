/* Formulas inside lib/compile: what expr_lex.c, expr_parse.c, expr_code.c
 * and expr_eval.c share (the bytecode, the compiled formula, the tokens and
 * the parser's state). The rest of the library sees only compile/expr.h.
 *
 * Every file-scope name here starts with expr_ / EXPR_ (jxi_expr_ for the
 * functions shared between the files) so the files can be concatenated into
 * a single-file build. */
#ifndef JIXIAO_EXPR_INT_H
#define JIXIAO_EXPR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "compile/expr.h"
#include "util/internal.h"

/* ---- Bytecode and the compiled formula ----------------------------------- */

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
    expr_instr *fused;  /* the code for expr_eval_fast (see jxi_expr_fuse) */
    size_t nfused;
    int chain;          /* fused is a LOAD or CONST and then only fused + - * /
                           (a / b * 100): expr_eval_chain runs it */
    int columnar;       /* fused has only arithmetic: jxi_expr_block runs it */
    double *consts;
    int *refs;
    size_t nrefs;
    int max_stack;
};

/* ---- Tokens and the parser's state (expr_lex.c, expr_parse.c) ----------- */

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

/* Fill p->e (code, offset, message) and return `code`. */
int jxi_expr_fail(expr_parser *p, int code, size_t offset, const char *fmt, ...)
    JXI_PRINTF(4, 5);
/* s[0..n) as a message excerpt in buf (see expr_lex.c); returns buf. */
const char *jxi_expr_excerpt(const char *s, size_t n, char *buf, size_t size);
/* Read the next token into p->t (the current one moves to p->prev). */
int jxi_expr_next(expr_parser *p);

/* ---- The compiled formula (expr_code.c) ---------------------------------- */

/* Fill x->fused, x->nfused, x->chain and x->columnar from x->code. Returns
 * 0 or JX_ENOMEM. */
int jxi_expr_fuse(jxi_expr *x);

#endif
