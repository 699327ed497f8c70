-- The subjects module's published read of one subject by USCC with its former names as of an
-- instant: used by its own repository and by the public profile's one-statement read in the
-- records module (which thereby reads no subjects table directly). A plain SQL function, inlined
-- by the planner.
CREATE FUNCTION subject_card(p_uscc text, p_at timestamptz)
RETURNS TABLE (id bigint, type text, uscc text, org_code text, reg_no text, name text, region text,
               legal_rep text, status text, established_on date, id_masked text, origin text,
               version integer, created_at timestamptz, updated_at timestamptz, former_names text[])
LANGUAGE sql STABLE AS $$
  SELECT s.id, s.type, s.uscc, s.org_code, s.reg_no, s.name, s.region, s.legal_rep, s.status,
         s.established_on, s.id_masked, s.origin, s.version, s.created_at, s.updated_at,
         ARRAY(SELECT n.name FROM subject_names n
                WHERE n.subject_id = s.id AND n.valid_from <= p_at
                  AND NOT (n.kind = 'current' AND n.valid_to IS NULL) AND (n.valid_to IS NULL OR n.valid_to <= p_at)
                ORDER BY n.valid_from, n.id)
    FROM subjects s WHERE s.uscc = p_uscc
$$;
