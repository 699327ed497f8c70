-- Appending to the event log in one statement (platform/events.ts).
--
-- Events are numbered densely in commit order: a writer takes the event-log lock (held until its
-- transaction ends), then numbers its events after the highest seq. The numbering must read the log
-- with a snapshot taken after the lock was granted, so it could not share a statement with the lock
-- and cost a second round trip while the lock was held. In a PL/pgSQL function (VOLATILE, READ
-- COMMITTED) every statement takes a fresh snapshot, so one call does both: the lock, then the
-- numbered insert, in one round trip. A writer may call it in its own transaction, or alone (the
-- statement is then the transaction and the lock ends with it).
--
-- The four stamp arrays (instant, actor kind, actor id, request id) hold either one value for every
-- event or one value per event.
CREATE FUNCTION append_events(
  p_at          timestamptz[],
  p_actor_kind  text[],
  p_actor_id    text[],
  p_request_id  text[],
  p_types       text[],
  p_subjects    bigint[],
  p_etypes      text[],
  p_eids        text[],
  p_payloads    text[],
  p_hashes      bytea[]
) RETURNS SETOF bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(72736002);
  RETURN QUERY
    WITH ins AS (
      INSERT INTO events (seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
                          payload, payload_sha256)
      SELECT m.last + u.n,
             p_at[CASE cardinality(p_at) WHEN 1 THEN 1 ELSE u.n::int END],
             p_actor_kind[CASE cardinality(p_actor_kind) WHEN 1 THEN 1 ELSE u.n::int END],
             p_actor_id[CASE cardinality(p_actor_id) WHEN 1 THEN 1 ELSE u.n::int END],
             u.t, u.sub, u.et, u.eid,
             p_request_id[CASE cardinality(p_request_id) WHEN 1 THEN 1 ELSE u.n::int END],
             u.p, u.h
        FROM (SELECT coalesce(max(seq), 0)::bigint AS last FROM events) m,
             unnest(p_types, p_subjects, p_etypes, p_eids, p_payloads, p_hashes)
               WITH ORDINALITY AS u(t, sub, et, eid, p, h, n)
      RETURNING seq)
    SELECT ins.seq FROM ins;
END $$;
