-- Appending a bulk writer's staged events in one statement (platform/events.ts, stageEvents).
--
-- A batch of millions of records used to move its events from a scratch table into the log in
-- chunks through the application, holding the event-log lock all the while: at 10 M records, 665
-- seconds in which no other writer could append an event. The events are now staged with their
-- canonical payload text and hash already made (outside the lock), in the transaction's temporary
-- table `event_stage`, and this function numbers and inserts them all in one statement under the
-- lock (a fresh snapshot after the lock, as in append_events). The stage is emptied, so a second
-- call appends nothing twice; with no stage in this session it appends nothing.
CREATE FUNCTION append_staged_events(
  p_at          timestamptz,
  p_actor_kind  text,
  p_actor_id    text,
  p_request_id  text
) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  n bigint;
BEGIN
  IF to_regclass('pg_temp.event_stage') IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(72736002);
  INSERT INTO events (seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
                      payload, payload_sha256)
  SELECT m.last + row_number() OVER (ORDER BY s.ord), p_at, p_actor_kind, p_actor_id, s.type, s.subject_id,
         s.entity_type, s.entity_id, p_request_id, s.payload, s.payload_sha256
    FROM (SELECT coalesce(max(seq), 0)::bigint AS last FROM events) m, pg_temp.event_stage s
   ORDER BY s.ord;
  GET DIAGNOSTICS n = ROW_COUNT;
  TRUNCATE pg_temp.event_stage;
  RETURN n;
END $$;
