import type { Queryable } from '../../platform/db';

export interface ListTypeRow {
  code: string;
  version: number;
  current_version: number;
  kind: string;
  status: string;
  public: boolean;
  definition: Record<string, unknown>;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  /** The departments bound as the listing authority (head state, not versioned). */
  departments: { id: number; name: string; nameEn: string | null }[];
}

export interface EntryRow {
  id: number;
  list_type_code: string;
  list_type_version: number;
  list_kind: string;
  subject_id: number;
  department_id: number;
  stage: string;
  facts_key: string[];
  summary: string;
  proposed_at: Date;
  notified_on: string | null;
  notified_at: Date | null;
  notice_no: string | null;
  repair_notice_no: string | null;
  statement_deadline: string | null;
  statement_at: Date | null;
  waived_at: Date | null;
  decided_at: Date | null;
  decision_no: string | null;
  decision_reasons: string | null;
  period_months: number | null;
  effective_from: string | null;
  effective_until: string | null;
  review_on: string | null;
  published_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
  end_note: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** An entry with what the views need of its subject and list type. */
export interface EntryViewRow extends EntryRow {
  subject_name: string;
  subject_type: string;
  subject_uscc: string | null;
  subject_id_masked: string | null;
  list_definition: Record<string, unknown>;
}

export interface FactRow {
  entry_id: number;
  ord: number;
  kind: 'record' | 'document';
  record_id: number | null;
  doc_no: string | null;
  doc_title: string | null;
  doc_date: string | null;
  issued_by: string | null;
  record_item_code: string | null;
  record_doc_no: string | null;
  record_decision_date: string | null;
  record_severity: string | null;
}

export interface PartyRow {
  entry_id: number;
  subject_id: number;
  role: string;
  note: string | null;
  name: string;
  type: string;
  uscc: string | null;
  id_masked: string | null;
}

export interface StepRow {
  id: number;
  entry_id: number;
  step: string;
  at: Date;
  actor: string;
  data: Record<string, unknown>;
}

export interface FactRecordRow {
  id: number;
  subject_id: number;
  item_code: string;
  doc_no: string;
  decision_date: string;
  severity: string | null;
  stop_kind: string | null;
}

const ENTRY_COLS = `e.id, e.list_type_code, e.list_type_version, e.list_kind, e.subject_id, e.department_id, e.stage,
  e.facts_key, e.summary, e.proposed_at, e.notified_on, e.notified_at, e.notice_no, e.repair_notice_no,
  e.statement_deadline, e.statement_at, e.waived_at, e.decided_at, e.decision_no, e.decision_reasons, e.period_months,
  e.effective_from, e.effective_until, e.review_on, e.published_at, e.ended_at, e.end_reason, e.end_note, e.version,
  e.created_at, e.updated_at`;

const VIEW_SELECT = `SELECT ${ENTRY_COLS}, s.name AS subject_name, s.type AS subject_type, s.uscc AS subject_uscc,
       s.id_masked AS subject_id_masked, v.definition AS list_definition
  FROM list_entries e
  JOIN subjects s ON s.id = e.subject_id
  JOIN list_type_versions v ON v.code = e.list_type_code AND v.version = e.list_type_version`;

/** Columns a procedural step may change. */
export type EntryPatch = Partial<
  Pick<
    EntryRow,
    | 'stage'
    | 'notified_on'
    | 'notified_at'
    | 'notice_no'
    | 'repair_notice_no'
    | 'statement_deadline'
    | 'statement_at'
    | 'waived_at'
    | 'decided_at'
    | 'decision_no'
    | 'decision_reasons'
    | 'period_months'
    | 'effective_from'
    | 'effective_until'
    | 'review_on'
    | 'published_at'
    | 'ended_at'
    | 'end_reason'
    | 'end_note'
  >
>;

const PATCHABLE = new Set<string>([
  'stage',
  'notified_on',
  'notified_at',
  'notice_no',
  'repair_notice_no',
  'statement_deadline',
  'statement_at',
  'waived_at',
  'decided_at',
  'decision_no',
  'decision_reasons',
  'period_months',
  'effective_from',
  'effective_until',
  'review_on',
  'published_at',
  'ended_at',
  'end_reason',
  'end_note',
]);

const LOCK_NAMESPACE = 72_736_010;
/** The period job's advisory lock (lists.periods.ts). */
const PERIOD_JOB_LOCK = 72_736_071;

/** A list type's bound departments as a JSON array of {id, name, nameEn} (select-list item over `t`). */
const TYPE_DEPARTMENTS = `(SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'nameEn', d.name_en)
                                    ORDER BY d.id), '[]')
    FROM list_type_departments b JOIN departments d ON d.id = b.department_id
   WHERE b.list_type_code = t.code) AS departments`;

export const listsRepo = {
  async lockSeed(db: Queryable): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NAMESPACE]);
  },

  // ---- list types ----

  async typeHead(db: Queryable, code: string, forUpdate = false) {
    const { rows } = await db.query<{
      code: string;
      current_version: number;
      kind: string;
      status: string;
      public: boolean;
    }>(
      `SELECT code, current_version, kind, status, public FROM list_types WHERE code = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [code],
    );
    return rows[0];
  },

  /** Replaces the departments bound to a list type; returns the ids that were not departments. */
  async setTypeDepartments(
    db: Queryable,
    code: string,
    ids: readonly number[],
    now: Date,
    by: string,
  ): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM departments WHERE id = ANY($1::int8[])', [
      ids,
    ]);
    const known = new Set(rows.map((r) => Number(r.id)));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) return unknown;
    await db.query('DELETE FROM list_type_departments WHERE list_type_code = $1', [code]);
    await db.query(
      `INSERT INTO list_type_departments (list_type_code, department_id, bound_at, bound_by)
       SELECT $1, d, $3, $4 FROM unnest($2::int8[]) AS d`,
      [code, ids, now, by],
    );
    return [];
  },

  async insertType(
    db: Queryable,
    t: { code: string; kind: string; status: string; public: boolean; now: Date },
  ): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO list_types (code, current_version, kind, status, public, created_at, updated_at)
       VALUES ($1, 1, $2, $3, $4, $5, $5) ON CONFLICT (code) DO NOTHING`,
      [t.code, t.kind, t.status, t.public, t.now],
    );
    return rowCount === 1;
  },

  async insertTypeVersion(
    db: Queryable,
    v: { code: string; version: number; definition: string; now: Date; by: string },
  ): Promise<void> {
    await db.query(
      `INSERT INTO list_type_versions (code, version, definition, created_at, created_by) VALUES ($1, $2, $3::jsonb, $4, $5)`,
      [v.code, v.version, v.definition, v.now, v.by],
    );
  },

  async setTypeCurrent(
    db: Queryable,
    code: string,
    h: { version: number; status: string; public: boolean; now: Date },
  ): Promise<void> {
    await db.query(
      `UPDATE list_types SET current_version = $2, status = $3, public = $4, updated_at = $5 WHERE code = $1`,
      [code, h.version, h.status, h.public, h.now],
    );
  },

  async typeVersion(db: Queryable, code: string, version: number | null): Promise<ListTypeRow | undefined> {
    const { rows } = await db.query<ListTypeRow>(
      `SELECT t.code, v.version, t.current_version, t.kind, t.status, t.public, v.definition, v.created_at, v.created_by,
              t.updated_at, ${TYPE_DEPARTMENTS}
         FROM list_types t JOIN list_type_versions v ON v.code = t.code AND v.version = coalesce($2, t.current_version)
        WHERE t.code = $1`,
      [code, version],
    );
    return rows[0];
  },

  async listTypes(db: Queryable, onlyPublic: boolean): Promise<ListTypeRow[]> {
    const { rows } = await db.query<ListTypeRow>(
      `SELECT t.code, v.version, t.current_version, t.kind, t.status, t.public, v.definition, v.created_at, v.created_by,
              t.updated_at, ${TYPE_DEPARTMENTS}
         FROM list_types t JOIN list_type_versions v ON v.code = t.code AND v.version = t.current_version
        WHERE NOT $1 OR (t.public AND t.status <> 'draft')
        ORDER BY t.code`,
      [onlyPublic],
    );
    return rows;
  },

  async entryCounts(db: Queryable, day: string, at: Date): Promise<Map<string, number>> {
    const { rows } = await db.query<{ code: string; n: number }>(
      `SELECT list_type_code AS code, count(*)::int8 AS n FROM list_entries
        WHERE stage = 'listed' AND published_at IS NOT NULL AND published_at <= $2 AND effective_from <= $1
          AND (effective_until IS NULL OR effective_until > $1) AND (ended_at IS NULL OR ended_at > $2)
        GROUP BY list_type_code`,
      [day, at],
    );
    return new Map(rows.map((r) => [r.code, r.n]));
  },

  // ---- supporting reads from other tables (read-only) ----

  async calendarOverrides(db: Queryable) {
    const { rows } = await db.query<{ day: string; kind: 'holiday' | 'workday'; name: string | null }>(
      'SELECT day, kind, name FROM calendar_overrides ORDER BY day',
    );
    return rows;
  },

  async factRecords(db: Queryable, ids: readonly number[]): Promise<FactRecordRow[]> {
    if (!ids.length) return [];
    const { rows } = await db.query<FactRecordRow>(
      `SELECT id, subject_id, item_code, doc_no, decision_date, severity, stop_kind FROM records WHERE id = ANY($1::int8[])`,
      [ids],
    );
    return rows;
  },

  // ---- entries ----

  /** Serialises proposals for one subject on one list, so the duplicate check cannot race. */
  async lockSubjectOnList(db: Queryable, code: string, subjectId: number): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      LOCK_NAMESPACE,
      `${code}:${subjectId}`,
    ]);
  },

  /** A pending entry, or one listed and not yet over, on the same list for overlapping facts. */
  async sameFacts(
    db: Queryable,
    code: string,
    subjectId: number,
    keys: readonly string[],
    day: string,
    at: Date,
  ): Promise<number | undefined> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM list_entries
        WHERE list_type_code = $1 AND subject_id = $2 AND facts_key && $3::text[]
          AND (stage IN ('proposed', 'notified')
               OR (stage = 'listed' AND (ended_at IS NULL OR ended_at > $5)
                   AND (effective_until IS NULL OR effective_until > $4)))
        ORDER BY id LIMIT 1`,
      [code, subjectId, keys, day, at],
    );
    return rows[0]?.id;
  },

  /**
   * Entries on the same list whose facts overlap and that have ended (an end recorded by `at`, or
   * their period over by `day`); withdrawn proposals and decisions not to list are not among them.
   */
  async endedWithFacts(
    db: Queryable,
    code: string,
    subjectId: number,
    keys: readonly string[],
    day: string,
    at: Date,
  ): Promise<Pick<EntryRow, 'id' | 'facts_key' | 'ended_at' | 'effective_until'>[]> {
    const { rows } = await db.query<Pick<EntryRow, 'id' | 'facts_key' | 'ended_at' | 'effective_until'>>(
      `SELECT id, facts_key, ended_at, effective_until FROM list_entries
        WHERE list_type_code = $1 AND subject_id = $2 AND facts_key && $3::text[] AND stage = 'listed'
          AND (ended_at <= $5 OR effective_until <= $4)
        ORDER BY id`,
      [code, subjectId, keys, day, at],
    );
    return rows;
  },

  async insertEntry(
    db: Queryable,
    e: {
      code: string;
      version: number;
      kind: string;
      subjectId: number;
      departmentId: number;
      factsKey: string[];
      summary: string;
      now: Date;
    },
  ): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO list_entries (list_type_code, list_type_version, list_kind, subject_id, department_id, stage, facts_key,
                                 summary, proposed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'proposed', $6, $7, $8, $8, $8) RETURNING id`,
      [e.code, e.version, e.kind, e.subjectId, e.departmentId, e.factsKey, e.summary, e.now],
    );
    return (rows[0] as { id: number }).id;
  },

  async insertFacts(
    db: Queryable,
    entryId: number,
    facts: readonly {
      kind: 'record' | 'document';
      recordId: number | null;
      docNo: string | null;
      docTitle: string | null;
      docDate: string | null;
      issuedBy: string | null;
    }[],
  ): Promise<void> {
    if (!facts.length) return;
    const col = <K extends keyof (typeof facts)[number]>(k: K) => facts.map((f) => f[k]);
    await db.query(
      `INSERT INTO list_entry_facts (entry_id, ord, kind, record_id, doc_no, doc_title, doc_date, issued_by)
       SELECT $1, ord, k, r, d, t, dd, i
         FROM unnest($2::text[], $3::int8[], $4::text[], $5::text[], $6::date[], $7::text[]) WITH ORDINALITY
           AS u(k, r, d, t, dd, i, ord)`,
      [entryId, col('kind'), col('recordId'), col('docNo'), col('docTitle'), col('docDate'), col('issuedBy')],
    );
  },

  async insertParties(
    db: Queryable,
    entryId: number,
    parties: readonly { subjectId: number; role: string; note: string | null }[],
  ): Promise<void> {
    if (!parties.length) return;
    await db.query(
      `INSERT INTO list_entry_parties (entry_id, subject_id, role, note)
       SELECT $1, s, r, n FROM unnest($2::int8[], $3::text[], $4::text[]) AS u(s, r, n)
       ON CONFLICT DO NOTHING`,
      [entryId, parties.map((p) => p.subjectId), parties.map((p) => p.role), parties.map((p) => p.note)],
    );
  },

  /**
   * Entries on a list whose fixed period has run out (effective_until ≤ `today`) and whose end has
   * not been recorded as a step yet: what the period job turns into `period_ended` steps.
   */
  async periodsEnded(db: Queryable, today: string, limit: number): Promise<EntryViewRow[]> {
    const { rows } = await db.query<EntryViewRow>(
      `${VIEW_SELECT}
        WHERE e.stage = 'listed' AND e.ended_at IS NULL AND e.effective_until IS NOT NULL
          AND e.effective_until <= $1::date
          AND NOT EXISTS (SELECT 1 FROM list_entry_steps st WHERE st.entry_id = e.id AND st.step = 'period_ended')
        ORDER BY e.effective_until, e.id
        LIMIT $2`,
      [today, limit],
    );
    return rows;
  },

  /** Indefinite entries whose review date has come (review_on ≤ `today`) with no review step for it. */
  async reviewsDue(db: Queryable, today: string, limit: number): Promise<EntryViewRow[]> {
    const { rows } = await db.query<EntryViewRow>(
      `${VIEW_SELECT}
        WHERE e.stage = 'listed' AND e.ended_at IS NULL AND e.review_on IS NOT NULL AND e.review_on <= $1::date
          AND NOT EXISTS (SELECT 1 FROM list_entry_steps st
                           WHERE st.entry_id = e.id AND st.step = 'review_due'
                             AND st.data->>'reviewOn' = to_char(e.review_on, 'YYYY-MM-DD'))
        ORDER BY e.review_on, e.id
        LIMIT $2`,
      [today, limit],
    );
    return rows;
  },

  /** The period job's lock: one round at a time across processes (transaction-scoped). */
  async tryJobLock(db: Queryable): Promise<boolean> {
    const { rows } = await db.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS got', [
      PERIOD_JOB_LOCK,
    ]);
    return rows[0]?.got === true;
  },

  async insertStep(
    db: Queryable,
    s: { entryId: number; step: string; at: Date; actor: string; data: unknown },
  ): Promise<void> {
    await db.query(
      `INSERT INTO list_entry_steps (entry_id, step, at, actor, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [s.entryId, s.step, s.at, s.actor, JSON.stringify(s.data)],
    );
  },

  async entry(db: Queryable, id: number, forUpdate = false): Promise<EntryViewRow | undefined> {
    const { rows } = await db.query<EntryViewRow>(
      `${VIEW_SELECT} WHERE e.id = $1${forUpdate ? ' FOR UPDATE OF e' : ''}`,
      [id],
    );
    return rows[0];
  },

  async updateEntry(db: Queryable, id: number, patch: EntryPatch, now: Date): Promise<void> {
    const keys = Object.keys(patch).filter((k) => PATCHABLE.has(k));
    if (!keys.length) return;
    const sets = keys.map((k, i) => `${k} = $${i + 3}`);
    await db.query(
      `UPDATE list_entries SET ${sets.join(', ')}, version = version + 1, updated_at = $2 WHERE id = $1`,
      [id, now, ...keys.map((k) => (patch as Record<string, unknown>)[k])],
    );
  },

  async facts(db: Queryable, entryIds: readonly number[]): Promise<FactRow[]> {
    if (!entryIds.length) return [];
    const { rows } = await db.query<FactRow>(
      `SELECT f.entry_id, f.ord, f.kind, f.record_id, f.doc_no, f.doc_title, f.doc_date, f.issued_by,
              r.item_code AS record_item_code, r.doc_no AS record_doc_no, r.decision_date AS record_decision_date,
              r.severity AS record_severity
         FROM list_entry_facts f LEFT JOIN records r ON r.id = f.record_id
        WHERE f.entry_id = ANY($1::int8[]) ORDER BY f.entry_id, f.ord`,
      [entryIds],
    );
    return rows;
  },

  async parties(db: Queryable, entryIds: readonly number[]): Promise<PartyRow[]> {
    if (!entryIds.length) return [];
    const { rows } = await db.query<PartyRow>(
      `SELECT p.entry_id, p.subject_id, p.role, p.note, s.name, s.type, s.uscc, s.id_masked
         FROM list_entry_parties p JOIN subjects s ON s.id = p.subject_id
        WHERE p.entry_id = ANY($1::int8[]) ORDER BY p.entry_id, p.role, p.subject_id`,
      [entryIds],
    );
    return rows;
  },

  async steps(db: Queryable, entryIds: readonly number[]): Promise<StepRow[]> {
    if (!entryIds.length) return [];
    const { rows } = await db.query<StepRow>(
      `SELECT id, entry_id, step, at, actor, data FROM list_entry_steps WHERE entry_id = ANY($1::int8[]) ORDER BY entry_id, id`,
      [entryIds],
    );
    return rows;
  },

  /**
   * Every entry naming the subject, as the subject or as a related party, that existed at `at`. One
   * `IN` over both indexed look-ups: an OR of the subject and a sub-select read every entry.
   */
  async ofSubject(db: Queryable, subjectId: number, at: Date): Promise<EntryViewRow[]> {
    const { rows } = await db.query<EntryViewRow>(
      `${VIEW_SELECT}
        WHERE e.id IN (SELECT id FROM list_entries WHERE subject_id = $1
                       UNION ALL SELECT entry_id FROM list_entry_parties WHERE subject_id = $1)
          AND e.proposed_at <= $2
        ORDER BY e.id DESC`,
      [subjectId, at],
    );
    return rows;
  },

  async list(
    db: Queryable,
    f: {
      departmentId: number | null;
      listType: string | null;
      stage: string | null;
      subjectId: number | null;
      limit: number;
      offset: number;
    },
  ): Promise<{ rows: EntryViewRow[]; more: boolean }> {
    const { rows } = await db.query<EntryViewRow>(
      `${VIEW_SELECT}
        WHERE ($1::int8 IS NULL OR e.department_id = $1) AND ($2::text IS NULL OR e.list_type_code = $2)
          AND ($3::text IS NULL OR e.stage = $3) AND ($4::int8 IS NULL OR e.subject_id = $4)
        ORDER BY e.id DESC LIMIT $5 OFFSET $6`,
      [f.departmentId, f.listType, f.stage, f.subjectId, f.limit + 1, f.offset],
    );
    return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
  },

  /** A subject's published entries on the list at `at` (any list), newest first. */
  async publishedOfSubject(db: Queryable, subjectId: number, day: string, at: Date): Promise<EntryViewRow[]> {
    const { rows } = await db.query<EntryViewRow>(
      `${VIEW_SELECT}
        WHERE e.subject_id = $1 AND e.stage = 'listed' AND e.published_at IS NOT NULL AND e.published_at <= $3
          AND e.effective_from <= $2 AND (e.effective_until IS NULL OR e.effective_until > $2)
          AND (e.ended_at IS NULL OR e.ended_at > $3)
        ORDER BY e.published_at DESC, e.id DESC LIMIT 200`,
      [subjectId, day, at],
    );
    return rows;
  },

  /**
   * Published entries of a public list on the list at `at`. Organisations are found by name (or
   * code); natural persons only through `subjectId` (an exact identifier resolved by the caller).
   */
  async published(
    db: Queryable,
    f: {
      code: string;
      subjectId: number | null;
      nameLike: string | null;
      day: string;
      at: Date;
      limit: number;
      offset: number;
    },
  ): Promise<{ rows: EntryViewRow[]; more: boolean }> {
    const { rows } = await db.query<EntryViewRow>(
      `${VIEW_SELECT}
        WHERE e.list_type_code = $1 AND e.stage = 'listed' AND e.published_at IS NOT NULL AND e.published_at <= $5
          AND e.effective_from <= $4 AND (e.effective_until IS NULL OR e.effective_until > $4)
          AND (e.ended_at IS NULL OR e.ended_at > $5)
          AND ($2::int8 IS NULL OR e.subject_id = $2)
          AND ($3::text IS NULL OR (s.type <> 'NATURAL_PERSON'
               AND e.subject_id IN (SELECT subject_id FROM subject_names WHERE name LIKE $3)))
          AND ($2::int8 IS NOT NULL OR $3::text IS NOT NULL OR s.type <> 'NATURAL_PERSON')
        ORDER BY e.published_at DESC, e.id DESC LIMIT $6 OFFSET $7`,
      [f.code, f.subjectId, f.nameLike, f.day, f.at, f.limit + 1, f.offset],
    );
    return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
  },
};
