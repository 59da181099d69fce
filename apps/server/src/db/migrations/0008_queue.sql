-- The service-hall queue (取号 / 叫号): service groups per service point, the windows that
-- call from them, tickets numbered per group per day, their history, and a monthly rollup
-- the leaders' figures read instead of the tickets.

CREATE TABLE queue_group (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_point_id uuid NOT NULL REFERENCES service_point (id),
  name             text NOT NULL,
  name_en          text NOT NULL DEFAULT '',
  prefix           text NOT NULL CHECK (prefix ~ '^[A-Z]$'),   -- A → A001, A002…
  -- Interleaving: after this many normal calls a waiting priority ticket goes first.
  priority_every   integer NOT NULL DEFAULT 2 CHECK (priority_every BETWEEN 1 AND 20),
  normal_streak    integer NOT NULL DEFAULT 0,                 -- normal calls since the last priority call
  streak_day       date,                                       -- the day normal_streak counts for
  active           boolean NOT NULL DEFAULT true,
  sort             integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (service_point_id, prefix)
);

CREATE TABLE queue_window (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_point_id uuid NOT NULL REFERENCES service_point (id),
  name             text NOT NULL,
  group_ids        uuid[] NOT NULL,                            -- called from in this order
  active           boolean NOT NULL DEFAULT true,
  seated_user_id   uuid REFERENCES app_user (id),
  seated_at        timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (service_point_id, name)
);
-- One window per person at a time.
CREATE UNIQUE INDEX queue_window_seated_idx ON queue_window (seated_user_id) WHERE seated_user_id IS NOT NULL;

CREATE TABLE queue_day_seq (
  group_id uuid NOT NULL REFERENCES queue_group (id),
  day      date NOT NULL,
  last_no  integer NOT NULL,
  PRIMARY KEY (group_id, day)
);

-- A transfer ends the ticket ('transferred') and opens a new row in the other group with
-- the same number, day and issue time, so waiting counts from the first issue.
CREATE TABLE queue_ticket (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_point_id   uuid NOT NULL REFERENCES service_point (id),
  group_id           uuid NOT NULL REFERENCES queue_group (id),
  day                date NOT NULL,                            -- China date of the first issue
  seq                integer NOT NULL,
  number             text NOT NULL,
  priority           text CHECK (priority IN ('elderly', 'disabled')),
  channel            text NOT NULL CHECK (channel IN ('kiosk', 'desk')),
  status             text NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred')),
  issued_at          timestamptz NOT NULL,
  issued_by          uuid REFERENCES app_user (id),
  called_at          timestamptz,                              -- the first call of this row
  last_called_at     timestamptz,
  call_count         integer NOT NULL DEFAULT 0,
  window_id          uuid REFERENCES queue_window (id),
  served_by          uuid REFERENCES app_user (id),
  serving_started_at timestamptz,
  finished_at        timestamptz,
  application_id     uuid REFERENCES application (id),
  application_no     text,
  transferred_from   uuid REFERENCES queue_ticket (id),
  transferred_to     uuid REFERENCES queue_ticket (id),
  note               text,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_ticket_waiting_idx ON queue_ticket (group_id, day, issued_at) WHERE status = 'waiting';
CREATE INDEX queue_ticket_day_idx ON queue_ticket (service_point_id, day);
-- A window has at most one ticket called or being served.
CREATE UNIQUE INDEX queue_ticket_window_current_idx ON queue_ticket (window_id) WHERE status IN ('called', 'serving');

-- Every state change of a ticket; the id is also the hall display stream's event id.
CREATE TABLE queue_ticket_event (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id        uuid NOT NULL REFERENCES queue_ticket (id),
  service_point_id uuid NOT NULL REFERENCES service_point (id),
  day              date NOT NULL,
  event            text NOT NULL,
  from_status      text,
  to_status        text NOT NULL,
  number           text NOT NULL,
  group_name       text NOT NULL,
  group_name_en    text NOT NULL DEFAULT '',
  window_id        uuid REFERENCES queue_window (id),
  window_name      text,
  actor_user_id    uuid REFERENCES app_user (id),
  actor_name       text,
  payload          jsonb,
  request_id       text,
  occurred_at      timestamptz NOT NULL
);
CREATE INDEX queue_ticket_event_sp_idx ON queue_ticket_event (service_point_id, id);
CREATE INDEX queue_ticket_event_ticket_idx ON queue_ticket_event (ticket_id, id);

CREATE FUNCTION queue_ticket_event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'queue_ticket_event is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER queue_ticket_event_no_update BEFORE UPDATE OR DELETE ON queue_ticket_event
  FOR EACH ROW EXECUTE FUNCTION queue_ticket_event_immutable();

-- Kept in the same transaction as each issue, finish and skip: counts, and waiting and
-- serving times in fixed buckets (see queue.histogram.ts), so a region's percentiles come
-- from summed histograms and never from the tickets.
CREATE TABLE queue_stats_monthly (
  month            date NOT NULL,                              -- first day of the month of the ticket's day
  service_point_id uuid NOT NULL REFERENCES service_point (id),
  region_code      text NOT NULL,                              -- the service point's region
  tickets          integer NOT NULL DEFAULT 0,
  served           integer NOT NULL DEFAULT 0,
  no_show          integer NOT NULL DEFAULT 0,
  wait_hist        integer[] NOT NULL,
  serve_hist       integer[] NOT NULL,
  PRIMARY KEY (service_point_id, month)
);
CREATE INDEX queue_stats_monthly_region_idx ON queue_stats_monthly (region_code text_pattern_ops, month);
