-- Rollups that keep the leader's figures fast at millions of cases. Triggers keep them in
-- step, in the transaction that changes what they count, whoever writes it: the case steps,
-- a calendar change that moves due dates, a bulk load, a rebuild of stats_monthly.
--
--  stats_area_monthly  stats_monthly without item and channel: one row per township and month.
--                      Totals, the drill-down by child region and the monthly trend sum at
--                      most townships × months rows.
--  stats_item_monthly  stats_monthly by county, month and item: the items most asked for in a
--                      city sum counties × months × items rows, not every township's.
--  stats_open          the cases whose clock runs now and the open follow-ups (回访), counted
--                      by township and due date: "open" is the sum, "overdue" the sum over due
--                      dates before today. Rows that fall to zero are deleted, so it holds no
--                      more rows than townships × the due dates of open cases.
--
-- Statement triggers with transition tables take a bulk write in one statement; row triggers
-- with WHEN clauses fire only when a clock or a follow-up actually moves. All are ENABLE
-- ALWAYS: a bulk loader that sets session_replication_role = replica to skip foreign-key
-- checks still keeps the rollups right.

CREATE TABLE stats_area_monthly (
  region_code  text NOT NULL,          -- as in stats_monthly: the receiving township (or above)
  month        date NOT NULL,
  submitted    integer NOT NULL DEFAULT 0,
  accepted     integer NOT NULL DEFAULT 0,
  concluded    integer NOT NULL DEFAULT 0,
  approved     integer NOT NULL DEFAULT 0,
  denied       integer NOT NULL DEFAULT 0,
  refused      integer NOT NULL DEFAULT 0,
  withdrawn    integer NOT NULL DEFAULT 0,
  on_time      integer NOT NULL DEFAULT 0,
  late         integer NOT NULL DEFAULT 0,
  cross_region integer NOT NULL DEFAULT 0,
  rating_1     integer NOT NULL DEFAULT 0,
  rating_2     integer NOT NULL DEFAULT 0,
  rating_3     integer NOT NULL DEFAULT 0,
  rating_4     integer NOT NULL DEFAULT 0,
  rating_5     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, month)
);
CREATE INDEX stats_area_monthly_region_idx ON stats_area_monthly (region_code text_pattern_ops, month);

CREATE TABLE stats_item_monthly (
  region_code  text NOT NULL,          -- the receiving county (or the city, for its own centre)
  month        date NOT NULL,
  item_code    text NOT NULL,
  submitted    integer NOT NULL DEFAULT 0,
  accepted     integer NOT NULL DEFAULT 0,
  concluded    integer NOT NULL DEFAULT 0,
  approved     integer NOT NULL DEFAULT 0,
  denied       integer NOT NULL DEFAULT 0,
  refused      integer NOT NULL DEFAULT 0,
  withdrawn    integer NOT NULL DEFAULT 0,
  on_time      integer NOT NULL DEFAULT 0,
  late         integer NOT NULL DEFAULT 0,
  cross_region integer NOT NULL DEFAULT 0,
  rating_1     integer NOT NULL DEFAULT 0,
  rating_2     integer NOT NULL DEFAULT 0,
  rating_3     integer NOT NULL DEFAULT 0,
  rating_4     integer NOT NULL DEFAULT 0,
  rating_5     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, month, item_code)
);
CREATE INDEX stats_item_monthly_region_idx ON stats_item_monthly (region_code text_pattern_ops, month);

