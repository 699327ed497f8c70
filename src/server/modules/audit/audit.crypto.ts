import nodeCrypto, { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  NoteFormatError,
  SIG_ED25519,
  SIG_OTHER,
  SM2_KEY_TAG,
  SUITE_HASH,
  bytesEqual,
  computeKeyId,
  concatBytes,
  formatNote,
  formatVerifierKey,
  keyIdHex,
  parseNote,
  parseVerifierKey,
  treeHasher,
  utf8,
  type HashFn,
  type HashName,
  type SuiteName,
  type TreeHasher,
} from '../../../domain/merkle';
import { type Point, pointOfSpki, scalarOfPrivateDer, sm2Sign, sm2Verify } from './audit.sm2';

/**
 * The server side of the hash suites: OpenSSL (node:crypto) hashes, and the keys that sign checkpoints.
 *
 * 国密 note, measured on Node 20.20 / OpenSSL 3.0 (see docs/audit.md): SM3 works (`sm3`). For SM2,
 * Node signs only with an EMPTY distinguishing ID in Z_A and cannot be told otherwise, while GB/T
 * 35276 (and GM/T 0009) fix the default user ID `1234567812345678`. So SM2 signatures are made and
 * checked by audit.sm2.ts with the standard ID (tested against the GB/T 32918 reference vector).
 * Checkpoints signed before this change (empty ID) still verify, through OpenSSL, so old logs stay
 * checkable; nothing new is signed that way.
 */
/** Node 20.12+'s one-shot `crypto.hash` (absent before: the code falls back to createHash). */
interface OneShot {
  (algorithm: string, data: string | Uint8Array, encoding: 'buffer'): Buffer;
  (algorithm: string, data: string | Uint8Array, encoding: 'hex' | 'latin1'): string;
}
const oneShot = (nodeCrypto as unknown as { hash?: OneShot }).hash;

export function nodeHash(name: HashName): HashFn {
  if (oneShot) return (data) => oneShot(name, data, 'buffer');
  return (data) => nodeCrypto.createHash(name).update(data).digest();
}

/** A suite's tree hasher, backed by OpenSSL, plus a leaf hash straight from the leaf's JSON text. */
export interface LogHasher extends TreeHasher {
  /** H(0x00 ‖ UTF-8(text)) in one native call: no encoding or copying in JS (hot in bulk work). */
  leafOfText(text: string): Uint8Array;
  /** The suite's plain hash of data as a latin1 string, one character per byte (bulk paths). */
  digestLatin1(data: Uint8Array): string;
  nodes(pairs: Uint8Array, out: Uint8Array, count: number): void;
}

/** H(data) as a latin1 string (one character per byte): see suiteHasher for why. */
function latin1Digest(name: HashName): (data: Uint8Array) => string {
  if (oneShot) return (data) => oneShot(name, data, 'latin1');
  return (data) => nodeCrypto.createHash(name).update(data).digest().toString('latin1');
}

const hashers = new Map<HashName, LogHasher>();

/**
 * Node 20.12+ has a one-shot `crypto.hash`. Asked for a Buffer it allocates one per call (≈ 1.2 µs a
 * hash, most of it the allocation); asked for a latin1 string (one character per byte) it costs
 * ≈ 0.4 µs, and writing that string into a preallocated buffer ≈ 0.15 µs more. The bulk paths
 * (digestLatin1, nodes) use the string form.
 */
export function suiteHasher(suite: SuiteName): LogHasher {
  const name = SUITE_HASH[suite];
  let h = hashers.get(name);
  if (!h) {
    const base = treeHasher(nodeHash(name));
    const size = base.size;
    const digestLatin1 = latin1Digest(name);
    const leafOfText = oneShot
      ? (text: string) => oneShot(name, `\u0000${text}`, 'buffer')
      : (text: string) => base.leaf(Buffer.from(text, 'utf8'));
    const scratch = Buffer.alloc(1 + 2 * size);
    scratch[0] = 1;
    const nodes = (pairs: Uint8Array, out: Uint8Array, count: number): void => {
      // Byte loops rather than Buffer#copy / #write: for 32–64 bytes the native calls cost more.
      for (let i = 0; i < count; i++) {
        const from = 2 * i * size;
        for (let j = 0; j < 2 * size; j++) scratch[1 + j] = pairs[from + j] as number;
        const d = digestLatin1(scratch);
        for (let j = 0; j < size; j++) out[i * size + j] = d.charCodeAt(j);
      }
    };
    h = { ...base, leafOfText, digestLatin1, nodes };
    hashers.set(name, h);
  }
  return h;
}

/** SHA-256 as a latin1 string (one character per byte), ≈ 3× cheaper than a Buffer per call. */
export const sha256Latin1 = latin1Digest('sha256');

export { sha256Hex } from '../../platform/crypto';

/** A checkpoint-signing key's public half, identified as C2SP notes do (name + key ID). */
export interface LogKey {
  suite: SuiteName;
  name: string;
  keyId: number;
  /** Signature type byte ‖ public key: what the verifier key string carries. */
  keyData: Uint8Array;
  /** `<name>+<key ID hex>+<base64 key data>` (golang.org/x/mod/sumdb/note format). */
  vkey: string;
  publicKey: KeyObject;
}

export interface LogSigner extends LogKey {
  sign(text: string): Uint8Array;
}

const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

