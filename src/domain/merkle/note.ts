import { concatBytes, fromBase64, toBase64, utf8 } from './bytes';
import { sha256 } from './sha256';

/**
 * C2SP signed notes (c2sp.org/signed-note) and transparency-log checkpoints (c2sp.org/tlog-checkpoint).
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n      ← the note text (signed, final newline included)
 *   \n                                              ← blank line
 *   — <key name> <base64(key ID ‖ signature)>\n     ← one line per signature (U+2014 em dash)
 *
 * key ID = first 4 bytes (big-endian uint32) of SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key).
 * Verifier keys are written `<name>+<8 hex key ID>+<base64(signature type ‖ public key)>` as in Go's
 * golang.org/x/mod/sumdb/note.
 */
export const SIG_ED25519 = 0x01;
/** C2SP's "other" type; followed by an identifier, as the spec recommends. */
export const SIG_OTHER = 0xff;

export class NoteFormatError extends Error {}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions: string[];
}

export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Uint8Array;
}

export interface VerifierKey {
  name: string;
  keyId: number;
  /** Signature type byte followed by the public key encoding. */
  keyData: Uint8Array;
}

const EM_DASH = '\u2014';

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasControl(name);
}

function hasControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0009\u000b-\u001f\u007f]/.test(text);
}

export function formatCheckpoint(c: Omit<Checkpoint, 'extensions'> & { extensions?: string[] }): string {
  if (!isValidKeyName(c.origin)) throw new NoteFormatError('origin must be non-empty, without spaces or +');
  if (!Number.isSafeInteger(c.size) || c.size < 0)
    throw new NoteFormatError('tree size must be a non-negative integer');
  const ext = c.extensions ?? [];
  if (ext.some((l) => l === '' || l.includes('\n')))
    throw new NoteFormatError('extension lines must be non-empty');
  return [c.origin, String(c.size), toBase64(c.rootHash), ...ext].join('\n') + '\n';
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteFormatError('checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (origin === undefined || size === undefined || root === undefined)
    throw new NoteFormatError('checkpoint needs origin, size and root lines');
  if (origin === '' || extensions.some((l) => l === ''))
    throw new NoteFormatError('checkpoint lines must be non-empty');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new NoteFormatError('tree size must be decimal without leading zeros');
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(root);
  } catch {
    throw new NoteFormatError('root hash is not base64');
  }
  return { origin, size: Number(size), rootHash, extensions };
}

export function signatureLine(sig: NoteSignature): string {
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, sig.keyId >>> 0);
  return `${EM_DASH} ${sig.name} ${toBase64(concatBytes(id, sig.signature))}\n`;
}

export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  if (!text.endsWith('\n')) throw new NoteFormatError('note text must end with a newline');
  if (hasControl(text)) throw new NoteFormatError('note text must not contain control characters');
  if (signatures.length === 0) throw new NoteFormatError('a note needs at least one signature');
  return `${text}\n${signatures.map(signatureLine).join('')}`;
}

/** Splits a signed note into its text and signature lines (signatures are not verified here). */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (hasControl(note)) throw new NoteFormatError('note must not contain control characters');
  if (!note.endsWith('\n')) throw new NoteFormatError('note must end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteFormatError('note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures = lines.map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m) throw new NoteFormatError('malformed signature line');
    const name = m[1] as string;
    let blob: Uint8Array;
    try {
      blob = fromBase64(m[2] as string);
    } catch {
      throw new NoteFormatError('signature is not base64');
    }
    if (blob.length < 5 || !isValidKeyName(name)) throw new NoteFormatError('malformed signature line');
    const keyId = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0);
    return { name, keyId, signature: blob.slice(4) };
  });
  if (signatures.length === 0) throw new NoteFormatError('note has no signatures');
  return { text, signatures };
}

/** key ID = SHA-256(name ‖ 0x0A ‖ keyData)[:4] as a big-endian uint32; keyData = type ‖ public key. */
export function computeKeyId(name: string, keyData: Uint8Array): number {
  const digest = sha256(concatBytes(utf8(`${name}\n`), keyData));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

export function formatVerifierKey(name: string, keyData: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteFormatError('key name must be non-empty, without spaces or +');
  return `${name}+${keyIdHex(computeKeyId(name, keyData))}+${toBase64(keyData)}`;
}

export function keyIdHex(keyId: number): string {
  return (keyId >>> 0).toString(16).padStart(8, '0');
}

export function parseVerifierKey(vkey: string): VerifierKey {
  // The base64 part may itself contain '+': split on the first two only.
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new NoteFormatError('verifier key must be <name>+<key id>+<key data>');
  const name = vkey.slice(0, a);
  const idHex = vkey.slice(a + 1, b);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex))
    throw new NoteFormatError('malformed verifier key');
  let keyData: Uint8Array;
  try {
    keyData = fromBase64(vkey.slice(b + 1));
  } catch {
    throw new NoteFormatError('verifier key data is not base64');
  }
  if (keyData.length < 2) throw new NoteFormatError('verifier key data is too short');
  const keyId = parseInt(idHex, 16);
  if (computeKeyId(name, keyData) !== keyId)
    throw new NoteFormatError('verifier key ID does not match its key');
  return { name, keyId, keyData };
}
