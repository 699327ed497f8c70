import type { Queryable } from './db';

/**
 * Progress of a resumable key-rotation job (`xinyong rotate-field-key`, `xinyong rotate-blind-key`):
 * one row per column it walks, the last id done under key `key_id`. Each job keeps its own table
 * (migrations 0017 and 0022); the rows have the same shape.
 */
export interface RotationProgress {
  target: string;
  key_id: string;
  last_id: number;
  done: number;
  finished: boolean;
}

export type RotationTable = 'field_key_rotation' | 'blind_key_rotation';

export function rotationProgressRepo(table: RotationTable) {
  return {
    async progress(db: Queryable, target: string): Promise<RotationProgress | undefined> {
      const { rows } = await db.query<RotationProgress>(
        `SELECT target, key_id, last_id, done, finished FROM ${table} WHERE target = $1`,
        [target],
      );
      return rows[0];
    },
    async saveProgress(db: Queryable, p: RotationProgress, now: Date): Promise<void> {
      await db.query(
        `INSERT INTO ${table} (target, key_id, last_id, done, finished, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (target) DO UPDATE SET key_id = $2, last_id = $3, done = $4, finished = $5, updated_at = $6`,
        [p.target, p.key_id, p.last_id, p.done, p.finished, now],
      );
    },
  };
}
