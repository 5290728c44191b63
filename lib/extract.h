/* Extraction profiles: where each figure is written in a report, as pcre2
 * patterns compiled once when the scheme loads (lib/profile.c), matched per
 * call (lib/extract.c). */
#ifndef JIXIAO_EXTRACT_H
#define JIXIAO_EXTRACT_H

/* Without extraction nothing here exists, and pcre2 is not needed. */
#ifndef JX_NO_EXTRACT

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "internal.h"

/* Limits a hostile pattern or text cannot pass (docs/limits.md). */
#define JXI_MAX_TEXT_SIZE (64u * 1024u * 1024u) /* bytes of report text */
#define JXI_MATCH_LIMIT 5000000u    /* pcre2 match() calls per match attempt */
#define JXI_DEPTH_LIMIT 10000u      /* pcre2 backtracking depth */
#define JXI_HEAP_LIMIT (20u * 1024u) /* KiB of pcre2 backtracking heap */
#define JXI_MAX_PATTERNS 10000      /* patterns in a profile */

typedef enum jxi_take { JXI_TAKE_FIRST, JXI_TAKE_LAST, JXI_TAKE_AGREE, JXI_TAKE_SUM } jxi_take;

typedef struct jxi_xpattern {
    pcre2_code *code;
    char *source;
    uint32_t value_group; /* 0: no "value" group (bool metrics) */
    uint32_t unit_group;  /* 0: no "unit" group */
} jxi_xpattern;

typedef struct jxi_xmetric {
    size_t metric;        /* index into the scheme's metrics */
    jxi_take take;
    char *unit;           /* the unit values are converted to */
    int has_absent;       /* no match means `absent` (else: not found) */
    double absent;
    char **map_from;      /* captured text -> value, when given */
    double *map_to;
    size_t nmap;
    jxi_xpattern *pats;
    size_t npats;
} jxi_xmetric;

typedef struct jxi_profile {
    jxi_xmetric *metrics;
    size_t n;
    pcre2_general_context *gctx; /* routes pcre2's allocations to ours */
    int jit;                     /* JIT code was made for every pattern */
    uint32_t max_groups;         /* the most capture groups of any pattern */
} jxi_profile;

/* The scheme an extraction was made with (for lib/extract_json.c). */
const jx_scheme *jxi_extraction_scheme(const jx_extraction *x);

#endif /* JX_NO_EXTRACT */

#endif
