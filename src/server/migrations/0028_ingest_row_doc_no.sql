-- The provider scorecard's validity counts a row once, by the first time it was submitted: a row
-- rejected and sent again fixed is not valid first time, an accepted row sent again unchanged is
-- not a new row. A row is known by its department, item and document number; the document number
-- is kept on every batch row (accepted or rejected) as the file gave it. Null on rows stored
-- before this migration (they count as they did: each on its own) and on rows without one.
ALTER TABLE ingest_batch_rows ADD COLUMN doc_no text;
