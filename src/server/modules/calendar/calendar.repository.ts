import type { Queryable } from '../../platform/db';

export interface OverrideRow {
  day: string;
  kind: 'holiday' | 'workday';
  name: string | null;
  created_at: Date;
}

export const calendarRepo = {
  async list(db: Queryable): Promise<OverrideRow[]> {
    const { rows } = await db.query<OverrideRow>(
      'SELECT day, kind, name, created_at FROM calendar_overrides ORDER BY day',
    );
    return rows;
  },
  async upsert(
    db: Queryable,
    o: { day: string; kind: string; name: string | null; now: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO calendar_overrides (day, kind, name, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, created_at = EXCLUDED.created_at`,
      [o.day, o.kind, o.name, o.now],
    );
  },
  async remove(db: Queryable, day: string): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM calendar_overrides WHERE day = $1', [day]);
    return (rowCount ?? 0) > 0;
  },
};
