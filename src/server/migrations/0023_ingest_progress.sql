-- Progress of a batch being processed, kept apart from the batch row.
--
-- A batch's records and row outcomes are written in one long transaction, and every outcome row
-- references its ingest_batches row (a foreign key, checked per row). Progress used to be written to
-- that batch row once a second from another connection. Each such update leaves a row version that
-- the still-open batch transaction keeps from being pruned, and every foreign-key check walked all of
-- them: at 10 M rows one check took 1 ms after 900 updates, and a batch slowed from ~7,000 to under
-- 2,400 rows/s and kept slowing. Nothing references this table, so its versions cost only its writer.
CREATE TABLE ingest_progress (
  batch_id    bigint PRIMARY KEY REFERENCES ingest_batches (id) ON DELETE CASCADE,
  rows_read   integer NOT NULL,
  updated_at  timestamptz NOT NULL
);
