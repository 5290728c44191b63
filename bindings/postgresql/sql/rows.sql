-- jx_score_rows: a whole query scored in one call with the batch path; the
-- same totals and grades as jx_total / jx_grade row by row.
CREATE EXTENSION IF NOT EXISTS jixiao;
\set ex `cat data/example.json`
\set exm `cat data/example.metrics.json`
\set v `cat data/pg-vectors.json`

-- 5,000 departments: the example's figures varied, some missing, some not
-- applicable (more than one chunk of 4,096 rows).
CREATE TABLE dept AS
SELECT g AS id,
       jsonb_set(jsonb_set(jsonb_set(jsonb_set(:'exm'::jsonb,
           '{metrics,执行数}', to_jsonb(round(1700 + (g * 7919 % 400)::numeric + (g % 100) / 100.0, 2))),
           '{metrics,在职人员数}', to_jsonb(120 + g % 40)),
           '{metrics,违规资金使用次数}', CASE WHEN g % 13 = 0 THEN 'null'::jsonb ELSE to_jsonb(g % 4) END),
           '{not_applicable}', CASE WHEN g % 5 = 0 THEN '[]'::jsonb ELSE '["2.4"]'::jsonb END) AS metrics
  FROM generate_series(1, 5000) g;
SELECT count(*) AS rows, count(DISTINCT r.total) > 50 AS varied,
       count(*) FILTER (WHERE NOT r.complete) AS incomplete,
       count(*) FILTER (WHERE r.total = jx_total(:'ex', d.metrics)
                          AND r.grade = jx_grade(:'ex', d.metrics)
                          AND r.complete = (jx_score(:'ex', d.metrics)->>'complete')::boolean) AS agree
  FROM jx_score_rows(:'ex', 'SELECT id, metrics FROM dept') r JOIN dept d ON d.id::text = r.id;
SELECT * FROM jx_score_rows(:'ex', 'SELECT id, metrics FROM dept ORDER BY id LIMIT 5');
SELECT count(*) FROM jx_score_rows(:'ex', 'SELECT id, metrics FROM dept WHERE false');

-- Metric columns: numeric values exactly (0.665-style vectors), integers,
-- floats, booleans, levels as text; NULL is missing.
CREATE TABLE proj (code text, 完成值 numeric, 目标值 int, 实际数 float8, 计划数 numeric,
                   已公开 boolean, 评价 text);
INSERT INTO proj VALUES ('P1', 91.33, 100, 72.345, 100, true, '中'),
                        ('P2', 100, 100, 100, 100, true, '好'),
                        ('P3', 99.999, 100, 0, 100, false, '差'),
                        ('P4', NULL, 100, 50, 100, NULL, '好'),
                        (NULL, 95, 100, 100, 100, true, '好');
SELECT * FROM jx_score_rows(:'v', 'SELECT code, 完成值, 目标值, 实际数, 计划数, 已公开, 评价 FROM proj ORDER BY code');
SELECT code, jx_total(:'v', jsonb_build_object('metrics', jsonb_strip_nulls(jsonb_build_object(
           '完成值', 完成值, '目标值', 目标值, '实际数', 实际数, '计划数', 计划数, '已公开', 已公开, '评价', 评价))))
  FROM proj ORDER BY code;
-- Some metrics only: the others are missing.
SELECT * FROM jx_score_rows(:'v', 'SELECT code, 完成值, 目标值 FROM proj WHERE code = ''P1''');

-- Errors: naming the row, its id and the path.
SELECT * FROM jx_score_rows(:'v', 'SELECT 7, ''{"metrics": {"已公开": 1}}''::jsonb');
SELECT * FROM jx_score_rows(:'v', 'SELECT 7, ''{"metrics": {"评价": "优秀"}}''::jsonb');
SELECT * FROM jx_score_rows(:'v', 'SELECT 7, ''{"metrics": {"未知": 1}}''::jsonb');
SELECT * FROM jx_score_rows(:'v', 'SELECT 7, ''{"metrics": {}, "not_applicable": ["9"]}''::jsonb');
SELECT * FROM jx_score_rows(:'v', 'SELECT 7, ''[1]''::jsonb');
SELECT * FROM jx_score_rows(:'v', 'SELECT 7, NULL::jsonb');
SELECT * FROM jx_score_rows(:'v', 'SELECT code, 完成值 AS 完成 FROM proj');
SELECT * FROM jx_score_rows(:'v', 'SELECT code, 评价 AS 完成值 FROM proj');
SELECT * FROM jx_score_rows(:'v', 'SELECT code, 完成值, 完成值 FROM proj');
SELECT * FROM jx_score_rows(:'v', 'SELECT code, ''NaN''::numeric AS 完成值 FROM proj');
SELECT * FROM jx_score_rows(:'v', 'SELECT code FROM proj');
SELECT * FROM jx_score_rows(:'v', 'SELEC 1');
SELECT * FROM jx_score_rows(:'v', 'DELETE FROM proj');
SELECT * FROM jx_score_rows('{}', 'SELECT 1, ''{}''::jsonb');
SELECT count(*) AS still_there FROM proj;
-- A query that itself scores with many other schemes: the running scheme
-- stays pinned in the cache.
SELECT count(*) FROM jx_score_rows(:'v', format(
    'SELECT g, jsonb_build_object(''metrics'', jsonb_build_object(''完成值'', jx_total(%L || repeat('' '', g), %L))) FROM generate_series(1, 40) g',
    :'ex', :'exm'));
