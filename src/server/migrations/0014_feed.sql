-- The change feed: everything here is derived from the event log (the one log) or is the feed's
-- own delivery state. The projection tables are rebuilt from events after the watermark, so a
-- restarted or second server process continues exactly where the last one stopped.

-- Watermarks of the feed's background work: the last event seq folded into the projections.
CREATE TABLE feed_state (
  name        text PRIMARY KEY,
  seq         bigint NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- What the log says about each record now (for expiry and the consistency check).
CREATE TABLE feed_records (
  record_id        bigint PRIMARY KEY,
  subject_id       bigint NOT NULL,
  version          integer NOT NULL,
  window_from      date NOT NULL,
  window_until     date,
  stop_kind        text,
  expired_version  integer,                       -- the version an expiry event was emitted for
  last_seq         bigint NOT NULL
);
CREATE INDEX feed_records_subject ON feed_records (subject_id);
-- Expiry candidates: still showing and not yet marked expired for their version.
CREATE INDEX feed_records_expiring ON feed_records (window_until)
  WHERE stop_kind IS NULL AND window_until IS NOT NULL AND expired_version IS NULL;

-- Subject types and names as the log tells them (the public feed leaves natural persons out).
CREATE TABLE feed_subjects (
  subject_id  bigint PRIMARY KEY,
  type        text NOT NULL,
  name        text,
  last_seq    bigint NOT NULL
);

-- Idempotent expiry marks: one per record and version, whichever process gets there first.
CREATE TABLE record_expiries (
  record_id     bigint NOT NULL,
  version       integer NOT NULL,
  window_until  date NOT NULL,
  expired_at    timestamptz NOT NULL,
  PRIMARY KEY (record_id, version)
);

CREATE TABLE webhook_subscriptions (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url              text NOT NULL,
  scope            text NOT NULL CHECK (scope IN ('public', 'shared')),
  description      text NOT NULL,
  owner_key_id     bigint REFERENCES api_keys (id),       -- NULL: registered by the platform admin
  created_by       text NOT NULL,
  status           text NOT NULL CHECK (status IN ('active', 'dead', 'disabled')),
  cursor_seq       bigint NOT NULL,                       -- delivered (or skipped) up to here
  attempts         integer NOT NULL DEFAULT 0,            -- consecutive failures of the pending batch
  next_attempt_at  timestamptz NOT NULL,
  last_error       text,
  last_success_at  timestamptz,
  dead_at          timestamptz,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX webhook_subscriptions_due ON webhook_subscriptions (next_attempt_at) WHERE status = 'active';

CREATE TABLE webhook_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id  bigint NOT NULL REFERENCES webhook_subscriptions (id),
  first_seq        bigint NOT NULL,
  last_seq         bigint NOT NULL,
  events           integer NOT NULL,
  attempt          integer NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'dead_letter')),
  status_code      integer,
  error            text,
  duration_ms      integer NOT NULL,
  at               timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id DESC);
