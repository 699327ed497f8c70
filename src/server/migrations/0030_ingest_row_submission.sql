-- The provider scorecard's validity counts a batch row by the first time its document was sent
-- (department, item, document number). That used to be worked out when the scorecard was read, from
-- all the department's batch rows up to the month's end; it is now decided when the row is written
-- and kept on the row, so a month's scorecard reads that month's rows only.
--
--   submission       first       a first submission: counted by validity (accepted or not)
--                    resent      the document's previous submission was rejected: sent again,
--                                fixed or not, it is not a new row
--                    unchanged   an unchanged re-send of a stored record: not a new row
--                    superseded  an earlier copy of a document number repeated in one submission
--                                (rejected with DUPLICATE_IN_BATCH only): not a submission at all,
--                                and nobody's previous one
--   awaiting_resend  a rejected row that is its document's latest submission: the next submission
--                    of the document is `resent`. The ingest looks these up by document number
--                    (the partial index below holds only them) and clears them as it goes.
--
-- Rows without a document number count each on its own (first, or unchanged / superseded).
--
-- Existing rows are filled below by the same rule, in the order the rows were stored (batch, row
-- number). Idempotent: run again (with submission dropped to null) it computes the same values.
ALTER TABLE ingest_batch_rows
  ADD COLUMN IF NOT EXISTS submission text
    CHECK (submission IN ('first', 'resent', 'unchanged', 'superseded')),
  ADD COLUMN IF NOT EXISTS awaiting_resend boolean NOT NULL DEFAULT false;

WITH r AS (
  SELECT r.batch_id, r.row_no, r.outcome, r.doc_no, b.department_id, b.item_code,
         r.outcome = 'rejected' AND r.errors @> '[{"code": "DUPLICATE_IN_BATCH"}]'
           AND jsonb_array_length(r.errors) = 1 AS superseded
    FROM ingest_batch_rows r JOIN ingest_batches b ON b.id = r.batch_id
), s AS (
  SELECT r.*,
         lag(outcome) OVER w AS previous,
         lead(row_no) OVER w IS NULL AS latest
    FROM r
  WINDOW w AS (PARTITION BY department_id, item_code, doc_no, superseded ORDER BY batch_id, row_no)
), x AS (
  SELECT batch_id, row_no,
         CASE WHEN superseded THEN 'superseded'
              WHEN doc_no IS NOT NULL AND previous = 'rejected' THEN 'resent'
              WHEN outcome = 'unchanged' THEN 'unchanged'
              ELSE 'first' END AS submission,
         doc_no IS NOT NULL AND NOT superseded AND outcome = 'rejected' AND latest AS awaiting_resend
    FROM s
)
UPDATE ingest_batch_rows t
   SET submission = x.submission, awaiting_resend = x.awaiting_resend
  FROM x
 WHERE t.batch_id = x.batch_id AND t.row_no = x.row_no
   AND (t.submission IS DISTINCT FROM x.submission OR t.awaiting_resend <> x.awaiting_resend);

ALTER TABLE ingest_batch_rows ALTER COLUMN submission SET NOT NULL;

CREATE INDEX IF NOT EXISTS ingest_batch_rows_awaiting_resend ON ingest_batch_rows (doc_no) WHERE awaiting_resend;
