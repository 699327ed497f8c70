-- A batch check keeps what its feedback is checked against: the subjects it covered and, per
-- measure, the subjects the measure applied to (measures.feedback.ts). Written with the check row in
-- the check log's one statement. Null on single checks (subject_id and measure_codes say it) and
-- on batch checks logged before this migration.
ALTER TABLE checks
  ADD COLUMN subject_ids bigint[],   -- batch: the registered subjects checked, once each
  ADD COLUMN applied_to  jsonb;      -- batch: { measureCode: [subjectId, …] } for the measures that applied
