import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOTP_SECRET, loginBody } from '../../../../test/support/totp';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { LEGAL_BASIS_RANKS } from '../../../domain/catalog';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { SYSTEM, type Ctx } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey, createDepartment, createUser } from '../accounts';
import { seedNationalCatalog, setProviders } from '../catalog';
import { seedListTypes } from '../lists';
import { submitRecords } from '../records';
import { registerSubject } from '../subjects';
import { seedMeasures } from './measures.seed';

let t: TestApp;
let deptA: { id: number; name: string; uscc: string };
let deptB: { id: number; name: string; uscc: string };
let keyA = '';
let keyB = '';
const company = makeUscc('91', '500103', 'MT000001');
const clean = makeUscc('91', '500103', 'MT000002');
const penalised = makeUscc('91', '500103', 'MT000003');
const person = makeCitizenId('500103', '19850612', '033');
const contractor = makeUscc('91', '500103', 'MT000004');
const honoured = makeUscc('91', '500103', 'MT000005');
const abnormalRed = makeUscc('91', '500103', 'MT000006');
const redOnly = makeUscc('91', '500103', 'MT000007');
const fined = makeUscc('91', '500103', 'MT000008');
const debtor = makeUscc('91', '500103', 'MT000009');
const affiliateCo = makeUscc('91', '500103', 'MT000010');
const legalRep = makeCitizenId('500103', '19790321', '051');
const PASS = 'measure-test-pass-1';
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

async function post(user: string, url: string, payload: unknown) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: await as(user),
    payload: payload as Record<string, unknown>,
  });
}

function check(payload: Record<string, unknown>, key = keyA) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/checks',
    headers: { authorization: `Bearer ${key}` },
    payload,
  });
}

/** A record submitted by department A now; returns its id. */
async function submit(itemCode: string, payload: Record<string, unknown>): Promise<number> {
  const [out] = await submitRecords(
    { db: t.db.pool, actor: SYSTEM, requestId: 'r', now: t.clock.now },
    t.app.platform.crypto,
    deptA.id,
    [{ itemCode, payload }],
  );
  if (out?.outcome !== 'created') throw new Error(JSON.stringify(out));
  return out.recordId;
}

/** An entry put on a list through the procedure (the statement made, so decided at once); its id. */
async function listed(
  listType: string,
  subject: string,
  docNo: string,
  parties?: { subject: string; role: string }[],
): Promise<number> {
  const proposed = await post('officer-a', '/api/v1/list-entries', {
    listType,
    subject,
    summary: 's',
    facts: [{ docNo }],
    ...(parties ? { parties } : {}),
  });
  expect(proposed.statusCode, proposed.body).toBe(201);
  const id = proposed.json().id;
  await post('officer-a', `/api/v1/list-entries/${id}/notify`, { noticeNo: 'n', repairNoticeNo: 'r' });
  await post('reviewer-a', `/api/v1/list-entries/${id}/statement`, { text: '无异议' });
  const decided = await post('officer-a', `/api/v1/list-entries/${id}/decision`, {
    outcome: 'list',
    decisionNo: `${docNo}-决`,
    reasons: '符合条件',
  });
  expect(decided.json().stage, decided.body).toBe('listed');
  return id;
}

/** Events of this module (logins write their own). */
async function eventCount(type?: string): Promise<number> {
  const r = await t.db.pool.query(
    `SELECT count(*)::int AS n FROM events
      WHERE ${type ? 'type = $1' : "entity_type IN ('measure', 'measure_scenario', 'check')"}`,
    type ? [type] : [],
  );
  return r.rows[0].n;
}

beforeAll(async () => {
  t = await createTestApp(at('2026-03-01T02:00:00Z'), { XINYONG_RATE_LIMIT: '0' });
  await withTransaction(t.db.pool, async (tx) => {
    const ctx: Ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: at('2026-03-01T01:00:00Z') };
    await seedNationalCatalog(ctx);
    await seedListTypes(ctx);
    await seedMeasures(ctx);
    deptA = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150002'),
      name: '重庆市渝中区市场监督管理局',
      nameEn: 'Yuzhong District Administration for Market Regulation',
      region: '500103',
    });
    deptB = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150004'),
      name: '重庆市渝中区财政局',
      region: '500103',
    });
    await setProviders(ctx, 'XZCF', [deptA.id]);
    await setProviders(ctx, 'HTLY', [deptA.id]);
    await setProviders(ctx, 'CXRY', [deptA.id]);
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'officer-a',
      displayName: 'A',
      password: PASS,
      roles: ['dept_officer'],
      departmentId: deptA.id,
    });
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'reviewer-a',
      displayName: 'RA',
      password: PASS,
      roles: ['dept_reviewer'],
      departmentId: deptA.id,
    });
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'admin',
      displayName: 'Admin',
      password: PASS,
      roles: ['platform_admin'],
    });
    keyA = (await createApiKey(ctx, { departmentId: deptA.id, name: 'A system', scopes: ['checks'] })).key;
    keyB = (
      await createApiKey(ctx, { departmentId: deptB.id, name: 'procurement system', scopes: ['checks'] })
    ).key;
    const crypto = t.app.platform.crypto;
    await registerSubject(ctx, crypto, { uscc: company, name: '重庆鸿运建材有限公司', origin: 'registry' });
    await registerSubject(ctx, crypto, { uscc: clean, name: '重庆守信科技有限公司', origin: 'registry' });
    await registerSubject(ctx, crypto, { uscc: penalised, name: '重庆受罚商贸有限公司', origin: 'registry' });
    await registerSubject(ctx, crypto, { citizenId: person, name: '赵六', origin: 'registry' });
    await registerSubject(ctx, crypto, { citizenId: legalRep, name: '钱法代', origin: 'registry' });
    for (const [uscc, name] of [
      [contractor, '重庆违约建设有限公司'],
      [honoured, '重庆荣誉商贸有限公司'],
      [abnormalRed, '重庆异常纳税有限公司'],
      [redOnly, '重庆纳税信用有限公司'],
      [fined, '重庆一般处罚有限公司'],
      [debtor, '重庆欠债不还有限公司'],
      [affiliateCo, '重庆关联投资有限公司'],
    ] as const)
      await registerSubject(ctx, crypto, { uscc, name, origin: 'registry' });
  });
});
afterAll(async () => t?.close());

