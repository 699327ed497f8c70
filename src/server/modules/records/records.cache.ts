import type { Pool } from '../../platform/db';
import { onCommitted } from '../../platform/commit-bus';
import { recordsRepo } from './records.repository';

interface Entry<V> {
  value: V;
  subjectId: number;
  day: string;
  expires: number;
}

/**
 * Hot public profiles ("as of now" only). An entry is dropped when an event touches its subject —
 * at once for this process's own commits, within one poll interval for other processes' — when the
 * civil day changes (windows open and close by day), and after a TTL as a safety net.
 *
 * A key is admitted on its second request (`admits`): a profile asked for once — most of them, when
 * the public looks up random subjects — would only churn the cache and the heap's old generation.
 * The keys seen once are kept in a bounded set that starts over when full (the "doorkeeper" of
 * TinyLFU). Values should be flat (the route keeps serialised bytes): a cache of object graphs
 * makes every major garbage collection trace all of them.
 */
export class ProfileCache<V> {
  private readonly byKey = new Map<string, Entry<V>>();
  private readonly keysBySubject = new Map<number, Set<string>>();
  private seenOnce = new Set<string>();
  private lastSeq = 0;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string, day: string, nowMs: number): V | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    if (e.day !== day || e.expires < nowMs) {
      this.delete(key);
      return undefined;
    }
    // Refresh recency: Map iteration order is insertion order, so the first key is the coldest.
    this.byKey.delete(key);
    this.byKey.set(key, e);
    return e.value;
  }

  /**
   * Whether a missed key should be stored now: true from its second request on. The first request
   * only marks the key as seen.
   */
  admits(key: string): boolean {
    if (this.max <= 0) return false;
    if (this.seenOnce.delete(key)) return true;
    if (this.seenOnce.size >= this.max * 2) this.seenOnce = new Set();
    this.seenOnce.add(key);
    return false;
  }

  set(key: string, subjectId: number, day: string, value: V, nowMs: number): void {
    if (this.max <= 0) return;
    this.delete(key);
    this.byKey.set(key, { value, subjectId, day, expires: nowMs + this.ttlMs });
    let keys = this.keysBySubject.get(subjectId);
    if (!keys) this.keysBySubject.set(subjectId, (keys = new Set()));
    keys.add(key);
    while (this.byKey.size > this.max) {
      const coldest = this.byKey.keys().next().value as string;
      this.delete(coldest);
    }
  }

  evictSubjects(ids: Iterable<number>): void {
    for (const id of ids) {
      const keys = this.keysBySubject.get(id);
      if (!keys) continue;
      for (const k of [...keys]) this.delete(k);
    }
  }

  clear(): void {
    this.byKey.clear();
    this.keysBySubject.clear();
    this.seenOnce.clear();
  }

  get size(): number {
    return this.byKey.size;
  }

  private delete(key: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    this.byKey.delete(key);
    const keys = this.keysBySubject.get(e.subjectId);
    keys?.delete(key);
    if (keys && keys.size === 0) this.keysBySubject.delete(e.subjectId);
  }

  /** Follows this process's commits and, by polling the event log, every other process's. */
  async start(pool: Pool, pollMs: number): Promise<void> {
    this.unsubscribe = onCommitted((c) => (c.global ? this.clear() : this.evictSubjects(c.subjectIds)));
    this.lastSeq = await recordsRepo.maxEventSeq(pool);
    const poll = async (): Promise<void> => {
      try {
        const changes = await recordsRepo.changesSince(pool, this.lastSeq);
        if (changes.lastSeq > this.lastSeq) {
          this.lastSeq = changes.lastSeq;
          if (changes.global) this.clear();
          else this.evictSubjects(changes.subjectIds);
        }
      } catch {
        // A failed poll (database restarting) only delays eviction; entries still expire by TTL.
      }
    };
    this.timer = setInterval(() => void poll(), pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.clear();
  }
}
