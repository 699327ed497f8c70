import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginBody } from '../../../../test/support/totp';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { SYSTEM, type Ctx } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createDepartment, createUser } from '../accounts';
import { seedNationalCatalog } from '../catalog';
import { registerSubject } from '../subjects';
import { seedListTypes } from './lists.seed';

/**
 * The subject's own view (`GET /api/v1/me/list-entries`) says, entry by entry, whether the subject
 * may submit its statement now (`statementOpen`): what the subject's entries page offers a form for.
 */

let t: TestApp;
const company = makeUscc('91', '500103', 'LM000001');
const rep = makeCitizenId('500103', '19800101', '031');
const PASS = 'list-me-pass-1';
const at = (iso: string) => new Date(iso);

async function as(username: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody(username, PASS, t.clock.now),
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'xy_session');
  return { cookie: `xy_session=${c?.value}`, 'x-csrf-token': res.json().csrfToken as string };
}

async function post(user: string, url: string, payload: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url, headers: await as(user), payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

interface MyEntry {
  id: number;
  stage: string;
  statementOpen?: boolean;
}

async function mine(user: string, query = ''): Promise<Map<number, MyEntry>> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/me/list-entries${query}`,
    headers: await as(user),
  });
  expect(res.statusCode, res.body).toBe(200);
  return new Map((res.json().items as MyEntry[]).map((e) => [e.id, e]));
}

beforeAll(async () => {
  t = await createTestApp(at('2027-03-01T02:00:00Z'), { XINYONG_RATE_LIMIT: '0' }); // a Monday
  await withTransaction(t.db.pool, async (tx) => {
    const ctx: Ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: t.clock.now };
    await seedNationalCatalog(ctx);
    await seedListTypes(ctx);
    const dept = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'LM150002'),
      name: '重庆市渝中区人力资源和社会保障局',
      region: '500103',
    });
    await createUser(ctx, {
      username: 'officer',
      displayName: 'officer',
      password: PASS,
      roles: ['dept_officer'],
      departmentId: dept.id,
    });
    const s = await registerSubject(ctx, t.app.platform.crypto, {
      uscc: company,
      name: '重庆鸿运建材有限公司',
      origin: 'registry',
    });
    const person = await registerSubject(ctx, t.app.platform.crypto, {
      citizenId: rep,
      name: '王五',
      origin: 'registry',
    });
    for (const [username, subjectId] of [
      ['company', s.id],
      ['rep', person.id],
    ] as const)
      await createUser(ctx, {
        username,
        displayName: username,
        password: PASS,
        roles: ['subject'],
        subjectId,
      });
  });
});
afterAll(async () => t?.close());

describe('the subject’s own entries: may it state its case now', () => {
  it('is open only on its own notified entry, until it states its case or the period ends', async () => {
    const propose = (docNo: string) =>
      post('officer', '/api/v1/list-entries', {
        listType: 'WAGE_ARREARS',
        subject: company,
        summary: '拖欠农民工工资，经责令限期支付仍未支付',
        facts: [{ docNo }],
        parties: [{ subject: rep, role: 'legal_representative' }],
      }) as Promise<{ id: number }>;
    const stated = await propose('渝中人社限改〔2027〕1号');
    const lapsing = await propose('渝中人社限改〔2027〕2号');

    // Proposed: nothing to state yet.
    let own = await mine('company');
    expect(own.get(stated.id)).toMatchObject({ stage: 'proposed', statementOpen: false });

    t.clock.now = at('2027-03-01T02:05:00Z');
    for (const e of [stated, lapsing])
      await post('officer', `/api/v1/list-entries/${e.id}/notify`, {
        noticeNo: `渝中人社告〔2027〕${e.id}号`,
        repairNoticeNo: `渝中人社修〔2027〕${e.id}号`,
      });
    t.clock.now = at('2027-03-01T02:10:00Z');
    own = await mine('company');
    expect(own.get(stated.id)).toMatchObject({ stage: 'notified', statementOpen: true });
    expect(own.get(lapsing.id)?.statementOpen).toBe(true);
    // The legal representative sees both entries (they name it), but the statement is the subject's.
    const party = await mine('rep');
    expect([...party.values()].map((e) => e.statementOpen)).toEqual([false, false]);
    // A view of a past instant (notified then too) offers nothing to submit.
    const past = await mine('company', `?at=${encodeURIComponent('2027-03-01T02:06:00Z')}`);
    expect(past.get(stated.id)).toMatchObject({ stage: 'notified', statementOpen: false });

    await post('company', `/api/v1/list-entries/${stated.id}/statement`, { text: '工资已全部支付' });
    own = await mine('company');
    expect(own.get(stated.id)?.statementOpen).toBe(false);
    expect(own.get(lapsing.id)?.statementOpen).toBe(true);

    // Ten working days later the period is over: closed, as the statement route says.
    t.clock.now = at('2027-03-22T02:00:00Z');
    own = await mine('company');
    expect(own.get(lapsing.id)?.statementOpen).toBe(false);
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/list-entries/${lapsing.id}/statement`,
      headers: await as('company'),
      payload: { text: '迟到的陈述' },
    });
    expect(late.json().error.code).toBe('STATEMENT_PERIOD_OVER');
  });
});
