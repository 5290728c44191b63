/* Replays inputs through a fuzz target without libFuzzer: every file named,
 * and every file in every directory named (not recursively, sorted), once.
 * Built with the target (make fuzz-replay), under ASan and UBSan, with
 * gcc or clang; a failed check or a sanitizer report stops it.
 *
 *     build/fuzz/replay-scheme fuzz/seeds/scheme build/fuzz/corpus/scheme */
#include <sys/stat.h>

#include "fuzz.h"

static size_t run_file(const char *path)
{
    size_t len;
    char *buf = fuzz_read(path, &len);
    if (!buf) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        exit(2);
    }
    /* An exact-size copy, so that ASan sees reads past the end. */
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, buf, len);
    free(buf);
    if (getenv("REPLAY_VERBOSE"))
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return 1;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 2;
        }
        if (!S_ISDIR(st.st_mode)) {
            n += run_file(argv[i]);
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d)
            return 2;
        char **names = NULL;
        size_t k = 0;
        struct dirent *ent;
        while ((ent = readdir(d))) {
            if (ent->d_name[0] == '.')
                continue;
            names = realloc(names, (k + 1) * sizeof *names);
            names[k] = malloc(strlen(argv[i]) + strlen(ent->d_name) + 2);
            sprintf(names[k], "%s/%s", argv[i], ent->d_name);
            k++;
        }
        closedir(d);
        qsort(names, k, sizeof *names, fuzz_cmp_str);
        for (size_t j = 0; j < k; j++) {
            if (stat(names[j], &st) == 0 && S_ISREG(st.st_mode))
                n += run_file(names[j]);
            free(names[j]);
        }
        free(names);
    }
    printf("%s: %zu inputs replayed, no failure\n", argv[0], n);
    return 0;
}
