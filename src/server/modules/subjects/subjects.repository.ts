import { likeEscape } from '../../../domain/search-text';
import { queryPrepared, type Queryable } from '../../platform/db';
import type { SubjectType } from '../../../domain/subject-types';

export interface SubjectRow {
  id: number;
  type: SubjectType;
  uscc: string | null;
  org_code: string | null;
  reg_no: string | null;
  name: string;
  region: string | null;
  legal_rep: string | null;
  status: string;
  established_on: string | null;
  id_cipher: Buffer | null;
  id_masked: string | null;
  origin: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface NewSubjectRow {
  type: SubjectType;
  uscc: string | null;
  orgCode: string | null;
  regNo: string | null;
  name: string;
  region: string | null;
  legalRep: string | null;
  status: string;
  establishedOn: string | null;
  idCipher: Buffer | null;
  idBlind: Buffer | null;
  /** The id of the blind key `idBlind` was made with (null when there is no blind index). */
  idBlindKey: Buffer | null;
  idMasked: string | null;
  origin: string;
  now: Date;
}

export interface NameRow {
  name: string;
  kind: 'current' | 'former' | 'alias';
  pinyin: string;
  initials: string;
}

export interface SearchHit {
  id: number;
  type: SubjectType;
  uscc: string | null;
  name: string;
  matched_name: string;
  region: string | null;
  status: string;
}

/**
 * SQL predicate: subject `subject` has a record of category `category` disclosed on civil day `day`
 * as the platform answered at instant `at` — the same rules as the public profile. Now: the head
 * row carries the current version; historic: the version recorded by then and no stop in force.
 * Both walk the (subject_id, category_code) index of records, one probe per candidate subject.
 */
function disclosedInCategory(subject: string, category: string, day: string, at: string, historic: boolean) {
  if (!historic)
    return `EXISTS (SELECT 1 FROM records r WHERE r.subject_id = ${subject} AND r.category_code = ${category}::text
              AND r.window_from <= ${day}::date AND (r.window_until IS NULL OR r.window_until > ${day}::date)
              AND (r.stopped_at IS NULL OR r.stopped_at > ${at}::timestamptz) AND r.created_at <= ${at}::timestamptz)`;
  return `EXISTS (SELECT 1 FROM records r
              JOIN LATERAL (SELECT v.window_from, v.window_until FROM record_versions v
                             WHERE v.record_id = r.id AND v.recorded_at <= ${at}::timestamptz
                             ORDER BY v.version DESC LIMIT 1) v ON true
             WHERE r.subject_id = ${subject} AND r.category_code = ${category}::text AND r.created_at <= ${at}::timestamptz
               AND v.window_from <= ${day}::date AND (v.window_until IS NULL OR v.window_until > ${day}::date)
               AND NOT EXISTS (SELECT 1 FROM record_stops st WHERE st.record_id = r.id
                                 AND st.effective_at <= ${at}::timestamptz AND st.recorded_at <= ${at}::timestamptz
                                 AND (st.lifted_at IS NULL OR st.lifted_at > ${at}::timestamptz)))`;
}

/** The subject filters of a search as SQL over alias `s`, given the numbers of their parameters. */
function subjectFilters(
  q: { category: string | null; historic: boolean },
  n: { at: number; types: number; region: number; category: number; day: number },
): string {
  const category = q.category
    ? disclosedInCategory('s.id', `$${n.category}`, `$${n.day}`, `$${n.at}`, q.historic)
    : `$${n.category}::text IS NULL AND $${n.day}::date IS NULL`;
  return `s.created_at <= $${n.at}
          AND ($${n.types}::text[] IS NULL OR s.type = ANY($${n.types}))
          AND ($${n.region}::text IS NULL OR s.region LIKE $${n.region} || '%')
          AND ${category}`;
}

/** What every search takes beside its term: the subject filters and the page. */
export interface SearchFilters {
  at: Date;
  types: string[] | null;
  regionPrefix: string | null;
  /** Only subjects with a record of this catalogue category disclosed at `at` (on civil day `day`). */
  category: string | null;
  day: string;
  historic: boolean;
  limit: number;
  offset: number;
}

/**
 * Runs a top-k search. Each source reads a window of at most `cap` rows of its key in (length,
 * subject) order — a plain ordered index range, whatever the filters — and the filters then keep
 * what matches. The page is exact when no window was cut short, or when the windows that were
 * cut still gave enough: the prefix window (ranks 0–1) at least a page of subjects on its own, the
 * others together with it a page. Otherwise the windows grow eightfold and the search runs again.
 */
interface Window {
  /** Distinct subjects the rank 0–1 sources kept. */
  np: number;
  /** Whether a rank 0–1 window / a rank-2 source was cut at `cap`. */
  pt: boolean;
  ct: boolean;
}
async function capped(
  q: { limit: number; offset: number },
  run: (cap: number) => Promise<{ rows: Array<SearchHit & Window> }>,
): Promise<{ hits: SearchHit[]; more: boolean }> {
  const wanted = q.offset + q.limit + 1;
  for (let cap = 3 * wanted + 20; ; cap *= 8) {
    const { rows } = await run(cap);
    const w = rows[0] ?? { np: 0, pt: false, ct: false };
    const exact = (!w.pt || w.np >= wanted) && (!w.ct || rows.length >= wanted);
    if (exact || cap > 5_000_000) {
      // The offset is applied here, after the ranking, so a short read is always visible.
      const page = rows.slice(q.offset);
      const hits = page.slice(0, q.limit).map(({ np: _np, pt: _pt, ct: _ct, ...h }) => h);
      return { hits, more: page.length > q.limit };
    }
  }
}

const COLS = `id, type, uscc, org_code, reg_no, name, region, legal_rep, status, established_on,
  id_cipher, id_masked, origin, version, created_at, updated_at`;

export const subjectsRepo = {
  async insert(db: Queryable, s: NewSubjectRow): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(
      `INSERT INTO subjects (type, uscc, org_code, reg_no, name, region, legal_rep, status, established_on,
                             id_cipher, id_blind, id_masked, origin, created_at, updated_at, id_blind_key)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14,$15)
       ON CONFLICT DO NOTHING
       RETURNING ${COLS}`,
      [
        s.type,
        s.uscc,
        s.orgCode,
        s.regNo,
        s.name,
        s.region,
        s.legalRep,
        s.status,
        s.establishedOn,
        s.idCipher,
        s.idBlind,
        s.idMasked,
        s.origin,
        s.now,
        s.idBlindKey,
      ],
    );
    return rows[0];
  },
  async insertVersion(db: Queryable, id: number, version: number, data: unknown, at: Date): Promise<void> {
    await db.query(
      'INSERT INTO subject_versions (subject_id, version, data, recorded_at) VALUES ($1,$2,$3,$4)',
      [id, version, JSON.stringify(data), at],
    );
  },
  async insertNames(db: Queryable, subjectId: number, names: NameRow[], at: Date): Promise<void> {
    if (!names.length) return;
    await db.query(
      `INSERT INTO subject_names (subject_id, name, kind, pinyin, initials, valid_from)
       SELECT $1, n, k, p, i, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(n, k, p, i)`,
      [
        subjectId,
        names.map((n) => n.name),
        names.map((n) => n.kind),
        names.map((n) => n.pinyin),
        names.map((n) => n.initials),
        at,
      ],
    );
  },
  async retireCurrentName(db: Queryable, subjectId: number, at: Date): Promise<void> {
    await db.query(
      `UPDATE subject_names SET kind = 'former', valid_to = $2 WHERE subject_id = $1 AND kind = 'current'`,
      [subjectId, at],
    );
  },
  async byId(db: Queryable, id: number): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(`SELECT ${COLS} FROM subjects WHERE id = $1`, [id]);
    return rows[0];
  },
  async byUscc(db: Queryable, uscc: string): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(`SELECT ${COLS} FROM subjects WHERE uscc = $1`, [uscc]);
    return rows[0];
  },
  /** The subject holding any of `blinds` (one person's blind index under each configured key). */
  async byBlindIndex(db: Queryable, blinds: readonly Buffer[]): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(
      `SELECT ${COLS} FROM subjects WHERE id_blind = ANY($1::bytea[]) ORDER BY id LIMIT 1`,
      [blinds],
    );
    return rows[0];
  },
  async byUsccs(db: Queryable, codes: string[]): Promise<SubjectRow[]> {
    if (!codes.length) return [];
    const { rows } = await db.query<SubjectRow>(`SELECT ${COLS} FROM subjects WHERE uscc = ANY($1)`, [codes]);
    return rows;
  },
  async byBlindIndexes(db: Queryable, blinds: Buffer[]): Promise<(SubjectRow & { id_blind: Buffer })[]> {
    if (!blinds.length) return [];
    const { rows } = await db.query<SubjectRow & { id_blind: Buffer }>(
      `SELECT ${COLS}, id_blind FROM subjects WHERE id_blind = ANY($1::bytea[])`,
      [blinds],
    );
    return rows;
  },
  async identifierCipher(db: Queryable, id: number): Promise<Buffer | null> {
    const { rows } = await db.query<{ id_cipher: Buffer | null }>(
      'SELECT id_cipher FROM subjects WHERE id = $1',
      [id],
    );
    return rows[0]?.id_cipher ?? null;
  },
  async byOrgCode(db: Queryable, org: string): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(`SELECT ${COLS} FROM subjects WHERE org_code = $1 LIMIT 1`, [
      org,
    ]);
    return rows[0];
  },
  async byRegNo(db: Queryable, regNo: string): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(`SELECT ${COLS} FROM subjects WHERE reg_no = $1 LIMIT 1`, [
      regNo,
    ]);
    return rows[0];
  },
  async update(
    db: Queryable,
    id: number,
    patch: { name: string; region: string | null; legalRep: string | null; status: string; now: Date },
  ): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(
      `UPDATE subjects SET name = $2, region = $3, legal_rep = $4, status = $5, updated_at = $6, version = version + 1
        WHERE id = $1 RETURNING ${COLS}`,
      [id, patch.name, patch.region, patch.legalRep, patch.status, patch.now],
    );
    return rows[0];
  },
  async versionAt(
    db: Queryable,
    id: number,
    at: Date,
  ): Promise<{ data: Record<string, unknown> } | undefined> {
    const { rows } = await db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM subject_versions WHERE subject_id = $1 AND recorded_at <= $2
        ORDER BY version DESC LIMIT 1`,
      [id, at],
    );
    return rows[0];
  },
  async formerNames(db: Queryable, id: number, at: Date): Promise<string[]> {
    const { rows } = await db.query<{ name: string }>(
      `SELECT name FROM subject_names WHERE subject_id = $1 AND valid_from <= $2
          AND NOT (kind = 'current' AND valid_to IS NULL) AND (valid_to IS NULL OR valid_to <= $2)
        ORDER BY valid_from, id`,
      [id, at],
    );
    return rows.map((r) => r.name);
  },
  /**
   * Top-k substring search over organisation names through `subject_name_grams` (migration 0020):
   * names starting with the term (rank 0 exact, 1 prefix) read through `prefixGram`, names holding
   * it later (rank 2) through `innerGram`; each read walks the (gram, length, subject) index in
   * order and stops after `limit + offset + 1` hits that pass every filter, so a common term costs
   * no more than a rare one. Ranked rank > shorter name > subject id.
   */
  async searchTopK(
    db: Queryable,
    q: SearchFilters & { term: string; prefixGram: string; innerGram: string },
  ): Promise<{ hits: SearchHit[]; more: boolean }> {
    const esc = likeEscape(q.term);
    const filters = subjectFilters(q, { at: 5, types: 6, region: 7, category: 10, day: 11 });
    return capped(q, (cap) =>
      queryPrepared<SearchHit & Window & { rank: number }>(
        db,
        `WITH pw AS (
         SELECT g.subject_id, g.len, n.name, n.valid_from
           FROM subject_name_grams g JOIN subject_names n ON n.id = g.name_id
          WHERE g.gram = $1 ORDER BY g.len, g.subject_id LIMIT $8
       ), cw AS (
         SELECT g.subject_id, g.len, n.name, n.valid_from
           FROM subject_name_grams g JOIN subject_names n ON n.id = g.name_id
          WHERE g.gram = $2 ORDER BY g.len, g.subject_id LIMIT $8
       ), p AS (
         SELECT g.subject_id, g.name, g.len, CASE WHEN g.name = $3 THEN 0 ELSE 1 END AS rank
           FROM pw g JOIN subjects s ON s.id = g.subject_id
          WHERE g.name LIKE $4 || '%' AND g.valid_from <= $5 AND ${filters}
       ), c AS (
         SELECT g.subject_id, g.name, g.len, 2 AS rank
           FROM cw g JOIN subjects s ON s.id = g.subject_id
          WHERE g.name LIKE '%' || $4 || '%' AND g.name NOT LIKE $4 || '%' AND g.valid_from <= $5 AND ${filters}
       ), best AS (
         SELECT DISTINCT ON (subject_id) subject_id, name, len, rank
           FROM (SELECT * FROM p UNION ALL SELECT * FROM c) u
          ORDER BY subject_id, rank, len
       )
       SELECT s.id, s.type, s.uscc, s.name, b.name AS matched_name, s.region, s.status, b.rank,
              (SELECT count(DISTINCT subject_id) FROM p)::int AS np,
              (SELECT count(*) FROM pw) >= $8 AS pt, (SELECT count(*) FROM cw) >= $8 AS ct
         FROM best b JOIN subjects s ON s.id = b.subject_id
        ORDER BY b.rank, b.len, s.id
        LIMIT $9`,
        [
          q.prefixGram,
          q.innerGram,
          q.term,
          esc,
          q.at,
          q.types,
          q.regionPrefix,
          cap,
          q.offset + q.limit + 1,
          q.category,
          q.category ? q.day : null,
        ],
      ),
    );
  },
  /**
   * Top-k pinyin search: names whose initials (rank 1, 0 when equal) or full pinyin (from three
   * letters) start with the term, through the '@'/'!' prefix keys of `subject_name_grams` in
   * (length, subject) order; names whose pinyin holds the term further in (rank 2) are read through
   * the trigram index only when the prefix matches do not fill the page.
   */
  async searchPinyinTopK(
    db: Queryable,
    q: SearchFilters & { term: string },
  ): Promise<{ hits: SearchHit[]; more: boolean }> {
    const filters = subjectFilters(q, { at: 3, types: 4, region: 5, category: 8, day: 9 });
    const full = q.term.length >= 3;
    return capped(q, (cap) =>
      queryPrepared<SearchHit & Window & { rank: number }>(
        db,
        `WITH w1 AS (
         SELECT g.subject_id, g.len, n.name, n.initials AS key, n.valid_from
           FROM subject_name_grams g JOIN subject_names n ON n.id = g.name_id
          WHERE g.gram = '@' || left($1, 4) ORDER BY g.len, g.subject_id LIMIT $6
       ), w2 AS (
         SELECT g.subject_id, g.len, n.name, n.pinyin AS key, n.valid_from
           FROM subject_name_grams g JOIN subject_names n ON n.id = g.name_id
          WHERE ${full ? 'true' : 'false'} AND g.gram = '!' || left($1, 4) ORDER BY g.len, g.subject_id LIMIT $6
       ), p AS (
         SELECT g.subject_id, g.name, g.len, CASE WHEN g.key = $1 THEN 0 ELSE 1 END AS rank
           FROM (SELECT * FROM w1 UNION ALL SELECT * FROM w2) g JOIN subjects s ON s.id = g.subject_id
          WHERE g.key LIKE $2 || '%' AND g.valid_from <= $3 AND ${filters}
       ), c AS (
         SELECT n.subject_id, n.name, char_length(n.name) AS len, 2 AS rank
           FROM subject_names n JOIN subjects s ON s.id = n.subject_id
          WHERE ${full ? 'true' : 'false'} AND (SELECT count(DISTINCT subject_id) FROM p) < $10
            AND n.pinyin LIKE '%' || $2 || '%' AND n.valid_from <= $3 AND ${filters}
          ORDER BY char_length(n.name), n.subject_id LIMIT $6
       ), best AS (
         SELECT DISTINCT ON (subject_id) subject_id, name, len, rank
           FROM (SELECT * FROM p UNION ALL SELECT * FROM c) u
          ORDER BY subject_id, rank, len
       )
       SELECT s.id, s.type, s.uscc, s.name, b.name AS matched_name, s.region, s.status, b.rank,
              (SELECT count(DISTINCT subject_id) FROM p)::int AS np,
              greatest((SELECT count(*) FROM w1), (SELECT count(*) FROM w2)) >= $6 AS pt,
              (SELECT count(*) FROM c) >= $6 AS ct
         FROM best b JOIN subjects s ON s.id = b.subject_id
        ORDER BY b.rank, b.len, s.id
        LIMIT $7`,
        [
          q.term,
          likeEscape(q.term),
          q.at,
          q.types,
          q.regionPrefix,
          cap,
          q.offset + q.limit + 1,
          q.category,
          q.category ? q.day : null,
          q.offset + q.limit + 1,
        ],
      ),
    );
  },
  /** Share of stored name-gram rows per common gram, from the planner's statistics (empty before ANALYZE). */
  async gramFrequencies(db: Queryable): Promise<Map<string, number>> {
    const { rows } = await db.query<{ vals: string[] | null; freqs: number[] | null }>(
      `SELECT most_common_vals::text::text[] AS vals, most_common_freqs AS freqs
         FROM pg_stats WHERE tablename = 'subject_name_grams' AND attname = 'gram'`,
    );
    const out = new Map<string, number>();
    for (const r of rows) r.vals?.forEach((v, i) => out.set(v, Number(r.freqs?.[i] ?? 0)));
    return out;
  },
  /** Whether the subject had a record of the category disclosed at `at` (exact-code searches). */
  async hasDisclosedInCategory(
    db: Queryable,
    q: { subjectId: number; category: string; day: string; at: Date; historic: boolean },
  ): Promise<boolean> {
    const { rows } = await db.query<{ ok: boolean }>(
      `SELECT ${disclosedInCategory('$1', '$2', '$3', '$4', q.historic)} AS ok`,
      [q.subjectId, q.category, q.day, q.at],
    );
    return rows[0]?.ok === true;
  },
  async categoryExists(db: Queryable, code: string): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM catalog_categories WHERE code = $1', [code]);
    return rows.length > 0;
  },
  async overrides(db: Queryable): Promise<Set<string>> {
    const { rows } = await db.query<{ code: string }>('SELECT code FROM identifier_overrides');
    return new Set(rows.map((r) => r.code));
  },
  async addOverride(
    db: Queryable,
    o: { code: string; kind: string; reason: string; by: string; now: Date },
  ): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO identifier_overrides (code, kind, reason, created_by, created_at) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT DO NOTHING`,
      [o.code, o.kind, o.reason, o.by, o.now],
    );
    return (rowCount ?? 0) > 0;
  },
};
