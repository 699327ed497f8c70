import {
  addDays,
  CN_CALENDAR_DATA,
  createCalendar,
  isCivilDate,
  type DayInfo,
  type WorkingDayCalendar,
} from '../../../domain/calendar';
import { changeAwareCache } from '../../platform/commit-bus';
import type { Ctx } from '../../platform/context';
import { defineErrors } from '../../platform/errors';
import { appendEvents } from '../../platform/events';
import { calendarRepo } from './calendar.repository';

export const CalendarErrors = defineErrors({
  DATE_INVALID: {
    kind: 'bad_request',
    zh: '日期 {date} 不存在或格式不对（应为 YYYY-MM-DD）',
    en: 'Date {date} does not exist or is not YYYY-MM-DD',
  },
  OVERRIDE_NOT_FOUND: { kind: 'not_found', zh: '{date} 没有调整记录', en: 'No override on {date}' },
});

// Overrides change a few times a year: the calendar is rebuilt at most every 30 s per process and
// at once after a change made here has committed (the changing transaction reads its own).
const calendar = changeAwareCache((db) =>
  calendarRepo.list(db).then((rows) =>
    createCalendar(
      CN_CALENDAR_DATA,
      rows.map((r) => ({ date: r.day, kind: r.kind, ...(r.name ? { name: r.name } : {}) })),
    ),
  ),
);

/**
 * The working-day calendar in force: statutory holidays and make-up days shipped as data, with the
 * admin's overrides (a newly announced schedule, a local holiday) on top. Every deadline in the
 * platform is computed with this.
 */
export function workingCalendar(ctx: Ctx): Promise<WorkingDayCalendar> {
  return calendar.get(ctx.db);
}

export async function monthDays(ctx: Ctx, from: string, days: number): Promise<DayInfo[]> {
  if (!isCivilDate(from)) throw CalendarErrors.DATE_INVALID({ field: 'from', date: from });
  const cal = await workingCalendar(ctx);
  return Array.from({ length: days }, (_, i) => cal.dayInfo(addDays(from, i)));
}

export async function listOverrides(ctx: Ctx) {
  return (await calendarRepo.list(ctx.db)).map((r) => ({ date: r.day, kind: r.kind, name: r.name }));
}

export async function setOverride(
  ctx: Ctx,
  input: { date: string; kind: 'holiday' | 'workday'; name?: string | null },
) {
  if (!isCivilDate(input.date)) throw CalendarErrors.DATE_INVALID({ field: 'date', date: input.date });
  await calendarRepo.upsert(ctx.db, {
    day: input.date,
    kind: input.kind,
    name: input.name ?? null,
    now: ctx.now,
  });
  calendar.changed(ctx.db);
  await appendEvents(ctx, [
    { type: 'calendar.override_set', entityType: 'calendar', entityId: input.date, payload: input },
  ]);
  return { date: input.date, kind: input.kind, name: input.name ?? null };
}

export async function removeOverride(ctx: Ctx, date: string) {
  if (!isCivilDate(date)) throw CalendarErrors.DATE_INVALID({ field: 'date', date });
  if (!(await calendarRepo.remove(ctx.db, date))) throw CalendarErrors.OVERRIDE_NOT_FOUND({ date });
  calendar.changed(ctx.db);
  await appendEvents(ctx, [
    { type: 'calendar.override_removed', entityType: 'calendar', entityId: date, payload: { date } },
  ]);
}

export function coverage() {
  return createCalendar().coverage();
}
