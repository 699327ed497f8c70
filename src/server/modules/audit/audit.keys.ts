import type { Actor } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { type Pool, withTransaction } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { isSealed, sealJson } from '../../platform/sealed';
import { sealPlaintextTotpSecrets } from '../accounts';
import { type CipherRow, keysRepo } from './audit.keys.repository';
import { storedPayloadSha256 } from './audit.state.rows';

/** Everything encrypted with the field key, in the order the rotation job visits it. */
export const ROTATION_TARGETS = [
  'users.totp',
  'subjects.id_cipher',
  'records.payload',
  'record_versions.payload',
  'ingest_batch_rows.cells',
] as const;

export interface RotationReport {
  keyId: string;
  targets: { target: string; rows: number; reencrypted: number; resumedFrom: number }[];
}

export interface RotationOptions {
  batchSize?: number;
  /** Forget saved progress and scan everything again. */
  restart?: boolean;
  /** Stop after this many batches (tests interrupt a run with it); default no limit. */
  maxBatches?: number;
  now?: () => Date;
  actor?: Actor;
  onProgress?: (p: { target: string; done: number; total: number; reencrypted: number }) => void;
}

/** Re-encrypts one ciphertext unless it already uses the current key; null when unchanged. */
function reseal(crypto: FieldCrypto, blob: Buffer | null): Buffer | null {
  if (!blob || crypto.isCurrent(blob)) return null;
  return crypto.encrypt(crypto.decrypt(blob));
}

/** Sensitive record fields are stored as `{ "enc": base64 }` (records.check.ts storedPayload). */
function resealPayload(
  crypto: FieldCrypto,
  payload: Record<string, unknown>,
): Record<string, unknown> | null {
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) {
    const enc = v && typeof v === 'object' ? (v as { enc?: unknown }).enc : undefined;
    if (typeof enc === 'string') {
      const next = reseal(crypto, Buffer.from(enc, 'base64'));
      if (next) {
        out[k] = { ...(v as object), enc: next.toString('base64') };
        changed = true;
        continue;
      }
    }
    out[k] = v;
  }
  return changed ? out : null;
}

function resealRow(crypto: FieldCrypto, row: CipherRow): CipherRow | null {
  if (row.json !== undefined) {
    // A sealed value under an old key is re-encrypted; one still in clear is sealed.
    if (isSealed(row.json)) {
      const next = reseal(crypto, Buffer.from(row.json.sealed.enc, 'base64'));
      return next ? { ...row, json: { sealed: { enc: next.toString('base64') } } } : null;
    }
    return { ...row, json: JSON.parse(sealJson(crypto, JSON.stringify(row.json)) as string) as unknown };
  }
  if (row.payload) {
    const payload = resealPayload(crypto, row.payload);
    return payload ? { ...row, payload } : null;
  }
  const blobs = row.blobs.map((b) => reseal(crypto, b));
  if (blobs.every((b) => b === null)) return null;
  return { ...row, blobs: blobs.map((b, i) => b ?? row.blobs[i] ?? null) };
}

/**
 * `xinyong rotate-field-key`: re-encrypts every field-key ciphertext that is not under the current
 * key (XINYONG_FIELD_KEY), reading old ones with the previous keys (XINYONG_FIELD_KEY_PREVIOUS).
 * Batches of `batchSize` rows, each in one transaction with its progress row and a
 * `security.field_key_reencrypted` event; the rows of a batch are locked, so a concurrent change by
 * the running platform is never overwritten. An interrupted run resumes after the last committed
 * batch; a run with a different current key, or after a finished one, starts over (rows written
 * under an old key since are found). Running it again when nothing is stale changes nothing.
 *
 * A record payload's event hash (records.check.ts) no longer matches once it is re-encrypted, so the
 * event of a batch of record payloads lists each rewritten row's new hash, `hashes: [[id, version
 * or null for the head, SHA-256 of the stored payload]]`: verify-log checks the row against it.
 */
