/* Fuzz target: scoring. Every bundled scheme (every schemes/NAME.json) is loaded
 * once; the first byte chooses one, the rest choose figures (numbers of
 * every kind, bools, levels, unset, wrong types, not-applicable marks) and
 * flags. The result is checked (finite scores within [0, max], complete
 * exactly when no leaf is missing or undefined, JX_STRICT failing exactly
 * then, reasons and JSON well-formed) and compared with the batch API's, for
 * a batch of one and for the same figures over two blocks of the batch
 * path. The schemes of tests/data/batch are scored too. */
#include "fuzz.h"

#define MAX_SCHEMES 32
#define FUZZ_BATCH_SCHEMES "tests/data/batch"

static size_t nschemes;
static jx_scheme *schemes[MAX_SCHEMES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char **paths, **more;
    const char *dir = fuzz_schemes_dir();
    size_t n = fuzz_list(dir, ".json", NULL, &paths);
    /* and the batch test's scheme with every rule kind, when it is there */
    size_t nmore = fuzz_list(FUZZ_BATCH_SCHEMES, ".json", NULL, &more);
    paths = realloc(paths, (n + nmore + 1) * sizeof *paths);
    for (size_t i = 0; i < nmore; i++)
        paths[n++] = more[i];
    free(more);
    for (size_t i = 0; i < n; i++) {
        jx_error e;
        if (nschemes < MAX_SCHEMES) {
            if (!(schemes[nschemes] = jx_scheme_load_file(paths[i], 0, &e))) {
                fprintf(stderr, "fuzz-score: %s: %s\n", paths[i], e.message);
                exit(2);
            }
            fuzz_introspect(schemes[nschemes]);
            nschemes++;
        }
        free(paths[i]);
    }
    free(paths);
    if (nschemes == 0) {
        fprintf(stderr, "fuzz-score: no schemes in %s (set JX_SCHEMES_DIR)\n", dir);
        exit(2);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    fuzz_in c = {data + 1, size - 1};
    fuzz_score_scheme(schemes[data[0] % nschemes], &c);
    return 0;
}
