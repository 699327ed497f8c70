import { actorDepartment, type Actor, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { openJson } from '../../platform/sealed';
import { inTransaction, withTransaction, type Pool, type Tx } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { toAppError } from '../../platform/http';
import { IngestErrors } from './ingest.errors';
import { ingestRepo, type BatchRow, type StoredRow } from './ingest.repository';
import { isSpooled, spoolDir } from './ingest.spool';

/* Batch history: views, reads for the department or the administrator, and settling batches whose worker died. */

export interface IngestDeps {
  pool: Pool;
  crypto: FieldCrypto;
  /** Where failures of background batches are reported. */
  log?: (err: unknown, msg: string) => void;
  /**
   * Batches holding a connection at once (XINYONG_INGEST_BATCHES); by default half the pool, and
   * always fewer than it has (see ingest.slots.ts).
   */
  maxBatches?: number | null;
  /**
   * A batch transaction left waiting this long for its input (a stalled upload stream) is ended
   * and the batch fails with BATCH_STALLED (XINYONG_INGEST_IDLE_MS; 0: the pool's own limit).
   */
  idleTimeoutMs?: number | null;
  /**
   * The spool of acknowledged async uploads (ingest.spool.ts). A `processing` batch with a manifest
   * there is waiting to be resumed, not abandoned. Unset: this process keeps no spool (CLI).
   */
  spoolDir?: string | null;
}

/** Who submits, for which request, at which instant (the ctx of a use case, without its transaction). */
export interface Caller {
  actor: Actor;
  requestId: string;
  now: Date;
}

export interface BatchView {
  id: number;
  status: BatchRow['status'];
  departmentId: number;
  itemCode: string;
  itemVersion: number;
  channel: BatchRow['channel'];
  submittedBy: string;
  fileName: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  format: string;
  encoding: string | null;
  layout: string | null;
  headers: string[] | null;
  ignoredHeaders: string[];
  counts: { accepted: number; updated: number; unchanged: number; rejected: number; skipped: number };
  subjectsRegistered: number;
  progress: { rows: number; total: null };
  createdAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: { code: string; message: string; messages: { 'zh-CN': string; en: string } } | null;
}

export function batchView(b: BatchRow): BatchView {
  return {
    id: b.id,
    status: b.status,
    departmentId: b.department_id,
    itemCode: b.item_code,
    itemVersion: b.item_version,
    channel: b.channel,
    submittedBy: `${b.actor_kind}:${b.actor_id ?? ''}`,
    fileName: b.file_name,
    sizeBytes: b.size_bytes,
    sha256: b.sha256 ? b.sha256.toString('hex') : null,
    format: b.format,
    encoding: b.encoding,
    layout: b.layout,
    headers: b.headers,
    ignoredHeaders: b.ignored_headers,
    counts: {
      accepted: b.created,
      updated: b.updated,
      unchanged: b.unchanged,
      rejected: b.rejected,
      skipped: b.skipped,
    },
    subjectsRegistered: b.subjects_registered,
    progress: { rows: b.rows_read, total: null },
    createdAt: b.started_at.toISOString(),
    finishedAt: b.finished_at ? b.finished_at.toISOString() : null,
    durationMs: b.duration_ms,
    error: b.error
      ? {
          code: b.error.code,
          message: b.error.messages.zh,
          messages: { 'zh-CN': b.error.messages.zh, en: b.error.messages.en },
        }
      : null,
  };
}

function errorJson(err: unknown): {
  code: string;
  messages: { zh: string; en: string };
  details: Record<string, unknown>;
} {
  const e = toAppError(err);
  return { code: e.code, messages: { zh: e.text.zh, en: e.text.en }, details: e.details };
}

/** Where this database's acknowledged uploads are spooled under a data directory (ingest.spool.ts). */
export async function locateSpool(pool: Pool, dataDir: string): Promise<string> {
  return spoolDir(dataDir, await ingestRepo.databaseName(pool));
}

/** Whether a batch has ended (done or failed); unknown batches count as ended. */
export async function batchEnded(pool: Pool, id: number): Promise<boolean> {
  return (await ingestRepo.byId(pool, id))?.status !== 'processing';
}

/**
 * Marks batches whose worker is gone (killed, or cut off from the database) as failed. Their
 * transaction was rolled back by PostgreSQL, so nothing of them was stored.
 */
export async function sweepAbandoned(
  deps: IngestDeps,
  caller: Caller,
  filter: { departmentId?: number; itemCode?: string; id?: number } = {},
): Promise<number[]> {
  const swept: number[] = [];
  for (const id of await ingestRepo.abandoned(deps.pool, filter)) {
    // Acknowledged and spooled: a live server resumes it (at its start or in its sweep of the
    // spool, ingest.resume.ts), or is running it or waiting to; it is not lost.
    if (deps.spoolDir && (await isSpooled(deps.spoolDir, id))) continue;
    await withTransaction(deps.pool, async (tx) => {
      if (!(await ingestRepo.tryLockBatch(tx, id))) return;
      const row = await ingestRepo.markFailed(
        tx,
        id,
        errorJson(IngestErrors.BATCH_ABANDONED({ batch: id })),
        caller.now,
      );
      if (!row) return;
      swept.push(id);
      await appendEvents({ db: tx, actor: caller.actor, requestId: caller.requestId, now: caller.now }, [
        {
          type: 'ingest.batch_abandoned',
          entityType: 'ingest_batch',
          entityId: id,
          payload: { id, departmentId: row.department_id, itemCode: row.item_code },
        },
      ]);
    });
  }
  return swept;
}

/**
 * Marks a batch that no live worker holds failed with `err` (a spooled batch that cannot be resumed).
 */
export async function failUnattended(
  deps: IngestDeps,
  caller: Caller,
  id: number,
  err: unknown,
): Promise<void> {
  await withTransaction(deps.pool, async (tx) => {
    if (await ingestRepo.tryLockBatch(tx, id)) await markFailedLogged(tx, caller, id, err);
  });
}

/**
 * Marks a batch failed with its error and logs `ingest.batch_failed`: on the batch's own connection
 * when it is still usable (`client`, after its transaction was rolled back, still holding the
 * batch's lock), so a failing batch never waits for a second connection; else on the pool.
 */
export async function recordFailure(
  deps: IngestDeps,
  caller: Caller,
  batch: BatchRow,
  err: unknown,
  client?: Tx,
): Promise<void> {
  const work = (tx: Tx) => markFailedLogged(tx, caller, batch.id, err);
  if (client) await inTransaction(client, work);
  else await withTransaction(deps.pool, work);
}

/** Marks a processing batch failed with `err`, with its `ingest.batch_failed` event (same transaction). */
async function markFailedLogged(tx: Tx, caller: Caller, id: number, err: unknown): Promise<void> {
  const error = errorJson(err);
  const row = await ingestRepo.markFailed(tx, id, error, caller.now);
  if (!row) return;
  await appendEvents({ db: tx, actor: caller.actor, requestId: caller.requestId, now: caller.now }, [
    {
      type: 'ingest.batch_failed',
      entityType: 'ingest_batch',
      entityId: id,
      payload: { id, departmentId: row.department_id, itemCode: row.item_code, error: error.code },
    },
  ]);
}

export async function getBatch(ctx: Ctx, deps: IngestDeps, id: number): Promise<BatchRow> {
  let row = await ingestRepo.byId(ctx.db, id);
  if (!row) throw IngestErrors.BATCH_NOT_FOUND({ batch: id });
  const own = actorDepartment(ctx.actor);
  if (own !== null && own !== row.department_id) throw IngestErrors.BATCH_NOT_FOUND({ batch: id });
  if (row.status === 'processing' && (await sweepAbandoned(deps, ctx, { id })).length)
    row = (await ingestRepo.byId(ctx.db, id)) ?? row;
  return row;
}

export async function listBatches(
  ctx: Ctx,
  f: { departmentId?: number; itemCode?: string; status?: string; limit: number; offset: number },
): Promise<{ rows: BatchRow[]; more: boolean }> {
  const own = actorDepartment(ctx.actor);
  return ingestRepo.list(ctx.db, {
    departmentId: own ?? f.departmentId ?? null,
    itemCode: f.itemCode ?? null,
    status: f.status ?? null,
    limit: f.limit,
    offset: f.offset,
  });
}

/** A batch's row outcomes, rejected rows opened (stored sealed: ingest.cells.ts). */
export async function batchRows(
  ctx: Ctx,
  crypto: FieldCrypto,
  batchId: number,
  f: { outcome?: string; afterRow?: number; limit: number },
): Promise<StoredRow[]> {
  const rows = await ingestRepo.rows(ctx.db, batchId, {
    outcome: f.outcome ?? null,
    afterRow: f.afterRow ?? 0,
    limit: f.limit,
  });
  return rows.map((r) => (r.cells === null ? r : { ...r, cells: openJson(crypto, r.cells) }));
}
