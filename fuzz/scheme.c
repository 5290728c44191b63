/* Fuzz target: scheme loading and checking. The bytes are a scheme
 * document for jx_scheme_load_buffer and jx_lint_buffer, which must agree
 * (the load's error is lint's first); a scheme that loads is introspected
 * and scored (choices taken from the same bytes), and its extraction
 * profile, if any, run over a short report text. */
#include "fuzz.h"

/* Relative "extract" file names resolve against this name's directory,
 * which does not exist: a fuzzed scheme cannot make the target read the
 * files of the tree it runs in. Absolute names and ".." steps are refused
 * by the library, so every error is the scheme's own: one from another
 * file means a scheme opened a file outside its directory. */
#define SOURCE "fuzz-no-such-dir/scheme.json"

static const char report[] =
    "一、部门基本情况\n本部门事业编制24名,在职人员23人。财政资金收入2,318.46万元,"
    "其中上年结转资金收入55.80万元。预算执行率为９８．５％,“三公”经费支出12.5万元。\n"
    "建立了《财务管理制度》和《资产管理制度》。个别项目绩效指标无法量化。\n"
    "二、评价结论\n综合评分91.5分,等级为优。编制8名。收入240.7亿元,办件2,863,900件。\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void run_extraction(const jx_scheme *s)
{
    jx_error e;
    jx_extraction *x = jx_extract(s, report, sizeof report - 1, 0, &e);
    if (!x) {
        fuzz_check_error(&e, NULL, 0);
        FUZZ_CHECK(e.code == JX_ELIMIT, "jx_extract on valid text: %d %s", e.code, e.message);
        return;
    }
    for (size_t k = 0; k < jx_extraction_count(x); k++) {
        FUZZ_CHECK(jx_extraction_metric(x, k), "metric");
        fuzz_check_text(jx_extraction_message(x, k), 0, "extraction message");
        for (size_t j = 0; j < jx_extraction_match_count(x, k); j++) {
            const char *t = jx_extraction_match_text(x, k, j);
            size_t off = jx_extraction_match_offset(x, k, j);
            FUZZ_CHECK(t && off + strlen(t) <= sizeof report - 1 &&
                           memcmp(report + off, t, strlen(t)) == 0,
                       "provenance of match %zu of %zu", j, k);
        }
    }
    char *json = jx_extraction_to_json(x, 0);
    fuzz_check_text(json, 1, "jx_extraction_to_json");
    jx_free(json);
    jx_input *in = jx_input_new(s);
    FUZZ_CHECK(jx_extraction_apply(x, in) >= 0, "apply");
    jx_result *r = jx_score(s, in, 0, &e);
    FUZZ_CHECK(r, "score after extraction: %s", e.message);
    jx_result_free(r);
    jx_input_free(in);
    jx_extraction_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    jx_error e;
    memset(&e, 0x55, sizeof e);
    jx_scheme *s = jx_scheme_load_buffer(buf, size, SOURCE, 0, &e);
    jx_diagnostics *d = jx_lint_buffer(buf, size, SOURCE, 0);
    FUZZ_CHECK(d, "jx_lint_buffer returned NULL");
    size_t nd = jx_diagnostics_count(d), nerr = jx_diagnostics_errors(d);
    FUZZ_CHECK(nerr + jx_diagnostics_warnings(d) == nd, "counts");
    size_t first_error = JX_NONE;
    for (size_t k = 0; k < nd; k++) {
        const jx_error *de = jx_diagnostics_get(d, k);
        int sev = jx_diagnostics_severity(d, k);
        FUZZ_CHECK(sev == JX_SEVERITY_ERROR || sev == JX_SEVERITY_WARNING, "severity %d", sev);
        if (sev == JX_SEVERITY_ERROR) {
            fuzz_check_error(de, SOURCE, size);
            FUZZ_CHECK(strcmp(de->source, SOURCE) == 0, "lint: an error from %s: %s", de->source,
                       de->message);
            if (first_error == JX_NONE)
                first_error = k;
        } else {
            FUZZ_CHECK(de->message[0], "empty warning");
        }
    }
    FUZZ_CHECK(jx_diagnostics_get(d, nd) == NULL, "diagnostic past the end");
    if (!s) {
        fuzz_check_error(&e, SOURCE, size);
        FUZZ_CHECK(strcmp(e.source, SOURCE) == 0, "an error from %s: %s", e.source, e.message);
        FUZZ_CHECK(nerr > 0, "load failed (%s) but lint found no error", e.message);
        const jx_error *de = jx_diagnostics_get(d, first_error);
        FUZZ_CHECK(de->code == e.code && !strcmp(de->message, e.message) &&
                       !strcmp(de->path, e.path) && de->offset == e.offset,
                   "load error \"%s\" at %s (%ld) but lint's first is \"%s\" at %s (%ld)",
                   e.message, e.path, e.offset, de->message, de->path, de->offset);
    } else {
        FUZZ_CHECK(nerr == 0, "scheme loads but lint found %zu errors: %s", nerr,
                   jx_diagnostics_get(d, first_error)->message);
    }
    jx_diagnostics_free(d);

    /* No error structure: the same outcome. */
    jx_scheme *s2 = jx_scheme_load_buffer(buf, size, SOURCE, 0, NULL);
    FUZZ_CHECK(!s2 == !s, "loading without a jx_error changed the outcome");
    jx_scheme_free(s2);

    if (s) {
        fuzz_introspect(s);
        fuzz_in c = {data, size};
        fuzz_score_scheme(s, &c);
        if (jx_scheme_has_extraction(s))
            run_extraction(s);
        /* A result outlives its scheme. */
        jx_input *in = jx_input_new(s);
        jx_result *r = jx_score(s, in, 0, &e);
        FUZZ_CHECK(r, "score of an empty input: %s", e.message);
        jx_input_free(in);
        jx_scheme_free(s);
        char *json = jx_result_to_json(r, 0);
        fuzz_check_text(json, 1, "result after jx_scheme_free");
        jx_free(json);
        jx_result_free(r);
    }
    return 0;
}
