-- The figures leaders read, kept in step with the cases: each action adds to its month's
-- row in the same transaction, so the dashboard sums a few thousand rows, never the cases.
CREATE TABLE stats_monthly (
  month          date NOT NULL,          -- first day of the month (China time)
  region_code    text NOT NULL,          -- the receiving point's region, at township level or above
  item_code      text NOT NULL,
  channel        text NOT NULL,
  submitted      integer NOT NULL DEFAULT 0,
  accepted       integer NOT NULL DEFAULT 0,
  concluded      integer NOT NULL DEFAULT 0,
  approved       integer NOT NULL DEFAULT 0,
  denied         integer NOT NULL DEFAULT 0,
  refused        integer NOT NULL DEFAULT 0,
  withdrawn      integer NOT NULL DEFAULT 0,
  on_time        integer NOT NULL DEFAULT 0,
  late           integer NOT NULL DEFAULT 0,
  cross_region   integer NOT NULL DEFAULT 0,
  rating_1       integer NOT NULL DEFAULT 0,
  rating_2       integer NOT NULL DEFAULT 0,
  rating_3       integer NOT NULL DEFAULT 0,
  rating_4       integer NOT NULL DEFAULT 0,
  rating_5       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, month, item_code, channel)
);
CREATE INDEX stats_monthly_month_idx ON stats_monthly (month);
CREATE INDEX application_overdue_idx ON application (deciding_region text_pattern_ops, due_date) WHERE clock_running_since IS NOT NULL;
CREATE INDEX follow_up_open_idx ON follow_up (status, due_date);
