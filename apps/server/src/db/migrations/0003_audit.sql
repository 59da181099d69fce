-- The audit trail: append-only, hash-chained per chain key (one chain per service point,
-- a few for citizens and the system), so writes at different stations never wait on each
-- other, while any edit inside a chain breaks every hash after it.
CREATE TABLE audit_log (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chain               text NOT NULL,
  seq                 bigint NOT NULL,
  occurred_at         timestamptz NOT NULL,
  actor_user_id       uuid,
  actor_name          text,
  actor_roles         text[] NOT NULL DEFAULT '{}',
  actor_service_point text,
  request_id          text,
  ip                  text,
  action              text NOT NULL,
  target_type         text,
  target_id           text,
  region_code         text,
  before              jsonb,
  after               jsonb,
  outcome             text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
  prev_hash           text NOT NULL,
  hash                text NOT NULL,
  UNIQUE (chain, seq)
);
CREATE INDEX audit_log_region_idx ON audit_log (region_code text_pattern_ops, id);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);

CREATE TABLE audit_chain_head (
  chain text PRIMARY KEY,
  seq   bigint NOT NULL,
  hash  text NOT NULL
);

-- Through the application, audit rows can be added and read, never changed.
CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();
