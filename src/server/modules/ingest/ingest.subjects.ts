import { isObject } from '../../../domain/catalog/definition';
import type { Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { openJson } from '../../platform/sealed';
import type { NonPublicRead } from '../audit';
import { getItemVersion } from '../catalog';
import { findManyByCodes } from '../subjects';
import { itemLayout, planHeaders, resolveHeader, type Layout } from './ingest.headers';
import { ingestRepo, type BatchRow, type StoredRow } from './ingest.repository';

/*
 * The registered subjects a read of a batch's rows names, for its `data.read` event: the subject of
 * each row's record, and whoever a row's own subject codes (its USCC, its ID number) name in the
 * registry, rejected rows included. Codes are looked up a page of rows at a time through the
 * subjects module (two indexed queries per page: exact USCC, ID number by blind index); a code the
 * registry does not know names nobody, and nobody is registered. Only the cells the read itself
 * opens are read.
 */

/** Rows the rejected-row download's subjects are looked up by at a time (as the download pages them). */
const PAGE = 2000;

/** The subject's own codes among a row's stored cells (the file's cells, or the JSON record as sent). */
type CodesOf = (cells: unknown) => string[];

function codeText(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v] : [];
  return typeof v === 'number' && Number.isFinite(v) ? [String(v)] : [];
}

/**
 * Which cells of the batch's rows hold the subject's USCC or ID number (the item version's key
 * fields): the columns the file's headers map to them, or (JSON batches) the keys that do.
 */
async function subjectCodes(ctx: Ctx, batch: BatchRow): Promise<CodesOf> {
  const item = await getItemVersion(ctx, batch.item_code, batch.item_version);
  const l = itemLayout(item);
  const kf = item.keyFields;
  const wanted = new Set([kf.subjectUscc, kf.subjectIdNo].filter((k): k is string => !!k));
  const layout = batch.layout as Layout | null;
  if (batch.headers) {
    const plan = planHeaders(l, batch.headers, layout ?? undefined);
    const at = plan.columns.flatMap((c, i) => (c.kind === 'field' && wanted.has(c.key) ? [i] : []));
    return (cells) => (Array.isArray(cells) ? at.flatMap((i) => codeText(cells[i])) : []);
  }
  const isCode = new Map<string, boolean>();
  const codeKey = (key: string): boolean => {
    let yes = isCode.get(key);
    if (yes === undefined) {
      const target = resolveHeader(l, key, layout);
      yes = target?.kind === 'field' && wanted.has(target.key);
      isCode.set(key, yes);
    }
    return yes;
  };
  return (cells) => {
    if (!isObject(cells)) return [];
    // Department systems may wrap a record: { "payload": {…}, "severity": … } (ingest.run.ts).
    const inner = isObject(cells.payload) ? cells.payload : cells;
    return Object.entries(inner).flatMap(([k, v]) => (codeKey(k) ? codeText(v) : []));
  };
}

/** The registered subjects these codes name (each once); unknown and invalid codes name nobody. */
async function registered(ctx: Ctx, crypto: FieldCrypto, codes: readonly string[]): Promise<number[]> {
  if (!codes.length) return [];
  const found = await findManyByCodes(ctx, crypto, [...new Set(codes)]);
  return [...new Set([...found.values()].map((s) => s.id))];
}

/** The subjects a page of a batch's rows (rejected rows' cells opened) names. */
export async function subjectsOfRows(
  ctx: Ctx,
  crypto: FieldCrypto,
  batch: BatchRow,
  rows: readonly StoredRow[],
): Promise<number[]> {
  const recordIds = rows.flatMap((r) => (r.record_id ? [r.record_id] : []));
  const out = new Set(await ingestRepo.recordSubjects(ctx.db, recordIds));
  const withCells = rows.filter((r) => r.cells !== null && r.cells !== undefined);
  if (withCells.length) {
    const codesOf = await subjectCodes(ctx, batch);
    const codes = withCells.flatMap((r) => codesOf(r.cells));
    for (const id of await registered(ctx, crypto, codes)) out.add(id);
  }
  return [...out];
}

/**
 * The read of a batch's rejected rows as a file — the download (`GET …/rejected.csv|xlsx`) and
 * `xinyong import --rejected <out.csv>` alike: the uploaded data as it came in (identifiers
 * included), naming the registered subjects whose codes the rows hold.
 */
export async function rejectedRowsRead(
  ctx: Ctx,
  crypto: FieldCrypto,
  batch: BatchRow,
  format: 'csv' | 'xlsx',
  purpose: string | null,
): Promise<NonPublicRead> {
  return {
    what: 'ingest_rejected_rows',
    entity: `ingest_batch:${batch.id}`,
    subjectIds: await subjectsOfRejected(ctx, crypto, batch),
    fields: ['upload_row'],
    purpose,
    detail: { batchId: batch.id, rows: batch.rejected, format },
  };
}

/** The subjects the batch's rejected rows (all of them: the rejected-row download) name. */
async function subjectsOfRejected(ctx: Ctx, crypto: FieldCrypto, batch: BatchRow): Promise<number[]> {
  const out = new Set<number>();
  let codesOf: CodesOf | null = null;
  for (let after = 0; ;) {
    const rows = await ingestRepo.rows(ctx.db, batch.id, {
      outcome: 'rejected',
      afterRow: after,
      limit: PAGE,
    });
    if (!rows.length) break;
    const of = (codesOf ??= await subjectCodes(ctx, batch));
    const codes = rows.flatMap((r) => of(openJson(crypto, r.cells)));
    for (const id of await registered(ctx, crypto, codes)) out.add(id);
    after = (rows[rows.length - 1] as StoredRow).row_no;
  }
  return [...out];
}
