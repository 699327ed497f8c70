/** The event log view: auditors read it, and every page read is itself a `data.read` event. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createOffice, inSetup, login, type Staff } from '../../../../test/support/fixtures';
import { registerSubject } from '../subjects';
import { makeUscc } from '../../../domain/identifiers';

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
