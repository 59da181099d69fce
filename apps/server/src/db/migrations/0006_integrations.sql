-- The integration hub: department systems (connectors), webhook subscribers, the message log,
-- and what makes inbound calls safe to repeat (nonces, message ids).

-- A department's back-office system. `system_key` is what an item's routing names
-- (routing.departmentSystem: hrss, medical-insurance, civil-affairs, public-security).
CREATE TABLE department_system (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code                text NOT NULL UNIQUE,          -- e.g. hrss-4309
  system_key          text NOT NULL,
  name                text NOT NULL,
  department          text NOT NULL,
  base_url            text NOT NULL,
  client_id           text NOT NULL UNIQUE,          -- x-yimen-system on its calls to us
  auth_kind           text NOT NULL CHECK (auth_kind IN ('hmac', 'ed25519')),
  secret_cipher       text,                          -- hmac: the shared secret, encrypted
  peer_public_key     text,                          -- ed25519: the department's public key
  platform_public_key text,                          -- ed25519: ours, for them to verify us
  platform_key_cipher text,                          -- ed25519: our private key, encrypted
  items               text[] NOT NULL DEFAULT '{}',  -- item codes it takes; empty: every item routed to system_key
  events              text[] NOT NULL DEFAULT '{}',  -- case events it subscribes to
  timeout_ms          integer NOT NULL DEFAULT 10000 CHECK (timeout_ms BETWEEN 100 AND 120000),
  service_point_id    uuid REFERENCES service_point (id), -- its office: whose seal signs its results
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((auth_kind = 'hmac' AND secret_cipher IS NOT NULL)
      OR (auth_kind = 'ed25519' AND peer_public_key IS NOT NULL AND platform_key_cipher IS NOT NULL))
);
CREATE INDEX department_system_key_idx ON department_system (system_key) WHERE active;

-- The case is with this system while its status is with_department; callbacks and pulls
-- are allowed only for the cases a system owns.
ALTER TABLE application ADD COLUMN department_system_id uuid REFERENCES department_system (id);
CREATE INDEX application_department_idx ON application (department_system_id, status, submitted_at)
  WHERE department_system_id IS NOT NULL;

-- Webhooks: case events delivered to registered URLs, signed with the subscription's secret.
CREATE TABLE webhook_subscription (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL,
  url           text NOT NULL,
  secret_cipher text NOT NULL,
  events        text[] NOT NULL,
  region_code   text,                                -- only cases decided within this region
  active        boolean NOT NULL DEFAULT true,
  created_by    uuid REFERENCES app_user (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Every outbox row carries an id the receiver deduplicates on, and the receiver it is for.
ALTER TABLE outbox ADD COLUMN message_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE outbox ADD COLUMN target_id uuid;
ALTER TABLE outbox ADD COLUMN replayed_at timestamptz;
CREATE UNIQUE INDEX outbox_message_id_idx ON outbox (message_id);
CREATE INDEX outbox_dead_idx ON outbox (topic, id) WHERE status = 'dead';
-- A message queued behind an earlier pending one of its ordering key (its case, for one
-- receiver) waits at a far-future time instead of being due: the dispatcher's claim then walks
-- only the heads of the queues, so a backlog of 100,000, or a receiver down for a day, costs
-- no claim more than the messages actually due. Settling a head wakes the next one (in the
-- same transaction). FOR SHARE makes an enqueue wait for a head being settled right now, so
-- the head cannot be settled without seeing the message queued behind it.
-- Planned on every call: a plan cached while the outbox was small would scan it whole.
CREATE FUNCTION outbox_queue_behind() RETURNS trigger LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  IF NEW.ordering_key IS NOT NULL THEN
    PERFORM 1 FROM outbox WHERE ordering_key = NEW.ordering_key AND status = 'pending' FOR SHARE;
    IF FOUND THEN
      NEW.next_attempt_at := '9999-01-01 00:00:00+00';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER outbox_queue_behind BEFORE INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION outbox_queue_behind();
CREATE INDEX outbox_target_idx ON outbox (target_id, status) WHERE status IN ('pending', 'dead');

-- Every exchange with the outside, both ways: what was sent and answered, hashes of the
-- exact bytes, timings and the outcome. Bodies are kept with personal data masked.
CREATE TABLE message_log (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  direction        text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  channel          text NOT NULL,                  -- department, webhook, nats, callback, pull
  system_id        uuid,
  subscription_id  uuid,
  outbox_id        bigint,
  message_id       text,
  request_id       text,
  application_id   uuid,
  application_no   text,
  method           text,
  url              text NOT NULL,
  request_headers  jsonb,
  request_body     jsonb,
  request_sha256   text,
  status_code      integer,
  response_headers jsonb,
  response_body    jsonb,
  response_sha256  text,
  outcome          text NOT NULL,                  -- delivered, accepted, rejected, later, failed, refused, processed
  error            text,
  started_at       timestamptz NOT NULL,
  duration_ms      integer NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_log_application_idx ON message_log (application_no, created_at);
CREATE INDEX message_log_created_idx ON message_log (created_at);

-- Replay protection: a nonce is accepted once per system within the timestamp window.
CREATE TABLE inbound_nonce (
  system_id  uuid NOT NULL REFERENCES department_system (id),
  nonce      text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (system_id, nonce)
);
CREATE INDEX inbound_nonce_expires_idx ON inbound_nonce (expires_at);

-- Idempotency by the sender's message id: a repeat gets the first answer.
CREATE TABLE inbound_message (
  system_id    uuid NOT NULL REFERENCES department_system (id),
  message_id   text NOT NULL,
  request_hash text NOT NULL,
  status_code  integer NOT NULL,
  response     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (system_id, message_id)
);
CREATE INDEX inbound_message_created_idx ON inbound_message (created_at);
