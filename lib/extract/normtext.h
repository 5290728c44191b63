/* Report text as extraction patterns see it (lib/extract/normtext.c). */
#ifndef JIXIAO_NORMTEXT_H
#define JIXIAO_NORMTEXT_H

#include "util/internal.h"

#ifndef JX_NO_EXTRACT

typedef struct jxi_normtext {
    char *text;       /* the normalized text, NUL-terminated */
    size_t len;
    const char *orig; /* the text it was made from (not owned) */
    size_t orig_len;
    /* Segments: from normalized byte seg_at[k] on, byte p comes from
     * original byte seg_orig[k] + (p - seg_at[k]). */
    size_t *seg_at, *seg_orig;
    size_t nseg, cap;
} jxi_normtext;

/* Normalize valid UTF-8 s[0..len). 0 or JX_ENOMEM (then free nt). */
int jxi_normtext_make(jxi_normtext *nt, const char *s, size_t len);
/* The original byte offset of normalized byte `off` (a character start). */
size_t jxi_normtext_orig(const jxi_normtext *nt, size_t off);
/* The original end of the normalized span [start, end). */
size_t jxi_normtext_orig_end(const jxi_normtext *nt, size_t start, size_t end);
void jxi_normtext_free(jxi_normtext *nt);

#endif /* JX_NO_EXTRACT */

#endif
