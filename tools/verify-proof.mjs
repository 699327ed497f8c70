#!/usr/bin/env node
// Stand-alone verifier for Xinyong's transparency log. Plain Node (≥ 20), no dependencies, no access
// to the server: it trusts only the public key you give it.
//
//   node tools/verify-proof.mjs --key <vkey | keys file> --checkpoint <checkpoint.txt> --proof <proof.json>
//        [--old-checkpoint <older.txt>] [--payload <payload file>] [--leaf <leaf file>]
//
//   --key             a verifier key `<name>+<key id>+<base64>` (as published at
//                     /.well-known/xinyong/log-keys, field "vkey"), or a file holding one per line, or
//                     that JSON document itself. Repeatable.
//   --checkpoint      a signed checkpoint (GET /api/v1/log/checkpoint), saved as text.
//   --proof           the JSON of GET /api/v1/log/proof/inclusion or /api/v1/log/proof/consistency.
//   --old-checkpoint  for a consistency proof: the older checkpoint you kept (else the proof's
//                     firstRoot is used, which only means something if you compare it yourself).
//   --payload         for an inclusion proof: a file with the event's payload text; its SHA-256 must
//                     equal the payloadSha256 in the leaf.
//   --leaf            for an inclusion proof whose leaf is withheld from you (`leafWithheld`: the
//                     metadata is shown only to auditors, the event's subject and its writer): a file
//                     with the leaf's canonical JSON as you hold it; it must hash to the logged leaf.
//                     Without it, only the leaf hash's place in the signed tree is verified.
//
// Exit status: 0 verified, 1 not verified, 2 usage error. It re-implements the checks of RFC 6962 /
// RFC 9162 and C2SP signed-note independently of the server's code (see docs/audit.md).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import console from 'node:console';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const SM2_KEY_TAG = Buffer.from('xinyong/sm2-sm3:');

export class VerificationError extends Error {}

const fail = (msg) => {
  throw new VerificationError(msg);
};

/** Parses verifier keys from a vkey string, a file of vkeys, or the /.well-known/xinyong/log-keys JSON. */
export function parseKeys(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed).keys.map((k) => parseVerifierKey(k.vkey));
  return trimmed
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map(parseVerifierKey);
}

export function parseVerifierKey(vkey) {
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (a <= 0 || b < 0) fail(`not a verifier key: ${vkey}`);
  const name = vkey.slice(0, a);
  const keyId = vkey.slice(a + 1, b);
  const keyData = Buffer.from(vkey.slice(b + 1), 'base64');
  if (!/^[0-9a-f]{8}$/.test(keyId)) fail(`bad key ID in ${vkey}`);
  const computed = sha256(Buffer.concat([Buffer.from(`${name}\n`), keyData]))
    .subarray(0, 4)
    .toString('hex');
  if (computed !== keyId) fail(`key ID of ${name} does not match its key (${computed} ≠ ${keyId})`);
  if (keyData[0] === 0x01 && keyData.length === 33) {
    const publicKey = createPublicKey({
      key: Buffer.concat([ED25519_SPKI, keyData.subarray(1)]),
      format: 'der',
      type: 'spki',
    });
    return { name, keyId, hash: 'sha256', algorithm: 'Ed25519', publicKey };
  }
  if (keyData[0] === 0xff && keyData.subarray(1, 1 + SM2_KEY_TAG.length).equals(SM2_KEY_TAG)) {
    const spki = keyData.subarray(1 + SM2_KEY_TAG.length);
    return {
      name,
      keyId,
      hash: 'sm3',
      algorithm: 'SM2',
      publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }),
    };
  }
  return fail(`unsupported key type 0x${keyData[0]?.toString(16)} for ${name}`);
}

// SM2 verification (GB/T 32918.2, SM3) with the standard user ID 1234567812345678 (GB/T 35276):
// OpenSSL 3.0 as bound by Node only knows the empty ID, so the arithmetic is done here.
const SM2 = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};
const mod = (x, m) => ((x % m) + m) % m;
function inv(x, m) {
  let [r0, r1, s0, s1] = [mod(x, m), m, 1n, 0n];
  while (r1) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}
