/* The library's allocator: one place through which every allocation goes
 * (pcre2's too, through a general context; jansson's do not: its allocator
 * is process-global and belongs to the host).
 *
 * Built with -DJX_ALLOC_TESTING (only the test copies of the library that
 * `make check-alloc` and `make coverage` build, never the installed one) it
 * also counts allocations, counts the blocks still live, and makes a chosen
 * allocation fail: see internal.h.
 * The normal build has no state here at all. */
#include <stdlib.h>
#include <string.h>

#include "util/internal.h"

#ifdef JX_ALLOC_TESTING
#include <stdatomic.h>

/* Atomics: the batch API allocates from several threads. */
static atomic_long alloc_seen;    /* allocations since jxi_alloc_fail_after */
static atomic_long alloc_fail_at; /* the allocation that fails; 0: none */
static atomic_int alloc_persist;  /* every one after it fails too */
static atomic_long alloc_failed;  /* failures injected */
static atomic_long alloc_live;    /* blocks allocated and not freed */

void jxi_alloc_fail_after(long n, int persist)
{
    atomic_store(&alloc_fail_at, 0);
    atomic_store(&alloc_seen, 0);
    atomic_store(&alloc_failed, 0);
    atomic_store(&alloc_persist, persist ? 1 : 0);
    atomic_store(&alloc_fail_at, n > 0 ? n : 0);
}

long jxi_alloc_count(void)
{
    return atomic_load(&alloc_seen);
}

long jxi_alloc_failures(void)
{
    return atomic_load(&alloc_failed);
}

long jxi_alloc_live(void)
{
    return atomic_load(&alloc_live);
}

/* One allocation: 1 if it must fail. */
static int alloc_must_fail(void)
{
    long k = atomic_fetch_add(&alloc_seen, 1) + 1;
    long at = atomic_load(&alloc_fail_at);
    if (at > 0 && (k == at || (k > at && atomic_load(&alloc_persist)))) {
        atomic_fetch_add(&alloc_failed, 1);
        return 1;
    }
    return 0;
}

#define JXI_MUST_FAIL() alloc_must_fail()
#define JXI_LIVE(d) atomic_fetch_add(&alloc_live, (d))
#else
#define JXI_MUST_FAIL() 0
#define JXI_LIVE(d) ((void)0)
#endif

void *jxi_malloc(size_t n)
{
    if (JXI_MUST_FAIL())
        return NULL;
    void *p = malloc(n ? n : 1);
    if (p)
        JXI_LIVE(1);
    return p;
}

void *jxi_calloc(size_t n, size_t size)
{
    if (JXI_MUST_FAIL())
        return NULL;
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p)
        JXI_LIVE(1);
    return p;
}

void *jxi_realloc(void *p, size_t n)
{
    if (JXI_MUST_FAIL())
        return NULL;
    void *q = realloc(p, n ? n : 1);
    if (q && !p)
        JXI_LIVE(1);
    return q;
}

void jxi_free(void *p)
{
    if (p)
        JXI_LIVE(-1);
    free(p);
}

char *jxi_strndup(const char *s, size_t n)
{
    char *d = jxi_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *jxi_strdup(const char *s)
{
    return jxi_strndup(s, strlen(s));
}

JX_API void jx_free(void *ptr)
{
    jxi_free(ptr);
}

/* File-scope names of this file stay here in a single-file build. */
#undef JXI_MUST_FAIL
#undef JXI_LIVE
