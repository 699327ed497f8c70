import { commitHeld, rollbackHeld, type Queryable } from '../../platform/db';

export interface BatchRow {
  id: number;
  department_id: number;
  item_code: string;
  item_version: number;
  channel: 'upload' | 'stream' | 'cli';
  actor_kind: string;
  actor_id: string | null;
  request_id: string | null;
  file_name: string | null;
  size_bytes: number | null;
  sha256: Buffer | null;
  format: string;
  encoding: string | null;
  layout: string | null;
  headers: string[] | null;
  ignored_headers: string[];
  status: 'processing' | 'done' | 'failed';
  rows_read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  subjects_registered: number;
  error: { code: string; messages: { zh: string; en: string }; details?: Record<string, unknown> } | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
}

export interface NewBatch {
  departmentId: number;
  itemCode: string;
  itemVersion: number;
  channel: BatchRow['channel'];
  actorKind: string;
  actorId: string | null;
  requestId: string;
  fileName: string | null;
  sizeBytes: number | null;
  sha256: Buffer | null;
  format: string;
  encoding: string | null;
  layout: string | null;
  headers: string[] | null;
  ignoredHeaders: string[];
  startedAt: Date;
}

export interface BatchCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  subjectsRegistered: number;
}

export interface OutcomeRow {
  rowNo: number;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  recordId: number | null;
  subjectRegistered: boolean;
  errors: string | null; // JSON text
  cells: string | null; // JSON text
  /** The row's document number as the file gave it (the scorecard knows a row by it). */
  docNo: string | null;
  /** What the row is to the scorecard's validity (migration 0030; decided by ingest.submission.ts). */
  submission: Submission;
  /** A rejected row that is its document's latest submission (migration 0030). */
  awaitingResend: boolean;
}

/**
 * A batch row as a submission of its document (department, item, document number): `first`,
 * `resent` (the document's previous submission was rejected), `unchanged` (an unchanged re-send),
 * `superseded` (an earlier copy of a document number repeated in one submission). Migration 0030.
 */
export type Submission = 'first' | 'resent' | 'unchanged' | 'superseded';

export interface StoredRow {
  row_no: number;
  outcome: OutcomeRow['outcome'];
  record_id: number | null;
  subject_registered: boolean;
  errors: { field: string; code: string; message: { zh: string; en: string } }[] | null;
  cells: unknown;
}

export interface ParkedRow {
  rowNo: number;
  input: string; // JSON of the RecordInput
  cells: string | null;
  docNo: string | null;
}

/** Advisory-lock key spaces (two-int form, apart from the event log's single-bigint lock). */
const BATCH_ALIVE = 72_736_101; // (this, batch id): held by the connection working on the batch
const ITEM_SERIAL = 72_736_102; // (this, hash of department + item): one batch at a time per pair
/** (this, batch id): held by the process that took a spooled batch to resume it (ingest.claims.ts). */
const BATCH_CLAIMED = 72_736_103;

const COLS = `id, department_id, item_code, item_version, channel, actor_kind, actor_id, request_id, file_name,
  size_bytes, sha256, format, encoding, layout, headers, ignored_headers, status, rows_read, created, updated,
  unchanged, rejected, skipped, subjects_registered, error, started_at, finished_at, duration_ms`;

/**
 * COLS for reads: while a batch is processing, rows read so far come from ingest_progress (see
 * migration 0023); once it is done or failed, from the batch row.
 */
const READ_COLS = COLS.split(', ')
  .map((c) => c.trim())
  .map((c) =>
    c === 'rows_read'
      ? `CASE WHEN b.status = 'processing' THEN coalesce(p.rows_read, b.rows_read) ELSE b.rows_read END AS rows_read`
      : `b.${c}`,
  )
  .join(', ');
const READ_FROM = 'ingest_batches b LEFT JOIN ingest_progress p ON p.batch_id = b.id';

