import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import {
  ADMIN,
  MARKET_REGULATOR_EN,
  OFFICER,
  createOffice,
  inSetup,
  login as signIn,
  penaltyPayload,
} from '../../../../test/support/fixtures';
import { makeUscc } from '../../../domain/identifiers';
import { createApiKey, createUser } from '../accounts';
import { registerSubject } from '../subjects';

let t: TestApp;
let dept: { id: number; uscc: string; name: string };
let apiKey = '';
let subjectId = 0;
const company = makeUscc('91', '500103', 'MA5U0000');
const other = makeUscc('91', '500103', 'MA5U0001');

const login = (username: string, password: string) => signIn(t.app, username, password, t.clock);
const penalty = (name: string, uscc: string, docNo: string) =>
  penaltyPayload(dept, { name, uscc }, docNo, {
    CF_FR_ZJLX: '身份证',
    CF_FR_ZJHM: '11010519491231002X',
    BZ: '内部备注',
  });

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  await inSetup(
    t,
    async (ctx) => {
      const office = await createOffice(ctx, {
        department: { nameEn: MARKET_REGULATOR_EN },
        staff: [
          { ...OFFICER, displayName: '王科员' },
          { ...ADMIN, displayName: 'Admin' },
        ],
      });
      dept = office.dept;
      const s = await registerSubject(ctx, t.app.platform.crypto, {
        uscc: company,
        name: '重庆鸿药医药有限公司',
        origin: 'registry',
      });
      subjectId = s.id;
      await registerSubject(ctx, t.app.platform.crypto, {
        uscc: other,
        name: '重庆另一医药有限公司',
        origin: 'registry',
      });
      await createUser(ctx, {
        username: 'hongyao',
        displayName: '鸿药',
        password: 'subject-pass-1',
        roles: ['subject'],
        subjectId: s.id,
      });
      apiKey = (
        await createApiKey(ctx, { departmentId: dept.id, name: '执法系统', scopes: ['records:write'] })
      ).key;
    },
    new Date('2026-01-01T00:00:00Z'),
  );
});
afterAll(async () => t?.close());

