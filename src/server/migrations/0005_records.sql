-- A credit record. The head row carries the current version's fields so that "what is disclosed
-- now" is one indexed read; record_versions and record_stops keep the history that answers
-- "what was disclosed at instant T".
CREATE TABLE records (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_id    bigint NOT NULL REFERENCES subjects (id),
  item_code     text NOT NULL REFERENCES catalog_items (code),
  item_version  integer NOT NULL,
  category_code text NOT NULL,
  department_id bigint NOT NULL REFERENCES departments (id),
  doc_no        text NOT NULL,
  decision_date date NOT NULL,
  severity      text CHECK (severity IN ('MINOR', 'GENERAL', 'SERIOUS')),
  payload       jsonb NOT NULL,
  window_from   date NOT NULL,
  window_until  date,                     -- exclusive; NULL = no end
  version       integer NOT NULL,
  stop_kind     text,
  stopped_at    timestamptz,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  UNIQUE (department_id, item_code, doc_no)
);
CREATE INDEX records_subject ON records (subject_id, category_code);
CREATE INDEX records_window_until ON records (window_until) WHERE stopped_at IS NULL;

CREATE TABLE record_versions (
  record_id     bigint NOT NULL REFERENCES records (id),
  version       integer NOT NULL,
  item_version  integer NOT NULL,
  decision_date date NOT NULL,
  severity      text,
  payload       jsonb NOT NULL,
  window_from   date NOT NULL,
  window_until  date,
  change_kind   text NOT NULL CHECK (change_kind IN ('created', 'corrected')),
  change_reason text,
  recorded_at   timestamptz NOT NULL,
  recorded_by   text NOT NULL,
  PRIMARY KEY (record_id, version)
);

CREATE TABLE record_stops (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id    bigint NOT NULL REFERENCES records (id),
  kind         text NOT NULL CHECK (kind IN ('withdrawn', 'court_order', 'repaired', 'other')),
  reason       text NOT NULL,
  effective_at timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL,
  recorded_by  text NOT NULL,
  lifted_at    timestamptz,
  lift_reason  text
);
CREATE INDEX record_stops_record ON record_stops (record_id);
