CREATE TABLE subjects (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type           text NOT NULL,
  uscc           text UNIQUE,
  org_code       text,
  reg_no         text,
  name           text NOT NULL,
  region         text,
  legal_rep      text,
  status         text NOT NULL DEFAULT 'active',
  established_on date,
  -- natural persons: the ID number only encrypted (AES-256-GCM), a keyed blind index, a masked form
  id_cipher      bytea,
  id_blind       bytea UNIQUE,
  id_masked      text,
  origin         text NOT NULL,           -- registry | collection | demo | api
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CHECK ((type = 'NATURAL_PERSON') = (id_blind IS NOT NULL))
);
CREATE INDEX subjects_org_code ON subjects (org_code) WHERE org_code IS NOT NULL;
CREATE INDEX subjects_reg_no ON subjects (reg_no) WHERE reg_no IS NOT NULL;

-- What a subject looked like from recorded_at on (for answers as of a past instant).
CREATE TABLE subject_versions (
  subject_id  bigint NOT NULL REFERENCES subjects (id),
  version     integer NOT NULL,
  data        jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (subject_id, version)
);

-- Searchable names of organisations (current, former, aliases). Natural persons are never here:
-- they are found by exact identifier only.
CREATE TABLE subject_names (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_id  bigint NOT NULL REFERENCES subjects (id),
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('current', 'former', 'alias')),
  pinyin      text NOT NULL,              -- full pinyin, lower case, no spaces
  initials    text NOT NULL,              -- pinyin initials, lower case
  valid_from  timestamptz NOT NULL,
  valid_to    timestamptz
);
CREATE INDEX subject_names_subject ON subject_names (subject_id);
CREATE INDEX subject_names_trgm ON subject_names USING gin (name gin_trgm_ops);
CREATE INDEX subject_names_bigrams ON subject_names USING gin (cjk_bigrams(name));
CREATE INDEX subject_names_pinyin ON subject_names USING gin (pinyin gin_trgm_ops);
CREATE INDEX subject_names_initials ON subject_names (initials text_pattern_ops);
CREATE INDEX subject_names_initials_trgm ON subject_names USING gin (initials gin_trgm_ops);
