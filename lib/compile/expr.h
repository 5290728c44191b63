/* Formulas: compiled once at load into bytecode over metric slots, then
 * evaluated with no allocation and no name look-ups. */
#ifndef JIXIAO_EXPR_H
#define JIXIAO_EXPR_H

#include <stddef.h>
#include <stdint.h>

typedef struct jxi_expr jxi_expr;

/* Resolve a name used in a formula to a slot. Returns the slot (>= 0), or
 * JXI_RESOLVE_UNKNOWN, or JXI_RESOLVE_UNUSABLE (the name exists but cannot
 * be used in a formula, e.g. a level metric); `why` may then be set to a
 * static explanation. */
#define JXI_RESOLVE_UNKNOWN (-1)
#define JXI_RESOLVE_UNUSABLE (-2)
typedef int (*jxi_resolve_fn)(void *ctx, const char *name, size_t len, const char **why);

typedef struct jxi_expr_error {
    int code;        /* JX_EFORMULA, JX_EREF, JX_ELIMIT or JX_ENOMEM */
    size_t offset;   /* byte offset in the formula text */
    char message[200];
} jxi_expr_error;

/* Compile `src` (UTF-8, `len` bytes). Returns 0 and *out, or a negative
 * jx_code with `e` filled.
 *
 * Grammar (lowest precedence first):
 *   expr    := or
 *   or      := and { "or" and }
 *   and     := not { "and" not }
 *   not     := "not" not | cmp
 *   cmp     := sum [ ("<" | "<=" | ">" | ">=" | "=" | "==" | "!=" | "<>") sum ]
 *   sum     := term { ("+" | "-") term }
 *   term    := unary { ("*" | "/") unary }
 *   unary   := "-" unary | "+" unary | primary
 *   primary := number | name | "[" any text but "]" "]" | "(" expr ")"
 *            | func "(" expr { "," expr } ")"
 *   func    := if(c, a, b) | min(a, b, ...) | max(a, b, ...) | abs(x)
 *            | round(x, n) | floor(x) | ceil(x)
 * Names are ASCII letters, digits and "_" or any non-ASCII letter (CJK and
 * others), not starting with a digit; names that are not plain words are
 * written in brackets: [“三公”经费]. Comparisons and logic give 1 or 0;
 * any non-zero value is true. "if", "and", "or" evaluate lazily. */
int jxi_expr_compile(const char *src, size_t len, jxi_resolve_fn resolve, void *ctx,
                     jxi_expr **out, jxi_expr_error *e);
void jxi_expr_free(jxi_expr *x);

/* The distinct slots the formula may read, in first-use order. */
size_t jxi_expr_ref_count(const jxi_expr *x);
int jxi_expr_ref(const jxi_expr *x, size_t k);
/* The formula's source text (NUL-terminated copy). */
const char *jxi_expr_source(const jxi_expr *x);
/* The slot if the formula is a lone name, else -1. */
int jxi_expr_single_slot(const jxi_expr *x);

/* Slot states during evaluation. */
#define JXI_SLOT_PRESENT 0
#define JXI_SLOT_MISSING 1
#define JXI_SLOT_UNDEFINED 2 /* NaN/inf input, or a derived metric that could
                                not be computed */

/* Evaluation outcomes. */
#define JXI_EVAL_OK 0
#define JXI_EVAL_MISSING 1
#define JXI_EVAL_UNDEFINED 2

/* Why a value is undefined. */
#define JXI_UNDEF_NONE 0
#define JXI_UNDEF_DIV_ZERO 1   /* a division by zero */
#define JXI_UNDEF_INPUT 2      /* a slot in state JXI_SLOT_UNDEFINED */
#define JXI_UNDEF_OVERFLOW 3   /* a result that is not finite */

typedef struct jxi_eval {
    int status;        /* JXI_EVAL_* */
    double value;      /* valid when status is JXI_EVAL_OK */
    int undef;         /* JXI_UNDEF_* when status is JXI_EVAL_UNDEFINED */
    int slot;          /* JXI_UNDEF_INPUT: the slot; JXI_EVAL_MISSING: the
                          first missing slot met */
    uint32_t span_start, span_len; /* JXI_UNDEF_DIV_ZERO: the divisor's text
                                      in the source */
} jxi_eval;

/* Evaluate over `values` / `states` (indexed by slot). Missing slots met on
 * the evaluated path are marked with 1 in `missing` (indexed by slot; may be
 * NULL) and make the result JXI_EVAL_MISSING; otherwise the first undefined
 * operation makes it JXI_EVAL_UNDEFINED. Thread-safe, no allocation. */
void jxi_expr_eval(const jxi_expr *x, const double *values, const unsigned char *states,
                   unsigned char *missing, jxi_eval *out);

/* The common case of jxi_expr_eval, for the scoring hot path: 1 and the
 * value in *out when every slot read is present and nothing is undefined
 * (jxi_expr_eval would say JXI_EVAL_OK with that value), else 0 (then ask
 * jxi_expr_eval). */
int jxi_expr_value(const jxi_expr *x, const double *values, const unsigned char *states,
                   double *out);

/* Columns: one formula over JXI_LANES entities at once (the batch path).
 * jxi_expr_columnar: 1 when the formula is plain arithmetic (+ - * /,
 * unary minus, abs, numbers and names), which jxi_expr_block can run.
 * jxi_expr_block: slots[slot] points to JXI_LANES values of that slot (NaN:
 * not present); out[l] gets lane l's value, and poison[l] NaN where
 * jxi_expr_value would have given up (lanes to score the exact way) or 0
 * where it would have given out[l]. `scratch` holds
 * jxi_expr_block_scratch(x) * JXI_LANES doubles. */
#define JXI_LANES 64
int jxi_expr_columnar(const jxi_expr *x);
size_t jxi_expr_block_scratch(const jxi_expr *x);
void jxi_expr_block(const jxi_expr *x, const double *const *slots, double *out,
                    double *poison, double *scratch);

#endif
