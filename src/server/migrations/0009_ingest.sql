-- Collection hub (issue 3): batches of records submitted as files or streams, and each row's outcome.
-- A batch's records are written in one transaction with its rows' outcomes; the batch row itself is
-- committed first (status 'processing') so that progress can be read and an interrupted batch is
-- visible afterwards as 'failed'.
CREATE TABLE ingest_batches (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  department_id       bigint NOT NULL REFERENCES departments (id),
  item_code           text NOT NULL REFERENCES catalog_items (code),
  item_version        integer NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('upload', 'stream', 'cli')),
  actor_kind          text NOT NULL,
  actor_id            text,
  request_id          text,
  file_name           text,
  size_bytes          bigint,
  sha256              bytea,
  format              text NOT NULL CHECK (format IN ('csv', 'xlsx', 'ndjson', 'json')),
  encoding            text,
  layout              text,
  headers             text[],             -- the header row as read; rejected rows are exported under it
  ignored_headers     text[] NOT NULL DEFAULT '{}',
  status              text NOT NULL CHECK (status IN ('processing', 'done', 'failed')),
  rows_read           integer NOT NULL DEFAULT 0,   -- data rows read so far (progress), then in total
  created             integer NOT NULL DEFAULT 0,
  updated             integer NOT NULL DEFAULT 0,
  unchanged           integer NOT NULL DEFAULT 0,
  rejected            integer NOT NULL DEFAULT 0,
  skipped             integer NOT NULL DEFAULT 0,   -- template description / example rows
  subjects_registered integer NOT NULL DEFAULT 0,
  error               jsonb,                        -- { code, messages: { zh, en }, details }
  started_at          timestamptz NOT NULL,
  finished_at         timestamptz,
  duration_ms         integer
);
CREATE INDEX ingest_batches_department ON ingest_batches (department_id, id DESC);
CREATE INDEX ingest_batches_started ON ingest_batches (started_at);
-- "This exact file was already processed": same department, item and SHA-256, finished.
CREATE INDEX ingest_batches_file ON ingest_batches (department_id, item_code, sha256) WHERE status = 'done';
CREATE INDEX ingest_batches_processing ON ingest_batches (id) WHERE status = 'processing';

CREATE TABLE ingest_batch_rows (
  batch_id           bigint NOT NULL REFERENCES ingest_batches (id),
  row_no             integer NOT NULL,     -- the row in the file (header = its own row number), or the line
  outcome            text NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'rejected')),
  record_id          bigint,
  subject_registered boolean NOT NULL DEFAULT false,
  errors             jsonb,                -- [{ field, code, message: { zh, en } }] of a rejected row
  cells              jsonb,                -- a rejected row as submitted (cells, or the JSON record)
  PRIMARY KEY (batch_id, row_no)
);
CREATE INDEX ingest_batch_rows_rejected ON ingest_batch_rows (batch_id, row_no) WHERE outcome = 'rejected';

-- The quality scorecard reads records, versions and stops by department and month.
CREATE INDEX records_department_created ON records (department_id, created_at);
CREATE INDEX record_versions_recorded ON record_versions (recorded_at) WHERE change_kind = 'corrected';
CREATE INDEX record_stops_recorded ON record_stops (recorded_at) WHERE kind = 'withdrawn';
