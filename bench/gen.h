/* Synthetic populations and schemes for bench/bench.c (not a test). */
#ifndef JIXIAO_BENCH_GEN_H
#define JIXIAO_BENCH_GEN_H

#include <stdint.h>
#include <stdio.h>

#include "jixiao.h"

/* xorshift64*: fixed seeds make runs comparable. */
uint64_t gen_rand(uint64_t *state);
double gen_unif(uint64_t *state); /* [0, 1) */

/* A population of n entities for scheme s, in batch columns: figures drawn
 * around those of `example` (an input JSON file for s: {"metrics": {...}}),
 * scaled by each entity's size, about 0.5% of them missing, and the
 * indicators the example marks not applicable (plus, rarely, any other
 * leaf) not applicable for some entities. cols[m] has n doubles; na[i] is
 * NULL or has n bytes. Returns 0, or -1 with a message on stderr. Free with
 * gen_population_free. */
typedef struct gen_population {
    size_t n, nmetrics, ninds;
    double **cols;
    unsigned char **na;
} gen_population;

int gen_population_make(const jx_scheme *s, const char *example, size_t n, uint64_t seed,
                        gen_population *p);
void gen_population_free(gen_population *p);

/* Write p as jx-batch CSV rows (bools as true/false, levels by name, a
 * not_applicable column), with ids E<first_id + k>; with `header`, the
 * header row (id first) before them. */
int gen_population_csv(const jx_scheme *s, const gen_population *p, int header,
                       size_t first_id, FILE *out);

/* A scheme with `leaves` leaves in groups of 10, every rule kind that needs
 * no level metric, as a JSON string (free with free()). */
char *gen_big_scheme(size_t leaves);

#endif
