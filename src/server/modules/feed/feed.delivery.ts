/**
 * The webhook delivery worker, inside every server process. Per subscription, in order, at least
 * once: a batch is the same signed page the pull API serves; the subscription's cursor moves only
 * after a 2xx answer, in the same transaction that logs the delivery. Failures back off
 * exponentially; after maxAttempts consecutive failures the subscription is dead-lettered (the
 * stuck batch is in the delivery log) until someone resumes it.
 *
 * Two processes never deliver the same subscription at once: a delivery holds a transaction-level
 * advisory lock keyed by the subscription (and its row lock) for the duration of the HTTP call.
 */
import type { Actor } from '../../platform/context';
import { onCommitted } from '../../platform/commit-bus';
import { appendEvents } from '../../platform/events';
import { readEvent } from '../audit';
import type { Pool, Tx } from '../../platform/db';
import { feedRepo, type SubscriptionRow } from './feed.repository';
import { readPage, sharedPageRead, type FeedDeps } from './feed.service';
import { backoffDelay, type FeedSettings } from './feed.settings';
import { checkTarget } from './feed.webhooks';
import type { JobLog } from './feed.project';

const DELIVERY_LOCK_NS = 72_736_062;
const DELIVERY_ACTOR: Actor = { kind: 'system', name: 'feed-delivery' };
/** Pages one subscription may take in a row before others get their turn. */
const PAGES_PER_TURN = 20;

export interface DeliveryDeps {
  pool: Pool;
  feed: FeedDeps;
  settings: FeedSettings;
  /** The platform clock, for what goes into pages (issuedAt); retry timing uses wall time. */
  clock: () => Date;
  log: JobLog;
  fetch?: typeof fetch;
}