export const ingestRepo = {
  /** Inserts the batch and takes the session lock that says "someone is working on it". */
  async insertBatch(db: Queryable, b: NewBatch): Promise<BatchRow> {
    const { rows } = await db.query<BatchRow>(
      `INSERT INTO ingest_batches (department_id, item_code, item_version, channel, actor_kind, actor_id, request_id,
         file_name, size_bytes, sha256, format, encoding, layout, headers, ignored_headers, status, started_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,'processing',$16) RETURNING ${COLS}`,
      [
        b.departmentId,
        b.itemCode,
        b.itemVersion,
        b.channel,
        b.actorKind,
        b.actorId,
        b.requestId,
        b.fileName,
        b.sizeBytes,
        b.sha256,
        b.format,
        b.encoding,
        b.layout,
        b.headers,
        b.ignoredHeaders,
        b.startedAt,
      ],
    );
    const row = rows[0] as BatchRow;
    await db.query('SELECT pg_advisory_lock($1, $2)', [BATCH_ALIVE, row.id]);
    return row;
  },

  /**
   * Takes over a batch left `processing` by a process that died (resuming it from the spool): its
   * session lock, if no live worker holds it, and the batch row, if it is still processing.
   */
  async takeOver(db: Queryable, id: number): Promise<BatchRow | undefined> {
    const { rows } = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
      BATCH_ALIVE,
      id,
    ]);
    if (rows[0]?.ok !== true) return undefined;
    const batch = await this.byId(db, id);
    if (batch?.status === 'processing') return batch;
    await this.releaseBatch(db, id);
    return undefined;
  },

  /**
   * Claims a spooled batch for this session (ingest.claims.ts): false when another session holds the
   * claim. Session-level and re-entrant: the caller keeps track of what it holds.
   */
  async claim(db: Queryable, id: number): Promise<boolean> {
    const { rows } = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
      BATCH_CLAIMED,
      id,
    ]);
    return rows[0]?.ok === true;
  },

  async unclaim(db: Queryable, id: number): Promise<void> {
    await db.query('SELECT pg_advisory_unlock($1, $2)', [BATCH_CLAIMED, id]);
  },

  /**
   * Whether some session of this database holds the batch's session lock (a live worker runs it),
   * read from pg_locks without taking the lock: trying it would, for that instant, make a worker
   * taking the batch over believe it is held.
   */
  async workedOn(db: Queryable, id: number): Promise<boolean> {
    const { rows } = await db.query<{ held: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::oid AND objid = $2::oid
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS held`,
      [BATCH_ALIVE, id],
    );
    return rows[0]?.held === true;
  },

  /** The database's name: the spool of acknowledged uploads is kept per database. */
  async databaseName(db: Queryable): Promise<string> {
    const { rows } = await db.query<{ name: string }>('SELECT current_database() AS name');
    return rows[0]?.name ?? 'xinyong';
  },

  async releaseBatch(db: Queryable, id: number): Promise<void> {
    await db.query('SELECT pg_advisory_unlock($1, $2)', [BATCH_ALIVE, id]);
  },

  async begin(db: Queryable): Promise<void> {
    await db.query('BEGIN');
  },
  /** COMMIT, and the in-process caches told what the batch changed. */
  async commit(db: Queryable): Promise<void> {
    await commitHeld(db);
  },
  async rollback(db: Queryable): Promise<void> {
    await rollbackHeld(db);
  },

  /**
   * How long this transaction may sit idle waiting for its input before PostgreSQL ends the session
   * (0: never). Local to the transaction: the connection goes back to the pool as it was.
   */
  async idleTimeout(db: Queryable, ms: number): Promise<void> {
    await db.query("SELECT set_config('idle_in_transaction_session_timeout', $1, true)", [
      String(Math.max(0, Math.floor(ms))),
    ]);
  },

  /** One batch at a time per department and item: a second one waits for the first to commit. */
  async serialise(db: Queryable, departmentId: number, itemCode: string): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      ITEM_SERIAL,
      `${departmentId}:${itemCode}`,
    ]);
  },

  /**
   * Batches left 'processing' whose worker is gone (its connection, and so its lock, is gone):
   * the process was killed or lost the database. Each is marked failed under its lock.
   */
  async abandoned(
    db: Queryable,
    filter: { departmentId?: number; itemCode?: string; id?: number },
  ): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM ingest_batches
        WHERE status = 'processing' AND ($1::int8 IS NULL OR department_id = $1) AND ($2::text IS NULL OR item_code = $2)
          AND ($3::int8 IS NULL OR id = $3)`,
      [filter.departmentId ?? null, filter.itemCode ?? null, filter.id ?? null],
    );
    return rows.map((r) => r.id);
  },

  async tryLockBatch(db: Queryable, id: number): Promise<boolean> {
    const { rows } = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [
      BATCH_ALIVE,
      id,
    ]);
    return rows[0]?.ok === true;
  },

  async finish(
    db: Queryable,
    id: number,
    f: {
      status: 'done' | 'failed';
      counts: BatchCounts;
      error: unknown;
      at: Date;
      durationMs: number;
      sha256?: Buffer | null;
      sizeBytes?: number | null;
    },
  ): Promise<BatchRow | undefined> {
    const c = f.counts;
    const { rows } = await db.query<BatchRow>(
      `UPDATE ingest_batches SET status = $2, rows_read = $3, created = $4, updated = $5, unchanged = $6, rejected = $7,
              skipped = $8, subjects_registered = $9, error = $10::jsonb, finished_at = $11, duration_ms = $12,
              sha256 = coalesce($13, sha256), size_bytes = coalesce($14, size_bytes)
        WHERE id = $1 AND status = 'processing' RETURNING ${COLS}`,
      [
        id,
        f.status,
        c.rows,
        c.created,
        c.updated,
        c.unchanged,
        c.rejected,
        c.skipped,
        c.subjectsRegistered,
        f.error === null ? null : JSON.stringify(f.error),
        f.at,
        f.durationMs,
        f.sha256 ?? null,
        f.sizeBytes ?? null,
      ],
    );
    return rows[0];
  },

  async markFailed(db: Queryable, id: number, error: unknown, at: Date): Promise<BatchRow | undefined> {
    const { rows } = await db.query<BatchRow>(
      `UPDATE ingest_batches SET status = 'failed', error = $2::jsonb, finished_at = $3,
              rows_read = coalesce((SELECT rows_read FROM ingest_progress WHERE batch_id = $1), rows_read),
              duration_ms = (extract(epoch FROM $3 - started_at) * 1000)::int
        WHERE id = $1 AND status = 'processing' RETURNING ${COLS}`,
      [id, JSON.stringify(error), at],
    );
    return rows[0];
  },

  /** Rows read so far, while the batch is processing (not on the batch row: see migration 0023). */
  async progress(db: Queryable, id: number, rows: number, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO ingest_progress (batch_id, rows_read, updated_at)
       SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM ingest_batches WHERE id = $1 AND status = 'processing')
       ON CONFLICT (batch_id) DO UPDATE SET rows_read = EXCLUDED.rows_read, updated_at = EXCLUDED.updated_at`,
      [id, rows, at],
    );
  },

  /**
   * The last batch of a department and item that was processed (status `done`): a file identical
   * to it changes nothing; one identical to an earlier batch may (a later batch changed its rows).
   */
  async latestDone(db: Queryable, departmentId: number, itemCode: string): Promise<BatchRow | undefined> {
    const { rows } = await db.query<BatchRow>(
      `SELECT ${READ_COLS} FROM ${READ_FROM}
        WHERE b.department_id = $1 AND b.item_code = $2 AND b.status = 'done'
        ORDER BY b.id DESC LIMIT 1`,
      [departmentId, itemCode],
    );
    return rows[0];
  },

  async byId(db: Queryable, id: number): Promise<BatchRow | undefined> {
    const { rows } = await db.query<BatchRow>(`SELECT ${READ_COLS} FROM ${READ_FROM} WHERE b.id = $1`, [id]);
    return rows[0];
  },

  async list(
    db: Queryable,
    f: {
      departmentId: number | null;
      itemCode: string | null;
      status: string | null;
      limit: number;
      offset: number;
    },
  ): Promise<{ rows: BatchRow[]; more: boolean }> {
    const { rows } = await db.query<BatchRow>(
      `SELECT ${READ_COLS} FROM ${READ_FROM}
        WHERE ($1::int8 IS NULL OR b.department_id = $1) AND ($2::text IS NULL OR b.item_code = $2)
          AND ($3::text IS NULL OR b.status = $3)
        ORDER BY b.id DESC LIMIT $4 OFFSET $5`,
      [f.departmentId, f.itemCode, f.status, f.limit + 1, f.offset],
    );
    return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
  },

  /** Row outcomes as one JSON array (errors and cells embedded as they are), unpacked by PostgreSQL. */
  async insertRows(db: Queryable, batchId: number, rows: readonly OutcomeRow[]): Promise<void> {
    if (!rows.length) return;
    const json = `[${rows
      .map(
        (r) =>
          `{"n":${r.rowNo},"o":"${r.outcome}","r":${r.recordId ?? 'null'},"s":${r.subjectRegistered},` +
          `"e":${r.errors ?? 'null'},"c":${r.cells ?? 'null'},"d":${r.docNo === null ? 'null' : JSON.stringify(r.docNo)},` +
          `"f":"${r.submission}","w":${r.awaitingResend}}`,
      )
      .join(',')}]`;
    await db.query(
      `INSERT INTO ingest_batch_rows (batch_id, row_no, outcome, record_id, subject_registered, errors, cells, doc_no,
         submission, awaiting_resend)
       SELECT $1, n, o, r, s, e, c, d, f, w
         FROM jsonb_to_recordset($2::jsonb)
           AS u(n int4, o text, r int8, s bool, e jsonb, c jsonb, d text, f text, w bool)`,
      [batchId, json],
    );
  },

  /**
   * Of these document numbers of a department and item, the ones whose latest submission was
   * rejected (`awaiting_resend`, migration 0030): returned, and no longer awaiting, as the rows
   * about to be written are their next submission. One statement per chunk, on a partial index
   * that holds only the awaiting rows; it sees the earlier chunks of the caller's own batch.
   */
  async takeAwaiting(
    db: Queryable,
    departmentId: number,
    itemCode: string,
    docNos: readonly string[],
  ): Promise<Set<string>> {
    if (!docNos.length) return new Set();
    const { rows } = await db.query<{ doc_no: string }>(
      `UPDATE ingest_batch_rows r SET awaiting_resend = false
         FROM ingest_batches b
        WHERE r.awaiting_resend AND r.doc_no = ANY ($3::text[])
          AND b.id = r.batch_id AND b.department_id = $1 AND b.item_code = $2
        RETURNING r.doc_no`,
      [departmentId, itemCode, docNos],
    );
    return new Set(rows.map((r) => r.doc_no));
  },

  async rows(
    db: Queryable,
    batchId: number,
    f: { outcome: string | null; afterRow: number; limit: number },
  ): Promise<StoredRow[]> {
    const { rows } = await db.query<StoredRow>(
      `SELECT row_no, outcome, record_id, subject_registered, errors, cells FROM ingest_batch_rows
        WHERE batch_id = $1 AND ($2::text IS NULL OR outcome = $2) AND row_no > $3
        ORDER BY row_no LIMIT $4`,
      [batchId, f.outcome, f.afterRow, f.limit],
    );
    return rows;
  },

  /** The subjects of these records (the records rows of a batch created or changed), each once. */
  async recordSubjects(db: Queryable, recordIds: readonly number[]): Promise<number[]> {
    if (!recordIds.length) return [];
    const { rows } = await db.query<{ subject_id: number }>(
      'SELECT DISTINCT subject_id FROM records WHERE id = ANY($1::int8[])',
      [recordIds],
    );
    return rows.map((r) => r.subject_id);
  },

  // ---- scratch tables of one batch transaction (dropped at commit) ----

  async createParking(db: Queryable): Promise<void> {
    await db.query(
      `CREATE TEMP TABLE IF NOT EXISTS ingest_parked (row_no int4 PRIMARY KEY, input text NOT NULL, cells text,
         doc_no text) ON COMMIT DROP`,
    );
  },

  async park(db: Queryable, rows: readonly ParkedRow[]): Promise<void> {
    if (!rows.length) return;
    await db.query(
      `INSERT INTO ingest_parked (row_no, input, cells, doc_no)
       SELECT * FROM unnest($1::int4[], $2::text[], $3::text[], $4::text[])`,
      [
        rows.map((r) => r.rowNo),
        rows.map((r) => r.input),
        rows.map((r) => r.cells),
        rows.map((r) => r.docNo),
      ],
    );
  },

  async parked(db: Queryable, afterRow: number, limit: number): Promise<ParkedRow[]> {
    const { rows } = await db.query<{
      row_no: number;
      input: string;
      cells: string | null;
      doc_no: string | null;
    }>('SELECT row_no, input, cells, doc_no FROM ingest_parked WHERE row_no > $1 ORDER BY row_no LIMIT $2', [
      afterRow,
      limit,
    ]);
    return rows.map((r) => ({ rowNo: r.row_no, input: r.input, cells: r.cells, docNo: r.doc_no }));
  },
};

export interface RowStatsRow {
  department_id: number;
  month: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rows rejected because a code or the name disagreed (MISMATCH_CODES). */
  mismatches: number;
  /** Rows submitted for the first time (`submission = 'first'`, see rowStats). */
  first_submitted: number;
  /** Of those, the ones accepted (created or updated). */
  first_accepted: number;
  subjects_registered: number;
  batches: number;
}

/** Row error codes that say a code or the name disagrees with another code or the registry. */
const MISMATCH_CODES = ['NAME_MISMATCH', 'CODE_MISMATCH'] as const;

/**
 * Batch rows per department and month (of the batch's start, China time), for the scorecard: the
 * range's rows only. Whether a row was its document's first submission was decided when the row
 * was written (`submission`, migration 0030: a re-send of a rejected document, an unchanged
 * re-send and an earlier copy of a document number repeated in one submission are not), so
 * history before the range costs nothing here.
 */
export async function rowStats(
  db: Queryable,
  f: { from: Date; to: Date; departmentId: number | null },
): Promise<RowStatsRow[]> {
  const { rows } = await db.query<RowStatsRow>(
    `SELECT b.department_id, to_char(b.started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
            count(*)::int AS rows,
            count(*) FILTER (WHERE r.outcome = 'created')::int AS created,
            count(*) FILTER (WHERE r.outcome = 'updated')::int AS updated,
            count(*) FILTER (WHERE r.outcome = 'unchanged')::int AS unchanged,
            count(*) FILTER (WHERE r.outcome = 'rejected')::int AS rejected,
            count(*) FILTER (WHERE r.outcome = 'rejected' AND EXISTS (
              SELECT 1 FROM jsonb_array_elements(r.errors) e WHERE e->>'code' = ANY ($4::text[])))::int AS mismatches,
            count(*) FILTER (WHERE r.submission = 'first')::int AS first_submitted,
            count(*) FILTER (WHERE r.submission = 'first' AND r.outcome IN ('created', 'updated'))::int
              AS first_accepted,
            count(*) FILTER (WHERE r.subject_registered)::int AS subjects_registered,
            count(DISTINCT b.id)::int AS batches
       FROM ingest_batches b JOIN ingest_batch_rows r ON r.batch_id = b.id
      WHERE b.status <> 'processing' AND b.started_at >= $1 AND b.started_at < $2
        AND ($3::int8 IS NULL OR b.department_id = $3)
      GROUP BY 1, 2`,
    [f.from, f.to, f.departmentId, MISMATCH_CODES],
  );
  return rows;
}
