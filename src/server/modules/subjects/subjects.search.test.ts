import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import {
  ADMIN,
  OFFICER,
  createOffice,
  inSetup,
  login as signIn,
  penaltyPayload,
} from '../../../../test/support/fixtures';
import { makeUscc } from '../../../domain/identifiers';

// The public subject search filtered by catalogue category (issue 4): subjects with a record of that
// category disclosed at the answering instant, by the same rules as the public profile.

let t: TestApp;
let dept: { id: number; uscc: string; name: string };
const penalised = makeUscc('91', '500103', 'MA5U0101');
const clean = makeUscc('91', '500103', 'MA5U0202');

const login = (username: string, password: string) => signIn(t.app, username, password, t.clock);
const penalty = (docNo: string) =>
  penaltyPayload(dept, { name: '重庆鸿运医药有限公司', uscc: penalised }, docNo);

interface Answer {
  items: { uscc: string }[];
}

async function search(query: string): Promise<{ status: number; body: Answer }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects?${query}` });
  return { status: res.statusCode, body: res.json() };
}
const codes = (body: { items: { uscc: string }[] }) => body.items.map((i) => i.uscc).sort();
const q = encodeURIComponent('鸿运');

let recordId: number;

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  const office = await inSetup(
    t,
    (ctx) => createOffice(ctx, { staff: [OFFICER, ADMIN] }),
    new Date('2026-01-01T00:00:00Z'),
  );
  dept = office.dept;
  const admin = await login('admin', 'admin-pass-12');
  for (const [uscc, name] of [
    [clean, '重庆鸿运物流有限公司'],
    [penalised, '重庆鸿运医药有限公司'],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: admin,
      payload: { uscc, name, region: '500103' },
    });
    expect(res.statusCode).toBe(201);
  }
  t.clock.now = new Date('2026-06-02T02:00:00Z');
  const h = await login('officer', 'officer-pass-1');
  const rec = await t.app.inject({
    method: 'POST',
    url: '/api/v1/records',
    headers: h,
    payload: { itemCode: 'XZCF', payload: penalty('渝中市监罚〔2026〕11号') },
  });
  expect(rec.statusCode).toBe(201);
  recordId = rec.json().recordId;
});
afterAll(async () => t?.close());

describe('subject search by category of records', () => {
  it('keeps only subjects with a disclosed record of the category, beside type and region', async () => {
    const all = await search(`q=${q}`);
    expect(codes(all.body)).toEqual([clean, penalised].sort());
    const adm = await search(`q=${q}&category=ADM`);
    expect(adm.status).toBe(200);
    expect(codes(adm.body)).toEqual([penalised]);
    const combined = await search(`q=${q}&category=ADM&type=ENTERPRISE&region=500100`);
    expect(codes(combined.body)).toEqual([penalised]);
    const otherRegion = await search(`q=${q}&category=ADM&region=110000`);
    expect(codes(otherRegion.body)).toEqual([]);
    const jud = await search(`q=${q}&category=JUD`);
    expect(codes(jud.body)).toEqual([]);
    // Pinyin and exact codes honour the filter too.
    expect(codes((await search('q=hongyun&category=ADM')).body)).toEqual([penalised]);
    expect(codes((await search(`q=${penalised}&category=ADM`)).body)).toEqual([penalised]);
    expect(codes((await search(`q=${clean}&category=ADM`)).body)).toEqual([]);
  });

  it('answers as of an instant: before the record, and after a withdrawal', async () => {
    const before = await search(`q=${q}&category=ADM&at=2026-06-01T12:00:00Z`);
    expect(codes(before.body)).toEqual([]);
    t.clock.now = new Date('2026-06-03T02:00:00Z');
    const h = await login('officer', 'officer-pass-1');
    const stop = await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${recordId}/stops`,
      headers: h,
      payload: { kind: 'withdrawn', reason: '认定事实有误，撤回' },
    });
    expect(stop.statusCode).toBe(200);
    t.clock.now = new Date('2026-06-04T02:00:00Z');
    expect(codes((await search(`q=${q}&category=ADM`)).body)).toEqual([]);
    const then = await search(`q=${q}&category=ADM&at=2026-06-02T12:00:00Z`);
    expect(codes(then.body)).toEqual([penalised]);
  });

  it('refuses an unknown category in both languages, and a malformed one', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects?q=${q}&category=NOPE`,
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err).toMatchObject({ code: 'UNKNOWN_CATEGORY', details: { field: 'category' } });
    expect(err.messages['zh-CN']).toContain('NOPE');
    expect(err.messages.en).toContain('NOPE');
    const malformed = await search(`q=${q}&category=${encodeURIComponent("ADM' OR 1=1")}`);
    expect(malformed.status).toBe(400);
  });

  it('probes records through the (subject_id, category_code) index', async () => {
    const client = await t.db.pool.connect();
    try {
      // The test tables are tiny, so forbid sequential scans to see that the index serves the probe.
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(
        `EXPLAIN SELECT 1 FROM records r WHERE r.subject_id = 1 AND r.category_code = 'ADM'`,
      );
      expect(JSON.stringify(plan.rows)).toContain('records_subject');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
