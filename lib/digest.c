/* The scheme digest: SHA-256 of the canonical form of the scheme document
 * (see jx_scheme_digest in jixiao.h). Lives with the loading code because
 * it needs the parsed JSON tree. */
#include <string.h>

#include <jansson.h>

#include "scheme.h"
#include "sha256.h"

/* Sorted keys and no whitespace make the digest independent of layout and
 * key order; jansson prints numbers without the process locale. */
int jxi_scheme_digest_json(const json_t *root, char out[65])
{
    char *canon = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (!canon)
        return JX_ENOMEM;
    jxi_sha256_hex(canon, strlen(canon), out);
    free(canon);
    return 0;
}
