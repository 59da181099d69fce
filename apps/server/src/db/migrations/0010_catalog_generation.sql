-- A counter that moves with every change to the catalogue's items, in the same transaction:
-- servers keep the published items in memory for search and compare this one row on each
-- search (modules/catalog/catalog.search-index.ts), so no server answers from a stale copy.
CREATE TABLE catalog_generation (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  n  bigint NOT NULL
);
INSERT INTO catalog_generation (id, n) VALUES (true, 1);

CREATE FUNCTION catalog_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_generation SET n = n + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER catalog_item_generation
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog_item
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_generation_bump();
