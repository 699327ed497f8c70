import { bytesEqual } from './bytes';

/**
 * The Merkle hash tree of RFC 6962 §2.1 (= RFC 9162 §2.1), the one Certificate Transparency and
 * Sigstore use: MTH({}) = H(""), leaf = H(0x00 ‖ d), node = H(0x01 ‖ left ‖ right), and a tree of n
 * leaves splits at k, the largest power of two smaller than n. Pure and isomorphic: the hash function
 * is injected, so the same code runs on the server (node:crypto) and in a browser (pure TS).
 *
 * Sizes and indices are JS numbers (exact up to 2^53); no 32-bit bit operations are used on them.
 */
export type HashFn = (data: Uint8Array) => Uint8Array;

export interface TreeHasher {
  readonly size: number;
  emptyRoot(): Uint8Array;
  leaf(data: Uint8Array): Uint8Array;
  node(left: Uint8Array, right: Uint8Array): Uint8Array;
  /**
   * Optional bulk form of `node`: for i < count, out[i] = node(pairs[2i], pairs[2i+1]), hashes
   * concatenated (out may be pairs itself: each result is written after its inputs are read). Bulk
   * work (verifying millions of events) uses it to skip one allocation per node.
   */
  nodes?(pairs: Uint8Array, out: Uint8Array, count: number): void;
}

export function treeHasher(hash: HashFn, size = 32): TreeHasher {
  // Scratch buffers: hash functions are synchronous and return a fresh array, so reuse is safe.
  const nodeBuf = new Uint8Array(1 + 2 * size);
  nodeBuf[0] = 1;
  let leafBuf = new Uint8Array(256);
  return {
    size,
    emptyRoot: () => hash(new Uint8Array(0)),
    leaf(data) {
      if (leafBuf.length < data.length + 1)
        leafBuf = new Uint8Array(Math.max(data.length + 1, leafBuf.length * 2));
      leafBuf[0] = 0;
      leafBuf.set(data, 1);
      return hash(leafBuf.subarray(0, data.length + 1));
    },
    node(left, right) {
      nodeBuf.set(left, 1);
      nodeBuf.set(right, 1 + size);
      return hash(nodeBuf);
    },
  };
}

/** A perfect (complete) subtree: leaves [index·2^level, (index+1)·2^level). */
export interface Subtree {
  level: number;
  index: number;
}

/** Half-open leaf range [lo, hi). */
export type Range = readonly [number, number];

/** Hash of a perfect subtree, from wherever the caller keeps it (memory, tiles in a database). */
export type NodeSource = (level: number, index: number) => Uint8Array;

const pow2 = (level: number): number => 2 ** level;

function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
}

/** k of RFC 6962: the largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Perfect subtrees that make up the RFC tree over [lo, hi), left to right (largest first). Valid for
 * every range that is a node of some RFC tree, which is all that proofs and roots ever ask for.
 */
export function perfectSubtrees(lo: number, hi: number): Subtree[] {
  const out: Subtree[] = [];
  while (hi > lo) {
    const n = hi - lo;
    const k = isPow2(n) ? n : splitPoint(n);
    const level = Math.log2(k);
    if (lo % k !== 0) throw new RangeError(`range [${lo}, ${hi}) is not a node of an RFC 6962 tree`);
    out.push({ level, index: lo / k });
    lo += k;
  }
  return out;
}

function isPow2(n: number): boolean {
  return n > 0 && pow2(Math.round(Math.log2(n))) === n;
}

/** MTH(D[lo:hi]) from perfect subtree hashes: fold the decomposition from the right. */
export function hashRange(h: TreeHasher, lo: number, hi: number, source: NodeSource): Uint8Array {
  if (hi === lo) return h.emptyRoot();
  const parts = perfectSubtrees(lo, hi);
  let i = parts.length - 1;
  const last = parts[i] as Subtree;
  let acc = source(last.level, last.index);
  while (--i >= 0) {
    const p = parts[i] as Subtree;
    acc = h.node(source(p.level, p.index), acc);
  }
  return acc;
}

