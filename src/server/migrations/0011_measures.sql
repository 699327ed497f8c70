-- Measures inventory (清单化统一管理), joint checks and execution feedback.

CREATE TABLE measure_scenarios (
  code       text PRIMARY KEY,
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  sort       integer NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE measures (
  code            text PRIMARY KEY,
  current_version integer NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

-- Versions are never changed: a check at a past instant uses the version recorded by then.
CREATE TABLE measure_versions (
  code        text NOT NULL REFERENCES measures (code),
  version     integer NOT NULL,
  definition  jsonb NOT NULL,             -- MeasureDefinition (status included)
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL,
  PRIMARY KEY (code, version)
);

-- One row per check call (a batch is one row); the event log carries the same facts.
CREATE TABLE checks (
  id               uuid PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('single', 'batch')),
  requested_at     timestamptz NOT NULL,
  at               timestamptz NOT NULL,  -- the instant the answer is for
  actor            text NOT NULL,
  department_id    bigint,
  scenario         text NOT NULL,
  subject_id       bigint,                -- single checks
  subject_count    integer NOT NULL,
  subjects_sha256  text,                  -- batch: hash of the subject list as sent
  outcome          text,                  -- single: allow | restrict | review
  outcomes         jsonb,                 -- batch: { allow: n, restrict: n, review: n }
  measure_codes    text[] NOT NULL        -- measures that applied (any subject, for a batch)
);

CREATE TABLE measure_feedback (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  check_id      uuid NOT NULL REFERENCES checks (id),
  measure_code  text NOT NULL REFERENCES measures (code),
  subject_id    bigint NOT NULL,
  applied       boolean NOT NULL,
  reason        text NOT NULL,
  department_id bigint,
  recorded_at   timestamptz NOT NULL,
  recorded_by   text NOT NULL,
  UNIQUE (check_id, measure_code, subject_id)
);
CREATE INDEX measure_feedback_measure ON measure_feedback (measure_code, applied);
