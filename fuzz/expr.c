/* Fuzz target: formulas, through the internal compiler and evaluator
 * (lib/compile/expr.h). The bytes up to the first NUL are the formula; the bytes
 * after it choose the slot values and states. Names: a..h are slots 0..7,
 * 甲 and [x y] are slots 8 and 9, "lv" is a declared name that cannot be
 * used (as a level metric), anything else is unknown.
 *
 * Checked: errors have a known code, an offset inside the formula and a
 * UTF-8 message; a compiled formula keeps its source and its slots; a value
 * is finite; the hot-path evaluator (jxi_expr_value) agrees with the full
 * one; missing and undefined outcomes name a slot or a span that exists. */
#include "compile/expr.h"
#include "fuzz.h"

#define NSLOTS 10

static int resolve(void *ctx, const char *name, size_t len, const char **why)
{
    (void)ctx;
    if (len == 1 && name[0] >= 'a' && name[0] <= 'h')
        return name[0] - 'a';
    if (len == 3 && memcmp(name, "\xe7\x94\xb2", 3) == 0) /* 甲 */
        return 8;
    if (len == 3 && memcmp(name, "x y", 3) == 0)
        return 9;
    if (len == 2 && memcmp(name, "lv", 2) == 0) {
        *why = "\"lv\" is a level metric";
        return JXI_RESOLVE_UNUSABLE;
    }
    return JXI_RESOLVE_UNKNOWN;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t len = nul ? (size_t)(nul - data) : size;
    fuzz_in c = {nul ? nul + 1 : data + size, nul ? size - len - 1 : 0};

    jxi_expr *x = (jxi_expr *)1;
    jxi_expr_error e;
    memset(&e, 0x55, sizeof e);
    int rc = jxi_expr_compile((const char *)data, len, resolve, NULL, &x, &e);
    if (rc != 0) {
        FUZZ_CHECK(x == NULL, "failed compile left *out set");
        FUZZ_CHECK(rc == e.code, "rc %d but e.code %d", rc, e.code);
        FUZZ_CHECK(rc == JX_EFORMULA || rc == JX_EREF || rc == JX_ELIMIT, "code %d: %s", rc,
                   e.message);
        FUZZ_CHECK(memchr(e.message, 0, sizeof e.message) && e.message[0], "message");
        FUZZ_CHECK(jxi_utf8_check(e.message, strlen(e.message)) == (size_t)-1,
                   "message is not UTF-8: %s", e.message);
        FUZZ_CHECK(e.offset <= len || (rc == JX_ELIMIT && len > JXI_MAX_FORMULA_LENGTH),
                   "offset %zu past the end (%zu)", e.offset, len);
        return 0;
    }
    FUZZ_CHECK(x, "no formula");
    FUZZ_CHECK(len <= JXI_MAX_FORMULA_LENGTH, "a formula of %zu bytes compiled", len);
    FUZZ_CHECK(strlen(jxi_expr_source(x)) == len && memcmp(jxi_expr_source(x), data, len) == 0,
               "source not kept");
    size_t nrefs = jxi_expr_ref_count(x);
    unsigned char seen[NSLOTS] = {0};
    for (size_t k = 0; k < nrefs; k++) {
        int slot = jxi_expr_ref(x, k);
        FUZZ_CHECK(slot >= 0 && slot < NSLOTS && !seen[slot], "ref %zu: slot %d", k, slot);
        seen[slot] = 1;
    }
    int single = jxi_expr_single_slot(x);
    FUZZ_CHECK(single == -1 || (single >= 0 && single < NSLOTS && nrefs == 1), "single %d",
               single);

    /* Slot values and states from the choices; by default 1, 2, 0, -1, 0.5,
     * 100, 3, 1e300, 7, 0.1, all present. */
    static const double defaults[NSLOTS] = {1, 2, 0, -1, 0.5, 100, 3, 1e300, 7, 0.1};
    double values[NSLOTS];
    unsigned char states[NSLOTS];
    memcpy(values, defaults, sizeof values);
    memset(states, JXI_SLOT_PRESENT, sizeof states);
    unsigned mode = fuzz_byte(&c);
    for (int k = 0; k < NSLOTS && c.n > 0; k++) {
        if (mode & 1)
            values[k] = fuzz_figure(&c);
        if (mode & 2) {
            unsigned st = fuzz_byte(&c) % 5;
            states[k] = st == 3 ? JXI_SLOT_MISSING : st == 4 ? JXI_SLOT_UNDEFINED
                                                            : JXI_SLOT_PRESENT;
        }
    }
    /* A present slot holds a finite value: the library never stores NaN or
     * an infinity as present (they make the slot undefined). */
    for (int k = 0; k < NSLOTS; k++)
        if (!isfinite(values[k]))
            states[k] = JXI_SLOT_UNDEFINED;

    unsigned char missing[NSLOTS] = {0};
    jxi_eval ev;
    memset(&ev, 0x55, sizeof ev);
    jxi_expr_eval(x, values, states, missing, &ev);
    double fast = 0;
    int fast_ok = jxi_expr_value(x, values, states, &fast);
    switch (ev.status) {
    case JXI_EVAL_OK:
        FUZZ_CHECK(isfinite(ev.value), "value %g", ev.value);
        for (int k = 0; k < NSLOTS; k++)
            FUZZ_CHECK(!missing[k], "OK with a missing slot %d", k);
        break;
    case JXI_EVAL_MISSING:
        FUZZ_CHECK(ev.slot >= 0 && ev.slot < NSLOTS && states[ev.slot] == JXI_SLOT_MISSING,
                   "missing slot %d", ev.slot);
        FUZZ_CHECK(missing[ev.slot], "first missing slot not marked");
        for (int k = 0; k < NSLOTS; k++)
            FUZZ_CHECK(!missing[k] || (seen[k] && states[k] == JXI_SLOT_MISSING),
                       "slot %d marked missing", k);
        break;
    case JXI_EVAL_UNDEFINED:
        FUZZ_CHECK(ev.undef >= JXI_UNDEF_DIV_ZERO && ev.undef <= JXI_UNDEF_OVERFLOW, "undef %d",
                   ev.undef);
        if (ev.undef == JXI_UNDEF_INPUT)
            FUZZ_CHECK(ev.slot >= 0 && ev.slot < NSLOTS && states[ev.slot] == JXI_SLOT_UNDEFINED,
                       "undefined slot %d", ev.slot);
        if (ev.undef == JXI_UNDEF_DIV_ZERO)
            FUZZ_CHECK(ev.span_len > 0 && (size_t)ev.span_start + ev.span_len <= len,
                       "divisor span %u+%u of %zu", ev.span_start, ev.span_len, len);
        break;
    default:
        FUZZ_CHECK(0, "status %d", ev.status);
    }
    if (fast_ok)
        FUZZ_CHECK(ev.status == JXI_EVAL_OK && (fast == ev.value),
                   "jxi_expr_value gives %.17g, jxi_expr_eval status %d value %.17g", fast,
                   ev.status, ev.value);
    /* The same without the missing array. */
    jxi_eval ev2;
    jxi_expr_eval(x, values, states, NULL, &ev2);
    FUZZ_CHECK(ev2.status == ev.status && (ev.status != JXI_EVAL_OK || ev2.value == ev.value),
               "eval without `missing` differs");
    jxi_expr_free(x);
    return 0;
}
