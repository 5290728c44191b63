/* A department's figures for one scheme (lib/eval/input.c). */
#ifndef JIXIAO_INPUT_H
#define JIXIAO_INPUT_H

#include "compile/scheme.h"

struct jx_input {
    const jx_scheme *s;
    double *values;         /* per metric; a level's index, a bool's 0/1 */
    unsigned char *states;  /* per metric: JXI_SLOT_* */
    unsigned char *na;      /* per indicator: marked not applicable */
    /* Where each value came from (lib/eval/origin.c): NULL until a value comes
     * from anywhere but a setter; 0 means a setter. */
    unsigned char *origin;  /* per metric: jx_origin */
    char **origin_detail;   /* per metric: "8:24", a file name, or NULL */
    char *entity;           /* jx_input_set_entity, or NULL */
    jx_error last;          /* what the last failing setter said */
    int zh;                 /* jx_input_set_messages(JX_LOAD_LANG_ZH) */
};

/* Record why a setter failed (jx_input_last_error) and return `code`. */
int jxi_input_fail(jx_input *in, int code, const char *fmt, ...) JXI_PRINTF(3, 4);

/* Set metric m (an index) from a JSON-free description; shared by the
 * setters and the JSON reader. Returns 0 or a jx_code. */
int jxi_input_set_level(jx_input *in, size_t m, const char *level, size_t len);

/* Record where metric m's value came from (a jx_origin; detail may be
 * NULL). 0 or JX_ENOMEM. JX_ORIGIN_SET never allocates. */
int jxi_input_set_origin(jx_input *in, size_t m, int origin, const char *detail);
/* Make dst's origins a copy of src's. 0 or JX_ENOMEM. */
int jxi_input_copy_origins(jx_input *dst, const jx_input *src);
/* Exchange the origins of two inputs of one scheme. */
void jxi_input_swap_origins(jx_input *a, jx_input *b);
/* Forget every origin (every value then counts as set by a setter). */
void jxi_input_free_origins(jx_input *in);

#endif
