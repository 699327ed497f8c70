-- Platform: extensions, helper functions, the event log, settings.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Two-character Chinese search terms produce no trigram; an index on the name's bigrams finds them
-- (always rechecked with LIKE). IMMUTABLE so it can back an expression index.
CREATE OR REPLACE FUNCTION cjk_bigrams(s text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT substr(s, i, 2)), '{}')
  FROM generate_series(1, greatest(char_length(s) - 1, 0)) AS i
$$;

-- The append-only event log. seq is dense and in commit order: writers take a transaction-level
-- advisory lock before appending (see platform/events.ts), so a reader that has seen seq N has seen
-- every event before it. Tamper evidence (Merkle tree, checkpoints) is built over this table.
CREATE TABLE events (
  seq            bigint PRIMARY KEY,
  at             timestamptz NOT NULL,
  actor_kind     text NOT NULL,
  actor_id       text,
  type           text NOT NULL,
  subject_id     bigint,
  entity_type    text NOT NULL,
  entity_id      text NOT NULL,
  request_id     text,
  payload        text NOT NULL,           -- canonical JSON
  payload_sha256 bytea NOT NULL
);
CREATE INDEX events_subject ON events (subject_id, seq) WHERE subject_id IS NOT NULL;
CREATE INDEX events_entity ON events (entity_type, entity_id, seq);
CREATE INDEX events_type ON events (type, seq);

-- The log is append-only for the application role as well: updates and deletes are refused.
CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events is append-only';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

-- Admin-editable policy data (period policy, calendar overrides, ...), versioned by events.
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE calendar_overrides (
  day        date PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name       text,
  created_at timestamptz NOT NULL
);

-- Legacy codes that fail their checksum but are known registered codes, accepted by a recorded decision.
CREATE TABLE identifier_overrides (
  code       text PRIMARY KEY,
  kind       text NOT NULL,
  reason     text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL
);
