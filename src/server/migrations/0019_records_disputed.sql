-- The "有异议/核查中" mark of a record under objection review, kept on the record itself so the
-- current public profile needs no second query. Maintained by the remedies module in the same
-- transaction as the objection's opening and resolution; past instants still read `objections`.
ALTER TABLE records ADD COLUMN disputed_since timestamptz;
UPDATE records r SET disputed_since = o.opened_at
  FROM objections o WHERE o.record_id = r.id AND o.status = 'open';
