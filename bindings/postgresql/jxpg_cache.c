/* Per-backend cache of compiled schemes, keyed by the SHA-256 of the
 * scheme text; library errors as SQL errors; numbers as numeric. */
#include "jxpg.h"

#include <math.h>
#include <string.h>

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"

PG_MODULE_MAGIC;

struct jxpg_entry {
    bool used;
    uint8 key[PG_SHA256_DIGEST_LENGTH];
    Size len;       /* of the scheme text, a second check on the key */
    jx_scheme *scheme;
    jx_batch *batch;
    uint64 stamp;   /* last use, for least-recently-used eviction */
    int pins;
};

/* The backend is single-threaded: one cache per process, in static memory,
 * so that nothing in it depends on a memory context's lifetime. */
static jxpg_entry cache[JXPG_CACHE_SIZE];
static uint64 clock_now;
static int64 hits, misses, evictions;

static void digest(const char *data, Size len, uint8 *out)
{
    pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
    if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
        pg_cryptohash_update(ctx, (const uint8 *)data, len) < 0 ||
        pg_cryptohash_final(ctx, out, PG_SHA256_DIGEST_LENGTH) < 0) {
        const char *why = ctx ? pg_cryptohash_error(ctx) : "out of memory";
        pg_cryptohash_free(ctx);
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("jixiao: could not compute the SHA-256 of a scheme: %s", why)));
    }
    pg_cryptohash_free(ctx);
}

static void entry_clear(jxpg_entry *e)
{
    /* The workspace refers to the scheme: it goes first. */
    jx_batch_free(e->batch);
    jx_scheme_free(e->scheme);
    memset(e, 0, sizeof *e);
}

jxpg_entry *jxpg_scheme(const text *scheme_text)
{
    const char *data = VARDATA_ANY(scheme_text);
    Size len = VARSIZE_ANY_EXHDR(scheme_text);
    uint8 key[PG_SHA256_DIGEST_LENGTH];
    jxpg_entry *slot = NULL;
    jx_error err;

    jxpg_load();
    digest(data, len, key);
    for (int k = 0; k < JXPG_CACHE_SIZE; k++) {
        jxpg_entry *e = &cache[k];
        if (e->used && e->len == len && memcmp(e->key, key, sizeof key) == 0) {
            e->stamp = ++clock_now;
            hits++;
            return e;
        }
    }
    misses++;
    for (int k = 0; k < JXPG_CACHE_SIZE; k++) {
        jxpg_entry *e = &cache[k];
        if (!e->used) {
            slot = e;
            break;
        }
        if (e->pins == 0 && (slot == NULL || e->stamp < slot->stamp))
            slot = e;
    }
    if (slot == NULL)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("jixiao: more than %d schemes in use at once", JXPG_CACHE_SIZE),
                        errdetail("Each scheme being scored by a running jx_score_rows call "
                                  "holds a place in the per-backend cache.")));
    if (slot->used) {
        entry_clear(slot);
        evictions++;
    }
    /* No source name: a scheme from the database cannot name a profile
     * file, so no file of the server is ever read through it. */
    jx_scheme *s = jx_scheme_load_buffer(data, len, NULL, 0, &err);
    if (s == NULL)
        jxpg_raise(&err, "invalid scheme");
    slot->used = true;
    memcpy(slot->key, key, sizeof key);
    slot->len = len;
    slot->scheme = s;
    slot->stamp = ++clock_now;
    return slot;
}

const jx_scheme *jxpg_entry_scheme(const jxpg_entry *e)
{
    return e->scheme;
}

jx_batch *jxpg_entry_batch(jxpg_entry *e)
{
    if (e->batch == NULL) {
        e->batch = jx_batch_new(e->scheme);
        if (e->batch == NULL)
            ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
                            errmsg("jixiao: out of memory making a batch workspace")));
    }
    return e->batch;
}

void jxpg_pin(jxpg_entry *e)
{
    e->pins++;
}

void jxpg_unpin(jxpg_entry *e)
{
    if (e->pins > 0)
        e->pins--;
}

/* ---- Errors ----------------------------------------------------------- */

static const char *const code_names[] = {
    "JX_OK", "JX_ENOMEM", "JX_EARG", "JX_EIO", "JX_ESYNTAX", "JX_EKEY", "JX_ETYPE",
    "JX_EVALUE", "JX_EREQUIRED", "JX_EDUPLICATE", "JX_ESUM", "JX_EBANDS", "JX_EFORMULA",
    "JX_EREF", "JX_ECYCLE", "JX_EGRADES", "JX_ELIMIT", "JX_ENOTFOUND", "JX_ELEVEL",
    "JX_EINCOMPLETE", "JX_EUNDEFINED", "JX_EUNSUPPORTED"};