describe('the inventory and its gate', () => {
  it('is seeded and public, with its legal bases', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/measures' });
    expect(res.statusCode).toBe(200);
    const { scenarios, measures } = res.json();
    expect(scenarios.map((s: { code: string }) => s.code)).toEqual(
      expect.arrayContaining([
        'GOV_FUNDS',
        'TAX_PREFERENCE',
        'PUBLIC_RESOURCE_TRADING',
        'CIVIL_SERVICE',
        'ADMIN_APPROVAL',
      ]),
    );
    const byCode = new Map(measures.map((m: { code: string }) => [m.code, m]));
    expect(byCode.get('M_PROCUREMENT_BAN')).toMatchObject({
      class: 1,
      reducesRights: true,
      legalBasis: [{ instrument: '《中华人民共和国政府采购法》', rank: 'law' }],
    });
    expect(byCode.get('M_SERIOUS_REVIEW')).toMatchObject({ class: 2, reducesRights: false });
    for (const m of measures as { class: number; legalBasis: { rank: string }[] }[])
      if (m.class === 1)
        expect(
          m.legalBasis.some((b) => ['law', 'administrative_regulation', 'local_regulation'].includes(b.rank)),
        ).toBe(true);
  });

  const measure = (over: Record<string, unknown>) => ({
    code: 'M_TEST_GATE',
    nameZh: '测试措施',
    nameEn: 'Test measure',
    content: { zh: '内容', en: 'Content' },
    kind: 'restriction',
    class: 1,
    legalBasis: [{ instrument: '依据', rank: 'law' }],
    triggers: [{ kind: 'list', listType: 'SAMR_SERIOUS_VIOLATION' }],
    scenarios: ['GOV_FUNDS'],
    implementingBodies: ['财政部门'],
    ...over,
  });

  it('refuses, over the API, each rank too low for its class, and changes nothing', async () => {
    const before = await eventCount();
    const expectedOk: Record<number, string[]> = {
      1: ['law', 'administrative_regulation', 'local_regulation'],
      2: ['law', 'administrative_regulation', 'local_regulation', 'central_policy'],
      3: LEGAL_BASIS_RANKS.map((r) => r.code),
    };
    for (const cls of [1, 2, 3])
      for (const { code: rank } of LEGAL_BASIS_RANKS) {
        if (expectedOk[cls]?.includes(rank)) continue;
        const res = await post(
          'admin',
          '/api/v1/measures',
          measure({ class: cls, legalBasis: [{ instrument: '依据', rank }] }),
        );
        expect(res.statusCode, `${cls} ${rank}`).toBe(422);
        expect(res.json().error).toMatchObject({
          code: 'MEASURE_INVALID',
          details: { problem: 'LEGAL_BASIS_RANK_TOO_LOW' },
        });
      }
    const noTrigger = await post('admin', '/api/v1/measures', measure({ triggers: [] }));
    expect(noTrigger.json().error.details.problem).toBe('TRIGGER_REQUIRED');
    const gradeOnly = await post(
      'admin',
      '/api/v1/measures',
      measure({ triggers: [{ kind: 'evaluation_grade', model: 'GB45255', grades: ['D'] }] }),
    );
    expect(gradeOnly.json().error.details.problem).toBe('TRIGGER_REQUIRED');
    const draftList = await post(
      'admin',
      '/api/v1/measures',
      measure({ triggers: [{ kind: 'list', listType: 'INTERNET_SERIOUS' }] }),
    );
    expect(draftList.json().error.details.problem).toBe('TRIGGER_LIST_NOT_ESTABLISHED');
    const class2Reducing = await post(
      'admin',
      '/api/v1/measures',
      measure({ class: 2, reducesRights: true, legalBasis: [{ instrument: '依据', rank: 'law' }] }),
    );
    expect(class2Reducing.json().error.details.problem).toBe('REDUCES_RIGHTS_NOT_CLASS_1');
    const unknownScenario = await post('admin', '/api/v1/measures', measure({ scenarios: ['NOPE'] }));
    expect(unknownScenario.json().error).toMatchObject({
      details: { problem: 'SCENARIO_UNKNOWN', field: 'scenarios[0]' },
    });
    expect((await post('officer-a', '/api/v1/measures', measure({}))).statusCode).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('accepts a measure that passes, versions and retires it', async () => {
    const ok = await post(
      'admin',
      '/api/v1/measures',
      measure({ legalBasis: [{ instrument: '某地方性法规', rank: 'local_regulation' }] }),
    );
    expect(ok.statusCode, JSON.stringify(ok.json())).toBe(201);
    const retired = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/measures/M_TEST_GATE',
      headers: await as('admin'),
      payload: measure({
        legalBasis: [{ instrument: '某地方性法规', rank: 'local_regulation' }],
        status: 'retired',
      }),
    });
    expect(retired.json()).toMatchObject({ version: 2, status: 'retired' });
    const pub = (await t.app.inject({ method: 'GET', url: '/api/v1/public/measures' })).json();
    expect(pub.measures.map((m: { code: string }) => m.code)).not.toContain('M_TEST_GATE');
    const v1 = await t.app.inject({ method: 'GET', url: '/api/v1/measures/M_TEST_GATE?version=1' });
    expect(v1.json().status).toBe('active');
  });
});

