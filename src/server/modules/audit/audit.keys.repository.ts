import type { Queryable } from '../../platform/db';
import { rotationProgressRepo } from '../../platform/rotation.repository';

/** Rows holding field-key ciphertexts, read and rewritten in primary-key order by the rotation job. */
export interface CipherRow {
  id: number;
  /** For record_versions: the version (the key is (record_id, version)). */
  version?: number;
  blobs: (Buffer | null)[];
  payload?: Record<string, unknown>;
  /** A value stored whole, sealed or (from before sealing) in clear: platform/sealed.ts. */
  json?: unknown;
}

export const keysRepo = {
  ...rotationProgressRepo('field_key_rotation'),
  async count(db: Queryable, target: string): Promise<number> {
    const sql: Record<string, string> = {
      'users.totp':
        'SELECT count(*)::int8 AS n FROM users WHERE totp_secret_cipher IS NOT NULL OR totp_pending_cipher IS NOT NULL',
      'subjects.id_cipher': 'SELECT count(*)::int8 AS n FROM subjects WHERE id_cipher IS NOT NULL',
      'records.payload': 'SELECT count(*)::int8 AS n FROM records',
      'record_versions.payload': 'SELECT count(DISTINCT record_id)::int8 AS n FROM record_versions',
      'ingest_batch_rows.cells':
        'SELECT count(DISTINCT batch_id)::int8 AS n FROM ingest_batch_rows WHERE cells IS NOT NULL',
    };
    const { rows } = await db.query<{ n: number }>(sql[target] as string);
    return Number(rows[0]?.n ?? 0);
  },
  /** The next batch after `after` (by id; record_versions: by record id, all its versions), locked. */
  async batch(db: Queryable, target: string, after: number, limit: number): Promise<CipherRow[]> {
    switch (target) {
      case 'users.totp': {
        const { rows } = await db.query<{ id: number; s: Buffer | null; p: Buffer | null }>(
          `SELECT id, totp_secret_cipher AS s, totp_pending_cipher AS p FROM users
            WHERE id > $1 AND (totp_secret_cipher IS NOT NULL OR totp_pending_cipher IS NOT NULL)
            ORDER BY id LIMIT $2 FOR UPDATE`,
          [after, limit],
        );
        return rows.map((r) => ({ id: r.id, blobs: [r.s, r.p] }));
      }
      case 'subjects.id_cipher': {
        const { rows } = await db.query<{ id: number; c: Buffer }>(
          `SELECT id, id_cipher AS c FROM subjects WHERE id > $1 AND id_cipher IS NOT NULL
            ORDER BY id LIMIT $2 FOR UPDATE`,
          [after, limit],
        );
        return rows.map((r) => ({ id: r.id, blobs: [r.c] }));
      }
      case 'records.payload': {
        const { rows } = await db.query<{ id: number; payload: Record<string, unknown> }>(
          'SELECT id, payload FROM records WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE',
          [after, limit],
        );
        return rows.map((r) => ({ id: r.id, blobs: [], payload: r.payload }));
      }
      case 'record_versions.payload': {
        const { rows } = await db.query<{
          record_id: number;
          version: number;
          payload: Record<string, unknown>;
        }>(
          `SELECT record_id, version, payload FROM record_versions
            WHERE record_id IN (SELECT DISTINCT record_id FROM record_versions WHERE record_id > $1
                                 ORDER BY record_id LIMIT $2)
            ORDER BY record_id, version FOR UPDATE`,
          [after, limit],
        );
        return rows.map((r) => ({ id: r.record_id, version: r.version, blobs: [], payload: r.payload }));
      }
      case 'ingest_batch_rows.cells': {
        // By batch, all its stored rows (the key is (batch_id, row_no)); `version` holds the row.
        const { rows } = await db.query<{ batch_id: number; row_no: number; cells: unknown }>(
          `SELECT batch_id, row_no, cells FROM ingest_batch_rows
            WHERE cells IS NOT NULL
              AND batch_id IN (SELECT DISTINCT batch_id FROM ingest_batch_rows
                                WHERE batch_id > $1 AND cells IS NOT NULL ORDER BY batch_id LIMIT $2)
            ORDER BY batch_id, row_no FOR UPDATE`,
          [after, limit],
        );
        return rows.map((r) => ({ id: r.batch_id, version: r.row_no, blobs: [], json: r.cells }));
      }
      default:
        throw new Error(`unknown rotation target ${target}`);
    }
  },
  /** Writes a row back; for record payloads returns the stored payload's jsonb text. */
  async update(db: Queryable, target: string, row: CipherRow): Promise<string | null> {
    switch (target) {
      case 'users.totp':
        await db.query('UPDATE users SET totp_secret_cipher = $2, totp_pending_cipher = $3 WHERE id = $1', [
          row.id,
          row.blobs[0],
          row.blobs[1],
        ]);
        return null;
      case 'subjects.id_cipher':
        await db.query('UPDATE subjects SET id_cipher = $2 WHERE id = $1', [row.id, row.blobs[0]]);
        return null;
      case 'records.payload': {
        const { rows } = await db.query<{ p: string }>(
          'UPDATE records SET payload = $2 WHERE id = $1 RETURNING payload::text AS p',
          [row.id, JSON.stringify(row.payload)],
        );
        return rows[0]?.p ?? null;
      }
      case 'record_versions.payload': {
        const { rows } = await db.query<{ p: string }>(
          `UPDATE record_versions SET payload = $3 WHERE record_id = $1 AND version = $2
           RETURNING payload::text AS p`,
          [row.id, row.version, JSON.stringify(row.payload)],
        );
        return rows[0]?.p ?? null;
      }
      case 'ingest_batch_rows.cells':
        await db.query('UPDATE ingest_batch_rows SET cells = $3 WHERE batch_id = $1 AND row_no = $2', [
          row.id,
          row.version,
          JSON.stringify(row.json),
        ]);
        return null;
      default:
        throw new Error(`unknown rotation target ${target}`);
    }
  },
};
