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
/* The largest k < n with a[k] <= x, for a sorted a with a[0] <= x, searched
 * from *hint: the matches of one pattern arrive in text order, so the
 * answer is usually at or just after the previous one. */
static inline size_t jxi_find_le(const size_t *a, size_t n, size_t x, size_t *hint)
{
    size_t lo = 0, hi = n;
    if (*hint < n && a[*hint] <= x) {
        lo = *hint;
        size_t step = 1; /* gallop forward, then bisect */
        while (lo + step < n && a[lo + step] <= x) {
            lo += step;
            step *= 2;
        }
        hi = lo + step < n ? lo + step : n;
    }
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    *hint = lo;
    return lo;
}

/* The original byte offset of normalized byte `off` (a character start);
 * *hint as for jxi_find_le (start it at 0). */
size_t jxi_normtext_orig(const jxi_normtext *nt, size_t off, size_t *hint);
/* The original end of the normalized span [start, end). */
size_t jxi_normtext_orig_end(const jxi_normtext *nt, size_t start, size_t end, size_t *hint);
void jxi_normtext_free(jxi_normtext *nt);

#endif /* JX_NO_EXTRACT */

#endif
