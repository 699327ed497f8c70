import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Field encryption for natural persons' identifiers: AES-256-GCM with a random 96-bit nonce,
 * stored as version(1) ‖ nonce(12) ‖ tag(16) ‖ ciphertext. A keyed blind index (HMAC-SHA-256 over
 * the normalised value) lets the platform find a person by exact ID without decrypting anything.
 */
export interface FieldCrypto {
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
  blindIndex(normalised: string): Buffer;
}

const VERSION = 1;

export function createFieldCrypto(encKey: Buffer, blindKey: Buffer): FieldCrypto {
  if (encKey.length !== 32) throw new Error('field encryption key must be 32 bytes');
  if (blindKey.length < 32) throw new Error('blind index key must be at least 32 bytes');
  return {
    encrypt(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
    },
    decrypt(blob) {
      if (blob[0] !== VERSION) throw new Error('unknown ciphertext version');
      const decipher = createDecipheriv('aes-256-gcm', encKey, blob.subarray(1, 13));
      decipher.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]).toString('utf8');
    },
    blindIndex(normalised) {
      return createHmac('sha256', blindKey).update(normalised, 'utf8').digest();
    },
  };
}

export function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
