import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import {
  ADMIN,
  OFFICER,
  REVIEWER,
  createOffice,
  inSetup,
  login as signIn,
} from '../../../../test/support/fixtures';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { addIdentifierOverride, registerSubject } from './subjects.service';

let t: TestApp;
const person = makeCitizenId('500103', '19900101', '051');
const company = makeUscc('91', '500103', 'MA6CQ001');

const login = (username: string, password: string) => signIn(t.app, username, password, t.clock);

beforeAll(async () => {
  t = await createTestApp(new Date('2026-03-01T02:00:00Z'));
  await inSetup(t, (ctx) =>
    createOffice(ctx, {
      department: { name: '区市场监管局' },
      provides: null,
      staff: [ADMIN, REVIEWER, { ...OFFICER, password: 'officer-pass-12' }],
    }),
  );
});
afterAll(async () => t?.close());

describe('subject registry', () => {
  it('registers with validated codes, derives the type, and explains a bad check character', async () => {
    const h = await login('admin', 'admin-pass-12');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: h,
      payload: { uscc: company, name: '重庆山城火锅有限公司', region: '500103' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ type: 'ENTERPRISE', orgCode: company.slice(8, 17) });
    const wrong = `${company.slice(0, 17)}${company[17] === '0' ? '1' : '0'}`;
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: { ...h, 'accept-language': 'en' },
      payload: { uscc: wrong, name: 'X' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'INVALID_IDENTIFIER',
      details: { field: 'uscc', idReason: 'CHECK_CHARACTER_WRONG' },
    });
    expect(bad.json().error.message).toContain(company[17]);
    const mismatch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: h,
      payload: { uscc: makeUscc('92', '500103', 'MA6CQ002'), type: 'GOVERNMENT', name: 'X' },
    });
    expect(mismatch.json().error.code).toBe('TYPE_MISMATCH');
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: h,
      payload: { uscc: company, name: '重复' },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('refuses a natural person with a USCC, even of the "other organisation" kind, and stores nothing', async () => {
    const h = await login('admin', 'admin-pass-12');
    const other = makeUscc('Y1', '500103', 'MA6CQ003');
    const events = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const before = await events();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: h,
      payload: { type: 'NATURAL_PERSON', uscc: other, name: '张某' },
    });
    // Was a 500: the database's check (a natural person has a blind-indexed ID number) refused it.
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'TYPE_MISMATCH',
      details: { field: 'type', type: 'NATURAL_PERSON', derived: 'OTHER_ORG' },
    });
    expect((await t.db.pool.query('SELECT 1 FROM subjects WHERE uscc = $1', [other])).rowCount).toBe(0);
    expect(await events()).toBe(before);
    // The type it encodes, or none, is accepted.
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: h,
      payload: { type: 'OTHER_ORG', uscc: other, name: '某律师事务所' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('applies a checksum override on the pool as soon as it commits, even if a read came in between', async () => {
    const valid = makeUscc('91', '500103', 'MA6CQ0W1');
    const code = `${valid.slice(0, 17)}${valid[17] === '0' ? '1' : '0'}`;
    const profile = () => t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${code}` });
    await inSetup(t, async (ctx) => {
      await addIdentifierOverride(ctx, { code, kind: 'uscc', reason: '登记机关核发的代码校验位有误' });
      // Another request, on the pool, reads the overrides before the override commits.
      expect((await profile()).statusCode).not.toBe(200);
      await registerSubject(ctx, t.app.platform.crypto, {
        uscc: code,
        name: '校验位有误有限公司',
        origin: 'api',
      });
    });
    // Was refused for up to 30 s: the override was dropped from the pool's cache before COMMIT,
    // and the read in between cached the overrides without it.
    const res = await profile();
    expect(res.statusCode).toBe(200);
    expect(res.json().subject).toMatchObject({ uscc: code });
  });

  it('keeps a renamed subject findable by its former name, and answers with the old name for the past', async () => {
    const h = await login('admin', 'admin-pass-12');
    t.clock.now = new Date('2026-03-02T02:00:00Z');
    const h2 = await login('admin', 'admin-pass-12');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/subjects/${company}`,
      headers: h2,
      payload: { name: '重庆两江火锅集团有限公司', reason: '变更登记' },
    });
    expect(res.statusCode).toBe(200);
    void h;
    const byOld = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects?q=${encodeURIComponent('山城火锅')}`,
    });
    expect(byOld.json().items[0]).toMatchObject({
      name: '重庆两江火锅集团有限公司',
      matchedName: '重庆山城火锅有限公司',
    });
    const past = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects/${company}?at=2026-03-01T12:00:00Z`,
    });
    expect(past.json().subject.name).toBe('重庆山城火锅有限公司');
    const now = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${company}` });
    expect(now.json().subject).toMatchObject({
      name: '重庆两江火锅集团有限公司',
      formerNames: ['重庆山城火锅有限公司'],
    });
    const ev = await t.db.pool.query("SELECT type FROM events WHERE type = 'subject.renamed'");
    expect(ev.rowCount).toBe(1);
  });

  it('shows a natural person masked; a reviewer reads the full number only with a purpose, and the read is logged', async () => {
    const admin = await login('admin', 'admin-pass-12');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: admin,
      payload: { citizenId: person, name: '王芳' },
    });
    expect(created.json()).toMatchObject({
      type: 'NATURAL_PERSON',
      idMasked: `${person.slice(0, 4)}**********${person.slice(14)}`,
    });
    expect(JSON.stringify(created.json())).not.toContain(person);
    const officer = await login('officer', 'officer-pass-12');
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/subjects/${person}/identifier-reads`,
      headers: officer,
      payload: { purpose: '核对身份信息' },
    });
    expect(denied.statusCode).toBe(403);
    const reviewer = await login('reviewer', 'review-pass-12');
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/v1/subjects/${person}/identifier-reads`,
      headers: reviewer,
      payload: { purpose: '核对身份信息' },
    });
    expect(read.json()).toEqual({ citizenId: person });
    const ev = await t.db.pool.query(
      "SELECT actor_kind, payload FROM events WHERE type = 'subject.identifier_read'",
    );
    expect(ev.rows[0].actor_kind).toBe('user');
    expect(JSON.parse(ev.rows[0].payload)).toMatchObject({ purpose: '核对身份信息' });
    expect(ev.rows[0].payload).not.toContain(person);
  });
});
