/**
 * The feed's background job: fold new log events into its projection (each record's version,
 * window and stop; each subject's type), then turn every disclosure window that has closed into a
 * `record.expired` event — without any request touching the record.
 *
 * Restart-safe and single-firing across processes: a round runs in one transaction under a
 * PostgreSQL advisory lock (a second process finds it taken and skips), the watermark (last folded
 * seq) lives in feed_state, and expiry marks are unique per record and version.
 */
import { civilDate } from '../../../domain/periods';
import type { Ctx } from '../../platform/context';
import { withTransaction, type Pool, type Queryable } from '../../platform/db';
import { appendEvents, type NewEvent } from '../../platform/events';
import { startRounds } from '../../platform/rounds';
import { feedRepo, type FeedRecordRow } from './feed.repository';

const JOB_LOCK = 72_736_061;
const WATERMARK = 'projection';
const BATCH = 5_000;
const MAX_BATCHES = 40;

const FOLD_TYPES = [
  'subject.created',
  'subject.renamed',
  'record.created',
  'record.corrected',
  'record.withdrawn',
  'record.repaired',
  'record.stopped',
  'record.expired',
];

type Payload = Record<string, unknown>;

export interface RoundResult {
  ran: boolean;
  folded: number;
  expired: number;
  watermark: number;
}

async function fold(db: Queryable, from: number, head: number): Promise<{ folded: number; to: number }> {
  let at = from;
  let folded = 0;
  for (let b = 0; b < MAX_BATCHES && at < head; b++) {
    const rows = await feedRepo.events(db, at, head, FOLD_TYPES, BATCH);
    const records = new Map<number, Parameters<typeof feedRepo.upsertRecords>[1][number]>();
    const subjects = new Map<number, Parameters<typeof feedRepo.upsertSubjects>[1][number]>();
    for (const r of rows) {
      const p = JSON.parse(r.payload) as Payload;
      if (r.type === 'subject.created' || r.type === 'subject.renamed') {
        subjects.set(Number(r.entity_id), {
          id: Number(r.entity_id),
          type: String(p.type),
          name: (p.name as string) ?? null,
          seq: r.seq,
        });
        continue;
      }
      const id = Number(p.id ?? r.entity_id);
      const version = typeof p.version === 'number' ? p.version : 1;
      const from_ = String(p.windowFrom);
      const until = (p.windowUntil as string | null) ?? null;
      const day = civilDate(r.at);
      const stop =
        r.type === 'record.created' || r.type === 'record.corrected' || r.type === 'record.expired'
          ? null
          : ((p.stopKind as string) ?? 'other');
      // Already past its window when it arrived (or was corrected): the event itself said so.
      const closedOnArrival =
        (r.type === 'record.created' || r.type === 'record.corrected') && until !== null && until <= day;
      records.set(id, {
        id,
        subject: Number(p.subjectId ?? r.subject_id),
        version,
        from: from_,
        until,
        stop,
        expired: r.type === 'record.expired' || closedOnArrival ? version : null,
        seq: r.seq,
      });
    }
    await feedRepo.upsertSubjects(db, [...subjects.values()]);
    await feedRepo.upsertRecords(db, [...records.values()]);
    folded += rows.length;
    at = rows.length === BATCH ? (rows[rows.length - 1] as { seq: number }).seq : head;
  }
  return { folded, to: at };
}

function expiryEvent(r: FeedRecordRow, today: string): NewEvent {
  return {
    type: 'record.expired',
    entityType: 'record',
    entityId: r.record_id,
    subjectId: r.subject_id,
    payload: {
      id: r.record_id,
      subjectId: r.subject_id,
      version: r.version,
      windowFrom: r.window_from,
      windowUntil: r.window_until,
      expiredOn: today,
    },
  };
}

/**
 * One round. `wait` blocks for the lock (the consistency check needs an up-to-date projection);
 * otherwise a round that finds the lock taken returns at once.
 */
export async function projectionRound(
  pool: Pool,
  now: Date,
  opts: { wait?: boolean; expire?: boolean } = {},
): Promise<RoundResult> {
  return withTransaction(pool, async (tx) => {
    if (opts.wait) await tx.query('SELECT pg_advisory_xact_lock($1)', [JOB_LOCK]);
    else {
      const { rows } = await tx.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS got', [
        JOB_LOCK,
      ]);
      if (!rows[0]?.got) return { ran: false, folded: 0, expired: 0, watermark: -1 };
    }
    const mark = await feedRepo.watermark(tx, WATERMARK, now);
    const head = await feedRepo.head(tx);
    const { folded, to } = await fold(tx, mark, head);
    let expired = 0;
    if (opts.expire !== false && to >= head) {
      const today = civilDate(now);
      const candidates = await feedRepo.expiring(tx, today, BATCH);
      const fresh = await feedRepo.markExpired(tx, candidates, now);
      const events = candidates.filter((c) => fresh.has(c.record_id)).map((c) => expiryEvent(c, today));
      expired = events.length;
      if (events.length) {
        const ctx: Ctx = {
          db: tx,
          actor: { kind: 'system', name: 'feed-expiry' },
          requestId: `expiry-${today}`,
          now,
        };
        await appendEvents(ctx, events);
      }
    }
    await feedRepo.setWatermark(tx, WATERMARK, to, now);
    return { ran: true, folded, expired, watermark: to };
  });
}

export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface FeedJob {
  runOnce(opts?: { wait?: boolean }): Promise<RoundResult>;
  stop(): Promise<void>;
}

/** Runs a round every `intervalMs` (never two at once in this process) and right after start. */
export function startFeedJob(deps: {
  pool: Pool;
  clock: () => Date;
  intervalMs: number;
  log: JobLog;
}): FeedJob {
  return startRounds<{ wait?: boolean }, RoundResult>({
    intervalMs: deps.intervalMs,
    round: (opts) => projectionRound(deps.pool, deps.clock(), opts ?? {}),
    done: (r) => {
      if (r.expired)
        deps.log.info({ expired: r.expired, watermark: r.watermark }, 'feed: disclosure windows closed');
    },
    failed: (err) => deps.log.error({ err }, 'feed: projection round failed'),
  });
}
