import type { Readable } from 'node:stream';
import { actorDepartment, type Actor, type Ctx } from '../../platform/context';
import { DEFAULT_IDLE_IN_TRANSACTION_MS, inTransaction, type Tx as PoolClient } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { actorRef, appendEvents } from '../../platform/events';
import { toAppError } from '../../platform/http';
import { getDepartment } from '../accounts';
import { getItemVersion, isProvider, listItems, type ItemVersion } from '../catalog';
import { IngestErrors } from './ingest.errors';
import { headerFit, itemLayout, LAYOUTS, looksLikeData, planHeaders, type Layout } from './ingest.headers';
import {
  batchView,
  recordFailure,
  sweepAbandoned,
  type BatchView,
  type Caller,
  type IngestDeps,
} from './ingest.batches';

export type { BatchView, Caller, IngestDeps } from './ingest.batches';
import { ingestRepo, type BatchRow } from './ingest.repository';
import { hashingStream, runBatch } from './ingest.run';
import { batchGate, type Release } from './ingest.slots';
import { openSource, type Format, type Source, type TableRow, type TextRow } from './ingest.sources';
import { cellText } from './ingest.values';

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
  /**
   * Run this batch, acknowledged earlier and left `processing` by a process that died, again from
   * its spooled upload (ingest.resume.ts) instead of starting a new one.
   */
  resume?: BatchRow;
  onProgress?: (rows: number) => void;
}

/** SQLSTATE of a session ended by idle_in_transaction_session_timeout. */
const IDLE_IN_TRANSACTION_TIMEOUT = '25P03';

export interface IngestResult {
  batch: BatchView;
  /** The same file (department, item, SHA-256) was already processed by this batch. */
  duplicateOf: number | null;
  running?: Promise<BatchView>;
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
  const loose: { item: ItemVersion; score: number }[] = [];
  for (const s of await listItems(ctx)) {
    if (s.status !== 'active') continue;
    const item = await getItemVersion(ctx, s.code);
    const fit = headerFit(itemLayout(item), headers);
    if (fit.score > 0 && fit.strict) fits.push({ item, score: fit.score });
    if (fit.score > 0) loose.push({ item, score: fit.score });
  }
  const best = unique(fits);
  if (best) return best;
  // No item takes every header: the one that takes most of them (its document number and decision
  // date included, more columns than not) is named, so that the caller is told which headers it
  // does not know (UNKNOWN_HEADERS) rather than only that the item is missing.
  const likely = fits.length ? null : unique(loose);
  if (likely) return likely;
  const names = (fits.length ? fits : loose).sort((a, b) => b.score - a.score).map((f) => f.item.code);
  throw IngestErrors.ITEM_REQUIRED({
    field: 'itemCode',
    hint: names.length ? `（可能是 ${names.join('、')}）` : '',
    hintEn: names.length ? ` (it could be ${names.join(', ')})` : '',
  });
}

