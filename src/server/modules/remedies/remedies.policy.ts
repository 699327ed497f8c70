import { checkRepairPolicy, DEFAULT_REPAIR_POLICY, type RepairPolicy } from '../../../domain/remedies';
import { afterCommit, transactionMark } from '../../platform/commit-bus';
import type { Ctx } from '../../platform/context';
import { appendEvents } from '../../platform/events';
import { RemedyErrors } from './remedies.errors';
import { remediesRepo } from './remedies.repository';

export const POLICY_KEY = 'remedies.policy';

// The policy changes by an administrator's rare decision: read at most every 30 s per process, and
// at once after a change made here.
let cached: { at: number; value: Promise<RepairPolicy> } | null = null;
/** Transactions that changed the policy: they read their own, and never cache it. */
const changedIn = transactionMark();

function loadPolicy(ctx: Ctx): Promise<RepairPolicy> {
  return remediesRepo.setting(ctx.db, POLICY_KEY).then((stored) => ({
    ...DEFAULT_REPAIR_POLICY,
    ...((stored ?? {}) as Partial<RepairPolicy>),
  }));
}

/** The repair and objection policy in force: the default with the administrator's changes on top. */
export function repairPolicy(ctx: Ctx): Promise<RepairPolicy> {
  if (changedIn.has(ctx.db)) return loadPolicy(ctx);
  const t = Date.now();
  if (!cached || t - cached.at > 30_000) {
    const entry = { at: t, value: loadPolicy(ctx) };
    cached = entry;
    entry.value.catch(() => {
      if (cached === entry) cached = null;
    });
  }
  return cached.value;
}

export async function setRepairPolicy(ctx: Ctx, input: Partial<RepairPolicy>): Promise<RepairPolicy> {
  const next: RepairPolicy = { ...DEFAULT_REPAIR_POLICY, ...input };
  const problems = checkRepairPolicy(next);
  if (problems.length) throw RepairPolicyError(problems);
  await remediesRepo.saveSetting(ctx.db, POLICY_KEY, next, ctx.now);
  // The transaction reads its own policy from now on; everyone gets the new one once it commits.
  // (Dropped at once, a read by another request before the COMMIT cached the old one for 30 s.)
  changedIn.add(ctx.db);
  afterCommit(ctx.db, () => {
    cached = null;
  });
  await appendEvents(ctx, [
    { type: 'settings.updated', entityType: 'settings', entityId: POLICY_KEY, payload: next },
  ]);
  return next;
}

function RepairPolicyError(problems: string[]) {
  return RemedyErrors.POLICY_INVALID({ field: 'policy', problems, first: problems[0] ?? '' });
}

export function forgetPolicy(): void {
  cached = null;
}
