/* jx_score, jx_total, jx_grade and jx_scheme_check: one document at a
 * time, through the library's JSON input and result. */
#include "jxpg.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* What the library allocated for one call. It is freed explicitly on every
 * path that returns or reports a library error; the reset callback frees
 * whatever is still held when some other error unwinds the call. */
typedef struct held {
    jx_input *in;
    jx_result *r;
    char *json;
    MemoryContextCallback cb;
} held;

static void held_free(void *arg)
{
    held *h = arg;
    jx_free(h->json);
    jx_result_free(h->r);
    jx_input_free(h->in);
    h->json = NULL;
    h->r = NULL;
    h->in = NULL;
}

static held *held_new(void)
{
    held *h = palloc0(sizeof *h);
    h->cb.func = held_free;
    h->cb.arg = h;
    MemoryContextRegisterResetCallback(CurrentMemoryContext, &h->cb);
    return h;
}

/* Score the jsonb input document of argument 1 against the scheme of
 * argument 0; the result is in h->r. */
static const jx_scheme *score(FunctionCallInfo fcinfo, held *h)
{
    text *scheme_text = PG_GETARG_TEXT_PP(0);
    Jsonb *jb = PG_GETARG_JSONB_P(1);
    /* jsonb keeps numbers as numeric and prints them with numeric_out: the
     * library reads the same decimal digits the document was written
     * with. */
    char *doc = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
    const jx_scheme *s = jxpg_entry_scheme(jxpg_scheme(scheme_text));
    jx_error err;

    h->in = jx_input_new(s);
    if (h->in == NULL)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("jixiao: out of memory")));
    if (jx_input_load_buffer(h->in, doc, strlen(doc), NULL, 0, &err) < 0) {
        held_free(h);
        jxpg_raise(&err, "invalid metrics");
    }
    h->r = jx_score(s, h->in, 0, &err);
    if (h->r == NULL) {
        held_free(h);
        jxpg_raise(&err, "cannot score");
    }
    pfree(doc);
    return s;
}

PG_FUNCTION_INFO_V1(jxpg_sql_score);
Datum jxpg_sql_score(PG_FUNCTION_ARGS)
{
    held *h = held_new();
    Datum out;
    score(fcinfo, h);
    h->json = jx_result_to_json(h->r, 0);
    if (h->json == NULL) {
        held_free(h);
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("jixiao: out of memory")));
    }
    out = DirectFunctionCall1(jsonb_in, CStringGetDatum(h->json));
    held_free(h);
    PG_RETURN_DATUM(out);
}

PG_FUNCTION_INFO_V1(jxpg_sql_total);
Datum jxpg_sql_total(PG_FUNCTION_ARGS)
{
    held *h = held_new();
    const jx_scheme *s = score(fcinfo, h);
    double total = jx_result_total(h->r);
    held_free(h);
    PG_RETURN_DATUM(jxpg_numeric(total, jx_scheme_precision(s)));
}

PG_FUNCTION_INFO_V1(jxpg_sql_grade);
Datum jxpg_sql_grade(PG_FUNCTION_ARGS)
{
    held *h = held_new();
    text *grade;
    score(fcinfo, h);
    grade = cstring_to_text(jx_result_grade(h->r));
    held_free(h);
    PG_RETURN_TEXT_P(grade);
}

/* ---- jx_scheme_check(scheme text) ----------------------------------------
 * Every error and warning of jx_lint_buffer, one row each:
 * (severity, code, line, col, path, message). No rows: the scheme is
 * clean. */

PG_FUNCTION_INFO_V1(jxpg_sql_scheme_check);
Datum jxpg_sql_scheme_check(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    text *scheme_text = PG_GETARG_TEXT_PP(0);
    jx_diagnostics *volatile d = NULL;

    InitMaterializedSRF(fcinfo, 0);
    jxpg_load();
    d = jx_lint_buffer(VARDATA_ANY(scheme_text), VARSIZE_ANY_EXHDR(scheme_text), NULL, 0);
    if (d == NULL)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("jixiao: out of memory")));
    PG_TRY();
    {
        size_t n = jx_diagnostics_count(d);
        for (size_t k = 0; k < n; k++) {
            const jx_error *e = jx_diagnostics_get(d, k);
            Datum values[6];
            bool nulls[6] = {false, false, false, false, false, false};
            values[0] = CStringGetTextDatum(jx_diagnostics_severity(d, k) == JX_SEVERITY_ERROR
                                                ? "error"
                                                : "warning");
            values[1] = CStringGetTextDatum(jxpg_code_name(e->code));
            values[2] = Int32GetDatum(e->line);
            nulls[2] = e->line <= 0;
            values[3] = Int32GetDatum(e->column);
            nulls[3] = e->column <= 0;
            values[4] = CStringGetTextDatum(e->path);
            nulls[4] = e->path[0] == '\0';
            values[5] = CStringGetTextDatum(e->message);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    }
    PG_FINALLY();
    {
        jx_diagnostics_free(d);
    }
    PG_END_TRY();
    return (Datum)0;
}
