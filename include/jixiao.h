/*
 * jixiao — scores public-spending performance evaluations (预算绩效评价).
 *
 * Load an indicator scheme (JSON), feed a department's figures, get a score
 * and a reason for every indicator, the total and the grade.
 *
 *     jx_error err;
 *     jx_scheme *s = jx_scheme_load_file("scheme.json", 0, &err);
 *     jx_input *in = jx_input_new(s);
 *     jx_input_set_number(in, "在职人员数", 136);
 *     jx_result *r = jx_score(s, in, 0, &err);
 *     printf("%.2f %s\n", jx_result_total(r), jx_result_grade(r));
 *     jx_result_free(r); jx_input_free(in); jx_scheme_free(s);
 *
 * Conventions
 *   - Every object has one free function; strings the library allocates for
 *     the caller are released with jx_free().
 *   - Functions return 0 or a positive count on success and a negative
 *     JX_E... code on failure, or NULL on failure for constructors.
 *   - Functions that can fail for reasons a user must see take a
 *     caller-owned jx_error (may be NULL), filled on failure only.
 *   - A loaded scheme is immutable and may be used from many threads at
 *     once. Inputs and results belong to one thread at a time.
 *   - Strings are UTF-8. Numbers are never parsed or printed with the
 *     process locale.
 *
 * MIT licence; see LICENSE.
 */
#ifndef JIXIAO_H
#define JIXIAO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------ */

#define JX_VERSION_MAJOR 1
#define JX_VERSION_MINOR 0
#define JX_VERSION_PATCH 0
#define JX_VERSION_STRING "1.0.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for compile-time comparisons. */
#define JX_VERSION_NUMBER \
    (JX_VERSION_MAJOR * 10000 + JX_VERSION_MINOR * 100 + JX_VERSION_PATCH)

#ifndef JX_API
#  if defined(JX_STATIC)
#    define JX_API
#  elif defined(_WIN32)
#    define JX_API __declspec(dllimport)
#  elif defined(__GNUC__) && __GNUC__ >= 4
#    define JX_API __attribute__((visibility("default")))
#  else
#    define JX_API
#  endif
#endif

/* The run-time version string, e.g. "1.0.0". Compare with JX_VERSION_STRING
 * to detect a header/library mismatch. */
JX_API const char *jx_version(void);
/* The run-time JX_VERSION_NUMBER. */
JX_API unsigned jx_version_number(void);

/* What this build of the library includes, as JX_FEATURE_* bits. */
#define JX_FEATURE_EXTRACT 0x1u /* text extraction (pcre2); without it the
                                   jx_extract* functions exist but fail with
                                   JX_EUNSUPPORTED */
#define JX_FEATURE_JIT 0x2u     /* pcre2 can compile patterns to machine code
                                   on this machine */
JX_API unsigned jx_features(void);

/* ---- Errors ------------------------------------------------------------- */

typedef enum jx_code {
    JX_OK = 0,
    JX_ENOMEM = -1,      /* out of memory */
    JX_EARG = -2,        /* invalid argument (NULL pointer, index out of range) */
    JX_EIO = -3,         /* a file could not be read */
    JX_ESYNTAX = -4,     /* malformed JSON or invalid UTF-8 */
    JX_EKEY = -5,        /* unknown key */
    JX_ETYPE = -6,       /* a JSON value of the wrong type */
    JX_EVALUE = -7,      /* a value out of range or not one of the allowed words */
    JX_EREQUIRED = -8,   /* a required key is missing */
    JX_EDUPLICATE = -9,  /* duplicate indicator id or metric name */
    JX_ESUM = -10,       /* maxima do not add up */
    JX_EBANDS = -11,     /* bands overlap or leave a gap */
    JX_EFORMULA = -12,   /* a formula does not parse */
    JX_EREF = -13,       /* a formula or rule names an undeclared metric */
    JX_ECYCLE = -14,     /* derived metrics depend on each other in a cycle */
    JX_EGRADES = -15,    /* grade cut-offs out of order or not reaching 0 */
    JX_ELIMIT = -16,     /* a size or nesting limit was exceeded */
    JX_ENOTFOUND = -17,  /* no metric or indicator of that name */
    JX_ELEVEL = -18,     /* a level that the metric does not declare */
    JX_EINCOMPLETE = -19,/* JX_STRICT: an input the scheme needs is missing */
    JX_EUNDEFINED = -20, /* JX_STRICT: a value could not be computed */
    JX_EUNSUPPORTED = -21/* a feature this build does not include */
} jx_code;

#define JX_ERROR_SOURCE_LENGTH 160
#define JX_ERROR_PATH_LENGTH 160
#define JX_ERROR_MESSAGE_LENGTH 320

/* Filled by a failing call. Fixed size and caller-owned, so it is
 * thread-safe and needs no freeing. Strings are always NUL-terminated and
 * may be truncated (with "...") when they do not fit. */
typedef struct jx_error {
    int code;          /* a jx_code */
    int line;          /* 1-based line in the source, 0 if not known */
    int column;        /* 1-based column in characters, 0 if not known */
    long offset;       /* 0-based byte offset in the source, -1 if not known */
    char source[JX_ERROR_SOURCE_LENGTH];   /* file name, "<string>" or "" */
    char path[JX_ERROR_PATH_LENGTH];       /* JSON path, e.g.
                                              "indicators[1].children[0].rule" */
    char message[JX_ERROR_MESSAGE_LENGTH]; /* what is wrong and what was expected */
} jx_error;

/* A short static description of a code ("unknown key", ...). Never NULL. */
JX_API const char *jx_strerror(int code);

/* Release a string the library allocated for the caller. NULL is a no-op. */
JX_API void jx_free(void *ptr);

/* ---- Schemes ------------------------------------------------------------ */

typedef struct jx_scheme jx_scheme;

/* Flags for jx_scheme_load_* and jx_input_load_*. */
#define JX_LOAD_LANG_ZH 0x1u /* (1.1) error messages in Chinese (the common
                                ones; the rest stay English); the default is
                                English. Also taken by jx_lint_* and
                                jx_input_set_messages */

