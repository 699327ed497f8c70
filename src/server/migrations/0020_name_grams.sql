-- Top-k name search. A GIN index finds every name containing a bigram, but a common bigram (有限,
-- 公司, 重庆) matches most of a million names, and ranking needs all of them. Here each name is
-- stored once per bigram in a B-tree ordered by (gram, name length, subject), so "the shortest
-- names containing X" is an ordered index range read that stops after one page of hits:
--   '^' || first bigram   one row: the name starts with it (prefix and exact matches);
--   bigram                one row per distinct bigram at a later position (matches inside the name).
-- A term is looked up through its rarest bigram (pg_stats most-common values); the window read
-- from the index (an index-only scan) is joined to subject_names by primary key, whose name,
-- initials or pinyin is then checked with LIKE. Rows are kept narrow on purpose: ~17 per name.
-- Pinyin queries read prefix keys kept beside them:
--   '@' || first 2, 3 and 4 initials      (cqhr… finds 重庆华瑞…)
--   '!' || first 3 and 4 letters of pinyin (chongq… finds 重庆…)
CREATE FUNCTION name_grams(s text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT '^' || substr(s, 1, 2) WHERE char_length(s) >= 2
  UNION
  SELECT substr(s, i, 2) FROM generate_series(2, char_length(s) - 1) AS i
$$;

CREATE TABLE subject_name_grams (
  gram        text NOT NULL,
  len         smallint NOT NULL,          -- char_length(name)
  subject_id  bigint NOT NULL,
  name_id     bigint NOT NULL
);
ALTER TABLE subject_name_grams ALTER COLUMN gram SET STATISTICS 1000;

CREATE FUNCTION pinyin_keys(initials text, pinyin text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT '@' || left(initials, k) FROM generate_series(2, 4) AS k WHERE char_length(initials) >= k
  UNION
  SELECT '!' || left(pinyin, k) FROM generate_series(3, 4) AS k WHERE char_length(pinyin) >= k
$$;

INSERT INTO subject_name_grams (gram, len, subject_id, name_id)
SELECT g, char_length(n.name), n.subject_id, n.id
  FROM subject_names n, LATERAL (SELECT name_grams(n.name) UNION ALL SELECT pinyin_keys(n.initials, n.pinyin)) AS k(g);

CREATE INDEX subject_name_grams_scan ON subject_name_grams (gram, len, subject_id) INCLUDE (name_id);
CREATE INDEX subject_name_grams_name ON subject_name_grams (name_id);

-- Kept in step with subject_names by trigger, so every writer (services, imports, restores) agrees.
CREATE FUNCTION subject_names_grams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM subject_name_grams WHERE name_id = OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  INSERT INTO subject_name_grams (gram, len, subject_id, name_id)
  SELECT g, char_length(NEW.name), NEW.subject_id, NEW.id
    FROM (SELECT name_grams(NEW.name) UNION ALL SELECT pinyin_keys(NEW.initials, NEW.pinyin)) AS k(g);
  RETURN NEW;
END $$;

CREATE TRIGGER subject_names_grams
AFTER INSERT OR DELETE OR UPDATE OF name, pinyin, initials, subject_id ON subject_names
FOR EACH ROW EXECUTE FUNCTION subject_names_grams();

ANALYZE subject_name_grams;
