-- Rows/s for 1,000,000 rows: jx_score_rows (one call, the batch path) against
-- calling jx_score / jx_total once per row. Figures, not a test.
\set s `cat data/example.json`
\set m `cat data/example.metrics.json`
\set rows 1000000
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS jixiao;
SET max_parallel_workers_per_gather = 0;
CREATE FUNCTION pg_temp.rate(n bigint, t0 timestamptz, t1 timestamptz) RETURNS text LANGUAGE sql AS
$$ SELECT format('%s rows in %s s: %s rows/s', n, round(extract(epoch FROM t1 - t0)::numeric, 2),
                 round(n / extract(epoch FROM t1 - t0)::numeric)) $$;

\echo '--- making' :rows 'rows of input documents (the example department, figures varied)'
CREATE TABLE bench AS
SELECT g AS id,
       jsonb_set(jsonb_set(:'m'::jsonb,
           '{metrics,执行数}', to_jsonb(round(1700 + (g::bigint * 7919 % 400)::numeric + (g % 100) / 100.0, 2))),
           '{metrics,在职人员数}', to_jsonb(120 + g % 40)) AS metrics
  FROM generate_series(1, :rows) g;
CREATE TABLE bench_cols AS
SELECT id, (metrics->'metrics'->>'执行数')::numeric AS 执行数, (metrics->'metrics'->>'预算数')::numeric AS 预算数,
       (metrics->'metrics'->>'在职人员数')::int AS 在职人员数, 143 AS 编制数
  FROM bench;
VACUUM ANALYZE bench;
VACUUM ANALYZE bench_cols;
SELECT count(*) FROM bench \gset warm_
SELECT jx_total(:'s', :'m') \gset warm_

SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS n, sum(total) AS sum_rows FROM jx_score_rows(:'s', 'SELECT id, metrics FROM bench') \gset a_
SELECT clock_timestamp() AS t1 \gset
SELECT pg_temp.rate(:a_n, :'t0', :'t1') AS r \gset
\echo 'jx_score_rows, jsonb documents:   ' :r
SELECT extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz) AS secs_rows \gset

SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS n FROM jx_score_rows(:'s', 'SELECT id, 执行数, 预算数, 在职人员数, 编制数 FROM bench_cols') \gset c_
SELECT clock_timestamp() AS t1 \gset
SELECT pg_temp.rate(:c_n, :'t0', :'t1') AS r \gset
\echo 'jx_score_rows, metric columns:    ' :r

SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS n, sum(jx_total(:'s', metrics)) AS sum_total FROM bench \gset b_
SELECT clock_timestamp() AS t1 \gset
SELECT pg_temp.rate(:b_n, :'t0', :'t1') AS r \gset
\echo 'jx_total per row:                 ' :r
SELECT extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz) AS secs_total \gset

SELECT clock_timestamp() AS t0 \gset
SELECT count(jx_score(:'s', metrics)) AS n FROM bench \gset d_
SELECT clock_timestamp() AS t1 \gset
SELECT pg_temp.rate(:d_n, :'t0', :'t1') AS r \gset
\echo 'jx_score per row (result JSON):   ' :r
SELECT extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz) AS secs_score \gset

SELECT round(:secs_score / :secs_rows, 1) AS x1, round(:secs_total / :secs_rows, 1) AS x2,
       CASE WHEN :secs_score / :secs_rows >= 5 THEN 'met' ELSE 'NOT met' END AS target \gset
\echo 'jx_score_rows is' :x1 'x faster per row than jx_score and' :x2 'x faster than jx_total (target >= 5x against jx_score:' :target ')'
\echo 'same totals both ways:' :a_sum_rows '=' :b_sum_total
