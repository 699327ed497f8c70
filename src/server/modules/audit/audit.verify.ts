import {
  TILE_WIDTH,
  appendLeaves,
  bytesEqual,
  hashRange,
  parseCheckpoint,
  tileKey,
  tileSource,
  toHex,
  type SuiteName,
  type Tile,
  type TreeHasher,
} from '../../../domain/merkle';
import type { Pool, Queryable } from '../../platform/db';
import { openNote, suiteHasher, type LogKey } from './audit.crypto';
import { auditRepo, type CheckpointRow } from './audit.repository';
import type { LeafBatch } from './audit.leaves';
import { inProcessReader, workerReader } from './audit.leaves.pool';
import { AuditErrors } from './audit.errors';
import { DEFAULT_LOG_SUITE } from './audit.settings';
import {
  rowLabel,
  verifyState,
  type StateJobTable,
  type StateProblemKind,
  type StateReport,
  type StateTable,
} from './audit.state';

/**
 * Full, independent verification of the log, for `xinyong verify-log`: reads every event in seq
 * order, recomputes payload hashes, leaves and the whole tree, and checks every stored tile above the
 * leaves and every checkpoint (signature by a trusted key, and root). It trusts nothing but the keys
 * it is given; it names the first broken entry.
 *
 * When an event no longer matches its logged leaf (or is gone), the logged leaf hash is used to go on,
 * so that each later checkpoint is judged on its own and one edit is reported once.
 *
 * Then the state tables are checked against the events that wrote them (audit.state.ts): a row
 * edited, added or deleted behind the application's back is named with the column(s) that differ.
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
  | 'checkpoint_unverifiable'
  | StateProblemKind;

export interface VerifyProblem {
  kind: ProblemKind;
  /**
   * The broken entry, or the first entry of the range that must contain it. For a state row: the
   * event that last decided the column that differs (0 when no event wrote the row).
   */
  seq: number;
  /** Set when only a range can be named (e.g. a checkpoint root that does not match). */
  lastSeq?: number;
  /** State rows: the table, the row (id, and version for the version tables), the columns. */
  table?: StateTable;
  id?: number;
  version?: number;
  columns?: string[];
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  suite: string;
  events: number;
  treeSize: number;
  checkpoints: number;
  firstBrokenSeq: number | null;
  /** The first state row found broken, e.g. `records 42`, `record_versions 42 v2`, `list_entry_steps 7 #3`. */
  firstBrokenRow: string | null;
  /** The state check, when it ran. */
  state: StateReport | null;
  problems: VerifyProblem[];
  problemCount: number;
  seconds: number;
}

export interface VerifyOptions {
  trusted: readonly LogKey[];
  /**
   * The configured suite (XINYONG_LOG_SUITE): a tree stored by another one is refused with
   * SUITE_MISMATCH before anything is read. Without it the stored tree's own suite is used.
   */
  suite?: SuiteName;
  batchSize?: number;
  maxProblems?: number;
  onProgress?: (seq: number, last: number) => void;
  /**
   * Worker threads that read and hash the events (0: all in this thread). Each opens a connection to
   * databaseUrl, which they need.
   */
  workers?: number;
  databaseUrl?: string;
  /**
   * Smallest log for which the workers are started (default 500,000 events): each worker loads its
   * own copy of the modules (~0.4 s), which a smaller log does not win back (measured: 100 k events
   * verify at 248 k/s in this thread, 140 k/s with two workers; 1 M at 278 k/s and 313 k/s).
   */
  workersFrom?: number;
  /** Also check the state tables against the log (default true). */
  state?: boolean;
  /** Ids per batch of the state check (default 20,000). */
  stateBatchSize?: number;
  /**
   * Smallest number of ids (records and subjects) for which the state check starts its `workers`
   * (default 500,000).
   */
  stateWorkersFrom?: number;
  onStateProgress?: (table: StateJobTable, id: number, last: number) => void;
}

