-- Applications (办件): the case, its append-only action log, materials, results, clocks,
-- notices and ratings.

-- Official holidays and make-up workdays loaded by an administrator; they take precedence
-- over the chinese-days package, which knows only the years published before its release.
CREATE TABLE calendar_year (
  year       integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  source     text NOT NULL,               -- e.g. '国务院办公厅关于2027年部分节假日安排的通知'
  loaded_by  uuid REFERENCES app_user (id),
  loaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE calendar_day (
  day  date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),  -- workday: a make-up Saturday or Sunday
  name text NOT NULL DEFAULT ''
);

-- Uploaded files, content-addressed: the bytes live on disk under their SHA-256.
CREATE TABLE stored_file (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size        integer NOT NULL,
  mime        text NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  uploaded_by uuid REFERENCES app_user (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Per service point and day, the last sequence number handed out: 430903105237-20261129-0007.
CREATE TABLE application_no_seq (
  service_point_code text NOT NULL,
  day                date NOT NULL,
  last_no            integer NOT NULL,
  PRIMARY KEY (service_point_code, day)
);

CREATE TABLE application (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_no       text NOT NULL UNIQUE,
  item_id              uuid NOT NULL REFERENCES catalog_item (id),
  item_code            text NOT NULL,
  item_version         integer NOT NULL,
  item_name            text NOT NULL,
  applicant_id         uuid NOT NULL REFERENCES resident (id),
  applicant_name       text NOT NULL,
  channel              text NOT NULL CHECK (channel IN ('online', 'counter', 'proxy')),
  submitted_by         uuid REFERENCES app_user (id),
  proxy_consent        jsonb,
  form_data            jsonb NOT NULL,       -- ID numbers in it are masked
  form_sealed          jsonb,                -- and their ciphertexts kept here
  -- where the case is: received, accepted, decided, delivered
  received_sp_id       uuid NOT NULL REFERENCES service_point (id),
  received_region      text NOT NULL,
  accepting_sp_id      uuid NOT NULL REFERENCES service_point (id),
  deciding_sp_id       uuid NOT NULL REFERENCES service_point (id),
  deciding_region      text NOT NULL,
  deliver_sp_id        uuid NOT NULL REFERENCES service_point (id),
  delivery_method      text,
  cross_region         boolean NOT NULL DEFAULT false,
  -- the state, derived from the action log and kept here for queries
  status               text NOT NULL,
  resume_status        text,                 -- where a stopped clock returns to
  version              integer NOT NULL DEFAULT 1,
  -- the clock, in working days
  promised_days        integer NOT NULL,
  accepted_at          timestamptz,
  clock_running_since  date,
  working_days_used    integer NOT NULL DEFAULT 0,
  due_date             date,
  warn_date            date,                 -- 80% of the time used: the light turns yellow
  due_is_estimate      boolean NOT NULL DEFAULT false, -- due date in a year without official holidays
  decision             text CHECK (decision IN ('approved', 'denied')),
  outcome              text,                 -- approved, denied, refused, withdrawn
  concluded_at         timestamptz,
  submitted_at         timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_accepting_idx ON application (accepting_sp_id, status, due_date);
CREATE INDEX application_deciding_idx ON application (deciding_sp_id, status, due_date);
CREATE INDEX application_deliver_idx ON application (deliver_sp_id, status, due_date);
CREATE INDEX application_received_idx ON application (received_sp_id, submitted_at);
CREATE INDEX application_applicant_idx ON application (applicant_id, submitted_at);
CREATE INDEX application_item_idx ON application (item_code, submitted_at);

-- The append-only log every state is derived from.
CREATE TABLE application_action (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES application (id),
  seq            integer NOT NULL,
  action         text NOT NULL,
  from_status    text,
  to_status      text NOT NULL,
  actor_kind     text NOT NULL CHECK (actor_kind IN ('staff', 'citizen', 'department', 'system')),
  actor_user_id  uuid REFERENCES app_user (id),
  actor_name     text,
  actor_roles    text[] NOT NULL DEFAULT '{}',
  actor_sp_code  text,
  comment        text,
  payload        jsonb,
  attachments    jsonb,
  request_id     text,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (application_id, seq)
);
CREATE TRIGGER application_action_append_only BEFORE UPDATE OR DELETE ON application_action
  FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();

CREATE TABLE application_material (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL REFERENCES application (id),
  material_key   text NOT NULL,
  source         text NOT NULL CHECK (source IN ('upload', 'eCertificate')),
  file_sha256    text REFERENCES stored_file (sha256),
  certificate_no text,
  filename       text,
  added_by       uuid REFERENCES app_user (id),
  added_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (file_sha256 IS NOT NULL OR certificate_no IS NOT NULL)
);
CREATE INDEX application_material_app_idx ON application_material (application_id);

-- Replays of a retried request get the first answer, never a second case or action.
CREATE TABLE idempotency_key (
  user_id      uuid NOT NULL REFERENCES app_user (id),
  key          text NOT NULL,
  request_hash text NOT NULL,
  status_code  integer,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- One seal per deciding unit: Ed25519, the private key encrypted; retired keys stay
-- published so that old certificates still verify.
CREATE TABLE seal_key (
  key_id             text PRIMARY KEY,
  service_point_id   uuid NOT NULL REFERENCES service_point (id),
  public_key         text NOT NULL,          -- base64url raw 32 bytes (JWK x)
  private_key_cipher text NOT NULL,
  status             text NOT NULL CHECK (status IN ('active', 'retired')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  retired_at         timestamptz
);
CREATE UNIQUE INDEX seal_key_one_active_idx ON seal_key (service_point_id) WHERE status = 'active';

CREATE TABLE certificate (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  certificate_no     text NOT NULL UNIQUE,
  application_id     uuid NOT NULL REFERENCES application (id),
  item_code          text NOT NULL,
  holder_id          uuid NOT NULL REFERENCES resident (id),
  payload            jsonb NOT NULL,
  payload_canonical  text NOT NULL,           -- the exact signed bytes, UTF-8
  signature          text NOT NULL,           -- base64url Ed25519
  key_id             text NOT NULL REFERENCES seal_key (key_id),
  status             text NOT NULL CHECK (status IN ('valid', 'revoked')),
  issued_at          timestamptz NOT NULL DEFAULT now(),
  revoked_at         timestamptz,
  revoke_reason      text
);
CREATE INDEX certificate_holder_idx ON certificate (holder_id, item_code);

CREATE TABLE certificate_no_seq (
  service_point_code text NOT NULL,
  year               integer NOT NULL,
  last_no            integer NOT NULL,
  PRIMARY KEY (service_point_code, year)
);

-- In-app notices; SMS copies go out through the outbox.
CREATE TABLE notification (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resident_id    uuid NOT NULL REFERENCES resident (id),
  application_id uuid REFERENCES application (id),
  kind           text NOT NULL,
  title          text NOT NULL,
  body           text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  read_at        timestamptz
);
CREATE INDEX notification_resident_idx ON notification (resident_id, created_at);

-- Everything that must leave the process, written in the transaction that caused it.
CREATE TABLE outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic           text NOT NULL,             -- sms, department, event
  ordering_key    text,                      -- messages with one key are delivered in order
  application_id  uuid,
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_ordering_idx ON outbox (ordering_key, id) WHERE status = 'pending';

-- 好差评: one rating per concluded case; a bad one opens a follow-up (回访).
CREATE TABLE rating (
  application_id uuid PRIMARY KEY REFERENCES application (id),
  resident_id    uuid NOT NULL REFERENCES resident (id),
  grade          smallint NOT NULL CHECK (grade BETWEEN 1 AND 5), -- 5 非常满意 … 1 非常不满意
  comment        text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE follow_up (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id   uuid NOT NULL UNIQUE REFERENCES application (id),
  service_point_id uuid NOT NULL REFERENCES service_point (id),
  due_date         date NOT NULL,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz,
  closed_by        uuid REFERENCES app_user (id)
);
CREATE INDEX follow_up_sp_idx ON follow_up (service_point_id, status, due_date);