function ecAdd(P, Q) {
  if (!P) return Q;
  if (!Q) return P;
  const p = SM2.p;
  if (P[0] === Q[0] && mod(P[1] + Q[1], p) === 0n) return null;
  const l =
    P[0] === Q[0]
      ? mod((3n * P[0] * P[0] + SM2.a) * inv(2n * P[1], p), p)
      : mod((Q[1] - P[1]) * inv(Q[0] - P[0], p), p);
  const x = mod(l * l - P[0] - Q[0], p);
  return [x, mod(l * (P[0] - x) - P[1], p)];
}
function ecMul(k, P) {
  let R = null;
  for (; k > 0n; k >>= 1n, P = ecAdd(P, P)) if (k & 1n) R = ecAdd(R, P);
  return R;
}
const hex32 = (x) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const bigOf = (b) => (b.length ? BigInt(`0x${b.toString('hex')}`) : 0n);
const sm3 = (b) => createHash('sm3').update(b).digest();
function sm2Verify(publicKey, msg, der) {
  try {
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const Q = [bigOf(spki.subarray(-64, -32)), bigOf(spki.subarray(-32))];
    if (der[0] !== 0x30 || der[2] !== 0x02) return false;
    const rl = der[3];
    const r = bigOf(der.subarray(4, 4 + rl));
    const s = bigOf(der.subarray(6 + rl, 6 + rl + der[5 + rl]));
    if (r < 1n || r >= SM2.n || s < 1n || s >= SM2.n) return false;
    const id = Buffer.from('1234567812345678');
    const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
    const z = sm3(Buffer.concat([entl, id, ...[SM2.a, SM2.b, SM2.gx, SM2.gy, Q[0], Q[1]].map(hex32)]));
    const e = bigOf(sm3(Buffer.concat([z, msg])));
    const t = mod(r + s, SM2.n);
    const pt = ecAdd(ecMul(s, [SM2.gx, SM2.gy]), ecMul(t, Q));
    return pt !== null && t !== 0n && mod(e + pt[0], SM2.n) === r;
  } catch {
    return false;
  }
}

function sha256(data) {
  return createHash('sha256').update(data).digest();
}

/** Opens a C2SP signed note: at least one trusted key must have signed; a failing known key rejects. */
export function openNote(note, keys) {
  if (!note.endsWith('\n')) fail('note must end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) fail('note has no signatures');
  const text = note.slice(0, split + 1);
  const verifiedBy = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m) fail(`malformed signature line: ${line}`);
    const blob = Buffer.from(m[2], 'base64');
    const keyId = blob.subarray(0, 4).toString('hex');
    const key = keys.find((k) => k.name === m[1] && k.keyId === keyId);
    if (!key) continue; // unknown keys are ignored (C2SP)
    const sig = blob.subarray(4);
    const ok =
      key.algorithm === 'Ed25519'
        ? verify(null, Buffer.from(text), key.publicKey, sig)
        : sm2Verify(key.publicKey, Buffer.from(text), sig) ||
          // checkpoints signed before the standard user ID was used (OpenSSL's empty ID)
          verify('sm3', Buffer.from(text), key.publicKey, sig);
    if (!ok) fail(`signature by ${key.name}+${keyId} does not verify`);
    verifiedBy.push(key);
  }
  if (verifiedBy.length === 0) fail('no signature by a trusted key');
  return { text, verifiedBy };
}

/** Verifies a checkpoint's signature and returns {origin, size, root, hash}. */
export function openCheckpoint(note, keys) {
  const { text, verifiedBy } = openNote(note, keys);
  const [origin, size, root] = text.slice(0, -1).split('\n');
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size ?? '') || !root) fail('not a checkpoint');
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.toString('base64') !== root) fail('root hash is not canonical base64');
  return {
    origin,
    size: Number(size),
    rootHash,
    hash: verifiedBy[0].hash,
    signedBy: verifiedBy.map((k) => k.name),
  };
}

const hasher = (name) => ({
  leaf: (data) =>
    createHash(name)
      .update(Buffer.from([0]))
      .update(data)
      .digest(),
  node: (l, r) =>
    createHash(name)
      .update(Buffer.from([1]))
      .update(l)
      .update(r)
      .digest(),
});

