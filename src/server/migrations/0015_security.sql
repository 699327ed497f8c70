-- Accounts hardening (issue 7): TOTP second factor, lockout, idle expiry, API-key rotation.

-- TOTP (RFC 6238). `totp_secret` is the confirmed base32 secret; `totp_pending` one being enrolled,
-- confirmed by the first login that presents a valid code for it.
ALTER TABLE users
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_pending text;

-- Failed logins per username, whether or not the user exists, so a lockout reveals nothing.
CREATE TABLE login_attempts (
  username     text PRIMARY KEY,
  failures     integer NOT NULL,
  window_start timestamptz NOT NULL,
  locked_until timestamptz
);

-- Idle expiry: a session unused for longer than the idle limit is dead.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;

-- Rotation: the key that replaced this one.
ALTER TABLE api_keys ADD COLUMN replaced_by bigint REFERENCES api_keys (id);
