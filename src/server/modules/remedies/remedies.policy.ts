import { checkRepairPolicy, DEFAULT_REPAIR_POLICY, type RepairPolicy } from '../../../domain/remedies';
import { changeAwareCache } from '../../platform/commit-bus';
import type { Ctx } from '../../platform/context';
import { appendEvents } from '../../platform/events';
import { RemedyErrors } from './remedies.errors';
import { remediesRepo } from './remedies.repository';

export const POLICY_KEY = 'remedies.policy';

// The policy changes by an administrator's rare decision: read at most every 30 s per process, and
// at once after a change made here has committed (the changing transaction reads its own).
const policy = changeAwareCache((db) =>
  remediesRepo.setting(db, POLICY_KEY).then((stored) => ({
    ...DEFAULT_REPAIR_POLICY,
    ...((stored ?? {}) as Partial<RepairPolicy>),
  })),
);

/** The repair and objection policy in force: the default with the administrator's changes on top. */
export function repairPolicy(ctx: Ctx): Promise<RepairPolicy> {
  return policy.get(ctx.db);
}

export async function setRepairPolicy(ctx: Ctx, input: Partial<RepairPolicy>): Promise<RepairPolicy> {
  const next: RepairPolicy = { ...DEFAULT_REPAIR_POLICY, ...input };
  const problems = checkRepairPolicy(next);
  if (problems.length) throw RepairPolicyError(problems);
  await remediesRepo.saveSetting(ctx.db, POLICY_KEY, next, ctx.now);
  policy.changed(ctx.db);
  await appendEvents(ctx, [
    { type: 'settings.updated', entityType: 'settings', entityId: POLICY_KEY, payload: next },
  ]);
  return next;
}

function RepairPolicyError(problems: string[]) {
  return RemedyErrors.POLICY_INVALID({ field: 'policy', problems, first: problems[0] ?? '' });
}
