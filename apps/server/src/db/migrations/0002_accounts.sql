-- Residents and households (personal data), staff and citizen accounts, sessions, SMS.

CREATE TABLE household (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_no text NOT NULL UNIQUE,                 -- 户号
  region_code  text NOT NULL REFERENCES region (code), -- the village or community of registration
  address      text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX household_region_idx ON household (region_code text_pattern_ops);

-- ID numbers are never stored in clear: AES-256-GCM ciphertext for the detail view, an
-- HMAC for exact lookup, the masked form for lists. All three come from one key in config.
-- No birth date is stored beside them: it is exactly the 8 digits the mask hides, so the
-- two together would give the number back. Age and birth date come from the decrypted number.
CREATE TABLE resident (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL,
  id_number_cipher text NOT NULL,
  id_number_hmac   text NOT NULL UNIQUE,
  id_number_masked text NOT NULL,
  sex              text NOT NULL CHECK (sex IN ('male', 'female')),
  mobile           text,
  region_code      text NOT NULL REFERENCES region (code),
  household_id     uuid REFERENCES household (id),
  relationship     text CHECK (relationship IN ('head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other')),
  name_pinyin      text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_region_idx ON resident (region_code text_pattern_ops);
CREATE INDEX resident_household_idx ON resident (household_id);
CREATE INDEX resident_mobile_idx ON resident (mobile);

CREATE TABLE app_user (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind                text NOT NULL CHECK (kind IN ('staff', 'citizen')),
  username            text UNIQUE,
  display_name        text NOT NULL,
  password_hash       text,
  mobile              text,
  service_point_id    uuid REFERENCES service_point (id),
  department          text,
  resident_id         uuid REFERENCES resident (id),
  active              boolean NOT NULL DEFAULT true,
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  password_changed_at timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'staff' OR (username IS NOT NULL AND password_hash IS NOT NULL AND service_point_id IS NOT NULL)),
  CHECK (kind <> 'citizen' OR mobile IS NOT NULL)
);
CREATE UNIQUE INDEX app_user_citizen_mobile_idx ON app_user (mobile) WHERE kind = 'citizen';
CREATE INDEX app_user_service_point_idx ON app_user (service_point_id);

CREATE TABLE user_role (
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  role    text NOT NULL CHECK (role IN ('village_agent', 'township_clerk', 'township_approver', 'department_officer', 'county_admin', 'city_admin', 'leader', 'system_admin')),
  PRIMARY KEY (user_id, role)
);

-- Opaque tokens; only their SHA-256 is stored, so a database dump cannot sign anyone in.
CREATE TABLE user_session (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  token_hash   text NOT NULL UNIQUE,
  csrf_token   text,
  ip           text,
  user_agent   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- One-time codes for citizens' sign-in; only a hash of the code is kept.
CREATE TABLE sms_code (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mobile     text NOT NULL,
  purpose    text NOT NULL,
  code_hash  text NOT NULL,
  ip         text,
  attempts   integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX sms_code_mobile_idx ON sms_code (mobile, created_at);
CREATE INDEX sms_code_ip_idx ON sms_code (ip, created_at);

-- What the default SMS driver "sends": the message as the phone would show it.
CREATE TABLE sms_message (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mobile     text NOT NULL,
  body       text NOT NULL,
  purpose    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_message_mobile_idx ON sms_message (mobile, created_at);