-- stats_monthly rows added: add them to the coarser rollups.
CREATE FUNCTION stats_monthly_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- An upsert fires both the INSERT and the UPDATE trigger; one of them has nothing to add.
  IF NOT EXISTS (SELECT FROM new_rows) THEN RETURN NULL; END IF;
  WITH d AS (SELECT 1 AS sign, * FROM new_rows),
  area AS (
    INSERT INTO stats_area_monthly AS t (region_code, month,
        submitted, accepted, concluded, approved, denied,
        refused, withdrawn, on_time, late, cross_region,
        rating_1, rating_2, rating_3, rating_4, rating_5)
    SELECT region_code, month,
        sum(sign * submitted), sum(sign * accepted), sum(sign * concluded), sum(sign * approved),
        sum(sign * denied), sum(sign * refused), sum(sign * withdrawn), sum(sign * on_time),
        sum(sign * late), sum(sign * cross_region), sum(sign * rating_1), sum(sign * rating_2),
        sum(sign * rating_3), sum(sign * rating_4), sum(sign * rating_5)
    FROM d GROUP BY region_code, month
    ON CONFLICT (region_code, month) DO UPDATE SET
      submitted = t.submitted + excluded.submitted, accepted = t.accepted + excluded.accepted,
      concluded = t.concluded + excluded.concluded, approved = t.approved + excluded.approved,
      denied = t.denied + excluded.denied, refused = t.refused + excluded.refused,
      withdrawn = t.withdrawn + excluded.withdrawn, on_time = t.on_time + excluded.on_time,
      late = t.late + excluded.late, cross_region = t.cross_region + excluded.cross_region,
      rating_1 = t.rating_1 + excluded.rating_1, rating_2 = t.rating_2 + excluded.rating_2,
      rating_3 = t.rating_3 + excluded.rating_3, rating_4 = t.rating_4 + excluded.rating_4,
      rating_5 = t.rating_5 + excluded.rating_5)
  INSERT INTO stats_item_monthly AS t (region_code, month, item_code,
      submitted, accepted, concluded, approved, denied,
      refused, withdrawn, on_time, late, cross_region,
      rating_1, rating_2, rating_3, rating_4, rating_5)
  SELECT substr(region_code, 1, 6), month, item_code,
      sum(sign * submitted), sum(sign * accepted), sum(sign * concluded), sum(sign * approved),
      sum(sign * denied), sum(sign * refused), sum(sign * withdrawn), sum(sign * on_time),
      sum(sign * late), sum(sign * cross_region), sum(sign * rating_1), sum(sign * rating_2),
      sum(sign * rating_3), sum(sign * rating_4), sum(sign * rating_5)
  FROM d GROUP BY 1, 2, 3
  ON CONFLICT (region_code, month, item_code) DO UPDATE SET
    submitted = t.submitted + excluded.submitted, accepted = t.accepted + excluded.accepted,
    concluded = t.concluded + excluded.concluded, approved = t.approved + excluded.approved,
    denied = t.denied + excluded.denied, refused = t.refused + excluded.refused,
    withdrawn = t.withdrawn + excluded.withdrawn, on_time = t.on_time + excluded.on_time,
    late = t.late + excluded.late, cross_region = t.cross_region + excluded.cross_region,
    rating_1 = t.rating_1 + excluded.rating_1, rating_2 = t.rating_2 + excluded.rating_2,
    rating_3 = t.rating_3 + excluded.rating_3, rating_4 = t.rating_4 + excluded.rating_4,
    rating_5 = t.rating_5 + excluded.rating_5;
  RETURN NULL;
END $$;

-- stats_monthly rows changed (bumpStats adds to its row): add the difference.
CREATE FUNCTION stats_monthly_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM new_rows) THEN RETURN NULL; END IF;
  WITH d AS (SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows),
  area AS (
    INSERT INTO stats_area_monthly AS t (region_code, month,
        submitted, accepted, concluded, approved, denied,
        refused, withdrawn, on_time, late, cross_region,
        rating_1, rating_2, rating_3, rating_4, rating_5)
    SELECT region_code, month,
        sum(sign * submitted), sum(sign * accepted), sum(sign * concluded), sum(sign * approved),
        sum(sign * denied), sum(sign * refused), sum(sign * withdrawn), sum(sign * on_time),
        sum(sign * late), sum(sign * cross_region), sum(sign * rating_1), sum(sign * rating_2),
        sum(sign * rating_3), sum(sign * rating_4), sum(sign * rating_5)
    FROM d GROUP BY region_code, month
    ON CONFLICT (region_code, month) DO UPDATE SET
      submitted = t.submitted + excluded.submitted, accepted = t.accepted + excluded.accepted,
      concluded = t.concluded + excluded.concluded, approved = t.approved + excluded.approved,
      denied = t.denied + excluded.denied, refused = t.refused + excluded.refused,
      withdrawn = t.withdrawn + excluded.withdrawn, on_time = t.on_time + excluded.on_time,
      late = t.late + excluded.late, cross_region = t.cross_region + excluded.cross_region,
      rating_1 = t.rating_1 + excluded.rating_1, rating_2 = t.rating_2 + excluded.rating_2,
      rating_3 = t.rating_3 + excluded.rating_3, rating_4 = t.rating_4 + excluded.rating_4,
      rating_5 = t.rating_5 + excluded.rating_5)
  INSERT INTO stats_item_monthly AS t (region_code, month, item_code,
      submitted, accepted, concluded, approved, denied,
      refused, withdrawn, on_time, late, cross_region,
      rating_1, rating_2, rating_3, rating_4, rating_5)
  SELECT substr(region_code, 1, 6), month, item_code,
      sum(sign * submitted), sum(sign * accepted), sum(sign * concluded), sum(sign * approved),
      sum(sign * denied), sum(sign * refused), sum(sign * withdrawn), sum(sign * on_time),
      sum(sign * late), sum(sign * cross_region), sum(sign * rating_1), sum(sign * rating_2),
      sum(sign * rating_3), sum(sign * rating_4), sum(sign * rating_5)
  FROM d GROUP BY 1, 2, 3
  ON CONFLICT (region_code, month, item_code) DO UPDATE SET
    submitted = t.submitted + excluded.submitted, accepted = t.accepted + excluded.accepted,
    concluded = t.concluded + excluded.concluded, approved = t.approved + excluded.approved,
    denied = t.denied + excluded.denied, refused = t.refused + excluded.refused,
    withdrawn = t.withdrawn + excluded.withdrawn, on_time = t.on_time + excluded.on_time,
    late = t.late + excluded.late, cross_region = t.cross_region + excluded.cross_region,
    rating_1 = t.rating_1 + excluded.rating_1, rating_2 = t.rating_2 + excluded.rating_2,
    rating_3 = t.rating_3 + excluded.rating_3, rating_4 = t.rating_4 + excluded.rating_4,
    rating_5 = t.rating_5 + excluded.rating_5;
  RETURN NULL;
