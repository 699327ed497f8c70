import type { Readable } from 'node:stream';
import { BinaryCopyReader, type CopyRow } from './audit.copy';
import { sha256Hex } from './audit.crypto';

/**
 * Rows of the state check read from a binary COPY stream (audit.copy.ts) into plain arrays: ints as
 * numbers, text as strings, dates as 'YYYY-MM-DD' (as the driver gives them elsewhere), times as
 * microseconds since 1970, and a payload column as the hash the record events take of it
 * (storedPayloadSha256), computed from the row's bytes without building its text or value.
 */
export type ColumnType = 'int8' | 'int4' | 'text' | 'date' | 'time' | 'payload';

/** µs from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch). */
const PG_EPOCH_US = 946_684_800_000_000;
const PG_EPOCH_MS = 946_684_800_000;

/**
 * The payload hash as the record events take it (records.check.ts recordEvent): SHA-256 of
 * JSON.stringify of the stored jsonb value as the driver parses it (JSON.parse of PostgreSQL's
 * text, so keys in jsonb order).
 */
export function storedPayloadSha256(jsonbText: string): string {
  const bytes = Buffer.from(jsonbText, 'utf8');
  return payloadHash(bytes, 0, bytes.length);
}

/** storedPayloadSha256 of the jsonb text in bytes src[start, start+len). */
function payloadHash(src: Buffer, start: number, len: number): string {
  return (
    compactHash(src, start, len) ??
    sha256Hex(JSON.stringify(JSON.parse(src.toString('utf8', start, start + len))))
  );
}

let scratch = new Uint8Array(8192);

/**
 * SHA-256 (hex) of JSON.stringify(JSON.parse(t)) for PostgreSQL's jsonb text t (UTF-8 bytes
 * src[start, start+len)), without building the value; null when that is not sure. PostgreSQL
 * writes jsonb with a space after each ',' and ':' and nowhere else outside strings, and escapes
 * strings as JSON.stringify does (\" \\ \b \f \n \r \t, other control characters as \u00xx); so
 * dropping those spaces gives the same text, unless a number would be rewritten by JavaScript (a
 * fraction, an exponent, more than 15 digits) or an object key is all digits (JavaScript puts such
 * keys first). Those take JSON.parse.
 */
export function compactHash(src: Uint8Array, start: number, len: number): string | null {
  if (scratch.length < len) scratch = new Uint8Array(Math.max(len, 2 * scratch.length));
  const out = scratch;
  let p = 0;
  let digits = 0;
  for (let i = start, end = start + len; i < end;) {
    const c = src[i] as number;
    if (c === 0x22) {
      out[p++] = c;
      const from = ++i;
      let allDigits = true;
      while (i < end) {
        const d = src[i++] as number;
        out[p++] = d;
        if (d === 0x5c) {
          allDigits = false;
          out[p++] = src[i++] as number;
        } else if (d === 0x22) break;
        else if (d < 0x30 || d > 0x39) allDigits = false;
      }
      if (allDigits && i - from > 1 && src[i] === 0x3a) return null; // "123": a digit key
      digits = 0;
    } else if (c === 0x20) {
      i++;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (++digits > 15) return null;
      out[p++] = c;
      i++;
    } else if (c === 0x2e || ((c === 0x65 || c === 0x45) && digits > 0)) {
      return null; // a fraction or an exponent: a number JavaScript may write differently
    } else {
      digits = 0;
      out[p++] = c;
      i++;
    }
  }
  return sha256Hex(new Uint8Array(out.buffer, 0, p));
}

const dates = new Map<number, string>();

/** Days since 2000-01-01 as 'YYYY-MM-DD'. */
function dateText(days: number): string {
  let s = dates.get(days);
  if (s === undefined) {
    s = new Date(PG_EPOCH_MS + days * 86_400_000).toISOString().slice(0, 10);
    if (dates.size < 100_000) dates.set(days, s);
  }
  return s;
}

function decode(types: readonly ColumnType[], { buf, fields }: CopyRow): unknown[] {
  const row = new Array<unknown>(types.length);
  for (let k = 0; k < types.length; k++) {
    const at = fields[2 * k] as number;
    const len = fields[2 * k + 1] as number;
    if (len < 0) {
      row[k] = null;
      continue;
    }
    switch (types[k]) {
      case 'int8':
        row[k] = buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
        break;
      case 'int4':
        row[k] = buf.readInt32BE(at);
        break;
      case 'text':
        row[k] = buf.toString('utf8', at, at + len);
        break;
      case 'date':
        row[k] = dateText(buf.readInt32BE(at));
        break;
      case 'time':
        row[k] = buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4) + PG_EPOCH_US;
        break;
      case 'payload':
        row[k] = payloadHash(buf, at, len);
        break;
    }
  }
  return row;
}

/** Reads a binary COPY stream of columns `types` into arrays. */
export async function readRows(types: readonly ColumnType[], stream: Readable): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  const reader = new BinaryCopyReader(types.length, (r) => rows.push(decode(types, r)));
  for await (const chunk of stream as AsyncIterable<Buffer>) reader.push(chunk);
  reader.finish();
  return rows;
}
