import type { Actor } from '../../platform/context';
import { blindKeyId, type FieldCrypto } from '../../platform/crypto';
import { type Pool, withTransaction } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { blindKeysRepo } from './subjects.blindkey.repository';
import { subjectsRepo } from './subjects.repository';
import { citizenBlindIndex } from './subjects.service';

/** The blind-indexed column the rotation job walks (its progress row in `blind_key_rotation`). */
export const BLIND_TARGET = 'subjects.id_blind';

export interface BlindRotationOptions {
  batchSize?: number;
  /** Forget saved progress and scan from the first subject again. */
  restart?: boolean;
  /** Stop after this many batches (tests interrupt a run with it); default no limit. */
  maxBatches?: number;
  now?: () => Date;
  actor?: Actor;
  onProgress?: (p: { done: number; total: number; reindexed: number }) => void;
}

export interface BlindRotationReport {
  /** Hex id of the current blind key. */
  keyId: string;
  /** Stale rows visited by this run. */
  rows: number;
  /** Rows whose blind index changed (they carried an old key's value). */
  reindexed: number;
  /** Rows whose value was already the current key's: only their key id was recorded. */
  marked: number;
  /** The subject id this run resumed after (0: from the start). */
  resumedFrom: number;
  /** Rows left as they were because another subject already holds their new value (duplicates). */
  conflicts: { id: number; holder: number }[];
  /** Natural persons without an encrypted ID number, whose index cannot be recomputed. */
  unreadable: number[];
  complete: boolean;
}

/**
 * `xinyong rotate-blind-key`: recomputes, under the current blind key (XINYONG_BLIND_INDEX_KEY), the
 * blind index of every natural person not yet recorded as under it (`id_blind_key`), from the
 * decrypted ID number. Batches of `batchSize` rows in id order, each in one transaction with its
 * progress row and a `subject.blind_reindexed` event per row it updated (the in-memory check index
 * reloads those subjects); the rows of a batch are locked, so the running platform never sees half
 * a batch. An interrupted run resumes after the last committed batch; a run with a
 * different current key, or after a finished one, starts over (only stale rows are read). Lookups
 * meanwhile try every configured key (`citizenBlindIndexes`).
 */
