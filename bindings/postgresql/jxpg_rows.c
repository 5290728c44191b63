/* jx_score_rows(scheme text, query text): every row of a query scored with
 * the library's batch path (jx_batch_score, single-threaded), in chunks of
 * JXPG_CHUNK rows read through an SPI cursor.
 *
 * The query's first column is the row's id (any type, returned as text).
 * The rest is either one jsonb column holding an input document
 * ({"metrics": {...}, "not_applicable": [...]}), or one column per metric,
 * named as the scheme names it (numeric, integer, float, boolean or text
 * columns). NULL is a missing value. */
#include "jxpg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#define JXPG_CHUNK 4096

/* A name from the scheme, for lookups by (bytes, length). */
typedef struct name_ref {
    const char *s;
    int len;
    int index;
} name_ref;

typedef struct rows_state {
    const jx_scheme *s;
    jx_batch *b;
    size_t nm, ni;
    name_ref *metrics;      /* sorted for bsearch */
    double **cols;          /* nm columns of JXPG_CHUNK values */
    unsigned char **na;     /* ni columns, made on first use */
    unsigned char *na_mem;
    /* column mode: metric index of each query column (-1: the id) */
    int *col_metric;
    bool json_mode;
    int64 row;              /* 1-based number of the row being read */
    char *row_id;           /* its id as text, for messages */
} rows_state;

static int name_cmp(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->s, y->s, x->len);
}

static int metric_find(const rows_state *st, const char *s, int len)
{
    name_ref key = {s, len, 0};
    const name_ref *hit = bsearch(&key, st->metrics, st->nm, sizeof key, name_cmp);
    return hit ? hit->index : -1;
}

pg_attribute_noreturn() pg_attribute_printf(3, 4) static void row_fail(const rows_state *st, const char *path, const char *fmt, ...);

static void row_fail(const rows_state *st, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    pg_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("jixiao: row " INT64_FORMAT "%s%s%s: %s", st->row,
                           st->row_id ? " (id " : "", st->row_id ? st->row_id : "",
                           st->row_id ? ")" : "", msg),
                    path ? errdetail("at %s", path) : 0));
}

static double number_from_numeric(const rows_state *st, Numeric n, const char *path)
{
    char *txt = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
    double v;
    /* The decimal text, read by the library's locale-free reader: exactly
     * what jx_input_load_buffer reads from the same digits. */
    if (jx_parse_number(txt, strlen(txt), &v) == 0)
        return v;
    if (strcmp(txt, "Infinity") == 0)
        return INFINITY;
    if (strcmp(txt, "-Infinity") == 0)
        return -INFINITY;
    row_fail(st, path, "\"%s\" is not a number the scheme can score (NULL is a missing value)", txt);
}

static double level_index(const rows_state *st, int m, const char *s, int len, const char *path)
{
    size_t n = jx_scheme_metric_level_count(st->s, m);
    StringInfoData all;
    for (size_t k = 0; k < n; k++) {
        const char *lv = jx_scheme_metric_level(st->s, m, k);
        if ((int)strlen(lv) == len && memcmp(lv, s, len) == 0)
            return (double)k;
    }
    initStringInfo(&all);
    for (size_t k = 0; k < n; k++)
        appendStringInfo(&all, "%s%s", k ? ", " : "", jx_scheme_metric_level(st->s, m, k));
    row_fail(st, path, "\"%.*s\" is not a level of metric \"%s\"; expected one of: %s", len, s,
             jx_scheme_metric_name(st->s, m), all.data);
}

static const char *jbv_type_name(const JsonbValue *v)
{
    switch (v->type) {
    case jbvNull: return "null";
    case jbvString: return "a string";
    case jbvNumeric: return "a number";
    case jbvBool: return "a boolean";
    case jbvBinary:
        return JsonContainerIsArray(v->val.binary.data) ? "an array" : "an object";
    default: return "a value";
    }
}

