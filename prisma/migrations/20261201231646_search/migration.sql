-- CreateTable
CREATE TABLE "search_document" (
    "entityId" UUID NOT NULL,
    "document" tsvector NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_document_pkey" PRIMARY KEY ("entityId")
);

-- CreateIndex
CREATE INDEX "search_document_document_idx" ON "search_document" USING GIN ("document");

-- AddForeignKey
ALTER TABLE "search_document" ADD CONSTRAINT "search_document_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "catalog_entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- ---- Full-text search (hand-written: functions, triggers and the extension Prisma cannot express) ----
-- One weighted tsvector per catalog entity. Weights: A = titles; B = SKUs, SEO titles, brand and
-- category names; C = SEO descriptions; D = descriptions. Localized text is indexed twice: stemmed with
-- the text search configuration of its locale's language (german for de, de-AT, ...) and unstemmed
-- ('simple'), so a query matches inflected forms in that language and exact words in any language.
-- Brand and category names (not localized) use the store's default locale the same way; SKUs are
-- 'simple' only. The application reads the table; nothing but these triggers writes it.

-- The stemming configuration of a BCP 47 locale: a built-in configuration named after its language,
-- looked up rather than hard-coded because the set differs between PostgreSQL versions; 'simple'
-- (lower-casing, no stemming) for languages without one.
CREATE FUNCTION search_language(locale text) RETURNS regconfig
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    (SELECT c.oid::regconfig
       FROM pg_catalog.pg_ts_config c
      WHERE c.cfgnamespace = 'pg_catalog'::regnamespace
        AND c.cfgname = CASE lower(split_part(replace(coalesce(locale, ''), '_', '-'), '-', 1))
          WHEN 'ar' THEN 'arabic' WHEN 'hy' THEN 'armenian' WHEN 'eu' THEN 'basque' WHEN 'ca' THEN 'catalan'
          WHEN 'da' THEN 'danish' WHEN 'nl' THEN 'dutch' WHEN 'en' THEN 'english' WHEN 'et' THEN 'estonian'
          WHEN 'fi' THEN 'finnish' WHEN 'fr' THEN 'french' WHEN 'de' THEN 'german' WHEN 'el' THEN 'greek'
          WHEN 'hi' THEN 'hindi' WHEN 'hu' THEN 'hungarian' WHEN 'id' THEN 'indonesian' WHEN 'ga' THEN 'irish'
          WHEN 'it' THEN 'italian' WHEN 'lt' THEN 'lithuanian' WHEN 'ne' THEN 'nepali' WHEN 'no' THEN 'norwegian'
          WHEN 'nb' THEN 'norwegian' WHEN 'nn' THEN 'norwegian' WHEN 'pt' THEN 'portuguese' WHEN 'ro' THEN 'romanian'
          WHEN 'ru' THEN 'russian' WHEN 'sr' THEN 'serbian' WHEN 'es' THEN 'spanish' WHEN 'sv' THEN 'swedish'
          WHEN 'ta' THEN 'tamil' WHEN 'tr' THEN 'turkish' WHEN 'yi' THEN 'yiddish'
        END),
    'pg_catalog.simple'::regconfig)
$$;

