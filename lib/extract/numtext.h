/* Numbers and units in report text (lib/extract/numtext.c). */
#ifndef JIXIAO_NUMTEXT_H
#define JIXIAO_NUMTEXT_H

#include <stdio.h>

#include "util/internal.h"

/* Text extraction's number reading; absent without extraction. */
#ifndef JX_NO_EXTRACT

/* An exact decimal: (-1)^neg × m × 10^e. */
typedef struct jxi_decnum {
    int neg;
    uint64_t m;
    int e;
} jxi_decnum;

/* Parse a number at s[0..len): ASCII or full-width digits with optional
 * thousands separators (",", "，") and decimals ("." "．"), a sign, or
 * Chinese numerals for whole numbers (十二, 两千, 三万五千). Leading spaces
 * are skipped; *used is the bytes consumed. 0, or JX_EVALUE with `why`. */
int jxi_numtext_parse(const char *s, size_t len, jxi_decnum *d, size_t *used, char *why,
                      size_t whylen);

/* Split a unit into its scale prefix (万 = 4, 亿 = 8, ...) and its base
 * ("万元" → 4, "元"). "％" is "%". */
void jxi_unit_split(const char *unit, size_t len, const char **base, size_t *blen, int *exp);

/* Convert d from unit `from` to unit `to` (same base, any scale): exact, by
 * moving the decimal exponent. 0, or JX_EVALUE with `why`. */
int jxi_unit_convert(jxi_decnum *d, const char *from, size_t flen, const char *to, size_t tlen,
                     char *why, size_t whylen);

/* The nearest double. */
double jxi_decnum_value(const jxi_decnum *d);

#endif /* JX_NO_EXTRACT */

#endif
