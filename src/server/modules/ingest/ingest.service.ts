import type { Readable } from 'node:stream';
import { actorDepartment, type Actor, type Ctx } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { actorRef, appendEvents } from '../../platform/events';
import { toAppError } from '../../platform/http';
import { getDepartment } from '../accounts';
import { getItemVersion, isProvider, listItems, type ItemVersion } from '../catalog';
import { IngestErrors } from './ingest.errors';
import { fitScore, itemLayout, LAYOUTS, looksLikeData, planHeaders, type Layout } from './ingest.headers';
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
  onProgress?: (rows: number) => void;
}

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
