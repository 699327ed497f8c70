-- Security hardening, part 2 (issue 7).

-- TOTP secrets are encrypted with the field key (AES-256-GCM, src/server/platform/crypto.ts). The
-- plaintext columns of 0015 remain only until the application seals them: every start of the
-- server (and `xinyong rotate-field-key`) moves any plaintext secret into the cipher columns and
-- clears it. `totp_last_step` is the RFC 6238 time step of the last accepted code: a code for that
-- step or an earlier one is refused (no replay within the acceptance window).
ALTER TABLE users
  ADD COLUMN totp_secret_cipher bytea,
  ADD COLUMN totp_pending_cipher bytea,
  ADD COLUMN totp_last_step bigint;

-- Progress of `xinyong rotate-field-key`: one row per table/column being re-encrypted, with the
-- last primary key done, so that an interrupted rotation resumes where it stopped.
CREATE TABLE field_key_rotation (
  target     text PRIMARY KEY,
  key_id     text NOT NULL,
  last_id    bigint NOT NULL,
  done       integer NOT NULL,
  finished   boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL
);

-- Rate-limit counters shared by every process (XINYONG_RATE_SHARED=on): one row per client, route
-- and window. UNLOGGED: not WAL-logged or replicated, emptied after a crash — counters are
-- disposable, and writing them must be cheap. `window_start` is epoch milliseconds of the database
-- clock, so processes on machines whose clocks differ still agree.
CREATE UNLOGGED TABLE rate_counters (
  key          text PRIMARY KEY,
  count        integer NOT NULL,
  window_start bigint NOT NULL
);