const odd = (x) => x % 2 === 1;
const half = (x) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2. */
export function rootFromInclusion(h, index, size, leafHash, path) {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = h.node(p, r);
      if (!odd(fn))
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else r = h.node(r, p);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.4.2. */
export function consistencyHolds(h, m, n, root1, root2, proof) {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 1 && m <= n)) return false;
  if (m === n) return proof.length === 0 && root1.equals(root2);
  const path = 2 ** Math.round(Math.log2(m)) === m ? [root1, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = h.node(c, fr);
      sr = h.node(c, sr);
      if (!odd(fn))
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else sr = h.node(sr, c);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

const hexList = (list) => list.map((x) => Buffer.from(x, 'hex'));

/**
 * Verifies an inclusion proof (JSON of /api/v1/log/proof/inclusion) against a signed checkpoint.
 * Returns a description; throws VerificationError when anything does not hold.
 */
export function verifyInclusionProof({ checkpoint, keys, proof, payload, leafText }) {
  const cp = openCheckpoint(checkpoint, keys);
  const h = hasher(cp.hash);
  if (proof.treeSize !== cp.size) fail(`proof is for tree size ${proof.treeSize}, checkpoint has ${cp.size}`);
  if (proof.leafIndex !== proof.seq - 1) fail('leaf index must be seq − 1');
  const leafHash = Buffer.from(proof.leafHash, 'hex');
  const root = rootFromInclusion(h, proof.leafIndex, proof.treeSize, leafHash, hexList(proof.auditPath));
  if (!root || !root.equals(cp.rootHash))
    fail(`leaf ${proof.leafIndex} is not in the checkpointed tree of size ${cp.size}`);
  const base = { origin: cp.origin, treeSize: cp.size, seq: proof.seq, signedBy: cp.signedBy };
  if (leafText !== undefined) {
    // A leaf the caller holds: it is the logged one if it hashes to the leaf hash just proved.
    if (!h.leaf(Buffer.from(leafText, 'utf8')).equals(leafHash))
      fail(`the leaf given does not hash to the logged leaf ${proof.seq}`);
  } else if (proof.leafWithheld === true) {
    if (payload !== undefined)
      fail('the leaf is withheld from this proof: give the leaf (--leaf) to check a payload');
    return { ...base, leaf: null };
  } else if (proof.leaf === null)
    fail(`the logged leaf is in the tree, but event ${proof.seq} is missing from the database`);
  else if (!h.leaf(Buffer.from(proof.leaf, 'utf8')).equals(leafHash))
    fail(
      `event ${proof.seq} as stored now does not hash to its logged leaf: it was altered after it was logged`,
    );
  const leaf = JSON.parse(leafText ?? proof.leaf);
  if (leaf.seq !== proof.seq) fail('the leaf names a different seq');
  if (payload !== undefined && sha256(payload).toString('hex') !== leaf.payloadSha256)
    fail('the payload does not match the payloadSha256 of the logged leaf');
  return { ...base, leaf };
}

/** Verifies a consistency proof (JSON of /api/v1/log/proof/consistency) ending at a signed checkpoint. */
export function verifyConsistencyProof({ checkpoint, keys, proof, oldCheckpoint }) {
  const cp = openCheckpoint(checkpoint, keys);
  const h = hasher(cp.hash);
  if (proof.second !== cp.size) fail(`proof ends at tree size ${proof.second}, checkpoint has ${cp.size}`);
  let root1 = Buffer.from(proof.firstRoot, 'hex');
  let firstSigned = false;
  if (oldCheckpoint !== undefined) {
    const old = openCheckpoint(oldCheckpoint, keys);
    if (old.size !== proof.first)
      fail(`proof starts at tree size ${proof.first}, old checkpoint has ${old.size}`);
    if (old.origin !== cp.origin) fail('the two checkpoints are from different logs');
    root1 = old.rootHash;
    firstSigned = true;
  }
  if (!consistencyHolds(h, proof.first, proof.second, root1, cp.rootHash, hexList(proof.proof)))
    fail(`tree ${proof.first} is not a prefix of tree ${proof.second}: the log was rewritten`);
  return { origin: cp.origin, first: proof.first, second: proof.second, firstSigned, signedBy: cp.signedBy };
}

function parseArgs(argv) {
  const out = { key: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) fail(`unexpected argument ${a}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) fail(`--${m[1]} needs a value`);
    if (m[1] === 'key') out.key.push(value);
    else out[m[1]] = value;
  }
  return out;
}

function readKeys(specs) {
  return specs.flatMap((s) =>
    /^[^+\s]+\+[0-9a-f]{8}\+/.test(s) ? [parseVerifierKey(s)] : parseKeys(readFileSync(s, 'utf8')),
  );
}

export function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
    if (!args.key.length || !args.checkpoint || !args.proof) throw new VerificationError('missing arguments');
  } catch (err) {
    console.error(
      `${err.message}\nusage: node tools/verify-proof.mjs --key <vkey|file> --checkpoint <file> --proof <file> [--old-checkpoint <file>] [--payload <file>] [--leaf <file>]`,
    );
    return 2;
  }
  try {
    const keys = readKeys(args.key);
    const checkpoint = readFileSync(args.checkpoint, 'utf8');
    const proof = JSON.parse(readFileSync(args.proof, 'utf8'));
    if ('auditPath' in proof) {
      const payload = args.payload === undefined ? undefined : readFileSync(args.payload);
      const leafText = args.leaf === undefined ? undefined : readFileSync(args.leaf, 'utf8').trim();
      const r = verifyInclusionProof({ checkpoint, keys, proof, payload, leafText });
      console.log(
        r.leaf === null
          ? `OK: leaf ${proof.leafHash} is event ${r.seq} of ${r.origin} at tree size ${r.treeSize}, signed by ${r.signedBy.join(', ')}; its metadata was withheld (give --leaf to check an event you hold)`
          : `OK: event ${r.seq} (${r.leaf.type}, ${r.leaf.at}) is in ${r.origin} at tree size ${r.treeSize}, signed by ${r.signedBy.join(', ')}`,
      );
      if (payload !== undefined) console.log('OK: the payload matches the logged payload hash');
    } else if ('proof' in proof && 'first' in proof) {
      const oldCheckpoint =
        args['old-checkpoint'] === undefined ? undefined : readFileSync(args['old-checkpoint'], 'utf8');
      const r = verifyConsistencyProof({ checkpoint, keys, proof, oldCheckpoint });
      console.log(
        `OK: ${r.origin} tree ${r.first} is a prefix of tree ${r.second}, signed by ${r.signedBy.join(', ')}`,
      );
      if (!r.firstSigned)
        console.log(
          `note: the root of tree ${r.first} came from the proof; compare it with the one you saw: ${proof.firstRoot}`,
        );
    } else {
      throw new VerificationError('the proof file is neither an inclusion nor a consistency proof');
    }
    return 0;
  } catch (err) {
    console.error(`NOT VERIFIED: ${err.message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
