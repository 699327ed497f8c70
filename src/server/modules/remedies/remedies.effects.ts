/**
 * What a granted repair does (REFERENCE §5.5), all in the caller's transaction so that either every
 * effect happens or none does:
 *  - the record's disclosure stops (a `repaired` stop; the record stays in the internal archive);
 *  - it stops being shared (a sharing stop the sharing layer and the change feed honour);
 *  - list entries that rest on it alone end early (lists' endEntry, reason `repair`);
 *  - measures triggered only by it lift by themselves: the joint check computes from disclosed
 *    records and active entries, so nothing is stored for them;
 *  - evaluations and reports that used it are marked for recomputation.
 * The subject's public page follows from the events (the profile cache evicts on their subject).
 */
import { AppError } from '../../platform/errors';
import type { Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { endEntry, entriesOfSubject } from '../lists';
import { getRecordHistory, stopRecord } from '../records';
import type { ApplicationRow } from './remedies.repository';
import { remediesRepo } from './remedies.repository';

export interface GrantEffects {
  recordStopped: number | null;
  sharingStopped: number | null;
  entriesEnded: number[];
  /** Entries that rest on the record but stay: other facts, or the list's exit rules. */
  entriesKept: { entryId: number; reason: string }[];
  recomputeMarked: string[];
}

const LIST_BLOCKS = new Set(['EARLY_EXIT_NOT_ALLOWED', 'EARLY_EXIT_TOO_SOON', 'NOT_ACTIVE']);

export async function applyGrantedRepair(
  ctx: Ctx,
  crypto: FieldCrypto,
  app: ApplicationRow,
): Promise<GrantEffects> {
  const out: GrantEffects = {
    recordStopped: null,
    sharingStopped: null,
    entriesEnded: [],
    entriesKept: [],
    recomputeMarked: [],
  };
  // Other modules' steps are taken by the platform on the decision's behalf (the listing
  // department may not be the one that decided the repair).
  const system: Ctx = { ...ctx, actor: { kind: 'system', name: 'remedies' } };
  const note = `信用修复申请 ${app.id} 已准予修复 / repair application ${app.id} granted`;

  if (app.target_kind === 'record' && app.record_id !== null) {
    const recordId = app.record_id;
    await stopRecord(ctx, recordId, { kind: 'repaired', reason: note });
    out.recordStopped = recordId;
    if (await remediesRepo.stopSharing(ctx.db, recordId, app.id, ctx.now)) out.sharingStopped = recordId;

    const { items } = await entriesOfSubject(ctx, crypto, `S${app.subject_id}`, ctx.now);
    for (const e of items) {
      if (e.status !== 'active' || !e.facts.some((f) => f.recordId === recordId)) continue;
      const others = e.facts.filter((f) => f.recordId !== recordId);
      let stillFounded = others.some((f) => f.kind === 'document');
      for (const f of others)
        if (
          !stillFounded &&
          f.recordId !== null &&
          !(await getRecordHistory(ctx, f.recordId)).head.stopped_at
        )
          stillFounded = true;
      if (stillFounded) {
        out.entriesKept.push({ entryId: e.id, reason: 'OTHER_FACTS' });
        continue;
      }
      try {
        await endEntry(system, e.id, { reason: 'repair', note });
        out.entriesEnded.push(e.id);
      } catch (err) {
        // The list's own exit rule refuses (no early exit, or too soon): checked before any write.
        if (err instanceof AppError && LIST_BLOCKS.has(err.code))
          out.entriesKept.push({ entryId: e.id, reason: err.code });
        else throw err;
      }
    }
  } else if (app.list_entry_id !== null) {
    await endEntry(system, app.list_entry_id, { reason: 'repair', note });
    out.entriesEnded.push(app.list_entry_id);
  }

  await remediesRepo.markRecompute(ctx.db, {
    subjectId: app.subject_id,
    reason: 'repair_granted',
    kinds: ['evaluation', 'report'],
    source: `repair:${app.id}`,
    at: ctx.now,
  });
  out.recomputeMarked = ['evaluation', 'report'];
  return out;
}
