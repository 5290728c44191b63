/* Fuzz target: figures from report text, with the municipal scheme's
 * profile (schemes/municipal-department-2023.json, 45 metrics). The bytes
 * are the report. Checked: invalid UTF-8 is JX_ESYNTAX at the first bad
 * byte; every match's text is the report's bytes at its offset, with a
 * plausible line and column; the interpreter (JX_EXTRACT_NO_JIT) finds
 * exactly what the JIT finds; the JSON form is well-formed and, loaded
 * with jx_input_load_buffer, scores exactly as jx_extraction_apply. */
#include "fuzz.h"

#define SCHEME "municipal-department-2023.json"

static jx_scheme *scheme;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4096];
    jx_error e;
    snprintf(path, sizeof path, "%s/%s", fuzz_schemes_dir(), SCHEME);
    if (!(scheme = jx_scheme_load_file(path, 0, &e))) {
        fprintf(stderr, "fuzz-extract: %s: %s (set JX_SCHEMES_DIR)\n", path, e.message);
        exit(2);
    }
    return 0;
}

static void same_extraction(const jx_extraction *a, const jx_extraction *b)
{
    FUZZ_CHECK(jx_extraction_count(a) == jx_extraction_count(b), "counts");
    for (size_t k = 0; k < jx_extraction_count(a); k++) {
        const char *name = jx_extraction_metric(a, k);
        FUZZ_CHECK(jx_extraction_status(a, k) == jx_extraction_status(b, k),
                   "%s: status %d with JIT, %d without", name, jx_extraction_status(a, k),
                   jx_extraction_status(b, k));
        double va = jx_extraction_value(a, k), vb = jx_extraction_value(b, k);
        FUZZ_CHECK(va == vb || (isnan(va) && isnan(vb)), "%s: value %.17g with JIT, %.17g without",
                   name, va, vb);
        FUZZ_CHECK(strcmp(jx_extraction_message(a, k), jx_extraction_message(b, k)) == 0,
                   "%s: messages differ", name);
        size_t n = jx_extraction_match_count(a, k);
        FUZZ_CHECK(n == jx_extraction_match_count(b, k), "%s: %zu matches with JIT, %zu without",
                   name, n, jx_extraction_match_count(b, k));
        for (size_t j = 0; j < n; j++) {
            FUZZ_CHECK(jx_extraction_match_offset(a, k, j) == jx_extraction_match_offset(b, k, j) &&
                           jx_extraction_match_pattern(a, k, j) ==
                               jx_extraction_match_pattern(b, k, j) &&
                           strcmp(jx_extraction_match_text(a, k, j),
                                  jx_extraction_match_text(b, k, j)) == 0,
                       "%s: match %zu differs", name, j);
        }
    }
}

