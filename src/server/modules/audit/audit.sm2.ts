import { createHash, randomBytes } from 'node:crypto';

/**
 * SM2 digital signatures (GB/T 32918.2-2016, with SM3) with the standard default user ID
 * `1234567812345678` (GB/T 35276-2017 §10; GM/T 0009). Node's OpenSSL 3.0 binding signs SM2 only
 * with an empty ID and cannot be told otherwise, so signing and verifying are done here in BigInt
 * arithmetic (Jacobian coordinates); only SM3 comes from OpenSSL. A checkpoint signature costs a
 * few milliseconds.
 */
export const SM2_DEFAULT_ID = '1234567812345678';

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

export type Point = readonly [bigint, bigint];
type Jacobian = readonly [bigint, bigint, bigint]; // Z = 0: the point at infinity

const mod = (a: bigint, m: bigint): bigint => {
  const r = a % m;
  return r < 0n ? r + m : r;
};
function inv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return [0n, 1n, 0n];
  const yy = mod(y * y, P);
  const zz = mod(z * z, P);
  const s = mod(4n * x * yy, P);
  const m = mod(3n * x * x + A * zz * zz, P);
  const x3 = mod(m * m - 2n * s, P);
  return [x3, mod(m * (s - x3) - 8n * yy * yy, P), mod(2n * y * z, P)];
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p[2] === 0n) return q;
  if (q[2] === 0n) return p;
  const z1z1 = mod(p[2] * p[2], P);
  const z2z2 = mod(q[2] * q[2], P);
  const u1 = mod(p[0] * z2z2, P);
  const u2 = mod(q[0] * z1z1, P);
  const s1 = mod(p[1] * q[2] * z2z2, P);
  const s2 = mod(q[1] * p[2] * z1z1, P);
  if (u1 === u2) return s1 === s2 ? double(p) : [0n, 1n, 0n];
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  const hh = mod(h * h, P);
  const hhh = mod(h * hh, P);
  const x3 = mod(r * r - hhh - 2n * u1 * hh, P);
  return [x3, mod(r * (u1 * hh - x3) - s1 * hhh, P), mod(h * p[2] * q[2], P)];
}

function mul(k: bigint, p: Point): Jacobian {
  let acc: Jacobian = [0n, 1n, 0n];
  let base: Jacobian = [p[0], p[1], 1n];
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) acc = add(acc, base);
    base = double(base);
  }
  return acc;
}

function affine([x, y, z]: Jacobian): Point | null {
  if (z === 0n) return null;
  const zi = inv(z, P);
  const zi2 = mod(zi * zi, P);
  return [mod(x * zi2, P), mod(y * zi2 * zi, P)];
}

const be32 = (x: bigint): Buffer => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const big = (b: Uint8Array): bigint => (b.length ? BigInt(`0x${Buffer.from(b).toString('hex')}`) : 0n);
const sm3 = (b: Uint8Array): Buffer => createHash('sm3').update(b).digest();

export function publicPoint(d: bigint): Point {
  return affine(mul(d, [GX, GY])) as Point;
}

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA). */
export function sm2Za(pub: Point, id = SM2_DEFAULT_ID): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(idBytes.length * 8);
  return sm3(
    Buffer.concat([entl, idBytes, be32(A), be32(B), be32(GX), be32(GY), be32(pub[0]), be32(pub[1])]),
  );
}

function derInt(x: bigint): Buffer {
  let b = Buffer.from(
    x
      .toString(16)
      .padStart(2, '0')
      .replace(/^(.(..)*)$/, '0$1'),
    'hex',
  );
  while (b.length > 1 && b[0] === 0 && ((b[1] as number) & 0x80) === 0) b = b.subarray(1);
  if (((b[0] as number) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

function parseDer(sig: Uint8Array): [bigint, bigint] | null {
  const b = Buffer.from(sig);
  if (b[0] !== 0x30 || b[1] !== b.length - 2 || b[2] !== 0x02) return null;
  const rl = b[3] as number;
  if (b[4 + rl] !== 0x02) return null;
  const sl = b[5 + rl] as number;
  if (6 + rl + sl !== b.length) return null;
  return [big(b.subarray(4, 4 + rl)), big(b.subarray(6 + rl))];
}

/** Signs `msg` with private key `d`; DER-encoded (r, s). `k` is for reference vectors only. */
export function sm2Sign(d: bigint, msg: Uint8Array, id = SM2_DEFAULT_ID, k?: bigint): Buffer {
  const pub = publicPoint(d);
  const e = big(sm3(Buffer.concat([sm2Za(pub, id), msg])));
  const dInv = inv(1n + d, N);
  for (;;) {
    const kk = k ?? mod(big(randomBytes(40)), N - 1n) + 1n;
    const x1 = (affine(mul(kk, [GX, GY])) as Point)[0];
    const r = mod(e + x1, N);
    if (r === 0n || r + kk === N) {
      if (k !== undefined) throw new Error('SM2: unusable k');
      continue;
    }
    const s = mod(dInv * (kk - r * d), N);
    if (s === 0n) {
      if (k !== undefined) throw new Error('SM2: unusable k');
      continue;
    }
    const body = Buffer.concat([derInt(r), derInt(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }
}

export function sm2Verify(pub: Point, msg: Uint8Array, sig: Uint8Array, id = SM2_DEFAULT_ID): boolean {
  const rs = parseDer(sig);
  if (!rs) return false;
  const [r, s] = rs;
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = mod(r + s, N);
  if (t === 0n) return false;
  const e = big(sm3(Buffer.concat([sm2Za(pub, id), msg])));
  const pt = affine(add(mul(s, [GX, GY]), mul(t, pub)));
  return pt !== null && mod(e + pt[0], N) === r;
}

/** The public point of an SM2 SubjectPublicKeyInfo (uncompressed point at its end). */
export function pointOfSpki(spki: Uint8Array): Point {
  const b = Buffer.from(spki);
  if (b[b.length - 65] !== 0x04) throw new Error('SM2 public key is not an uncompressed point');
  return [big(b.subarray(-64, -32)), big(b.subarray(-32))];
}

/** The private scalar of an SM2 PKCS#8 or SEC1 DER key (its ECPrivateKey `02 01 01 04 20 ‖ d`). */
export function scalarOfPrivateDer(der: Uint8Array): bigint {
  const b = Buffer.from(der);
  const at = b.indexOf(Buffer.from([0x02, 0x01, 0x01, 0x04, 0x20]));
  if (at < 0) throw new Error('not an SM2 private key');
  return big(b.subarray(at + 5, at + 37));
}
