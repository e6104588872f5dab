-- Pontis registry, migration 7: filters inside the text index (src/registry/search.ts,
-- docs/benchmarks.md "Registry search").
--
-- A text query with a selective filter (a word matching 9,516 records, 45 of them in Egypt) read
-- every match of the word to find the few that pass the filter: the planner does not combine the
-- full-text index with the countries index (it cannot estimate a tsquery that comes from a CTE).
-- Here every filter value of a record is a tag in one array (kind 'k:offer', goal 's:7', country
-- 'c:EGY', region 'g:M49_002', sector 'x:energy', readiness 'r:7' or 'r:none', licence 'l:MIT';
-- kind and readiness take exactly one tag, so "not this kind" is a tag test too), and one GIN
-- index holds both the text and the tags: GIN intersects the posting lists of all the conditions
-- of one scan, so the rows read are the rows that match the words and pass the filters. The
-- Chinese character-gram index (migration 2) gets the tags too, and replaces it; the full-text
-- index of migration 1 is replaced by the combined one (a GIN index over several columns serves a
-- condition on any of them).
CREATE FUNCTION pontis_search_tags(kind text, sdgs integer[], countries text[], regions text[], sectors text[], readiness integer, licence text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT ARRAY(SELECT ''k:'' || kind WHERE kind IS NOT NULL UNION ALL SELECT ''s:'' || s FROM unnest(sdgs) AS s UNION ALL SELECT ''c:'' || c FROM unnest(countries) AS c UNION ALL SELECT ''g:'' || g FROM unnest(regions) AS g UNION ALL SELECT ''x:'' || x FROM unnest(sectors) AS x UNION ALL SELECT ''r:'' || coalesce(readiness::text, ''none'') UNION ALL SELECT ''l:'' || licence WHERE licence IS NOT NULL)';

ALTER TABLE records ADD COLUMN search_tags text[] GENERATED ALWAYS AS (
  pontis_search_tags(kind, sdgs, countries, regions, sectors, readiness, licence)) STORED;

CREATE INDEX records_search_find ON records USING gin (search_vec, search_tags) WHERE status = 'published';

CREATE INDEX records_search_grams ON records USING gin (pontis_cjk_grams(search_text), search_tags) WHERE status = 'published';

-- The titles' index (migration 6) too: search adds title matches passing the filters.
CREATE INDEX records_title_find ON records USING gin (title_vec, search_tags) WHERE status = 'published';

DROP INDEX records_title_vec;

DROP INDEX records_search_vec;

DROP INDEX records_cjk_grams;

-- Typo correction (migration 4) looks up the most similar word: a GiST trigram index returns it in
-- distance order (word <-> q, pg_trgm's 1 - similarity), where the GIN index made the planner
-- compute the similarity of all 9,000 words of the benchmark's registry for each query word.
CREATE INDEX search_words_knn ON search_words USING gist (word gist_trgm_ops);
