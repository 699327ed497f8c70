import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../test/support/db';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import {
  appendLeaves,
  formatCheckpoint,
  parseNote,
  reduceHashes,
  sha256,
  toHex,
  treeHasher,
  utf8,
} from '../../../domain/merkle';
import {
  ed25519Signer,
  keyFromVerifierKey,
  nodeHash,
  openNote,
  signNote,
  sm2Signer,
  suiteHasher,
  verifySignature,
} from './audit.crypto';
import { advanceLog, checkpoint, inclusionProof } from './audit.service';
import { publicPoint, SM2_DEFAULT_ID, sm2Sign, sm2Verify, sm2Za } from './audit.sm2';
import { verifyLog } from './audit.verify';

// GB/T 32918.5 curve parameters, for an independent check of what node:crypto's "SM2" signs.
const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const G: [bigint, bigint] = [
  0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
];
type Point = [bigint, bigint] | null;
const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;
const inv = (a: bigint, m: bigint): bigint => {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
};
const add = (p: Point, q: Point): Point => {
  if (!p) return q;
  if (!q) return p;
  if (p[0] === q[0] && mod(p[1] + q[1], P) === 0n) return null;
  const l =
    p[0] === q[0]
      ? mod((3n * p[0] * p[0] + A) * inv(2n * p[1], P), P)
      : mod((q[1] - p[1]) * inv(q[0] - p[0], P), P);
  const x = mod(l * l - p[0] - q[0], P);
  return [x, mod(l * (p[0] - x) - p[1], P)];
};
const mul = (k: bigint, p: Point): Point => {
  let r: Point = null;
  for (; k > 0n; k >>= 1n, p = add(p, p)) if (k & 1n) r = add(r, p);
  return r;
};
const big = (b: Uint8Array): bigint => BigInt(`0x${toHex(b) || '0'}`);
const be32 = (x: bigint): Buffer => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const sm3 = (b: Uint8Array): Buffer => createHash('sm3').update(b).digest();

/** GB/T 32918.2 verification with an explicit distinguishing ID (Z_A). */
function sm2Holds(spki: Buffer, msg: Uint8Array, der: Uint8Array, id: string): boolean {
  const q: [bigint, bigint] = [big(spki.subarray(-64, -32)), big(spki.subarray(-32))];
  const rl = der[3] as number;
  const r = big(der.subarray(4, 4 + rl));
  const s = big(der.subarray(6 + rl));
  const idBits = Buffer.alloc(2);
  idBits.writeUInt16BE(id.length * 8);
  const z = sm3(
    Buffer.concat([
      idBits,
      Buffer.from(id),
      be32(A),
      be32(B),
      be32(G[0]),
      be32(G[1]),
      be32(q[0]),
      be32(q[1]),
    ]),
  );
  const e = big(sm3(Buffer.concat([z, msg])));
  const pt = add(mul(s, G), mul(mod(r + s, N), q));
  return pt !== null && mod(e + pt[0], N) === r;
}

function sm2Key(): string {
  return generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
}

describe('suite hashers', () => {
  it('hash a leaf from its text exactly as from its UTF-8 bytes', () => {
    for (const suite of ['sha256-ed25519', 'sm3-sm2'] as const) {
      const h = suiteHasher(suite);
      for (const text of ['', '{"a":"信用"}', 'x'.repeat(300), '\u{1F600}\n\u0000']) {
        expect(toHex(h.leafOfText(text))).toBe(toHex(h.leaf(utf8(text))));
      }
    }
  });
});

