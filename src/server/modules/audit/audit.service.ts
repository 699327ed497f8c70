import {
  appendLeaves,
  bytesEqual,
  consistencyRanges,
  eventLeafJson,
  formatCheckpoint,
  hashRange,
  inclusionRanges,
  keyIdHex,
  perfectSubtrees,
  rightEdgeTiles,
  tileSource,
  tilesFor,
  toBase64,
  toHex,
  type EventLeaf,
  type Range,
  type SuiteName,
  type TreeHasher,
} from '../../../domain/merkle';
import type { Actor } from '../../platform/context';
import { type Pool, type Queryable, withTransaction } from '../../platform/db';
import { suiteHasher, signNote, type LogSigner } from './audit.crypto';
import { AuditErrors } from './audit.errors';
import { DEFAULT_LOG_SUITE } from './audit.settings';
import { auditRepo, type CheckpointRow } from './audit.repository';

/*
 * The transparency log over `events`: each event is a leaf (see domain/merkle/leaf.ts), leaf index =
 * seq − 1. advanceLog() appends new events to the stored tiles; checkpoint() signs the current tree
 * head as a C2SP checkpoint. Proofs are computed from O(log n) tiles, never from all leaves.
 */

/** Events per append transaction; a multiple of 256 keeps level-0 tiles whole between batches. */
const APPEND_BATCH = 32_768;

export interface AdvanceResult {
  treeSize: number;
  appended: number;
}

/**
 * Incorporates new events (seq > tree size), in seq order, in batches; each batch is one transaction
 * under the log's advisory lock, so concurrent callers (two servers, the CLI) serialise and never
 * append the same event twice. Stops at the first missing seq: a gap is refused, not skipped.
 */
export async function advanceLog(
  pool: Pool,
  opts: { suite?: SuiteName; batchSize?: number; now?: () => Date } = {},
): Promise<AdvanceResult> {
  const suite = opts.suite ?? DEFAULT_LOG_SUITE;
  const h = suiteHasher(suite);
  const batchSize = opts.batchSize ?? APPEND_BATCH;
  const now = opts.now ?? (() => new Date());
  let appended = 0;
  for (;;) {
    const step = await withTransaction(pool, async (tx) => {
      await auditRepo.lock(tx);
      const state = await auditRepo.state(tx);
      if (state.suite && state.suite !== suite)
        throw AuditErrors.SUITE_MISMATCH({ stored: state.suite, configured: suite });
      const leaves = await auditRepo.leavesFrom(tx, state.treeSize + 1, batchSize);
      let n = 0;
      while (n < leaves.length && leaves[n]?.seq === state.treeSize + 1 + n) n++;
      if (n === 0 && leaves.length > 0) throw AuditErrors.LOG_GAP({ seq: state.treeSize + 1 });
      if (n === 0) return { size: state.treeSize, added: 0 };
      const hashes = new Uint8Array(n * h.size);
      leaves.slice(0, n).forEach((leaf, i) => hashes.set(h.leafOfText(eventLeafJson(leaf)), i * h.size));
      const partials = await auditRepo.tiles(tx, rightEdgeTiles(state.treeSize));
      await auditRepo.putTiles(tx, appendLeaves(h, state.treeSize, hashes, partials));
      await auditRepo.setState(tx, state.treeSize + n, suite, now());
      return { size: state.treeSize + n, added: n };
    });
    appended += step.added;
    if (step.added < batchSize) return { treeSize: step.size, appended };
  }
}

/** Reads the tiles for a set of leaf ranges once and returns MTH of each. */
async function rangeHashes(db: Queryable, h: TreeHasher, ranges: readonly Range[]): Promise<Uint8Array[]> {
  const subtrees = ranges.flatMap(([lo, hi]) => perfectSubtrees(lo, hi));
  const source = tileSource(h, await auditRepo.tiles(db, tilesFor(subtrees)));
  return ranges.map(([lo, hi]) => hashRange(h, lo, hi, source));
}

/** The stored tree; `empty`: the suite of a tree nothing was appended to yet (it records none). */
async function treeOf(
  db: Queryable,
  empty: SuiteName = DEFAULT_LOG_SUITE,
): Promise<{ treeSize: number; suite: SuiteName; h: TreeHasher }> {
  const state = await auditRepo.state(db);
  const suite = state.suite ?? empty;
  return { treeSize: state.treeSize, suite, h: suiteHasher(suite) };
}

export interface CheckpointView {
  origin: string;
  treeSize: number;
  rootHash: string;
  keyName: string;
  keyId: string;
  suite: SuiteName;
  createdAt: string;
  note: string;
}

export const toCheckpointView = (r: CheckpointRow): CheckpointView => ({
  origin: r.origin,
  treeSize: r.tree_size,
  rootHash: r.root_hash.toString('hex'),
  keyName: r.key_name,
  keyId: r.key_id.toString('hex'),
  suite: r.suite,
  createdAt: r.created_at.toISOString(),
  note: r.note,
});

