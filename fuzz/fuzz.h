/* Shared by the fuzz targets (fuzz/NAME.c): each defines the two libFuzzer
 * entry points; built with -fsanitize=fuzzer they run under libFuzzer, and
 * linked with fuzz/replay.c they replay files and corpus directories
 * without it (make fuzz-replay). Internal headers are used freely: the
 * targets link the static library.
 *
 * A check that fails prints what and where and aborts, which libFuzzer
 * (and the replay driver under ASan) reports as a crash with the input. */
#ifndef JIXIAO_FUZZ_H
#define JIXIAO_FUZZ_H

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/internal.h"
#include "jixiao.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                       \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "\nfuzz check failed at %s:%d: %s\n  ", __FILE__,       \
                    __LINE__, #cond);                                                \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
            abort();                                                                 \
        }                                                                            \
    } while (0)

/* The bundled schemes: JX_SCHEMES_DIR, else "schemes" (the targets run
 * from the top of the tree). */
static inline const char *fuzz_schemes_dir(void)
{
    const char *d = getenv("JX_SCHEMES_DIR");
    return d && *d ? d : "schemes";
}

/* A whole file, NUL-terminated, or NULL. */
static inline char *fuzz_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    for (;;) {
        if (n == cap)
            b = realloc(b, (cap *= 2) + 1);
        size_t got = fread(b + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

static inline int fuzz_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths of dir's files ending in `suffix` (and not in `but`), sorted;
 * returns how many. */
static inline size_t fuzz_list(const char *dir, const char *suffix, const char *but,
                               char ***out)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    char **v = NULL;
    if (!d) {
        *out = NULL;
        return 0;
    }
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t l = strlen(ent->d_name), sl = strlen(suffix);
        if (l <= sl || strcmp(ent->d_name + l - sl, suffix) != 0)
            continue;
        if (but && l > strlen(but) && strcmp(ent->d_name + l - strlen(but), but) == 0)
            continue;
        v = realloc(v, (n + 1) * sizeof *v);
        v[n] = malloc(strlen(dir) + l + 2);
        sprintf(v[n], "%s/%s", dir, ent->d_name);
        n++;
    }
    closedir(d);
    qsort(v, n, sizeof *v, fuzz_cmp_str);
    *out = v;
    return n;
}

/* A failed call's jx_error: a known code, a message, positions in range,
 * and every string NUL-terminated valid UTF-8. `len` is the length of the
 * text the error may point into when its source is `source` (else
 * positions are not checked against it). */
static inline void fuzz_check_error(const jx_error *e, const char *source, size_t len)
{
    FUZZ_CHECK(e->code < 0 && e->code >= JX_EUNSUPPORTED, "code %d", e->code);
    FUZZ_CHECK(memchr(e->message, 0, sizeof e->message), "message not terminated");
    FUZZ_CHECK(memchr(e->source, 0, sizeof e->source), "source not terminated");
    FUZZ_CHECK(memchr(e->path, 0, sizeof e->path), "path not terminated");
    FUZZ_CHECK(e->message[0], "empty message for code %d", e->code);
    FUZZ_CHECK(jxi_utf8_check(e->message, strlen(e->message)) == (size_t)-1,
               "message is not UTF-8: %s", e->message);
    FUZZ_CHECK(jxi_utf8_check(e->path, strlen(e->path)) == (size_t)-1,
               "path is not UTF-8: %s", e->path);
    FUZZ_CHECK(jxi_utf8_check(e->source, strlen(e->source)) == (size_t)-1,
               "source is not UTF-8: %s", e->source);
    FUZZ_CHECK(e->line >= 0 && e->column >= 0 && e->offset >= -1, "position %d:%d @%ld",
               e->line, e->column, e->offset);
    if (source && strcmp(e->source, source) == 0)
        FUZZ_CHECK(e->offset <= (long)len, "offset %ld past the end (%zu): %s", e->offset, len,
                   e->message);
    FUZZ_CHECK(strcmp(jx_strerror(e->code), "") != 0, "no description of %d", e->code);
}

/* A string the library made: valid UTF-8 and, when `json`, a JSON object
 * that jansson reads back (integers as reals: a value of 1e24 is printed
 * as a 25-digit integer, valid JSON that jansson would refuse as an
 * integer). */
static inline void fuzz_check_text(const char *s, int json, const char *what)
{
    FUZZ_CHECK(s != NULL, "%s: NULL", what);
    FUZZ_CHECK(jxi_utf8_check(s, strlen(s)) == (size_t)-1, "%s is not UTF-8", what);
    if (json) {
        json_error_t je;
        json_t *v = json_loads(s, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &je);
        FUZZ_CHECK(v && json_is_object(v), "%s is not a JSON object: %s (%d:%d)\n%s", what,
                   je.text, je.line, je.column, s);
        json_decref(v);
    }
}

/* Bytes as a stream of choices. */
typedef struct fuzz_in {
    const uint8_t *p;
    size_t n;
} fuzz_in;

static inline unsigned fuzz_byte(fuzz_in *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

static inline double fuzz_double(fuzz_in *in)
{
    double d = 0;
    size_t k = in->n < sizeof d ? in->n : sizeof d;
    memcpy(&d, in->p, k);
    in->p += k;
    in->n -= k;
    return d;
}

/* A figure as reports and tests give them: round numbers, band edges,
 * decimals, negative, huge, tiny, infinite, NaN, or raw bits. */
static inline double fuzz_figure(fuzz_in *in)
{
    static const double edges[] = {0, 1, 5, 10, 20, 30, 50, 60, 80, 85, 90, 95, 100, 110,
                                   0.5, 0.005, 99.995, -1, 1e15, 1e300, -1e300, 1e-300};
    unsigned k = fuzz_byte(in);
    switch (k % 8) {
    case 0:
    case 1:
        return edges[fuzz_byte(in) % (sizeof edges / sizeof edges[0])];
    case 2:
    case 3:
        return (double)(fuzz_byte(in) | fuzz_byte(in) << 8) / 100.0;
    case 4:
        return -(double)fuzz_byte(in) / 10.0;
    case 5:
        return (k & 8) ? (k & 16 ? INFINITY : -INFINITY) : NAN;
    default:
        return fuzz_double(in);
    }
}

/* fuzz/common.c */
/* Every accessor of a loaded scheme, and what must hold between them. */
void fuzz_introspect(const jx_scheme *s);
/* Figures from the choices in `c`, scored with jx_score (and JX_STRICT)
 * and the batch API; the results checked and compared. */
void fuzz_score_scheme(const jx_scheme *s, fuzz_in *c);

#endif
