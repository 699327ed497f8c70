import {
  TILE_WIDTH,
  appendLeaves,
  bytesEqual,
  eventLeafJson,
  hashRange,
  parseCheckpoint,
  tileKey,
  tileSource,
  toHex,
  type Tile,
  type TreeHasher,
} from '../../../domain/merkle';
import type { Queryable } from '../../platform/db';
import { openNote, sha256Hex, suiteHasher, type LogKey } from './audit.crypto';
import { auditRepo, toLeaf, type CheckpointRow, type VerifyRow } from './audit.repository';
import { DEFAULT_SUITE } from './audit.service';

/**
 * Full, independent verification of the log, for `xinyong verify-log`: reads every event in seq
 * order, recomputes payload hashes, leaves and the whole tree, and checks every stored tile above the
 * leaves and every checkpoint (signature by a trusted key, and root). It trusts nothing but the keys
 * it is given; it names the first broken entry.
 *
 * When an event no longer matches its logged leaf (or is gone), the logged leaf hash is used to go on,
 * so that each later checkpoint is judged on its own and one edit is reported once.
 */
export type ProblemKind =
  | 'missing_event'
  | 'payload_hash'
  | 'leaf_mismatch'
  | 'tree_tile'
  | 'tree_state'
  | 'checkpoint_root'
  | 'checkpoint_signature'
  | 'checkpoint_format'
  | 'checkpoint_unverifiable';

export interface VerifyProblem {
  kind: ProblemKind;
  /** The broken entry, or the first entry of the range that must contain it. */
  seq: number;
  /** Set when only a range can be named (e.g. a checkpoint root that does not match). */
  lastSeq?: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  suite: string;
  events: number;
  treeSize: number;
  checkpoints: number;
  firstBrokenSeq: number | null;
  problems: VerifyProblem[];
  problemCount: number;
  seconds: number;
}

export interface VerifyOptions {
  trusted: readonly LogKey[];
  batchSize?: number;
  maxProblems?: number;
  onProgress?: (seq: number, last: number) => void;
}

const CHECKPOINT_PAGE = 1000;