/* One metric's value from a jsonb document into the chunk's column. */
static void json_metric(rows_state *st, int k, const JsonbValue *key, const JsonbValue *v)
{
    char path[256];
    int m = metric_find(st, key->val.string.val, key->val.string.len);
    snprintf(path, sizeof path, "metrics.%.*s", key->val.string.len, key->val.string.val);
    if (m < 0)
        row_fail(st, path, "unknown metric \"%.*s\": the scheme does not declare it (or it is "
                           "derived)", key->val.string.len, key->val.string.val);
    if (v->type == jbvNull) {
        st->cols[m][k] = NAN;
        return;
    }
    switch (jx_scheme_metric_type(st->s, m)) {
    case JX_METRIC_NUMBER:
        if (v->type != jbvNumeric)
            row_fail(st, path, "metric \"%s\" takes a number, found %s",
                     jx_scheme_metric_name(st->s, m), jbv_type_name(v));
        st->cols[m][k] = number_from_numeric(st, v->val.numeric, path);
        break;
    case JX_METRIC_BOOL:
        if (v->type != jbvBool)
            row_fail(st, path, "metric \"%s\" takes true or false, found %s",
                     jx_scheme_metric_name(st->s, m), jbv_type_name(v));
        st->cols[m][k] = v->val.boolean ? 1 : 0;
        break;
    default:
        if (v->type != jbvString)
            row_fail(st, path, "metric \"%s\" takes one of its levels (a string), found %s",
                     jx_scheme_metric_name(st->s, m), jbv_type_name(v));
        st->cols[m][k] = level_index(st, m, v->val.string.val, v->val.string.len, path);
        break;
    }
}

static void mark_not_applicable(rows_state *st, int k, const JsonbValue *id, int pos)
{
    char path[64];
    snprintf(path, sizeof path, "not_applicable[%d]", pos);
    if (id->type != jbvString)
        row_fail(st, path, "expected an indicator id (a string), found %s", jbv_type_name(id));
    char *s = pnstrdup(id->val.string.val, id->val.string.len);
    size_t i = jx_scheme_indicator_find(st->s, s);
    if (i == JX_NONE)
        row_fail(st, path, "no indicator has id \"%s\"", s);
    if (st->na_mem == NULL) {
        st->na_mem = MemoryContextAllocZero(GetMemoryChunkContext(st->cols), st->ni * JXPG_CHUNK);
        for (size_t j = 0; j < st->ni; j++)
            st->na[j] = st->na_mem + j * JXPG_CHUNK;
    }
    st->na[i][k] = 1;
    pfree(s);
}

static void json_row(rows_state *st, int k, Jsonb *jb)
{
    JsonbIterator *it;
    JsonbValue key, v;
    JsonbIteratorToken t;
    if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
        row_fail(st, NULL, "the input must be a JSON object {\"metrics\": {...}, "
                           "\"not_applicable\": [...]}");
    it = JsonbIteratorInit(&jb->root);
    while ((t = JsonbIteratorNext(&it, &key, true)) != WJB_DONE) {
        if (t != WJB_KEY)
            continue;
        t = JsonbIteratorNext(&it, &v, true);
        const char *name = key.val.string.val;
        int len = key.val.string.len;
#define IS(w) (len == (int)strlen(w) && memcmp(name, w, len) == 0)
        if (IS("metrics")) {
            if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
                row_fail(st, "metrics", "\"metrics\" must be an object of metric name: value, "
                                        "found %s", jbv_type_name(&v));
            JsonbIterator *mi = JsonbIteratorInit(v.val.binary.data);
            JsonbValue mk, mv;
            while ((t = JsonbIteratorNext(&mi, &mk, true)) != WJB_DONE) {
                if (t != WJB_KEY)
                    continue;
                JsonbIteratorNext(&mi, &mv, true);
                json_metric(st, k, &mk, &mv);
            }
        } else if (IS("not_applicable")) {
            if (v.type != jbvBinary || !JsonContainerIsArray(v.val.binary.data))
                row_fail(st, "not_applicable", "\"not_applicable\" must be an array of "
                                               "indicator ids, found %s", jbv_type_name(&v));
            JsonbIterator *ai = JsonbIteratorInit(v.val.binary.data);
            JsonbValue e;
            int pos = 0;
            while ((t = JsonbIteratorNext(&ai, &e, true)) != WJB_DONE)
                if (t == WJB_ELEM)
                    mark_not_applicable(st, k, &e, pos++);
        } else if (IS("id") || IS("name") || IS("description")) {
            if (v.type != jbvString)
                row_fail(st, NULL, "\"%.*s\" must be a string, found %s", len, name,
                         jbv_type_name(&v));
        } else if (!IS("provenance")) {
            row_fail(st, NULL, "unknown key \"%.*s\" in an input; expected metrics, "
                               "not_applicable, id, name, description", len, name);
        }
#undef IS
    }
}

/* Column mode: which metric each query column is, and whether its type
 * fits. */
