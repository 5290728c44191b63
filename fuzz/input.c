/* Fuzz target: input JSON. The first byte chooses a bundled scheme
 * (the files schemes/NAME.json, sorted); the rest is a document for
 * jx_input_load_buffer, loaded into an input that already holds the
 * scheme's example figures (schemes/examples/NAME.metrics.json). A load
 * that fails must leave the input exactly as it was (same score, same
 * JSON); one that succeeds must score. */
#include "fuzz.h"

#define SOURCE "fuzz-input.json"
#define MAX_SCHEMES 32

static size_t nschemes;
static jx_scheme *schemes[MAX_SCHEMES];
static char *base[MAX_SCHEMES]; /* the example figures, or NULL */
static size_t base_len[MAX_SCHEMES];
static char *ref_json[MAX_SCHEMES]; /* the JSON of their score */

static jx_input *base_input(size_t k)
{
    jx_input *in = jx_input_new(schemes[k]);
    FUZZ_CHECK(in, "jx_input_new");
    if (base[k]) {
        jx_error e;
        FUZZ_CHECK(jx_input_load_buffer(in, base[k], base_len[k], "base", 0, &e) == 0,
                   "example figures: %s", e.message);
    }
    return in;
}

static char *score_json(size_t k, const jx_input *in)
{
    jx_error e;
    jx_result *r = jx_score(schemes[k], in, 0, &e);
    FUZZ_CHECK(r, "jx_score: %s", e.message);
    char *json = jx_result_to_json(r, 0);
    fuzz_check_text(json, 1, "jx_result_to_json");
    jx_result_free(r);
    return json;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char **paths;
    const char *dir = fuzz_schemes_dir();
    size_t n = fuzz_list(dir, ".json", NULL, &paths);
    for (size_t i = 0; i < n; i++) {
        jx_error e;
        if (nschemes < MAX_SCHEMES) {
            jx_scheme *s = jx_scheme_load_file(paths[i], 0, &e);
            if (!s) {
                fprintf(stderr, "fuzz-input: %s: %s\n", paths[i], e.message);
                exit(2);
            }
            /* schemes/NAME.json -> schemes/examples/NAME.metrics.json */
            const char *slash = strrchr(paths[i], '/');
            char ex[4096];
            snprintf(ex, sizeof ex, "%s/examples/%.*s.metrics.json", dir,
                     (int)(strlen(slash + 1) - 5), slash + 1);
            schemes[nschemes] = s;
            base[nschemes] = fuzz_read(ex, &base_len[nschemes]);
            nschemes++;
        }
        free(paths[i]);
    }
    free(paths);
    if (nschemes == 0) {
        fprintf(stderr, "fuzz-input: no schemes in %s (set JX_SCHEMES_DIR)\n", dir);
        exit(2);
    }
    for (size_t k = 0; k < nschemes; k++) {
        jx_input *in = base_input(k);
        ref_json[k] = score_json(k, in);
        jx_input_free(in);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t k = data[0] % nschemes;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    jx_input *in = base_input(k);
    jx_error e;
    memset(&e, 0x55, sizeof e);
    int rc = jx_input_load_buffer(in, buf, len, SOURCE, 0, &e);
    char *json = score_json(k, in);
    if (rc < 0) {
        FUZZ_CHECK(rc == e.code, "rc %d, e.code %d", rc, e.code);
        fuzz_check_error(&e, SOURCE, len);
        FUZZ_CHECK(strcmp(json, ref_json[k]) == 0, "a failed load (%s) changed the input",
                   e.message);
    } else {
        FUZZ_CHECK(rc == 0, "rc %d", rc);
        /* Strict scoring and English reasons work on whatever was loaded. */
        jx_result *r = jx_score(schemes[k], in, JX_STRICT | JX_LANG_EN, &e);
        if (!r)
            FUZZ_CHECK(e.code == JX_EINCOMPLETE || e.code == JX_EUNDEFINED, "strict: %d %s",
                       e.code, e.message);
        jx_result_free(r);
    }
    /* Without a jx_error: the same outcome. */
    jx_input *in2 = base_input(k);
    int rc2 = jx_input_load_buffer(in2, buf, len, SOURCE, 0, NULL);
    FUZZ_CHECK(rc2 == rc, "without a jx_error: %d, with: %d", rc2, rc);
    jx_input_free(in2);
    jx_free(json);
    jx_input_free(in);
    return 0;
}