/* Load a scheme from a file or a buffer. `source` names the buffer in error
 * messages (NULL gives "<string>") and is the file name a profile file named
 * by "extract" is found beside; with NULL the scheme cannot name one.
 * `flags`: 0 or JX_LOAD_LANG_ZH. Returns NULL and fills `err` on failure. The
 * scheme is checked completely: see docs/scheme-format.md. */
JX_API jx_scheme *jx_scheme_load_file(const char *path, unsigned flags, jx_error *err);
JX_API jx_scheme *jx_scheme_load_buffer(const char *buf, size_t len, const char *source,
                                        unsigned flags, jx_error *err);

/* Release a scheme. Results made from it stay valid: the scheme's memory is
 * released when the last of them is freed. NULL is a no-op. */
JX_API void jx_scheme_free(jx_scheme *s);

/* Scheme introspection. Returned strings live as long as the scheme. */
JX_API const char *jx_scheme_id(const jx_scheme *s);
JX_API const char *jx_scheme_title(const jx_scheme *s);
JX_API double jx_scheme_total(const jx_scheme *s);
JX_API int jx_scheme_precision(const jx_scheme *s);
/* "zh" or "en": the language of reasons unless jx_score is told otherwise. */
JX_API const char *jx_scheme_lang(const jx_scheme *s);
/* (1.1) The SHA-256 of the canonical scheme, as 64 lower-case hex digits.
 * Canonical: the scheme document as parsed, re-serialised as compact JSON
 * (no whitespace) with every object's keys sorted by their UTF-8 bytes,
 * strings in UTF-8 with JSON's minimal escapes, integers as integers and
 * other numbers as C's "%.17g" in the C locale with ".0" added to a whole
 * number and no '+' or leading zeros in an exponent (what jansson's
 * compact sorted dump writes), whatever the jansson version. So the
 * digest ignores layout and key order but changes with any value. An
 * extraction profile file named by "extract" is not included. Lives as
 * long as the scheme. A project's scheme (jx_projects_scheme) has the
 * digest of its generated JSON, computed the first time it is asked for
 * (from any thread); then NULL means out of memory. */
JX_API const char *jx_scheme_digest(const jx_scheme *s);

#define JX_NONE ((size_t)-1)

/* Indicators are numbered 0..count-1 in document order (depth-first, a
 * parent before its children). Out-of-range indices give NULL, 0, JX_NONE
 * or (for functions returning int) JX_EARG. */
JX_API size_t jx_scheme_indicator_count(const jx_scheme *s);
JX_API size_t jx_scheme_indicator_find(const jx_scheme *s, const char *id);
JX_API const char *jx_scheme_indicator_id(const jx_scheme *s, size_t i);
JX_API const char *jx_scheme_indicator_name(const jx_scheme *s, size_t i);
JX_API const char *jx_scheme_indicator_unit(const jx_scheme *s, size_t i); /* "" if none */
JX_API double jx_scheme_indicator_max(const jx_scheme *s, size_t i);
JX_API size_t jx_scheme_indicator_parent(const jx_scheme *s, size_t i);  /* JX_NONE at top */
JX_API int jx_scheme_indicator_depth(const jx_scheme *s, size_t i);      /* 0 at top */
JX_API int jx_scheme_indicator_is_leaf(const jx_scheme *s, size_t i);
/* The rule kind of a leaf ("deduct", "bands", ...), "" for a parent. */
JX_API const char *jx_scheme_indicator_rule(const jx_scheme *s, size_t i);

typedef enum jx_metric_type {
    JX_METRIC_NUMBER = 0,
    JX_METRIC_BOOL = 1,
    JX_METRIC_LEVEL = 2
} jx_metric_type;

/* Declared input metrics (the "metrics" section), in document order. */
JX_API size_t jx_scheme_metric_count(const jx_scheme *s);
JX_API size_t jx_scheme_metric_find(const jx_scheme *s, const char *name);
JX_API const char *jx_scheme_metric_name(const jx_scheme *s, size_t m);
JX_API const char *jx_scheme_metric_unit(const jx_scheme *s, size_t m);   /* "" if none */
JX_API int jx_scheme_metric_type(const jx_scheme *s, size_t m);           /* jx_metric_type, or JX_EARG */
JX_API size_t jx_scheme_metric_level_count(const jx_scheme *s, size_t m);
/* The metric's "description" ("" if none; 1.1). */
JX_API const char *jx_scheme_metric_description(const jx_scheme *s, size_t m);
JX_API const char *jx_scheme_metric_level(const jx_scheme *s, size_t m, size_t k);

/* Grades, best first. An override grade (one with "if_missing") has no
 * cut-off: its min is NaN. */
JX_API size_t jx_scheme_grade_count(const jx_scheme *s);
JX_API const char *jx_scheme_grade_label(const jx_scheme *s, size_t g);
JX_API double jx_scheme_grade_min(const jx_scheme *s, size_t g);

/* ---- Checking schemes (jx-lint) ----------------------------------------- */

typedef struct jx_diagnostics jx_diagnostics;

#define JX_SEVERITY_ERROR 0
#define JX_SEVERITY_WARNING 1

/* Load and check a scheme, collecting every error and warning instead of
 * stopping at the first. Warnings point at schemes that load but are
 * probably not what the author meant: a metric declared but never used, a
 * band table in which no value reaches full marks, a leaf whose rule can
 * never deduct. Returns NULL only when out of memory. */
/* `flags`: 0 or JX_LOAD_LANG_ZH (messages in Chinese, since 1.1). */
JX_API jx_diagnostics *jx_lint_file(const char *path, unsigned flags);
JX_API jx_diagnostics *jx_lint_buffer(const char *buf, size_t len, const char *source,
                                      unsigned flags);
JX_API size_t jx_diagnostics_count(const jx_diagnostics *d);
/* Counts by severity. */
JX_API size_t jx_diagnostics_errors(const jx_diagnostics *d);
JX_API size_t jx_diagnostics_warnings(const jx_diagnostics *d);
/* The k-th diagnostic in the order found, and its JX_SEVERITY_*. The
 * pointer lives as long as `d`. */
JX_API const jx_error *jx_diagnostics_get(const jx_diagnostics *d, size_t k);
JX_API int jx_diagnostics_severity(const jx_diagnostics *d, size_t k);
JX_API void jx_diagnostics_free(jx_diagnostics *d);