export async function verifyLog(db: Queryable, opts: VerifyOptions): Promise<VerifyReport> {
  if (opts.trusted.length === 0) throw new Error('verify-log needs at least one trusted key');
  const started = performance.now();
  const state = await auditRepo.state(db);
  const suite = state.suite ?? DEFAULT_SUITE;
  const h = suiteHasher(suite);
  const treeSize = state.treeSize;
  const last = Math.max(treeSize, await auditRepo.maxSeq(db));
  const batch = Math.max(TILE_WIDTH, Math.floor((opts.batchSize ?? 8192) / TILE_WIDTH) * TILE_WIDTH);
  const maxProblems = opts.maxProblems ?? 20;

  const problems: VerifyProblem[] = [];
  let problemCount = 0;
  const report = (p: VerifyProblem): void => {
    problemCount++;
    if (problems.length < maxProblems) problems.push(p);
  };

  const partials = new Map<string, Uint8Array>(); // right-edge tiles of the recomputed tree
  let size = 0; // leaves recomputed so far
  let treeStopped = false; // a leaf could not be recovered: later tree checks are impossible
  let events = 0;
  let checkpoints = 0;
  let prevCheckpoint = 0;
  const badTiles = new Set<string>(); // a growing tile is compared at each append; report it once

  const pages = checkpointPages(db);
  let nextCp = await pages.next();

  const checkCheckpoint = async (cp: CheckpointRow): Promise<void> => {
    checkpoints++;
    const range = { seq: prevCheckpoint + 1, lastSeq: cp.tree_size };
    prevCheckpoint = cp.tree_size;
    try {
      const { text } = openNote(cp.note, opts.trusted);
      const body = parseCheckpoint(text);
      if (
        body.size !== cp.tree_size ||
        body.origin !== cp.origin ||
        !bytesEqual(body.rootHash, cp.root_hash) ||
        cp.suite !== suite
      )
        report({
          kind: 'checkpoint_format',
          ...range,
          message: `checkpoint ${cp.tree_size}: stored columns differ from its signed note`,
        });
      if (cp.tree_size > treeSize)
        report({
          kind: 'tree_state',
          ...range,
          message: `checkpoint ${cp.tree_size} is beyond the stored tree size ${treeSize}`,
        });
      if (treeStopped || size !== cp.tree_size) {
        report({
          kind: 'checkpoint_unverifiable',
          ...range,
          message: `checkpoint ${cp.tree_size}: the tree cannot be recomputed up to it`,
        });
        return;
      }
      const root = hashRange(h, 0, size, tileSource(h, partials));
      if (!bytesEqual(root, body.rootHash))
        report({
          kind: 'checkpoint_root',
          ...range,
          message: `checkpoint ${cp.tree_size}: the events do not hash to its signed root; an entry in seq ${range.seq}..${range.lastSeq} was altered`,
        });
    } catch (err) {
      report({
        kind: 'checkpoint_signature',
        ...range,
        message: `checkpoint ${cp.tree_size}: ${(err as Error).message}`,
      });
    }
  };

  /** Appends recomputed leaf hashes, compares the tiles above the leaves with the stored ones. */
  const append = async (hashes: Uint8Array): Promise<void> => {
    const tiles = appendLeaves(h, size, hashes, partials);
    size += hashes.length / h.size;
    for (const t of tiles) {
      if (t.hashes.length < TILE_WIDTH * h.size) partials.set(tileKey(t.level, t.index), t.hashes);
      else partials.delete(tileKey(t.level, t.index));
    }
    await compareUpperTiles(
      db,
      h,
      treeSize,
      tiles.filter((t) => t.level > 0),
      badTiles,
      report,
    );
  };

  const fetch = (lo: number): Promise<VerifyRow[]> => {
    const rows = auditRepo.eventsForVerify(db, lo, Math.min(lo + batch - 1, last));
    rows.catch(() => undefined); // awaited on the next round; do not let it count as unhandled meanwhile
    return rows;
  };
  let pending = last >= 1 ? fetch(1) : null;
  for (let lo = 1; lo <= last; lo += batch) {
    const hi = Math.min(lo + batch - 1, last);
    const [rows, logged] = await Promise.all([
      pending as Promise<VerifyRow[]>,
      loggedLeaves(db, h, lo, Math.min(hi, treeSize)),
    ]);
    pending = hi < last ? fetch(hi + 1) : null; // overlap the next read with this batch's hashing
    let segment: Uint8Array[] = [];
    let p = 0;
    for (let seq = lo; seq <= hi; seq++) {
      const row = rows[p]?.seq === seq ? rows[p++] : undefined;
      const loggedHash = seq <= treeSize ? logged.get(seq) : undefined;
      let leafHash: Uint8Array | undefined;
      if (!row) {
        report({ kind: 'missing_event', seq, message: `event ${seq} is missing` });
        leafHash = loggedHash;
      } else {
        events++;
        if (sha256Hex(row.payload) !== row.payload_sha256)
          report({
            kind: 'payload_hash',
            seq,
            message: `event ${seq}: payload does not match its payload_sha256`,
          });
        leafHash = h.leafOfText(eventLeafJson(toLeaf(row)));
        if (seq <= treeSize && !loggedHash) {
          report({ kind: 'tree_tile', seq, message: `event ${seq}: no leaf hash stored in the tree` });
        } else if (loggedHash && !bytesEqual(leafHash, loggedHash)) {
          report({
            kind: 'leaf_mismatch',
            seq,
            message: `event ${seq} differs from the logged leaf (altered after it was logged)`,
          });
          leafHash = loggedHash;
        }
      }
      if (treeStopped) continue;
      if (!leafHash) {
        treeStopped = true;
        continue;
      }
      segment.push(leafHash);
      // Split at checkpoint sizes so that each root is taken exactly there.
      if (nextCp && nextCp.tree_size === size + segment.length) {
        await append(concat(segment, h.size));
        segment = [];
        while (nextCp && nextCp.tree_size <= size) {
          await checkCheckpoint(nextCp);
          nextCp = await pages.next();
        }
      }
    }
    if (!treeStopped && segment.length > 0) await append(concat(segment, h.size));
    opts.onProgress?.(hi, last);
  }
  while (nextCp) {
    await checkCheckpoint(nextCp);
    nextCp = await pages.next();
  }
  const firstBrokenSeq = problems.length ? Math.min(...problems.map((p) => p.seq)) : null;
  return {
    ok: problemCount === 0,
    suite,
    events,
    treeSize,
    checkpoints,
    firstBrokenSeq,
    problems: [...problems].sort((a, b) => a.seq - b.seq),
    problemCount,
    seconds: (performance.now() - started) / 1000,
  };
}

