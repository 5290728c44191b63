/* The scheme digest: SHA-256 of the canonical form of the scheme document
 * (see jx_scheme_digest in jixiao.h). Lives with the loading code because
 * it needs the parsed JSON tree. */
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "scheme.h"
#include "sha256.h"

static int put_json(const char *s, size_t n, void *data)
{
    jxi_buf *b = data;
    jxi_buf_append(b, s, n);
    return b->failed ? -1 : 0;
}

/* Sorted keys and no whitespace make the digest independent of layout and
 * key order; jansson prints numbers without the process locale. The text
 * goes into the library's own buffer: a json_dumps string would come from
 * jansson's allocator, which the caller may have replaced. */
int jxi_scheme_digest_json(const json_t *root, char out[65])
{
    jxi_buf b;
    jxi_buf_init(&b);
    int rc = json_dump_callback(root, put_json, &b, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (rc != 0 || b.failed) {
        jxi_buf_free(&b);
        return JX_ENOMEM;
    }
    jxi_sha256_hex(b.data ? b.data : "", b.len, out);
    jxi_buf_free(&b);
    return 0;
}