/* ---- Inputs ------------------------------------------------------------- */

typedef struct jx_input jx_input;

/* A new, empty set of figures for scheme `s` (every metric missing). The
 * scheme must outlive the input. NULL on out-of-memory. */
JX_API jx_input *jx_input_new(const jx_scheme *s);
JX_API void jx_input_free(jx_input *in);
/* Forget every value and not-applicable mark. */
JX_API void jx_input_clear(jx_input *in);

/* Set a metric by name. Return 0, JX_ENOTFOUND (no such metric), JX_ETYPE
 * (the metric has another type) or JX_ELEVEL (a level the metric does not
 * declare). A NaN or infinite number is accepted and makes the indicators
 * that use it "undefined", with a reason. */
JX_API int jx_input_set_number(jx_input *in, const char *metric, double value);
JX_API int jx_input_set_bool(jx_input *in, const char *metric, int value);
JX_API int jx_input_set_text(jx_input *in, const char *metric, const char *level);
/* Make a metric missing again. */
JX_API int jx_input_unset(jx_input *in, const char *metric);

/* Mark an indicator (and everything below it) not applicable, or clear the
 * mark. Return 0 or JX_ENOTFOUND. */
JX_API int jx_input_set_not_applicable(jx_input *in, const char *indicator_id);
JX_API int jx_input_clear_not_applicable(jx_input *in, const char *indicator_id);

/* (1.1) Name the entity (department, project) the figures are for; it is
 * reported as "entity" in the result JSON's audit block. NULL clears it;
 * jx_input_clear forgets it too. The string is copied. 0, JX_EARG or
 * JX_ENOMEM. */
JX_API int jx_input_set_entity(jx_input *in, const char *entity);
/* (1.1) The entity id, or NULL when none was set. */
JX_API const char *jx_input_entity(const jx_input *in);
/* (1.1) Why the last failing setter (jx_input_set_*, jx_input_unset,
 * jx_input_*_not_applicable) failed: its code and a message naming the
 * metric or indicator ("unknown metric \"x\": ..."). Success does not clear
 * it; code is 0 when no setter has failed. Lives as long as the input. */
JX_API const jx_error *jx_input_last_error(const jx_input *in);
/* (1.1) The language of jx_input_last_error's messages from now on: 0
 * (English, the default) or JX_LOAD_LANG_ZH (Chinese). jx_input_clear
 * keeps it. 0 or JX_EARG. */
JX_API int jx_input_set_messages(jx_input *in, unsigned flags);

/* Read figures from JSON: {"metrics": {"name": value, ...},
 * "not_applicable": ["id", ...], "entity": "dept-07"}; "entity" names the
 * entity (as jx_input_set_entity). Numbers for number metrics, true/false for
 * bool metrics, a declared level string for level metrics, null for missing.
 * Values are added to what `in` already holds. On error `in` is unchanged. */
/* `flags`: 0 or JX_LOAD_LANG_ZH (messages in Chinese). */
JX_API int jx_input_load_file(jx_input *in, const char *path, unsigned flags, jx_error *err);
JX_API int jx_input_load_buffer(jx_input *in, const char *buf, size_t len, const char *source,
                                unsigned flags, jx_error *err);

/* ---- Scoring ------------------------------------------------------------ */

typedef struct jx_result jx_result;

/* Flags for jx_score. */
#define JX_STRICT 0x1u   /* fail with JX_EINCOMPLETE / JX_EUNDEFINED instead of
                            scoring a missing or undefined leaf 0 */
#define JX_LANG_ZH 0x2u  /* reasons in Chinese (overrides the scheme's lang) */
#define JX_LANG_EN 0x4u  /* reasons in English (overrides the scheme's lang) */

/* Score `in` against `s`. Returns a result, or NULL and `err` on failure
 * (JX_EARG, JX_ENOMEM, or with JX_STRICT JX_EINCOMPLETE / JX_EUNDEFINED). */
JX_API jx_result *jx_score(const jx_scheme *s, const jx_input *in, unsigned flags,
                           jx_error *err);
JX_API void jx_result_free(jx_result *r);

typedef enum jx_status {
    JX_STATUS_SCORED = 0,          /* scored by its rule */
    JX_STATUS_MISSING = 1,         /* an input it needs is missing; scored 0 */
    JX_STATUS_NOT_APPLICABLE = 2,  /* marked not applicable; see the scheme's policy */
    JX_STATUS_UNDEFINED = 3        /* its value cannot be computed (x / 0, NaN,
                                      out of range); scored 0 */
} jx_status;

/* The total, rounded to the scheme's precision (after rescaling for
 * not-applicable indicators where the scheme says so). */
JX_API double jx_result_total(const jx_result *r);
/* The grade label read from the rounded total. */
JX_API const char *jx_result_grade(const jx_result *r);
JX_API size_t jx_result_grade_index(const jx_result *r);
/* 1 when every applicable leaf was scored; 0 when some were missing or
 * undefined. */
JX_API int jx_result_complete(const jx_result *r);
/* The scheme the result was made from (kept alive by the result). */
JX_API const jx_scheme *jx_result_scheme(const jx_result *r);

/* Per indicator, with the indices of jx_scheme_indicator_*. A parent's
 * score is the sum of its leaves' rounded scores; its status is the worst
 * of its leaves' (undefined > missing > scored), or not applicable when all
 * are. */
JX_API int jx_result_status(const jx_result *r, size_t i);
JX_API double jx_result_score(const jx_result *r, size_t i);
/* 1 if the indicator has a computed value (a rate, a count, ...), else 0. */
JX_API int jx_result_has_value(const jx_result *r, size_t i);
/* The value (0 when there is none), rounded as the indicator says. */
JX_API double jx_result_value(const jx_result *r, size_t i);
/* The value's unit ("%", "万元", "" if none) and the number of decimals it
 * is shown with (its "round", or the scheme's precision). For an either/or
 * leaf these are the chosen alternative's. */
JX_API const char *jx_result_value_unit(const jx_result *r, size_t i);
JX_API int jx_result_value_decimals(const jx_result *r, size_t i);
/* Why the indicator got its score, in the result's language. Never NULL;
 * lives as long as the result. */
