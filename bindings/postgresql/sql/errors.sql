-- Bad input: each a clean SQL error with an SQLSTATE and a detail that says
-- where; the backend carries on.
CREATE EXTENSION IF NOT EXISTS jixiao;
\set ex `cat data/example.json`
\set exm `cat data/example.metrics.json`
\set v `cat data/pg-vectors.json`
CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || E'\n' || msg || E'\n' || coalesce(det, '(no detail)');
END $$;
SELECT set_config('jx.ex', :'ex', false) IS NOT NULL AS set,
       set_config('jx.v', :'v', false) IS NOT NULL AS set;

-- Invalid scheme text.
SELECT try($$SELECT jx_total('not json', '{}')$$);
SELECT try($$SELECT jx_total('{"jixiao": 1, "id": "x"', '{}')$$);
SELECT try($$SELECT jx_total('{"jixiao": 1, "id": "x", "title": "t", "total": 10, "metrics": {},
  "indicators": [{"id": "1", "name": "a", "max": 10, "value": "b * 2",
                  "rule": {"ratio": {"target": ">= 1"}}}]}', '{}')$$);
SELECT try($$SELECT jx_grade('[]', '{}')$$);
SELECT try($$SELECT jx_score('', '{}')$$);
-- A scheme that names an extraction profile file: the server reads no files.
SELECT try($$SELECT jx_total(jsonb_set(current_setting('jx.ex')::jsonb, '{extract}', '"p.json"')::text, '{}')$$);

-- A 100 MB scheme: over the library's 16 MiB limit.
SELECT try($$SELECT jx_total(repeat(' ', 100 * 1024 * 1024) || '{}', '{}')$$);
-- A 17 MiB input document.
SELECT try($$SELECT jx_total(current_setting('jx.v'),
    jsonb_build_object('metrics', '{}'::jsonb, 'description', repeat('x', 17 * 1024 * 1024)))$$);

-- Input documents with wrong types.
SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": {"已公开": 1}}')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": {"完成值": "91.33"}}')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": {"评价": "优秀"}}')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": {"未知": 1}}')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": [1]}')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '[1, 2]')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '42')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": {}, "not_applicable": ["9"]}')$$);
SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": {}, "extra": 1}')$$);

-- Errors do not stop the calls around them, and a cached scheme survives.
SELECT jx_total(:'v', '{"metrics": {"完成值": 91.33, "目标值": 100}}');
SELECT count(*) FROM (SELECT try($$SELECT jx_total(current_setting('jx.v'), '{"metrics": {"已公开": 1}}')$$)
                        FROM generate_series(1, 200)) t;
SELECT jx_total(:'ex', :'exm'), jx_grade(:'ex', :'exm');
