/* The jixiao PostgreSQL extension: what its files share. */
#ifndef JXPG_H
#define JXPG_H

#include "postgres.h"

#include "jixiao.h"
#include "jxpg_api.h"

/* The library's shared object, installed beside the extension. */
#define JXPG_CORE_NAME "jixiao_core.so"

/* Compiled schemes kept per backend (jxpg_cache.c). */
#define JXPG_CACHE_SIZE 16

typedef struct jxpg_entry jxpg_entry;

/* The compiled scheme for `scheme_text`, from the cache or loaded and
 * cached. A scheme that does not load is reported with ereport(ERROR)
 * (nothing the library allocated is live by then). The scheme stays valid
 * until the next jxpg_scheme call unless the entry is pinned. */
jxpg_entry *jxpg_scheme(const text *scheme_text);
const jx_scheme *jxpg_entry_scheme(const jxpg_entry *e);
/* The entry's batch workspace, made on first use. */
jx_batch *jxpg_entry_batch(jxpg_entry *e);
/* A pinned entry is never evicted; pins nest. */
void jxpg_pin(jxpg_entry *e);
void jxpg_unpin(jxpg_entry *e);

/* Report a library error as an SQL error: the SQLSTATE from the code, the
 * message, and the JSON path, line and column in the detail. `what` says
 * which argument was wrong ("invalid scheme", ...). */
pg_attribute_noreturn() void jxpg_raise(const jx_error *err, const char *what);
/* The SQLSTATE for a jx_code. */
int jxpg_sqlstate(int code);
/* The symbolic name of a jx_code ("JX_ESYNTAX"). */
const char *jxpg_code_name(int code);

/* A numeric Datum for `v`, which the library has already rounded to
 * `decimals` places: printed exactly with that many decimals. */
Datum jxpg_numeric(double v, int decimals);

#endif