/**
 * Signs the current tree head if the tree has grown since the last checkpoint. Before signing it
 * checks that the stored tree still has the previous checkpoint's root at that size (a log must never
 * sign two inconsistent heads), so damage to the tiles stops the log instead of being signed over.
 */
export async function checkpoint(
  pool: Pool,
  signer: LogSigner,
  opts: { origin: string; now: Date },
): Promise<CheckpointView | null> {
  return withTransaction(pool, async (tx) => {
    await auditRepo.lock(tx);
    const { treeSize, suite, h } = await treeOf(tx, signer.suite);
    if (suite !== signer.suite) throw AuditErrors.SUITE_MISMATCH({ stored: suite, configured: signer.suite });
    const latest = await auditRepo.latestCheckpoint(tx);
    if (treeSize === 0 || (latest && latest.tree_size >= treeSize)) return null;
    const ranges: Range[] = latest
      ? [
          [0, latest.tree_size],
          [0, treeSize],
        ]
      : [[0, treeSize]];
    const roots = await rangeHashes(tx, h, ranges);
    if (latest && !bytesEqual(roots[0] as Uint8Array, latest.root_hash))
      throw AuditErrors.LOG_INCONSISTENT({ treeSize: latest.tree_size });
    const rootHash = roots[roots.length - 1] as Uint8Array;
    const note = signNote(signer, formatCheckpoint({ origin: opts.origin, size: treeSize, rootHash }));
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(signer.keyId);
    const row = {
      tree_size: treeSize,
      root_hash: Buffer.from(rootHash),
      origin: opts.origin,
      key_name: signer.name,
      key_id: keyId,
      suite,
      note,
    };
    await auditRepo.insertCheckpoint(tx, { ...row, createdAt: opts.now });
    return toCheckpointView({ ...row, created_at: opts.now });
  });
}

/**
 * Refuses a stored tree built by another suite than the configured one (XINYONG_LOG_SUITE): the
 * tree records its suite at the first append, and the two are never mixed. Run at the server's
 * start (verifyLog checks the same on the tree state it reads anyway).
 */
export async function checkLogSuite(db: Queryable, configured: SuiteName): Promise<void> {
  const { suite } = await auditRepo.state(db);
  if (suite !== null && suite !== configured) throw AuditErrors.SUITE_MISMATCH({ stored: suite, configured });
}

export async function latestCheckpoint(db: Queryable): Promise<CheckpointView> {
  const row = await auditRepo.latestCheckpoint(db);
  if (!row) throw AuditErrors.NO_CHECKPOINT();
  return toCheckpointView(row);
}

export async function listCheckpoints(db: Queryable, from: number, limit: number): Promise<CheckpointView[]> {
  return (await auditRepo.checkpointsFrom(db, from, limit)).map(toCheckpointView);
}

export interface InclusionProofView {
  suite: SuiteName;
  seq: number;
  leafIndex: number;
  treeSize: number;
  /** The event's leaf as stored now (canonical JSON); null if the event row is gone or withheld. */
  leaf: string | null;
  /** The caller may not see the leaf's metadata (mayReadLeaf): only its hash is proved. */
  leafWithheld: boolean;
  /** The leaf hash recorded in the tree; H(0x00 ‖ UTF-8(leaf)) must equal it. */
  leafHash: string;
  auditPath: string[];
  rootHash: string;
  checkpoint: string | null;
}

/**
 * Whether `actor` may see an event's leaf metadata (type, time, actor, subject and entity ids): for
 * a natural person that reveals *that* something happened about them or who looked at them, for an
 * organisation a pending listing or an objection before anything is public. Auditors and platform
 * administrators see every leaf (as `/entries`), a subject the leaves of its own events, a user or
 * API key the leaves of the events it wrote, the platform's own processes (`system`) all; anyone
 * else gets the proof of the leaf hash alone.
 */
export function mayReadLeaf(actor: Actor, leaf: EventLeaf): boolean {
  switch (actor.kind) {
    case 'system':
      return true;
    case 'user':
      return (
        actor.roles.includes('auditor') ||
        actor.roles.includes('platform_admin') ||
        (actor.subjectId != null && leaf.subjectId === actor.subjectId) ||
        (leaf.actorKind === 'user' && leaf.actorId === String(actor.userId))
      );
    case 'apikey':
      return leaf.actorKind === 'apikey' && leaf.actorId === String(actor.keyId);
    case 'public':
      return false;
  }
}