END $$;

-- stats_monthly rows removed: take them away.
CREATE FUNCTION stats_monthly_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM old_rows) THEN RETURN NULL; END IF;
  WITH d AS (SELECT -1 AS sign, * FROM old_rows),
  area AS (
    INSERT INTO stats_area_monthly AS t (region_code, month,
        submitted, accepted, concluded, approved, denied,
        refused, withdrawn, on_time, late, cross_region,
        rating_1, rating_2, rating_3, rating_4, rating_5)
    SELECT region_code, month,
        sum(sign * submitted), sum(sign * accepted), sum(sign * concluded), sum(sign * approved),
        sum(sign * denied), sum(sign * refused), sum(sign * withdrawn), sum(sign * on_time),
        sum(sign * late), sum(sign * cross_region), sum(sign * rating_1), sum(sign * rating_2),
        sum(sign * rating_3), sum(sign * rating_4), sum(sign * rating_5)
    FROM d GROUP BY region_code, month
    ON CONFLICT (region_code, month) DO UPDATE SET
      submitted = t.submitted + excluded.submitted, accepted = t.accepted + excluded.accepted,
      concluded = t.concluded + excluded.concluded, approved = t.approved + excluded.approved,
      denied = t.denied + excluded.denied, refused = t.refused + excluded.refused,
      withdrawn = t.withdrawn + excluded.withdrawn, on_time = t.on_time + excluded.on_time,
      late = t.late + excluded.late, cross_region = t.cross_region + excluded.cross_region,
      rating_1 = t.rating_1 + excluded.rating_1, rating_2 = t.rating_2 + excluded.rating_2,
      rating_3 = t.rating_3 + excluded.rating_3, rating_4 = t.rating_4 + excluded.rating_4,
      rating_5 = t.rating_5 + excluded.rating_5)
  INSERT INTO stats_item_monthly AS t (region_code, month, item_code,
      submitted, accepted, concluded, approved, denied,
      refused, withdrawn, on_time, late, cross_region,
      rating_1, rating_2, rating_3, rating_4, rating_5)
  SELECT substr(region_code, 1, 6), month, item_code,
      sum(sign * submitted), sum(sign * accepted), sum(sign * concluded), sum(sign * approved),
      sum(sign * denied), sum(sign * refused), sum(sign * withdrawn), sum(sign * on_time),
      sum(sign * late), sum(sign * cross_region), sum(sign * rating_1), sum(sign * rating_2),
      sum(sign * rating_3), sum(sign * rating_4), sum(sign * rating_5)
  FROM d GROUP BY 1, 2, 3
  ON CONFLICT (region_code, month, item_code) DO UPDATE SET
    submitted = t.submitted + excluded.submitted, accepted = t.accepted + excluded.accepted,
    concluded = t.concluded + excluded.concluded, approved = t.approved + excluded.approved,
    denied = t.denied + excluded.denied, refused = t.refused + excluded.refused,
    withdrawn = t.withdrawn + excluded.withdrawn, on_time = t.on_time + excluded.on_time,
    late = t.late + excluded.late, cross_region = t.cross_region + excluded.cross_region,
    rating_1 = t.rating_1 + excluded.rating_1, rating_2 = t.rating_2 + excluded.rating_2,
    rating_3 = t.rating_3 + excluded.rating_3, rating_4 = t.rating_4 + excluded.rating_4,
    rating_5 = t.rating_5 + excluded.rating_5;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_monthly_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE stats_area_monthly, stats_item_monthly;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_monthly_rollup_insert AFTER INSERT ON stats_monthly
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_monthly_inserted();
CREATE TRIGGER stats_monthly_rollup_update AFTER UPDATE ON stats_monthly
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stats_monthly_updated();
CREATE TRIGGER stats_monthly_rollup_delete AFTER DELETE ON stats_monthly
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_monthly_deleted();
CREATE TRIGGER stats_monthly_rollup_truncate AFTER TRUNCATE ON stats_monthly
  FOR EACH STATEMENT EXECUTE FUNCTION stats_monthly_truncated();
