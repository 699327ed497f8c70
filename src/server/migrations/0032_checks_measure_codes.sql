-- A measure's feedback statistics (`GET /api/v1/measures/:code/feedback`, measures.repository.ts
-- feedbackStats) count the checks in which the measure applied. The check log has one row per check
-- call (millions at province scale) and `$1 = ANY(measure_codes)` cannot use an index: every call
-- read the whole log (277 ms at 1 M checks, see docs/benchmarks.md). Most checks apply no measure
-- (the subject is clean), so the index holds only the checks where one did; the query's condition
-- repeats its predicate and uses `@>` so that the planner uses it.
CREATE INDEX checks_measure_codes ON checks USING gin (measure_codes) WHERE measure_codes <> '{}';