describe('the joint check', () => {
  let entryId = 0;
  let decidedAt = '';
  let endedAt = '';

  it('allows a clean subject and gives it the incentives that apply', async () => {
    t.clock.now = at('2026-03-02T02:00:00Z');
    const before = await eventCount('check.performed');
    const res = await check({ subject: company, scenario: 'ADMIN_APPROVAL' });
    expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({
      outcome: 'allow',
      clean: true,
      subject: { uscc: company },
      scenario: { code: 'ADMIN_APPROVAL' },
    });
    expect(r.measures.map((m: { code: string }) => m.code)).toEqual(['I_FAST_TRACK']);
    expect(r.measures[0]).toMatchObject({ effect: 'reward', triggers: [{ kind: 'clean_record' }] });
    expect(r.checkId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await eventCount('check.performed')).toBe(before + 1);
    const ev = await t.db.pool.query(
      "SELECT actor_kind, subject_id, payload FROM events WHERE type = 'check.performed' ORDER BY seq DESC LIMIT 1",
    );
    expect(ev.rows[0].actor_kind).toBe('apikey');
    expect(JSON.parse(ev.rows[0].payload)).toMatchObject({
      checkId: r.checkId,
      outcome: 'allow',
      scenario: 'ADMIN_APPROVAL',
    });
  });

  it('restricts during a serious-dishonesty entry and names the trigger, basis and deciding body', async () => {
    // Listing procedure through the lists module: propose, notify, waive, decide.
    const proposed = await post('officer-a', '/api/v1/list-entries', {
      listType: 'SAMR_SERIOUS_VIOLATION',
      subject: company,
      summary: '生产销售不合格产品',
      facts: [{ docNo: '渝中市监罚〔2026〕5号' }],
    });
    entryId = proposed.json().id;
    await post('officer-a', `/api/v1/list-entries/${entryId}/notify`, { noticeNo: 'n', repairNoticeNo: 'r' });
    await post('reviewer-a', `/api/v1/list-entries/${entryId}/statement`, { text: '无异议' });
    t.clock.now = at('2026-03-03T02:00:00Z');
    const decided = await post('officer-a', `/api/v1/list-entries/${entryId}/decision`, {
      outcome: 'list',
      decisionNo: '渝中市监列〔2026〕5号',
      reasons: '符合列入条件',
    });
    expect(decided.json().stage).toBe('listed');
    decidedAt = decided.json().decision.decidedAt;

    t.clock.now = at('2026-03-04T02:00:00Z');
    const res = await check({ subject: company, scenario: 'GOV_PROCUREMENT' }, keyB);
    const r = res.json();
    expect(r).toMatchObject({ outcome: 'restrict', clean: false });
    const samr = r.measures.find((m: { code: string }) => m.code === 'M_SAMR_SERIOUS');
    expect(samr).toMatchObject({ effect: 'restrict', class: 1, appliesUntil: '2029-03-03' });
    expect(samr.legalBasis[0].instrument).toContain('企业信息公示暂行条例');
    expect(samr.triggers[0]).toMatchObject({
      kind: 'list_entry',
      entryId,
      listType: 'SAMR_SERIOUS_VIOLATION',
      decisionNo: '渝中市监列〔2026〕5号',
      decidedOn: '2026-03-03',
      effectiveFrom: '2026-03-03',
      effectiveUntil: '2029-03-03',
      departmentName: deptA.name,
      departmentNameEn: 'Yuzhong District Administration for Market Regulation',
    });
    // The opinion's fields without a specific law: a review, not a restriction.
    const funds = (await check({ subject: company, scenario: 'GOV_FUNDS' })).json();
    expect(funds.outcome).toBe('review');
    expect(funds.measures.map((m: { code: string }) => m.code)).toEqual(['M_SERIOUS_REVIEW']);
    // Incentives are withheld from a subject on a serious-dishonesty list.
    const approval = (await check({ subject: company, scenario: 'ADMIN_APPROVAL' })).json();
    expect(approval.measures.map((m: { code: string }) => m.code)).toEqual(['M_NO_FAST_TRACK']);
  });

  it('allows again after the entry ends, and replays any past instant exactly', async () => {
    t.clock.now = at('2026-05-01T02:00:00Z');
    const ended = await post('officer-a', `/api/v1/list-entries/${entryId}/end`, {
      reason: 'court',
      note: '判决撤销',
    });
    expect(ended.json().status).toBe('ended');
    endedAt = ended.json().endedAt;
    t.clock.now = at('2026-05-02T02:00:00Z');
    const after = (await check({ subject: company, scenario: 'GOV_PROCUREMENT' })).json();
    expect(after.outcome).toBe('allow');
    const during = (
      await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: '2026-04-01T00:00:00Z' })
    ).json();
    expect(during).toMatchObject({ outcome: 'restrict', at: '2026-04-01T00:00:00.000Z' });
    const justBefore = new Date(new Date(decidedAt).getTime() - 1).toISOString();
    expect(
      (await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: justBefore })).json().outcome,
    ).toBe('allow');
    expect(
      (await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: decidedAt })).json().outcome,
    ).toBe('restrict');
    const lastMoment = new Date(new Date(endedAt).getTime() - 1).toISOString();
    expect(
      (await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: lastMoment })).json().outcome,
    ).toBe('restrict');
    expect((await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: endedAt })).json().outcome).toBe(
      'allow',
    );
    // Before the subject was registered there was nothing to check.
    const early = await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: '2026-01-01T00:00:00Z' });
    expect(early.json().error.code).toBe('CHECK_SUBJECT_UNKNOWN');
  });

  it('triggers on records by catalogue item and severity, and stops with their disclosure', async () => {
    t.clock.now = at('2026-05-10T02:00:00Z');
    const [out] = await submitRecords(
      { db: t.db.pool, actor: SYSTEM, requestId: 'r', now: t.clock.now },
      t.app.platform.crypto,
      deptA.id,
      [
        {
          itemCode: 'XZCF',
          severity: 'SERIOUS',
          payload: {
            CF_XDR_MC: '重庆受罚商贸有限公司',
            CF_XDR_LB: '法人及非法人组织',
            CF_XDR_SHXYM: penalised,
            CF_FRDB: '钱七',
            CF_WSH: '渝中市监罚〔2026〕9号',
            CF_WFXW: '虚假宣传',
            CF_SY: '经查',
            CF_YJ: '《中华人民共和国反不正当竞争法》',
            CF_CFLB: ['罚款'],
            CF_NR: '罚款 200 万元',
            CF_NR_FK: '200',
            CF_JDRQ: '2026-05-09',
            CF_CFJG: deptA.name,
            CF_CFJGDM: deptA.uscc,
            CF_SJLY: deptA.name,
            CF_SJLYDM: deptA.uscc,
          },
        },
      ],
    );
    if (out?.outcome !== 'created') throw new Error(JSON.stringify(out));
    const recordId = out.recordId;
    t.clock.now = at('2026-05-11T02:00:00Z');
    const r = (await check({ subject: penalised, scenario: 'GOV_PROCUREMENT' })).json();
    expect(r).toMatchObject({ outcome: 'restrict', clean: false });
    expect(r.measures[0]).toMatchObject({ code: 'M_PROCUREMENT_BAN', appliesUntil: '2029-05-09' });
    expect(r.measures[0].triggers[0]).toMatchObject({
      kind: 'record',
      recordId,
      itemCode: 'XZCF',
      severity: 'SERIOUS',
      departmentName: deptA.name,
      departmentNameEn: 'Yuzhong District Administration for Market Regulation',
    });
    const sup = (await check({ subject: penalised, scenario: 'SUPERVISION' })).json();
    expect(sup).toMatchObject({ outcome: 'review', measures: [{ code: 'M_KEY_SUPERVISION' }] });
    // Withdrawn: gone now, still there for an instant before the withdrawal.
    t.clock.now = at('2026-05-12T02:00:00Z');
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${recordId}/stops`,
      headers: await as('officer-a'),
      payload: { kind: 'withdrawn', reason: '录入错误' },
    });
    t.clock.now = at('2026-05-12T03:00:00Z');
    expect((await check({ subject: penalised, scenario: 'GOV_PROCUREMENT' })).json().outcome).toBe('allow');
    expect(
      (await check({ subject: penalised, scenario: 'GOV_PROCUREMENT', at: '2026-05-11T12:00:00Z' })).json()
        .outcome,
    ).toBe('restrict');
  });

  it('refuses bad input with coded errors: unknown scenario or subject, a future instant', async () => {
    const before = await eventCount();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ subject: company, scenario: 'MOON_LANDING' }, 400, 'SCENARIO_UNKNOWN'],
      [
        { subject: makeUscc('91', '500103', 'MT999999'), scenario: 'GOV_FUNDS' },
        404,
        'CHECK_SUBJECT_UNKNOWN',
      ],
      [{ subject: 'not-a-code', scenario: 'GOV_FUNDS' }, 404, 'CHECK_SUBJECT_UNKNOWN'],
      [{ subject: company, scenario: 'GOV_FUNDS', at: '2031-01-01T00:00:00Z' }, 400, 'INSTANT_IN_FUTURE'],
      [{ subject: company, scenario: 'GOV_FUNDS', at: 'yesterday' }, 400, 'INSTANT_INVALID'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await check(payload);
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/checks',
          payload: { subject: company, scenario: 'GOV_FUNDS' },
        })
      ).statusCode,
    ).toBe(401);
    expect(await eventCount()).toBe(before);
  });

  it('checks natural persons by exact ID, with the measures for persons', async () => {
    const r = (await check({ subject: person, scenario: 'CIVIL_SERVICE' })).json();
    expect(r).toMatchObject({ outcome: 'allow', subject: { type: 'NATURAL_PERSON' } });
    expect(JSON.stringify(r)).not.toContain(person);
  });

  it('stores execution feedback and counts it per measure', async () => {
    t.clock.now = at('2026-05-13T02:00:00Z');
    const r = (
      await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: '2026-04-01T00:00:00Z' }, keyB)
    ).json();
    const fb = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checks/${r.checkId}/feedback`,
      headers: { authorization: `Bearer ${keyB}` },
      payload: { measure: 'M_SAMR_SERIOUS', applied: false, reason: '项目已于列入前完成采购' },
    });
    expect(fb.statusCode, JSON.stringify(fb.json())).toBe(201);
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checks/${r.checkId}/feedback`,
      headers: { authorization: `Bearer ${keyB}` },
      payload: { measure: 'M_SAMR_SERIOUS', applied: true, reason: 'x' },
    });
    expect(twice.json().error.code).toBe('FEEDBACK_EXISTS');
    const notInCheck = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checks/${r.checkId}/feedback`,
      headers: { authorization: `Bearer ${keyB}` },
      payload: { measure: 'M_COURT_EXIT', applied: true, reason: 'x' },
    });
    expect(notInCheck.json().error.code).toBe('FEEDBACK_MEASURE_NOT_IN_CHECK');
    const otherDept = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checks/${r.checkId}/feedback`,
      headers: { authorization: `Bearer ${keyA}` },
      payload: { measure: 'M_SERIOUS_REVIEW', applied: true, reason: 'x' },
    });
    expect(otherDept.statusCode).toBe(403);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks/00000000-0000-4000-8000-000000000000/feedback',
      headers: { authorization: `Bearer ${keyB}` },
      payload: { measure: 'M_SAMR_SERIOUS', applied: true, reason: 'x' },
    });
    expect(unknown.json().error.code).toBe('CHECK_NOT_FOUND');
    const r2 = (
      await check({ subject: company, scenario: 'GOV_PROCUREMENT', at: '2026-04-02T00:00:00Z' }, keyB)
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/checks/${r2.checkId}/feedback`,
      headers: { authorization: `Bearer ${keyB}` },
      payload: { measure: 'M_SAMR_SERIOUS', applied: true, reason: '已拒绝其参加采购' },
    });
    const stats = await t.app.inject({
      method: 'GET',
      url: '/api/v1/measures/M_SAMR_SERIOUS/feedback-stats',
      headers: { authorization: `Bearer ${keyB}` },
    });
    expect(stats.json()).toMatchObject({
      measure: 'M_SAMR_SERIOUS',
      feedback: 2,
      applied: 1,
      notApplied: 1,
      appliedRate: 0.5,
      reasonsNotApplied: [{ reason: '项目已于列入前完成采购', count: 1 }],
    });
    expect(stats.json().checksReturningIt).toBeGreaterThanOrEqual(3);
  });
});

