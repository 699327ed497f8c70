import { civilDate } from '../../../domain/periods';
import type { Severity } from '../../../domain/periods';
import { actorDepartment, actorLabel, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { appendEvents } from '../../platform/events';
import { RecordErrors } from './records.errors';
import { recordsRepo, type RecordHeadRow } from './records.repository';
import { recordEvent, submitRecords, type RowOutcome } from './records.submit';

export {
  applySubmission,
  checkSubmission,
  newSubmitCache,
  submitRecords,
  type CheckedSubmission,
  type FieldError,
  type RecordInput,
  type RowOutcome,
  type SubmitCache,
  type SubmitOptions,
} from './records.submit';

function today(now: Date): string {
  return civilDate(now);
}

/** The department a write is made for: the caller's own, or (for the platform admin) the one named. */
export function writingDepartment(ctx: Ctx, requested: number | undefined): number {
  const own = actorDepartment(ctx.actor);
  if (own !== null) return own;
  if (requested === undefined) throw RecordErrors.DEPARTMENT_REQUIRED({ field: 'departmentId' });
  return requested;
}

async function ownRecord(ctx: Ctx, id: number): Promise<RecordHeadRow> {
  const head = await recordsRepo.byId(ctx.db, id);
  if (!head) throw RecordErrors.RECORD_NOT_FOUND({ record: id });
  const dept = actorDepartment(ctx.actor);
  if (dept !== null && dept !== head.department_id) throw RecordErrors.NOT_OWN_RECORD();
  return head;
}

/** A provider's correction: a new version of the same record, history kept. */
export async function correctRecord(
  ctx: Ctx,
  crypto: FieldCrypto,
  id: number,
  input: { payload: Record<string, unknown>; severity?: Severity | null; reason: string },
): Promise<RowOutcome> {
  const head = await ownRecord(ctx, id);
  if (head.stopped_at) throw RecordErrors.RECORD_STOPPED({ record: id });
  const [outcome] = await submitRecords(
    ctx,
    crypto,
    head.department_id,
    [{ itemCode: head.item_code, payload: input.payload, severity: input.severity ?? null }],
    { changeReason: input.reason },
  );
  return outcome as RowOutcome;
}

/**
 * remedies (issue 6): an objection on the record opened (`since`) or was resolved (null). Called in
 * the transaction that writes the objection's event, so the current profile's mark is never stale.
 */
export async function markDisputed(ctx: Ctx, recordId: number, since: Date | null): Promise<void> {
  await recordsRepo.setDisputed(ctx.db, recordId, since);
}

export async function stopRecord(
  ctx: Ctx,
  id: number,
  // remedies (issue 6): a granted credit repair stops disclosure with kind 'repaired'.
  input: { kind: 'withdrawn' | 'court_order' | 'repaired' | 'other'; reason: string; effectiveAt?: Date },
): Promise<RecordHeadRow> {
  const head = input.kind === 'withdrawn' ? await ownRecord(ctx, id) : await recordsRepo.byId(ctx.db, id);
  if (!head) throw RecordErrors.RECORD_NOT_FOUND({ record: id });
  const stopped = await recordsRepo.stop(ctx.db, id, {
    kind: input.kind,
    reason: input.reason,
    effectiveAt: input.effectiveAt && input.effectiveAt < ctx.now ? input.effectiveAt : ctx.now,
    at: ctx.now,
    by: actorLabel(ctx.actor),
  });
  if (!stopped) throw RecordErrors.RECORD_STOPPED({ record: id });
  const type = input.kind === 'withdrawn' || input.kind === 'repaired' ? input.kind : 'stopped'; // remedies (issue 6)
  await appendEvents(ctx, [recordEvent(`record.${type}`, stopped, { reason: input.reason })]);
  return stopped;
}

export async function getRecordHistory(ctx: Ctx, id: number) {
  const head = await recordsRepo.byId(ctx.db, id);
  if (!head) throw RecordErrors.RECORD_NOT_FOUND({ record: id });
  const [versions, stops] = await Promise.all([
    recordsRepo.versions(ctx.db, id),
    recordsRepo.stops(ctx.db, id),
  ]);
  return { head, versions, stops };
}

export async function listRecords(
  ctx: Ctx,
  f: {
    departmentId: number | null;
    itemCode?: string;
    subjectId?: number;
    docNo?: string;
    limit: number;
    offset: number;
  },
) {
  return recordsRepo.list(ctx.db, {
    departmentId: f.departmentId,
    itemCode: f.itemCode ?? null,
    subjectId: f.subjectId ?? null,
    docNo: f.docNo ?? null,
    limit: f.limit,
    offset: f.offset,
  });
}

export function isDisclosedOn(
  r: { window_from: string; window_until: string | null; stopped_at: Date | null },
  day: string,
  at: Date,
): boolean {
  return (
    r.window_from <= day &&
    (r.window_until === null || r.window_until > day) &&
    (!r.stopped_at || r.stopped_at > at)
  );
}

export { today as civilToday };