export async function rotateFieldKey(
  pool: Pool,
  crypto: FieldCrypto,
  opts: RotationOptions = {},
): Promise<RotationReport & { complete: boolean }> {
  const batchSize = opts.batchSize ?? 500;
  const now = opts.now ?? (() => new Date());
  const actor = opts.actor ?? ({ kind: 'system', name: 'rotate-field-key' } as Actor);
  let batches = 0;
  const report: RotationReport = { keyId: crypto.keyId, targets: [] };
  // Secrets still in plaintext (from before migration 0017) are sealed first.
  await withTransaction(pool, (tx) => sealPlaintextTotpSecrets(tx, crypto, now(), actor));
  for (const target of ROTATION_TARGETS) {
    const saved = await keysRepo.progress(pool, target);
    // A finished run is not resumed: running again scans from the start (only stale rows change).
    const fresh = opts.restart || !saved || saved.key_id !== crypto.keyId || saved.finished;
    let state = fresh
      ? { target, key_id: crypto.keyId, last_id: 0, done: 0, finished: false }
      : { ...saved, last_id: Number(saved.last_id), done: Number(saved.done) };
    const entry = { target, rows: 0, reencrypted: 0, resumedFrom: state.last_id };
    report.targets.push(entry);
    const total = await keysRepo.count(pool, target);
    while (!state.finished) {
      if (opts.maxBatches !== undefined && batches >= opts.maxBatches) return { ...report, complete: false };
      batches++;
      state = await withTransaction(pool, async (tx) => {
        const rows = await keysRepo.batch(tx, target, state.last_id, batchSize);
        let changed = 0;
        const hashes: [number, number | null, string][] = [];
        for (const row of rows) {
          const next = resealRow(crypto, row);
          if (next) {
            const stored = await keysRepo.update(tx, target, next);
            if (stored !== null) hashes.push([row.id, row.version ?? null, storedPayloadSha256(stored)]);
            changed++;
          }
        }
        const ids = rows.map((r) => r.id);
        const lastId = ids.length ? Math.max(...ids) : state.last_id;
        const units = new Set(ids).size;
        const next = {
          target,
          key_id: crypto.keyId,
          last_id: lastId,
          done: state.done + units,
          finished: units < batchSize,
        };
        await keysRepo.saveProgress(tx, next, now());
        if (changed > 0)
          await appendEvents({ db: tx, actor, requestId: 'rotate-field-key', now: now() }, [
            {
              type: 'security.field_key_reencrypted',
              entityType: 'field_key',
              entityId: crypto.keyId,
              payload: {
                target,
                fromId: state.last_id,
                toId: lastId,
                rows: changed,
                keyId: crypto.keyId,
                ...(target === 'records.payload' || target === 'record_versions.payload' ? { hashes } : {}),
              },
            },
          ]);
        entry.rows += units;
        entry.reencrypted += changed;
        return next;
      });
      opts.onProgress?.({ target, done: state.done, total, reencrypted: entry.reencrypted });
    }
  }
  return { ...report, complete: true };
}

/** Ciphertexts not yet under the current key, per target (what remains to rotate). */
export async function countStale(pool: Pool, crypto: FieldCrypto): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const target of ROTATION_TARGETS) {
    let after = 0;
    let stale = 0;
    for (;;) {
      const rows = await keysRepo.batch(pool, target, after, 1000);
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.json !== undefined) {
          if (!isSealed(r.json) || !crypto.isCurrent(Buffer.from(r.json.sealed.enc, 'base64'))) stale++;
          continue;
        }
        const blobs = r.payload
          ? Object.values(r.payload).flatMap((v) => {
              const enc = v && typeof v === 'object' ? (v as { enc?: unknown }).enc : undefined;
              return typeof enc === 'string' ? [Buffer.from(enc, 'base64')] : [];
            })
          : r.blobs.filter((b): b is Buffer => b !== null);
        if (blobs.some((b) => !crypto.isCurrent(b))) stale++;
      }
      after = Math.max(...rows.map((r) => r.id));
    }
    out[target] = stale;
  }
  return out;
}