describe('the batch check', () => {
  it('checks 10,000 subjects in one call, one event with the count and a hash of the list', async () => {
    t.clock.now = at('2026-05-20T02:00:00Z');
    // Bulk-register 9,995 enterprises directly (the registry service would take minutes).
    const codes: string[] = [];
    for (let i = 0; i < 9_995; i++) codes.push(makeUscc('91', '500103', `B${String(i).padStart(7, '0')}`));
    await t.db.pool.query(
      `INSERT INTO subjects (type, uscc, name, origin, created_at, updated_at)
       SELECT 'ENTERPRISE', u, '批量企业' || n, 'demo', $2, $2 FROM unnest($1::text[]) WITH ORDINALITY AS x(u, n)`,
      [codes, at('2026-01-01T00:00:00Z')],
    );
    const subjects = [...codes, company, clean, penalised, person, makeUscc('91', '500103', 'MT999998')];
    expect(subjects).toHaveLength(10_000);
    const before = await eventCount('check.batch_performed');
    const started = Date.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks/batch',
      headers: { authorization: `Bearer ${keyB}` },
      payload: { subjects, scenario: 'GOV_PROCUREMENT', at: '2026-04-01T00:00:00Z' },
    });
    const ms = Date.now() - started;
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const b = res.json();
    expect(b.count).toBe(10_000);
    expect(b.outcomes).toEqual({ allow: 9_998, restrict: 1, review: 0, unknown: 1 });
    expect(b.results).toHaveLength(10_000);
    expect(b.results[9_995]).toMatchObject({ subject: company, outcome: 'restrict' });
    expect(
      b.results[9_995].measures.find((m: { code: string }) => m.code === 'M_SAMR_SERIOUS').triggers[0],
    ).toMatchObject({
      kind: 'list_entry',
      type: 'SAMR_SERIOUS_VIOLATION',
      decidedBy: deptA.name,
    });
    expect(b.results[9_999].error.code).toBe('CHECK_SUBJECT_UNKNOWN');
    expect(b.measures.map((m: { code: string }) => m.code)).toContain('M_SAMR_SERIOUS');
    expect(await eventCount('check.batch_performed')).toBe(before + 1);
    const ev = await t.db.pool.query(
      "SELECT payload FROM events WHERE type = 'check.batch_performed' ORDER BY seq DESC LIMIT 1",
    );
    const payload = JSON.parse(ev.rows[0].payload);
    expect(payload).toMatchObject({ count: 10_000, subjectsSha256: b.subjectsSha256 });
    expect(payload.subjectsSha256).toMatch(/^[0-9a-f]{64}$/);
    console.log(`batch of 10,000 in ${ms} ms (inject, test database)`);
    const tooMany = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks/batch',
      headers: { authorization: `Bearer ${keyB}` },
      payload: { subjects: [...subjects, company], scenario: 'GOV_PROCUREMENT' },
    });
    expect(tooMany.statusCode).toBe(400);
  });
});