const CHECKPOINT_PAGE = 1000;

export async function verifyLog(db: Pool, opts: VerifyOptions): Promise<VerifyReport> {
  if (opts.trusted.length === 0) throw new Error('verify-log needs at least one trusted key');
  const started = performance.now();
  const state = await auditRepo.state(db);
  if (opts.suite && state.suite && state.suite !== opts.suite)
    throw AuditErrors.SUITE_MISMATCH({ stored: state.suite, configured: opts.suite });
  const suite = state.suite ?? opts.suite ?? DEFAULT_LOG_SUITE;
  const h = suiteHasher(suite);
  const treeSize = state.treeSize;
  const last = Math.max(treeSize, await auditRepo.maxSeq(db));
  const batch = Math.max(TILE_WIDTH, Math.floor((opts.batchSize ?? 65_536) / TILE_WIDTH) * TILE_WIDTH);
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

  /** Appends leaves (concatenated), split at checkpoint sizes so that each root is taken exactly there. */
  const appendChecked = async (leaves: Uint8Array): Promise<void> => {
    let off = 0;
    const count = leaves.length / h.size;
    while (off < count) {
      const upTo =
        nextCp && nextCp.tree_size > size && nextCp.tree_size <= size + count - off
          ? nextCp.tree_size - size
          : count - off;
      await append(leaves.subarray(off * h.size, (off + upTo) * h.size));
      off += upTo;
      while (nextCp && nextCp.tree_size <= size) {
        await checkCheckpoint(nextCp);
        nextCp = await pages.next();
      }
    }
  };

  const workers = last >= (opts.workersFrom ?? 500_000) ? (opts.workers ?? 0) : 0;
  const url = opts.databaseUrl;
  if (workers > 0 && !url) throw new Error('verify-log workers need the database URL');
  const reader = workers > 0 && url ? workerReader(url, suite, workers) : inProcessReader(db, suite);
  // Batches are read ahead (two per worker, or two in this thread) while the tree takes earlier ones.
  const depth = Math.max(2, 2 * workers);
  const ahead = new Map<number, Promise<LeafBatch>>();
  const readAhead = (from: number): void => {
    for (let lo = from, k = 0; lo <= last && k < depth; lo += batch, k++)
      if (!ahead.has(lo)) {
        const p = reader.read(lo, Math.min(lo + batch - 1, last));
        p.catch(() => undefined); // awaited in order below
        ahead.set(lo, p);
      }
  };
  try {
    for (let lo = 1; lo <= last; lo += batch) {
      const hi = Math.min(lo + batch - 1, last);
      const loggedHi = Math.min(hi, treeSize);
      readAhead(lo);
      const loggedP = loggedLeaves(db, h, lo, loggedHi);
      loggedP.catch(() => undefined); // awaited below; not unhandled if the read fails first
      const got = await (ahead.get(lo) as Promise<LeafBatch>);
      ahead.delete(lo);
      const logged = await loggedP;
      const n = hi - lo + 1;
      const read = countOnes(got.present);
      events += read;
      const nLogged = Math.max(0, loggedHi - lo + 1);
      const s = h.size;
      // The common case, checked in bulk: every event read, every payload intact, the logged leaves equal.
      const intact =
        read === n &&
        got.payloadBad.length === 0 &&
        logged.have.indexOf(0) === -1 &&
        got.leaves.compare(logged.bytes, 0, nLogged * s, 0, nLogged * s) === 0;
      let usable = n; // leaves of this batch the tree can take (up to the first unrecoverable one)
      if (!intact) {
        let bad = 0;
        for (let i = 0; i < n; i++) {
          const seq = lo + i;
          const loggedHash =
            i < nLogged && logged.have[i] ? logged.bytes.subarray(i * s, (i + 1) * s) : undefined;
          if (!got.present[i]) {
            report({ kind: 'missing_event', seq, message: `event ${seq} is missing` });
            if (loggedHash) got.leaves.set(loggedHash, i * s);
            else usable = Math.min(usable, i);
            continue;
          }
          if (got.payloadBad[bad] === seq) {
            bad++;
            report({
              kind: 'payload_hash',
              seq,
              message: `event ${seq}: payload does not match its payload_sha256`,
            });
          }
          if (seq <= treeSize && !loggedHash) {
            report({ kind: 'tree_tile', seq, message: `event ${seq}: no leaf hash stored in the tree` });
          } else if (loggedHash && !bytesEqual(got.leaves.subarray(i * s, (i + 1) * s), loggedHash)) {
            report({
              kind: 'leaf_mismatch',
              seq,
              message: `event ${seq} differs from the logged leaf (altered after it was logged)`,
            });
            got.leaves.set(loggedHash, i * s);
          }
        }
      }
      if (!treeStopped) {
        if (usable > 0) await appendChecked(got.leaves.subarray(0, usable * s));
        if (usable < n) treeStopped = true;
      }
      opts.onProgress?.(hi, last);
    }
  } finally {
    await reader.close();
  }
  while (nextCp) {
    await checkCheckpoint(nextCp);
    nextCp = await pages.next();
  }
  const logProblems = [...problems].sort((a, b) => a.seq - b.seq);
  const stateReport =
    opts.state === false
      ? null
      : await verifyState(db, {
          batchSize: opts.stateBatchSize,
          maxProblems,
          workers: opts.workers,
          workersFrom: opts.stateWorkersFrom,
          databaseUrl: opts.databaseUrl,
          onProgress: opts.onStateProgress,
        });
  const stateProblems: VerifyProblem[] = (stateReport?.problems ?? []).map((p) => ({
    kind: p.kind,
    seq: p.seq,
    table: p.table,
    id: p.id,
    ...(p.version === undefined ? {} : { version: p.version }),
    columns: p.columns,
    message: p.message,
  }));
  const first = stateReport?.problems[0];
  return {
    ok: problemCount === 0 && (stateReport?.problemCount ?? 0) === 0,
    suite,
    events,
    treeSize,
    checkpoints,
    firstBrokenSeq: logProblems.length ? (logProblems[0] as VerifyProblem).seq : null,
    firstBrokenRow: first ? rowLabel(first.table, first.id, first.version) : null,
    state: stateReport,
    problems: [...logProblems, ...stateProblems],
    problemCount: problemCount + (stateReport?.problemCount ?? 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Leaf hashes the tree recorded for seq lo..hi (from the level-0 tiles), concatenated, and which exist. */
async function loggedLeaves(
  db: Queryable,
  h: TreeHasher,
  lo: number,
  hi: number,
): Promise<{ bytes: Buffer; have: Uint8Array }> {
  const n = Math.max(0, hi - lo + 1);
  const s = h.size;
  const bytes = Buffer.alloc(n * s);
  const have = new Uint8Array(n);
  if (n === 0) return { bytes, have };
  const refs = [];
  for (let t = Math.floor((lo - 1) / TILE_WIDTH); t <= Math.floor((hi - 1) / TILE_WIDTH); t++)
    refs.push({ level: 0, index: t });
  const tiles = await auditRepo.tiles(db, refs);
  for (const ref of refs) {
    const tile = tiles.get(tileKey(0, ref.index));
    const first = ref.index * TILE_WIDTH + 1; // seq of the tile's first leaf
    const from = Math.max(lo, first);
    const to = Math.min(hi, first + TILE_WIDTH - 1, tile ? first + tile.length / s - 1 : first - 1);
    if (!tile || to < from) continue;
    bytes.set(tile.subarray((from - first) * s, (to - first + 1) * s), (from - lo) * s);
    have.fill(1, from - lo, to - lo + 1);
  }
  return { bytes, have };
}

function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (const f of flags) n += f;
  return n;
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
