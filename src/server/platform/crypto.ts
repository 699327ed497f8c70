import * as nodeCrypto from 'node:crypto';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Field encryption for natural persons' identifiers, sensitive record fields and TOTP secrets:
 * AES-256-GCM with a random 96-bit nonce. Two stored formats:
 *  - version 2 (written now): 0x02 ‖ key id(4) ‖ nonce(12) ‖ tag(16) ‖ ciphertext. The key id is the
 *    first 4 bytes of SHA-256("xinyong field key" ‖ key), so a reader knows which key to use and the
 *    rotation job (`xinyong rotate-field-key`) knows which rows still carry the old key.
 *  - version 1 (before key ids): 0x01 ‖ nonce(12) ‖ tag(16) ‖ ciphertext; decrypted by trying each
 *    configured key (the GCM tag tells a wrong key).
 * A keyed blind index (HMAC-SHA-256 over the normalised value) lets the platform find a person by
 * exact ID without decrypting anything. New values use the current blind key; while the blind key is
 * rotated (`xinyong rotate-blind-key`), a lookup tries the value under every configured key
 * (`blindIndexes`), since a row may still carry the old key's value.
 */
export interface FieldCrypto {
  /** Encrypts with the current key. */
  encrypt(plain: string): Buffer;
  /** Decrypts with whichever configured key (current or previous) the ciphertext was made with. */
  decrypt(blob: Buffer): string;
  /** The blind index under the current blind key (what new rows store). */
  blindIndex(normalised: string): Buffer;
  /** The blind index under every configured blind key, the current key's first (for lookups). */
  blindIndexes(normalised: string): Buffer[];
  /** Hex id of the current blind key (`blindKeyId`), stored beside each value in `subjects.id_blind_key`. */
  readonly blindKeyId: string;
  /** Hex id of the current key. */
  readonly keyId: string;
  /** True when `blob` is already encrypted with the current key in the current format. */
  isCurrent(blob: Buffer): boolean;
}

const V1 = 1;
const V2 = 2;

export function fieldKeyId(key: Buffer): Buffer {
  return createHash('sha256').update('xinyong field key').update(key).digest().subarray(0, 4);
}

/** The id of a blind-index key: the first 4 bytes of SHA-256("xinyong blind index key" ‖ key). */
export function blindKeyId(key: Buffer): Buffer {
  return createHash('sha256').update('xinyong blind index key').update(key).digest().subarray(0, 4);
}

/**
 * `encKey` encrypts; `previousKeys` (during a rotation: the key being retired) only decrypt.
 * `blindKey` makes new blind-index values; `previousBlindKeys` (during a blind-key rotation) are only
 * used to find rows that still carry a value made with them.
 */
export function createFieldCrypto(
  encKey: Buffer,
  blindKey: Buffer,
  previousKeys: readonly Buffer[] = [],
  previousBlindKeys: readonly Buffer[] = [],
): FieldCrypto {
  for (const k of [encKey, ...previousKeys])
    if (k.length !== 32) throw new Error('field encryption key must be 32 bytes');
  for (const k of [blindKey, ...previousBlindKeys])
    if (k.length < 32) throw new Error('blind index key must be at least 32 bytes');
  const blindKeys = [blindKey, ...previousBlindKeys.filter((k) => !k.equals(blindKey))];
  const hmac = (key: Buffer, normalised: string) =>
    createHmac('sha256', key).update(normalised, 'utf8').digest();
  const currentId = fieldKeyId(encKey);
  const keys = new Map<string, Buffer>();
  for (const k of [encKey, ...previousKeys]) keys.set(fieldKeyId(k).toString('hex'), k);
  const open = (key: Buffer, nonce: Buffer, tag: Buffer, body: Buffer): string => {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  };
  return {
    keyId: currentId.toString('hex'),
    encrypt(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([V2]), currentId, nonce, cipher.getAuthTag(), body]);
    },
    decrypt(blob) {
      if (blob[0] === V2) {
        const key = keys.get(blob.subarray(1, 5).toString('hex'));
        if (!key) throw new Error('ciphertext made with an unknown field key');
        return open(key, blob.subarray(5, 17), blob.subarray(17, 33), blob.subarray(33));
      }
      if (blob[0] !== V1) throw new Error('unknown ciphertext version');
      for (const key of keys.values()) {
        try {
          return open(key, blob.subarray(1, 13), blob.subarray(13, 29), blob.subarray(29));
        } catch {
          // wrong key: try the next one
        }
      }
      throw new Error('ciphertext matches no configured field key');
    },
    blindKeyId: blindKeyId(blindKey).toString('hex'),
    blindIndex(normalised) {
      return hmac(blindKey, normalised);
    },
    blindIndexes(normalised) {
      return blindKeys.map((k) => hmac(k, normalised));
    },
    isCurrent(blob) {
      return blob[0] === V2 && blob.subarray(1, 5).equals(currentId);
    },
  };
}

/** The platform's field crypto from its configuration (current and previous keys of both kinds). */
export function fieldCryptoOf(keys: {
  fieldKey: Buffer;
  blindIndexKey: Buffer;
  previousFieldKeys: readonly Buffer[];
  previousBlindIndexKeys: readonly Buffer[];
}): FieldCrypto {
  return createFieldCrypto(
    keys.fieldKey,
    keys.blindIndexKey,
    keys.previousFieldKeys,
    keys.previousBlindIndexKeys,
  );
}

/** Node 20.12+'s one-shot `crypto.hash`: one native call, no Hash object (hot: every API-key request). */
const oneShot = (
  nodeCrypto as unknown as {
    hash?: (algorithm: string, data: string | Uint8Array, encoding: 'buffer' | 'hex') => Buffer | string;
  }
).hash;

export function sha256(data: string | Buffer): Buffer {
  if (oneShot) return oneShot('sha256', data, 'buffer') as Buffer;
  return createHash('sha256').update(data).digest();
}

/** SHA-256 as lower-case hex (a string result is cheaper than a Buffer from the one-shot call). */
export function sha256Hex(data: string | Uint8Array): string {
  if (oneShot) return oneShot('sha256', data, 'hex') as string;
  return createHash('sha256').update(data).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
