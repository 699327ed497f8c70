import type { EventLeaf, SuiteName, Tile, TileRef } from '../../../domain/merkle';
import { tileKey } from '../../../domain/merkle';
import type { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { Queryable, Tx } from '../../platform/db';

/** One writer of the tree at a time, across processes (held to the end of the transaction). */
const LOG_LOCK = 72_736_007;

/**
 * The leaf columns, formatted by the database so that every microsecond of `at` is bound and the
 * text does not depend on the client's time parsing.
 */
const LEAF_COLUMNS = `seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
  actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
  encode(payload_sha256, 'hex') AS payload_sha256`;

/** Column order of eventsBinary. */
export const EVENT_COPY_COLUMNS = [
  'seq',
  'at',
  'actor_kind',
  'actor_id',
  'type',
  'subject_id',
  'entity_type',
  'entity_id',
  'request_id',
  'payload',
  'payload_sha256',
] as const;

interface LeafRow {
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  type: string;
  subject_id: number | null;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
  payload_sha256: string;
}

export interface VerifyRow extends LeafRow {
  payload: string;
}

export const toLeaf = (r: LeafRow): EventLeaf => ({
  seq: r.seq,
  at: r.at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  type: r.type,
  subjectId: r.subject_id,
  entityType: r.entity_type,
  entityId: r.entity_id,
  requestId: r.request_id,
  payloadSha256: r.payload_sha256,
});

export interface CheckpointRow {
  tree_size: number;
  root_hash: Buffer;
  origin: string;
  key_name: string;
  key_id: Buffer;
  suite: SuiteName;
  note: string;
  created_at: Date;
}

const CHECKPOINT_COLUMNS = 'tree_size, root_hash, origin, key_name, key_id, suite, note, created_at';

export const auditRepo = {
  async lock(db: Queryable): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
  },

  async state(db: Queryable): Promise<{ treeSize: number; suite: SuiteName | null }> {
    const { rows } = await db.query<{ tree_size: number; suite: SuiteName | null }>(
      'SELECT tree_size, suite FROM merkle_state WHERE id',
    );
    const row = rows[0];
    return { treeSize: row?.tree_size ?? 0, suite: row?.suite ?? null };
  },

  async setState(db: Queryable, treeSize: number, suite: SuiteName, now: Date): Promise<void> {
    await db.query('UPDATE merkle_state SET tree_size = $1, suite = $2, updated_at = $3 WHERE id', [
      treeSize,
      suite,
      now,
    ]);
  },

  /** Events with seq ≥ fromSeq in order, as leaves. */
  async leavesFrom(db: Queryable, fromSeq: number, limit: number): Promise<EventLeaf[]> {
    const { rows } = await db.query<LeafRow>(
      `SELECT ${LEAF_COLUMNS} FROM events WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [fromSeq, limit],
    );
    return rows.map(toLeaf);
  },

  async leaf(db: Queryable, seq: number): Promise<EventLeaf | undefined> {
    const { rows } = await db.query<LeafRow>(`SELECT ${LEAF_COLUMNS} FROM events WHERE seq = $1`, [seq]);
    return rows[0] ? toLeaf(rows[0]) : undefined;
  },

  /**
   * Events with their payloads, as leaves are built from them (the reference the verifier's bulk
   * reader falls back to and is tested against), in seq order.
   */
  async eventsForVerify(db: Queryable, seqs: readonly number[]): Promise<VerifyRow[]> {
    if (!seqs.length) return [];
    const { rows } = await db.query<VerifyRow>(
      `SELECT ${LEAF_COLUMNS}, payload FROM events WHERE seq = ANY($1::int8[]) ORDER BY seq`,
      [seqs],
    );
    return rows;
  },

  /**
   * Events seq in [fromSeq, toSeq], in seq order, as a binary COPY stream (see audit.copy.ts) of the
   * columns EVENT_COPY_COLUMNS names, raw: `at` as int8 microseconds since 2000-01-01 UTC, the hash as
   * bytea. For bulk verification; needs a connection of its own.
   */
  eventsBinary(client: Tx, fromSeq: number, toSeq: number): Readable {
    if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq))
      throw new RangeError('event range must be integers');
    return client.query(
      copyStreams.to(
        `COPY (SELECT ${EVENT_COPY_COLUMNS.join(', ')} FROM events
                WHERE seq BETWEEN ${fromSeq} AND ${toSeq} ORDER BY seq) TO STDOUT (FORMAT binary)`,
      ),
    );
  },

  async maxSeq(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ max: number | null }>('SELECT max(seq) AS max FROM events');
    return rows[0]?.max ?? 0;
  },

  async tiles(db: Queryable, refs: readonly TileRef[]): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    if (refs.length === 0) return out;
    const { rows } = await db.query<{ level: number; idx: number; hashes: Buffer }>(
      `SELECT t.level, t.idx, t.hashes FROM merkle_tiles t
         JOIN unnest($1::int2[], $2::int8[]) AS r(level, idx) ON t.level = r.level AND t.idx = r.idx`,
      [refs.map((r) => r.level), refs.map((r) => r.index)],
    );
    for (const r of rows) out.set(tileKey(r.level, r.idx), r.hashes);
    return out;
  },

  /**
   * Writes new and grown tiles. A stored tile may only be replaced by a longer one that starts with
   * it (the tree is append-only); anything else means the stored tree is not what this writer thinks.
   */
  async putTiles(db: Queryable, tiles: readonly Tile[]): Promise<void> {
    if (tiles.length === 0) return;
    const { rowCount } = await db.query(
      `INSERT INTO merkle_tiles (level, idx, hashes)
       SELECT * FROM unnest($1::int2[], $2::int8[], $3::bytea[])
       ON CONFLICT (level, idx) DO UPDATE SET hashes = EXCLUDED.hashes
         WHERE length(EXCLUDED.hashes) > length(merkle_tiles.hashes)
           AND substr(EXCLUDED.hashes, 1, length(merkle_tiles.hashes)) = merkle_tiles.hashes`,
      [tiles.map((t) => t.level), tiles.map((t) => t.index), tiles.map((t) => Buffer.from(t.hashes))],
    );
    if (rowCount !== tiles.length)
      throw new Error('merkle_tiles: a stored tile is not a prefix of its new content');
  },

  async insertCheckpoint(
    db: Queryable,
    c: Omit<CheckpointRow, 'created_at'> & { createdAt: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.tree_size, c.root_hash, c.origin, c.key_name, c.key_id, c.suite, c.note, c.createdAt],
    );
  },

  async latestCheckpoint(db: Queryable): Promise<CheckpointRow | undefined> {
    const { rows } = await db.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints ORDER BY tree_size DESC LIMIT 1`,
    );
    return rows[0];
  },

  async checkpointAt(db: Queryable, treeSize: number): Promise<CheckpointRow | undefined> {
    const { rows } = await db.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE tree_size = $1`,
      [treeSize],
    );
    return rows[0];
  },

  /** Checkpoints with tree size ≥ from, smallest first. */
  async checkpointsFrom(db: Queryable, from: number, limit: number): Promise<CheckpointRow[]> {
    const { rows } = await db.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT $2`,
      [from, limit],
    );
    return rows;
  },
};
