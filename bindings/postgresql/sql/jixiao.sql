-- jx_score, jx_total, jx_grade, jx_scheme_check and the scheme cache.
CREATE EXTENSION jixiao;
\set ex `cat data/example.json`
\set exm `cat data/example.metrics.json`
\set v `cat data/pg-vectors.json`

-- The bundled example: the total, the grade, the result JSON.
SELECT jx_total(:'ex', :'exm'), jx_grade(:'ex', :'exm');
SELECT r->>'scheme' AS scheme, r->'total' AS total, r->'grade' AS grade,
       r->'complete' AS complete, r->'rescaled' AS rescaled,
       jsonb_array_length(r->'indicators') AS indicators
  FROM jx_score(:'ex', :'exm') AS r;
SELECT i->>'id' AS id, i->>'status' AS status, i->'score' AS score, i->'value' AS value
  FROM jx_score(:'ex', :'exm') AS r, jsonb_array_elements(r->'indicators') AS i
 WHERE (i->>'leaf')::boolean;
SELECT pg_typeof(jx_total(:'ex', :'exm')), pg_typeof(jx_grade(:'ex', :'exm')),
       pg_typeof(jx_score(:'ex', :'exm'));

-- Exact decimals: 5 − (100 − 91.33) × 0.5 is 0.665 and scores 0.67; 72.345
-- rounds to 72.35 and scores 3 × 0.7235 = 2.17.
SELECT i->>'id' AS id, i->'value' AS value, i->'score' AS score, i->>'reason' AS reason
  FROM jx_score(:'v', '{"metrics": {"完成值": 91.33, "目标值": 100, "实际数": 72.345,
                                    "计划数": 100, "已公开": true, "评价": "中"}}') AS r,
       jsonb_array_elements(r->'indicators') AS i;
-- The same figures as numeric values of a table, through jsonb_build_object.
CREATE TABLE figures (id int, done numeric, target numeric, spent numeric, planned numeric);
INSERT INTO figures VALUES (1, 91.33, 100, 72.345, 100), (2, 100, 100, 100, 100),
                           (3, 0.665, 1, 99.995, 100);
SELECT id, jx_total(:'v', jsonb_build_object('metrics', jsonb_build_object(
                 '完成值', done, '目标值', target, '实际数', spent, '计划数', planned,
                 '已公开', true, '评价', '好'))) AS total
  FROM figures ORDER BY id;
-- Missing is not zero: the leaf is missing, the result incomplete.
SELECT r->'complete' AS complete, i->>'status' AS status, i->'missing' AS missing
  FROM jx_score(:'v', '{"metrics": {"完成值": 50, "目标值": 100, "已公开": null}}') AS r,
       jsonb_array_elements(r->'indicators') AS i;
-- Not applicable, and the other top-level keys of an input document.
SELECT jx_total(:'v', '{"id": "甲单位", "name": "甲", "metrics": {"完成值": 100, "目标值": 100,
         "实际数": 1, "计划数": 1, "已公开": true, "评价": "好"}, "not_applicable": ["4"]}');

-- The server's locale does not matter. The cluster is made with de_DE.UTF-8
-- (pg_regress sets lc_numeric to C for its own database): with the decimal
-- comma in effect the results are the same.
SELECT datcollate FROM pg_database WHERE datname = current_database();
SET lc_numeric = 'de_DE.UTF-8';
SELECT to_char(1.5, '9D9') AS decimal_comma, jx_total(:'ex', :'exm'),
       jx_score(:'v', '{"metrics": {"完成值": 91.33, "目标值": 100}}')->'indicators'->0->'score'
       AS score_0_665;
RESET lc_numeric;

-- NULL in, NULL out (the functions are STRICT).
SELECT jx_score(NULL, :'exm') IS NULL AS a, jx_total(:'ex', NULL) IS NULL AS b,
       jx_grade(NULL, NULL) IS NULL AS c;
SELECT count(*) FROM jx_scheme_check(NULL);

-- jx_scheme_check: a clean scheme has no errors; errors come with line,
-- column and path.
SELECT count(*) FILTER (WHERE severity = 'error') AS errors FROM jx_scheme_check(:'ex');
SELECT * FROM jx_scheme_check(:'v');
SELECT * FROM jx_scheme_check('{"jixiao": 1,
  "id": "x", "title": "x", "total": 10,
  "metrics": {"a": {}},
  "indicators": [{"id": "1", "name": "一", "max": 10, "value": "a / b",
                  "rule": {"ratio": {"target": ">= 100"}}, "colour": "red"}]}');
SELECT * FROM jx_scheme_check('{"jixiao": 1,
  "id": "x", oops}');
SELECT severity, code, line, col, path, left(message, 60) AS message
  FROM jx_scheme_check(repeat(' ', 100 * 1024 * 1024) || '{}');

-- The cache: one entry per distinct scheme text, at most 16, least recently
-- used evicted; hits for repeated texts.
SELECT jx_cache_info()->'capacity' AS capacity;
SELECT (jx_cache_info()->>'entries')::int AS entries_before;
SELECT count(jx_total(:'ex' || repeat(' ', g), :'exm')) FROM generate_series(1, 20) g;
SELECT jx_cache_info()->'entries' AS entries, (jx_cache_info()->>'evictions')::int >= 4 AS evicted;
SELECT (jx_cache_info()->>'hits')::int AS h0 \gset
SELECT count(jx_total(:'ex', jsonb_set(:'exm'::jsonb, '{metrics,执行数}', to_jsonb(g))))
  FROM generate_series(1, 100) g;
SELECT (jx_cache_info()->>'hits')::int - :h0 AS hits_for_100_calls;
