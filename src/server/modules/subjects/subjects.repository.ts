import type { Queryable } from '../../platform/db';
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

const COLS = `id, type, uscc, org_code, reg_no, name, region, legal_rep, status, established_on,
  id_cipher, id_masked, origin, version, created_at, updated_at`;

export const subjectsRepo = {
  async insert(db: Queryable, s: NewSubjectRow): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(
      `INSERT INTO subjects (type, uscc, org_code, reg_no, name, region, legal_rep, status, established_on,
                             id_cipher, id_blind, id_masked, origin, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14)
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
  async byBlindIndex(db: Queryable, blind: Buffer): Promise<SubjectRow | undefined> {
    const { rows } = await db.query<SubjectRow>(`SELECT ${COLS} FROM subjects WHERE id_blind = $1`, [blind]);
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
      `SELECT ${COLS}, id_blind FROM subjects WHERE id_blind = ANY($1)`,
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
   * Substring search over organisation names. Two-character Chinese terms go through the bigram
   * index, longer ones through the trigram index; pinyin through the initials prefix or the pinyin
   * trigram index. Every path is rechecked with LIKE, ranked exact > prefix > shorter name.
   */
  async search(
    db: Queryable,
    q: {
      mode: 'bigram' | 'trigram' | 'initials' | 'pinyin';
      term: string;
      like: string;
      at: Date;
      types: string[] | null;
      regionPrefix: string | null;
      limit: number;
      offset: number;
    },
  ): Promise<{ hits: SearchHit[]; more: boolean }> {
    let where: string;
    if (q.mode === 'bigram') where = `cjk_bigrams(n.name) @> ARRAY[$1::text] AND n.name LIKE $2`;
    else if (q.mode === 'trigram') where = `n.name LIKE $2`;
    // $2 is unused by this shape; PostgreSQL must still be told its type.
    else if (q.mode === 'initials') where = `n.initials LIKE $1 || '%' AND $2::text IS NOT NULL`;
    else where = `(n.initials LIKE $1 || '%' OR n.pinyin LIKE $2)`;
    const { rows } = await db.query<SearchHit & { rank: number }>(
      `WITH m AS (
         SELECT n.subject_id, n.name AS matched_name,
                CASE WHEN n.name = $1 OR n.initials = $1 OR n.pinyin = $1 THEN 0
                     WHEN n.name LIKE $8 OR n.initials LIKE $8 OR n.pinyin LIKE $8 THEN 1 ELSE 2 END AS rank,
                char_length(n.name) AS len
           FROM subject_names n
          WHERE ${where} AND n.valid_from <= $3
          LIMIT 5000
       ), best AS (
         SELECT DISTINCT ON (subject_id) subject_id, matched_name, rank, len FROM m
          ORDER BY subject_id, rank, len
       )
       SELECT s.id, s.type, s.uscc, s.name, b.matched_name, s.region, s.status, b.rank
         FROM best b JOIN subjects s ON s.id = b.subject_id
        WHERE s.created_at <= $3
          AND ($4::text[] IS NULL OR s.type = ANY($4))
          AND ($5::text IS NULL OR s.region LIKE $5 || '%')
        ORDER BY b.rank, b.len, s.id
        LIMIT $6 OFFSET $7`,
      [q.term, q.like, q.at, q.types, q.regionPrefix, q.limit + 1, q.offset, `${q.like.replace(/^%/, '')}`],
    );
    const more = rows.length > q.limit;
    return { hits: rows.slice(0, q.limit), more };
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
