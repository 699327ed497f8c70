import type { Queryable } from '../../platform/db';

export interface ApplicationRow {
  id: number;
  query_code: string | null;
  target_kind: 'record' | 'list_entry';
  record_id: number | null;
  list_entry_id: number | null;
  subject_id: number;
  department_id: number;
  target_label: string;
  applicant_user_id: number;
  applicant_kind: 'self' | 'agent';
  agent_name: string | null;
  statement: string;
  commitment_text: string;
  commitment_sha256: Buffer;
  commitment_at: Date | null;
  status: string;
  created_at: Date;
  submitted_at: Date | null;
  applied_on: string | null;
  answer_due: string | null;
  forwarded_at: Date | null;
  received_on: string | null;
  decide_due: string | null;
  extended_at: Date | null;
  extension_reason: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reasons: string | null;
  decision_late: boolean | null;
  late_reason: string | null;
  closed_reason: string | null;
  updated_at: Date;
}

export interface FileRow {
  id: number;
  application_id: number;
  kind: 'evidence' | 'authorisation';
  filename: string;
  media_type: string;
  size: number;
  sha256: Buffer;
  uploaded_at: Date;
  uploaded_by: string;
}

export interface StepRow {
  id: number;
  application_id: number;
  step: string;
  at: Date;
  actor: string;
  due: string | null;
  late: boolean;
  data: Record<string, unknown>;
}

export interface ObjectionRow {
  id: number;
  subject_id: number;
  record_id: number | null;
  repair_application_id: number | null;
  department_id: number;
  ground: string;
  statement: string;
  opened_by: number;
  opened_at: Date;
  opened_on: string;
  due: string;
  status: 'open' | 'closed';
  outcome: string | null;
  outcome_reasons: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_late: boolean | null;
  late_reason: string | null;
  result_version: number | null;
  updated_at: Date;
}

/** What names a record or list entry: its item's or list type's names, document number, date. */
export interface TargetNameRow {
  kind: 'record' | 'list_entry';
  id: number;
  name_zh: string;
  name_en: string | null;
  ref: string;
  on_date: string;
}

export type ApplicationPatch = Partial<Omit<ApplicationRow, 'id' | 'created_at' | 'updated_at'>>;
export type ObjectionPatch = Partial<Omit<ObjectionRow, 'id' | 'opened_at' | 'updated_at'>>;

const FILE_COLS = 'id, application_id, kind, filename, media_type, size, sha256, uploaded_at, uploaded_by';

function setClause(patch: Record<string, unknown>, from: number): { sql: string; values: unknown[] } {
  const keys = Object.keys(patch).filter((k) => patch[k] !== undefined);
  return {
    sql: keys.map((k, i) => `${k} = $${from + i}`).join(', '),
    values: keys.map((k) => patch[k]),
  };
}

