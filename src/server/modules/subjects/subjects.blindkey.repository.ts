import type { Queryable } from '../../platform/db';
import { rotationProgressRepo } from '../../platform/rotation.repository';

/** A natural person whose blind index is not (known to be) under the current blind key. */
export interface StaleBlindRow {
  id: number;
  id_cipher: Buffer | null;
  id_blind: Buffer;
}

/** Rows under another blind key than `keyId`, or of unknown key (NULL: written before migration 0022). */
const STALE = 'id_blind IS NOT NULL AND id_blind_key IS DISTINCT FROM $1::bytea';

export const blindKeysRepo = {
  ...rotationProgressRepo('blind_key_rotation'),
  /** Natural persons (rows with a blind index) by the hex id of the key it was made with (null: unknown). */
  async byKey(db: Queryable): Promise<{ key_id: string | null; n: number }[]> {
    const { rows } = await db.query<{ key_id: string | null; n: number }>(
      `SELECT encode(id_blind_key, 'hex') AS key_id, count(*)::int AS n FROM subjects
        WHERE id_blind IS NOT NULL GROUP BY 1`,
    );
    return rows;
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
