import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { TEST_TOTP_SECRET, loginBody } from '../../../../test/support/totp';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { SYSTEM, type Ctx } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey, createDepartment, createUser } from '../accounts';
import { seedNationalCatalog, setProviders } from '../catalog';
import { seedListTypes } from '../lists';
import { submitRecords } from '../records';
import { registerSubject } from '../subjects';
import { checkIndexFor, type CheckIndex } from './measures.index';
import { seedMeasures } from './measures.seed';

let t: TestApp;
let key = '';
let index: CheckIndex;
let dept: { id: number; name: string; uscc: string };
const company = makeUscc('91', '500103', 'JX000001');
const person = makeCitizenId('500103', '19700707', '077');
const PASS = 'index-test-pass-1';
const at = (iso: string) => new Date(iso);

/** Sessions by user, reused while the app clock stays within the session's 8 hours. */
const sessions = new Map<string, { at: number; headers: { cookie: string; 'x-csrf-token': string } }>();

async function as(username: string) {
  const now = t.clock.now.getTime();
  const held = sessions.get(username);
  if (held && now >= held.at && now - held.at < 7 * 3_600_000) return held.headers;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody(username, PASS, t.clock.now),
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'xy_session');
  const headers = { cookie: `xy_session=${c?.value}`, 'x-csrf-token': res.json().csrfToken as string };
  sessions.set(username, { at: now, headers });
  return headers;
}

const check = (payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/checks',
    headers: { authorization: `Bearer ${key}` },
    payload,
  });

beforeAll(async () => {
  process.env.XINYONG_CHECK_INDEX = 'on';
  t = await createTestApp(at('2026-03-01T02:00:00Z'), { XINYONG_RATE_LIMIT: '0' });
  await withTransaction(t.db.pool, async (tx) => {
    const ctx: Ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: at('2026-03-01T01:00:00Z') };
    await seedNationalCatalog(ctx);
    await seedListTypes(ctx);
    await seedMeasures(ctx);
    dept = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'JB150002'),
      name: '渝中区市场监督管理局',
      region: '500103',
    });
    await createUser(ctx, {
      username: 'officer',
      displayName: 'O',
      password: PASS,
      roles: ['dept_officer'],
      departmentId: dept.id,
    });
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'reviewer',
      displayName: 'R',
      password: PASS,
      roles: ['dept_reviewer'],
      departmentId: dept.id,
    });
    await setProviders(ctx, 'XZCF', [dept.id]);
    key = (await createApiKey(ctx, { departmentId: dept.id, name: 'sys', scopes: ['checks'] })).key;
    await registerSubject(ctx, t.app.platform.crypto, {
      uscc: company,
      name: '重庆索引测试有限公司',
      origin: 'registry',
    });
    await registerSubject(ctx, t.app.platform.crypto, {
      citizenId: person,
      name: '孙八',
      origin: 'registry',
    });
  });
  index = checkIndexFor(t.db.pool, () => {
    throw new Error('created by the routes');
  });
  // The routes started it when the app became ready (before this setup): the subjects registered
  // since reach it through the event log.
  await index.start();
  await index.poll();
});
afterAll(async () => {
  delete process.env.XINYONG_CHECK_INDEX;
  await t?.close();
});

