-- A subject's reads (`GET /api/v1/me/reads`, me.repository.ts) include the events that name several
-- subjects in their payload's `subjectIds` (a read of a list or page naming several subjects, a
-- batch check naming up to 10,000): without an index every such event of the whole log had its
-- payload parsed on every call. The index holds exactly those events (no `subject_id`, of these two
-- types); the query's condition repeats its expression and predicate so that the planner uses it.
CREATE INDEX events_subject_ids ON events USING gin (((payload::jsonb) -> 'subjectIds') jsonb_path_ops)
  WHERE subject_id IS NULL AND type IN ('data.read', 'check.batch_performed');