ALTER TABLE stats_monthly ENABLE ALWAYS TRIGGER stats_monthly_rollup_insert;
ALTER TABLE stats_monthly ENABLE ALWAYS TRIGGER stats_monthly_rollup_update;
ALTER TABLE stats_monthly ENABLE ALWAYS TRIGGER stats_monthly_rollup_delete;
ALTER TABLE stats_monthly ENABLE ALWAYS TRIGGER stats_monthly_rollup_truncate;

INSERT INTO stats_area_monthly (region_code, month,
    submitted, accepted, concluded, approved, denied,
    refused, withdrawn, on_time, late, cross_region,
    rating_1, rating_2, rating_3, rating_4, rating_5)
SELECT region_code, month,
    sum(submitted), sum(accepted), sum(concluded), sum(approved), sum(denied),
    sum(refused), sum(withdrawn), sum(on_time), sum(late), sum(cross_region),
    sum(rating_1), sum(rating_2), sum(rating_3), sum(rating_4), sum(rating_5)
FROM stats_monthly GROUP BY region_code, month;
INSERT INTO stats_item_monthly (region_code, month, item_code,
    submitted, accepted, concluded, approved, denied,
    refused, withdrawn, on_time, late, cross_region,
    rating_1, rating_2, rating_3, rating_4, rating_5)
SELECT substr(region_code, 1, 6), month, item_code,
    sum(submitted), sum(accepted), sum(concluded), sum(approved), sum(denied),
    sum(refused), sum(withdrawn), sum(on_time), sum(late), sum(cross_region),
    sum(rating_1), sum(rating_2), sum(rating_3), sum(rating_4), sum(rating_5)
FROM stats_monthly GROUP BY 1, 2, 3;

CREATE TABLE stats_open (
  kind         text NOT NULL CHECK (kind IN ('case', 'follow_up')),
  -- a case: its deciding region; a follow-up: its service point's region (township or above)
  region_code  text NOT NULL,
  due_date     date NOT NULL,          -- 'infinity' for a running clock without a due date
  n            integer NOT NULL,
  PRIMARY KEY (kind, region_code, due_date)
);
CREATE INDEX stats_open_region_idx ON stats_open (region_code text_pattern_ops);