JX_API const char *jx_result_reason(const jx_result *r, size_t i);
/* The status name: "scored", "missing", "not_applicable", "undefined". */
JX_API const char *jx_status_name(int status);

/* The whole result as JSON (UTF-8, stable key order, numbers printed with
 * the scheme's precision). Since 1.1 it has an "audit" object: "library"
 * (jx_version), "scheme" (id), "digest" (jx_scheme_digest), "entity" (the
 * input's entity id or null) and "leaves": per leaf its "id", "inputs"
 * (each metric or derived metric it read: number, true/false, level, or
 * null when missing or undefined) and "applied" (null when not applicable):
 * "rule" and, by rule, "op", "target", "per", "points", "gap", "steps",
 * "deducted", "band", "band_score", "items_not_met", "percent". `flags` is
 * 0 (reserved). Free with jx_free. NULL
 * on out-of-memory. */
JX_API char *jx_result_to_json(const jx_result *r, unsigned flags);

/* ---- Batch scoring ------------------------------------------------------ */

/* Many entities (departments, projects) in one call, from columns: the
 * results are exactly those jx_score gives one at a time (scores, statuses,
 * totals, grades), without the reasons. A workspace holds the scratch
 * memory, so nothing is allocated per entity. One workspace per thread; the
 * scheme is shared. The scheme must outlive the workspace. */
typedef struct jx_batch jx_batch;

JX_API jx_batch *jx_batch_new(const jx_scheme *s);  /* NULL on out-of-memory */
JX_API void jx_batch_free(jx_batch *b);
JX_API const jx_scheme *jx_batch_scheme(const jx_batch *b);

/* Score entities 0..n-1 of the columns.
 *
 * metrics: nmetrics (= jx_scheme_metric_count) pointers, indexed as
 *   jx_scheme_metric_find numbers metrics, each to n doubles (entity k at
 *   [k]); a NULL pointer is a column of missing values. A value is NaN for
 *   missing; a number metric's value is the number (an infinite one makes
 *   the indicators that use it undefined); a bool metric's is 0 or 1; a
 *   level metric's is the index of the level (jx_scheme_metric_level).
 * not_applicable: NULL, or nindicators (= jx_scheme_indicator_count)
 *   pointers, each NULL or to n bytes: non-zero at [k] marks the indicator
 *   (and everything under it) not applicable for entity k.
 * Outputs, each NULL when not wanted:
 *   scores:   n * indicator_count doubles, row-major (entity k, indicator i
 *             at [k * indicator_count + i]): jx_result_score
 *   statuses: n * indicator_count bytes, same layout: jx_status
 *   totals:   n doubles: jx_result_total
 *   grades:   n ints: jx_result_grade_index
 *   complete: n bytes: jx_result_complete
 *
 * Returns 0, or JX_EARG (NULL scheme or workspace, the workspace made for
 * another scheme, a column count that is not the scheme's), JX_EVALUE (a
 * bool other than 0, 1 or NaN) or JX_ELEVEL (a level value that is not an
 * index), with `err` naming the entity and metric. After a failure the
 * outputs are unspecified. */
JX_API int jx_batch_score(const jx_scheme *s, jx_batch *b, size_t n,
                          const double *const *metrics, size_t nmetrics,
                          const unsigned char *const *not_applicable, size_t nindicators,
                          double *scores, unsigned char *statuses, double *totals, int *grades,
                          unsigned char *complete, jx_error *err);

/* The same, split over `nthreads` threads (at least 1; fewer are used for
 * small n), each with its own workspace; returns when all are done. Also
 * JX_ENOMEM. */
JX_API int jx_batch_score_threads(const jx_scheme *s, int nthreads, size_t n,
                                  const double *const *metrics, size_t nmetrics,
                                  const unsigned char *const *not_applicable,
                                  size_t nindicators, double *scores, unsigned char *statuses,
                                  double *totals, int *grades, unsigned char *complete,
                                  jx_error *err);

/* Read s[0..len) as one decimal number the way jixiao reads numbers
 * everywhere ("12", "-0.5", "1.5e3"; '.' as the radix whatever the locale;
 * no spaces, no "inf" or "nan"), for programs that feed the batch API from
 * text; the nearest double, however many digits s has. Returns 0, or
 * JX_EVALUE when s is not exactly one number. */
JX_API int jx_parse_number(const char *s, size_t len, double *out);

/* Write x with `digits` decimals (0 to 12), rounded half-up as an
 * evaluator rounds the decimal x stands for (1.005 gives "1.01", 39.995
 * "40.00", where printf("%.2f") gives 1.00 and 39.99), with '.' as the
 * radix whatever the locale and never "-0.00"; "nan", "inf" or "-inf" for
 * a non-finite x. Like snprintf: returns the length of the whole text and
 * writes at most size - 1 bytes and a NUL (nothing when size is 0), so a
 * return >= size means the text was cut; 64 bytes always suffice. JX_EARG
 * for digits out of range or a NULL buf with a size. Since 1.1. */
JX_API int jx_format_number(double x, int digits, char *buf, size_t size);

/* ---- Batches from CSV (1.1) ---------------------------------------------- */

/* A CSV file of many entities read a chunk of rows at a time into the
 * columns jx_batch_score takes, and the results formatted back as CSV:
 * what jx-batch does, for any program (docs/api.md, "Batches from CSV").
 * Memory does not grow with the length of the file.
 *
 * The text (RFC 4180: quoted fields, "" for a quote, LF or CRLF line
 * breaks, UTF-8 with or without a byte-order mark) has a header row naming
 * its columns, then one row per entity:
 *   id              the entity's id (required unless JX_CSV_ID_OPTIONAL)
 *   METRIC          a metric of the scheme (jx_scheme_metric_name): an
 *                   empty cell (or only spaces) is missing; a number is
 *                   written as jx_parse_number reads it (12.5, -3, 1.5e3;
 *                   never 12,5, nan or inf); a bool is true/false (any
 *                   case), 是/否 or 1/0; a level is its name
 *   not_applicable  (optional) ids of indicators that do not apply to the
 *                   row, separated by ';'
 * Any other column name is an error; a metric without a column is missing
 * on every row. Blank lines are skipped.
 *
 *     jx_csv_reader *r = jx_csv_open_file(s, "figures.csv", 0, &err);
 *     jx_csv_chunk *c = jx_csv_chunk_new(r, 0);
 *     while ((rc = jx_csv_read(r, c, &err)) > 0) {
 *         for (size_t k = 0; k < jx_csv_chunk_bad_count(c); k++)
 *             report(jx_csv_chunk_bad(c, k));     // skipped rows
 *         jx_batch_score(s, b, jx_csv_chunk_rows(c), jx_csv_chunk_metrics(c),
 *                        jx_scheme_metric_count(s), jx_csv_chunk_not_applicable(c),
 *                        jx_scheme_indicator_count(s), scores, NULL, totals,
 *                        grades, complete, &err);
 *     }
 *     jx_csv_chunk_free(c); jx_csv_free(r);
 */
