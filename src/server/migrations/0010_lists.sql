-- Lists (名单): list types as versioned configuration, entries with their due-process steps.
-- An entry's stage says where its procedure is; whether it is on the list at an instant is computed
-- from decided_at, effective_from/until and ended_at (see src/domain/lists/entry.ts).

CREATE TABLE list_types (
  code            text PRIMARY KEY,
  current_version integer NOT NULL,
  kind            text NOT NULL,          -- fixed for the life of the code
  status          text NOT NULL CHECK (status IN ('draft', 'active', 'suspended', 'retired')),
  public          boolean NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE list_type_versions (
  code        text NOT NULL REFERENCES list_types (code),
  version     integer NOT NULL,
  definition  jsonb NOT NULL,             -- ListTypeDefinition
  created_at  timestamptz NOT NULL,
  created_by  text NOT NULL,
  PRIMARY KEY (code, version)
);

CREATE TABLE list_entries (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  list_type_code     text NOT NULL REFERENCES list_types (code),
  list_type_version  integer NOT NULL,
  list_kind          text NOT NULL,
  subject_id         bigint NOT NULL REFERENCES subjects (id),
  department_id      bigint NOT NULL REFERENCES departments (id),
  stage              text NOT NULL CHECK (stage IN ('proposed', 'notified', 'listed', 'not_listed', 'withdrawn')),
  facts_key          text[] NOT NULL,     -- record:<id> / doc:<no>, for "same facts" detection
  summary            text NOT NULL,       -- the facts in words (失信行为)
  proposed_at        timestamptz NOT NULL,
  notified_on        date,
  notified_at        timestamptz,
  notice_no          text,
  repair_notice_no   text,                -- 两书同达: served with the notice
  statement_deadline date,
  statement_at       timestamptz,
  waived_at          timestamptz,
  decided_at         timestamptz,
  decision_no        text,
  decision_reasons   text,
  period_months      integer,
  effective_from     date,
  effective_until    date,                -- exclusive; NULL = until performed / indefinite
  review_on          date,
  published_at       timestamptz,
  ended_at           timestamptz,
  end_reason         text CHECK (end_reason IN ('early_exit', 'repair', 'performed', 'court', 'other')),
  end_note           text,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CHECK (stage <> 'listed' OR (decided_at IS NOT NULL AND effective_from IS NOT NULL))
);
-- The joint check reads a subject's entries that reached the list; a subject's own view reads all.
CREATE INDEX list_entries_subject_listed ON list_entries (subject_id)
  INCLUDE (list_type_code, list_kind, decided_at, effective_from, effective_until, ended_at)
  WHERE stage = 'listed';
CREATE INDEX list_entries_subject ON list_entries (subject_id, id);
CREATE INDEX list_entries_type_published ON list_entries (list_type_code, published_at DESC, id DESC)
  WHERE published_at IS NOT NULL;
CREATE INDEX list_entries_facts ON list_entries USING gin (facts_key);
CREATE INDEX list_entries_department ON list_entries (department_id, id DESC);

-- The facts an entry rests on: credit records of the subject and/or documents (judgments, decisions).
CREATE TABLE list_entry_facts (
  entry_id   bigint NOT NULL REFERENCES list_entries (id),
  ord        integer NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('record', 'document')),
  record_id  bigint REFERENCES records (id),
  doc_no     text,
  doc_title  text,
  doc_date   date,
  issued_by  text,
  PRIMARY KEY (entry_id, ord),
  CHECK ((kind = 'record') = (record_id IS NOT NULL)),
  CHECK (kind = 'record' OR doc_no IS NOT NULL)
);

-- Related parties, always a registered subject (never a bare name).
CREATE TABLE list_entry_parties (
  entry_id   bigint NOT NULL REFERENCES list_entries (id),
  subject_id bigint NOT NULL REFERENCES subjects (id),
  role       text NOT NULL CHECK (role IN ('legal_representative', 'principal_responsible', 'directly_responsible',
                                           'actual_controller', 'affiliate', 'successor')),
  note       text,
  PRIMARY KEY (entry_id, subject_id, role)
);
CREATE INDEX list_entry_parties_subject ON list_entry_parties (subject_id);

-- Every procedural step, in order (also an event each); the subject's view reads these.
CREATE TABLE list_entry_steps (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entry_id  bigint NOT NULL REFERENCES list_entries (id),
  step      text NOT NULL,
  at        timestamptz NOT NULL,
  actor     text NOT NULL,
  data      jsonb NOT NULL
);
CREATE INDEX list_entry_steps_entry ON list_entry_steps (entry_id, id);
