-- Memory of one backend across 100,000 calls: 50,000 jx_score and 30,000
-- jx_total on varying inputs, 20,000 calls with bad input (each an error
-- caught in a subtransaction). Both the backend's memory contexts
-- (pg_backend_memory_contexts) and its resident size (/proc/self/status,
-- which also counts the library's malloc) must stay within a bound.
\set s `cat data/example.json`
\set m `cat data/example.metrics.json`
\set bad_metrics '{"metrics": {"财务管理制度健全": 1}}'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS jixiao;
\set rss_bound 1024
CREATE FUNCTION pg_temp.rss_kb() RETURNS bigint LANGUAGE sql AS
$$ SELECT substring(pg_read_file('/proc/self/status') from 'VmRSS:\s*([0-9]+)')::bigint $$;
CREATE FUNCTION pg_temp.ctx_bytes() RETURNS bigint LANGUAGE sql AS
$$ SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts $$;
CREATE FUNCTION pg_temp.bad(scheme text, metrics jsonb, n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    caught int := 0;
BEGIN
    FOR k IN 1 .. n LOOP
        BEGIN
            CASE k % 4
            WHEN 0 THEN PERFORM jx_score(scheme, metrics);                      -- wrong type
            WHEN 1 THEN PERFORM jx_total(scheme || ' x', '{}');                 -- bad scheme text
            WHEN 2 THEN PERFORM jx_score(scheme, jsonb_build_object('metrics',
                             jsonb_build_object('社会效益', 'excellent', 'n' || k, k)));  -- level, unknown
            ELSE PERFORM jx_grade(scheme, '{"metrics": [1, 2]}');              -- not an object
            END CASE;
        EXCEPTION WHEN invalid_parameter_value OR invalid_text_representation THEN
            caught := caught + 1;
        END;
    END LOOP;
    RETURN caught;
END $$;

-- Warm up: the cache, the catalogs, malloc's arenas, and the same queries
-- without the extension (generate_series and jsonb_set grow the heap once).
SELECT count(jsonb_set(:'m'::jsonb, '{metrics,在职人员数}', to_jsonb(g)))
  FROM generate_series(1, 50000) g \gset warm_
SELECT count(jsonb_set(:'m'::jsonb, '{metrics,执行数}', to_jsonb(1000 + g / 100.0)))
  FROM generate_series(1, 30000) g \gset warm_
SELECT count(jx_total(:'s', jsonb_set(:'m'::jsonb, '{metrics,执行数}', to_jsonb(1000 + g / 100.0))))
  FROM generate_series(1, 2000) g \gset warm_
SELECT count(jx_score(:'s', jsonb_set(:'m'::jsonb, '{metrics,在职人员数}', to_jsonb(g))))
  FROM generate_series(1, 2000) g \gset warm_
SELECT pg_temp.bad(:'s', :'bad_metrics', 400) \gset warm_
SELECT pg_temp.rss_kb() AS rss0, pg_temp.ctx_bytes() AS ctx0 \gset

SELECT count(jx_score(:'s', jsonb_set(:'m'::jsonb, '{metrics,在职人员数}', to_jsonb(g))))
  FROM generate_series(1, 50000) g \gset a_
SELECT pg_temp.rss_kb() AS rss_a \gset
SELECT count(jx_total(:'s', jsonb_set(:'m'::jsonb, '{metrics,执行数}', to_jsonb(1000 + g / 100.0))))
  FROM generate_series(1, 30000) g \gset b_
SELECT pg_temp.rss_kb() AS rss_b \gset
SELECT pg_temp.bad(:'s', :'bad_metrics', 20000) AS caught \gset

SELECT pg_temp.rss_kb() AS rss1, pg_temp.ctx_bytes() AS ctx1 \gset
\echo '    calls: ' :a_count ' jx_score + ' :b_count ' jx_total + ' :caught ' bad (errors caught)'
\echo '    RSS (kB): ' :rss0 ' at the start, ' :rss_a ' after jx_score, ' :rss_b ' after jx_total, ' :rss1 ' after the bad calls'
\echo '    memory contexts (bytes): ' :ctx0 ' -> ' :ctx1
-- Bounds: a leak of even 50 bytes a call would be 5 MB here.
CREATE FUNCTION pg_temp.check(ok boolean, what text) RETURNS void LANGUAGE plpgsql AS
$$ BEGIN IF NOT ok THEN RAISE EXCEPTION 'memory test: %', what; END IF; END $$;
SELECT pg_temp.check(:a_count + :b_count + :caught = 100000,
                     format('expected 100000 calls, made %s', :a_count + :b_count + :caught)) \gset chk_
SELECT pg_temp.check(:rss1 - :rss0 <= :rss_bound,
                     format('backend RSS grew by %s kB over 100000 calls (bound %s kB)', :rss1 - :rss0, :rss_bound)) \gset chk_
SELECT pg_temp.check(:ctx1 - :ctx0 <= 262144,
                     format('memory contexts grew by %s bytes (bound 262144)', :ctx1 - :ctx0)) \gset chk_
\echo '    memory: within bounds (RSS +' :rss_bound ' kB, contexts +256 kB)'