typedef struct jx_csv_reader jx_csv_reader;
typedef struct jx_csv_chunk jx_csv_chunk;

/* Flags for jx_csv_open_*. */
#define JX_CSV_STOP 0x10u        /* stop a chunk at its first bad row: the rows
                                    before it are read, those after it are not */
#define JX_CSV_ID_OPTIONAL 0x20u /* a file without an "id" column is read (every
                                    id is "") */
#define JX_CSV_CODES 0x40u       /* a bool cell may also be a number equal to 0
                                    or 1 ("1.0"), and a level cell the level's
                                    index as a number ("2", "2.0"): what pandas
                                    writes for the columns score_frame takes */

/* Reads up to `size` bytes of the text into buf: returns how many (0 at the
 * end of the text), or -1 when the text cannot be read. */
typedef long (*jx_csv_read_fn)(void *ctx, char *buf, size_t size);

/* Open a reader for scheme `s` (which must outlive it) and read the header
 * row, from a file (path), a file descriptor (read with read(2), not
 * closed), a function called for pieces of the text, or a buffer (which
 * must outlive the reader). `source` names the text in errors (NULL:
 * "<fd>", "<callback>", "<string>"). `flags`: JX_CSV_*. NULL and `err` on
 * failure: JX_EIO, JX_ENOMEM, or for the header JX_ESYNTAX (quoting), JX_EKEY
 * (a column that is neither id, not_applicable nor a metric),
 * JX_EDUPLICATE, JX_EREQUIRED (no id column), with the line and column. */
JX_API jx_csv_reader *jx_csv_open_file(const jx_scheme *s, const char *path, unsigned flags,
                                       jx_error *err);
JX_API jx_csv_reader *jx_csv_open_fd(const jx_scheme *s, int fd, const char *source,
                                     unsigned flags, jx_error *err);
JX_API jx_csv_reader *jx_csv_open_callback(const jx_scheme *s, jx_csv_read_fn read, void *ctx,
                                           const char *source, unsigned flags, jx_error *err);
JX_API jx_csv_reader *jx_csv_open_buffer(const jx_scheme *s, const char *buf, size_t len,
                                         const char *source, unsigned flags, jx_error *err);
/* Closes a file opened by jx_csv_open_file. NULL is a no-op. */
JX_API void jx_csv_free(jx_csv_reader *r);
JX_API const jx_scheme *jx_csv_scheme(const jx_csv_reader *r);
/* The source name errors give. */
JX_API const char *jx_csv_source(const jx_csv_reader *r);
/* The header: its number of columns, column k's name (NULL out of range),
 * the column of metric m (jx_scheme_metric_find numbering) or JX_NONE
 * when the file has none, and the id column or JX_NONE. */
JX_API size_t jx_csv_column_count(const jx_csv_reader *r);
JX_API const char *jx_csv_column_name(const jx_csv_reader *r, size_t k);
JX_API size_t jx_csv_metric_column(const jx_csv_reader *r, size_t m);
JX_API size_t jx_csv_id_column(const jx_csv_reader *r);
/* The physical line the next row starts on (2 after a one-line header). */
JX_API long jx_csv_line(const jx_csv_reader *r);

/* A chunk: room for up to `rows` rows of `r`'s file (0: a size chosen for
 * the scheme, up to 4096 rows in about 4 MB), used again and again. NULL on
 * out-of-memory. The reader must outlive it. */
JX_API jx_csv_chunk *jx_csv_chunk_new(const jx_csv_reader *r, size_t rows);
JX_API void jx_csv_chunk_free(jx_csv_chunk *c);
/* The number of rows the chunk has room for. */
JX_API size_t jx_csv_chunk_capacity(const jx_csv_chunk *c);

/* Read the next rows into c: their text (jx_csv_read_text), then their
 * values (jx_csv_chunk_parse). Returns 1 when rows were read (the chunk
 * may still hold no good row: all were bad or blank), 0 at the end of the
 * text, or a negative code with `err`: JX_EIO, JX_ENOMEM, JX_ELIMIT (a
 * record longer than 64 MiB). A bad row is not an error of the call: it is
 * left out of the columns and reported in jx_csv_chunk_bad. */
JX_API int jx_csv_read(jx_csv_reader *r, jx_csv_chunk *c, jx_error *err);
/* The two steps apart, so that parsing can run on other threads: the text
 * of up to capacity records (1, 0 at the end, or a negative code), then
 * their values (0 or JX_ENOMEM, with `err`). jx_csv_chunk_parse only
 * reads the reader, so chunks may be parsed on several threads while one
 * thread reads the text of the next ones. */
JX_API int jx_csv_read_text(jx_csv_reader *r, jx_csv_chunk *c, jx_error *err);
JX_API int jx_csv_chunk_parse(const jx_csv_reader *r, jx_csv_chunk *c, jx_error *err);

/* The rows read (bad and blank ones left out), and the records the chunk
 * took from the text (rows, bad rows and blank lines). */
JX_API size_t jx_csv_chunk_rows(const jx_csv_chunk *c);
JX_API size_t jx_csv_chunk_records(const jx_csv_chunk *c);
/* The bytes of text those records took, line breaks included (for
 * estimating how many rows a file holds from its size). */
