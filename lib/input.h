/* A department's figures for one scheme (lib/input.c). */
#ifndef JIXIAO_INPUT_H
#define JIXIAO_INPUT_H

#include "scheme.h"

struct jx_input {
    const jx_scheme *s;
    double *values;         /* per metric; a level's index, a bool's 0/1 */
    unsigned char *states;  /* per metric: JXI_SLOT_* */
    unsigned char *na;      /* per indicator: marked not applicable */
    char *entity;           /* jx_input_set_entity, or NULL */
    jx_error last;          /* what the last failing setter said */
};

/* Record why a setter failed (jx_input_last_error) and return `code`. */
int jxi_input_fail(jx_input *in, int code, const char *fmt, ...) JXI_PRINTF(3, 4);

/* Set metric m (an index) from a JSON-free description; shared by the
 * setters and the JSON reader. Returns 0 or a jx_code. */
int jxi_input_set_level(jx_input *in, size_t m, const char *level, size_t len);

#endif
