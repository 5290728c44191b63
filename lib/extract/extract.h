/* Extraction profiles: where each figure is written in a report, as pcre2
 * patterns compiled once when the scheme loads (lib/extract/profile.c), matched per
 * call (lib/extract/extract.c). */
#ifndef JIXIAO_EXTRACT_H
#define JIXIAO_EXTRACT_H

/* Without extraction nothing here exists, and pcre2 is not needed. */
#ifndef JX_NO_EXTRACT

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "util/internal.h"
#include "compile/scheme.h"

/* Limits a hostile pattern or text cannot pass (docs/limits.md). */
#define JXI_MAX_TEXT_SIZE (64u * 1024u * 1024u) /* bytes of report text */
#define JXI_MATCH_LIMIT 5000000u    /* pcre2 match() calls per match attempt */
#define JXI_DEPTH_LIMIT 10000u      /* pcre2 backtracking depth */
#define JXI_HEAP_LIMIT (20u * 1024u) /* KiB of pcre2 backtracking heap */
#define JXI_MAX_PATTERNS 10000      /* patterns in a profile */

/* LINE_SUM (standard figures only): the matches on the first match's line,
 * added up. */
typedef enum jxi_take {
    JXI_TAKE_FIRST,
    JXI_TAKE_LAST,
    JXI_TAKE_AGREE,
    JXI_TAKE_SUM,
    JXI_TAKE_LINE_SUM
} jxi_take;

typedef struct jxi_xpattern {
    pcre2_code *code;
    char *source;
    uint32_t value_group; /* 0: no "value" group (bool metrics) */
    uint32_t unit_group;  /* 0: no "unit" group */
    jxi_take take;        /* the entry's, or (standard figures) the pattern's own */
} jxi_xpattern;

typedef struct jxi_xmetric {
    size_t metric;        /* index into the scheme's metrics, or of a standard figure */
    const jxi_metric *target; /* its name, type, unit and levels */
    jxi_take take;
    char *unit;           /* the unit values are converted to */
    int has_absent;       /* no match means `absent` (else: not found) */
    double absent;
    char **map_from;      /* captured text -> value, when given */
    double *map_to;
    size_t nmap;
    jxi_xpattern *pats;
    size_t npats;
    size_t *std;          /* standard figures standing in when no pattern matches */
    size_t nstd;
} jxi_xmetric;

typedef struct jxi_profile {
    jxi_xmetric *metrics;
    size_t n;
    jxi_metric *figures;         /* a standard block's own figures (else NULL) */
    struct jxi_profile *std;     /* a scheme profile's standard block */
    pcre2_general_context *gctx; /* routes pcre2's allocations to ours */
    int jit;                     /* JIT code was made for every pattern */
    uint32_t max_groups;         /* the most capture groups of any pattern */
} jxi_profile;

/* The scheme an extraction was made with (for lib/extract/extract_json.c); NULL
 * for a standard block. */
const jx_scheme *jxi_extraction_scheme(const jx_extraction *x);
/* The metric or figure entry k reads (its name, type, unit, levels). */
const jxi_metric *jxi_extraction_target(const jx_extraction *x, size_t k);

/* A pcre2 context whose allocations go through the library's allocator
 * (lib/extract/profile.c); NULL when out of memory. */
pcre2_general_context *jxi_pcre2_context(void);

/* The standard figures (lib/extract/stdfig.c). */
#define JXI_STD_FIGURES 24
/* The index of a standard figure by key, or JX_NONE. */
size_t jxi_stdfig_find(const char *key);
/* Compile the standard block into a profile of its own. 0 or JX_ENOMEM. */
int jxi_stdfig_compile(jxi_profile **out);

/* A figure a flattened table states (lib/extract/stdtable.c): a header row of
 * standard names above a row of as many numbers. */
typedef struct jxi_tablefig {
    size_t figure;          /* standard figure index */
    double value;           /* in the figure's unit */
    size_t start, end;      /* bytes of the value cell in the original text */
} jxi_tablefig;
/* Scan text for such tables. Fills *out (jxi_malloc'd) and *n; 0 or
 * JX_ENOMEM. */
int jxi_stdtable_scan(const char *text, size_t len, const jxi_metric *figures,
                      jxi_tablefig **out, size_t *n);

#endif /* JX_NO_EXTRACT */

#endif
