import type { Queryable } from '../../platform/db';

/** A natural person whose blind index is not (known to be) under the current blind key. */
export interface StaleBlindRow {
  id: number;
  id_cipher: Buffer | null;
  id_blind: Buffer;
}

export interface BlindRotationProgress {
  target: string;
  key_id: string;
  last_id: number;
  done: number;
  finished: boolean;
}

/** Rows under another blind key than `keyId`, or of unknown key (NULL: written before migration 0022). */
const STALE = 'id_blind IS NOT NULL AND id_blind_key IS DISTINCT FROM $1::bytea';

export const blindKeysRepo = {
  async progress(db: Queryable, target: string): Promise<BlindRotationProgress | undefined> {
    const { rows } = await db.query<BlindRotationProgress>(
      'SELECT target, key_id, last_id, done, finished FROM blind_key_rotation WHERE target = $1',
      [target],
    );
    return rows[0];
  },
  async saveProgress(db: Queryable, p: BlindRotationProgress, now: Date): Promise<void> {
    await db.query(
      `INSERT INTO blind_key_rotation (target, key_id, last_id, done, finished, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (target) DO UPDATE SET key_id = $2, last_id = $3, done = $4, finished = $5, updated_at = $6`,
      [p.target, p.key_id, p.last_id, p.done, p.finished, now],
    );
  },
  /** Natural persons whose blind index is not under key `keyId`. */
  async countStale(db: Queryable, keyId: Buffer): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int8 AS n FROM subjects WHERE ${STALE}`,
      [keyId],
    );
    return rows[0]?.n ?? 0;
  },
  /** The next stale rows after subject `after`, in id order, locked until the batch commits. */
  async staleBatch(db: Queryable, keyId: Buffer, after: number, limit: number): Promise<StaleBlindRow[]> {
    const { rows } = await db.query<StaleBlindRow>(
      `SELECT id, id_cipher, id_blind FROM subjects WHERE ${STALE} AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE`,
      [keyId, after, limit],
    );
    return rows;
  },
  /** Which subjects already hold these blind-index values. */
  async holders(db: Queryable, blinds: readonly Buffer[]): Promise<{ id: number; id_blind: Buffer }[]> {
    if (!blinds.length) return [];
    const { rows } = await db.query<{ id: number; id_blind: Buffer }>(
      'SELECT id, id_blind FROM subjects WHERE id_blind = ANY($1::bytea[])',
      [blinds],
    );
    return rows;
  },
  /** Sets each row's blind index and the key it was made with. */
  async update(db: Queryable, rows: readonly { id: number; blind: Buffer }[], keyId: Buffer): Promise<void> {
    if (!rows.length) return;
    await db.query(
      `UPDATE subjects s SET id_blind = u.b, id_blind_key = $3
         FROM unnest($1::int8[], $2::bytea[]) AS u(id, b) WHERE s.id = u.id`,
      [rows.map((r) => r.id), rows.map((r) => r.blind), keyId],
    );
  },
};
