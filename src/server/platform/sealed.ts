import type { FieldCrypto } from './crypto';

/*
 * A JSON value kept whole but sealed with the field key, as `{"sealed": {"enc": base64}}`: for data
 * stored as it was submitted that may hold what the platform never keeps in clear (a natural
 * person's ID number, sensitive fields) — an ingest batch's rejected rows, kept so the department
 * can download, fix and send them again. The field-key rotation re-encrypts such values and seals
 * ones stored in clear before (audit.keys.ts). A value that is not sealed is read as it is.
 */

export interface SealedJson {
  sealed: { enc: string };
}

export function isSealed(v: unknown): v is SealedJson {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const s = (v as { sealed?: unknown }).sealed;
  return !!s && typeof s === 'object' && typeof (s as { enc?: unknown }).enc === 'string';
}

/** The sealed form of a JSON text (null stays null). */
export function sealJson(crypto: FieldCrypto, json: string | null): string | null {
  if (json === null) return null;
  return JSON.stringify({ sealed: { enc: crypto.encrypt(json).toString('base64') } });
}

/** The value from its stored form (sealed, or in clear from before sealing). */
export function openJson(crypto: FieldCrypto, stored: unknown): unknown {
  if (!isSealed(stored)) return stored;
  return JSON.parse(crypto.decrypt(Buffer.from(stored.sealed.enc, 'base64'))) as unknown;
}