describe('checkpoint keys', () => {
  it('Ed25519 notes reproduce the Go sumdb/note example byte for byte', () => {
    const seed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
    const s = ed25519Signer('PeterNeumann', seed);
    expect(s.vkey).toBe('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    const text =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    expect(signNote(s, text)).toBe(
      `${text}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    );
  });

  it('SM2 matches the GB/T 32918 reference vector with the standard user ID', () => {
    // GB/T 32918.2 / GM/T 0003.5 example on the recommended curve: ID 1234567812345678,
    // message "message digest", fixed k.
    const d = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n;
    const pub = publicPoint(d);
    expect(pub[0].toString(16).padStart(64, '0')).toBe(
      '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
    );
    expect(pub[1].toString(16)).toBe('ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13');
    expect(sm2Za(pub, SM2_DEFAULT_ID).toString('hex')).toBe(
      'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
    );
    const k = 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n;
    const sig = sm2Sign(d, utf8('message digest'), SM2_DEFAULT_ID, k);
    expect(sig.toString('hex')).toBe(
      '3046022100f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
        '022100b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
    );
    expect(sm2Verify(pub, utf8('message digest'), sig)).toBe(true);
    expect(sm2Verify(pub, utf8('message digesT'), sig)).toBe(false);
    expect(sm2Verify(pub, utf8('message digest'), sig, '')).toBe(false);
  });

  it('SM2 signs real SM2 (SM3 digest) with the standard user ID 1234567812345678 (GB/T 35276)', () => {
    const pem = sm2Key();
    const s = sm2Signer('xinyong.local/log', pem);
    const msg = utf8('xinyong.local/log\n1\nAAAA\n');
    const sig = s.sign('xinyong.local/log\n1\nAAAA\n');
    const spki = s.publicKey.export({ format: 'der', type: 'spki' });
    // Checked by the independent verifier above: the standard ID, not OpenSSL's empty one.
    expect(sm2Holds(spki, msg, sig, '1234567812345678')).toBe(true);
    expect(sm2Holds(spki, msg, sig, '')).toBe(false);
    // Checkpoints signed before (OpenSSL, empty ID) still verify.
    const legacy = sign('sm3', msg, createPrivateKey(pem));
    expect(sm2Holds(spki, msg, legacy, '')).toBe(true);
    expect(verifySignature(s, 'xinyong.local/log\n1\nAAAA\n', legacy)).toBe(true);
    expect(verifySignature(s, 'xinyong.local/log\n1\nAAAA\n', sig)).toBe(true);
    expect(verifySignature(s, 'xinyong.local/log\n2\nAAAA\n', sig)).toBe(false);
    const back = keyFromVerifierKey(s.vkey);
    expect(back.suite).toBe('sm3-sm2');
    const note = signNote(
      s,
      formatCheckpoint({ origin: 'xinyong.local/log', size: 1, rootHash: sha256(utf8('x')) }),
    );
    expect(openNote(note, [back]).verifiedBy[0]?.keyId).toBe(s.keyId);
    expect(parseNote(note).signatures[0]?.keyId).toBe(s.keyId);
  });

  it('hashes tree levels in bulk exactly as node by node', () => {
    for (const suite of ['sha256-ed25519', 'sm3-sm2'] as const) {
      const fast = suiteHasher(suite);
      const slow = treeHasher(nodeHash(suite === 'sm3-sm2' ? 'sm3' : 'sha256'));
      expect(slow.nodes).toBeUndefined();
      const leaves = Buffer.from(Array.from({ length: 700 * 32 }, (_, i) => (i * 7919) % 256));
      for (const count of [1, 2, 4, 256]) {
        const input = Buffer.from(leaves); // reduceHashes must not change its input
        expect(toHex(reduceHashes(fast, input, 3, count))).toBe(toHex(reduceHashes(slow, leaves, 3, count)));
        expect(input.equals(leaves)).toBe(true);
      }
      const a = appendLeaves(fast, 0, leaves, new Map());
      const b = appendLeaves(slow, 0, leaves, new Map());
      expect(a.map((t) => toHex(t.hashes))).toEqual(b.map((t) => toHex(t.hashes)));
    }
  });

  it('runs a whole 国密 log: SM3 tree, SM2 checkpoints, verified end to end', async () => {
    const db = await createTestDb();
    try {
      const now = new Date('2026-06-01T02:00:00Z');
      await withTransaction(db.pool, (tx) =>
        appendEvents(
          { db: tx, actor: SYSTEM, requestId: 'sm', now },
          Array.from({ length: 300 }, (_, i) => ({
            type: 'test.sm',
            entityType: 't',
            entityId: String(i),
            payload: { i },
          })),
        ),
      );
      const s = sm2Signer('xinyong.local/log', sm2Key());
      await expect(advanceLog(db.pool, { suite: 'sm3-sm2' })).resolves.toMatchObject({ treeSize: 300 });
      await expect(advanceLog(db.pool)).rejects.toMatchObject({ code: 'SUITE_MISMATCH' });
      const cp = await checkpoint(db.pool, s, { origin: 'xinyong.local/log', now });
      expect(cp?.suite).toBe('sm3-sm2');
      expect((await verifyLog(db.pool, { trusted: [keyFromVerifierKey(s.vkey)] })).ok).toBe(true);

      const proof = await inclusionProof(db.pool, 123, undefined, SYSTEM);
      const v = (await import(pathToFileURL(path.resolve('tools/verify-proof.mjs')).href)) as {
        verifyInclusionProof(a: { checkpoint: string; keys: unknown[]; proof: unknown }): { seq: number };
        parseKeys(text: string): unknown[];
      };
      expect(
        v.verifyInclusionProof({ checkpoint: cp?.note ?? '', keys: v.parseKeys(s.vkey), proof }).seq,
      ).toBe(123);
    } finally {
      await db.drop();
    }
  });
});