describe('audit of issue 5', () => {
  const gateMeasure = (over: Record<string, unknown>): Record<string, unknown> => ({
    nameZh: '测试措施',
    nameEn: 'Test measure',
    content: { zh: '内容', en: 'Content' },
    kind: 'restriction',
    class: 2,
    legalBasis: [{ instrument: '国务院文件', rank: 'central_policy' }],
    implementingBodies: ['有关部门'],
    ...over,
  });
  const contractMeasure = gateMeasure({
    code: 'M_TEST_CONTRACT',
    triggers: [{ kind: 'record', itemCode: 'HTLY', minSeverity: 'GENERAL' }],
    scenarios: ['TENDERING'],
  });
  const honourMeasure = gateMeasure({
    code: 'I_TEST_HONOUR',
    kind: 'incentive',
    triggers: [{ kind: 'record', itemCode: 'CXRY' }],
    scenarios: ['AWARDS'],
  });
  const codesOf = (r: { measures: { code: string }[] }) => r.measures.map((m) => m.code);

  it('replays a past instant with the inventory of then after a measure is retired (record triggers included)', async () => {
    t.clock.now = at('2026-06-01T02:00:00Z');
    for (const m of [contractMeasure, honourMeasure]) {
      const res = await post('admin', '/api/v1/measures', m);
      expect(res.statusCode, res.body).toBe(201);
    }
    await submit('HTLY', {
      HT_XDR_MC: '重庆违约建设有限公司',
      HT_XDR_SHXYM: contractor,
      HT_MC: '道路维修合同',
      HT_LYQK: '未按约履行',
      HT_WYQX: '逾期未完工',
      HT_RDJG: deptA.name,
      HT_RDJGDM: deptA.uscc,
      HT_RDWSH: '渝中合认〔2026〕1号',
      HT_RDRQ: '2026-05-30',
    });
    await submit('CXRY', {
      RY_ZT_MC: '重庆荣誉商贸有限公司',
      RY_ZT_LB: '法人及非法人组织',
      RY_ZT_SHXYM: honoured,
      RY_RYMC: '守合同重信用企业',
      RY_JB: '市级',
      RY_SYJG: deptA.name,
      RY_SYJGDM: deptA.uscc,
      RY_WH: '渝中荣〔2026〕1号',
      RY_SYRQ: '2026-05-30',
      RY_YXQZ: '2099-12-31',
    });
    t.clock.now = at('2026-06-02T02:00:00Z');
    const then = '2026-06-02T02:00:00.000Z';
    const before = (await check({ subject: contractor, scenario: 'TENDERING' })).json();
    expect(before).toMatchObject({ outcome: 'review', measures: [{ code: 'M_TEST_CONTRACT' }] });
    const honourBefore = (await check({ subject: honoured, scenario: 'AWARDS' })).json();
    expect(codesOf(honourBefore)).toEqual(['I_TEST_HONOUR']);

    t.clock.now = at('2026-06-03T02:00:00Z');
    for (const m of [contractMeasure, honourMeasure]) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/measures/${String(m.code)}`,
        headers: await as('admin'),
        payload: { ...m, status: 'retired' },
      });
      expect(res.json().status).toBe('retired');
    }
    t.clock.now = at('2026-06-04T02:00:00Z');
    expect((await check({ subject: contractor, scenario: 'TENDERING' })).json().outcome).toBe('allow');
    expect(codesOf((await check({ subject: honoured, scenario: 'AWARDS' })).json())).toEqual([]);

    const replay = (await check({ subject: contractor, scenario: 'TENDERING', at: then })).json();
    expect(replay).toMatchObject({ outcome: 'review', measures: before.measures });
    const honourReplay = (await check({ subject: honoured, scenario: 'AWARDS', at: then })).json();
    expect(honourReplay.measures).toEqual(honourBefore.measures);
    const batch = async (scenario: string, subject: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/checks/batch',
          headers: { authorization: `Bearer ${keyA}` },
          payload: { subjects: [subject], scenario, at: then },
        })
      ).json().results[0];
    expect(await batch('TENDERING', contractor)).toMatchObject({
      outcome: 'review',
      measures: [{ code: 'M_TEST_CONTRACT' }],
    });
    expect(codesOf(await batch('AWARDS', honoured))).toEqual(['I_TEST_HONOUR']);
  });

  it('refuses a restriction triggered by an item that records no dishonesty, naming item and category', async () => {
    const before = await eventCount();
    const res = await post(
      'admin',
      '/api/v1/measures',
      gateMeasure({
        code: 'M_TEST_HONOUR',
        triggers: [{ kind: 'record', itemCode: 'CXRY' }],
        scenarios: ['AWARDS'],
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'MEASURE_INVALID',
      details: { problem: 'TRIGGER_ITEM_MISMATCH', field: 'triggers[0].itemCode' },
    });
    expect(res.json().error.messages['zh-CN']).toContain('CXRY（“诚实守信相关荣誉信息（HONOR）”类）');
    expect(res.json().error.messages.en).toContain('CXRY (category "Honours for trustworthiness (HONOR)")');
    const incentive = await post(
      'admin',
      '/api/v1/measures',
      gateMeasure({
        code: 'I_TEST_PENALTY',
        kind: 'incentive',
        triggers: [{ kind: 'record', itemCode: 'XZCF' }],
        scenarios: ['AWARDS'],
      }),
    );
    expect(incentive.json().error.details.problem).toBe('TRIGGER_ITEM_MISMATCH');
    expect(await eventCount()).toBe(before);
  });

  it('withholds incentives from a subject on a restrictive list or with any dishonesty record, and says why', async () => {
    t.clock.now = at('2026-06-10T02:00:00Z');
    const abnormal = await listed('SAMR_BUSINESS_ABNORMAL', abnormalRed, '渝中市监异〔2026〕1号');
    const redA = await listed('TAX_CREDIT_A', abnormalRed, '渝中税A〔2026〕1号');
    const redB = await listed('TAX_CREDIT_A', redOnly, '渝中税A〔2026〕2号');
    const penalty = await submit('XZCF', {
      CF_XDR_MC: '重庆一般处罚有限公司',
      CF_XDR_LB: '法人及非法人组织',
      CF_XDR_SHXYM: fined,
      CF_FRDB: '孙七',
      CF_WSH: '渝中市监罚〔2026〕20号',
      CF_WFXW: '未按规定公示',
      CF_SY: '经查',
      CF_YJ: '《企业信息公示暂行条例》',
      CF_CFLB: ['罚款'],
      CF_NR: '罚款 1 万元',
      CF_NR_FK: '1',
      CF_JDRQ: '2026-06-09',
      CF_CFJG: deptA.name,
      CF_CFJGDM: deptA.uscc,
      CF_SJLY: deptA.name,
      CF_SJLYDM: deptA.uscc,
    });
    t.clock.now = at('2026-06-11T02:00:00Z');

    // On the business-abnormal list and a red list: the restriction, not the incentive.
    const both = (await check({ subject: abnormalRed, scenario: 'SUPERVISION' })).json();
    expect(both).toMatchObject({ outcome: 'review', clean: false });
    expect(codesOf(both)).toEqual(['M_KEY_SUPERVISION']);
    expect(both.withheld).toHaveLength(1);
    expect(both.withheld[0]).toMatchObject({
      code: 'I_FEWER_INSPECTIONS',
      reason: { zh: expect.stringContaining('不适用激励措施') },
      blockers: [{ kind: 'list_entry', entryId: abnormal, listType: 'SAMR_BUSINESS_ABNORMAL' }],
    });
    expect(JSON.stringify(both.withheld)).not.toContain(`"entryId":${redA}`);

    // A GENERAL penalty: no fast track.
    const general = (await check({ subject: fined, scenario: 'ADMIN_APPROVAL' })).json();
    expect(general).toMatchObject({ outcome: 'allow', clean: false, measures: [] });
    expect(general.withheld).toEqual([
      expect.objectContaining({
        code: 'I_FAST_TRACK',
        blockers: [expect.objectContaining({ kind: 'record', recordId: penalty, severity: 'GENERAL' })],
      }),
    ]);

    // A clean red-listed subject gets the red-list incentives.
    const red = (await check({ subject: redOnly, scenario: 'SUPERVISION' })).json();
    expect(red).toMatchObject({ outcome: 'allow', clean: true, withheld: [] });
    expect(red.measures).toEqual([
      expect.objectContaining({
        code: 'I_FEWER_INSPECTIONS',
        effect: 'reward',
        triggers: [expect.objectContaining({ kind: 'list_entry', entryId: redB, listType: 'TAX_CREDIT_A' })],
      }),
    ]);
    const fast = (await check({ subject: redOnly, scenario: 'ADMIN_APPROVAL' })).json();
    expect(fast.measures[0].triggers.map((h: { kind: string }) => h.kind)).toEqual([
      'clean_record',
      'list_entry',
    ]);

    // The batch answers the same.
    const b = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/checks/batch',
        headers: { authorization: `Bearer ${keyA}` },
        payload: { subjects: [abnormalRed, redOnly], scenario: 'SUPERVISION' },
      })
    ).json();
    expect(b.results[0]).toMatchObject({
      outcome: 'review',
      clean: false,
      measures: [{ code: 'M_KEY_SUPERVISION' }],
      withheld: [{ code: 'I_FEWER_INSPECTIONS', blockers: [{ kind: 'list_entry', id: abnormal }] }],
    });
    expect(b.results[1]).toMatchObject({
      outcome: 'allow',
      clean: true,
      measures: [{ code: 'I_FEWER_INSPECTIONS' }],
    });
    expect(b.results[1].withheld).toBeUndefined();
  });

  it('takes batch feedback only for a subject in the batch and a measure that applied to it', async () => {
    const b = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/checks/batch',
        headers: { authorization: `Bearer ${keyB}` },
        payload: { subjects: [company, clean], scenario: 'GOV_PROCUREMENT', at: '2026-04-01T00:00:00Z' },
      })
    ).json();
    expect(b.outcomes).toMatchObject({ restrict: 1, allow: 1 });
    const feedback = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/checks/${b.checkId}/feedback`,
        headers: { authorization: `Bearer ${keyB}` },
        payload: { applied: true, reason: '已拒绝', ...payload },
      });
    const outsider = await feedback({ measure: 'M_SAMR_SERIOUS', subject: penalised });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error.code).toBe('FEEDBACK_SUBJECT_NOT_IN_BATCH');
    const notApplied = await feedback({ measure: 'M_SAMR_SERIOUS', subject: clean });
    expect(notApplied.json().error).toMatchObject({
      code: 'FEEDBACK_MEASURE_NOT_FOR_SUBJECT',
      messages: { en: `In this check, measure M_SAMR_SERIOUS did not apply to subject ${clean}` },
    });
    const stats = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/measures/M_SAMR_SERIOUS/feedback-stats',
          headers: { authorization: `Bearer ${keyB}` },
        })
      ).json().feedback;
    const counted = await stats();
    const ok = await feedback({ measure: 'M_SAMR_SERIOUS', subject: company });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await stats()).toBe(counted + 1);
    const row = await t.db.pool.query('SELECT subject_ids, applied_to FROM checks WHERE id = $1', [
      b.checkId,
    ]);
    expect(row.rows[0].subject_ids).toHaveLength(2);
    expect(Object.keys(row.rows[0].applied_to)).toEqual(expect.arrayContaining(['M_SAMR_SERIOUS']));
  });
});

