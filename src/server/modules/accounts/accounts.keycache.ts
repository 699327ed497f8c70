import { afterCommit } from '../../platform/commit-bus';
import type { Pool, Queryable } from '../../platform/db';
import { accountsRepo } from './accounts.repository';

/** A verified API key as the authenticator needs it. */
export interface CachedKey {
  keyId: number;
  departmentId: number;
  scopes: string[];
  /** SHA-256 of the secret part: every request still proves it holds the key. */
  keySha256: Buffer;
  /** Epoch milliseconds, or null for no expiry. */
  expiresAt: number | null;
}

interface Entry {
  key: CachedKey;
  cachedUntil: number;
}

const live = new Set<ApiKeyCache>();

/**
 * In-process cache of verified API keys by prefix, so that a department system's requests do not
 * each cost a database lookup. Bounded (least recently used out first). A key leaves the cache:
 *  - at once when this process commits its revocation or rotation (evictApiKeys, after COMMIT);
 *  - within one poll interval when another process does (the poller reads `apikey` and
 *    `department` events from the event log; a failed poll empties the cache);
 *  - when it expires (checked on every use) and after a TTL as a safety net.
 * A lookup that started before an eviction cannot put its (possibly stale) row back: every eviction
 * moves the epoch, and `set` refuses rows read under an older epoch.
 */
export class ApiKeyCache {
  private readonly byPrefix = new Map<string, Entry>();
  private readonly prefixById = new Map<number, string>();
  private epochValue = 0;
  private lastSeq = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get epoch(): number {
    return this.epochValue;
  }

  get size(): number {
    return this.byPrefix.size;
  }

  get(prefix: string, nowMs: number): CachedKey | undefined {
    const e = this.byPrefix.get(prefix);
    if (!e) return undefined;
    if (e.cachedUntil <= nowMs || (e.key.expiresAt !== null && e.key.expiresAt <= nowMs)) {
      this.drop(prefix);
      return undefined;
    }
    this.byPrefix.delete(prefix); // refresh recency: iteration order is insertion order
    this.byPrefix.set(prefix, e);
    return e.key;
  }

  /** Caches a row read under `epoch` (read `epoch` before the lookup); refused if evictions ran since. */
  set(prefix: string, key: CachedKey, epoch: number, nowMs: number): void {
    if (this.max <= 0 || epoch !== this.epochValue) return;
    this.drop(prefix);
    this.byPrefix.set(prefix, { key, cachedUntil: nowMs + this.ttlMs });
    this.prefixById.set(key.keyId, prefix);
    while (this.byPrefix.size > this.max) this.drop(this.byPrefix.keys().next().value as string);
  }

  evict(ids: Iterable<number>): void {
    this.epochValue++;
    for (const id of ids) {
      const prefix = this.prefixById.get(id);
      if (prefix !== undefined) this.drop(prefix);
    }
  }

  clear(): void {
    this.epochValue++;
    this.byPrefix.clear();
    this.prefixById.clear();
  }

  private drop(prefix: string): void {
    const e = this.byPrefix.get(prefix);
    if (!e) return;
    this.byPrefix.delete(prefix);
    if (this.prefixById.get(e.key.keyId) === prefix) this.prefixById.delete(e.key.keyId);
  }

  /** Joins this process's evictions and polls the event log for other processes' changes. */
  async start(pool: Pool, pollMs: number): Promise<void> {
    live.add(this);
    this.lastSeq = await accountsRepo.maxEventSeq(pool);
    const poll = async (): Promise<void> => {
      try {
        const c = await accountsRepo.apiKeyChangesSince(pool, this.lastSeq);
        if (c.lastSeq > this.lastSeq) {
          this.lastSeq = c.lastSeq;
          if (c.global) this.clear();
          else if (c.keyIds.length) this.evict(c.keyIds);
        }
      } catch {
        // Cannot tell what changed: trust nothing cached.
        this.clear();
      }
    };
    this.timer = setInterval(() => void poll(), pollMs);
    this.timer.unref();
  }

  stop(): void {
    live.delete(this);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }
}

/**
 * Drops keys from every cache in this process: now (so no request in flight re-caches them after
 * their change commits, see the epoch) and again once the transaction `db` has committed.
 */
export function evictApiKeys(db: Queryable, ids: readonly number[]): void {
  for (const c of live) c.evict(ids);
  afterCommit(db, () => {
    for (const c of live) c.evict(ids);
  });
}