export const remediesRepo = {
  async insertApplication(
    db: Queryable,
    a: Pick<
      ApplicationRow,
      | 'target_kind'
      | 'record_id'
      | 'list_entry_id'
      | 'subject_id'
      | 'department_id'
      | 'target_label'
      | 'applicant_user_id'
      | 'applicant_kind'
      | 'agent_name'
      | 'statement'
      | 'commitment_text'
      | 'commitment_sha256'
    >,
    now: Date,
  ): Promise<ApplicationRow | undefined> {
    const { rows } = await db.query<ApplicationRow>(
      `INSERT INTO repair_applications (target_kind, record_id, list_entry_id, subject_id, department_id, target_label,
              applicant_user_id, applicant_kind, agent_name, statement, commitment_text, commitment_sha256, status,
              created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $13)
       ON CONFLICT DO NOTHING
       RETURNING *`,
      [
        a.target_kind,
        a.record_id,
        a.list_entry_id,
        a.subject_id,
        a.department_id,
        a.target_label,
        a.applicant_user_id,
        a.applicant_kind,
        a.agent_name,
        a.statement,
        a.commitment_text,
        a.commitment_sha256,
        now,
      ],
    );
    return rows[0];
  },

  async liveFor(
    db: Queryable,
    target: { recordId: number | null; entryId: number | null },
  ): Promise<number | undefined> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM repair_applications
        WHERE status IN ('draft', 'submitted', 'forwarded')
          AND (record_id = $1 OR list_entry_id = $2)`,
      [target.recordId, target.entryId],
    );
    return rows[0]?.id;
  },

  async application(db: Queryable, id: number, forUpdate = false): Promise<ApplicationRow | undefined> {
    const { rows } = await db.query<ApplicationRow>(
      `SELECT * FROM repair_applications WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  },

  async byQueryCode(db: Queryable, code: string): Promise<ApplicationRow | undefined> {
    const { rows } = await db.query<ApplicationRow>(
      'SELECT * FROM repair_applications WHERE query_code = $1',
      [code],
    );
    return rows[0];
  },

  async updateApplication(
    db: Queryable,
    id: number,
    patch: ApplicationPatch,
    now: Date,
  ): Promise<ApplicationRow> {
    const set = setClause(patch, 3);
    const { rows } = await db.query<ApplicationRow>(
      `UPDATE repair_applications SET ${set.sql ? `${set.sql}, ` : ''}updated_at = $2 WHERE id = $1 RETURNING *`,
      [id, now, ...set.values],
    );
    return rows[0] as ApplicationRow;
  },

  async ofApplicant(
    db: Queryable,
    userId: number,
    subjectId: number | null,
    limit: number,
  ): Promise<ApplicationRow[]> {
    const { rows } = await db.query<ApplicationRow>(
      `SELECT * FROM repair_applications WHERE applicant_user_id = $1 OR ($2::int8 IS NOT NULL AND subject_id = $2)
        ORDER BY id DESC LIMIT $3`,
      [userId, subjectId, limit],
    );
    return rows;
  },

  /** Applications someone has to act on: the platform (submitted) or a department (forwarded). */
  async queue(
    db: Queryable,
    f: {
      status: 'submitted' | 'forwarded' | null;
      departmentId: number | null;
      overdueOn: string | null;
      limit: number;
    },
  ): Promise<ApplicationRow[]> {
    const { rows } = await db.query<ApplicationRow>(
      `SELECT * FROM repair_applications
        WHERE status IN ('submitted', 'forwarded')
          AND ($1::text IS NULL OR status = $1)
          AND ($2::int8 IS NULL OR department_id = $2)
          AND ($3::date IS NULL OR (status = 'submitted' AND answer_due < $3) OR (status = 'forwarded' AND decide_due < $3))
        ORDER BY coalesce(CASE WHEN status = 'submitted' THEN answer_due ELSE decide_due END, '9999-12-31'), id
        LIMIT $4`,
      [f.status, f.departmentId, f.overdueOn, f.limit],
    );
    return rows;
  },

  async overdueCounts(
    db: Queryable,
    today: string,
  ): Promise<{ forward: number; decide: number; objections: number }> {
    const { rows } = await db.query<{ forward: number; decide: number; objections: number }>(
      `SELECT (SELECT count(*) FROM repair_applications WHERE status = 'submitted' AND answer_due < $1)::int AS forward,
              (SELECT count(*) FROM repair_applications WHERE status = 'forwarded' AND decide_due < $1)::int AS decide,
              (SELECT count(*) FROM objections WHERE status = 'open' AND due < $1)::int AS objections`,
      [today],
    );
    return rows[0] ?? { forward: 0, decide: 0, objections: 0 };
  },

  async insertFile(
    db: Queryable,
    f: {
      applicationId: number;
      kind: string;
      filename: string;
      mediaType: string;
      content: Buffer;
      sha256: Buffer;
      at: Date;
      by: string;
    },
  ): Promise<FileRow> {
    const { rows } = await db.query<FileRow>(
      `INSERT INTO repair_files (application_id, kind, filename, media_type, size, sha256, content, uploaded_at, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${FILE_COLS}`,
      [f.applicationId, f.kind, f.filename, f.mediaType, f.content.length, f.sha256, f.content, f.at, f.by],
    );
    return rows[0] as FileRow;
  },

  async files(db: Queryable, applicationId: number): Promise<FileRow[]> {
    const { rows } = await db.query<FileRow>(
      `SELECT ${FILE_COLS} FROM repair_files WHERE application_id = $1 ORDER BY id`,
      [applicationId],
    );
    return rows;
  },

  async fileContent(
    db: Queryable,
    applicationId: number,
    fileId: number,
  ): Promise<(FileRow & { content: Buffer }) | undefined> {
    const { rows } = await db.query<FileRow & { content: Buffer }>(
      `SELECT ${FILE_COLS}, content FROM repair_files WHERE application_id = $1 AND id = $2`,
      [applicationId, fileId],
    );
    return rows[0];
  },

  async insertStep(
    db: Queryable,
    s: {
      applicationId: number;
      step: string;
      at: Date;
      actor: string;
      due: string | null;
      late?: boolean;
      data: Record<string, unknown>;
    },
  ): Promise<void> {
    await db.query(
      'INSERT INTO repair_steps (application_id, step, at, actor, due, late, data) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [s.applicationId, s.step, s.at, s.actor, s.due, s.late ?? false, JSON.stringify(s.data)],
    );
  },

  async steps(db: Queryable, applicationId: number): Promise<StepRow[]> {
    const { rows } = await db.query<StepRow>(
      'SELECT * FROM repair_steps WHERE application_id = $1 ORDER BY id',
      [applicationId],
    );
    return rows;
  },

  // ---- objections ----

  async insertObjection(
    db: Queryable,
    o: Pick<
      ObjectionRow,
      | 'subject_id'
      | 'record_id'
      | 'repair_application_id'
      | 'department_id'
      | 'ground'
      | 'statement'
      | 'opened_by'
      | 'opened_on'
      | 'due'
    >,
    now: Date,
  ): Promise<ObjectionRow | undefined> {
    const { rows } = await db.query<ObjectionRow>(
      `INSERT INTO objections (subject_id, record_id, repair_application_id, department_id, ground, statement, opened_by,
                               opened_at, opened_on, due, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $8)
       ON CONFLICT DO NOTHING RETURNING *`,
      [
        o.subject_id,
        o.record_id,
        o.repair_application_id,
        o.department_id,
        o.ground,
        o.statement,
        o.opened_by,
        now,
        o.opened_on,
        o.due,
      ],
    );
    return rows[0];
  },

  async openObjectionOn(
    db: Queryable,
    recordId: number | null,
    applicationId: number | null,
  ): Promise<number | undefined> {
    const { rows } = await db.query<{ id: number }>(
      "SELECT id FROM objections WHERE (record_id = $1 OR repair_application_id = $2) AND status = 'open'",
      [recordId, applicationId],
    );
    return rows[0]?.id;
  },

  async objection(db: Queryable, id: number, forUpdate = false): Promise<ObjectionRow | undefined> {
    const { rows } = await db.query<ObjectionRow>(
      `SELECT * FROM objections WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  },

  async updateObjection(db: Queryable, id: number, patch: ObjectionPatch, now: Date): Promise<ObjectionRow> {
    const set = setClause(patch, 3);
    const { rows } = await db.query<ObjectionRow>(
      `UPDATE objections SET ${set.sql ? `${set.sql}, ` : ''}updated_at = $2 WHERE id = $1 RETURNING *`,
      [id, now, ...set.values],
    );
    return rows[0] as ObjectionRow;
  },

  async objections(
    db: Queryable,
    f: {
      subjectId: number | null;
      departmentId: number | null;
      status: 'open' | 'closed' | null;
      overdueOn: string | null;
      limit: number;
    },
  ): Promise<ObjectionRow[]> {
    const { rows } = await db.query<ObjectionRow>(
      `SELECT * FROM objections
        WHERE ($1::int8 IS NULL OR subject_id = $1) AND ($2::int8 IS NULL OR department_id = $2)
          AND ($3::text IS NULL OR status = $3) AND ($4::date IS NULL OR (status = 'open' AND due < $4))
        ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due, id DESC LIMIT $5`,
      [f.subjectId, f.departmentId, f.status, f.overdueOn, f.limit],
    );
    return rows;
  },

  /**
   * What names records and list entries (the version each was made under): the item's or list
   * type's names, the document number (an entry without a decision: `#id`) and the date.
   */
  async targetNames(
    db: Queryable,
    recordIds: readonly number[],
    entryIds: readonly number[],
  ): Promise<TargetNameRow[]> {
    if (!recordIds.length && !entryIds.length) return [];
    const { rows } = await db.query<TargetNameRow>(
      `SELECT 'record' AS kind, r.id::int4 AS id, v.name_zh, v.name_en, r.doc_no AS ref, r.decision_date::text AS on_date
         FROM records r JOIN catalog_item_versions v ON v.item_code = r.item_code AND v.version = r.item_version
        WHERE r.id = ANY($1::int8[])
       UNION ALL
       SELECT 'list_entry', e.id::int4, t.definition ->> 'nameZh', t.definition ->> 'nameEn',
              coalesce(e.decision_no, '#' || e.id), coalesce(e.effective_from::text, '')
         FROM list_entries e
         JOIN list_type_versions t ON t.code = e.list_type_code AND t.version = e.list_type_version
        WHERE e.id = ANY($2::int8[])`,
      [recordIds, entryIds],
    );
    return rows;
  },

  /** Records under review at instant `at` (the public profile's "有异议/核查中"). */
  async disputedAt(db: Queryable, recordIds: number[], at: Date): Promise<number[]> {
    const { rows } = await db.query<{ record_id: number }>(
      `SELECT DISTINCT record_id FROM objections
        WHERE record_id = ANY($1::int8[]) AND opened_at <= $2 AND (resolved_at IS NULL OR resolved_at > $2)`,
      [recordIds, at],
    );
    return rows.map((r) => r.record_id);
  },

  // ---- effects ----

  async stopSharing(db: Queryable, recordId: number, applicationId: number, at: Date): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO record_sharing_stops (record_id, reason, application_id, at) VALUES ($1, 'repaired', $2, $3)
       ON CONFLICT (record_id) DO NOTHING`,
      [recordId, applicationId, at],
    );
    return (r.rowCount ?? 0) > 0;
  },

  async sharingStopped(db: Queryable, recordIds: readonly number[], at: Date): Promise<number[]> {
    if (!recordIds.length) return [];
    const { rows } = await db.query<{ record_id: number }>(
      'SELECT record_id FROM record_sharing_stops WHERE record_id = ANY($1::int8[]) AND at <= $2',
      [recordIds, at],
    );
    return rows.map((r) => r.record_id);
  },

  async markRecompute(
    db: Queryable,
    m: { subjectId: number; reason: string; kinds: string[]; source: string; at: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO recompute_marks (subject_id, reason, kinds, source, marked_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subject_id, reason) DO UPDATE
         SET kinds = (SELECT array_agg(DISTINCT k) FROM unnest(recompute_marks.kinds || excluded.kinds) k),
             source = excluded.source, marked_at = excluded.marked_at, times = recompute_marks.times + 1, cleared_at = NULL`,
      [m.subjectId, m.reason, m.kinds, m.source, m.at],
    );
  },

  async recomputeMarks(db: Queryable, subjectId: number) {
    const { rows } = await db.query<{
      reason: string;
      kinds: string[];
      source: string;
      marked_at: Date;
      times: number;
      cleared_at: Date | null;
    }>(
      'SELECT reason, kinds, source, marked_at, times, cleared_at FROM recompute_marks WHERE subject_id = $1 ORDER BY reason',
      [subjectId],
    );
    return rows;
  },

  async setting(db: Queryable, key: string): Promise<unknown> {
    const { rows } = await db.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]?.value;
  },

  async saveSetting(db: Queryable, key: string, value: unknown, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, JSON.stringify(value), at],
    );
  },
};