describe('related parties reached by a measure (reachesRoles)', () => {
  let entryId = 0;
  let decidedAt = '';
  let endedAt = '';
  const highConsumption = (subject: string, atIso?: string) =>
    check({ subject, scenario: 'HIGH_CONSUMPTION', ...(atIso ? { at: atIso } : {}) });

  it('seeds the court’s 限制高消费 measure reaching the persons its rule names', async () => {
    const pub = (await t.app.inject({ method: 'GET', url: '/api/v1/public/measures' })).json();
    const byCode = new Map(pub.measures.map((m: { code: string }) => [m.code, m]));
    expect(byCode.get('M_COURT_HIGH_CONSUMPTION')).toMatchObject({
      reachesRoles: [
        'legal_representative',
        'principal_responsible',
        'directly_responsible',
        'actual_controller',
      ],
    });
    expect(byCode.get('M_COURT_EXIT')).toMatchObject({ reachesRoles: [] });
  });

  it('restricts the legal representative of a listed company, naming the entry, the company and the role', async () => {
    t.clock.now = at('2026-07-01T02:00:00Z');
    // Before the entry: the person is checked on its own facts only.
    expect((await highConsumption(legalRep)).json()).toMatchObject({ outcome: 'allow', clean: true });
    entryId = await listed('COURT_DISHONEST_DEBTORS', debtor, '（2026）渝0103执100号', [
      { subject: legalRep, role: 'legal_representative' },
      { subject: affiliateCo, role: 'affiliate' },
    ]);
    decidedAt = (
      await t.db.pool.query('SELECT decided_at FROM list_entries WHERE id = $1', [entryId])
    ).rows[0].decided_at.toISOString();
    t.clock.now = at('2026-07-02T02:00:00Z');

    const r = (await highConsumption(legalRep)).json();
    expect(r).toMatchObject({ outcome: 'restrict', clean: true, subject: { type: 'NATURAL_PERSON' } });
    expect(r.measures.map((m: { code: string }) => m.code)).toEqual(['M_COURT_HIGH_CONSUMPTION']);
    expect(r.measures[0]).toMatchObject({ effect: 'restrict', appliesUntil: '2028-07-01' });
    expect(r.measures[0].triggers).toEqual([
      expect.objectContaining({
        kind: 'party_entry',
        entryId,
        listType: 'COURT_DISHONEST_DEBTORS',
        decisionNo: '（2026）渝0103执100号-决',
        decidedOn: '2026-07-01',
        effectiveFrom: '2026-07-01',
        effectiveUntil: '2028-07-01',
        departmentName: deptA.name,
        departmentNameEn: 'Yuzhong District Administration for Market Regulation',
        role: 'legal_representative',
        roleName: { zh: '法定代表人', en: 'Legal representative' },
        listedSubject: expect.objectContaining({
          uscc: debtor,
          name: '重庆欠债不还有限公司',
          type: 'ENTERPRISE',
        }),
      }),
    ]);
    const ev = await t.db.pool.query(
      "SELECT payload FROM events WHERE type = 'check.performed' ORDER BY seq DESC LIMIT 1",
    );
    expect(JSON.parse(ev.rows[0].payload).measures).toEqual([
      {
        code: 'M_COURT_HIGH_CONSUMPTION',
        effect: 'restrict',
        triggers: [`party_entry:${entryId}:legal_representative`],
      },
    ]);
    // The listed company itself, as before.
    const own = (await highConsumption(debtor)).json();
    expect(own.measures[0].triggers[0]).toMatchObject({ kind: 'list_entry', entryId });
    // A role the measure does not reach, and a measure that reaches no one: allow.
    expect((await highConsumption(affiliateCo)).json()).toMatchObject({ outcome: 'allow', measures: [] });
    expect((await check({ subject: legalRep, scenario: 'GOV_PROCUREMENT' })).json().outcome).toBe('allow');
    // Being a related party does not withhold incentives (only the subject's own facts do).
    const approval = (await check({ subject: legalRep, scenario: 'ADMIN_APPROVAL' })).json();
    expect(approval).toMatchObject({ clean: true, withheld: [] });
    expect(approval.measures.map((m: { code: string }) => m.code)).toEqual(['I_FAST_TRACK']);
  });

  it('answers the same in a batch', async () => {
    const b = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/checks/batch',
        headers: { authorization: `Bearer ${keyA}` },
        payload: { subjects: [legalRep, affiliateCo, debtor, person], scenario: 'HIGH_CONSUMPTION' },
      })
    ).json();
    expect(b.outcomes).toEqual({ allow: 2, restrict: 2, review: 0, unknown: 0 });
    expect(b.results[0]).toMatchObject({
      outcome: 'restrict',
      clean: true,
      measures: [
        {
          code: 'M_COURT_HIGH_CONSUMPTION',
          triggers: [
            {
              kind: 'party_entry',
              id: entryId,
              type: 'COURT_DISHONEST_DEBTORS',
              from: '2026-07-01',
              until: '2028-07-01',
              decidedBy: deptA.name,
              role: 'legal_representative',
              listedSubject: { uscc: debtor, name: '重庆欠债不还有限公司' },
            },
          ],
        },
      ],
    });
    expect(b.results[1]).toMatchObject({ outcome: 'allow', measures: [] });
    expect(b.results[2]).toMatchObject({
      outcome: 'restrict',
      measures: [{ triggers: [{ kind: 'list_entry' }] }],
    });
    expect(b.results[3]).toMatchObject({ outcome: 'allow', measures: [] });
    // Feedback on the related party: the measure applied to it in this batch.
    const fb = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checks/${b.checkId}/feedback`,
      headers: { authorization: `Bearer ${keyA}` },
      payload: {
        measure: 'M_COURT_HIGH_CONSUMPTION',
        subject: legalRep,
        applied: true,
        reason: '已限制购票',
      },
    });
    expect(fb.statusCode, fb.body).toBe(201);
  });

  it('lifts when the entry ends, and replays past instants: before the decision, during, after', async () => {
    t.clock.now = at('2026-07-10T02:00:00Z');
    const ended = await post('officer-a', `/api/v1/list-entries/${entryId}/end`, { reason: 'performed' });
    expect(ended.json().status, ended.body).toBe('ended');
    endedAt = ended.json().endedAt;
    t.clock.now = at('2026-07-11T02:00:00Z');
    expect((await highConsumption(legalRep)).json()).toMatchObject({ outcome: 'allow', measures: [] });
    const during = (await highConsumption(legalRep, '2026-07-05T00:00:00Z')).json();
    expect(during).toMatchObject({ outcome: 'restrict', at: '2026-07-05T00:00:00.000Z' });
    expect(during.measures[0].triggers[0]).toMatchObject({ kind: 'party_entry', entryId });
    const justBefore = new Date(new Date(decidedAt).getTime() - 1).toISOString();
    expect((await highConsumption(legalRep, justBefore)).json().outcome).toBe('allow');
    expect((await highConsumption(legalRep, decidedAt)).json().outcome).toBe('restrict');
    const lastMoment = new Date(new Date(endedAt).getTime() - 1).toISOString();
    expect((await highConsumption(legalRep, lastMoment)).json().outcome).toBe('restrict');
    expect((await highConsumption(legalRep, endedAt)).json().outcome).toBe('allow');
    const batchAt = async (atIso: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/checks/batch',
          headers: { authorization: `Bearer ${keyA}` },
          payload: { subjects: [legalRep], scenario: 'HIGH_CONSUMPTION', at: atIso },
        })
      ).json().results[0].outcome;
    expect(await batchAt('2026-07-05T00:00:00Z')).toBe('restrict');
    expect(await batchAt(justBefore)).toBe('allow');
    expect(await batchAt(endedAt)).toBe('allow');
  });

  it('refuses reachesRoles on an incentive and on a basis below administrative regulation, changing nothing', async () => {
    const before = await eventCount();
    const base = {
      code: 'M_TEST_REACH',
      nameZh: '测试措施',
      nameEn: 'Test measure',
      content: { zh: '内容', en: 'Content' },
      kind: 'restriction',
      class: 1,
      legalBasis: [{ instrument: '某地方性法规', rank: 'local_regulation' }],
      triggers: [{ kind: 'list', listType: 'COURT_DISHONEST_DEBTORS' }],
      scenarios: ['HIGH_CONSUMPTION'],
      implementingBodies: ['有关部门'],
      reachesRoles: ['legal_representative'],
    };
    const low = await post('admin', '/api/v1/measures', base);
    expect(low.statusCode).toBe(422);
    expect(low.json().error).toMatchObject({
      code: 'MEASURE_INVALID',
      details: { problem: 'REACHES_ROLES_RANK_TOO_LOW', field: 'reachesRoles' },
    });
    expect(low.json().error.messages['zh-CN']).toContain('须以法律或行政法规为依据');
    expect(low.json().error.messages.en).toContain('needs a law or administrative regulation');
    const incentive = await post('admin', '/api/v1/measures', {
      ...base,
      code: 'I_TEST_REACH',
      kind: 'incentive',
      class: 2,
      legalBasis: [{ instrument: '某法', rank: 'law' }],
      triggers: [{ kind: 'list', listType: 'TAX_CREDIT_A' }],
    });
    expect(incentive.json().error).toMatchObject({
      code: 'MEASURE_INVALID',
      details: { problem: 'REACHES_ROLES_NOT_RESTRICTION' },
    });
    const unknownRole = await post('admin', '/api/v1/measures', {
      ...base,
      legalBasis: [{ instrument: '某法', rank: 'law' }],
      reachesRoles: ['spouse'],
    });
    expect(unknownRole.json().error.details).toMatchObject({
      problem: 'REACHES_ROLE_INVALID',
      field: 'reachesRoles[0]',
    });
    expect(await eventCount()).toBe(before);
    // With a law it passes.
    const ok = await post('admin', '/api/v1/measures', {
      ...base,
      legalBasis: [{ instrument: '某法', rank: 'law' }],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().reachesRoles).toEqual(['legal_representative']);
  });

  it('upgrades a deployment: only the seeded measure that reaches related parties gets a new version', async () => {
    // Versions stored before the field existed have no reachesRoles: they read as none.
    await t.db.pool.query(
      "UPDATE measure_versions SET definition = definition - 'reachesRoles' WHERE recorded_by LIKE '%measures-seed%'",
    );
    t.clock.now = at('2026-07-12T02:00:00Z');
    const summary = await withTransaction(t.db.pool, (tx) =>
      seedMeasures({ db: tx, actor: SYSTEM, requestId: 'upgrade', now: t.clock.now }),
    );
    expect(summary).toMatchObject({ created: [], versioned: ['M_COURT_HIGH_CONSUMPTION'], refused: [] });
    const again = await withTransaction(t.db.pool, (tx) =>
      seedMeasures({ db: tx, actor: SYSTEM, requestId: 'again', now: t.clock.now }),
    );
    expect(again).toMatchObject({ created: [], versioned: [] });
  });
});
