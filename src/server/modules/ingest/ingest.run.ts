import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Actor, Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { sealJson } from '../../platform/sealed';
import { hasFreeConnection, type Pool, type Tx } from '../../platform/db';
import { appendEvents, appendStagedEvents, stageEvents, type NewEvent } from '../../platform/events';
import type { ItemVersion } from '../catalog';
import {
  applySubmission,
  checkSubmission,
  newSubmitCache,
  submitRecords,
  type CheckedSubmission,
  type FieldError,
  type RecordInput,
  type RowOutcome,
} from '../records';
import { resolveHeader, type HeaderPlan, type ItemLayout } from './ingest.headers';
import {
  ingestRepo,
  type BatchCounts,
  type BatchRow,
  type OutcomeRow,
  type ParkedRow,
} from './ingest.repository';
import type { Source, TableRow, TextRow } from './ingest.sources';
import { decideSubmissions, initialSubmission, submittedDocNos } from './ingest.submission';
import { cellText, mapObject, rowMapper, type MappedRow, type Submitter } from './ingest.values';

/*
 * One batch, one transaction. Rows are read one at a time, mapped, and submitted through
 * submitRecords in chunks inside the same transaction; their outcomes are written as they come.
 * Nothing is visible to anyone else until COMMIT, and a crash at any point before it leaves no
 * record, version, subject or event of the batch behind.
 *
 * The event log's lock is taken only at the very end: records' events are collected (in memory,
 * then in a scratch table) and appended just before COMMIT, and rows naming subjects the registry
 * does not know yet (whose registration appends events) are set aside and submitted last.
 */

export const CHUNK = 1000;
export const EVENTS_IN_MEMORY = 20_000;
const EVENTS_PER_APPEND = 5_000;
const PROGRESS_EVERY_MS = 1_000;

export interface RunDeps {
  pool: Pool;
  crypto: FieldCrypto;
  /** The batch transaction's idle_in_transaction_session_timeout (unset: the pool's). */
  idleTimeoutMs?: number | null;
}

export interface RunInput {
  batch: BatchRow;
  client: Tx;
  actor: Actor;
  requestId: string;
  now: Date;
  item: ItemVersion;
  layout: ItemLayout;
  plan: HeaderPlan;
  source: Source;
  /** The submitting department (the 2016 layout's implicit data source). */
  department: Submitter;
  /** Rows already read while opening the file (the first data row). */
  first: TableRow | TextRow;
  onProgress?: (rows: number) => void;
  /** Template rows skipped while looking for the first data row. */
  skipped: number;
  /** performance.now() when the batch started (durations are measured, not taken from `now`). */
  startedMs: number;
  /** Hash of the bytes as read, for streams whose hash is not known in advance. */
  hasher?: { digest(): Buffer; size(): number };
}

export interface RunResult {
  counts: BatchCounts;
  batch: BatchRow;
}

/**
 * Records' events of a batch, appended at the end (after the records, so the event-log lock is
 * held briefly): kept in memory up to EVENTS_IN_MEMORY, past that staged in the transaction's
 * scratch table with their payload text and hash (platform/events.ts) so memory stays flat, and
 * then appended in one statement.
 */
class EventBuffer {
  private mem: NewEvent[] = [];
  private staged = false;
  constructor(private readonly db: Tx) {}

  add = async (events: NewEvent[]): Promise<void> => {
    for (const e of events) this.mem.push(e);
    if (this.mem.length < EVENTS_IN_MEMORY) return;
    await stageEvents(this.db, this.mem);
    this.staged = true;
    this.mem = [];
  };

  async appendAll(ctx: Ctx): Promise<void> {
    if (this.staged) {
      await stageEvents(this.db, this.mem);
      await appendStagedEvents(ctx);
    } else
      for (let i = 0; i < this.mem.length; i += EVENTS_PER_APPEND)
        await appendEvents(ctx, this.mem.slice(i, i + EVENTS_PER_APPEND));
    this.mem = [];
  }
}

