-- A department's own records, newest first (`GET /api/v1/records`, records.repository.ts list):
-- `WHERE department_id = $1 ORDER BY id DESC LIMIT … OFFSET …` had no index in that order
-- (records_department_created is by creation time), so PostgreSQL walked the whole table backwards
-- by id and kept the department's rows: every row of every other department newer than the page
-- was read (1.5 s for offset 5,000 at 3 M records, see docs/benchmarks.md).
CREATE INDEX records_department_id ON records (department_id, id);
