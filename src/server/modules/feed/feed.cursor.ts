import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Feed cursors are opaque and signed: 8 bytes of event sequence number and a 12-byte HMAC-SHA256
 * tag, base64url (27 characters). The MAC key is derived from the platform signing key (HKDF,
 * its own label), so there is no second secret to manage, and a cursor cannot be forged or edited
 * to skip events.
 */
export interface CursorCodec {
  encode(seq: number): string;
  /** The sequence number, or null when the cursor is malformed or its tag does not verify. */
  decode(cursor: string): number | null;
}

const TAG = 12;

export function cursorCodec(signingKey: Buffer): CursorCodec {
  const key = Buffer.from(
    hkdfSync('sha256', signingKey, Buffer.from('xinyong'), Buffer.from('feed-cursor-v1'), 32),
  );
  const tag = (body: Buffer) => createHmac('sha256', key).update(body).digest().subarray(0, TAG);
  return {
    encode(seq) {
      const body = Buffer.alloc(8);
      body.writeBigUInt64BE(BigInt(seq));
      return Buffer.concat([body, tag(body)]).toString('base64url');
    },
    decode(cursor) {
      if (!/^[A-Za-z0-9_-]{27}$/.test(cursor)) return null;
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length !== 8 + TAG) return null;
      const body = raw.subarray(0, 8);
      if (!timingSafeEqual(raw.subarray(8), tag(body))) return null;
      const seq = body.readBigUInt64BE();
      return seq > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(seq);
    },
  };
}
