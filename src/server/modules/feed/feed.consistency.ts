/**
 * The consistency check (measure 八: agencies must use the same information as is disclosed, for
 * the same period): a subscriber sends the (record id, version, state) it holds for a set of
 * subjects and gets back every difference with what to do about it. The platform's side is the
 * feed projection brought up to the log's head first, so the answer matches the feed exactly.
 */
import { civilDate } from '../../../domain/periods';
import { recordState } from '../../../domain/remedies';
import type { Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { findByIdentifier } from '../subjects';
import { sharingStoppedAmong } from '../remedies';
import { FeedErrors } from './feed.errors';
import { feedRepo, type FeedRecordRow } from './feed.repository';
import type { Scope } from './feed.service';

export const MAX_SUBJECTS = 1_000;
export const MAX_RECORDS = 20_000;

/** States in which a copy must still hold the record (what the public may see). */
const LIVE = new Set(['disclosed', 'pending']);

export interface HeldRecord {
  id: number;
  version: number;
  state: string;
}

export type Difference =
  | {
      recordId: number;
      subject: string;
      kind: 'missing';
      expected: { version: number; state: string };
      action: 'add';
    }
  | {
      recordId: number;
      subject: string;
      kind: 'stale_version';
      held: HeldRecord;
      expected: { version: number; state: string };
      action: 'update';
    }
  | {
      recordId: number;
      subject: string;
      kind: 'state';
      held: HeldRecord;
      expected: { version: number; state: string };
      action: 'update' | 'remove';
    }
  | { recordId: number; subject: string | null; kind: 'unknown'; held: HeldRecord; action: 'remove' };

function platformState(r: FeedRecordRow, today: string): string {
  if (r.expired_version === r.version && !r.stop_kind) return 'expired';
  return recordState(
    { windowFrom: r.window_from, windowUntil: r.window_until, stopKind: r.stop_kind },
    today,
  );
}

export async function checkConsistency(
  ctx: Ctx,
  crypto: FieldCrypto,
  scope: Scope,
  input: { subjects: string[]; records: HeldRecord[] },
): Promise<{
  at: string;
  asOfSeq: number;
  consistent: boolean;
  subjects: { ref: string; records: number }[];
  differences: Difference[];
}> {
  if (input.subjects.length > MAX_SUBJECTS || input.records.length > MAX_RECORDS)
    throw FeedErrors.CONSISTENCY_TOO_LARGE({ maxSubjects: MAX_SUBJECTS, maxRecords: MAX_RECORDS });
  const ids: number[] = [];
  for (const code of new Set(input.subjects)) {
    const s = await findByIdentifier(ctx, crypto, code);
    if (!s) continue;
    if (scope === 'public' && s.type === 'NATURAL_PERSON') continue;
    ids.push(s.id);
  }
  const mark = await feedRepo.readWatermark(ctx.db, 'projection');
  const today = civilDate(ctx.now);
  const rows = (await feedRepo.recordsOfSubjects(ctx.db, ids)).filter(
    // The public feed never carried records that were not published.
    (r) => scope === 'shared' || r.window_until === null || r.window_until > r.window_from,
  );
  const withheld = await sharingStoppedAmong(
    ctx.db,
    rows.map((r) => r.record_id),
    ctx.now,
  );
  const held = new Map(input.records.map((r) => [r.id, r]));
  const differences: Difference[] = [];
  const counts = new Map<number, number>(ids.map((id) => [id, 0]));
  for (const r of rows) {
    const subject = `S${r.subject_id}`;
    counts.set(r.subject_id, (counts.get(r.subject_id) ?? 0) + 1);
    const state = withheld.has(r.record_id) ? 'repaired' : platformState(r, today);
    const expected = { version: r.version, state };
    const h = held.get(r.record_id);
    held.delete(r.record_id);
    if (!h) {
      if (LIVE.has(state))
        differences.push({ recordId: r.record_id, subject, kind: 'missing', expected, action: 'add' });
      continue;
    }
    if (!LIVE.has(state)) {
      if (h.state !== state)
        differences.push({
          recordId: r.record_id,
          subject,
          kind: 'state',
          held: h,
          expected,
          action: 'remove',
        });
      continue;
    }
    if (h.version !== r.version)
      differences.push({
        recordId: r.record_id,
        subject,
        kind: 'stale_version',
        held: h,
        expected,
        action: 'update',
      });
    else if (h.state !== state)
      differences.push({
        recordId: r.record_id,
        subject,
        kind: 'state',
        held: h,
        expected,
        action: 'update',
      });
  }
  // Held but not the platform's to show for these subjects (never public, or no such record).
  // Records of subjects outside the question are left alone.
  if (held.size) {
    const asked = new Set(ids);
    const others = new Map((await feedRepo.records(ctx.db, [...held.keys()])).map((r) => [r.record_id, r]));
    for (const h of held.values()) {
      const o = others.get(h.id);
      if (o && !asked.has(o.subject_id)) continue;
      differences.push({
        recordId: h.id,
        subject: o ? `S${o.subject_id}` : null,
        kind: 'unknown',
        held: h,
        action: 'remove',
      });
    }
  }
  return {
    at: ctx.now.toISOString(),
    asOfSeq: mark?.seq ?? 0,
    consistent: differences.length === 0,
    subjects: ids.map((id) => ({ ref: `S${id}`, records: counts.get(id) ?? 0 })),
    differences,
  };
}
