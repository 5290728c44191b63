/* The library's functions, called through pointers into the library's own
 * shared object (jxpg_lib.c says why). Included after jixiao.h by jxpg.h:
 * the extension's code calls jx_score(...) as any program would. */
#ifndef JXPG_API_H
#define JXPG_API_H

#define JXPG_FUNCTIONS(X)                                                                      \
    X(jx_strerror) X(jx_free) X(jx_scheme_load_buffer) X(jx_scheme_free)                       \
    X(jx_scheme_precision) X(jx_scheme_indicator_count) X(jx_scheme_indicator_find)            \
    X(jx_scheme_metric_count) X(jx_scheme_metric_name) X(jx_scheme_metric_type)                \
    X(jx_scheme_metric_level_count) X(jx_scheme_metric_level) X(jx_scheme_grade_count)         \
    X(jx_scheme_grade_label) X(jx_lint_buffer) X(jx_diagnostics_count) X(jx_diagnostics_get)   \
    X(jx_diagnostics_severity) X(jx_diagnostics_free) X(jx_input_new) X(jx_input_free)         \
    X(jx_input_load_buffer) X(jx_score) X(jx_result_free) X(jx_result_total)                   \
    X(jx_result_grade) X(jx_result_to_json) X(jx_batch_new) X(jx_batch_free)                   \
    X(jx_batch_score) X(jx_parse_number)

#define JXPG_POINTER(name) __typeof__(&name) name;
typedef struct jxpg_api {
    JXPG_FUNCTIONS(JXPG_POINTER)
} jxpg_api;
#undef JXPG_POINTER

/* Filled by jxpg_load; every call goes through it. */
extern jxpg_api jxpg_lib;
/* Load the library once per backend; ereport(ERROR) if it cannot be. */
void jxpg_load(void);

#ifndef JXPG_NO_REDIRECT
#define jx_strerror (jxpg_lib.jx_strerror)
#define jx_free (jxpg_lib.jx_free)
#define jx_scheme_load_buffer (jxpg_lib.jx_scheme_load_buffer)
#define jx_scheme_free (jxpg_lib.jx_scheme_free)
#define jx_scheme_precision (jxpg_lib.jx_scheme_precision)
#define jx_scheme_indicator_count (jxpg_lib.jx_scheme_indicator_count)
#define jx_scheme_indicator_find (jxpg_lib.jx_scheme_indicator_find)
#define jx_scheme_metric_count (jxpg_lib.jx_scheme_metric_count)
#define jx_scheme_metric_name (jxpg_lib.jx_scheme_metric_name)
#define jx_scheme_metric_type (jxpg_lib.jx_scheme_metric_type)
#define jx_scheme_metric_level_count (jxpg_lib.jx_scheme_metric_level_count)
#define jx_scheme_metric_level (jxpg_lib.jx_scheme_metric_level)
#define jx_scheme_grade_count (jxpg_lib.jx_scheme_grade_count)
#define jx_scheme_grade_label (jxpg_lib.jx_scheme_grade_label)
#define jx_lint_buffer (jxpg_lib.jx_lint_buffer)
#define jx_diagnostics_count (jxpg_lib.jx_diagnostics_count)
#define jx_diagnostics_get (jxpg_lib.jx_diagnostics_get)
#define jx_diagnostics_severity (jxpg_lib.jx_diagnostics_severity)
#define jx_diagnostics_free (jxpg_lib.jx_diagnostics_free)
#define jx_input_new (jxpg_lib.jx_input_new)
#define jx_input_free (jxpg_lib.jx_input_free)
#define jx_input_load_buffer (jxpg_lib.jx_input_load_buffer)
#define jx_score (jxpg_lib.jx_score)
#define jx_result_free (jxpg_lib.jx_result_free)
#define jx_result_total (jxpg_lib.jx_result_total)
#define jx_result_grade (jxpg_lib.jx_result_grade)
#define jx_result_to_json (jxpg_lib.jx_result_to_json)
#define jx_batch_new (jxpg_lib.jx_batch_new)
#define jx_batch_free (jxpg_lib.jx_batch_free)
#define jx_batch_score (jxpg_lib.jx_batch_score)
#define jx_parse_number (jxpg_lib.jx_parse_number)
#endif

#endif
