/* Formulas: the compiled formula itself. The fused code that the fast
 * evaluators of expr_eval.c run (made once, at compile time, from the
 * parser's bytecode), the accessors and jxi_expr_free.
 *
 * Every file-scope name here starts with expr_ / EXPR_ (jxi_expr_ when
 * shared, in expr_int.h) so the file can be concatenated into a single-file
 * build. */
#include "compile/expr.h"
#include "compile/expr_int.h"
#include "util/internal.h"

/* The code for expr_eval_fast, with fewer instructions to dispatch: a LOAD
 * or CONST followed by + - * / becomes one instruction taking the slot or
 * constant as its operand ("a / b * 100": LOAD a, DIV_SLOT b, MUL_CONST
 * 100). Jumps are renumbered; an instruction a jump lands on is never
 * fused into the one before it. Returns 0 or JX_ENOMEM. */
int jxi_expr_fuse(jxi_expr *x)
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
