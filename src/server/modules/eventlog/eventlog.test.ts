/** The event log view: auditors read it, and every page read is itself a `data.read` event. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createOffice, inSetup, login, type Staff } from '../../../../test/support/fixtures';
import { registerSubject } from '../subjects';
import { makeUscc } from '../../../domain/identifiers';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { eventlogRepo, type EventFilter, type EventRow } from './eventlog.repository';

const AUDITOR: Staff = {
  username: 'auditor',
  password: 'audit-pass-123',
  displayName: 'Au',
  roles: ['auditor'],
  inDepartment: false,
};

let t: TestApp;
let subjectId = 0;

beforeAll(async () => {
  t = await createTestApp();
  await inSetup(t, async (ctx) => {
    await createOffice(ctx, { provides: null, staff: [AUDITOR] });
    subjectId = (
      await registerSubject(ctx, t.app.platform.crypto, {
        uscc: makeUscc('91', '500103', 'MA5U0E7L'),
        name: '重庆日志测试有限公司',
        origin: 'registry',
      })
    ).id;
  });
});
afterAll(async () => t?.close());

describe('event log view', () => {
  it('records who read which events, naming the subjects they concern', async () => {
    const auditor = await login(t.app, AUDITOR.username, AUDITOR.password, t.clock);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events?subjectId=${subjectId}`,
      headers: { ...auditor, 'x-purpose': '年度审计抽查' },
    });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: { seq: number; subjectId: number | null }[] };
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e) => e.subjectId === subjectId)).toBe(true);

    const reads = await t.db.pool.query<{ subject_id: number | null; actor_kind: string; payload: string }>(
      "SELECT subject_id, actor_kind, payload FROM events WHERE type = 'data.read'",
    );
    expect(reads.rowCount).toBe(1);
    const read = reads.rows[0] as { subject_id: number | null; actor_kind: string; payload: string };
    expect(read.subject_id).toBe(subjectId);
    expect(read.actor_kind).toBe('user');
    expect(JSON.parse(read.payload)).toMatchObject({
      what: 'event_log',
      route: 'GET /api/v1/events',
      subjectIds: [subjectId],
      purpose: '年度审计抽查',
      detail: { count: page.items.length },
    });

    // An empty page returns nothing and records nothing.
    const empty = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events?afterSeq=1000000`,
      headers: auditor,
    });
    expect(empty.json().items).toEqual([]);
    expect((await t.db.pool.query("SELECT 1 FROM events WHERE type = 'data.read'")).rowCount).toBe(1);
  });
});

describe('event log filters', () => {
  it('answer exactly what a scan of the whole log would, whatever the order of `at`', async () => {
    // Events of a few types, appended in batches stamped out of order: a late batch stamped days
    // earlier (a long import), one stamped later than the next (another clock), and the rest in order.
    const types = ['zz.a', 'zz.b', 'zz.a.deep', 'zz_q.c', 'zzz', 'zzXq.c', 'pct%x.y'];
    const base = Date.parse('2026-03-01T00:00:00Z');
    const stamps = [0, 1, 2, 9, 3, 4, -5, 5, 6, 7, 8, 2.5].map((d) => new Date(base + d * 86_400_000));
    for (const [i, now] of stamps.entries())
      await withTransaction(t.db.pool, (tx) =>
        appendEvents(
          { db: tx, actor: i % 3 ? SYSTEM : { kind: 'public' }, requestId: `filters-${i}`, now },
          Array.from({ length: 9 }, (_, k) => ({
            type: types[(i + k) % types.length] as string,
            entityType: 'thing',
            entityId: `${i}-${k}`,
            payload: { i, k },
          })),
        ),
      );
    const all = (await t.db.pool.query<EventRow>('SELECT * FROM events ORDER BY seq')).rows;
    const day = (d: number) => new Date(base + d * 86_400_000);
    const filter = (f: Partial<EventFilter>): EventFilter => ({
      type: null,
      entityType: null,
      entityId: null,
      subjectId: null,
      actorKind: null,
      actorId: null,
      from: null,
      to: null,
      afterSeq: 0,
      limit: 7,
      ...f,
    });
    const cases: Partial<EventFilter>[] = [
      { type: 'zz' },
      { type: 'zz.a' },
      { type: 'zz_q' },
      { type: '%' },
      { type: 'pct%x' },
      { type: 'nothing' },
      { from: day(4) },
      { to: day(3) },
      { from: day(2), to: day(6) },
      { from: day(-6), to: day(-4) },
      { from: day(6), to: day(2) },
      { type: 'zz', from: day(1), to: day(8) },
      { type: 'zz.b', from: day(-5), to: day(0.5) },
      { actorKind: 'public', from: day(2), to: day(9) },
      { entityType: 'thing', type: 'zzz', to: day(9) },
    ];
    for (const c of cases) {
      const f = filter(c);
      const expected = all
        .filter(
          (e) =>
            (f.type === null || e.type === f.type || e.type.startsWith(`${f.type}.`)) &&
            (f.entityType === null || e.entity_type === f.entityType) &&
            (f.actorKind === null || e.actor_kind === f.actorKind) &&
            (f.from === null || e.at >= f.from) &&
            (f.to === null || e.at < f.to),
        )
        .map((e) => Number(e.seq));
      // Page through it as the route does: `afterSeq` is the last seq of the page before.
      const got: number[] = [];
      for (let after = 0; ;) {
        const page = await eventlogRepo.list(t.db.pool, { ...f, afterSeq: after });
        got.push(...page.slice(0, f.limit).map((e) => Number(e.seq)));
        if (page.length <= f.limit) break;
        after = Number(page[f.limit - 1]?.seq);
      }
      expect(got, JSON.stringify(c)).toEqual(expected);
    }
  });
});