static void check_extraction(const jx_extraction *x, const char *text, size_t len)
{
    size_t n = jx_extraction_count(x);
    for (size_t k = 0; k < n; k++) {
        const char *name = jx_extraction_metric(x, k);
        FUZZ_CHECK(name && jx_scheme_metric_find(scheme, name) != JX_NONE, "metric %zu", k);
        int st = jx_extraction_status(x, k);
        FUZZ_CHECK(st >= JX_FOUND && st <= JX_DEFAULT, "status %d", st);
        double v = jx_extraction_value(x, k);
        FUZZ_CHECK(st != JX_FOUND || isfinite(v), "%s: found value %g is not finite", name, v);
        FUZZ_CHECK(st != JX_DEFAULT || isfinite(v), "%s: default value %g is not finite", name, v);
        /* "found" is a claim about the text: it needs a match; a default has none. */
        FUZZ_CHECK(st != JX_FOUND || jx_extraction_match_count(x, k) >= 1,
                   "%s: found without a match", name);
        FUZZ_CHECK(st != JX_DEFAULT || jx_extraction_match_count(x, k) == 0,
                   "%s: default with %zu matches", name, jx_extraction_match_count(x, k));
        FUZZ_CHECK(jx_extraction_unit(x, k), "unit");
        const char *msg = jx_extraction_message(x, k);
        FUZZ_CHECK(msg, "message");
        fuzz_check_text(msg, 0, "extraction message");
        FUZZ_CHECK((st == JX_CONFLICT || st == JX_INVALID) == (msg[0] != 0),
                   "%s: status %d with message \"%s\"", name, st, msg);
        for (size_t j = 0; j < jx_extraction_match_count(x, k); j++) {
            const char *t = jx_extraction_match_text(x, k, j);
            size_t off = jx_extraction_match_offset(x, k, j);
            FUZZ_CHECK(t && off <= len && strlen(t) <= len - off &&
                           memcmp(text + off, t, strlen(t)) == 0,
                       "%s: match %zu is not the text at its offset %zu", name, j, off);
            int line = jx_extraction_match_line(x, k, j), col = jx_extraction_match_column(x, k, j);
            int l2, c2;
            jxi_line_column(text, len, off, &l2, &c2);
            FUZZ_CHECK(line == l2 && col == c2, "%s: match at %d:%d, the text says %d:%d", name,
                       line, col, l2, c2);
            FUZZ_CHECK(jx_extraction_match_pattern(x, k, j) >= 0, "pattern index");
        }
        FUZZ_CHECK(jx_extraction_match_text(x, k, jx_extraction_match_count(x, k)) == NULL,
                   "match past the end");
    }
    FUZZ_CHECK(jx_extraction_metric(x, n) == NULL, "metric past the end");
}

static char *score_json(const jx_input *in)
{
    jx_error e;
    jx_result *r = jx_score(scheme, in, 0, &e);
    FUZZ_CHECK(r, "jx_score: %s", e.message);
    char *json = jx_result_to_json(r, 0);
    fuzz_check_text(json, 1, "jx_result_to_json");
    jx_result_free(r);
    return json;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    jx_error e;
    memset(&e, 0x55, sizeof e);
    size_t bad = jxi_utf8_check(text, size);
    jx_extraction *x = jx_extract(scheme, text, size, 0, &e);
    if (!x) {
        fuzz_check_error(&e, NULL, 0);
        if (bad != (size_t)-1)
            FUZZ_CHECK(e.code == JX_ESYNTAX && e.offset == (long)bad, "bad UTF-8 at %zu: %d @%ld",
                       bad, e.code, e.offset);
        else
            FUZZ_CHECK(e.code == JX_ELIMIT, "valid text refused: %d %s", e.code, e.message);
        return 0;
    }
    FUZZ_CHECK(bad == (size_t)-1, "invalid UTF-8 accepted");
    check_extraction(x, text, size);

    jx_extraction *y = jx_extract(scheme, text, size, JX_EXTRACT_NO_JIT, &e);
    if (y) {
        same_extraction(x, y);
        jx_extraction_free(y);
    } else {
        FUZZ_CHECK(e.code == JX_ELIMIT, "without JIT: %d %s", e.code, e.message);
    }

    char *json = jx_extraction_to_json(x, 0);
    fuzz_check_text(json, 1, "jx_extraction_to_json");
    jx_input *a = jx_input_new(scheme), *b = jx_input_new(scheme);
    int napplied = jx_extraction_apply(x, a);
    FUZZ_CHECK(napplied >= 0, "apply: %d", napplied);
    int rc = jx_input_load_buffer(b, json, strlen(json), "extraction.json", 0, &e);
    FUZZ_CHECK(rc == 0, "the extraction's JSON does not load: %s\n%s", e.message, json);
    char *ja = score_json(a), *jb = score_json(b);
    FUZZ_CHECK(strcmp(ja, jb) == 0, "applied and JSON-loaded figures score differently:\n%s\n%s",
               ja, jb);
    jx_free(ja);
    jx_free(jb);
    jx_free(json);
    jx_input_free(a);
    jx_input_free(b);
    jx_extraction_free(x);
    return 0;
}