export async function rotateBlindKey(
  pool: Pool,
  crypto: FieldCrypto,
  opts: BlindRotationOptions = {},
): Promise<BlindRotationReport> {
  const batchSize = opts.batchSize ?? 500;
  const now = opts.now ?? (() => new Date());
  const actor = opts.actor ?? ({ kind: 'system', name: 'rotate-blind-key' } as Actor);
  const keyId = Buffer.from(crypto.blindKeyId, 'hex');
  const saved = await blindKeysRepo.progress(pool, BLIND_TARGET);
  const fresh = opts.restart || !saved || saved.key_id !== crypto.blindKeyId || saved.finished;
  let state = fresh
    ? { target: BLIND_TARGET, key_id: crypto.blindKeyId, last_id: 0, done: 0, finished: false }
    : { ...saved, last_id: Number(saved.last_id), done: Number(saved.done) };
  const report: BlindRotationReport = {
    keyId: crypto.blindKeyId,
    rows: 0,
    reindexed: 0,
    marked: 0,
    resumedFrom: state.last_id,
    conflicts: [],
    unreadable: [],
    complete: false,
  };
  const total = state.done + (await blindKeysRepo.countStale(pool, keyId));
  let batches = 0;
  while (!state.finished) {
    if (opts.maxBatches !== undefined && batches >= opts.maxBatches) return report;
    batches++;
    const batch = await withTransaction(pool, async (tx) => {
      const rows = await blindKeysRepo.staleBatch(tx, keyId, state.last_id, batchSize);
      const unreadable: number[] = [];
      const computed: { id: number; blind: Buffer; old: Buffer }[] = [];
      for (const row of rows) {
        if (row.id_cipher) {
          const blind = citizenBlindIndex(crypto, crypto.decrypt(row.id_cipher));
          computed.push({ id: row.id, blind, old: row.id_blind });
        } else unreadable.push(row.id);
      }
      // A value another subject already holds is a duplicate person (registered under the new key by
      // a process that did not know the old one): left for the operator, never merged here.
      const holders = await subjectsRepo.byBlindIndexes(
        tx,
        computed.map((c) => c.blind),
      );
      const holder = new Map(holders.map((h) => [h.id_blind.toString('hex'), h.id]));
      const conflicts: { id: number; holder: number }[] = [];
      const updates: { id: number; blind: Buffer }[] = [];
      const changed: number[] = [];
      for (const c of computed) {
        const hex = c.blind.toString('hex');
        const other = holder.get(hex);
        if (other !== undefined && other !== c.id) {
          conflicts.push({ id: c.id, holder: other });
          continue;
        }
        holder.set(hex, c.id);
        updates.push({ id: c.id, blind: c.blind });
        if (!c.blind.equals(c.old)) changed.push(c.id);
      }
      await blindKeysRepo.update(tx, updates, keyId);
      const lastId = rows.length ? (rows[rows.length - 1] as { id: number }).id : state.last_id;
      const next = {
        target: BLIND_TARGET,
        key_id: crypto.blindKeyId,
        last_id: lastId,
        done: state.done + rows.length,
        finished: rows.length < batchSize,
      };
      await blindKeysRepo.saveProgress(tx, next, now());
      // Each row's new value (or only its recorded key) is a change to that subject: one event
      // naming it, like any subject change, so caches keyed by subject (the check index) reload it.
      const changedSet = new Set(changed);
      await appendEvents(
        { db: tx, actor, requestId: 'rotate-blind-key', now: now() },
        updates.map((u) => ({
          type: 'subject.blind_reindexed',
          entityType: 'subject',
          entityId: u.id,
          subjectId: u.id,
          payload: { target: BLIND_TARGET, keyId: crypto.blindKeyId, changed: changedSet.has(u.id) },
        })),
      );
      return { next, rows: rows.length, updated: updates.length, changed, conflicts, unreadable };
    });
    state = batch.next;
    report.rows += batch.rows;
    report.reindexed += batch.changed.length;
    report.marked += batch.updated - batch.changed.length;
    report.conflicts.push(...batch.conflicts);
    report.unreadable.push(...batch.unreadable);
    opts.onProgress?.({ done: state.done, total, reindexed: report.reindexed });
  }
  report.complete = true;
  return report;
}

/** Natural persons whose blind index is not recorded as under the current blind key. */
export function countStaleBlind(pool: Pool, crypto: FieldCrypto): Promise<number> {
  return blindKeysRepo.countStale(pool, Buffer.from(crypto.blindKeyId, 'hex'));
}

/** Where the natural persons' blind indexes stand against the configured blind keys. */
export interface BlindKeyCensus {
  /** Natural persons (rows with a blind index). */
  persons: number;
  /** Under the current key (XINYONG_BLIND_INDEX_KEY). */
  current: number;
  /** Under one of the previous keys (XINYONG_BLIND_INDEX_KEY_PREVIOUS). */
  previous: number;
  /** Under a key not configured at all, or of unknown key (written before migration 0022). */
  other: number;
}

/**
 * Counts the natural persons by the key their blind index was made with: what `rotate-blind-key`
 * tells the operator before it starts, so that a run with nothing to do says why.
 */
export async function blindKeyCensus(
  pool: Pool,
  crypto: FieldCrypto,
  previousKeys: readonly Buffer[],
): Promise<BlindKeyCensus> {
  const previous = new Set(previousKeys.map((k) => blindKeyId(k).toString('hex')));
  previous.delete(crypto.blindKeyId);
  const census: BlindKeyCensus = { persons: 0, current: 0, previous: 0, other: 0 };
  for (const { key_id, n } of await blindKeysRepo.byKey(pool)) {
    census.persons += n;
    if (key_id === crypto.blindKeyId) census.current += n;
    else if (key_id !== null && previous.has(key_id)) census.previous += n;
    else census.other += n;
  }
  return census;
}