/** Ed25519 from the 32-byte seed of XINYONG_SIGNING_KEY (RFC 8032 private key). */
export function ed25519Signer(name: string, seed: Uint8Array): LogSigner {
  if (seed.length !== 32) throw new Error('an Ed25519 signing key is a 32-byte seed');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI.length);
  const keyData = concatBytes(new Uint8Array([SIG_ED25519]), raw);
  return {
    ...describeKey('sha256-ed25519', name, keyData, publicKey),
    sign: (text) => sign(null, utf8(text), privateKey),
  };
}

/** SM2 (with SM3, standard user ID) from a PKCS#8 private key on curve SM2, PEM or DER. */
export function sm2Signer(name: string, pkcs8: string | Buffer): LogSigner {
  const privateKey =
    typeof pkcs8 === 'string'
      ? createPrivateKey(pkcs8)
      : createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const d = scalarOfPrivateDer(privateKey.export({ format: 'der', type: 'pkcs8' }));
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const keyData = concatBytes(new Uint8Array([SIG_OTHER]), utf8(SM2_KEY_TAG), spki);
  return {
    ...describeKey('sm3-sm2', name, keyData, publicKey),
    sign: (text) => sm2Sign(d, utf8(text)),
  };
}

/**
 * The signer of a configured key (config.signingKey, config.previousSigningKeys): loadConfig has
 * checked the key against the suite (XINYONG_LOG_SUITE), a 32-byte Ed25519 seed or SM2 PKCS#8 DER.
 */
export function logSigner(suite: SuiteName, name: string, key: Buffer): LogSigner {
  return suite === 'sm3-sm2' ? sm2Signer(name, key) : ed25519Signer(name, key);
}

/**
 * The signer of a configured key whose suite the caller does not hold (the feed): told by its form,
 * which loadConfig fixed by the suite (a PKCS#8 key is never 32 bytes long).
 */
export function signerOfKey(name: string, key: Buffer): LogSigner {
  return logSigner(key.length === 32 ? 'sha256-ed25519' : 'sm3-sm2', name, key);
}

/** SM2 with SM3 and the standard user ID (what sm2Signer signs), by an SM2 public key object. */
export function verifySm2(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return sm2Verify(sm2PointOf(publicKey), data, signature);
  } catch {
    return false;
  }
}

const sm2Points = new WeakMap<KeyObject, Point>();
function sm2PointOf(key: KeyObject): Point {
  let p = sm2Points.get(key);
  if (!p) sm2Points.set(key, (p = pointOfSpki(key.export({ format: 'der', type: 'spki' }))));
  return p;
}

function describeKey(suite: SuiteName, name: string, keyData: Uint8Array, publicKey: KeyObject): LogKey {
  return {
    suite,
    name,
    keyId: computeKeyId(name, keyData),
    keyData,
    vkey: formatVerifierKey(name, keyData),
    publicKey,
  };
}

/** A trusted key from its verifier-key string (Ed25519 or this platform's SM2 encoding). */
export function keyFromVerifierKey(vkey: string): LogKey {
  const { name, keyData } = parseVerifierKey(vkey);
  const type = keyData[0];
  if (type === SIG_ED25519 && keyData.length === 33) {
    const publicKey = createPublicKey({
      key: Buffer.concat([ED25519_SPKI, keyData.subarray(1)]),
      format: 'der',
      type: 'spki',
    });
    return describeKey('sha256-ed25519', name, keyData, publicKey);
  }
  const tag = utf8(SM2_KEY_TAG);
  if (type === SIG_OTHER && bytesEqual(keyData.subarray(1, 1 + tag.length), tag)) {
    const spki = Buffer.from(keyData.subarray(1 + tag.length));
    return describeKey('sm3-sm2', name, keyData, createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  }
  throw new NoteFormatError(`unsupported verifier key type ${type ?? '?'}`);
}

export function verifySignature(key: LogKey, text: string, signature: Uint8Array): boolean {
  try {
    if (key.suite === 'sha256-ed25519') return verify(null, utf8(text), key.publicKey, signature);
    // The standard user ID; then the empty one of checkpoints signed before it was used.
    return (
      sm2Verify(sm2PointOf(key.publicKey), utf8(text), signature) ||
      verify('sm3', utf8(text), key.publicKey, signature)
    );
  } catch {
    return false;
  }
}

export function signNote(signer: LogSigner, text: string): string {
  return formatNote(text, [{ name: signer.name, keyId: signer.keyId, signature: signer.sign(text) }]);
}

export interface OpenedNote {
  text: string;
  verifiedBy: LogKey[];
}

/**
 * C2SP verification rules: signatures by unknown keys (name and key ID not both matching) are ignored;
 * a signature by a known key that fails rejects the note; at least one known key must have signed.
 */
export function openNote(note: string, trusted: readonly LogKey[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const verifiedBy: LogKey[] = [];
  for (const s of signatures) {
    const key = trusted.find((k) => k.name === s.name && k.keyId === s.keyId);
    if (!key) continue;
    if (!verifySignature(key, text, s.signature))
      throw new NoteFormatError(`signature by ${s.name}+${keyIdHex(s.keyId)} does not verify`);
    verifiedBy.push(key);
  }
  if (verifiedBy.length === 0) throw new NoteFormatError('no signature by a trusted key');
  return { text, verifiedBy };
}
