-- Pontis registry, migration 6: bounded work for registry search at 100,000 records
-- (src/registry/search.ts, docs/benchmarks.md "Registry search").
--
-- 1. title_vec: the titles alone as a small tsvector (stored inline, never compressed), with a GIN
--    index over published records. Search ranks candidates by it first (ranking by search_vec
--    decompresses a ~1.3 KB value per match), and takes title matches from it when a broad query
--    has more candidates than it examines.
-- 2. search_facet_totals: the facet counts of all published records, kept by statement-level
--    triggers with transition tables (one batch per INSERT/UPDATE/DELETE, as in migration 4), so
--    that browsing without a query or filter does not count 94,000 records per page view. facet =
--    'total' (value '') holds the number of published records.
-- 3. An index in the browsing order (published_at DESC NULLS LAST, id): the one of migration 2 is
--    NULLS FIRST, which the ORDER BY of search cannot use.
ALTER TABLE records ADD COLUMN title_vec tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english'::regconfig, coalesce(title->>'en', '')), 'A')
   || setweight(to_tsvector('french'::regconfig, coalesce(title->>'fr', '')), 'A')
   || setweight(to_tsvector('spanish'::regconfig, coalesce(title->>'es', '')), 'A')
   || setweight(to_tsvector('russian'::regconfig, coalesce(title->>'ru', '')), 'A')
   || setweight(to_tsvector('arabic'::regconfig, coalesce(title->>'ar', '')), 'A')
   || setweight(to_tsvector('simple'::regconfig, coalesce(title->>'zh', '')), 'A')
  ) STORED;

CREATE INDEX records_title_vec ON records USING gin (title_vec) WHERE status = 'published';

DROP INDEX records_published_date;

CREATE INDEX records_published_order ON records (published_at DESC NULLS LAST, id) WHERE status = 'published';

CREATE TABLE search_facet_totals (
  facet text NOT NULL,
  value text NOT NULL,
  n     integer NOT NULL,
  PRIMARY KEY (facet, value)
);

CREATE FUNCTION pontis_facet_values(kind text, sdgs integer[], countries text[], regions text[], sectors text[], readiness integer, licence text) RETURNS TABLE (facet text, value text) LANGUAGE sql IMMUTABLE AS 'SELECT ''total'', '''' UNION ALL SELECT ''kind'', kind UNION ALL SELECT ''sdg'', s::text FROM unnest(sdgs) AS s UNION ALL SELECT ''country'', c FROM unnest(countries) AS c UNION ALL SELECT ''region'', g FROM unnest(regions) AS g UNION ALL SELECT ''sector'', s FROM unnest(sectors) AS s UNION ALL SELECT ''readiness'', readiness::text WHERE readiness IS NOT NULL UNION ALL SELECT ''licence'', licence WHERE licence IS NOT NULL';

CREATE FUNCTION pontis_facet_totals_insert() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO search_facet_totals (facet, value, n) SELECT v.facet, v.value, count(*) FROM new_rows AS x, pontis_facet_values(x.kind, x.sdgs, x.countries, x.regions, x.sectors, x.readiness, x.licence) AS v WHERE x.status = ''published'' GROUP BY v.facet, v.value ON CONFLICT (facet, value) DO UPDATE SET n = search_facet_totals.n + EXCLUDED.n; RETURN NULL; END';

CREATE FUNCTION pontis_facet_totals_delete() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO search_facet_totals (facet, value, n) SELECT v.facet, v.value, -count(*) FROM old_rows AS x, pontis_facet_values(x.kind, x.sdgs, x.countries, x.regions, x.sectors, x.readiness, x.licence) AS v WHERE x.status = ''published'' GROUP BY v.facet, v.value ON CONFLICT (facet, value) DO UPDATE SET n = search_facet_totals.n + EXCLUDED.n; RETURN NULL; END';

CREATE FUNCTION pontis_facet_totals_update() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO search_facet_totals (facet, value, n) SELECT v.facet, v.value, sum(x.d)::int FROM (SELECT 1 AS d, kind, sdgs, countries, regions, sectors, readiness, licence FROM new_rows WHERE status = ''published'' UNION ALL SELECT -1, kind, sdgs, countries, regions, sectors, readiness, licence FROM old_rows WHERE status = ''published'') AS x, pontis_facet_values(x.kind, x.sdgs, x.countries, x.regions, x.sectors, x.readiness, x.licence) AS v GROUP BY v.facet, v.value HAVING sum(x.d) <> 0 ON CONFLICT (facet, value) DO UPDATE SET n = search_facet_totals.n + EXCLUDED.n; RETURN NULL; END';

CREATE FUNCTION pontis_facet_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN DELETE FROM search_facet_totals; RETURN NULL; END';

CREATE TRIGGER records_facet_totals_insert AFTER INSERT ON records REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pontis_facet_totals_insert();

CREATE TRIGGER records_facet_totals_delete AFTER DELETE ON records REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pontis_facet_totals_delete();

CREATE TRIGGER records_facet_totals_update AFTER UPDATE ON records REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pontis_facet_totals_update();

CREATE TRIGGER records_facet_totals_truncate AFTER TRUNCATE ON records
  FOR EACH STATEMENT EXECUTE FUNCTION pontis_facet_totals_truncate();

INSERT INTO search_facet_totals (facet, value, n)
  SELECT v.facet, v.value, count(*) FROM records AS x, pontis_facet_values(x.kind, x.sdgs, x.countries, x.regions, x.sectors, x.readiness, x.licence) AS v
  WHERE x.status = 'published' GROUP BY v.facet, v.value;