/** Proof that event `seq` is leaf seq−1 of the tree of `treeSize` (default: the latest checkpoint). */
export async function inclusionProof(
  db: Queryable,
  seq: number,
  treeSize: number | undefined,
  actor: Actor,
): Promise<InclusionProofView> {
  const [tree, latest, leaf] = await Promise.all([
    treeOf(db),
    treeSize === undefined ? auditRepo.latestCheckpoint(db) : undefined,
    auditRepo.leaf(db, seq),
  ]);
  const size = treeSize ?? latest?.tree_size ?? tree.treeSize;
  if (size > tree.treeSize)
    throw AuditErrors.TREE_SIZE_OUT_OF_RANGE({ treeSize: size, logSize: tree.treeSize });
  if (seq < 1 || seq > size) throw AuditErrors.SEQ_OUT_OF_RANGE({ seq, treeSize: size });
  // The proof is about the logged leaf hash; the event row is returned beside it so that a verifier
  // can see whether today's data still hashes to what was logged.
  const shown = leaf !== undefined && mayReadLeaf(actor, leaf);
  const path = inclusionRanges(seq - 1, size);
  const [hashes, cp] = await Promise.all([
    rangeHashes(db, tree.h, [...path, [seq - 1, seq], [0, size]]),
    latest?.tree_size === size ? latest : auditRepo.checkpointAt(db, size),
  ]);
  return {
    suite: tree.suite,
    seq,
    leafIndex: seq - 1,
    treeSize: size,
    leaf: leaf && shown ? eventLeafJson(leaf) : null,
    leafWithheld: leaf !== undefined && !shown,
    leafHash: toHex(hashes[path.length] as Uint8Array),
    auditPath: hashes.slice(0, path.length).map(toHex),
    rootHash: toHex(hashes[path.length + 1] as Uint8Array),
    checkpoint: cp?.note ?? null,
  };
}

export interface ConsistencyProofView {
  suite: SuiteName;
  first: number;
  second: number;
  firstRoot: string;
  secondRoot: string;
  proof: string[];
  firstCheckpoint: string | null;
  secondCheckpoint: string | null;
}

export async function consistencyProof(
  db: Queryable,
  first: number,
  second: number,
): Promise<ConsistencyProofView> {
  const tree = await treeOf(db);
  if (first < 1 || first > second) throw AuditErrors.CONSISTENCY_RANGE({ first, second });
  if (second > tree.treeSize)
    throw AuditErrors.TREE_SIZE_OUT_OF_RANGE({ treeSize: second, logSize: tree.treeSize });
  const ranges = consistencyRanges(first, second);
  const [hashes, cp1, cp2] = await Promise.all([
    rangeHashes(db, tree.h, [...ranges, [0, first], [0, second]]),
    auditRepo.checkpointAt(db, first),
    auditRepo.checkpointAt(db, second),
  ]);
  return {
    suite: tree.suite,
    first,
    second,
    firstRoot: toHex(hashes[hashes.length - 2] as Uint8Array),
    secondRoot: toHex(hashes[hashes.length - 1] as Uint8Array),
    proof: hashes.slice(0, -2).map(toHex),
    firstCheckpoint: cp1?.note ?? null,
    secondCheckpoint: cp2?.note ?? null,
  };
}

export interface EntryView {
  seq: number;
  leafIndex: number;
  /** Canonical JSON of the event's leaf as stored now; null if the event row is gone. */
  leaf: string | null;
  /** The hash recorded in the tree for this leaf index. */
  leafHash: string;
}

/**
 * Logged entries from seq `from` (up to the tree size): event metadata and payload hash only, never
 * the payload, with the leaf hash the tree recorded for each (from the level-0 tiles).
 */
export async function entries(
  db: Queryable,
  from: number,
  limit: number,
): Promise<{ treeSize: number; entries: EntryView[] }> {
  const tree = await treeOf(db);
  const n = Math.max(0, Math.min(limit, tree.treeSize - from + 1));
  if (n === 0) return { treeSize: tree.treeSize, entries: [] };
  const ranges: Range[] = Array.from({ length: n }, (_, i) => [from - 1 + i, from + i]);
  const [leaves, hashes] = await Promise.all([
    auditRepo.leavesFrom(db, from, n),
    rangeHashes(db, tree.h, ranges),
  ]);
  const bySeq = new Map(leaves.map((l) => [l.seq, l]));
  return {
    treeSize: tree.treeSize,
    entries: hashes.map((hash, i) => {
      const leaf = bySeq.get(from + i);
      return {
        seq: from + i,
        leafIndex: from - 1 + i,
        leaf: leaf ? eventLeafJson(leaf) : null,
        leafHash: toHex(hash),
      };
    }),
  };
}

export interface PublishedKey {
  name: string;
  keyId: string;
  suite: SuiteName;
  algorithm: string;
  vkey: string;
  publicKey: string;
  publicKeyPem: string;
}

export function publishedKey(signer: LogSigner): PublishedKey {
  const ed = signer.suite === 'sha256-ed25519';
  return {
    name: signer.name,
    keyId: keyIdHex(signer.keyId),
    suite: signer.suite,
    algorithm: ed ? 'Ed25519' : 'SM2-with-SM3',
    vkey: signer.vkey,
    publicKey: toBase64(
      ed ? signer.keyData.subarray(1) : signer.publicKey.export({ format: 'der', type: 'spki' }),
    ),
    publicKeyPem: String(signer.publicKey.export({ format: 'pem', type: 'spki' })),
  };
}
