-- Audit: the transparency log over `events` (RFC 6962 Merkle tree, C2SP checkpoints). See docs/audit.md.

-- How much of the event log the tree covers: leaves are events seq 1..tree_size (leaf index = seq - 1).
-- One row; `suite` is fixed by the first append ('sha256-ed25519' or 'sm3-sm2').
CREATE TABLE merkle_state (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  tree_size  bigint NOT NULL DEFAULT 0 CHECK (tree_size >= 0),
  suite      text,
  updated_at timestamptz
);
INSERT INTO merkle_state (id) VALUES (true);

-- The tree, stored as tiles (C2SP tlog-tiles layout, height 8): tile (level L, idx t) holds the hashes
-- of tree level 8·L with indices 256·t .. 256·t + w - 1 concatenated (w ≤ 256, 32 bytes each). Level 0
-- holds the leaf hashes. Only the right-most tile of a level is partial and it only grows. Any proof
-- or root reads O(log₂₅₆ n) rows; ~32 bytes per event in total.
CREATE TABLE merkle_tiles (
  level  smallint NOT NULL CHECK (level >= 0),
  idx    bigint NOT NULL CHECK (idx >= 0),
  hashes bytea NOT NULL CHECK (length(hashes) > 0 AND length(hashes) <= 256 * 32),
  PRIMARY KEY (level, idx)
);

-- Signed tree heads: the full C2SP signed note as published, and its parts for queries.
CREATE TABLE checkpoints (
  tree_size  bigint PRIMARY KEY CHECK (tree_size > 0),
  root_hash  bytea NOT NULL,
  origin     text NOT NULL,
  key_name   text NOT NULL,
  key_id     bytea NOT NULL CHECK (length(key_id) = 4),
  suite      text NOT NULL,
  note       text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX checkpoints_created ON checkpoints (created_at);

-- Checkpoints, like events, are never rewritten by the application.
CREATE OR REPLACE FUNCTION checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'checkpoints is append-only';
END $$;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE OR DELETE ON checkpoints
  FOR EACH ROW EXECUTE FUNCTION checkpoints_append_only();
