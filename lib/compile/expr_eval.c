/* Formulas: evaluation of the compiled bytecode (see expr_parse.c) over
 * metric slots, with no allocation and no name look-ups: the fast paths
 * (expr_eval_chain, expr_eval_fast), the full one that says what is missing
 * or undefined and where (expr_eval_full), and the columns of the batch
 * path (jxi_expr_block).
 *
 * Every file-scope name here starts with expr_ / EXPR_ (jxi_expr_ when
 * shared, in expr_int.h) so the file can be concatenated into a single-file
 * build. */
#include <math.h>

#include "compile/expr.h"
#include "compile/expr_int.h"
#include "util/num.h"

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

/* The value expr_eval_full pushes for slot `slot`: 0 for a missing slot
 * (marked in `missing`, the first one kept in st), 0 and an undefined input
 * for a value that is not present or not finite. */
static double expr_full_load(expr_state *st, int slot, const double *values,
                             const unsigned char *states, unsigned char *missing)
{
    int state = states ? states[slot] : JXI_SLOT_PRESENT;
    double r = values[slot];
    if (state == JXI_SLOT_MISSING) {
        if (missing)
            missing[slot] = 1;
        if (st->first_missing < 0)
            st->first_missing = slot;
        r = 0.0;
    } else if (state != JXI_SLOT_PRESENT || !isfinite(r)) {
        r = expr_undef(st, JXI_UNDEF_INPUT, slot, 0);
    }
    return r;
}

/* round(a, b) in expr_eval_full: a computed digit count must be a whole
 * number 0..9; anything else has no meaningful result. */
static double expr_full_round(expr_state *st, double a, double b)
{
    double r = jxi_round(b, 0);
    if (!(b >= 0 && b <= 9) || jxi_cmp(b, r) != 0)
        return expr_undef(st, JXI_UNDEF_OVERFLOW, -1, 0);
    return expr_checked(st, jxi_round(a, (int)r));
}

/* What expr_eval_full found, in *out; `stack` is its stack, whose bottom
 * holds the value. */
static void expr_full_outcome(const expr_state *st, const double *stack, jxi_eval *out)
{
    out->value = NAN;
    out->undef = JXI_UNDEF_NONE;
    out->slot = -1;
    out->span_start = out->span_len = 0;
    if (st->first_missing >= 0) {
        /* missing wins: the user can fix it by entering the figures */
        out->status = JXI_EVAL_MISSING;
        out->slot = st->first_missing;
    } else if (st->undef != JXI_UNDEF_NONE) {
        out->status = JXI_EVAL_UNDEFINED;
        out->undef = st->undef;
        out->slot = st->slot;
        out->span_start = st->span >> 16;
        out->span_len = st->span & 0xFFFFu;
    } else {
        out->status = JXI_EVAL_OK;
        out->value = stack[0] == 0.0 ? 0.0 : stack[0]; /* no "-0" in reports */
    }
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
        double a, b = 0.0;
        if (in->op >= EXPR_OP_ADD && in->op <= EXPR_OP_ROUND)
            b = stack[--sp];
        a = sp ? stack[sp - 1] : 0.0;
        switch (in->op) {
        case EXPR_OP_CONST:
            stack[sp++] = x->consts[in->arg];
            break;
        case EXPR_OP_LOAD:
            stack[sp++] = expr_full_load(&st, (int)in->arg, values, states, missing);
            break;
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
        case EXPR_OP_ROUND: stack[sp - 1] = expr_full_round(&st, a, b); break;
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
    expr_full_outcome(&st, stack, out);
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