static void bind_columns(rows_state *st, TupleDesc td)
{
    st->col_metric = palloc(sizeof(int) * td->natts);
    st->col_metric[0] = -1;
    for (int c = 1; c < td->natts; c++) {
        Form_pg_attribute a = TupleDescAttr(td, c);
        const char *name = NameStr(a->attname);
        int m = metric_find(st, name, strlen(name));
        int type = m >= 0 ? jx_scheme_metric_type(st->s, m) : -1;
        bool ok;
        if (m < 0)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("jixiao: query column %d \"%s\" is not a metric of the scheme",
                                   c + 1, name),
                            errhint("The first column is the row's id; the others are metrics "
                                    "named as the scheme declares them, or one jsonb input "
                                    "document.")));
        for (int d = 1; d < c; d++)
            if (st->col_metric[d] == m)
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("jixiao: metric \"%s\" is given by two query columns",
                                       name)));
        switch (type) {
        case JX_METRIC_NUMBER:
            ok = a->atttypid == NUMERICOID || a->atttypid == INT2OID || a->atttypid == INT4OID ||
                 a->atttypid == INT8OID || a->atttypid == FLOAT4OID || a->atttypid == FLOAT8OID;
            break;
        case JX_METRIC_BOOL:
            ok = a->atttypid == BOOLOID;
            break;
        default:
            ok = a->atttypid == TEXTOID || a->atttypid == VARCHAROID;
            break;
        }
        if (!ok)
            ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                            errmsg("jixiao: query column \"%s\" has type %s, but metric \"%s\" "
                                   "takes %s",
                                   name, format_type_be(a->atttypid), name,
                                   type == JX_METRIC_NUMBER ? "a number (numeric, integer or float)"
                                   : type == JX_METRIC_BOOL ? "a boolean"
                                                            : "one of its levels (text)")));
        st->col_metric[c] = m;
    }
}

static void column_value(rows_state *st, int k, TupleDesc td, int c, Datum d)
{
    Form_pg_attribute a = TupleDescAttr(td, c);
    int m = st->col_metric[c];
    const char *path = NameStr(a->attname);
    double v;
    switch (a->atttypid) {
    case NUMERICOID: v = number_from_numeric(st, DatumGetNumeric(d), path); break;
    case INT2OID: v = DatumGetInt16(d); break;
    case INT4OID: v = DatumGetInt32(d); break;
    case INT8OID: v = (double)DatumGetInt64(d); break;
    case FLOAT4OID: v = DatumGetFloat4(d); break;
    case FLOAT8OID: v = DatumGetFloat8(d); break;
    case BOOLOID: v = DatumGetBool(d) ? 1 : 0; break;
    default: {
        text *t = DatumGetTextPP(d);
        v = level_index(st, m, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), path);
        break;
    }
    }
    if (isnan(v))
        row_fail(st, path, "NaN is not a value the scheme can score (NULL is a missing value)");
    st->cols[m][k] = v;
}

