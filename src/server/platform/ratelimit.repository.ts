import type { Queryable } from './db';

export const rateRepo = {
  /**
   * Counts one request for `key` in a window of `windowMs` (a new window once the old one has
   * passed), atomically across processes; the database clock decides. Returns the count so far and
   * the milliseconds left in the window.
   */
  async increment(db: Queryable, key: string, windowMs: number): Promise<{ count: number; ttl: number }> {
    const { rows } = await db.query<{ count: number; ttl: string }>(
      `WITH now AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::int8 AS ms)
       INSERT INTO rate_counters AS c (key, count, window_start)
       SELECT $1, 1, now.ms FROM now
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN c.window_start + $2 <= (SELECT ms FROM now) THEN 1 ELSE c.count + 1 END,
         window_start = CASE WHEN c.window_start + $2 <= (SELECT ms FROM now) THEN (SELECT ms FROM now)
                             ELSE c.window_start END
       RETURNING count, (window_start + $2 - (SELECT ms FROM now))::int8 AS ttl`,
      [key, windowMs],
    );
    const r = rows[0] as { count: number; ttl: string };
    return { count: r.count, ttl: Math.max(0, Number(r.ttl)) };
  },
  async read(db: Queryable, key: string, windowMs: number): Promise<{ count: number; ttl: number }> {
    const { rows } = await db.query<{ count: number; ttl: string }>(
      `SELECT count, (window_start + $2 - (extract(epoch FROM clock_timestamp()) * 1000)::int8)::int8 AS ttl
         FROM rate_counters WHERE key = $1`,
      [key, windowMs],
    );
    const r = rows[0];
    if (!r || Number(r.ttl) <= 0) return { count: 0, ttl: 0 };
    return { count: r.count, ttl: Number(r.ttl) };
  },
  /** Drops windows that ended before `olderThanMs` ago. */
  async sweep(db: Queryable, olderThanMs: number): Promise<number> {
    const { rowCount } = await db.query(
      `DELETE FROM rate_counters
        WHERE window_start < (extract(epoch FROM clock_timestamp()) * 1000)::int8 - $1`,
      [olderThanMs],
    );
    return rowCount ?? 0;
  },
};
