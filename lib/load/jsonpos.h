/* Where a JSON node stands in its source text, for error positions. The
 * JSON parser gives no positions for well-formed documents, so the text is
 * scanned again along the path, only when an error is reported. */
#ifndef JIXIAO_JSONPOS_H
#define JIXIAO_JSONPOS_H

#include <stddef.h>

#include "util/internal.h"

/* One step of a JSON path: an object key or an array index. */
typedef struct jxi_path_step {
    const char *key; /* NULL for an array index */
    size_t index;
} jxi_path_step;

#define JXI_PATH_MAX 64

typedef struct jxi_path {
    jxi_path_step steps[JXI_PATH_MAX];
    size_t depth;
    size_t overflow; /* steps pushed past JXI_PATH_MAX (not recorded) */
} jxi_path;

void jxi_path_push_key(jxi_path *p, const char *key);
void jxi_path_push_index(jxi_path *p, size_t index);
void jxi_path_pop(jxi_path *p);
/* "indicators[1].children[0].rule"; keys that are not plain words are
 * quoted: metrics["a.b"]. */
void jxi_path_format(const jxi_path *p, jxi_buf *b);

/* Where indicator i of a loaded scheme stands in its document,
 * "indicators[1].children[0]": found from the tree (each indicator's parent
 * and subtree end), so the loader keeps no path per indicator. */
struct jx_scheme;
void jxi_path_of_indicator(const struct jx_scheme *s, size_t i, jxi_path *out);

/* Byte offset of the node at `p` in the (well-formed) JSON text, or of its
 * key when `want_key` is set and the last step is a key; -1 if not found. */
long jxi_json_locate(const char *text, size_t len, const jxi_path *p, int want_key);

/* Byte offset in `text` of byte `decoded` of the string literal whose
 * opening quote is at `quote` (escapes such as \u4e2d count as the bytes
 * they decode to). -1 if the literal ends first. */
long jxi_json_string_offset(const char *text, size_t len, long quote, size_t decoded);

/* Offset of the bracket that nests deeper than `limit`, or -1. */
long jxi_json_too_deep(const char *text, size_t len, int limit);

#endif
