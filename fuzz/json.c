/* Fuzz target: the fast JSON reader (lib/load/jsonread.c) against the full path.
 * Whatever jxi_json_read_clean accepts, the full path of jxi_json_parse
 * (UTF-8 check, nesting limit, jansson with duplicate keys refused) must
 * accept too, with the very same tree: types, values bit for bit, key
 * order. Anything the fast reader refuses goes the full path anyway.
 * And the scheme digest's canonical writer (lib/load/digest.c) hashes exactly
 * the text of jansson's compact, key-sorted dump of that tree. */
#include "fuzz.h"

#include "../lib/util/internal.h"
#include "../lib/load/jsonctx.h"
#include "../lib/load/jsonpos.h"
#include "../lib/load/load.h"
#include "../lib/util/sha256.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Equal trees: the same type, the same value (reals by their bits), the
 * same keys in the same order. */
static int same_tree(json_t *a, json_t *b)
{
    if (json_typeof(a) != json_typeof(b))
        return 0;
    switch (json_typeof(a)) {
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b))
            return 0;
        void *ia = json_object_iter(a), *ib = json_object_iter(b);
        for (; ia && ib; ia = json_object_iter_next(a, ia), ib = json_object_iter_next(b, ib)) {
            size_t na = json_object_iter_key_len(ia), nb = json_object_iter_key_len(ib);
            if (na != nb || memcmp(json_object_iter_key(ia), json_object_iter_key(ib), na) != 0
                || !same_tree(json_object_iter_value(ia), json_object_iter_value(ib)))
                return 0;
        }
        return !ia && !ib;
    }
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same_tree(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        return 1;
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b)
               && memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_INTEGER:
        return json_integer_value(a) == json_integer_value(b);
    case JSON_REAL: {
        double x = json_real_value(a), y = json_real_value(b);
        return memcmp(&x, &y, sizeof x) == 0;
    }
    default:
        return 1; /* true, false, null */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_t *fast = jxi_json_read_clean(text, size, JXI_MAX_JSON_DEPTH);
    if (!fast)
        return 0;
    FUZZ_CHECK(jxi_utf8_check(text, size) == (size_t)-1, "the fast reader took invalid UTF-8");
    FUZZ_CHECK(jxi_json_too_deep(text, size, JXI_MAX_JSON_DEPTH) < 0,
               "the fast reader took a document nested past the limit");
    json_error_t je;
    json_t *full = json_loadb(text, size, JSON_REJECT_DUPLICATES, &je);
    FUZZ_CHECK(full, "the fast reader took a document jansson refuses: %s (line %d, column %d)",
               je.text, je.line, je.column);
    FUZZ_CHECK(same_tree(fast, full), "the fast reader's tree differs from jansson's");
    char *canon = json_dumps(fast, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (canon) { /* NULL: jansson out of memory, or a NUL in a key it cannot sort */
        char want[65], got[65];
        jxi_sha256_hex(canon, strlen(canon), want);
        FUZZ_CHECK(jxi_scheme_digest_json(fast, got) == 0, "digest failed");
        FUZZ_CHECK(strcmp(want, got) == 0, "digest is not that of the canonical dump %.200s",
                   canon);
        free(canon);
    }
    json_decref(fast);
    json_decref(full);
    return 0;
}
