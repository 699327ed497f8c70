import type { Ctx } from '../../platform/context';
import { rowStats, type RowStatsRow } from './ingest.repository';

export type BatchRowStats = RowStatsRow;

/**
 * What departments submitted through the collection hub, per department and month: rows, their
 * outcomes, name/code mismatches and subjects registered by collection. Failed batches count
 * (their rows were submitted and judged); batches still processing do not.
 */
export async function batchRowStats(
  ctx: Ctx,
  f: { from: Date; to: Date; departmentId: number | null },
): Promise<BatchRowStats[]> {
  return rowStats(ctx.db, f);
}
