-- Pontis registry, migration 3: stable keys for imported records and organisations, so that
-- importing the same file again updates what it created instead of adding copies.
ALTER TABLE records ADD COLUMN import_key text;
CREATE UNIQUE INDEX records_import_key ON records (import_key) WHERE import_key IS NOT NULL;
ALTER TABLE organisations ADD COLUMN import_key text;
CREATE UNIQUE INDEX organisations_import_key ON organisations (import_key) WHERE import_key IS NOT NULL;
