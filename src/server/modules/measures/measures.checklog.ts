import type { Actor } from '../../platform/context';
import { actorLabel } from '../../platform/context';
import { withTransaction, type Pool } from '../../platform/db';
import { appendEvents, type NewEvent } from '../../platform/events';
import { measuresRepo, type CheckRow } from './measures.repository';

interface Pending {
  row: CheckRow;
  event: NewEvent;
  actor: Actor;
  requestId: string;
  now: Date;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MAX_GROUP = 2000;

/**
 * XINYONG_CHECK_LOG_SYNC=off commits check records with synchronous_commit off: a call is still
 * answered only after its group committed, but a crash of the database server may lose the last
 * fraction of a second of check records. Default on (durable before the answer). Read here, like
 * the audit module's settings, to keep the knob next to the code it changes.
 */
export function checkLogSync(env: Record<string, string | undefined> = process.env): boolean {
  return env.XINYONG_CHECK_LOG_SYNC !== 'off';
}

/**
 * Every check call is a row in `checks` and an event. Checks are reads, so instead of one
 * transaction (and one commit flush) per call, the log commits them in groups: a call waits until
 * the group holding its event has committed, then answers. While one group commits the next one
 * fills, so under load a commit carries hundreds of calls; alone, a call waits for one commit.
 */
export class CheckLog {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly sync = checkLogSync(),
  ) {}

  append(entry: {
    row: CheckRow;
    event: NewEvent;
    actor: Actor;
    requestId: string;
    now: Date;
  }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...entry, resolve, reject });
      if (!this.running) this.running = this.drainLoop();
    });
  }

  /** Resolves when everything appended so far has been written (or failed). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drainLoop(): Promise<void> {
    try {
      while (this.queue.length) {
        // Let requests that arrived in the same turn of the event loop join this group.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          await this.write(group);
          for (const g of group) g.resolve();
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async write(group: readonly Pending[]): Promise<void> {
    // appendEvents stamps one actor, request and instant per call: one call per actor, at the
    // latest instant of its calls; each event's payload carries its own request id and instant.
    const byActor = new Map<string, Pending[]>();
    for (const g of group) {
      const key = actorLabel(g.actor);
      const list = byActor.get(key);
      if (list) list.push(g);
      else byActor.set(key, [g]);
    }
    await withTransaction(this.pool, async (tx) => {
      if (!this.sync) await tx.query('SET LOCAL synchronous_commit = off');
      await measuresRepo.insertChecks(
        tx,
        group.map((g) => g.row),
      );
      for (const members of byActor.values()) {
        const first = members[0] as Pending;
        let now = first.now;
        for (const m of members) if (m.now > now) now = m.now;
        await appendEvents(
          {
            db: tx,
            actor: first.actor,
            requestId: members.length === 1 ? first.requestId : `checks:${first.requestId}`,
            now,
          },
          members.map((m) => m.event),
        );
      }
    });
  }
}

const logs = new WeakMap<Pool, CheckLog>();

export function checkLogFor(pool: Pool): CheckLog {
  let log = logs.get(pool);
  if (!log) {
    log = new CheckLog(pool);
    logs.set(pool, log);
  }
  return log;
}