-- Adds n (negative: takes away) to one key; a row that falls to zero goes.
CREATE FUNCTION stats_open_add(k text, region text, due date, delta integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF delta > 0 THEN
    INSERT INTO stats_open AS t (kind, region_code, due_date, n)
    VALUES (k, substr(region, 1, 9), coalesce(due, 'infinity'), delta)
    ON CONFLICT (kind, region_code, due_date) DO UPDATE SET n = t.n + excluded.n;
  ELSIF delta < 0 THEN
    UPDATE stats_open SET n = n + delta
    WHERE kind = k AND region_code = substr(region, 1, 9) AND due_date = coalesce(due, 'infinity');
    DELETE FROM stats_open
    WHERE kind = k AND region_code = substr(region, 1, 9) AND due_date = coalesce(due, 'infinity')
      AND n <= 0;
  END IF;
END $$;

-- Cases: a clock runs from acceptance to the result, stopped during a correction or a special
-- procedure.
CREATE FUNCTION stats_open_cases_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_open AS t (kind, region_code, due_date, n)
  SELECT 'case', substr(deciding_region, 1, 9), coalesce(due_date, 'infinity'), count(*)
  FROM new_rows WHERE clock_running_since IS NOT NULL GROUP BY 2, 3
  ON CONFLICT (kind, region_code, due_date) DO UPDATE SET n = t.n + excluded.n;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_open_case_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- OLD and NEW are tested in nested IFs: an expression does not short-circuit.
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.clock_running_since IS NOT NULL THEN
      PERFORM stats_open_add('case', OLD.deciding_region, OLD.due_date, -1);
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.clock_running_since IS NOT NULL THEN
      PERFORM stats_open_add('case', NEW.deciding_region, NEW.due_date, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_open_cases_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stats_open WHERE kind = 'case';
  RETURN NULL;
END $$;

CREATE TRIGGER application_stats_open_insert AFTER INSERT ON application
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_open_cases_inserted();
CREATE TRIGGER application_stats_open_update
  AFTER UPDATE OF clock_running_since, due_date, deciding_region ON application FOR EACH ROW
  WHEN ((OLD.clock_running_since IS NOT NULL OR NEW.clock_running_since IS NOT NULL)
    AND (OLD.clock_running_since IS DISTINCT FROM NEW.clock_running_since
      OR OLD.due_date IS DISTINCT FROM NEW.due_date
      OR OLD.deciding_region IS DISTINCT FROM NEW.deciding_region))
  EXECUTE FUNCTION stats_open_case_moved();
CREATE TRIGGER application_stats_open_delete AFTER DELETE ON application FOR EACH ROW
  WHEN (OLD.clock_running_since IS NOT NULL) EXECUTE FUNCTION stats_open_case_moved();
CREATE TRIGGER application_stats_open_truncate AFTER TRUNCATE ON application
  FOR EACH STATEMENT EXECUTE FUNCTION stats_open_cases_truncated();
ALTER TABLE application ENABLE ALWAYS TRIGGER application_stats_open_insert;
ALTER TABLE application ENABLE ALWAYS TRIGGER application_stats_open_update;
ALTER TABLE application ENABLE ALWAYS TRIGGER application_stats_open_delete;
ALTER TABLE application ENABLE ALWAYS TRIGGER application_stats_open_truncate;

-- Follow-ups (回访 after a bad rating): open until closed, counted where the case was received.
CREATE FUNCTION stats_open_follow_up_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.status = 'open' THEN
      PERFORM stats_open_add('follow_up',
        (SELECT region_code FROM service_point WHERE id = OLD.service_point_id), OLD.due_date, -1);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.status = 'open' THEN
      PERFORM stats_open_add('follow_up',
        (SELECT region_code FROM service_point WHERE id = NEW.service_point_id), NEW.due_date, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_open_follow_ups_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stats_open WHERE kind = 'follow_up';
  RETURN NULL;
END $$;

CREATE TRIGGER follow_up_stats_open_insert AFTER INSERT ON follow_up FOR EACH ROW
  WHEN (NEW.status = 'open') EXECUTE FUNCTION stats_open_follow_up_moved();
CREATE TRIGGER follow_up_stats_open_update
  AFTER UPDATE OF status, due_date, service_point_id ON follow_up FOR EACH ROW
  WHEN ((OLD.status = 'open' OR NEW.status = 'open')
    AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.due_date IS DISTINCT FROM NEW.due_date
      OR OLD.service_point_id IS DISTINCT FROM NEW.service_point_id))
  EXECUTE FUNCTION stats_open_follow_up_moved();
CREATE TRIGGER follow_up_stats_open_delete AFTER DELETE ON follow_up FOR EACH ROW
  WHEN (OLD.status = 'open') EXECUTE FUNCTION stats_open_follow_up_moved();
CREATE TRIGGER follow_up_stats_open_truncate AFTER TRUNCATE ON follow_up
  FOR EACH STATEMENT EXECUTE FUNCTION stats_open_follow_ups_truncated();
ALTER TABLE follow_up ENABLE ALWAYS TRIGGER follow_up_stats_open_insert;
ALTER TABLE follow_up ENABLE ALWAYS TRIGGER follow_up_stats_open_update;
ALTER TABLE follow_up ENABLE ALWAYS TRIGGER follow_up_stats_open_delete;
ALTER TABLE follow_up ENABLE ALWAYS TRIGGER follow_up_stats_open_truncate;

INSERT INTO stats_open (kind, region_code, due_date, n)
SELECT 'case', substr(deciding_region, 1, 9), coalesce(due_date, 'infinity'), count(*)
FROM application WHERE clock_running_since IS NOT NULL GROUP BY 2, 3;
INSERT INTO stats_open (kind, region_code, due_date, n)
SELECT 'follow_up', substr(sp.region_code, 1, 9), f.due_date, count(*)
FROM follow_up f JOIN service_point sp ON sp.id = f.service_point_id
WHERE f.status = 'open' GROUP BY 2, 3;
