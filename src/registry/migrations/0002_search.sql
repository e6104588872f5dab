-- Pontis registry, migration 2: registry search (src/registry/search.ts).
--
-- Chinese has no spaces, and pg_trgm (on PGlite and on a C.UTF-8 server alike) takes a run of Han
-- characters for one word: show_trgm('太阳能灌溉系统') pads the whole run, so word_similarity('灌溉',
-- '太阳能灌溉系统') = 0 and the trigram index cannot serve a two-character LIKE '%灌溉%' (a pattern
-- under three characters has no trigram to look up). Search therefore matches CJK query terms as
-- substrings of search_text (LIKE, already lower-cased) and narrows the candidates with this index:
-- every CJK character and every pair of adjacent CJK characters of the record's text (what pg_bigm
-- does, in plain SQL). A query term's characters/pairs must all be present (@>), then LIKE checks
-- the exact substring.
CREATE FUNCTION pontis_cjk_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT coalesce(array_agg(DISTINCT g), ''{}''::text[]) FROM regexp_matches(t, ''[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+'', ''g'') AS m, LATERAL (SELECT substr(m[1], i, n) AS g FROM generate_series(1, length(m[1])) AS i, (VALUES (1), (2)) AS v (n) WHERE i + n - 1 <= length(m[1])) AS s';

CREATE INDEX records_cjk_grams ON records USING gin (pontis_cjk_grams(search_text)) WHERE status = 'published';

-- Browsing without a query sorts published records by date.
CREATE INDEX records_published_date ON records (published_at DESC, id) WHERE status = 'published';