-- Text in one weight class: stemmed in `config` and unstemmed.
CREATE FUNCTION search_weighted(config regconfig, body text, weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN body IS NULL OR body = '' THEN ''::tsvector
    WHEN config = 'pg_catalog.simple'::regconfig THEN setweight(to_tsvector('pg_catalog.simple', body), weight)
    ELSE setweight(to_tsvector(config, body) || to_tsvector('pg_catalog.simple', body), weight)
  END
$$;

CREATE AGGREGATE search_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

-- The document of one entity, from the current rows of every table its text comes from.
CREATE FUNCTION search_document_of(entity uuid, default_locale text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
  SELECT
    coalesce((
      SELECT search_tsvector_agg(
                search_weighted(search_language(a.locale), a.title, 'A')
             || search_weighted(search_language(a.locale), a."seoTitle", 'B')
             || search_weighted(search_language(a.locale), a."seoDescription", 'C')
             || search_weighted(search_language(a.locale), a.description, 'D')
             ORDER BY a.locale)
        FROM catalog_attribute a WHERE a."entityId" = entity), ''::tsvector)
    -- A SKU as written (TSH-RED-M), its parts (tsh, red, m) and compacted (tshredm), so TB-42, "tb 42",
    -- tb42 and 42 all find it.
    || search_weighted('pg_catalog.simple',
         (SELECT string_agg(v.sku || ' ' || regexp_replace(v.sku, '[^[:alnum:]]+', ' ', 'g')
                                  || ' ' || regexp_replace(v.sku, '[^[:alnum:]]+', '', 'g'), ' ' ORDER BY v.sku)
            FROM variant v WHERE v."entityId" = entity), 'B')
    || search_weighted(search_language(default_locale),
         (SELECT string_agg(b.name, ' ' ORDER BY b.name)
            FROM entity_brand eb JOIN brand b ON b.id = eb."brandId" WHERE eb."entityId" = entity), 'B')
    || search_weighted(search_language(default_locale),
         (SELECT string_agg(c.name, ' ' ORDER BY c.name)
            FROM entity_category ec JOIN category c ON c.id = ec."categoryId" WHERE ec."entityId" = entity), 'B')
$$;

-- Rebuilds the documents of these entities (those that still exist; a deleted entity's document goes
-- with it through the foreign key). Rows are locked in id order, so concurrent refreshes cannot deadlock
-- on each other.
CREATE FUNCTION search_refresh(entities uuid[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO search_document ("entityId", document, "updatedAt")
  SELECT e.id, search_document_of(e.id, s."defaultLocale"), now()
    FROM catalog_entity e JOIN store s ON s.id = e."storeId"
   WHERE e.id = ANY (entities)
   ORDER BY e.id
  ON CONFLICT ("entityId") DO UPDATE SET document = EXCLUDED.document, "updatedAt" = EXCLUDED."updatedAt"
$$;

-- Statement-level triggers with transition tables: a statement that writes many rows (generated
-- variants, a category rename) refreshes each affected entity once, in the same transaction.
CREATE FUNCTION search_entity_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT "entityId" FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM search_refresh(ARRAY(SELECT "entityId" FROM new_rows UNION SELECT "entityId" FROM old_rows));
  ELSE
    PERFORM search_refresh(ARRAY(SELECT DISTINCT "entityId" FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION search_entity_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_refresh(ARRAY(SELECT id FROM new_rows));
  RETURN NULL;
END
$$;

CREATE TRIGGER search_entity_insert AFTER INSERT ON catalog_entity
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_inserted();

CREATE TRIGGER search_attribute_insert AFTER INSERT ON catalog_attribute
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_attribute_update AFTER UPDATE ON catalog_attribute
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_attribute_delete AFTER DELETE ON catalog_attribute
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();

CREATE TRIGGER search_variant_insert AFTER INSERT ON variant
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_variant_update AFTER UPDATE ON variant
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_variant_delete AFTER DELETE ON variant
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();

CREATE TRIGGER search_entity_category_insert AFTER INSERT ON entity_category
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_entity_category_update AFTER UPDATE ON entity_category
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_entity_category_delete AFTER DELETE ON entity_category
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();

CREATE TRIGGER search_entity_brand_insert AFTER INSERT ON entity_brand
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_entity_brand_update AFTER UPDATE ON entity_brand
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();
CREATE TRIGGER search_entity_brand_delete AFTER DELETE ON entity_brand
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entity_rows_changed();

-- Renaming a brand or category re-indexes the entities linked to it (deleting one deletes its links,
-- which the triggers above see).
CREATE FUNCTION search_category_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_refresh(ARRAY(SELECT "entityId" FROM entity_category WHERE "categoryId" = NEW.id));
  RETURN NULL;
END
$$;
CREATE TRIGGER search_category_rename AFTER UPDATE OF name ON category
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_category_renamed();

CREATE FUNCTION search_brand_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_refresh(ARRAY(SELECT "entityId" FROM entity_brand WHERE "brandId" = NEW.id));
  RETURN NULL;
END
$$;
CREATE TRIGGER search_brand_rename AFTER UPDATE OF name ON brand
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_brand_renamed();

-- The store's default locale decides how brand and category names are stemmed.
CREATE FUNCTION search_store_locale_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_refresh(ARRAY(SELECT id FROM catalog_entity WHERE "storeId" = NEW.id));
  RETURN NULL;
END
$$;
CREATE TRIGGER search_store_locale AFTER UPDATE OF "defaultLocale" ON store
  FOR EACH ROW WHEN (OLD."defaultLocale" IS DISTINCT FROM NEW."defaultLocale") EXECUTE FUNCTION search_store_locale_changed();

-- Entities that exist already.
SELECT search_refresh(ARRAY(SELECT id FROM catalog_entity));

-- Typo tolerance uses pg_trgm's similarity() when the database has it. It is installed in the public
-- schema so that it outlives the per-test schemas and every schema of the database sees it; the
-- application looks up where it is. Without it (PGlite built without the extension, no privilege),
-- search works without typo tolerance.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%); search works without typo tolerance', SQLERRM;
END
$$;