JX_API size_t jx_csv_chunk_bytes(const jx_csv_chunk *c);
/* The columns for jx_batch_score: jx_scheme_metric_count pointers, each to
 * rows doubles (NaN missing, a bool 0 or 1, a level's index) or NULL for a
 * metric without a column; and jx_scheme_indicator_count pointers to rows
 * bytes (1: not applicable), NULL when no row of the chunk marked any. Valid
 * until the chunk is read again. */
JX_API const double *const *jx_csv_chunk_metrics(const jx_csv_chunk *c);
JX_API const unsigned char *const *jx_csv_chunk_not_applicable(const jx_csv_chunk *c);
/* Row k's id ("" without an id column; NULL out of range), and all ids at
 * once: rows NUL-terminated strings one after the other, *len bytes. */
JX_API const char *jx_csv_chunk_id(const jx_csv_chunk *c, size_t k);
JX_API const char *jx_csv_chunk_ids(const jx_csv_chunk *c, size_t *len);
/* The rows that could not be read, in file order: a wrong number of
 * fields or bad quoting (JX_ESYNTAX), a value that is not a number
 * (JX_EVALUE), a bool or level the metric does not have (JX_EVALUE,
 * JX_ELEVEL), an id that is not UTF-8 (JX_ESYNTAX), an unknown indicator
 * in not_applicable (JX_ENOTFOUND). Each error has the source, line and
 * column (of the field), byte offset, the column's name as its path and a
 * message saying what was expected. With JX_CSV_STOP there is at most one,
 * after every row of the chunk. */
JX_API size_t jx_csv_chunk_bad_count(const jx_csv_chunk *c);
JX_API const jx_error *jx_csv_chunk_bad(const jx_csv_chunk *c, size_t k);

/* Results as CSV: a header row "id,<indicator ids>,total,grade,complete"
 * and a row per entity (its id, each indicator's score and the total with
 * the scheme's precision, as jx_format_number writes them, the grade label,
 * and complete as 1 or 0), quoted where RFC 4180 needs it. The text
 * accumulates in the writer until cleared. */
typedef struct jx_csv_writer jx_csv_writer;

/* `flags` is 0. NULL on out-of-memory or a NULL scheme. */
JX_API jx_csv_writer *jx_csv_writer_new(const jx_scheme *s, unsigned flags);
JX_API void jx_csv_writer_free(jx_csv_writer *w);
/* Add the header row. 0 or JX_ENOMEM. */
JX_API int jx_csv_writer_header(jx_csv_writer *w);
/* Add n rows: ids (n NUL-terminated strings one after the other, as
 * jx_csv_chunk_ids gives them, or NULL for empty ids) and the outputs of
 * jx_batch_score (scores row-major, n * indicator count). A grade index out
 * of range (no grade) is written as an empty field. 0, JX_EARG or
 * JX_ENOMEM. */
JX_API int jx_csv_writer_rows(jx_csv_writer *w, size_t n, const char *ids, const double *scores,
                              const double *totals, const int *grades,
                              const unsigned char *complete);
/* The text so far (NUL-terminated, *len bytes), and forgetting it. */
JX_API const char *jx_csv_writer_text(const jx_csv_writer *w, size_t *len);
JX_API void jx_csv_writer_clear(jx_csv_writer *w);

/* The whole run, as jx-batch does it: every row of r scored and written as
 * CSV, on worker threads, with the output in file order.
 *
 *     jx_csv_counts n;
 *     int rc = jx_csv_score(r, 0, 0, 0, write_text, out, report_bad, NULL, &n, &err);
 *     // rc 0: n.rows scored, n.bad skipped; 1: stopped at a bad row; < 0: err
 *
 * The calling thread reads r's text a chunk of `rows` rows at a time (0:
 * jx_csv_chunk_new's choice) and hands finished chunks to the callbacks;
 * `threads` worker threads (0: one per online CPU; at most 64 are used)
 * parse, score and format the chunks in between (if none can be started,
 * the calling thread does their work). Memory is about threads + 2 chunks
 * (a few MB each), whatever the length of the file.
 *
 * The callbacks are called on the calling thread only, one at a time, in
 * file order, and must not use r. For each chunk: `bad` (may be NULL) with
 * each bad row (jx_csv_chunk_bad), then `write` with the chunk's results
 * (jx_csv_writer's format), never with len 0. `write` gets the header row
 * first (unless JX_CSV_NO_HEADER). Without `write` (NULL) the rows are
 * read and checked but neither scored nor written.
 *
 * Returns 0 when the text was read to its end; 1 when the run stopped at a
 * bad row, with a copy of it in `err`: with JX_CSV_STOP, at the first one
 * (the rows before it are written), or when `bad` returned nonzero (the
 * chunk holding that row, and every later one, are not written); or a
 * negative code with `err`: JX_EARG (no reader, unknown flags), JX_EIO
 * (reading the text, or `write` returned nonzero), JX_ENOMEM, JX_ELIMIT (a
 * record longer than 64 MiB). The chunks before a read error or a failure
 * are handed over first. Whatever the outcome, every thread has been
 * joined when it returns. `counts` (may be NULL) is zeroed at the start
 * and kept up to date as chunks are handed over, so a callback may read it
 * (for a progress display). Afterwards r is at an unspecified place in its
 * text: it is only good for jx_csv_free. */
typedef int (*jx_csv_write_fn)(void *ctx, const char *text, size_t len);
typedef int (*jx_csv_bad_fn)(void *ctx, const jx_error *bad);

typedef struct jx_csv_counts {
    unsigned long long rows;  /* rows read: scored and written when there is
                                 a write function */
    unsigned long long bad;   /* bad rows found (each given to `bad`) */
    unsigned long long bytes; /* text the chunks handed over took
                                 (jx_csv_chunk_bytes): against the file's
                                 size for a progress estimate */
} jx_csv_counts;

/* Flag for jx_csv_score. */
#define JX_CSV_NO_HEADER 0x80u /* write no header row (appending to an
                                  output that has one) */

JX_API int jx_csv_score(jx_csv_reader *r, unsigned threads, size_t rows, unsigned flags,
                        jx_csv_write_fn write, void *write_ctx, jx_csv_bad_fn bad,
                        void *bad_ctx, jx_csv_counts *counts, jx_error *err);

/* ---- Figures from report text ------------------------------------------ */

typedef struct jx_extraction jx_extraction;

