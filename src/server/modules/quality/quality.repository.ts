import type { Queryable } from '../../platform/db';

export interface CalendarOverrideRow {
  day: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}

export const qualityRepo = {
  /** Holiday / make-up working day corrections the administrator recorded on top of the yearly table. */
  async calendarOverrides(db: Queryable): Promise<CalendarOverrideRow[]> {
    const { rows } = await db.query<CalendarOverrideRow>(
      'SELECT day::text AS day, kind, name FROM calendar_overrides ORDER BY day',
    );
    return rows;
  },
};