/** RFC 6962 §2.1.1 PATH(m, D[n]) as the ranges whose MTH forms the audit path, leaf to root. */
export function inclusionRanges(index: number, size: number): Range[] {
  assertSize(size, 'tree size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new RangeError(`leaf index ${index} is outside a tree of ${size}`);
  const out: Range[] = [];
  const walk = (m: number, lo: number, hi: number): void => {
    if (hi - lo <= 1) return;
    const k = splitPoint(hi - lo);
    if (m < k) {
      walk(m, lo, lo + k);
      out.push([lo + k, hi]);
    } else {
      walk(m - k, lo + k, hi);
      out.push([lo, lo + k]);
    }
  };
  walk(index, 0, size);
  return out;
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]) as ranges. Defined for 0 < m ≤ n; m = n gives the empty proof. */
export function consistencyRanges(m: number, n: number): Range[] {
  assertSize(n, 'tree size');
  if (!Number.isSafeInteger(m) || m < 1 || m > n)
    throw new RangeError(`consistency needs 0 < first ≤ second`);
  const out: Range[] = [];
  const sub = (mm: number, lo: number, hi: number, b: boolean): void => {
    const size = hi - lo;
    if (mm === size) {
      if (!b) out.push([lo, hi]);
      return;
    }
    const k = splitPoint(size);
    if (mm <= k) {
      sub(mm, lo, lo + k, b);
      out.push([lo + k, hi]);
    } else {
      sub(mm - k, lo + k, hi, false);
      out.push([lo, lo + k]);
    }
  };
  if (m < n) sub(m, 0, n, true);
  return out;
}

export function inclusionProof(h: TreeHasher, index: number, size: number, source: NodeSource): Uint8Array[] {
  return inclusionRanges(index, size).map(([lo, hi]) => hashRange(h, lo, hi, source));
}

export function consistencyProof(h: TreeHasher, m: number, n: number, source: NodeSource): Uint8Array[] {
  return consistencyRanges(m, n).map(([lo, hi]) => hashRange(h, lo, hi, source));
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** The root an inclusion proof implies (RFC 9162 §2.1.3.2), or null if the proof is malformed. */
export function rootFromInclusion(
  h: TreeHasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (p.length !== h.size || sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = h.node(p, r);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else {
      r = h.node(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  h: TreeHasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const r = rootFromInclusion(h, index, size, leafHash, proof);
  return r !== null && bytesEqual(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree (m, root1) is a prefix of (n, root2)? */
export function verifyConsistency(
  h: TreeHasher,
  m: number,
  n: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && bytesEqual(root1, root2);
  if (proof.some((p) => p.length !== h.size)) return false;
  const path = isPow2(m) ? [root1, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = h.node(c, fr);
      sr = h.node(c, sr);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else {
      sr = h.node(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}

/**
 * The compact range [0, size): one hash per set bit of size, the perfect subtrees left to right.
 * Appending a leaf costs amortised one node hash; the root is a right fold. Used to recompute a
 * tree from a stream of leaves without holding them.
 */
export class CompactRange {
  private readonly stack: Uint8Array[] = [];
  private readonly levels: number[] = [];
  private count = 0;

  constructor(private readonly h: TreeHasher) {}

  get size(): number {
    return this.count;
  }

  push(leafHash: Uint8Array): void {
    let hash = leafHash;
    let level = 0;
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      this.levels.pop();
      hash = this.h.node(this.stack.pop() as Uint8Array, hash);
      level++;
    }
    this.stack.push(hash);
    this.levels.push(level);
    this.count++;
  }

  root(): Uint8Array {
    if (this.stack.length === 0) return this.h.emptyRoot();
    let i = this.stack.length - 1;
    let acc = this.stack[i] as Uint8Array;
    while (--i >= 0) acc = this.h.node(this.stack[i] as Uint8Array, acc);
    return acc;
  }
}

export function rootOfLeafHashes(h: TreeHasher, leafHashes: readonly Uint8Array[]): Uint8Array {
  const range = new CompactRange(h);
  for (const l of leafHashes) range.push(l);
  return range.root();
}

/** A NodeSource over leaf hashes held in memory (tests, small trees): every level, computed once. */
export function memorySource(h: TreeHasher, leafHashes: readonly Uint8Array[]): NodeSource {
  const levels: Uint8Array[][] = [leafHashes.slice()];
  return (level, index) => {
    while (levels.length <= level) {
      const below = levels[levels.length - 1] as Uint8Array[];
      const next: Uint8Array[] = [];
      for (let i = 0; i + 1 < below.length; i += 2)
        next.push(h.node(below[i] as Uint8Array, below[i + 1] as Uint8Array));
      levels.push(next);
    }
    const hash = levels[level]?.[index];
    if (!hash) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    return hash;
  };
}
