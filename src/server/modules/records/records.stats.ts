import type { Ctx } from '../../platform/context';
import {
  recordStatsRepo,
  type CreatedByDayRow,
  type FilledRow,
  type MonthCountRow,
} from './records.stats.repository';

export type { CreatedByDayRow, FilledRow, MonthCountRow };

export interface RecordStatsFilter {
  from: Date;
  to: Date;
  departmentId: number | null;
}

/** Records created per department, month, item, decision date and day of submission. */
export function recordsCreatedByDay(ctx: Ctx, f: RecordStatsFilter): Promise<CreatedByDayRow[]> {
  return recordStatsRepo.createdByDay(ctx.db, f);
}

/** How many of the given fields records of an item carry, summed per department and month. */
export function fieldsFilled(
  ctx: Ctx,
  f: RecordStatsFilter & { itemCode: string; keys: string[] },
): Promise<FilledRow[]> {
  return recordStatsRepo.filled(ctx.db, f);
}

export function correctionsByMonth(ctx: Ctx, f: RecordStatsFilter): Promise<MonthCountRow[]> {
  return recordStatsRepo.corrections(ctx.db, f);
}

export function withdrawalsByMonth(ctx: Ctx, f: RecordStatsFilter): Promise<MonthCountRow[]> {
  return recordStatsRepo.withdrawals(ctx.db, f);
}