static void score_chunk(rows_state *st, ReturnSetInfo *rsinfo, SPITupleTable *tt, uint64 n,
                        FmgrInfo *id_out)
{
    TupleDesc td = tt->tupdesc;
    double totals[JXPG_CHUNK];
    int grades[JXPG_CHUNK];
    unsigned char complete[JXPG_CHUNK];
    char *ids[JXPG_CHUNK];
    jx_error err;
    int decimals = jx_scheme_precision(st->s);

    for (size_t m = 0; m < st->nm; m++)
        for (uint64 k = 0; k < n; k++)
            st->cols[m][k] = NAN;
    if (st->na_mem)
        memset(st->na_mem, 0, st->ni * JXPG_CHUNK);
    for (uint64 k = 0; k < n; k++) {
        HeapTuple tup = tt->vals[k];
        bool isnull;
        Datum id = SPI_getbinval(tup, td, 1, &isnull);
        st->row++;
        ids[k] = isnull ? NULL : OutputFunctionCall(id_out, id);
        st->row_id = ids[k];
        if (st->json_mode) {
            Datum d = SPI_getbinval(tup, td, 2, &isnull);
            if (isnull)
                row_fail(st, NULL, "the input document is NULL");
            json_row(st, (int)k, DatumGetJsonbP(d));
        } else {
            for (int c = 1; c < td->natts; c++) {
                Datum d = SPI_getbinval(tup, td, c + 1, &isnull);
                if (!isnull)
                    column_value(st, (int)k, td, c, d);
            }
        }
    }
    st->row_id = NULL;
    if (jx_batch_score(st->s, st->b, n, (const double *const *)st->cols, st->nm,
                       st->na_mem ? (const unsigned char *const *)st->na : NULL, st->ni, NULL,
                       NULL, totals, grades, complete, &err) < 0)
        jxpg_raise(&err, "cannot score the rows");
    for (uint64 k = 0; k < n; k++) {
        Datum values[4];
        bool nulls[4] = {ids[k] == NULL, false, false, false};
        values[0] = ids[k] ? CStringGetTextDatum(ids[k]) : (Datum)0;
        values[1] = jxpg_numeric(totals[k], decimals);
        if (grades[k] >= 0 && (size_t)grades[k] < jx_scheme_grade_count(st->s))
            values[2] = CStringGetTextDatum(jx_scheme_grade_label(st->s, grades[k]));
        else
            nulls[2] = true;
        values[3] = BoolGetDatum(complete[k] != 0);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
}

static void run(rows_state *st, ReturnSetInfo *rsinfo, const char *query)
{
    MemoryContext chunk_cx = AllocSetContextCreate(CurrentMemoryContext, "jx_score_rows chunk",
                                                   ALLOCSET_DEFAULT_SIZES);
    SPIPlanPtr plan;
    Portal portal;
    bool bound = false;
    FmgrInfo id_out;

    if (SPI_connect() != SPI_OK_CONNECT)
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("jixiao: SPI_connect failed")));
    plan = SPI_prepare(query, 0, NULL);
    if (plan == NULL)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("jixiao: cannot prepare the query: %s",
                               SPI_result_code_string(SPI_result))));
    portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
    for (;;) {
        SPI_cursor_fetch(portal, true, JXPG_CHUNK);
        if (SPI_processed == 0)
            break;
        if (!bound) {
            TupleDesc td = SPI_tuptable->tupdesc;
            Oid out;
            bool varlena;
            if (td->natts < 2)
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("jixiao: the query must return an id column and then a "
                                       "jsonb input document or metric columns")));
            getTypeOutputInfo(TupleDescAttr(td, 0)->atttypid, &out, &varlena);
            fmgr_info(out, &id_out);
            st->json_mode = td->natts == 2 && TupleDescAttr(td, 1)->atttypid == JSONBOID;
            if (!st->json_mode)
                bind_columns(st, td);
            bound = true;
        }
        MemoryContext old = MemoryContextSwitchTo(chunk_cx);
        score_chunk(st, rsinfo, SPI_tuptable, SPI_processed, &id_out);
        MemoryContextSwitchTo(old);
        MemoryContextReset(chunk_cx);
        SPI_freetuptable(SPI_tuptable);
    }
    SPI_cursor_close(portal);
    SPI_finish();
    MemoryContextDelete(chunk_cx);
}

PG_FUNCTION_INFO_V1(jxpg_sql_score_rows);
Datum jxpg_sql_score_rows(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    text *scheme_text = PG_GETARG_TEXT_PP(0);
    char *query = text_to_cstring(PG_GETARG_TEXT_PP(1));
    jxpg_entry *volatile e;
    rows_state st;

    InitMaterializedSRF(fcinfo, 0);
    e = jxpg_scheme(scheme_text);
    memset(&st, 0, sizeof st);
    st.s = jxpg_entry_scheme(e);
    st.b = jxpg_entry_batch(e);
    st.nm = jx_scheme_metric_count(st.s);
    st.ni = jx_scheme_indicator_count(st.s);
    st.metrics = palloc(sizeof(name_ref) * (st.nm ? st.nm : 1));
    st.cols = palloc(sizeof(double *) * (st.nm ? st.nm : 1));
    st.na = palloc0(sizeof(unsigned char *) * (st.ni ? st.ni : 1));
    for (size_t m = 0; m < st.nm; m++) {
        const char *name = jx_scheme_metric_name(st.s, m);
        st.metrics[m] = (name_ref){name, (int)strlen(name), (int)m};
        st.cols[m] = palloc(sizeof(double) * JXPG_CHUNK);
    }
    qsort(st.metrics, st.nm, sizeof(name_ref), name_cmp);
    /* The query may itself score with other schemes: the pin keeps this
     * one from being evicted while it runs. Everything else here is
     * palloc'd, so an error needs no other cleanup. */
    jxpg_pin(e);
    PG_TRY();
    {
        run(&st, rsinfo, query);
    }
    PG_FINALLY();
    {
        jxpg_unpin(e);
    }
    PG_END_TRY();
    return (Datum)0;
}