describe('the in-memory check index (XINYONG_CHECK_INDEX=on)', () => {
  it('loads every subject and answers from memory, by USCC and by citizen ID', async () => {
    expect(index.size).toBe(2);
    expect(index.fresh()).toBe(true);
    const hits = index.hits;
    const r = (await check({ subject: company, scenario: 'ADMIN_APPROVAL' })).json();
    expect(r).toMatchObject({
      outcome: 'allow',
      clean: true,
      subject: { uscc: company, name: '重庆索引测试有限公司' },
    });
    const p = (await check({ subject: person, scenario: 'CIVIL_SERVICE' })).json();
    expect(p).toMatchObject({ outcome: 'allow', subject: { type: 'NATURAL_PERSON' } });
    expect(index.hits).toBe(hits + 2);
  });

  it('follows the event log: a decided entry reaches the index at the next poll', async () => {
    const h = await as('officer');
    const e = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/list-entries',
        headers: h,
        payload: {
          listType: 'SAMR_SERIOUS_VIOLATION',
          subject: company,
          summary: 's',
          facts: [{ docNo: 'd1' }],
        },
      })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/list-entries/${e.id}/notify`,
      headers: h,
      payload: { noticeNo: 'n', repairNoticeNo: 'r' },
    });
    t.clock.now = at('2026-03-20T02:00:00Z');
    const h2 = await as('officer');
    const decided = await t.app.inject({
      method: 'POST',
      url: `/api/v1/list-entries/${e.id}/decision`,
      headers: h2,
      payload: { outcome: 'list', decisionNo: 'D1', reasons: 'r' },
    });
    expect(decided.json().stage).toBe('listed');
    await index.poll();
    t.clock.now = at('2026-03-21T02:00:00Z');
    let hits = index.hits;
    const r = (await check({ subject: company, scenario: 'GOV_PROCUREMENT' })).json();
    expect(index.hits).toBe(hits + 1);
    expect(r.outcome).toBe('restrict');
    expect(r.measures[0].triggers[0]).toMatchObject({
      kind: 'list_entry',
      entryId: e.id,
      effectiveUntil: '2029-03-20',
    });
    // Ended: gone from memory after the next poll; a past instant still reads the database.
    const ended = await t.app.inject({
      method: 'POST',
      url: `/api/v1/list-entries/${e.id}/end`,
      headers: await as('officer'),
      payload: { reason: 'court' },
    });
    expect(ended.json().status).toBe('ended');
    await index.poll();
    t.clock.now = at('2026-03-22T02:00:00Z');
    hits = index.hits;
    expect((await check({ subject: company, scenario: 'GOV_PROCUREMENT' })).json().outcome).toBe('allow');
    expect(index.hits).toBe(hits + 1);
    expect(
      (await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: '2026-03-20T12:00:00Z' })).json()
        .outcome,
    ).toBe('restrict');
    expect(index.hits).toBe(hits + 1);
  });

  it('never answers for an instant before the facts it holds: a request older than the last poll reads SQL', async () => {
    // The entry above was ended at 2026-03-21T02:00 and the index reloaded the subject then, dropping
    // the entry. A "now" check whose request started before that poll (its clock reads earlier)
    // must see the entry still in force: from the database, not from the index's current state.
    expect(index.answersFrom(Number(/^S(\d+)$/.exec(await refOf(company))?.[1]))).toBe(
      at('2026-03-21T02:00:00Z').getTime(),
    );
    t.clock.now = at('2026-03-20T12:00:00Z');
    const hits = index.hits;
    const misses = index.misses;
    const r = (await check({ subject: company, scenario: 'GOV_PROCUREMENT' })).json();
    expect(r.outcome).toBe('restrict');
    expect(r.at).toBe('2026-03-20T12:00:00.000Z');
    expect(index.hits).toBe(hits);
    expect(index.misses).toBe(misses + 1);
    // The same instant straight from the index: refused, not answered from the current state.
    expect(index.lookup({ kind: 'uscc', value: company }, at('2026-03-20T12:00:00Z'))).toBeNull();
    expect(index.lookup({ kind: 'uscc', value: company }, at('2026-03-21T02:00:00Z'))).not.toBeNull();
    t.clock.now = at('2026-03-22T02:00:00Z');
  });

  it('finds subjects registered after it loaded: from SQL at once, from memory after the next poll', async () => {
    const late = makeUscc('91', '500103', 'JX000002');
    await withTransaction(t.db.pool, (tx) =>
      registerSubject({ db: tx, actor: SYSTEM, requestId: 'r', now: t.clock.now }, t.app.platform.crypto, {
        uscc: late,
        name: '重庆后来登记有限公司',
        origin: 'registry',
      }),
    );
    expect((await check({ subject: late, scenario: 'GOV_FUNDS' })).statusCode).toBe(200);
    await index.poll();
    expect(index.size).toBe(3);
  });

  it('poll() covers changes committed while an earlier poll was running', async () => {
    for (let i = 0; i < 5; i++) {
      const code = makeUscc('91', '500103', `JY00000${i}`);
      const running = index.poll();
      await withTransaction(t.db.pool, (tx) =>
        registerSubject({ db: tx, actor: SYSTEM, requestId: 'r', now: t.clock.now }, t.app.platform.crypto, {
          uscc: code,
          name: `重庆轮询测试${i}有限公司`,
          origin: 'registry',
        }),
      );
      await index.poll();
      expect(index.lookup({ kind: 'uscc', value: code }, t.clock.now)?.subject.uscc).toBe(code);
      await running;
    }
    expect(index.size).toBe(8);
  });

  it('withholds incentives as the SQL path does: restrictive list next to a red list, a GENERAL penalty', async () => {
    const both = makeUscc('91', '500103', 'JK000001');
    const fined = makeUscc('91', '500103', 'JK000002');
    const setup = { db: t.db.pool, actor: SYSTEM, requestId: 'r', now: t.clock.now };
    await withTransaction(t.db.pool, async (tx) => {
      for (const [uscc, name] of [
        [both, '重庆异常红名单有限公司'],
        [fined, '重庆一般处罚索引有限公司'],
      ] as const)
        await registerSubject({ ...setup, db: tx }, t.app.platform.crypto, {
          uscc,
          name,
          origin: 'registry',
        });
    });
    for (const [listType, docNo] of [
      ['SAMR_BUSINESS_ABNORMAL', 'A1'],
      ['TAX_CREDIT_A', 'T1'],
    ]) {
      const post = async (user: string, url: string, payload: Record<string, unknown>) =>
        (await t.app.inject({ method: 'POST', url, headers: await as(user), payload })).json();
      const e = await post('officer', '/api/v1/list-entries', {
        listType,
        subject: both,
        summary: 's',
        facts: [{ docNo }],
      });
      await post('officer', `/api/v1/list-entries/${e.id}/notify`, { noticeNo: 'n', repairNoticeNo: 'r' });
      await post('reviewer', `/api/v1/list-entries/${e.id}/statement`, { text: '无异议' });
      const d = await post('officer', `/api/v1/list-entries/${e.id}/decision`, {
        outcome: 'list',
        decisionNo: `${docNo}-D`,
        reasons: 'r',
      });
      expect(d.stage).toBe('listed');
    }
    const [rec] = await submitRecords(setup, t.app.platform.crypto, dept.id, [
      {
        itemCode: 'XZCF',
        payload: {
          CF_XDR_MC: '重庆一般处罚索引有限公司',
          CF_XDR_LB: '法人及非法人组织',
          CF_XDR_SHXYM: fined,
          CF_FRDB: '周九',
          CF_WSH: '渝中市监罚〔2026〕30号',
          CF_WFXW: '未按规定公示',
          CF_SY: '经查',
          CF_YJ: '《企业信息公示暂行条例》',
          CF_CFLB: ['罚款'],
          CF_NR: '罚款 1 万元',
          CF_NR_FK: '1',
          CF_JDRQ: '2026-03-21',
          CF_CFJG: dept.name,
          CF_CFJGDM: dept.uscc,
          CF_SJLY: dept.name,
          CF_SJLYDM: dept.uscc,
        },
      },
    ]);
    expect(rec?.outcome).toBe('created');
    await index.poll();
    t.clock.now = at('2026-03-22T03:00:00Z');
    for (const [subject, scenario, code] of [
      [both, 'SUPERVISION', 'I_FEWER_INSPECTIONS'],
      [fined, 'ADMIN_APPROVAL', 'I_FAST_TRACK'],
    ] as const) {
      const hits = index.hits;
      const fromIndex = (await check({ subject, scenario })).json();
      expect(index.hits).toBe(hits + 1);
      const fromSql = (await check({ subject, scenario, at: '2026-03-22T02:59:59.999Z' })).json();
      expect(index.hits).toBe(hits + 1);
      expect(fromIndex.withheld.map((w: { code: string }) => w.code)).toEqual([code]);
      expect(fromIndex.withheld[0].blockers).toHaveLength(1);
      for (const k of ['outcome', 'clean', 'measures', 'withheld'])
        expect(fromIndex[k], `${subject} ${k}`).toEqual(fromSql[k]);
    }
  });
});

describe('related parties in the index', () => {
  it('reaches the legal representative as the SQL path does, and drops it when the company’s entry ends', async () => {
    t.clock.now = at('2026-03-23T02:00:00Z');
    const debtor = makeUscc('91', '500103', 'JR000001');
    const rep = makeCitizenId('500103', '19750505', '055');
    const other = makeCitizenId('500103', '19760606', '066');
    await withTransaction(t.db.pool, async (tx) => {
      const c = { db: tx, actor: SYSTEM, requestId: 'r', now: t.clock.now };
      await registerSubject(c, t.app.platform.crypto, {
        uscc: debtor,
        name: '重庆被执行索引有限公司',
        origin: 'registry',
      });
      await registerSubject(c, t.app.platform.crypto, { citizenId: rep, name: '吴法代', origin: 'registry' });
      await registerSubject(c, t.app.platform.crypto, {
        citizenId: other,
        name: '郑直责',
        origin: 'registry',
      });
    });
    const post = async (user: string, url: string, payload: Record<string, unknown>) =>
      (await t.app.inject({ method: 'POST', url, headers: await as(user), payload })).json();
    const e = await post('officer', '/api/v1/list-entries', {
      listType: 'COURT_DISHONEST_DEBTORS',
      subject: debtor,
      summary: 's',
      facts: [{ docNo: '（2026）渝0103执9号' }],
      parties: [
        { subject: rep, role: 'legal_representative' },
        { subject: other, role: 'directly_responsible' },
      ],
    });
    await post('officer', `/api/v1/list-entries/${e.id}/notify`, { noticeNo: 'n', repairNoticeNo: 'r' });
    await post('reviewer', `/api/v1/list-entries/${e.id}/statement`, { text: '无异议' });
    expect(
      (
        await post('officer', `/api/v1/list-entries/${e.id}/decision`, {
          outcome: 'list',
          decisionNo: 'C9',
          reasons: 'r',
        })
      ).stage,
    ).toBe('listed');
    // The entry's events name the company only; the poll reloads its related parties too.
    await index.poll();
    t.clock.now = at('2026-03-23T03:00:00Z');
    for (const subject of [rep, other]) {
      const hits = index.hits;
      const fromIndex = (await check({ subject, scenario: 'HIGH_CONSUMPTION' })).json();
      expect(index.hits).toBe(hits + 1);
      const fromSql = (
        await check({ subject, scenario: 'HIGH_CONSUMPTION', at: '2026-03-23T02:59:59.999Z' })
      ).json();
      expect(index.hits).toBe(hits + 1);
      expect(fromIndex.outcome).toBe('restrict');
      expect(fromIndex.measures[0].triggers[0]).toMatchObject({
        kind: 'party_entry',
        entryId: e.id,
        role: subject === rep ? 'legal_representative' : 'directly_responsible',
        listedSubject: { uscc: debtor, name: '重庆被执行索引有限公司' },
      });
      for (const k of ['outcome', 'clean', 'measures', 'withheld'])
        expect(fromIndex[k], `${subject} ${k}`).toEqual(fromSql[k]);
      // The batch (always SQL) agrees too.
      const b = (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/checks/batch',
          headers: { authorization: `Bearer ${key}` },
          payload: { subjects: [subject], scenario: 'HIGH_CONSUMPTION' },
        })
      ).json();
      expect(b.results[0]).toMatchObject({
        outcome: 'restrict',
        measures: [{ code: fromIndex.measures[0].code }],
      });
    }
    // Ended: the end event names the company; the representative's facts follow at the next poll.
    sessions.clear(); // an hour idle: log in again
    const ended = await post('officer', `/api/v1/list-entries/${e.id}/end`, { reason: 'performed' });
    expect(ended.status, JSON.stringify(ended)).toBe('ended');
    await index.poll();
    t.clock.now = at('2026-03-23T04:00:00Z');
    const hits = index.hits;
    expect((await check({ subject: rep, scenario: 'HIGH_CONSUMPTION' })).json().outcome).toBe('allow');
    expect(index.hits).toBe(hits + 1);
    expect(
      (await check({ subject: rep, scenario: 'HIGH_CONSUMPTION', at: '2026-03-23T02:30:00Z' })).json()
        .outcome,
    ).toBe('restrict');
  });
});

async function refOf(code: string): Promise<string> {
  const { rows } = await t.db.pool.query<{ id: number }>('SELECT id FROM subjects WHERE uscc = $1', [code]);
  return `S${rows[0]?.id}`;
}
