-- Administrative divisions (行政区划) and the service points attached to them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE region (
  code          text PRIMARY KEY CHECK (code ~ '^[0-9]+$' AND length(code) IN (2, 4, 6, 9, 12)),
  name          text NOT NULL,
  level         text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
  parent_code   text REFERENCES region (code) DEFERRABLE INITIALLY DEFERRED,
  name_pinyin   text NOT NULL,   -- full pinyin, lower case, no spaces: "xiushanzhen"
  name_initials text NOT NULL    -- pinyin initials: "xsz"
);

-- children listing and subtree listing walk the primary key in order
CREATE INDEX region_parent_idx ON region (parent_code, code);
CREATE INDEX region_level_code_idx ON region (level, code text_pattern_ops);
CREATE INDEX region_code_pattern_idx ON region (code text_pattern_ops);
CREATE INDEX region_initials_idx ON region (name_initials text_pattern_ops);
CREATE INDEX region_pinyin_idx ON region (name_pinyin text_pattern_ops);
CREATE INDEX region_name_trgm_idx ON region USING gin (name gin_trgm_ops);

CREATE TABLE service_point (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('village_station', 'township_centre', 'county_centre', 'city_centre', 'department_office')),
  region_code text NOT NULL REFERENCES region (code),
  address     text,
  phone       text,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX service_point_region_idx ON service_point (region_code text_pattern_ops);