function concat(list: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(list.length * size);
  list.forEach((x, i) => out.set(x, i * size));
  return out;
}

/** Leaf hashes the tree recorded for seq lo..hi (from the level-0 tiles), by seq. */
async function loggedLeaves(
  db: Queryable,
  h: TreeHasher,
  lo: number,
  hi: number,
): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  if (hi < lo) return out;
  const refs = [];
  for (let t = Math.floor((lo - 1) / TILE_WIDTH); t <= Math.floor((hi - 1) / TILE_WIDTH); t++)
    refs.push({ level: 0, index: t });
  const tiles = await auditRepo.tiles(db, refs);
  for (let seq = lo; seq <= hi; seq++) {
    const i = seq - 1;
    const tile = tiles.get(tileKey(0, Math.floor(i / TILE_WIDTH)));
    const off = (i % TILE_WIDTH) * h.size;
    if (tile && tile.length >= off + h.size) out.set(seq, tile.subarray(off, off + h.size));
  }
  return out;
}

/**
 * Stored tiles above the leaves must equal the recomputed ones, up to what a tree of the stored size
 * holds (a recomputed tile may run ahead of the stored tree when events are not yet logged).
 */
async function compareUpperTiles(
  db: Queryable,
  h: TreeHasher,
  treeSize: number,
  tiles: readonly Tile[],
  reported: Set<string>,
  report: (p: VerifyProblem) => void,
): Promise<void> {
  if (tiles.length === 0) return;
  const stored = await auditRepo.tiles(db, tiles);
  for (const t of tiles) {
    const complete = Math.floor(treeSize / TILE_WIDTH ** t.level);
    const expected = Math.max(0, Math.min(TILE_WIDTH, complete - t.index * TILE_WIDTH)) * h.size;
    const have = stored.get(tileKey(t.level, t.index));
    const n = Math.min(expected, t.hashes.length);
    const firstSeq = t.index * TILE_WIDTH * TILE_WIDTH ** t.level + 1;
    if (expected === 0 || reported.has(tileKey(t.level, t.index))) continue;
    if (!have || have.length !== expected || !bytesEqual(have.subarray(0, n), t.hashes.subarray(0, n))) {
      let j = 0;
      while (
        have &&
        j * h.size < n &&
        bytesEqual(
          have.subarray(j * h.size, (j + 1) * h.size),
          t.hashes.subarray(j * h.size, (j + 1) * h.size),
        )
      )
        j++;
      reported.add(tileKey(t.level, t.index));
      report({
        kind: 'tree_tile',
        seq: firstSeq + j * TILE_WIDTH ** t.level,
        message: `stored tree tile ${t.level}/${t.index} differs from the recomputed tree (${have ? toHex(have.subarray(0, 4)) : 'missing'}…)`,
      });
    }
  }
}

/** Checkpoints in tree-size order, a page at a time. */
function checkpointPages(db: Queryable): { next(): Promise<CheckpointRow | null> } {
  let buf: CheckpointRow[] = [];
  let from = 1;
  let done = false;
  return {
    async next() {
      if (buf.length === 0 && !done) {
        buf = await auditRepo.checkpointsFrom(db, from, CHECKPOINT_PAGE);
        if (buf.length < CHECKPOINT_PAGE) done = true;
        const lastRow = buf[buf.length - 1];
        if (lastRow) from = lastRow.tree_size + 1;
      }
      return buf.shift() ?? null;
    },
  };
}
