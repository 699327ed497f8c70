import type { Readable } from 'node:stream';
import { actorDepartment, type Actor, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { withTransaction, type Pool } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { actorRef, appendEvents } from '../../platform/events';
import { toAppError } from '../../platform/http';
import { getDepartment } from '../accounts';
import { getItemVersion, isProvider, listItems, type ItemVersion } from '../catalog';
import { IngestErrors } from './ingest.errors';
import { fitScore, itemLayout, LAYOUTS, looksLikeData, planHeaders, type Layout } from './ingest.headers';
import { ingestRepo, type BatchRow, type StoredRow } from './ingest.repository';
import { hashingStream, runBatch } from './ingest.run';
import { openSource, type Format, type Source, type TableRow, type TextRow } from './ingest.sources';
import { cellText } from './ingest.values';

export interface IngestDeps {
  pool: Pool;
  crypto: FieldCrypto;
  /** Where failures of background batches are reported. */
  log?: (err: unknown, msg: string) => void;
}

/** Who submits, for which request, at which instant (the ctx of a use case, without its transaction). */
export interface Caller {
  actor: Actor;
  requestId: string;
  now: Date;
}

export interface IngestRequest {
  departmentId: number;
  itemCode?: string | null;
  encoding?: string | null;
  layout?: string | null;
  fileName?: string | null;
  channel: BatchRow['channel'];
  input: Readable;
  /** Known in advance for a spooled upload or a local file: "this exact file was already processed". */
  sha256?: Buffer | null;
  sizeBytes?: number | null;
  format?: Format;
  /** Return as soon as the batch has started; `running` settles when it ends. */
  background?: boolean;
  onProgress?: (rows: number) => void;
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

export interface IngestResult {
  batch: BatchView;
  /** The same file (department, item, SHA-256) was already processed by this batch. */
  duplicateOf: number | null;
  running?: Promise<BatchView>;
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

export function parseLayout(raw: string | null | undefined): Layout | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const v = raw
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, '');
  const found = LAYOUTS.find((l) => l.toLowerCase() === v || (l === 'legacy2016' && v === '2016'));
  if (!found) throw IngestErrors.LAYOUT_UNKNOWN({ field: 'layout', layout: raw });
  return found;
}

/** The department a batch is for: the caller's own, or the one an administrator names. */
export function batchDepartment(actor: Actor, requested: number | undefined | null): number {
  const own = actorDepartment(actor);
  if (own !== null) return own;
  if (requested === undefined || requested === null)
    throw IngestErrors.DEPARTMENT_REQUIRED({ field: 'departmentId' });
  return requested;
}

/** The item a file is for: the one named, else the one item whose fields its headers all name. */
async function resolveItem(
  ctx: Ctx,
  headers: readonly string[],
  itemCode: string | null | undefined,
): Promise<ItemVersion> {
  if (itemCode) {
    try {
      return await getItemVersion(ctx, itemCode);
    } catch {
      throw IngestErrors.ITEM_UNKNOWN({ field: 'itemCode', item: itemCode });
    }
  }
  const fits: { item: ItemVersion; score: number }[] = [];
  for (const s of await listItems(ctx)) {
    if (s.status !== 'active') continue;
    const item = await getItemVersion(ctx, s.code);
    const score = fitScore(itemLayout(item), headers);
    if (score > 0) fits.push({ item, score });
  }
  fits.sort((a, b) => b.score - a.score);
  const [best, second] = fits;
  if (best && (!second || second.score < best.score)) return best.item;
  const names = fits.map((f) => f.item.code).join('、');
  throw IngestErrors.ITEM_REQUIRED({
    field: 'itemCode',
    hint: names ? `（可能是 ${names}）` : '',
    hintEn: names ? ` (it could be ${fits.map((f) => f.item.code).join(', ')})` : '',
  });
}

/** Blank rows and the templates' 【说明】/【示例】 rows before the first data row. */
async function firstData(source: Source): Promise<{ first: TableRow | TextRow | null; skipped: number }> {
  let skipped = 0;
  for (;;) {
    const r = await (source.rows as AsyncIterator<TableRow | TextRow>).next();
    if (r.done) return { first: null, skipped };
    if (!('cells' in r.value)) return { first: r.value, skipped };
    const text = r.value.cells.map(cellText).find((t) => t.trim() !== '');
    if (!text) continue;
    if (/^【(说明|示例)】/.test(text.trim())) {
      skipped++;
      continue;
    }
    return { first: r.value, skipped };
  }
}

function keysOf(row: TextRow): string[] {
  try {
    const v = JSON.parse(row.text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
    const o = v as Record<string, unknown>;
    const inner =
      o.payload && typeof o.payload === 'object' && !Array.isArray(o.payload)
        ? (o.payload as Record<string, unknown>)
        : o;
    return Object.keys(inner);
  } catch {
    return [];
  }
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

async function recordFailure(deps: IngestDeps, caller: Caller, batch: BatchRow, err: unknown): Promise<void> {
  const error = errorJson(err);
  await withTransaction(deps.pool, async (tx) => {
    const row = await ingestRepo.markFailed(tx, batch.id, error, caller.now);
    if (!row) return;
    await appendEvents({ db: tx, actor: caller.actor, requestId: caller.requestId, now: caller.now }, [
      {
        type: 'ingest.batch_failed',
        entityType: 'ingest_batch',
        entityId: batch.id,
        payload: {
          id: batch.id,
          departmentId: batch.department_id,
          itemCode: batch.item_code,
          error: error.code,
        },
      },
    ]);
  });
}

/**
 * Takes in one file or stream for one department: reads its header, decides the item and layout,
 * refuses what cannot be taken (each with its own error, before anything is stored), then runs
 * the batch in one transaction. Resolves after COMMIT (or, in the background, once started).
 */
export async function ingest(deps: IngestDeps, caller: Caller, req: IngestRequest): Promise<IngestResult> {
  const layoutDeclared = parseLayout(req.layout);
  const hasher = req.sha256 ? null : hashingStream();
  if (hasher) req.input.on('error', (err) => hasher.destroy(err));
  const source = await openSource(hasher ? req.input.pipe(hasher) : req.input, {
    fileName: req.fileName,
    encoding: req.encoding,
    format: req.format,
  });
  const ctx: Ctx = { db: deps.pool, actor: caller.actor, requestId: caller.requestId, now: caller.now };
  let handedOver = false;
  try {
    if (source.kind === 'table' && looksLikeData(source.headers))
      throw IngestErrors.NO_HEADER_ROW({ field: 'file', row: source.headerRowNo });
    const { first, skipped } = await firstData(source);
    if (!first) throw IngestErrors.NO_DATA_ROWS({ field: 'file' });
    const headers = source.kind === 'table' ? source.headers : keysOf(first as TextRow);
    const department = await getDepartment(ctx, req.departmentId);
    const item = await resolveItem(ctx, headers, req.itemCode);
    if (!(await isProvider(ctx, item.code, req.departmentId)))
      throw IngestErrors.NOT_PROVIDER({ field: 'itemCode', item: item.code });
    const layout = itemLayout(item);
    const plan = planHeaders(layout, headers, layoutDeclared);
    if (plan.unknown.length)
      throw IngestErrors.UNKNOWN_HEADERS({
        field: 'file',
        item: item.code,
        list: plan.unknown.join('、'),
        headers: plan.unknown,
      });
    if (plan.duplicates.length)
      throw IngestErrors.DUPLICATE_COLUMNS({
        field: 'file',
        list: plan.duplicates.join('；'),
        columns: plan.duplicates,
      });

    await sweepAbandoned(deps, caller, { departmentId: req.departmentId, itemCode: item.code });
    if (req.sha256) {
      const done = await ingestRepo.findDone(deps.pool, req.departmentId, item.code, req.sha256);
      if (done) return { batch: batchView(done), duplicateOf: done.id };
    }

    const client = await deps.pool.connect();
    let batch: BatchRow;
    const actor = actorRef(caller.actor);
    try {
      await ingestRepo.begin(client);
      batch = await ingestRepo.insertBatch(client, {
        departmentId: req.departmentId,
        itemCode: item.code,
        itemVersion: item.version,
        channel: req.channel,
        actorKind: actor.kind,
        actorId: actor.id,
        requestId: caller.requestId,
        fileName: req.fileName ?? null,
        sizeBytes: req.sizeBytes ?? null,
        sha256: req.sha256 ?? null,
        format: source.format,
        encoding: source.encoding,
        layout: plan.layout,
        headers: source.kind === 'table' ? source.headers : null,
        ignoredHeaders: plan.ignored,
        startedAt: caller.now,
      });
      await appendEvents({ db: client, actor: caller.actor, requestId: caller.requestId, now: caller.now }, [
        {
          type: 'ingest.batch_started',
          entityType: 'ingest_batch',
          entityId: batch.id,
          payload: {
            id: batch.id,
            departmentId: req.departmentId,
            itemCode: item.code,
            itemVersion: item.version,
            fileName: req.fileName ?? null,
            sha256: req.sha256?.toString('hex') ?? null,
            format: source.format,
            layout: plan.layout,
          },
        },
      ]);
      await ingestRepo.commit(client);
    } catch (err) {
      await ingestRepo.rollback(client).catch(() => undefined);
      client.release(true);
      throw err;
    }
    const startedMs = performance.now();
    const started = batch;
    const running = (async (): Promise<BatchView> => {
      let broken = false;
      try {
        const result = await runBatch(deps, {
          batch: started,
          client,
          actor: caller.actor,
          requestId: caller.requestId,
          now: caller.now,
          item,
          layout,
          plan,
          source,
          first,
          skipped,
          department: { name: department.name, uscc: department.uscc },
          startedMs,
          onProgress: req.onProgress,
          hasher: hasher ?? undefined,
        });
        return batchView(result.batch);
      } catch (err) {
        await recordFailure(deps, caller, started, err).catch((e: unknown) =>
          deps.log?.(e, 'ingest: recording a failed batch failed'),
        );
        const e = toAppError(err);
        throw e.code === 'INTERNAL'
          ? err
          : new AppError(e.code, e.kind, e.text, { ...e.details, batchId: started.id });
      } finally {
        source.close();
        await ingestRepo.releaseBatch(client, started.id).catch(() => {
          broken = true;
        });
        client.release(broken);
      }
    })();
    handedOver = true;
    if (req.background) {
      running.catch((err: unknown) => {
        if (!(err instanceof AppError) || err.code === 'INTERNAL')
          deps.log?.(err, 'ingest: background batch failed');
      });
      return { batch: batchView(started), duplicateOf: null, running };
    }
    return { batch: await running, duplicateOf: null };
  } finally {
    if (!handedOver) source.close();
  }
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

export async function batchRows(
  ctx: Ctx,
  batchId: number,
  f: { outcome?: string; afterRow?: number; limit: number },
): Promise<StoredRow[]> {
  return ingestRepo.rows(ctx.db, batchId, {
    outcome: f.outcome ?? null,
    afterRow: f.afterRow ?? 0,
    limit: f.limit,
  });
}
