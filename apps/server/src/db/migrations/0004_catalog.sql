-- The service-item catalogue (事项目录): items, and their versions. A published version is
-- never changed; a fix is a new version. Applications pin the version they were made under.
CREATE TABLE catalog_item (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code              text NOT NULL UNIQUE,                       -- 实施编码
  scope_region_code text NOT NULL REFERENCES region (code),     -- where it applies
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
  current_version   integer,                                    -- the published version in force
  -- Copied from the version in force (or the first draft) for listing and search:
  name              text NOT NULL,
  name_en           text NOT NULL,
  name_pinyin       text NOT NULL,
  name_initials     text NOT NULL,
  search_text       text NOT NULL,
  department        text NOT NULL,
  item_type         text NOT NULL,
  themes            text[] NOT NULL DEFAULT '{}',
  channels          text[] NOT NULL DEFAULT '{}',
  accept_level      text NOT NULL,
  promised_days     integer NOT NULL,
  visits_required   integer NOT NULL,
  popularity        integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_item_scope_idx ON catalog_item (scope_region_code);
CREATE INDEX catalog_item_themes_idx ON catalog_item USING gin (themes);
CREATE INDEX catalog_item_search_trgm_idx ON catalog_item USING gin (search_text gin_trgm_ops);

CREATE TABLE catalog_item_version (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id      uuid NOT NULL REFERENCES catalog_item (id),
  version      integer NOT NULL CHECK (version > 0),
  status       text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  content      jsonb NOT NULL,
  created_by   uuid REFERENCES app_user (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  published_by uuid REFERENCES app_user (id),
  published_at timestamptz,
  retired_at   timestamptz,
  UNIQUE (item_id, version)
);
-- At most one draft per item at a time.
CREATE UNIQUE INDEX catalog_item_version_one_draft_idx ON catalog_item_version (item_id) WHERE status = 'draft';

-- Enforced in the database as well: a version that has left the draft state keeps its content.
CREATE FUNCTION catalog_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND NEW.content IS DISTINCT FROM OLD.content THEN
    RAISE EXCEPTION 'catalog_item_version % of item % is % and cannot change', OLD.version, OLD.item_id, OLD.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER catalog_version_frozen BEFORE UPDATE ON catalog_item_version
  FOR EACH ROW EXECUTE FUNCTION catalog_version_frozen();
CREATE TRIGGER catalog_version_no_delete BEFORE DELETE ON catalog_item_version
  FOR EACH ROW WHEN (OLD.status <> 'draft') EXECUTE FUNCTION audit_log_immutable();
