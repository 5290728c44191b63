/* The library's allocator: one place through which every allocation goes. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *jxi_malloc(size_t n)
{
    return malloc(n ? n : 1);
}

void *jxi_calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

void *jxi_realloc(void *p, size_t n)
{
    return realloc(p, n ? n : 1);
}

void jxi_free(void *p)
{
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
