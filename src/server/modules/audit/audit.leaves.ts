import { eventLeafJson } from '../../../domain/merkle';
import type { Pool } from '../../platform/db';
import { BinaryCopyReader, type CopyRow } from './audit.copy';
import { sha256Hex, sha256Latin1, type LogHasher } from './audit.crypto';
import { EVENT_COPY_COLUMNS, auditRepo, toLeaf } from './audit.repository';

/**
 * The verifier's bulk path: the leaf hashes of events lo..hi recomputed from the stored rows, read
 * with one binary COPY and hashed without a per-row object or string.
 *
 * The leaf bytes are written straight from the row's bytes: the canonical JSON of the leaf
 * (domain/merkle/leaf.ts) is fixed keys in a fixed order, numbers, and JSON strings — and a JSON
 * string of UTF-8 text that holds no '"', '\' or control character is that text between quotes.
 * A row with such a character in a field, or a time this reader does not format (more than ±285
 * years from 2000, where microseconds stop being exact in a JS number), goes through the reference
 * path instead (eventLeafJson of the row as auditRepo.eventsForVerify reads it). A test holds the
 * two paths to the same leaves for awkward rows.
 */
export interface LeafBatch {
  /** Leaf hash of seq at (seq − lo) · size; zero where the event is not present. */
  leaves: Buffer;
  /** 1 where the event was read and its leaf computed. */
  present: Uint8Array;
  /** Events whose payload does not hash to their payload_sha256, in seq order. */
  payloadBad: number[];
}

const EPOCH_2000_MS = 946_684_800_000;
const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const HEX = new Uint8Array(Buffer.from('0123456789abcdef', 'latin1'));
const COLS = EVENT_COPY_COLUMNS.length;
// Field numbers in EVENT_COPY_COLUMNS.
const F = {
  seq: 0,
  at: 1,
  actorKind: 2,
  actorId: 3,
  type: 4,
  subjectId: 5,
  entityType: 6,
  entityId: 7,
  requestId: 8,
  payload: 9,
  sha: 10,
} as const;

const NOT_NULL = [F.seq, F.at, F.actorKind, F.type, F.entityType, F.entityId, F.sha];
// What a leaf's length grows with (the hash twice: it is written as hex).
const STRINGS = [F.actorId, F.actorKind, F.type, F.entityType, F.entityId, F.requestId, F.sha, F.sha];

const key = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
// The leaf's JSON between its values (keys sorted, as canonicalJson orders them).
const K_ACTOR_ID = key('\0{"actorId":');
const K_ACTOR_KIND = key(',"actorKind":');
const K_AT = key(',"at":"');
const K_ENTITY_ID = key('Z","entityId":');
const K_ENTITY_TYPE = key(',"entityType":');
const K_PAYLOAD = key(',"payloadSha256":"');
const K_REQUEST = key('","requestId":');
const K_SEQ = key(',"seq":');
const K_SUBJECT = key(',"subjectId":');
const K_TYPE = key(',"type":');
const K_END = key('}');
const NULL = key('null');

/** Copies k into out at p; returns the position after it. */
function put(out: Uint8Array, p: number, k: Uint8Array): number {
  for (let i = 0; i < k.length; i++) out[p++] = k[i] as number;
  return p;
}

/** A string of characters < 256 (digits, the formatted time), one byte each. */
function putLatin1(out: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[p++] = s.charCodeAt(i);
  return p;
}

/**
 * A JSON string of the UTF-8 bytes src[start, start+len) (null when len < 0); returns the position
 * after it, or -1 when the text needs escaping (a '"', '\' or control character).
 */
function putString(out: Uint8Array, p: number, src: Uint8Array, start: number, len: number): number {
  if (len < 0) return put(out, p, NULL);
  out[p++] = 0x22;
  for (let i = start, end = start + len; i < end; i++) {
    const c = src[i] as number;
    if (c < 0x20 || c === 0x22 || c === 0x5c) return -1;
    out[p++] = c;
  }
  out[p++] = 0x22;
  return p;
}

function putHex(out: Uint8Array, p: number, src: Uint8Array, start: number, len: number): number {
  for (let i = start, end = start + len; i < end; i++) {
    const c = src[i] as number;
    out[p++] = HEX[c >> 4] as number;
    out[p++] = HEX[c & 15] as number;
  }
  return p;
}

/** The scratch buffer a batch writes its leaves into, and the last second the time was formatted for. */
interface LeafScratch {
  out: Uint8Array;
  second: number;
  prefix: string;
}

/**
 * The time as the leaf has it (to_char … 'YYYY-MM-DD"T"HH24:MI:SS.US', the Z comes with the next
 * key), from int8 microseconds since 2000-01-01 UTC; -1 when that is not exact as a JS number.
 */
