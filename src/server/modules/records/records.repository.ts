import type { SubjectRow } from '../subjects';
import { queryPrepared, type Queryable } from '../../platform/db';

export interface RecordHeadRow {
  id: number;
  subject_id: number;
  item_code: string;
  item_version: number;
  category_code: string;
  department_id: number;
  doc_no: string;
  decision_date: string;
  severity: string | null;
  payload: Record<string, unknown>;
  window_from: string;
  window_until: string | null;
  version: number;
  stop_kind: string | null;
  stopped_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewRecordRow {
  subjectId: number;
  itemCode: string;
  itemVersion: number;
  categoryCode: string;
  docNo: string;
  decisionDate: string;
  severity: string | null;
  payload: string; // JSON text
  windowFrom: string;
  windowUntil: string | null;
}

export interface DisclosedRow {
  id: number;
  item_code: string;
  item_version: number;
  category_code: string;
  department_id: number;
  doc_no: string;
  decision_date: string;
  severity: string | null;
  payload: Record<string, unknown>;
  window_from: string;
  window_until: string | null;
  version: number;
  /** Only from `disclosedNow`: an objection is open on the record (有异议/核查中). */
  disputed?: boolean;
}

const HEAD = `id, subject_id, item_code, item_version, category_code, department_id, doc_no, decision_date, severity,
  payload, window_from, window_until, version, stop_kind, stopped_at, created_at, updated_at`;

const HEAD_R = HEAD.split(',')
  .map((c) => `r.${c.trim()}`)
  .join(', ');

export const recordsRepo = {
  async existing(
    db: Queryable,
    departmentId: number,
    keys: { itemCode: string; docNo: string }[],
  ): Promise<RecordHeadRow[]> {
    if (!keys.length) return [];
    const { rows } = await db.query<RecordHeadRow>(
      `SELECT ${HEAD} FROM records
        WHERE department_id = $1
          AND (item_code, doc_no) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [departmentId, keys.map((k) => k.itemCode), keys.map((k) => k.docNo)],
    );
    return rows;
  },

  /**
   * Inserts heads and their first versions in one statement. The rows travel as one JSON array
   * (payloads embedded as they are, not re-escaped into array literals) and PostgreSQL unpacks it;
   * ids come back matched to the rows by their (item, document number), which the caller keeps unique.
   * A row whose (department, item, document number) is already stored is left alone (its id comes
   * back null), so a submission needs no separate look-up to find which of its rows are new.
   */
  async insertMany(
    db: Queryable,
    departmentId: number,
    rows: NewRecordRow[],
    at: Date,
    by: string,
  ): Promise<(number | null)[]> {
    if (!rows.length) return [];
    const json = `[${rows
      .map(
        (r) =>
          `{"s":${r.subjectId},"i":${JSON.stringify(r.itemCode)},"iv":${r.itemVersion},"c":${JSON.stringify(r.categoryCode)},` +
          `"d":${JSON.stringify(r.docNo)},"dd":${JSON.stringify(r.decisionDate)},"sev":${JSON.stringify(r.severity)},"p":${r.payload},` +
          `"wf":${JSON.stringify(r.windowFrom)},"wu":${JSON.stringify(r.windowUntil)}}`,
      )
      .join(',')}]`;
    const { rows: ids } = await db.query<{ id: number; item_code: string; doc_no: string }>(
      `WITH u AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS u(s int8, i text, iv int4, c text, d text, dd date, sev text, p jsonb, wf date, wu date)),
       ins AS (
         INSERT INTO records (subject_id, item_code, item_version, category_code, department_id, doc_no, decision_date,
                              severity, payload, window_from, window_until, version, created_at, updated_at)
         SELECT s, i, iv, c, $2, d, dd, sev, p, wf, wu, 1, $3, $3 FROM u
         ON CONFLICT (department_id, item_code, doc_no) DO NOTHING
         RETURNING id, item_code, doc_no, item_version, decision_date, severity, payload, window_from, window_until),
       v AS (
         INSERT INTO record_versions (record_id, version, item_version, decision_date, severity, payload, window_from,
                                      window_until, change_kind, recorded_at, recorded_by)
         SELECT id, 1, item_version, decision_date, severity, payload, window_from, window_until, 'created', $3, $4 FROM ins)
       SELECT id, item_code, doc_no FROM ins`,
      [json, departmentId, at, by],
    );
    const byKey = new Map(ids.map((r) => [`${r.item_code}\u0000${r.doc_no}`, r.id]));
    return rows.map((r) => byKey.get(`${r.itemCode}\u0000${r.docNo}`) ?? null);
  },

  async correct(
    db: Queryable,
    id: number,
    r: Omit<NewRecordRow, 'subjectId' | 'itemCode' | 'categoryCode' | 'docNo'>,
    reason: string | null,
    at: Date,
    by: string,
  ): Promise<RecordHeadRow> {
    const { rows } = await db.query<RecordHeadRow>(
      `UPDATE records SET item_version = $2, decision_date = $3, severity = $4, payload = $5::jsonb, window_from = $6,
              window_until = $7, version = version + 1, updated_at = $8
        WHERE id = $1 RETURNING ${HEAD}`,
      [id, r.itemVersion, r.decisionDate, r.severity, r.payload, r.windowFrom, r.windowUntil, at],
    );
    const head = rows[0] as RecordHeadRow;
    await db.query(
      `INSERT INTO record_versions (record_id, version, item_version, decision_date, severity, payload, window_from,
                                    window_until, change_kind, change_reason, recorded_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, 'corrected', $9, $10, $11)`,
      [
        id,
        head.version,
        r.itemVersion,
        r.decisionDate,
        r.severity,
        r.payload,
        r.windowFrom,
        r.windowUntil,
        reason,
        at,
        by,
      ],
    );
    return head;
  },

  /**
   * Corrections of many records in two set-based statements: each head gets the new content and
   * version + 1, and the new version joins the history. Heads come back in input order.
   */
  async correctMany(
    db: Queryable,
    rows: (Omit<NewRecordRow, 'itemCode' | 'categoryCode' | 'docNo'> & { id: number })[],
    reason: string | null,
    at: Date,
    by: string,
  ): Promise<RecordHeadRow[]> {
    if (!rows.length) return [];
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    const { rows: heads } = await db.query<RecordHeadRow & { ord: number }>(
      `WITH u AS (
         SELECT * FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::date[], $5::text[], $6::text[], $7::date[], $8::date[])
           WITH ORDINALITY AS u(id, s, iv, dd, sev, p, wf, wu, ord))
       UPDATE records r SET subject_id = u.s, item_version = u.iv, decision_date = u.dd, severity = u.sev,
              payload = u.p::jsonb, window_from = u.wf, window_until = u.wu, version = r.version + 1, updated_at = $9
         FROM u WHERE r.id = u.id
       RETURNING ${HEAD_R}, u.ord`,
      [
        col('id'),
        col('subjectId'),
        col('itemVersion'),
        col('decisionDate'),
        col('severity'),
        col('payload'),
        col('windowFrom'),
        col('windowUntil'),
        at,
      ],
    );
    heads.sort((a, b) => a.ord - b.ord);
    await db.query(
      `INSERT INTO record_versions (record_id, version, item_version, decision_date, severity, payload, window_from,
                                    window_until, change_kind, change_reason, recorded_at, recorded_by)
       SELECT id, v, iv, dd, sev, p::jsonb, wf, wu, 'corrected', $9, $10, $11
         FROM unnest($1::int8[], $2::int4[], $3::int4[], $4::date[], $5::text[], $6::text[], $7::date[], $8::date[])
           AS u(id, v, iv, dd, sev, p, wf, wu)`,
      [
        heads.map((h) => h.id),
        heads.map((h) => h.version),
        col('itemVersion'),
        col('decisionDate'),
        col('severity'),
        col('payload'),
        col('windowFrom'),
        col('windowUntil'),
        reason,
        at,
        by,
      ],
    );
    return heads.map(({ ord: _ord, ...h }) => h);
  },

  async stop(
    db: Queryable,
    id: number,
    s: { kind: string; reason: string; effectiveAt: Date; at: Date; by: string },
  ): Promise<RecordHeadRow | undefined> {
    const { rows } = await db.query<RecordHeadRow>(
      `UPDATE records SET stop_kind = $2, stopped_at = $3, updated_at = $4 WHERE id = $1 AND stopped_at IS NULL
       RETURNING ${HEAD}`,
      [id, s.kind, s.effectiveAt, s.at],
    );
    if (!rows[0]) return undefined;
    await db.query(
      `INSERT INTO record_stops (record_id, kind, reason, effective_at, recorded_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, s.kind, s.reason, s.effectiveAt, s.at, s.by],
    );
    return rows[0];
  },

  async byId(db: Queryable, id: number): Promise<RecordHeadRow | undefined> {
    const { rows } = await db.query<RecordHeadRow>(`SELECT ${HEAD} FROM records WHERE id = $1`, [id]);
    return rows[0];
  },

  async versions(db: Queryable, id: number) {
    const { rows } = await db.query<{
      version: number;
      item_version: number;
      decision_date: string;
      severity: string | null;
      payload: Record<string, unknown>;
      window_from: string;
      window_until: string | null;
      change_kind: string;
      change_reason: string | null;
      recorded_at: Date;
      recorded_by: string;
    }>(
      `SELECT version, item_version, decision_date, severity, payload, window_from, window_until, change_kind,
              change_reason, recorded_at, recorded_by
         FROM record_versions WHERE record_id = $1 ORDER BY version`,
      [id],
    );
    return rows;
  },

  async stops(db: Queryable, id: number) {
    const { rows } = await db.query<{
      kind: string;
      reason: string;
      effective_at: Date;
      recorded_at: Date;
      recorded_by: string;
      lifted_at: Date | null;
    }>(
      `SELECT kind, reason, effective_at, recorded_at, recorded_by, lifted_at FROM record_stops
        WHERE record_id = $1 ORDER BY id`,
      [id],
    );
    return rows;
  },

  async list(
    db: Queryable,
    f: {
      departmentId: number | null;
      itemCode: string | null;
      subjectId: number | null;
      docNo: string | null;
      limit: number;
      offset: number;
    },
  ): Promise<{ rows: RecordHeadRow[]; more: boolean }> {
    const { rows } = await db.query<RecordHeadRow>(
      `SELECT ${HEAD} FROM records
        WHERE ($1::int8 IS NULL OR department_id = $1) AND ($2::text IS NULL OR item_code = $2)
          AND ($3::int8 IS NULL OR subject_id = $3) AND ($4::text IS NULL OR doc_no = $4)
        ORDER BY id DESC LIMIT $5 OFFSET $6`,
      [f.departmentId, f.itemCode, f.subjectId, f.docNo, f.limit + 1, f.offset],
    );
    return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
  },

  /** Disclosed now: the head row carries the current version; one indexed read. */
  /** remedies (issue 6): mark a record as under objection review (`since`) or clear the mark (null). */
  async setDisputed(db: Queryable, recordId: number, since: Date | null): Promise<void> {
    await db.query('UPDATE records SET disputed_since = $2 WHERE id = $1', [recordId, since]);
  },

  /**
   * The whole current profile in one statement: the subject by USCC with its former names (the
   * subjects module's `subject_card`) and its records disclosed now, aggregated as JSON.
   */
  async profileByUscc(
    db: Queryable,
    uscc: string,
    today: string,
    now: Date,
  ): Promise<(SubjectRow & { former_names: string[]; records: DisclosedRow[] }) | undefined> {
    const { rows } = await queryPrepared<SubjectRow & { former_names: string[]; records: DisclosedRow[] }>(
      db,
      `SELECT c.*,
              (SELECT coalesce(json_agg(x ORDER BY x.decision_date DESC, x.id DESC), '[]'::json)
                 FROM (SELECT id, item_code, item_version, category_code, department_id, doc_no, decision_date,
                              severity, payload, window_from, window_until, version,
                              disputed_since IS NOT NULL AS disputed
                         FROM records
                        WHERE subject_id = c.id AND window_from <= $2 AND (window_until IS NULL OR window_until > $2)
                          AND (stopped_at IS NULL OR stopped_at > $3) AND created_at <= $3) x) AS records
         FROM subject_card($1, $3) c`,
      [uscc, today, now],
    );
    return rows[0];
  },

  async disclosedNow(db: Queryable, subjectId: number, today: string, now: Date): Promise<DisclosedRow[]> {
    const { rows } = await db.query<DisclosedRow>(
      `SELECT id, item_code, item_version, category_code, department_id, doc_no, decision_date, severity, payload,
              window_from, window_until, version, disputed_since IS NOT NULL AS disputed
         FROM records
        WHERE subject_id = $1 AND window_from <= $2 AND (window_until IS NULL OR window_until > $2)
          AND (stopped_at IS NULL OR stopped_at > $3) AND created_at <= $3
        ORDER BY decision_date DESC, id DESC`,
      [subjectId, today, now],
    );
    return rows;
  },

  /**
   * Disclosed as the platform would have answered at `at`: the version recorded by then, its
   * window on that civil day, and no stop that had taken effect and been recorded by then.
   */
  async disclosedAt(db: Queryable, subjectId: number, day: string, at: Date): Promise<DisclosedRow[]> {
    const { rows } = await db.query<DisclosedRow>(
      `SELECT r.id, r.item_code, v.item_version, r.category_code, r.department_id, r.doc_no, v.decision_date,
              v.severity, v.payload, v.window_from, v.window_until, v.version
         FROM records r
         JOIN LATERAL (SELECT * FROM record_versions v WHERE v.record_id = r.id AND v.recorded_at <= $3
                        ORDER BY v.version DESC LIMIT 1) v ON true
        WHERE r.subject_id = $1 AND r.created_at <= $3
          AND v.window_from <= $2 AND (v.window_until IS NULL OR v.window_until > $2)
          AND NOT EXISTS (SELECT 1 FROM record_stops s WHERE s.record_id = r.id AND s.effective_at <= $3
                            AND s.recorded_at <= $3 AND (s.lifted_at IS NULL OR s.lifted_at > $3))
        ORDER BY v.decision_date DESC, r.id DESC`,
      [subjectId, day, at],
    );
    return rows;
  },

  /**
   * Disclosed records across organisations (natural persons are never browsable), newest decision
   * first. Read per catalogue item through its (item, decision date, id) index, each in order and
   * stopping after the page: one `item_code = ANY(…)` cannot use that order, and sorted every
   * disclosed licence and penalty (seconds at province scale, see docs/benchmarks.md). The name
   * condition is written only when there is a name, as a plain `IN` the planner turns into a join
   * (under an OR it stayed a filter run against every row of the item).
   */
  async browseDisclosed(
    db: Queryable,
    f: {
      itemCodes: string[];
      departmentId: number | null;
      from: string | null;
      to: string | null;
      nameLike: string | null;
      docNo: string | null;
      day: string;
      at: Date;
      limit: number;
      offset: number;
    },
  ): Promise<{
    rows: (DisclosedRow & {
      subject_id: number;
      subject_name: string;
      uscc: string | null;
      subject_type: string;
    })[];
    more: boolean;
  }> {
    const byName =
      f.nameLike === null
        ? '$5::text IS NULL'
        : 'r.subject_id IN (SELECT subject_id FROM subject_names WHERE name LIKE $5)';
    const { rows } = await db.query<
      DisclosedRow & { subject_id: number; subject_name: string; uscc: string | null; subject_type: string }
    >(
      `SELECT x.* FROM (SELECT DISTINCT unnest($1::text[]) AS code) c
        CROSS JOIN LATERAL (
       SELECT r.id, r.item_code, r.item_version, r.category_code, r.department_id, r.doc_no, r.decision_date, r.severity,
              r.payload, r.window_from, r.window_until, r.version, r.subject_id, s.name AS subject_name, s.uscc,
              s.type AS subject_type
         FROM records r JOIN subjects s ON s.id = r.subject_id
        WHERE r.item_code = c.code AND s.type <> 'NATURAL_PERSON'
          AND r.window_from <= $6 AND (r.window_until IS NULL OR r.window_until > $6)
          AND (r.stopped_at IS NULL OR r.stopped_at > $7) AND r.created_at <= $7
          AND ($2::int8 IS NULL OR r.department_id = $2)
          AND ($3::date IS NULL OR r.decision_date >= $3)
          AND ($4::date IS NULL OR r.decision_date <= $4)
          AND ${byName}
          AND ($8::text IS NULL OR r.doc_no = $8)
        ORDER BY r.decision_date DESC, r.id DESC
        LIMIT $9::int8 + $10::int8) x
        ORDER BY x.decision_date DESC, x.id DESC
        LIMIT $9 OFFSET $10`,
      [f.itemCodes, f.departmentId, f.from, f.to, f.nameLike, f.day, f.at, f.docNo, f.limit + 1, f.offset],
    );
    return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
  },

  async stats(
    db: Queryable,
    day: string,
    now: Date,
  ): Promise<{ subjects: number; disclosed: number; departments: number; updated_at: Date | null }> {
    const { rows } = await db.query<{
      subjects: number;
      disclosed: number;
      departments: number;
      updated_at: Date | null;
    }>(
      `SELECT (SELECT count(*) FROM subjects)::int8 AS subjects,
              (SELECT count(*) FROM records WHERE window_from <= $1 AND (window_until IS NULL OR window_until > $1)
                  AND stopped_at IS NULL)::int8 AS disclosed,
              (SELECT count(*) FROM departments WHERE status = 'active')::int8 AS departments,
              (SELECT max(at) FROM events WHERE seq = (SELECT max(seq) FROM events)) AS updated_at`,
      [day],
    );
    void now;
    return rows[0] as { subjects: number; disclosed: number; departments: number; updated_at: Date | null };
  },

  async maxEventSeq(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ max: number }>('SELECT coalesce(max(seq), 0)::int8 AS max FROM events');
    return Number(rows[0]?.max ?? 0);
  },

  /** Subjects touched since `after`, and whether anything global (catalogue, departments) changed. */
  async changesSince(
    db: Queryable,
    after: number,
  ): Promise<{ lastSeq: number; subjectIds: number[]; global: boolean }> {
    const { rows } = await db.query<{
      last: number | null;
      subjects: number[] | null;
      global: boolean | null;
    }>(
      `SELECT max(seq)::int8 AS last,
              array_agg(DISTINCT subject_id) FILTER (WHERE subject_id IS NOT NULL) AS subjects,
              bool_or(entity_type IN ('catalog_item', 'catalog_category', 'department', 'settings')) AS global
         FROM (SELECT seq, subject_id, entity_type FROM events WHERE seq > $1 ORDER BY seq LIMIT 10000) e`,
      [after],
    );
    const r = rows[0];
    return {
      lastSeq: Number(r?.last ?? after),
      subjectIds: (r?.subjects ?? []).map(Number),
      global: r?.global ?? false,
    };
  },
};