async function readEvents() {
  const { rows } = await t.db.pool.query<{
    actor_kind: string;
    subject_id: number | null;
    entity_type: string;
    payload: string;
  }>("SELECT actor_kind, subject_id, entity_type, payload FROM events WHERE type = 'data.read' ORDER BY seq");
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

describe('every non-public read is an event; a subject sees what is held on it and who read it', () => {
  let recordId = 0;

  it('logs record list and detail reads by users, with the non-public fields returned', async () => {
    const h = await login('officer', 'officer-pass-1');
    for (const [uscc, name, doc] of [
      [company, '重庆鸿药医药有限公司', '渝中市监罚〔2026〕1号'],
      [other, '重庆另一医药有限公司', '渝中市监罚〔2026〕2号'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: h,
        payload: { itemCode: 'XZCF', payload: penalty(name, uscc, doc) },
      });
      expect(res.statusCode).toBe(201);
      if (uscc === company) recordId = res.json().recordId as number;
    }
    expect(await readEvents()).toHaveLength(0); // writes are not reads

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/records', headers: h });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(2);
    let events = await readEvents();
    expect(events).toHaveLength(1); // one event per request, naming every subject
    expect(events[0]).toMatchObject({ actor_kind: 'user', subject_id: null, entity_type: 'data_read' });
    expect(events[0]!.payload.what).toBe('records');
    expect(events[0]!.payload.subjectIds).toHaveLength(2);
    expect(events[0]!.payload.subjectIds).toContain(subjectId);
    expect(events[0]!.payload.fields).toEqual(expect.arrayContaining(['BZ', 'CF_FR_ZJHM']));
    expect(events[0]!.payload.fields).not.toContain('CF_WSH'); // public
    expect(events[0]!.payload.purpose).toBeNull();

    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records/${recordId}`,
      headers: { ...h, 'x-purpose': encodeURIComponent('行政检查前核实处罚记录') },
    });
    expect(detail.statusCode).toBe(200);
    events = await readEvents();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ subject_id: subjectId, entity_type: 'data_read' });
    expect(events[1]!.payload).toMatchObject({ recordIds: [recordId], purpose: '行政检查前核实处罚记录' });

    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records/${recordId}`,
      headers: { ...h, 'x-purpose': 'ab' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('PURPOSE_REQUIRED');
  });

  it('requires API keys to state a purpose for shared data', async () => {
    const auth = { authorization: `Bearer ${apiKey}` };
    const before = (await readEvents()).length;
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/records', headers: auth });
    expect(missing.statusCode).toBe(400);
    const err = missing.json().error;
    expect(err.code).toBe('PURPOSE_REQUIRED');
    expect(err.messages['zh-CN']).toContain('X-Purpose');
    expect(err.messages.en).toContain('X-Purpose');
    expect(await readEvents()).toHaveLength(before); // refused before reading: nothing read, nothing logged
    const ok = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records?subject=${company}`,
      headers: { ...auth, 'x-purpose': 'contract vetting' },
    });
    expect(ok.statusCode).toBe(200);
    const events = await readEvents();
    expect(events).toHaveLength(before + 1);
    expect(events[before]).toMatchObject({ actor_kind: 'apikey', subject_id: subjectId });
    expect(events[before]!.payload.purpose).toBe('contract vetting');
  });

  it('logs registry reads', async () => {
    const h = await login('admin', 'admin-pass-12');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/subjects/S${subjectId}`,
      headers: { ...h, 'x-purpose': 'registry check' },
    });
    expect(res.statusCode).toBe(200);
    const events = await readEvents();
    expect(events[events.length - 1]).toMatchObject({
      entity_type: 'data_read',
      subject_id: subjectId,
      payload: { what: 'subject' },
    });
    expect(events[events.length - 1]!.payload.fields).toEqual(['origin']);
  });

  it('shows the subject who read its non-public data, newest first, paged', async () => {
    const h = await login('hongyao', 'subject-pass-1');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads', headers: h });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(4); // list, detail, API key, registry (the failed read is not one)
    expect(body.items.map((i: { who: { name: string } }) => i.who.name)).toEqual([
      'Admin',
      '执法系统',
      '王科员',
      '王科员',
    ]);
    expect(body.items[1]).toMatchObject({
      who: { kind: 'apikey', department: dept.name, departmentEn: MARKET_REGULATOR_EN },
      purpose: 'contract vetting',
    });
    expect(body.items[2]).toMatchObject({
      who: { kind: 'user', department: dept.name, departmentEn: MARKET_REGULATOR_EN },
      purpose: '行政检查前核实处罚记录',
      recordIds: [recordId],
    });
    expect(body.items[3].fields).toContain('BZ');
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads?limit=2', headers: h });
    expect(page.json()).toMatchObject({ more: true, nextBefore: body.items[1].seq });
    const rest = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/reads?limit=2&before=${page.json().nextBefore}`,
      headers: h,
    });
    expect(rest.json().items.map((i: { seq: number }) => i.seq)).toEqual([
      body.items[2].seq,
      body.items[3].seq,
    ]);
    expect(rest.json().more).toBe(false);
    const officer = await login('officer', 'officer-pass-1');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me/reads', headers: officer })).statusCode,
    ).toBe(403);
  });

  it('shows the subject everything held on it, internal and sensitive values masked', async () => {
    const h = await login('hongyao', 'subject-pass-1');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/credit', headers: h });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.subject).toMatchObject({ ref: `S${subjectId}`, uscc: company, origin: 'registry' });
    expect(body.records).toHaveLength(1); // not the other company's
    const rec = body.records[0];
    expect(rec).toMatchObject({ id: recordId, docNo: '渝中市监罚〔2026〕1号', stops: [] });
    expect(rec.versions).toHaveLength(1);
    const fields = Object.fromEntries(rec.fields.map((f: { key: string }) => [f.key, f]));
    expect(fields.CF_WSH).toMatchObject({
      visibility: 'public',
      masked: false,
      value: '渝中市监罚〔2026〕1号',
    });
    expect(fields.BZ).toMatchObject({ visibility: 'shared', masked: false, value: '内部备注' });
    expect(fields.CF_FR_ZJHM).toMatchObject({ masked: true, value: null });
    expect(JSON.stringify(body)).not.toContain('11010519491231002X');
    expect(Array.isArray(body.lists)).toBe(true);
    // Reading its own data is not a read by somebody else.
    const reads = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads', headers: h });
    expect(reads.json().items).toHaveLength(4);
  });
});