/* Flags for jx_extract. */
#define JX_EXTRACT_NO_JIT 0x1u /* match with the interpreter even where JIT
                                  code exists (for comparisons) */

/* What was found for one metric of the profile. */
typedef enum jx_found {
    JX_FOUND = 0,       /* a value, from one or more agreeing matches */
    JX_NOT_FOUND = 1,   /* no pattern matched */
    JX_CONFLICT = 2,    /* matches disagree where the profile says they must agree */
    JX_INVALID = 3,     /* a match that is not a number, or a unit that cannot be
                           converted to the metric's */
    JX_DEFAULT = 4      /* no pattern matched; the profile's "absent" value stands
                           (a value not read from the report) */
} jx_found;

/* 1 if the scheme has an extraction profile ("extract"), else 0. */
JX_API int jx_scheme_has_extraction(const jx_scheme *s);

/* Run the scheme's extraction profile over `text` (UTF-8, `len` bytes).
 * Returns NULL and fills `err` when the scheme has no profile
 * (JX_EUNSUPPORTED), the text is not valid UTF-8 (JX_ESYNTAX, with the
 * offset, line and column), it is larger than the limit, or a pattern hits
 * the match limits (JX_ELIMIT). Thread-safe: a scheme may be used by many
 * threads at once. */
JX_API jx_extraction *jx_extract(const jx_scheme *s, const char *text, size_t len,
                                 unsigned flags, jx_error *err);
JX_API void jx_extraction_free(jx_extraction *x);

/* One entry per metric of the profile, in profile order. */
JX_API size_t jx_extraction_count(const jx_extraction *x);
JX_API const char *jx_extraction_metric(const jx_extraction *x, size_t k);
JX_API int jx_extraction_status(const jx_extraction *x, size_t k);   /* jx_found */
/* The value in the metric's unit (JX_FOUND and JX_DEFAULT; 0 otherwise). A bool
 * metric's value is 1 or 0; a level metric's is the level's index. */
JX_API double jx_extraction_value(const jx_extraction *x, size_t k);
/* The unit the value is in ("" if none). */
JX_API const char *jx_extraction_unit(const jx_extraction *x, size_t k);
/* Why a metric is JX_CONFLICT or JX_INVALID ("" otherwise). */
JX_API const char *jx_extraction_message(const jx_extraction *x, size_t k);

/* Provenance: every match that counted for metric k. */
JX_API size_t jx_extraction_match_count(const jx_extraction *x, size_t k);
/* Index of the pattern (in the metric's "patterns") that matched. */
JX_API int jx_extraction_match_pattern(const jx_extraction *x, size_t k, size_t j);
/* Byte offset, 1-based line and column (in characters) of the match. */
JX_API size_t jx_extraction_match_offset(const jx_extraction *x, size_t k, size_t j);
JX_API int jx_extraction_match_line(const jx_extraction *x, size_t k, size_t j);
JX_API int jx_extraction_match_column(const jx_extraction *x, size_t k, size_t j);
/* The matched text, and the value this match gave (in the metric's unit). */
JX_API const char *jx_extraction_match_text(const jx_extraction *x, size_t k, size_t j);
JX_API double jx_extraction_match_value(const jx_extraction *x, size_t k, size_t j);

/* Set every JX_FOUND and JX_DEFAULT metric in `in` (made for the same
 * scheme), recording where each value came from (jx_input_origin). Returns
 * the number set, or JX_EARG. */
JX_API int jx_extraction_apply(const jx_extraction *x, jx_input *in);

/* The figures as input JSON for jx_input_load_* ({"metrics": {...}}), with
 * the provenance of each under "provenance" (status "found", "default",
 * "missing", "conflict" or "invalid", and the matches) and the standard
 * figures under "standard". Free with jx_free. */
JX_API char *jx_extraction_to_json(const jx_extraction *x, unsigned flags);

/* ---- Standard report figures (1.1) --------------------------------------- */

/* Every self-evaluation report states its revenue, expenditure, budget,
 * staff and procurement in a few standard shapes. These are read for any
 * report, whatever the scheme, into a block of standard figures keyed by
 * name: 收入合计, 上年结转, 一般公共预算收入, 政府性基金收入, 其他收入,
 * 支出合计, 基本支出, 人员经费, 公用经费, 项目支出, 年初预算数,
 * 调整后预算数, 执行数, 预算执行率, 编制数, 在职人数, 三公经费预算,
 * 三公经费实际, 政府采购预算, 政府采购实际, 政府采购执行率, 项目个数,
 * 自评得分, 自评等级 (docs/extraction.md lists what each covers). The block
 * is an extraction of its own, read with the jx_extraction_* functions:
 * jx_extraction_metric gives the figure's key, jx_extraction_unit its unit
 * (万元, %, 人, 个, 分; "" for 自评等级, a level figure whose levels are
 * 优, 良, 中, 差), and every match keeps its line and column. A figure
 * stated in a flattened table has match pattern -1.
 *
 * Read the standard figures of `text` without a scheme. Errors as for
 * jx_extract. The patterns are compiled for each call (about a
 * millisecond); jx_extract reuses the ones compiled with the scheme. */
JX_API jx_extraction *jx_extract_standard(const char *text, size_t len, unsigned flags,
                                          jx_error *err);
/* The standard block of an extraction made by jx_extract (owned by `x`,
 * valid while it is), or NULL for one made by jx_extract_standard. */
JX_API const jx_extraction *jx_extraction_standard(const jx_extraction *x);

/* What a scheme still needs after an extraction: every metric of the scheme
 * that is not JX_FOUND (missing, defaulted, in conflict or invalid, or not
 * in the profile at all), with its type, unit, levels, description and
 * status, for a person to fill in. JX_WORKSHEET_CSV gives CSV (columns
 * metric, value, unit, type, levels, status, description; UTF-8 with a
 * byte-order mark for spreadsheet programs), otherwise input JSON
 * ({"metrics": {name: null, ...}, "worksheet": {...}}) that
 * jx_input_load_* reads once filled in; a value left null changes nothing.
 * Free with jx_free; NULL on out-of-memory or a NULL or standard-block `x`. */
#define JX_WORKSHEET_CSV 0x1u
JX_API char *jx_extraction_worksheet(const jx_extraction *x, unsigned flags);

