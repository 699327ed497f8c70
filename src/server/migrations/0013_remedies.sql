-- Remedies: credit-repair applications with their clocks, evidence files, objections, the marks a
-- granted repair leaves (sharing stopped, recomputation due). Deadlines are civil dates computed
-- with the working-day calendar at each step; "overdue" is computed, never stored.

CREATE TABLE repair_applications (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  query_code         text UNIQUE,                 -- issued on submission (查询码)
  target_kind        text NOT NULL CHECK (target_kind IN ('record', 'list_entry')),
  record_id          bigint REFERENCES records (id),
  list_entry_id      bigint REFERENCES list_entries (id),
  subject_id         bigint NOT NULL REFERENCES subjects (id),
  department_id      bigint NOT NULL REFERENCES departments (id),  -- the deciding department
  target_label       text NOT NULL,               -- what is repaired, in words (no personal data)
  applicant_user_id  bigint NOT NULL REFERENCES users (id),
  applicant_kind     text NOT NULL CHECK (applicant_kind IN ('self', 'agent')),
  agent_name         text,
  statement          text NOT NULL,               -- how the conduct was corrected
  commitment_text    text NOT NULL,
  commitment_sha256  bytea NOT NULL,
  commitment_at      timestamptz,                 -- accepted by the applicant
  status             text NOT NULL CHECK (status IN ('draft', 'submitted', 'forwarded', 'granted', 'refused',
                                                       'rejected', 'withdrawn')),
  created_at         timestamptz NOT NULL,
  submitted_at       timestamptz,
  applied_on         date,
  answer_due         date,
  forwarded_at       timestamptz,
  received_on        date,
  decide_due         date,
  extended_at        timestamptz,
  extension_reason   text,
  decided_at         timestamptz,
  decided_by         text,
  decision_reasons   text,
  decision_late      boolean,
  late_reason        text,
  closed_reason      text,                        -- rejection (not admissible) or withdrawal
  updated_at         timestamptz NOT NULL,
  CHECK ((target_kind = 'record') = (record_id IS NOT NULL)),
  CHECK ((target_kind = 'list_entry') = (list_entry_id IS NOT NULL)),
  CHECK (applicant_kind = 'self' OR agent_name IS NOT NULL)
);
-- One live application per target.
CREATE UNIQUE INDEX repair_applications_live_record ON repair_applications (record_id)
  WHERE status IN ('draft', 'submitted', 'forwarded');
CREATE UNIQUE INDEX repair_applications_live_entry ON repair_applications (list_entry_id)
  WHERE status IN ('draft', 'submitted', 'forwarded');
CREATE INDEX repair_applications_subject ON repair_applications (subject_id, id DESC);
CREATE INDEX repair_applications_pending ON repair_applications (status, department_id, answer_due, decide_due)
  WHERE status IN ('submitted', 'forwarded');

CREATE TABLE repair_files (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id  bigint NOT NULL REFERENCES repair_applications (id),
  kind            text NOT NULL CHECK (kind IN ('evidence', 'authorisation')),
  filename        text NOT NULL,
  media_type      text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size            integer NOT NULL,
  sha256          bytea NOT NULL,
  content         bytea NOT NULL,
  uploaded_at     timestamptz NOT NULL,
  uploaded_by     text NOT NULL
);
CREATE INDEX repair_files_application ON repair_files (application_id, id);

-- Every step of an application with the deadline it set or met (the applicant's and the public view).
CREATE TABLE repair_steps (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id  bigint NOT NULL REFERENCES repair_applications (id),
  step            text NOT NULL,
  at              timestamptz NOT NULL,
  actor           text NOT NULL,
  due             date,
  late            boolean NOT NULL DEFAULT false,
  data            jsonb NOT NULL
);
CREATE INDEX repair_steps_application ON repair_steps (application_id, id);

CREATE TABLE objections (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_id             bigint NOT NULL REFERENCES subjects (id),
  record_id              bigint REFERENCES records (id),                 -- NULL: a decision on a list entry
  repair_application_id  bigint REFERENCES repair_applications (id),
  department_id          bigint NOT NULL REFERENCES departments (id),  -- who answers
  ground                 text NOT NULL CHECK (ground IN ('content', 'classification', 'period', 'repair_decision')),
  statement              text NOT NULL,
  opened_by              bigint NOT NULL REFERENCES users (id),
  opened_at              timestamptz NOT NULL,
  opened_on              date NOT NULL,
  due                    date NOT NULL,
  status                 text NOT NULL CHECK (status IN ('open', 'closed')),
  outcome                text CHECK (outcome IN ('confirmed', 'corrected', 'withdrawn', 'overturned')),
  outcome_reasons        text,
  resolved_at            timestamptz,
  resolved_by            text,
  resolution_late        boolean,
  late_reason            text,
  result_version         integer,                 -- the record's version after a correction
  updated_at             timestamptz NOT NULL,
  CHECK (ground <> 'repair_decision' OR repair_application_id IS NOT NULL),
  CHECK (ground = 'repair_decision' OR record_id IS NOT NULL),
  CHECK ((status = 'closed') = (outcome IS NOT NULL))
);
CREATE UNIQUE INDEX objections_open_record ON objections (record_id) WHERE status = 'open';
CREATE UNIQUE INDEX objections_open_application ON objections (repair_application_id) WHERE status = 'open';
CREATE INDEX objections_subject ON objections (subject_id, id DESC);
CREATE INDEX objections_department_open ON objections (department_id, due) WHERE status = 'open';
-- The public profile asks "under review at instant T?" for the records it shows.
CREATE INDEX objections_record ON objections (record_id, opened_at);

-- A repaired record stops being shared: sharing (and the change feed) leave it out from `at`.
CREATE TABLE record_sharing_stops (
  record_id       bigint PRIMARY KEY REFERENCES records (id),
  reason          text NOT NULL CHECK (reason IN ('repaired')),
  application_id  bigint REFERENCES repair_applications (id),
  at              timestamptz NOT NULL
);

-- Evaluations and reports that used a changed record must be recomputed. Those modules do not exist
-- yet; they will read and clear these marks. Keyed by subject and reason.
CREATE TABLE recompute_marks (
  subject_id  bigint NOT NULL REFERENCES subjects (id),
  reason      text NOT NULL,                      -- repair_granted, record_corrected, record_withdrawn
  kinds       text[] NOT NULL,                    -- evaluation, report
  source      text NOT NULL,                      -- e.g. repair:12, objection:3
  marked_at   timestamptz NOT NULL,
  times       integer NOT NULL DEFAULT 1,
  cleared_at  timestamptz,
  PRIMARY KEY (subject_id, reason)
);
CREATE INDEX recompute_marks_pending ON recompute_marks (marked_at) WHERE cleared_at IS NULL;
