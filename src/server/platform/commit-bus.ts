import type { Queryable } from './db';

/**
 * Tells in-process caches what a committed transaction changed. appendEvents notes the subjects
 * (or "everything", for catalogue and department changes) on the transaction's client; after COMMIT,
 * withTransaction publishes them. Other processes learn the same from the event log (see the
 * pollers of the caches), so this is an optimisation for read-your-writes, not the only path.
 */
export interface Committed {
  subjectIds: ReadonlySet<number>;
  global: boolean;
}

type Listener = (c: Committed) => void;

const pending = new WeakMap<object, { subjectIds: Set<number>; global: boolean }>();
const listeners = new Set<Listener>();

/**
 * Past this many subjects in one transaction (a bulk import names millions) the transaction is
 * noted as "everything": clearing the caches once is cheaper than holding and evicting every id,
 * and the memory a batch holds stays flat.
 */
export const MAX_NOTED_SUBJECTS = 10_000;

export function noteChange(db: Queryable, subjectIds: Iterable<number>, global: boolean): void {
  let p = pending.get(db);
  if (!p) {
    p = { subjectIds: new Set(), global: false };
    pending.set(db, p);
  }
  if (global) p.global = true;
  if (p.global) return void p.subjectIds.clear();
  for (const id of subjectIds) p.subjectIds.add(id);
  if (p.subjectIds.size > MAX_NOTED_SUBJECTS) {
    p.global = true;
    p.subjectIds.clear();
  }
}

const callbacks = new WeakMap<object, (() => void)[]>();

/**
 * Runs `fn` once the transaction `db` belongs to has committed (dropped if it rolls back). On the
 * pool (no transaction: each statement commits by itself) `fn` runs at once.
 */
export function afterCommit(db: Queryable, fn: () => void): void {
  if (!('release' in db)) {
    fn();
    return;
  }
  const list = callbacks.get(db);
  if (list) list.push(fn);
  else callbacks.set(db, [fn]);
}

const marks = new Set<WeakSet<object>>();

/**
 * A mark on the transaction a client is in (e.g. "this transaction changed the calendar: read it
 * uncached"), dropped when that transaction commits or rolls back: the pool's clients outlive their
 * transactions. Marking the pool (no transaction) does nothing.
 */
function transactionMark(): { add(db: Queryable): void; has(db: Queryable): boolean } {
  const marked = new WeakSet<object>();
  marks.add(marked);
  return {
    add: (db) => {
      if ('release' in db) marked.add(db);
    },
    has: (db) => marked.has(db),
  };
}

/**
 * A per-process cache of data an administrator changes rarely (the calendar, a policy, checksum
 * overrides), read at most every `ttlMs`: `get` answers from it; a transaction that changed the
 * data calls `changed` and from then on reads its own, uncached, and every reader gets the new data
 * once that transaction has committed. (Dropped at once, a read by another request before the
 * COMMIT would cache the old data for another `ttlMs`; cached from inside the transaction, a change
 * that then rolled back would be everyone's.) A failed read is not kept.
 */
export function changeAwareCache<T>(
  load: (db: Queryable) => Promise<T>,
  ttlMs = 30_000,
): { get(db: Queryable): Promise<T>; changed(db: Queryable): void } {
  let cached: { at: number; value: Promise<T> } | null = null;
  const changedIn = transactionMark();
  return {
    get(db) {
      if (changedIn.has(db)) return load(db);
      const t = Date.now();
      if (!cached || t - cached.at > ttlMs) {
        const entry = { at: t, value: load(db) };
        cached = entry;
        entry.value.catch(() => {
          if (cached === entry) cached = null;
        });
      }
      return cached.value;
    },
    changed(db) {
      changedIn.add(db);
      afterCommit(db, () => {
        cached = null;
      });
    },
  };
}

export function publishCommitted(db: Queryable): void {
  for (const m of marks) m.delete(db);
  const fns = callbacks.get(db);
  callbacks.delete(db);
  for (const fn of fns ?? []) fn();
  const p = pending.get(db);
  if (!p) return;
  pending.delete(db);
  publish(p);
}

/** Tells the listeners of a change already committed (a statement on the pool, its own transaction). */
export function publish(c: Committed): void {
  for (const l of listeners) l(c);
}

export function discardPending(db: Queryable): void {
  for (const m of marks) m.delete(db);
  pending.delete(db);
  callbacks.delete(db);
}

export function onCommitted(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
