/**
 * The lists' background job: an entry whose fixed period has run out, or whose review date (lists
 * without a fixed end) has come, gets that as a step of its own and an event — `period_ended`
 * and `review_due` — without anybody touching it, so the subject, the department and every copy
 * fed from the log see the step the day it happens.
 *
 * Restart-safe and single-firing across processes: a round is one transaction under an advisory
 * lock (a second process finds it taken and skips), and a step already recorded is not recorded
 * again (for a review, per review date).
 */
import { civilDate } from '../../../domain/periods';
import type { Ctx } from '../../platform/context';
import { withTransaction, type Pool } from '../../platform/db';
import { appendEvents, type NewEvent } from '../../platform/events';
import { startRounds } from '../../platform/rounds';
import { step } from './lists.entries';
import { listsRepo } from './lists.repository';

const BATCH = 1_000;

export interface PeriodRound {
  ran: boolean;
  ended: number;
  reviewsDue: number;
}

/** One round at instant `now`. */
export async function periodRound(pool: Pool, now: Date): Promise<PeriodRound> {
  return withTransaction(pool, async (tx) => {
    if (!(await listsRepo.tryJobLock(tx))) return { ran: false, ended: 0, reviewsDue: 0 };
    const today = civilDate(now);
    const ctx: Ctx = {
      db: tx,
      actor: { kind: 'system', name: 'list-periods' },
      requestId: `list-periods-${today}`,
      now,
    };
    const events: NewEvent[] = [];
    const ended = await listsRepo.periodsEnded(tx, today, BATCH);
    for (const e of ended)
      events.push(await step(ctx, e, 'period_ended', { effectiveUntil: e.effective_until }));
    const due = await listsRepo.reviewsDue(tx, today, BATCH);
    for (const e of due) events.push(await step(ctx, e, 'review_due', { reviewOn: e.review_on }));
    if (events.length) await appendEvents(ctx, events);
    return { ran: true, ended: ended.length, reviewsDue: due.length };
  });
}

export interface PeriodJob {
  runOnce(): Promise<PeriodRound>;
  stop(): Promise<void>;
}

/** Runs a round every `intervalMs` (never two at once in this process) and right after start. */
export function startPeriodJob(deps: {
  pool: Pool;
  clock: () => Date;
  intervalMs: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}): PeriodJob {
  return startRounds<undefined, PeriodRound>({
    intervalMs: deps.intervalMs,
    round: () => periodRound(deps.pool, deps.clock()),
    done: (r) => {
      if (r.ended || r.reviewsDue)
        deps.log.info({ ended: r.ended, reviewsDue: r.reviewsDue }, 'lists: periods ended, reviews due');
    },
    failed: (err) => deps.log.error({ err }, 'lists: period round failed'),
  });
}
