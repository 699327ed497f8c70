import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompactRange,
  appendLeaves,
  concatBytes,
  consistencyProof,
  fromHex,
  hashRange,
  inclusionProof,
  memorySource,
  perfectSubtrees,
  rightEdgeTiles,
  rootOfLeafHashes,
  sha256,
  sm3,
  tileKey,
  tileSource,
  tilesFor,
  toHex,
  treeHasher,
  verifyConsistency,
  verifyInclusion,
  type TreeHasher,
} from '.';

const h = treeHasher(sha256);
// A copy of ../shared/testdata/rfc6962-vectors.json (the Certificate Transparency reference set),
// kept in the repository so that CI's clean clone runs these tests too.
const VECTORS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/rfc6962-vectors.json',
);

interface Vectors {
  leaves_hex: string[];
  leaf_hashes: string[];
  roots: Record<string, string>;
  inclusion: { leaf_index: number; tree_size: number; root: string; proof: string[] }[];
  consistency: { size1: number; size2: number; root1: string; root2: string; proof: string[] }[];
  large: {
    roots: Record<string, string>;
    inclusion: { leaf_index: number; tree_size: number; proof: string[] }[];
    consistency: { size1: number; size2: number; proof: string[] }[];
  };
}

const hexes = (list: readonly Uint8Array[]): string[] => list.map(toHex);
const flip = (b: Uint8Array, i = 0): Uint8Array => {
  const c = b.slice();
  c[i] = (c[i] as number) ^ 1;
  return c;
};

/** Builds the tiles of a tree by appending leaf hashes in the given chunk sizes, like the server does. */
function buildTiles(hasher: TreeHasher, leafHashes: Uint8Array[], chunks: number[]): Map<string, Uint8Array> {
  const tiles = new Map<string, Uint8Array>();
  let size = 0;
  let i = 0;
  for (const c of [...chunks, leafHashes.length]) {
    const part = leafHashes.slice(i, Math.min(i + c, leafHashes.length));
    if (part.length === 0) continue;
    for (const t of appendLeaves(hasher, size, concatBytes(...part), tiles))
      tiles.set(tileKey(t.level, t.index), t.hashes);
    size += part.length;
    i += part.length;
  }
  return tiles;
}

const bigLeaves = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, i);
    return h.leaf(b);
  });

describe('RFC 6962 vectors (test/fixtures/rfc6962-vectors.json)', () => {
  const v = JSON.parse(readFileSync(VECTORS, 'utf8')) as Vectors;

  it('leaf hashes and roots of 0..8 leaves', () => {
    const leaves = v.leaves_hex.map((x) => h.leaf(fromHex(x)));
    expect(hexes(leaves)).toEqual(v.leaf_hashes);
    for (const [n, root] of Object.entries(v.roots)) {
      const size = Number(n);
      expect(toHex(rootOfLeafHashes(h, leaves.slice(0, size))), `root ${n}`).toBe(root);
      expect(toHex(hashRange(h, 0, size, memorySource(h, leaves))), `range root ${n}`).toBe(root);
    }
  });

  it('every inclusion proof: generated equal to the vector, verifies, and fails when altered', () => {
    const leaves = v.leaves_hex.map((x) => h.leaf(fromHex(x)));
    const src = memorySource(h, leaves);
    for (const t of v.inclusion) {
      const label = `inclusion ${t.leaf_index}/${t.tree_size}`;
      const proof = inclusionProof(h, t.leaf_index, t.tree_size, src);
      expect(hexes(proof), label).toEqual(t.proof);
      const root = fromHex(t.root);
      const leaf = leaves[t.leaf_index] as Uint8Array;
      expect(verifyInclusion(h, t.leaf_index, t.tree_size, leaf, proof, root), label).toBe(true);
      expect(verifyInclusion(h, t.leaf_index, t.tree_size, flip(leaf), proof, root), label).toBe(false);
      if (proof.length > 0) {
        expect(
          verifyInclusion(
            h,
            t.leaf_index,
            t.tree_size,
            leaf,
            [flip(proof[0] as Uint8Array), ...proof.slice(1)],
            root,
          ),
        ).toBe(false);
        expect(verifyInclusion(h, t.leaf_index, t.tree_size, leaf, proof.slice(0, -1), root), label).toBe(
          false,
        );
      }
    }
  });

  it('every consistency proof: generated equal to the vector, verifies, and fails when altered', () => {
    const leaves = v.leaves_hex.map((x) => h.leaf(fromHex(x)));
    const src = memorySource(h, leaves);
    for (const t of v.consistency) {
      const label = `consistency ${t.size1}→${t.size2}`;
      const proof = consistencyProof(h, t.size1, t.size2, src);
      expect(hexes(proof), label).toEqual(t.proof);
      const [r1, r2] = [fromHex(t.root1), fromHex(t.root2)];
      expect(verifyConsistency(h, t.size1, t.size2, r1, r2, proof), label).toBe(true);
      expect(verifyConsistency(h, t.size1, t.size2, flip(r1), r2, proof), label).toBe(false);
      expect(verifyConsistency(h, t.size1, t.size2, r1, flip(r2), proof), label).toBe(false);
      if (proof.length > 0)
        expect(
          verifyConsistency(h, t.size1, t.size2, r1, r2, [
            ...proof.slice(0, -1),
            flip(proof.at(-1) as Uint8Array),
          ]),
          label,
        ).toBe(false);
    }
  });

  it('the 1000-leaf set: roots, proofs, and the same answers from tiles built in uneven batches', () => {
    const leaves = bigLeaves(1000);
    const mem = memorySource(h, leaves);
    const tiles = tileSource(h, buildTiles(h, leaves, [1, 2, 250, 3, 300, 7]));
    for (const [n, root] of Object.entries(v.large.roots)) {
      expect(toHex(rootOfLeafHashes(h, leaves.slice(0, Number(n)))), `root ${n}`).toBe(root);
      expect(toHex(hashRange(h, 0, Number(n), tiles)), `tile root ${n}`).toBe(root);
    }
    for (const t of v.large.inclusion) {
      const root = fromHex(v.large.roots[String(t.tree_size)] ?? toHex(hashRange(h, 0, t.tree_size, mem)));
      expect(hexes(inclusionProof(h, t.leaf_index, t.tree_size, mem))).toEqual(t.proof);
      expect(hexes(inclusionProof(h, t.leaf_index, t.tree_size, tiles))).toEqual(t.proof);
      const proof = t.proof.map(fromHex);
      expect(
        verifyInclusion(h, t.leaf_index, t.tree_size, leaves[t.leaf_index] as Uint8Array, proof, root),
      ).toBe(true);
    }
    for (const t of v.large.consistency) {
      expect(hexes(consistencyProof(h, t.size1, t.size2, tiles))).toEqual(t.proof);
      const r1 = hashRange(h, 0, t.size1, mem);
      const r2 = hashRange(h, 0, t.size2, mem);
      expect(verifyConsistency(h, t.size1, t.size2, r1, r2, t.proof.map(fromHex))).toBe(true);
    }
  });
});