export interface DeliveryWorker {
  /** Delivers everything due now (what each tick does). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'delivered'; more: boolean; events: number }
  | { kind: 'failed' };

async function attempt(deps: DeliveryDeps, tx: Tx, sub: SubscriptionRow): Promise<Outcome> {
  const now = new Date();
  const page = await readPage(tx, deps.feed, {
    scope: sub.scope,
    after: sub.cursor_seq,
    limit: deps.settings.batch,
    now: deps.clock(),
  });
  if (!page.events.length) {
    if (page.nextSeq > sub.cursor_seq)
      await feedRepo.updateSubscription(tx, sub.id, { cursor_seq: page.nextSeq, updated_at: now });
    return page.more ? { kind: 'delivered', more: true, events: 0 } : { kind: 'idle' };
  }
  const first = page.events[0]?.seq ?? 0;
  const last = page.events[page.events.length - 1]?.seq ?? 0;
  const t0 = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    // Checked again at each delivery: a name may have been re-pointed since registration.
    await checkTarget(sub.url, deps.settings.allowPrivate);
    const { nextSeq: _n, ...body } = page;
    const res = await (deps.fetch ?? fetch)(sub.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'xinyong-feed/1',
        'x-xinyong-delivery': `${sub.id}:${first}-${last}`,
        'x-xinyong-key-id': page.keyId,
        'x-xinyong-signature': page.sig,
      },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.settings.timeoutMs),
    });
    status = res.status;
    await res.arrayBuffer().catch(() => undefined);
    if (status < 200 || status > 299) error = `HTTP ${status}`;
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : 'delivery failed';
  }
  const duration = Math.round(performance.now() - t0);
  const log = {
    subscription_id: sub.id,
    first_seq: first,
    last_seq: last,
    events: page.events.length,
    status_code: status,
    duration_ms: duration,
    at: now,
  };
  if (error === null) {
    await feedRepo.updateSubscription(tx, sub.id, {
      cursor_seq: page.nextSeq,
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
      last_success_at: now,
      updated_at: now,
    });
    await feedRepo.logDelivery(tx, { ...log, attempt: sub.attempts + 1, outcome: 'delivered', error: null });
    // Shared data handed to a subscriber is a non-public read, logged like a page of the pull API,
    // in the transaction that moves the cursor.
    if (sub.scope === 'shared')
      await appendEvents(
        {
          db: tx,
          actor: DELIVERY_ACTOR,
          requestId: `webhook-delivery:${sub.id}:${first}-${last}`,
          now: deps.clock(),
        },
        [
          readEvent(
            // The purpose the subscription stated (migration 0029: every shared one has one).
            sharedPageRead(page, { after: sub.cursor_seq, upTo: page.nextSeq }, sub.purpose, {
              subscription: sub.id,
              ownerKeyId: sub.owner_key_id,
              createdBy: sub.created_by,
              url: sub.url,
            }),
            'webhook delivery',
          ),
        ],
      );
    return { kind: 'delivered', more: page.more, events: page.events.length };
  }
  const attempts = sub.attempts + 1;
  const dead = attempts >= deps.settings.maxAttempts;
  await feedRepo.updateSubscription(tx, sub.id, {
    attempts,
    last_error: error,
    next_attempt_at: new Date(now.getTime() + backoffDelay(deps.settings, attempts)),
    updated_at: now,
    ...(dead ? { status: 'dead' as const, dead_at: now } : {}),
  });
  await feedRepo.logDelivery(tx, {
    ...log,
    attempt: attempts,
    outcome: dead ? 'dead_letter' : 'failed',
    error,
  });
  if (dead) {
    // The subscription stops until someone resumes it: a change of its state, logged like the
    // resume and the disable that undo or repeat it, in the transaction that dead-letters it.
    await appendEvents(
      {
        db: tx,
        actor: DELIVERY_ACTOR,
        requestId: `webhook-delivery:${sub.id}:${first}-${last}`,
        now: deps.clock(),
      },
      [
        {
          type: 'feed.subscription_dead_lettered',
          entityType: 'webhook_subscription',
          entityId: sub.id,
          payload: {
            id: sub.id,
            cursorSeq: sub.cursor_seq,
            firstSeq: first,
            lastSeq: last,
            attempts,
            statusCode: status,
            error,
          },
        },
      ],
    );
    deps.log.error({ subscription: sub.id, first, last, error }, 'feed: webhook dead-lettered');
  }
  return { kind: 'failed' };
}

/** One turn for one subscription: up to PAGES_PER_TURN pages, each its own transaction. */
export async function deliverSubscription(deps: DeliveryDeps, id: number): Promise<number> {
  let delivered = 0;
  for (let i = 0; i < PAGES_PER_TURN; i++) {
    const client = await deps.pool.connect();
    let outcome: Outcome;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ got: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1, $2) AS got',
        [DELIVERY_LOCK_NS, id],
      );
      const sub = rows[0]?.got ? await feedRepo.subscription(client, id, true) : undefined;
      if (!sub) outcome = { kind: 'busy' };
      else if (sub.status !== 'active' || sub.next_attempt_at.getTime() > Date.now())
        outcome = { kind: 'idle' };
      else outcome = await attempt(deps, client, sub);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    if (outcome.kind === 'delivered') delivered += outcome.events;
    if (outcome.kind !== 'delivered' || !outcome.more) break;
  }
  return delivered;
}

export function startDeliveryWorker(deps: DeliveryDeps): DeliveryWorker {
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  const round = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      again = false;
      const due = await feedRepo.dueSubscriptions(deps.pool, new Date(), 50);
      for (const id of due) {
        if (stopped) return total;
        try {
          total += await deliverSubscription(deps, id);
        } catch (err) {
          deps.log.error({ err, subscription: id }, 'feed: delivery round failed');
        }
      }
      if (!again || stopped) return total;
    }
  };
  const runOnce = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = round().finally(() => {
      running = null;
    });
    return running;
  };
  const tick = (): void => {
    if (stopped) return;
    runOnce().catch((err: unknown) => deps.log.error({ err }, 'feed: delivery failed'));
  };
  const timer = deps.settings.pollMs > 0 ? setInterval(tick, deps.settings.pollMs) : null;
  timer?.unref();
  // This process's own commits wake the worker at once; other processes' are seen by polling.
  const unsubscribe = deps.settings.pollMs > 0 ? onCommitted(() => setImmediate(tick)) : () => undefined;
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      unsubscribe();
      await running?.catch(() => undefined);
    },
  };
}
