import { concatBytes } from './bytes';
import type { NodeSource, Subtree, TreeHasher } from './tree';

/**
 * Storage layout of the tree: tiles as in C2SP tlog-tiles (and Go's sumdb/tlog). A tile at tile level
 * L and index t holds the hashes of tree level 8·L with indices [256·t, 256·t + w), w ≤ 256,
 * concatenated. Level-0 tiles hold the leaf hashes. Only the right-most tile of each level is partial,
 * and it only ever grows (append-only), so a stored tile is also valid for every smaller tree.
 *
 * Any perfect subtree of height h lies inside one tile of tile level ⌊h/8⌋ and is ≤ 128 stored hashes
 * reduced pairwise; a proof touches O(log₂₅₆ n) tiles, and the root of any size n is computed from the
 * right-edge tiles only. Storage ≈ 32·n·(1 + 1/256 + …) bytes: ~320 MB at 10 M events.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

export interface TileRef {
  level: number;
  index: number;
}

export interface Tile extends TileRef {
  /** Concatenated hashes; width = hashes.length / hash size. */
  hashes: Uint8Array;
}

export const tileKey = (level: number, index: number): string => `${level}/${index}`;

/** Where a perfect subtree's hashes live: tile, first hash within it, number of hashes to reduce. */
export function locateSubtree(sub: Subtree): { tile: TileRef; offset: number; count: number } {
  const tileLevel = Math.floor(sub.level / TILE_HEIGHT);
  const count = 2 ** (sub.level - tileLevel * TILE_HEIGHT);
  const first = sub.index * count;
  return {
    tile: { level: tileLevel, index: Math.floor(first / TILE_WIDTH) },
    offset: first % TILE_WIDTH,
    count,
  };
}

/** Distinct tiles needed to compute the given subtrees. */
export function tilesFor(subtrees: readonly Subtree[]): TileRef[] {
  const seen = new Map<string, TileRef>();
  for (const s of subtrees) {
    const { tile } = locateSubtree(s);
    seen.set(tileKey(tile.level, tile.index), tile);
  }
  return [...seen.values()];
}

/** Root of `count` consecutive hashes (count a power of two) starting at hash `offset` of `hashes`. */
export function reduceHashes(h: TreeHasher, hashes: Uint8Array, offset: number, count: number): Uint8Array {
  const s = h.size;
  if (count === 1) return hashes.slice(offset * s, offset * s + s);
  if (h.nodes) {
    // A copy (Buffer#slice would be a view, and the reduction works in place).
    const row = new Uint8Array(hashes.subarray(offset * s, (offset + count) * s));
    for (let n = count / 2; n >= 1; n /= 2) h.nodes(row, row, n);
    return row.subarray(0, s);
  }
  let row: Uint8Array[] = [];
  for (let i = 0; i < count; i += 2)
    row.push(
      h.node(
        hashes.subarray((offset + i) * s, (offset + i + 1) * s),
        hashes.subarray((offset + i + 1) * s, (offset + i + 2) * s),
      ),
    );
  while (row.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(h.node(row[i] as Uint8Array, row[i + 1] as Uint8Array));
    row = next;
  }
  return row[0] as Uint8Array;
}

export class MissingTileError extends Error {}

/** A NodeSource over loaded tiles (keyed by tileKey). Throws if a needed hash is not stored. */
export function tileSource(h: TreeHasher, tiles: ReadonlyMap<string, Uint8Array>): NodeSource {
  return (level, index) => {
    const { tile, offset, count } = locateSubtree({ level, index });
    const bytes = tiles.get(tileKey(tile.level, tile.index));
    if (!bytes || bytes.length < (offset + count) * h.size)
      throw new MissingTileError(
        `tile ${tile.level}/${tile.index} lacks hashes for subtree ${level}/${index}`,
      );
    return reduceHashes(h, bytes, offset, count);
  };
}

/**
 * The partial right-edge tiles of a tree of `size` leaves: the only tiles an append rewrites and the
 * only ones the root depends on. Width = number of hashes stored in it.
 */
export function rightEdgeTiles(size: number): (TileRef & { width: number })[] {
  const out: (TileRef & { width: number })[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    const width = count % TILE_WIDTH;
    if (width > 0) out.push({ level, index: Math.floor(count / TILE_WIDTH), width });
  }
  return out;
}

/**
 * Appends leaf hashes (concatenated) to a tree of `oldSize` leaves. `partials` must hold the current
 * right-edge tiles (see rightEdgeTiles) of the levels that change. Returns every tile that is new or
 * grew, in level order; each replaces the stored tile of the same key.
 */
export function appendLeaves(
  h: TreeHasher,
  oldSize: number,
  leafHashes: Uint8Array,
  partials: ReadonlyMap<string, Uint8Array>,
): Tile[] {
  const s = h.size;
  if (leafHashes.length % s !== 0) throw new RangeError('leaf hashes must be a multiple of the hash size');
  const out: Tile[] = [];
  let complete = oldSize; // complete hashes at the current level before the append
  let fresh = leafHashes; // hashes at the current level added by the append
  for (let level = 0; fresh.length > 0; level++) {
    const first = Math.floor(complete / TILE_WIDTH);
    const prefixWidth = complete % TILE_WIDTH;
    let row = fresh;
    if (prefixWidth > 0) {
      const prefix = partials.get(tileKey(level, first));
      if (!prefix || prefix.length !== prefixWidth * s)
        throw new MissingTileError(`right-edge tile ${level}/${first} must hold ${prefixWidth} hashes`);
      row = concatBytes(prefix, fresh);
    }
    const next: Uint8Array[] = [];
    const tileBytes = TILE_WIDTH * s;
    for (let off = 0, index = first; off < row.length; off += tileBytes, index++) {
      const hashes = row.subarray(off, Math.min(off + tileBytes, row.length));
      out.push({ level, index, hashes });
      if (hashes.length === tileBytes) next.push(reduceHashes(h, hashes, 0, TILE_WIDTH));
    }
    complete = Math.floor(complete / TILE_WIDTH);
    fresh = concatBytes(...next);
  }
  return out;
}
