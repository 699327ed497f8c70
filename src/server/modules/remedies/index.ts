export { remediesRoutes } from './remedies.routes';
export { repairPolicy, setRepairPolicy } from './remedies.policy';
export { RemedyErrors } from './remedies.errors';
export type { ApplicationView } from './remedies.repair';
export type { ObjectionView } from './remedies.objections';
export type { GrantEffects } from './remedies.effects';

import type { Queryable } from '../../platform/db';
import { remediesRepo } from './remedies.repository';

/**
 * Records whose sharing stopped (a granted repair) by instant `at`: the sharing layer and the change
 * feed leave them out.
 */
export async function sharingStoppedAmong(
  db: Queryable,
  recordIds: readonly number[],
  at: Date,
): Promise<Set<number>> {
  return new Set(await remediesRepo.sharingStopped(db, recordIds, at));
}

/** Pending recomputation marks of a subject (evaluation and reports read and clear these). */
export function recomputeMarksOf(db: Queryable, subjectId: number) {
  return remediesRepo.recomputeMarks(db, subjectId);
}