const char *jxpg_code_name(int code)
{
    int k = -code;
    if (k < 0 || k >= (int)lengthof(code_names))
        return "JX_E?";
    return code_names[k];
}

int jxpg_sqlstate(int code)
{
    switch (code) {
    case JX_ENOMEM:
        return ERRCODE_OUT_OF_MEMORY;                  /* 53200 */
    case JX_ESYNTAX:
        return ERRCODE_INVALID_TEXT_REPRESENTATION;    /* 22P02 */
    case JX_ELIMIT:
        return ERRCODE_PROGRAM_LIMIT_EXCEEDED;         /* 54000 */
    case JX_EIO:
        return ERRCODE_IO_ERROR;                       /* 58030 */
    case JX_EUNSUPPORTED:
        return ERRCODE_FEATURE_NOT_SUPPORTED;          /* 0A000 */
    case JX_EINCOMPLETE:
    case JX_EUNDEFINED:
        return ERRCODE_DATA_EXCEPTION;                 /* 22000 */
    default:
        return ERRCODE_INVALID_PARAMETER_VALUE;        /* 22023 */
    }
}

void jxpg_raise(const jx_error *err, const char *what)
{
    /* `err` is caller-owned fixed storage: nothing to free here. */
    char where[JX_ERROR_PATH_LENGTH + 64];
    int n = 0;
    where[0] = '\0';
    if (err->path[0])
        n += snprintf(where + n, sizeof where - n, "at %s", err->path);
    if (err->line > 0)
        n += snprintf(where + n, sizeof where - n, "%sline %d, column %d", n ? ", " : "",
                      err->line, err->column);
    if (n)
        ereport(ERROR, (errcode(jxpg_sqlstate(err->code)),
                        errmsg("jixiao: %s: %s", what, err->message),
                        errdetail("%s (%s: %s).", where, jxpg_code_name(err->code),
                                  jx_strerror(err->code))));
    ereport(ERROR, (errcode(jxpg_sqlstate(err->code)),
                    errmsg("jixiao: %s: %s", what, err->message),
                    errdetail("%s: %s.", jxpg_code_name(err->code), jx_strerror(err->code))));
    pg_unreachable();
}

/* ---- Numbers ---------------------------------------------------------- */

Datum jxpg_numeric(double v, int decimals)
{
    char buf[64];
    if (decimals < 0 || decimals > 9 || !isfinite(v) || fabs(v) >= 1e15 / pow(10, decimals))
        return DirectFunctionCall1(float8_numeric, Float8GetDatum(v));
    /* v is already rounded to `decimals` places: the nearest integer of
     * the scaled value is its exact decimal digits, with no locale and no
     * second rounding. */
    long long scaled = llround(v * pow(10, decimals));
    unsigned long long mag = scaled < 0 ? (unsigned long long)(-scaled) : (unsigned long long)scaled;
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", mag);
    int p = 0;
    if (scaled < 0)
        buf[p++] = '-';
    if (nd <= decimals) {
        buf[p++] = '0';
        if (decimals) {
            buf[p++] = '.';
            for (int k = nd; k < decimals; k++)
                buf[p++] = '0';
            memcpy(buf + p, digits, nd);
            p += nd;
        }
    } else {
        memcpy(buf + p, digits, nd - decimals);
        p += nd - decimals;
        if (decimals) {
            buf[p++] = '.';
            memcpy(buf + p, digits + nd - decimals, decimals);
            p += decimals;
        }
    }
    buf[p] = '\0';
    return DirectFunctionCall3(numeric_in, CStringGetDatum(buf), ObjectIdGetDatum(InvalidOid),
                               Int32GetDatum(-1));
}

/* ---- SQL: jx_cache_info() --------------------------------------------- */

PG_FUNCTION_INFO_V1(jxpg_sql_cache_info);
Datum jxpg_sql_cache_info(PG_FUNCTION_ARGS)
{
    int used = 0;
    char buf[256];
    for (int k = 0; k < JXPG_CACHE_SIZE; k++)
        used += cache[k].used;
    snprintf(buf, sizeof buf,
             "{\"capacity\": %d, \"entries\": %d, \"hits\": " INT64_FORMAT
             ", \"misses\": " INT64_FORMAT ", \"evictions\": " INT64_FORMAT "}",
             JXPG_CACHE_SIZE, used, hits, misses, evictions);
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf)));
}
