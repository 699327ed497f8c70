import type { Pool } from '../../platform/db';

/*
 * Who may hold a connection for a whole batch, and when. A running batch keeps one pool connection
 * from its first row to COMMIT; batches waiting for their turn must hold none, or running and
 * waiting batches together can take every connection of the pool and wait for each other for ever
 * (and ordinary requests with them). So, in this order, without a connection:
 *
 *   1. the department and item's turn: one batch at a time per pair in this process (batches of
 *      other processes, such as the command line, are kept apart by the advisory lock the batch
 *      transaction takes as well);
 *   2. a batch slot: at most `limit` batches hold connections at once, fewer than the pool has,
 *      so requests, progress reports and the rest keep working;
 *   3. only then the connection.
 *
 * A batch that holds all three needs nothing more from the pool before it ends.
 */

export type Release = () => void;

/** A counting semaphore, first come first served. */
export class Slots {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(readonly limit: number) {}

  get waiting(): number {
    return this.queue.length;
  }

  async acquire(): Promise<Release> {
    if (this.active < this.limit) this.active++;
    // The slot is handed over by the releasing holder, the count unchanged.
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/** One holder at a time per key, in the order they asked. */
export class KeyedTurns {
  private readonly tails = new Map<string, Promise<void>>();

  isBusy(key: string): boolean {
    return this.tails.has(key);
  }

  async acquire(key: string): Promise<Release> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let finish!: () => void;
    const mine = new Promise<void>((resolve) => (finish = resolve));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      finish();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

export interface BatchGate {
  turns: KeyedTurns;
  slots: Slots;
}

/**
 * Batches holding connections at once on a pool of `poolSize`: the configured number when given,
 * else half the pool; at least one, and fewer than the pool has whenever it has more than one.
 */
export function batchLimit(poolSize: number, configured?: number | null): number {
  const ceiling = Math.max(1, poolSize - 1);
  const wanted = configured && configured > 0 ? configured : Math.floor(poolSize / 2);
  return Math.max(1, Math.min(ceiling, wanted));
}

const gates = new WeakMap<Pool, BatchGate>();

/** The gate of a pool, shared by every batch on it (the HTTP API and in-process callers alike). */
export function batchGate(pool: Pool, configured?: number | null): BatchGate {
  let gate = gates.get(pool);
  if (!gate) {
    gate = { turns: new KeyedTurns(), slots: new Slots(batchLimit(pool.options.max ?? 10, configured)) };
    gates.set(pool, gate);
  }
  return gate;
}