function putTime(st: LeafScratch, p: number, src: Buffer, at: number): number {
  const hi = src.readInt32BE(at);
  if (hi >= 0x200000 || hi < -0x200000) return -1;
  const us = hi * 4294967296 + src.readUInt32BE(at + 4);
  const ms = Math.floor(us / 1000);
  const t = ms + EPOCH_2000_MS;
  const second = Math.floor(t / 1000);
  if (second !== st.second) {
    st.second = second;
    st.prefix = new Date(second * 1000).toISOString().slice(0, 20); // YYYY-MM-DDTHH:MM:SS.
  }
  p = putLatin1(st.out, p, st.prefix);
  p = putLatin1(st.out, p, DIGITS3[t - second * 1000] as string);
  return putLatin1(st.out, p, DIGITS3[us - ms * 1000] as string);
}

const int8 = (b: Buffer, at: number): number => b.readInt32BE(at) * 4294967296 + b.readUInt32BE(at + 4);

/**
 * The leaf's layout: each key (with the punctuation around it) and how its value is written. The
 * time is written bare between the quotes that end K_AT and start K_ENTITY_ID ("…Z"), the hash
 * between K_PAYLOAD's and K_REQUEST's.
 */
type Kind = 'string' | 'time' | 'hex' | 'int';
const LAYOUT: readonly (readonly [key: Uint8Array, kind: Kind, field: number])[] = [
  [K_ACTOR_ID, 'string', F.actorId],
  [K_ACTOR_KIND, 'string', F.actorKind],
  [K_AT, 'time', F.at],
  [K_ENTITY_ID, 'string', F.entityId],
  [K_ENTITY_TYPE, 'string', F.entityType],
  [K_PAYLOAD, 'hex', F.sha],
  [K_REQUEST, 'string', F.requestId],
  [K_SEQ, 'int', F.seq],
  [K_SUBJECT, 'int', F.subjectId],
  [K_TYPE, 'string', F.type],
];

/** Writes the leaf bytes of a row into st.out; returns their length, or -1 for the reference path. */
function writeLeaf(st: LeafScratch, src: Buffer, f: Int32Array): number {
  for (const k of NOT_NULL) if ((f[2 * k + 1] as number) < 0) return -1;
  let need = 256;
  for (const k of STRINGS) need += Math.max(0, f[2 * k + 1] as number);
  if (st.out.length < need) st.out = new Uint8Array(Math.max(need, 2 * st.out.length));
  const out = st.out;
  let p = 0;
  for (const [key, kind, k] of LAYOUT) {
    p = put(out, p, key);
    const start = f[2 * k] as number;
    const len = f[2 * k + 1] as number;
    if (kind === 'string') p = putString(out, p, src, start, len);
    else if (kind === 'time') p = len === 8 ? putTime(st, p, src, start) : -1;
    else if (kind === 'hex') p = putHex(out, p, src, start, len);
    else p = len < 0 ? put(out, p, NULL) : putLatin1(out, p, String(int8(src, start)));
    if (p < 0) return -1;
  }
  return put(out, p, K_END);
}

/** Equal when the latin1 string s (one character per byte) holds the bytes b[start, start+len). */
function sameBytes(s: string, b: Buffer, start: number, len: number): boolean {
  if (s.length !== len) return false;
  for (let i = 0; i < len; i++) if (s.charCodeAt(i) !== b[start + i]) return false;
  return true;
}

export async function readLeafBatch(pool: Pool, h: LogHasher, lo: number, hi: number): Promise<LeafBatch> {
  const n = hi - lo + 1;
  const size = h.size;
  const leaves = Buffer.alloc(n * size);
  const present = new Uint8Array(n);
  const payloadBad: number[] = [];
  const deferred: number[] = [];
  const st: LeafScratch = { out: new Uint8Array(4096), second: Number.NaN, prefix: '' };

  const onRow = ({ buf, fields: f }: CopyRow): void => {
    const seq = int8(buf, f[0] as number);
    const i = seq - lo;
    if (i < 0 || i >= n) return;
    const length = writeLeaf(st, buf, f);
    if (length < 0) {
      deferred.push(seq);
      return;
    }
    // Plain Uint8Array views: a Buffer view (subarray) costs several times more to make.
    putLatin1(leaves, i * size, h.digestLatin1(new Uint8Array(st.out.buffer, 0, length)));
    present[i] = 1;
    const shaStart = f[2 * F.sha] as number;
    const payloadStart = f[2 * F.payload] as number;
    const digest = sha256Latin1(
      new Uint8Array(buf.buffer, buf.byteOffset + payloadStart, f[2 * F.payload + 1] as number),
    );
    if (!sameBytes(digest, buf, shaStart, f[2 * F.sha + 1] as number)) payloadBad.push(seq);
  };

  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    const reader = new BinaryCopyReader(COLS, onRow);
    for await (const chunk of auditRepo.eventsBinary(client, lo, hi) as AsyncIterable<Buffer>)
      reader.push(chunk);
    reader.finish();
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    client.release(failed); // a connection left inside a COPY is not reused
  }

  for (const row of await auditRepo.eventsForVerify(pool, deferred)) {
    leaves.set(h.leafOfText(eventLeafJson(toLeaf(row))), (row.seq - lo) * size);
    present[row.seq - lo] = 1;
    if (sha256Hex(row.payload) !== row.payload_sha256) payloadBad.push(row.seq);
  }
  if (deferred.length > 0) payloadBad.sort((a, b) => a - b);
  return { leaves, present, payloadBad };
}