/** The item with the highest score, when no other has as high a one. */
function unique(fits: readonly { item: ItemVersion; score: number }[]): ItemVersion | null {
  const sorted = [...fits].sort((a, b) => b.score - a.score);
  const [best, second] = sorted;
  return best && (!second || second.score < best.score) ? best.item : null;
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
 * A connection holding the session lock of a batch left `processing` by a process that died, and
 * the batch, with an `ingest.batch_resumed` event; no connection when a live worker holds the
 * batch or it ended meanwhile.
 */
async function takeOver(
  deps: IngestDeps,
  caller: Caller,
  row: BatchRow,
): Promise<{ client: PoolClient; batch: BatchRow } | { client: null; batch: BatchRow }> {
  const client = await deps.pool.connect();
  try {
    const batch = await ingestRepo.takeOver(client, row.id);
    if (!batch) {
      client.release();
      return { client: null, batch: (await ingestRepo.byId(deps.pool, row.id)) ?? row };
    }
    await inTransaction(client, (tx) =>
      appendEvents({ db: tx, actor: caller.actor, requestId: caller.requestId, now: caller.now }, [
        {
          type: 'ingest.batch_resumed',
          entityType: 'ingest_batch',
          entityId: row.id,
          payload: { id: row.id, departmentId: row.department_id, itemCode: row.item_code },
        },
      ]),
    );
    return { client, batch };
  } catch (err) {
    client.release(true);
    throw err;
  }
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
  const gate = batchGate(deps.pool, deps.maxBatches);
  const releases: Release[] = [];
  const release = (): void => {
    for (const r of releases.splice(0).reverse()) r();
  };
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

    // The department and item's turn, then a batch slot, and only then a connection (ingest.slots.ts).
    releases.push(await gate.turns.acquire(`${req.departmentId}:${item.code}`));
    releases.push(await gate.slots.acquire());

    // A new batch: its row, committed (status processing) with its event, and the session lock.
    const insertBatch = async (client: PoolClient): Promise<BatchRow> => {
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
        await appendEvents(
          { db: client, actor: caller.actor, requestId: caller.requestId, now: caller.now },
          [
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
          ],
        );
        await ingestRepo.commit(client);
      } catch (err) {
        await ingestRepo.rollback(client).catch(() => undefined);
        client.release(true);
        throw err;
      }
      return batch;
    };
    let client: PoolClient;
    let batch: BatchRow;
    if (req.resume) {
      const taken = await takeOver(deps, caller, req.resume);
      // A live worker has it, or it ended meanwhile.
      if (!taken.client) return { batch: batchView(taken.batch), duplicateOf: null };
      client = taken.client;
      batch = taken.batch;
    } else {
      await sweepAbandoned(deps, caller, { departmentId: req.departmentId, itemCode: item.code });
      if (req.sha256) {
        // The same file as the last batch processed for the item: nothing would change. The same as
        // an earlier one is processed again, since a later batch may have changed its records.
        const last = await ingestRepo.latestDone(deps.pool, req.departmentId, item.code);
        if (last?.sha256 && last.sha256.equals(req.sha256))
          return { batch: batchView(last), duplicateOf: last.id };
      }
      client = await deps.pool.connect();
      batch = await insertBatch(client);
    }
    const startedMs = performance.now();
    const started = batch;
    // PostgreSQL ends a batch session left idle in its transaction too long (the input stalled):
    // the input is then stopped too, so that the batch fails now rather than when (if ever) more
    // data arrives, and its connection and slot are given back.
    let stalled = false;
    const onClientError = (err: Error & { code?: string }): void => {
      if (err.code !== IDLE_IN_TRANSACTION_TIMEOUT) return;
      stalled = true;
      req.input.destroy(err);
    };
    client.on('error', onClientError);
    const running = (async (): Promise<BatchView> => {
      let failure: unknown = null;
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
        failure =
          stalled || (err as { code?: string } | null)?.code === IDLE_IN_TRANSACTION_TIMEOUT
            ? IngestErrors.BATCH_STALLED({
                seconds: Math.round((deps.idleTimeoutMs || DEFAULT_IDLE_IN_TRANSACTION_MS) / 1000),
              })
            : err;
        const e = toAppError(failure);
        throw e.code === 'INTERNAL'
          ? err
          : new AppError(e.code, e.kind, e.text, { ...e.details, batchId: started.id });
      } finally {
        client.off('error', onClientError);
        source.close();
        // The failure is recorded on the batch's own connection, still holding the batch's lock;
        // only when that connection is lost, on the pool, once it has been given back.
        let recorded = failure === null;
        if (!recorded)
          recorded = await recordFailure(deps, caller, started, failure, client).then(
            () => true,
            () => false,
          );
        let broken = !recorded;
        await ingestRepo.releaseBatch(client, started.id).catch(() => {
          broken = true;
        });
        client.release(broken);
        if (!recorded)
          await recordFailure(deps, caller, started, failure).catch((e: unknown) =>
            deps.log?.(e, 'ingest: recording a failed batch failed'),
          );
        release();
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
    if (!handedOver) {
      source.close();
      release();
    }
  }
}
