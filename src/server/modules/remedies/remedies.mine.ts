import { civilDate } from '../../../domain/periods';
import { recordEligibility, recordState } from '../../../domain/remedies';
import type { Ctx } from '../../platform/context';
import { getItemVersion, type ItemVersion } from '../catalog';
import { listRecords } from '../records';
import { getSubject } from '../subjects';
import { RemedyErrors } from './remedies.errors';
import { repairPolicy } from './remedies.policy';
import { remediesRepo } from './remedies.repository';

/** Everything held on the subject of the account, with where each record stands and whether it can be repaired. */
export async function myRecords(ctx: Ctx) {
  const a = ctx.actor;
  if (a.kind !== 'user' || !a.subjectId) throw RemedyErrors.NOT_SUBJECT_ACCOUNT();
  const subject = await getSubject(ctx, a.subjectId);
  const [{ rows }, policy] = await Promise.all([
    listRecords(ctx, { departmentId: null, subjectId: subject.id, limit: 200, offset: 0 }),
    repairPolicy(ctx),
  ]);
  const today = civilDate(ctx.now);
  const items = new Map<string, ItemVersion>();
  const disputed = new Set(
    await remediesRepo.disputedAt(
      ctx.db,
      rows.map((r) => r.id),
      ctx.now,
    ),
  );
  const records = [];
  for (const r of rows) {
    const key = `${r.item_code}@${r.item_version}`;
    let item = items.get(key);
    if (!item) items.set(key, (item = await getItemVersion(ctx, r.item_code, r.item_version)));
    const facts = {
      itemCode: r.item_code,
      periodRule: item.periodRule,
      severity: r.severity,
      decisionDate: r.decision_date,
      windowFrom: r.window_from,
      windowUntil: r.window_until,
      stopKind: r.stop_kind,
      payload: r.payload,
    };
    records.push({
      id: r.id,
      itemCode: r.item_code,
      docNo: r.doc_no,
      decisionDate: r.decision_date,
      severity: r.severity,
      windowFrom: r.window_from,
      windowUntil: r.window_until,
      version: r.version,
      state: recordState(facts, today),
      disputed: disputed.has(r.id),
      eligibility: recordEligibility(facts, today, policy),
    });
  }
  return { subject: { ref: `S${subject.id}`, name: subject.name }, records };
}