interface Pending {
  rowNo: number;
  docNo: string | null;
  input: RecordInput;
  /** The row as submitted (JSON), made only for rows that are rejected or set aside. */
  cells: () => string;
}

interface Chunk {
  pending: Pending[];
  outcomes: OutcomeRow[];
}

/** Rows the platform's own templates carry above the data: kept out of the batch. */
const TEMPLATE_MARKER = /^【(说明|示例)】/;

function errorsJson(errors: readonly FieldError[]): string {
  return JSON.stringify(errors.map((e) => ({ field: e.field, code: e.code, message: e.message })));
}

/** A hash and byte count of whatever passes through (streams hashed while they are read). */
export function hashingStream(): Transform & { digest(): Buffer; size(): number } {
  const hash = createHash('sha256');
  let size = 0;
  let digest: Buffer | null = null;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return Object.assign(t, {
    digest: () => (digest ??= hash.digest()),
    size: () => size,
  });
}

export async function runBatch(deps: RunDeps, r: RunInput): Promise<RunResult> {
  const { client, batch, item, layout, plan, source } = r;
  const ctx: Ctx = { db: client, actor: r.actor, requestId: r.requestId, now: r.now };
  const counts: BatchCounts = {
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    skipped: r.skipped,
    subjectsRegistered: 0,
  };
  const events = new EventBuffer(client);
  const cache = newSubmitCache();
  const submitOpts = { registerUnknownSubjects: false, emit: events.add, cache };
  let current: Chunk = { pending: [], outcomes: [] };
  // The chunk the database is storing while the next one is read, mapped and checked.
  let inflight: Promise<void> = Promise.resolve();
  let parkingReady = false;
  let lastProgress = Date.now();
  let progressBusy = false;

  /**
   * Rows read so far, for whoever looks at the batch: written on another connection (this one's
   * transaction is invisible until COMMIT), but only when the pool has one free at once and the
   * previous write is done. The batch never waits for it: a batch holding its connection and
   * waiting for a second one could wait for ever once batches hold them all.
   */
  const reportProgress = (): void => {
    if (progressBusy || !hasFreeConnection(deps.pool)) return;
    progressBusy = true;
    lastProgress = Date.now();
    ingestRepo
      .progress(deps.pool, batch.id, counts.rows, new Date())
      .catch(() => undefined)
      .finally(() => {
        progressBusy = false;
      });
  };

  const record = (
    into: OutcomeRow[],
    rowNo: number,
    o: RowOutcome,
    cells: () => string | null,
    docNo: string | null,
  ): void => {
    if (o.outcome === 'rejected') {
      counts.rejected++;
      const superseded = o.errors.length === 1 && o.errors[0]?.code === 'DUPLICATE_IN_BATCH';
      into.push({
        rowNo,
        outcome: 'rejected',
        recordId: null,
        subjectRegistered: false,
        errors: errorsJson(o.errors),
        cells: sealJson(deps.crypto, cells()),
        docNo,
        submission: initialSubmission('rejected', superseded),
        awaitingResend: false,
      });
      return;
    }
    counts[o.outcome]++;
    if (o.subjectRegistered) counts.subjectsRegistered++;
    into.push({
      rowNo,
      outcome: o.outcome,
      recordId: o.recordId,
      subjectRegistered: o.subjectRegistered === true,
      errors: null,
      cells: null,
      docNo,
      submission: initialSubmission(o.outcome, false),
      awaitingResend: false,
    });
  };

  /**
   * Writes a chunk's row outcomes, each decided as a submission of its document first (the
   * scorecard's validity, ingest.submission.ts): one look-up of the chunk's document numbers whose
   * latest submission was rejected, one insert.
   */
  const writeRows = async (rows: OutcomeRow[]): Promise<void> => {
    if (!rows.length) return;
    const awaiting = await ingestRepo.takeAwaiting(
      client,
      batch.department_id,
      batch.item_code,
      submittedDocNos(rows),
    );
    decideSubmissions(rows, awaiting);
    await ingestRepo.insertRows(client, batch.id, rows);
  };

  const store = async (chunk: Chunk, checked: CheckedSubmission | null): Promise<void> => {
    if (checked) {
      const results = await applySubmission(ctx, deps.crypto, batch.department_id, checked, submitOpts);
      const parked: ParkedRow[] = [];
      results.forEach((o, j) => {
        const p = chunk.pending[j] as Pending;
        if (o.outcome === 'rejected' && o.errors.length === 1 && o.errors[0]?.code === 'SUBJECT_NOT_FOUND')
          parked.push({ rowNo: p.rowNo, input: JSON.stringify(p.input), cells: p.cells(), docNo: p.docNo });
        else record(chunk.outcomes, p.rowNo, o, p.cells, p.docNo);
      });
      if (parked.length) {
        if (!parkingReady) await ingestRepo.createParking(client);
        parkingReady = true;
        await ingestRepo.park(client, parked);
      }
    }
    await writeRows(chunk.outcomes);
    if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) reportProgress();
    r.onProgress?.(counts.rows);
  };

  /** Checks the chunk being built, waits for the one in flight, and sends this one to be stored. */
  const dispatch = async (): Promise<void> => {
    const chunk = current;
    current = { pending: [], outcomes: [] };
    const checked = chunk.pending.length
      ? await checkSubmission(
          ctx,
          deps.crypto,
          batch.department_id,
          chunk.pending.map((p) => p.input),
          submitOpts,
        )
      : null;
    await inflight;
    inflight = store(chunk, checked);
    inflight.catch(() => undefined); // observed by the next dispatch or at the end
  };

  const docNoField = item.keyFields.docNo;
  const take = (rowNo: number, mapped: MappedRow, cells: () => string): void => {
    counts.rows++;
    const doc = mapped.payload[docNoField];
    const docNo =
      typeof doc === 'string' && doc.trim() ? doc.trim() : typeof doc === 'number' ? String(doc) : null;
    if (mapped.errors.length) {
      record(current.outcomes, rowNo, { outcome: 'rejected', errors: mapped.errors }, cells, docNo);
      return;
    }
    current.pending.push({
      rowNo,
      docNo,
      cells,
      input: { itemCode: item.code, payload: mapped.payload, severity: mapped.severity },
    });
  };

  const mapTable = rowMapper(layout, plan, r.department);
  const tableRow = (row: TableRow): void => {
    let first = '';
    for (const c of row.cells) {
      const text = cellText(c).trim();
      if (text) {
        first = text;
        break;
      }
    }
    if (!first) return;
    if (TEMPLATE_MARKER.test(first)) {
      counts.skipped++;
      return;
    }
    const mapped = mapTable(row.cells);
    if (mapped.blank) return;
    take(row.rowNo, mapped, () => JSON.stringify(row.cells.map(cellText)));
  };

  const targets = new Map<string, ReturnType<typeof resolveHeader>>();
  const targetOf = (key: string) => {
    if (!targets.has(key)) targets.set(key, resolveHeader(layout, key, plan.layout));
    return targets.get(key) ?? null;
  };
  const textRow = (row: TextRow): void => {
    let value: unknown;
    try {
      value = JSON.parse(row.text);
    } catch (err) {
      counts.rows++;
      const why = err instanceof Error ? err.message : String(err);
      record(
        current.outcomes,
        row.rowNo,
        {
          outcome: 'rejected',
          errors: [
            {
              field: '',
              code: 'ROW_JSON_INVALID',
              message: { zh: `不是有效的 JSON：${why}`, en: `Not valid JSON: ${why}` },
            },
          ],
        },
        () => JSON.stringify(row.text),
        null,
      );
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      counts.rows++;
      record(
        current.outcomes,
        row.rowNo,
        {
          outcome: 'rejected',
          errors: [
            {
              field: '',
              code: 'ROW_NOT_OBJECT',
              message: { zh: '每条记录须为一个 JSON 对象', en: 'Each record must be a JSON object' },
            },
          ],
        },
        () => JSON.stringify(row.text),
        null,
      );
      return;
    }
    const obj = value as Record<string, unknown>;
    // Department systems may wrap a record: { "payload": {…}, "severity": "SERIOUS" }.
    const inner =
      obj.payload && typeof obj.payload === 'object' && !Array.isArray(obj.payload)
        ? (obj.payload as Record<string, unknown>)
        : obj;
    const mapped = mapObject(
      layout,
      targetOf,
      inner === obj ? obj : { ...inner, ...(obj.severity ? { severity: obj.severity } : {}) },
      plan.layout,
      r.department,
    );
    if (mapped.unknown.length)
      mapped.errors.push(
        ...mapped.unknown.map((k) => ({
          field: k,
          code: 'FIELD_UNKNOWN',
          message: {
            zh: `字段 ${k} 不属于目录事项 ${item.code}，目录之外的信息不得归集`,
            en: `Field ${k} is not part of catalogue item ${item.code}; nothing outside the catalogue may be collected`,
          },
        })),
      );
    take(row.rowNo, mapped, () => JSON.stringify(obj));
  };

  await ingestRepo.begin(client);
  try {
    if (deps.idleTimeoutMs) await ingestRepo.idleTimeout(client, deps.idleTimeoutMs);
    await ingestRepo.serialise(client, batch.department_id, item.code);
    const handle = (row: TableRow | TextRow): void => ('cells' in row ? tableRow(row) : textRow(row));
    handle(r.first);
    for (;;) {
      const next = await (source.rows as AsyncIterator<TableRow | TextRow>).next();
      if (next.done) break;
      handle(next.value);
      if (current.pending.length >= CHUNK || current.outcomes.length >= CHUNK) await dispatch();
    }
    await dispatch();
    await inflight;

    // Rows naming subjects unknown to the registry: registered now, at the end (see above).
    if (parkingReady)
      for (let after = 0; ;) {
        const parked = await ingestRepo.parked(client, after, CHUNK);
        if (!parked.length) break;
        const inputs = parked.map((p) => JSON.parse(p.input) as RecordInput);
        const results = await submitRecords(ctx, deps.crypto, batch.department_id, inputs, {
          registerUnknownSubjects: true,
          cache,
        });
        const rows: OutcomeRow[] = [];
        results.forEach((o, j) => {
          const p = parked[j] as ParkedRow;
          record(rows, p.rowNo, o, () => p.cells, p.docNo);
        });
        await writeRows(rows);
        after = (parked[parked.length - 1] as ParkedRow).rowNo;
      }
    await events.appendAll(ctx);

    const valid = counts.created + counts.updated + counts.unchanged;
    const durationMs = Math.round(performance.now() - r.startedMs);
    const finishedAt = new Date(batch.started_at.getTime() + durationMs);
    const error =
      valid === 0
        ? {
            code: 'NO_VALID_ROWS',
            messages: {
              zh: `文件中没有合格的行（${counts.rejected} 行全部被拒绝），未入库任何记录`,
              en: `No valid rows in the file (all ${counts.rejected} rows rejected); nothing was stored`,
            },
            details: { rejected: counts.rejected },
          }
        : null;
    const done = await ingestRepo.finish(client, batch.id, {
      status: valid === 0 ? 'failed' : 'done',
      counts,
      error,
      at: finishedAt,
      durationMs,
      sha256: r.hasher?.digest() ?? null,
      sizeBytes: r.hasher?.size() ?? null,
    });
    await appendEvents(ctx, [
      {
        type: valid === 0 ? 'ingest.batch_failed' : 'ingest.batch_finished',
        entityType: 'ingest_batch',
        entityId: batch.id,
        payload: {
          id: batch.id,
          departmentId: batch.department_id,
          itemCode: item.code,
          counts: { ...counts },
          ...(error ? { error: error.code } : {}),
          sha256: (r.hasher?.digest() ?? batch.sha256)?.toString('hex') ?? null,
        },
      },
    ]);
    await ingestRepo.commit(client);
    return { counts, batch: done ?? batch };
  } catch (err) {
    await inflight.catch(() => undefined);
    await ingestRepo.rollback(client).catch(() => undefined);
    throw err;
  }
}
