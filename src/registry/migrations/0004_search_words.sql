-- Pontis registry, migration 4: typo tolerance for registry search (src/registry/search.ts).
--
-- A trigram match of the query against search_text itself (q <% search_text) costs seconds on
-- 100,000 records: common trigrams select nearly every row and word_similarity then runs over each
-- record's whole text. As pg_trgm's documentation suggests for spelling suggestions, search keeps
-- the distinct words of published records here and looks each query word up by trigram similarity
-- (a small table, one GIN index), then searches the corrected words as full text.
--
-- Only published records contribute (a draft's vocabulary must not leak through suggestions). Words
-- stay when a record is archived: they were public; a stale word only leads to a search with no
-- result. Statement-level triggers with transition tables add one batch per INSERT/UPDATE.
CREATE TABLE search_words (word text PRIMARY KEY);

CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);

CREATE FUNCTION pontis_search_words_add() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO search_words (word) SELECT DISTINCT w FROM new_rows AS n, regexp_split_to_table(n.search_text, ''[^[:alnum:]]+'') AS w WHERE n.status = ''published'' AND length(w) BETWEEN 3 AND 40 AND w !~ ''[0-9]'' AND w !~ ''[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]'' ON CONFLICT (word) DO NOTHING; RETURN NULL; END';

CREATE TRIGGER records_search_words_insert AFTER INSERT ON records REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pontis_search_words_add();

CREATE TRIGGER records_search_words_update AFTER UPDATE ON records REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pontis_search_words_add();

INSERT INTO search_words (word)
  SELECT DISTINCT w FROM records AS n, regexp_split_to_table(n.search_text, '[^[:alnum:]]+') AS w
  WHERE n.status = 'published' AND length(w) BETWEEN 3 AND 40 AND w !~ '[0-9]'
    AND w !~ '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]'
  ON CONFLICT (word) DO NOTHING;
