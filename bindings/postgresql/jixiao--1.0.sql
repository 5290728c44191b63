-- jixiao 1.0: scoring of performance evaluations inside PostgreSQL.
\echo Use "CREATE EXTENSION jixiao" to load this file. \quit

-- The result of scoring one input document ({"metrics": {...},
-- "not_applicable": [...]}) against a scheme: the library's result JSON.
CREATE FUNCTION jx_score(scheme text, metrics jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'jxpg_sql_score'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The total, with the scheme's precision.
CREATE FUNCTION jx_total(scheme text, metrics jsonb) RETURNS numeric
    AS 'MODULE_PATHNAME', 'jxpg_sql_total'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The grade label read from the rounded total.
CREATE FUNCTION jx_grade(scheme text, metrics jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'jxpg_sql_grade'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Every error and warning in a scheme; no rows when it is clean.
CREATE FUNCTION jx_scheme_check(scheme text,
        OUT severity text, OUT code text, OUT line integer, OUT col integer,
        OUT path text, OUT message text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'jxpg_sql_scheme_check'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Every row of `query` scored in one batch: the first column is the id,
-- then one jsonb input document or one column per metric.
CREATE FUNCTION jx_score_rows(scheme text, query text,
        OUT id text, OUT total numeric, OUT grade text, OUT complete boolean)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'jxpg_sql_score_rows'
    LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

-- This backend's cache of compiled schemes.
CREATE FUNCTION jx_cache_info() RETURNS jsonb
    AS 'MODULE_PATHNAME', 'jxpg_sql_cache_info'
    LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
