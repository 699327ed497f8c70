-- Rotation of the blind-index key (issue 7, `xinyong rotate-blind-key`).

-- The id of the blind-index key `id_blind` was computed with: the first 4 bytes of
-- SHA-256("xinyong blind index key" ‖ key) (`blindKeyId` in src/server/platform/crypto.ts). Every
-- new natural person gets the current key's id; rows written before this migration have NULL
-- (unknown), and the rotation job treats them as not yet under the current key.
ALTER TABLE subjects ADD COLUMN id_blind_key bytea;

-- Progress of `xinyong rotate-blind-key`: the last subject id done under key `key_id`, so that an
-- interrupted rotation resumes after the last committed batch. One row per blind-indexed column.
CREATE TABLE blind_key_rotation (
  target     text PRIMARY KEY,
  key_id     text NOT NULL,
  last_id    bigint NOT NULL,
  done       integer NOT NULL,
  finished   boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL
);