/* Where an input's value of metric m (jx_scheme_metric_find) came from. */
typedef enum jx_origin {
    JX_ORIGIN_NONE = 0,    /* missing: no value */
    JX_ORIGIN_SET = 1,     /* set by a jx_input_set_* call */
    JX_ORIGIN_FILE = 2,    /* read from input JSON or a worksheet (the user's) */
    JX_ORIGIN_REPORT = 3,  /* extracted from a report: found by a pattern */
    JX_ORIGIN_DEFAULT = 4  /* the extraction profile's default ("absent") */
} jx_origin;
/* Metric m's value (a bool's 0/1, a level's index) into *value: returns 1,
 * or 0 (leaving *value) when the metric is missing, or JX_EARG. */
JX_API int jx_input_get(const jx_input *in, size_t m, double *value);
/* The origin of metric m's value (a jx_origin), or JX_EARG. */
JX_API int jx_input_origin(const jx_input *in, size_t m);
/* Where exactly: "8:24" (line:column in the report) for JX_ORIGIN_REPORT,
 * the source name given to jx_input_load_* for JX_ORIGIN_FILE, "" otherwise.
 * Lives until the metric is set again or the input is freed. */
JX_API const char *jx_input_origin_detail(const jx_input *in, size_t m);
/* ---- Project self-evaluation sheets (项目支出绩效自评表) ------------------- */
/* Since 1.1 (symbol node JIXIAO_1.1). See docs/projects.md.
 *
 * A CSV with one row per indicator of each project's 绩效目标表 (columns
 * named by JX_PROJECT_* below, in any order) is read into one scheme per
 * project, made by a rule profile (财预〔2020〕10号 unless told otherwise):
 * indicator 0 of every project's scheme is 预算执行率 (全年执行数 /
 * 全年预算数, weight 10), then the project's 一级 / 二级 / 三级 indicators.
 * Every cell is checked when reading; a bad cell fails the whole read with
 * the file, line and column in `err`, and nothing is returned. */
typedef struct jx_projects jx_projects;

/* Columns, by the header names of the national form. The first seven hold
 * the project (jx_projects_field); the others one indicator row
 * (jx_projects_row_text). */
#define JX_PROJECT_ID 0           /* 项目编号 (optional; else 项目名称 names it) */
#define JX_PROJECT_NAME 1         /* 项目名称 */
#define JX_PROJECT_DEPARTMENT 2   /* 主管部门 */
#define JX_PROJECT_AGENCY 3       /* 实施单位 */
#define JX_PROJECT_BUDGET_INITIAL 4 /* 年初预算数 (万元) */
#define JX_PROJECT_BUDGET 5       /* 全年预算数 (万元) */
#define JX_PROJECT_SPENT 6        /* 全年执行数 (万元) */
#define JX_PROJECT_LEVEL1 7       /* 一级指标 */
#define JX_PROJECT_LEVEL2 8       /* 二级指标 */
#define JX_PROJECT_LEVEL3 9       /* 三级指标 */
#define JX_PROJECT_WEIGHT 10      /* 分值 */
#define JX_PROJECT_TARGET 11      /* 年度指标值, as written: ≥500人次, ≤5%, =100%, 有效提升 */
#define JX_PROJECT_ACTUAL 12      /* 实际完成值: 520人次, 4.2%, 达成, 部分达成(70%), 不适用 */
#define JX_PROJECT_DEVIATION 13   /* 偏差原因分析及改进措施 */
#define JX_PROJECT_COLUMNS 14

/* Read projects from a CSV file or buffer (UTF-8, with or without a BOM;
 * GBK is named in the error). `profile` is the path of a rule profile
 * (a JSON file in schemes/profiles/) or NULL for the built-in mof-2020-project.
 * `flags`: 0 or JX_LOAD_LANG_ZH (the reader's messages in Chinese, since
 * 1.1; the CSV layer's and the profile's stay English). NULL and `err` on
 * failure. */
JX_API jx_projects *jx_projects_read_file(const char *path, const char *profile,
                                          unsigned flags, jx_error *err);
JX_API jx_projects *jx_projects_read_buffer(const char *buf, size_t len, const char *source,
                                            const char *profile, unsigned flags,
                                            jx_error *err);
JX_API void jx_projects_free(jx_projects *ps);
JX_API size_t jx_projects_count(const jx_projects *ps);
/* The rule profile's id and version ("mof-2020-project", "1"). */
JX_API const char *jx_projects_profile(const jx_projects *ps);
JX_API const char *jx_projects_profile_version(const jx_projects *ps);
/* The header name of a JX_PROJECT_* column, NULL if out of range. */
JX_API const char *jx_projects_column_name(int column);
/* Project k's cell of a project column (JX_PROJECT_ID .. JX_PROJECT_SPENT),
 * as written ("" when empty); NULL when out of range. */
JX_API const char *jx_projects_field(const jx_projects *ps, size_t k, int column);
/* Project k's indicator rows in file order, each cell as written, and the
 * index of the row's leaf in jx_projects_scheme(ps, k). */
JX_API size_t jx_projects_row_count(const jx_projects *ps, size_t k);
JX_API const char *jx_projects_row_text(const jx_projects *ps, size_t k, size_t j, int column);
JX_API size_t jx_projects_row_indicator(const jx_projects *ps, size_t k, size_t j);
/* Project k's generated scheme and its input (live as long as `ps`). An
 * empty 实际完成值 is a missing metric (the leaf is missing, not 0); 不适用
 * marks the leaf not applicable and the total is rescaled. */
JX_API const jx_scheme *jx_projects_scheme(const jx_projects *ps, size_t k);
JX_API const jx_input *jx_projects_input(const jx_projects *ps, size_t k);
/* Score every project (jx_score with `flags`). Returns the number of
 * projects, or a negative code with `err`; on failure the earlier results
 * are kept unchanged. */
JX_API int jx_projects_score(jx_projects *ps, unsigned flags, jx_error *err);
/* Project k's result after jx_projects_score, else NULL. */
JX_API const jx_result *jx_projects_result(const jx_projects *ps, size_t k);

#ifdef __cplusplus
}
#endif

#endif /* JIXIAO_H */