describe('Merkle tree properties', () => {
  it('proofs from tiles built in random batches verify, and equal proofs from memory', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        (n, chunks, a, b) => {
          const leaves = bigLeaves(n);
          const tiles = buildTiles(h, leaves, chunks);
          const src = tileSource(h, tiles);
          const mem = memorySource(h, leaves);
          const root = rootOfLeafHashes(h, leaves);
          expect(toHex(hashRange(h, 0, n, src))).toBe(toHex(root));
          const i = a % n;
          const proof = inclusionProof(h, i, n, src);
          expect(hexes(proof)).toEqual(hexes(inclusionProof(h, i, n, mem)));
          expect(verifyInclusion(h, i, n, leaves[i] as Uint8Array, proof, root)).toBe(true);
          const m = 1 + (b % n);
          const cons = consistencyProof(h, m, n, src);
          expect(verifyConsistency(h, m, n, hashRange(h, 0, m, mem), root, cons)).toBe(true);
          if (m < n)
            expect(verifyConsistency(h, m, n, hashRange(h, 0, m, mem), flip(root), cons)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the root of any size needs only the right-edge tiles', () => {
    for (const n of [1, 255, 256, 257, 65535, 65536, 65537, 70000]) {
      const refs = tilesFor(perfectSubtrees(0, n)).map((t) => tileKey(t.level, t.index));
      const edge = rightEdgeTiles(n).map((t) => tileKey(t.level, t.index));
      for (const r of refs) expect(edge, `size ${n}`).toContain(r);
    }
  });

  it('a compact range gives the same root as the recursive definition at every size', () => {
    const leaves = bigLeaves(300);
    const range = new CompactRange(h);
    const mem = memorySource(h, leaves);
    for (let n = 0; n <= 300; n++) {
      expect(toHex(range.root())).toBe(toHex(hashRange(h, 0, n, mem)));
      if (n < 300) range.push(leaves[n] as Uint8Array);
    }
  });

  it('refuses proofs for impossible positions', () => {
    const mem = memorySource(h, bigLeaves(4));
    expect(() => inclusionProof(h, 4, 4, mem)).toThrow(RangeError);
    expect(() => consistencyProof(h, 0, 4, mem)).toThrow(RangeError);
    expect(() => consistencyProof(h, 5, 4, mem)).toThrow(RangeError);
    expect(verifyConsistency(h, 0, 4, new Uint8Array(32), new Uint8Array(32), [])).toBe(false);
  });
});

describe('hash suites', () => {
  const enc = new TextEncoder();
  it('SM3 matches GB/T 32905-2016 examples', () => {
    expect(toHex(sm3(enc.encode('abc')))).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    expect(toHex(sm3(enc.encode('abcd'.repeat(16))))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('SHA-256 matches FIPS 180-4 examples', () => {
    expect(toHex(sha256(enc.encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('an SM3 tree is a different tree with the same proofs logic', () => {
    const s = treeHasher(sm3);
    const leaves = Array.from({ length: 37 }, (_, i) => s.leaf(enc.encode(`event ${i}`)));
    const mem = memorySource(s, leaves);
    const root = rootOfLeafHashes(s, leaves);
    expect(toHex(root)).not.toBe(toHex(rootOfLeafHashes(h, leaves)));
    expect(toHex(s.emptyRoot())).toBe('1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b');
    const proof = inclusionProof(s, 20, 37, mem);
    expect(verifyInclusion(s, 20, 37, leaves[20] as Uint8Array, proof, root)).toBe(true);
    expect(verifyInclusion(h, 20, 37, leaves[20] as Uint8Array, proof, root)).toBe(false);
  });
});
