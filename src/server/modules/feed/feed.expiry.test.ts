import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/app';
import { testConfig } from '../../../../test/support/app';
import { buildApp } from '../../app';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { correctRecord } from '../records';
import {
  addPenalties,
  buildDistrict,
  createAppWith,
  penalty,
  type District,
} from '../remedies/remedies.test-support';
import type { FeedPage } from './feed.sdk';

/**
 * Expiry as an event, with two server processes on one database (the way records.test.ts runs a
 * second process): when a disclosure window closes, the feed says so within the job's interval,
 * though no request touches the record; exactly once, and across restarts.
 */
let t: TestApp;
let d: District;
let second: FastifyInstance;
const ids: Record<string, number> = {};
const at = (iso: string) => new Date(iso);

async function expiredEvents(): Promise<{ entity_id: string; payload: string }[]> {
  const r = await t.db.pool.query(
    "SELECT entity_id, payload FROM events WHERE type = 'record.expired' ORDER BY seq",
  );
  return r.rows;
}

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function otherProcess(): Promise<FastifyInstance> {
  return buildApp({
    config: testConfig({ XINYONG_RATE_LIMIT: '0' }),
    pool: t.db.pool,
    clock: () => t.clock.now,
  }).then(async (a) => {
    await a.ready();
    return a;
  });
}

beforeAll(async () => {
  process.env.XINYONG_FEED_JOB_MS = '60';
  // 23:00 in Chongqing on 4 June 2026.
  t = await createAppWith(at('2026-06-04T15:00:00Z'));
  d = await buildDistrict(t, at('2026-01-01T00:00:00Z'), false);
  // GENERAL penalties: disclosed for one year from the decision (window end exclusive).
  [ids.june5, ids.june6, ids.later] = (await addPenalties(t, d, at('2026-06-04T14:00:00Z'), [
    { company: d.companies.a, docNo: '渝中市监罚〔2025〕301号', date: '2025-06-05' },
    { company: d.companies.b, docNo: '渝中市监罚〔2025〕302号', date: '2025-06-06' },
    { company: d.companies.c, docNo: '渝中市监罚〔2026〕303号', date: '2026-01-10' },
  ])) as [number, number, number];
  second = await otherProcess();
}, 120_000);

afterAll(async () => {
  await second?.close();
  await t?.close();
  delete process.env.XINYONG_FEED_JOB_MS;
});

describe('expiry as an event', () => {
  it('emits nothing while windows are open', async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(await expiredEvents()).toEqual([]);
    const wm = await t.db.pool.query("SELECT seq FROM feed_state WHERE name = 'projection'");
    expect(Number(wm.rows[0].seq)).toBeGreaterThan(0);
  });

  it('says so when a window closes, without any request, exactly once with two processes running', async () => {
    t.clock.now = at('2026-06-04T16:00:05Z'); // 00:00:05 on 5 June in Chongqing
    const started = Date.now();
    const events = await until(async () => {
      const e = await expiredEvents();
      return e.length ? e : undefined;
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    // Both processes keep running their job for a while: still one event.
    await new Promise((r) => setTimeout(r, 400));
    const all = await expiredEvents();
    expect(all).toHaveLength(1);
    expect(events[0]?.entity_id).toBe(String(ids.june5));
    expect(JSON.parse(all[0]?.payload ?? '{}')).toMatchObject({
      id: ids.june5,
      version: 1,
      windowUntil: '2026-06-05',
      expiredOn: '2026-06-05',
    });
    const marks = await t.db.pool.query('SELECT record_id, version FROM record_expiries');
    expect(marks.rows).toEqual([{ record_id: ids.june5, version: 1 }]);
    // The feed carries it, and the public page no longer shows the record.
    const page = (await second.inject({ method: 'GET', url: '/api/v1/feed?limit=1000' })).json() as FeedPage;
    const last = page.events[page.events.length - 1];
    expect(last).toMatchObject({ type: 'record.expired', record: { id: ids.june5, state: 'expired' } });
    const profile = (
      await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${d.companies.a.uscc}` })
    ).json();
    expect(profile.total).toBe(0);
  });

  it('survives a restart: the watermark is in the database and nothing fires twice', async () => {
    await t.app.close();
    await second.close();
    const restarted = await otherProcess();
    const another = await otherProcess();
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(await expiredEvents()).toHaveLength(1);
      t.clock.now = at('2026-06-05T16:00:01Z'); // 6 June
      await until(async () => (await expiredEvents()).length === 2);
      await new Promise((r) => setTimeout(r, 300));
      const all = await expiredEvents();
      expect(all.map((e) => e.entity_id)).toEqual([String(ids.june5), String(ids.june6)]);
      // A correction that reopens an expired window (GENERAL → SERIOUS: three years) is followed:
      // no new expiry now; when the new window closes, a new mark for the new version.
      await withTransaction(t.db.pool, (tx) =>
        correctRecord(
          { db: tx, actor: SYSTEM, requestId: 'correct', now: t.clock.now },
          restarted.platform.crypto,
          ids.june5 as number,
          {
            payload: penalty(d, d.companies.a, { CF_WSH: '渝中市监罚〔2025〕301号', CF_JDRQ: '2025-06-05' }),
            severity: 'SERIOUS',
            reason: '严重程度更正',
          },
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await expiredEvents()).toHaveLength(2);
      t.clock.now = at('2028-06-04T16:00:01Z'); // 5 June 2028
      await until(async () => (await expiredEvents()).length === 4);
      const marks = await t.db.pool.query(
        'SELECT record_id, version FROM record_expiries ORDER BY record_id, version',
      );
      expect(marks.rows).toEqual(
        [
          { record_id: ids.june5, version: 1 },
          { record_id: ids.june5, version: 2 },
          { record_id: ids.june6, version: 1 },
          { record_id: ids.later, version: 1 },
        ].sort((x, y) => (x.record_id as number) - (y.record_id as number) || x.version - y.version),
      );
    } finally {
      await restarted.close();
      await another.close();
      // Give t.close() an app to close.
      t.app = await otherProcess();
    }
  });
});
