import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOTP_SECRET, loginBody } from '../../../../test/support/totp';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { SYSTEM, type Ctx } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey, createDepartment, createUser } from '../accounts';
import { seedNationalCatalog, setProviders } from '../catalog';
import { submitRecords } from '../records';
import { registerSubject } from '../subjects';
import { periodRound } from './lists.periods';
import { seedListTypes } from './lists.seed';

let t: TestApp;
let deptA: { id: number; name: string; nameEn: string | null; uscc: string };
let deptB: { id: number; name: string; uscc: string };
const company = makeUscc('91', '500103', 'LT000001');
const affiliate = makeUscc('91', '500103', 'LT000002');
const other = makeUscc('91', '500103', 'LT000003');
const rep = makeCitizenId('500103', '19800101', '011');
const person = makeCitizenId('500103', '19900202', '022');
const unregistered = makeUscc('91', '500103', 'LT000009');
let companyRef = '';
let recordId = 0;
let otherRecordId = 0;

const at = (iso: string) => new Date(iso);
const PASS = 'list-test-pass-1';

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

async function counts() {
  const r = await t.db.pool.query(
    `SELECT (SELECT count(*) FROM list_entries)::int AS entries, (SELECT count(*) FROM list_entry_steps)::int AS steps,
            (SELECT count(*) FROM events WHERE entity_type IN ('list_entry', 'list_type'))::int AS events`,
  );
  return r.rows[0];
}

function penalty(uscc: string, name: string, docNo: string) {
  return {
    CF_XDR_MC: name,
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: uscc,
    CF_FRDB: '王五',
    CF_WSH: docNo,
    CF_WFXW: '生产销售不合格产品',
    CF_SY: '经查，当事人生产销售不合格产品',
    CF_YJ: '《中华人民共和国产品质量法》第四十九条',
    CF_CFLB: ['吊销许可证件'],
    CF_NR: '吊销生产许可证',
    CF_NR_ZKDX: '工业产品生产许可证 XK13-001-00001',
    CF_JDRQ: '2026-08-20',
    CF_CFJG: deptA.name,
    CF_CFJGDM: deptA.uscc,
    CF_SJLY: deptA.name,
    CF_SJLYDM: deptA.uscc,
  };
}

beforeAll(async () => {
  t = await createTestApp(at('2026-09-01T02:00:00Z'), { XINYONG_RATE_LIMIT: '0' });
  await withTransaction(t.db.pool, async (tx) => {
    const ctx: Ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: at('2026-09-01T01:00:00Z') };
    await seedNationalCatalog(ctx);
    await seedListTypes(ctx);
    deptA = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'LB150002'),
      name: '重庆市渝中区市场监督管理局',
      nameEn: 'Yuzhong District Administration for Market Regulation',
      region: '500103',
    });
    deptB = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'LB150004'),
      name: '重庆市渝中区人力资源和社会保障局',
      region: '500103',
    });
    await setProviders(ctx, 'XZCF', [deptA.id]);
    for (const [username, roles, departmentId] of [
      ['officer-a', ['dept_officer'], deptA.id],
      ['reviewer-a', ['dept_reviewer'], deptA.id],
      ['officer-b', ['dept_officer'], deptB.id],
      ['reviewer-b', ['dept_reviewer'], deptB.id],
    ] as const)
      await createUser(ctx, {
        totpSecret: TEST_TOTP_SECRET,
        username,
        displayName: username,
        password: PASS,
        roles: [...roles],
        departmentId,
      });
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'admin',
      displayName: 'admin',
      password: PASS,
      roles: ['platform_admin'],
    });
    const s = await registerSubject(ctx, t.app.platform.crypto, {
      uscc: company,
      name: '重庆鸿运建材有限公司',
      origin: 'registry',
    });
    companyRef = `S${s.id}`;
    await registerSubject(ctx, t.app.platform.crypto, {
      uscc: affiliate,
      name: '重庆鸿运物流有限公司',
      origin: 'registry',
    });
    await registerSubject(ctx, t.app.platform.crypto, {
      uscc: other,
      name: '重庆别家商贸有限公司',
      origin: 'registry',
    });
    await registerSubject(ctx, t.app.platform.crypto, { citizenId: rep, name: '王五', origin: 'registry' });
    await registerSubject(ctx, t.app.platform.crypto, {
      citizenId: person,
      name: '李四',
      origin: 'registry',
    });
    const out = await submitRecords(
      { ...ctx, actor: { kind: 'system', name: 'test' } },
      t.app.platform.crypto,
      deptA.id,
      [
        {
          itemCode: 'XZCF',
          payload: penalty(company, '重庆鸿运建材有限公司', '渝中市监罚〔2026〕88号'),
          severity: 'SERIOUS',
        },
        {
          itemCode: 'XZCF',
          payload: penalty(other, '重庆别家商贸有限公司', '渝中市监罚〔2026〕89号'),
          severity: 'SERIOUS',
        },
      ],
    );
    if (out.some((o) => o.outcome === 'rejected')) throw new Error(JSON.stringify(out));
    recordId = (out[0] as { recordId: number }).recordId;
    otherRecordId = (out[1] as { recordId: number }).recordId;
  });
});
afterAll(async () => t?.close());

describe('list types', () => {
  it('are seeded: the domain lists are public, the opinion’s new domains are drafts with basis to be confirmed', async () => {
    const h = await as('admin');
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/list-types', headers: h })).json();
    const byCode = new Map(all.map((l: { code: string }) => [l.code, l]));
    for (const code of [
      'COURT_DISHONEST_DEBTORS',
      'SAMR_SERIOUS_VIOLATION',
      'TAX_MAJOR_VIOLATION',
      'WAGE_ARREARS',
      'WORK_SAFETY_SERIOUS',
      'SOCIAL_ORG_SERIOUS',
      'GOV_PROCUREMENT_SERIOUS',
    ])
      expect(byCode.get(code)).toMatchObject({ kind: 'serious_dishonesty', status: 'active', public: true });
    for (const code of [
      'REAL_ESTATE_SERIOUS',
      'INTERNET_SERIOUS',
      'HR_MARKET_SERIOUS',
      'ENERGY_CONTRACT_SERIOUS',
    ])
      expect(byCode.get(code)).toMatchObject({ status: 'draft', basisStatus: 'to_be_confirmed' });
    const pub = (await t.app.inject({ method: 'GET', url: '/api/v1/public/lists' })).json();
    expect(pub.map((l: { code: string }) => l.code)).not.toContain('REAL_ESTATE_SERIOUS');
    expect(pub.find((l: { code: string }) => l.code === 'SAMR_SERIOUS_VIOLATION').legalBasis[0].rank).toBe(
      'administrative_regulation',
    );
  });

  it('refuses a serious-dishonesty list without a basis of sufficient rank or without published conditions', async () => {
    const base = {
      code: 'TEST_SERIOUS',
      nameZh: '测试严重失信名单',
      nameEn: 'Test serious list',
      domain: '测试',
      kind: 'serious_dishonesty',
      authority: { zh: '测试局', en: 'Test bureau' },
      legalBasis: [{ instrument: '《某某管理办法》', rank: 'departmental_rule' }],
      conditions: {
        entry: { zh: '列入', en: 'Entry' },
        exit: { zh: '退出', en: 'Exit' },
        publishedIn: '《某某管理办法》',
      },
      period: { kind: 'fixed', months: 36 },
    };
    const before = await counts();
    const low = await post('admin', '/api/v1/list-types', base);
    expect(low.statusCode).toBe(422);
    expect(low.json().error).toMatchObject({
      code: 'LIST_TYPE_INVALID',
      details: { problem: 'LEGAL_BASIS_RANK_TOO_LOW' },
    });
    expect(low.json().error.messages['zh-CN']).toContain(
      '法律、行政法规、地方性法规或党中央、国务院政策性文件',
    );
    const noExit = await post('admin', '/api/v1/list-types', {
      ...base,
      legalBasis: [{ instrument: '《某某条例》', rank: 'local_regulation' }],
      conditions: { entry: { zh: '列入', en: 'Entry' }, publishedIn: '《某某管理办法》' },
    });
    expect(noExit.json().error).toMatchObject({
      code: 'LIST_TYPE_INVALID',
      details: { problem: 'CONDITIONS_REQUIRED', field: 'conditions.exit' },
    });
    expect((await post('officer-a', '/api/v1/list-types', base)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);

    const ok = await post('admin', '/api/v1/list-types', {
      ...base,
      legalBasis: [{ instrument: '《某某条例》', rank: 'local_regulation' }],
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ version: 1, statementDays: 10, public: true });
    const kindChange = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/list-types/TEST_SERIOUS',
      headers: await as('admin'),
      payload: { ...base, kind: 'red' },
    });
    expect(kindChange.json().error.code).toBe('LIST_KIND_CHANGED');
  });
});

describe('the listing procedure', () => {
  let entryId = 0;

  it('refuses bad proposals with clear errors and changes nothing', async () => {
    t.clock.now = at('2026-09-25T02:00:00Z'); // Friday 10:00 China time
    const before = await counts();
    const good = {
      listType: 'SAMR_SERIOUS_VIOLATION',
      subject: company,
      summary: '生产销售不合格产品，被吊销许可证',
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...good, facts: [] }, 400, 'FACTS_REQUIRED'],
      [{ ...good, facts: [{ title: '只有标题' }] }, 400, 'FACTS_REQUIRED'],
      [{ ...good, facts: [{ recordId: otherRecordId }] }, 400, 'FACT_RECORD_OTHER_SUBJECT'],
      [{ ...good, facts: [{ recordId: 999999 }] }, 400, 'FACT_RECORD_NOT_FOUND'],
      [{ ...good, subject: unregistered, facts: [{ docNo: 'x' }] }, 404, 'SUBJECT_NOT_FOUND'],
      [{ ...good, listType: 'REAL_ESTATE_SERIOUS', facts: [{ docNo: 'x' }] }, 409, 'LIST_TYPE_NOT_ACCEPTING'],
      [
        { ...good, facts: [{ docNo: 'x' }], parties: [{ subject: unregistered, role: 'affiliate' }] },
        400,
        'PARTY_NOT_REGISTERED',
      ],
      [
        { ...good, facts: [{ docNo: 'x' }], parties: [{ subject: '王五', role: 'legal_representative' }] },
        400,
        'PARTY_NOT_REGISTERED',
      ],
      // A company cannot be a legal representative, a person cannot be an affiliate.
      [
        { ...good, facts: [{ docNo: 'x' }], parties: [{ subject: affiliate, role: 'legal_representative' }] },
        400,
        'PARTY_ROLE_MISMATCH',
      ],
      [
        { ...good, facts: [{ docNo: 'x' }], parties: [{ subject: rep, role: 'affiliate' }] },
        400,
        'PARTY_ROLE_MISMATCH',
      ],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post('officer-a', '/api/v1/list-entries', payload);
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.messages.en).toBeTruthy();
    }
    expect(
      (await post('admin', '/api/v1/list-entries', { ...good, facts: [{ docNo: 'x' }] })).statusCode,
    ).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('takes a proposal citing a record and a document, with related parties linked by code', async () => {
    const res = await post('officer-a', '/api/v1/list-entries', {
      listType: 'SAMR_SERIOUS_VIOLATION',
      subject: company,
      summary: '生产销售不合格产品，被吊销生产许可证',
      facts: [
        { recordId },
        { docNo: '渝中市监罚〔2026〕88号-附', title: '调查终结报告', date: '2026-08-15' },
      ],
      parties: [
        { subject: rep, role: 'legal_representative' },
        { subject: affiliate, role: 'affiliate', note: '同一实际控制人' },
      ],
    });
    expect(res.statusCode, JSON.stringify(res.json())).toBe(201);
    const e = res.json();
    entryId = e.id;
    expect(e).toMatchObject({ stage: 'proposed', status: 'proposed', subject: { ref: companyRef } });
    expect(e.facts.map((f: { kind: string }) => f.kind)).toEqual(['record', 'document']);
    expect(e.facts[0]).toMatchObject({ recordId, itemCode: 'XZCF', severity: 'SERIOUS' });
    expect(e.parties.map((p: { role: string }) => p.role).sort()).toEqual([
      'affiliate',
      'legal_representative',
    ]);
    const dup = await post('officer-a', '/api/v1/list-entries', {
      listType: 'SAMR_SERIOUS_VIOLATION',
      subject: company,
      summary: '重复',
      facts: [{ recordId }],
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'DUPLICATE_ENTRY', details: { entry: entryId } });
    // The record's own document number is the same facts as the record.
    const byDocNo = await post('officer-a', '/api/v1/list-entries', {
      listType: 'SAMR_SERIOUS_VIOLATION',
      subject: company,
      summary: '重复',
      facts: [{ docNo: '渝中市监罚 〔2026〕88号' }],
    });
    expect(byDocNo.statusCode).toBe(409);
    expect(byDocNo.json().error).toMatchObject({ code: 'DUPLICATE_ENTRY', details: { entry: entryId } });
  });

  it('notifies with both notices together and counts the statement period across National Day', async () => {
    t.clock.now = at('2026-09-28T02:00:00Z'); // Monday
    const missing = await post('officer-a', `/api/v1/list-entries/${entryId}/notify`, {
      noticeNo: '告〔2026〕1号',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.field).toContain('repairNoticeNo');
    const other = await post('officer-b', `/api/v1/list-entries/${entryId}/notify`, {
      noticeNo: 'x',
      repairNoticeNo: 'y',
    });
    expect(other.json().error.code).toBe('NOT_OWN_DEPARTMENT');
    const res = await post('officer-a', `/api/v1/list-entries/${entryId}/notify`, {
      noticeNo: '渝中市监列告〔2026〕1号',
      repairNoticeNo: '渝中市监修告〔2026〕1号',
      channel: '直接送达',
    });
    expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
    // 29, 30 Sep; 1–7 Oct off; 8, 9, 10 (make-up Saturday), 12–16 Oct: the 10th working day is 16 Oct.
    expect(res.json().notice).toEqual({
      notifiedOn: '2026-09-28',
      noticeNo: '渝中市监列告〔2026〕1号',
      repairNoticeNo: '渝中市监修告〔2026〕1号',
      statementDeadline: '2026-10-16',
    });
    const step = res.json().steps.find((s: { step: string }) => s.step === 'notified');
    expect(step.data.repairNotice.earlyExit.minMonths).toBe(12);
    expect(step.data.deadlineExact).toBe(true);
  });

  it('refuses a decision before the statement period ends, and a statement after it', async () => {
    t.clock.now = at('2026-10-16T08:00:00Z'); // 16:00 on the last day
    const before = await counts();
    const early = await post('reviewer-a', `/api/v1/list-entries/${entryId}/decision`, {
      outcome: 'list',
      decisionNo: '渝中市监列〔2026〕1号',
      reasons: '事实清楚',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'STATEMENT_PERIOD_OPEN',
      details: { deadline: '2026-10-16' },
    });
    expect(await counts()).toEqual(before);
    t.clock.now = at('2026-10-19T02:00:00Z');
    const late = await post('reviewer-a', `/api/v1/list-entries/${entryId}/statement`, {
      text: '迟到的申辩',
    });
    expect(late.json().error.code).toBe('STATEMENT_PERIOD_OVER');
  });

  it('decides with reasons, publishes, and computes the period', async () => {
    const res = await post('reviewer-a', `/api/v1/list-entries/${entryId}/decision`, {
      outcome: 'list',
      decisionNo: '渝中市监列〔2026〕1号',
      reasons: '当事人在陈述申辩期内未提出陈述申辩，违法事实清楚，符合列入条件',
    });
    expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
    expect(res.json()).toMatchObject({
      stage: 'listed',
      status: 'active',
      effectiveFrom: '2026-10-19',
      effectiveUntil: '2029-10-19',
      earliestExit: '2027-10-19',
      publishedAt: '2026-10-19T02:00:00.000Z',
    });
    expect(res.json().steps.map((s: { step: string }) => s.step)).toEqual([
      'proposed',
      'notified',
      'decided',
      'published',
    ]);
    const events = await t.db.pool.query(
      "SELECT type FROM events WHERE entity_type = 'list_entry' AND entity_id = $1 ORDER BY seq",
      [String(entryId)],
    );
    expect(events.rows.map((r) => r.type)).toEqual([
      'list_entry.proposed',
      'list_entry.notified',
      'list_entry.decided',
      'list_entry.published',
    ]);
  });

  it('shows published entries on the public list, by name or code, with basis and period', async () => {
    const lists = (await t.app.inject({ method: 'GET', url: '/api/v1/public/lists' })).json();
    expect(lists.find((l: { code: string }) => l.code === 'SAMR_SERIOUS_VIOLATION').activeEntries).toBe(1);
    const byName = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/lists/SAMR_SERIOUS_VIOLATION/entries?q=${encodeURIComponent('鸿运')}`,
    });
    expect(byName.json().items.map((i: { id: number }) => i.id)).toEqual([entryId]);
    const byCode = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/lists/SAMR_SERIOUS_VIOLATION/entries?q=${company}`,
    });
    expect(byCode.json().items).toHaveLength(1);
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/public/lists/entries/${entryId}` });
    expect(detail.statusCode).toBe(200);
    const d = detail.json();
    expect(d.legalBasis[0].instrument).toContain('企业信息公示暂行条例');
    expect(d.effectiveUntil).toBe('2029-10-19');
    expect(d.steps).toBeUndefined();
    expect(d.notice).toBeNull();
    // A natural person among the related parties is not shown to the public.
    expect(d.parties.map((p: { role: string }) => p.role)).toEqual(['affiliate']);
    expect(JSON.stringify(d)).not.toContain(rep);
  });

  it('ends only on allowed grounds: early exit after the minimum time, a court order at any time', async () => {
    t.clock.now = at('2026-12-01T02:00:00Z');
    const soon = await post('officer-a', `/api/v1/list-entries/${entryId}/end`, { reason: 'early_exit' });
    expect(soon.json().error).toMatchObject({
      code: 'EARLY_EXIT_TOO_SOON',
      details: { earliest: '2027-10-19' },
    });
    const ended = await post('officer-a', `/api/v1/list-entries/${entryId}/end`, {
      reason: 'court',
      note: '行政处罚决定被法院判决撤销',
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ status: 'ended', endReason: 'court' });
    const again = await post('officer-a', `/api/v1/list-entries/${entryId}/end`, { reason: 'other' });
    expect(again.json().error.code).toBe('NOT_ACTIVE');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/public/lists/entries/${entryId}` })).statusCode,
    ).toBe(404);
    const past = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/lists/entries/${entryId}?at=2026-11-01T00:00:00Z`,
    });
    expect(past.statusCode).toBe(200);
    // Ended: its facts were used; the same facts (as the record or its document) cannot list again.
    const before = await counts();
    for (const facts of [[{ recordId }], [{ docNo: '渝中市监罚〔2026〕88号' }]]) {
      const same = await post('officer-a', '/api/v1/list-entries', {
        listType: 'SAMR_SERIOUS_VIOLATION',
        subject: company,
        summary: '重新认定',
        facts,
      });
      expect(same.statusCode).toBe(409);
      expect(same.json().error).toMatchObject({
        code: 'FACTS_ALREADY_USED',
        details: { entry: entryId, endedOn: '2026-12-01' },
      });
      expect(same.json().error.messages['zh-CN']).toContain('再次列入须有新的失信事实');
      expect(same.json().error.messages.en).toContain('a new listing needs new facts');
    }
    expect(await counts()).toEqual(before);
    // New facts may be proposed; a withdrawn proposal does not use its facts up.
    const renewed = {
      listType: 'SAMR_SERIOUS_VIOLATION',
      subject: company,
      summary: '再次违法',
      facts: [{ recordId }, { docNo: '渝中市监罚〔2026〕120号' }],
    };
    const again2 = await post('officer-a', '/api/v1/list-entries', renewed);
    expect(again2.statusCode).toBe(201);
    await post('officer-a', `/api/v1/list-entries/${again2.json().id}/withdrawal`, { reason: '测试撤回' });
    const again3 = await post('officer-a', '/api/v1/list-entries', renewed);
    expect(again3.statusCode).toBe(201);
    await post('officer-a', `/api/v1/list-entries/${again3.json().id}/withdrawal`, { reason: '测试撤回' });
  });
});

describe('the subject’s view, statements and non-public lists', () => {
  it('shows the subject every entry on it, pending ones included, with every step', async () => {
    t.clock.now = at('2026-12-02T02:00:00Z');
    const pending = await post('officer-b', '/api/v1/list-entries', {
      listType: 'WAGE_ARREARS',
      subject: company,
      summary: '拖欠农民工工资 120 万元，经责令限期支付仍未支付',
      facts: [
        {
          docNo: '渝中人社限改〔2026〕7号',
          title: '限期改正指令书',
          date: '2026-11-01',
          issuedBy: deptB.name,
        },
      ],
    });
    expect(pending.statusCode).toBe(201);
    const view = await t.app.inject({
      method: 'GET',
      url: `/api/v1/subjects/${companyRef}/list-entries`,
      headers: await as('reviewer-a'),
    });
    expect(view.statusCode).toBe(200);
    const items = view.json().items;
    const viewed = await t.db.pool.query(
      "SELECT actor_kind, subject_id FROM events WHERE type = 'list_entries.viewed' ORDER BY seq DESC LIMIT 1",
    );
    expect(viewed.rows[0]).toMatchObject({ actor_kind: 'user', subject_id: Number(companyRef.slice(1)) });
    const p = items.find((i: { id: number }) => i.id === pending.json().id);
    expect(p).toMatchObject({ stage: 'proposed', listType: { code: 'WAGE_ARREARS' } });
    expect(p.steps.map((s: { step: string }) => s.step)).toEqual(['proposed']);
    const ended = items.find((i: { status: string }) => i.status === 'ended');
    expect(ended.steps.map((s: { step: string }) => s.step)).toEqual([
      'proposed',
      'notified',
      'decided',
      'published',
      'ended',
    ]);
    // The legal representative sees the entries naming them too.
    const repView = await t.app.inject({
      method: 'GET',
      url: `/api/v1/subjects/${rep}/list-entries`,
      headers: await as('reviewer-a'),
    });
    expect(repView.json().items.length).toBeGreaterThan(0);
    // Not for the public, and not for an officer.
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/subjects/${companyRef}/list-entries` })).statusCode,
    ).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/subjects/${companyRef}/list-entries`,
          headers: await as('officer-a'),
        })
      ).statusCode,
    ).toBe(403);
    const pub = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/lists/WAGE_ARREARS/entries?q=${company}`,
    });
    expect(pub.json().items).toHaveLength(0);
  });

  it('takes the statement through a reviewer of the deciding department, then allows an early decision', async () => {
    const entry = (
      await post('officer-b', '/api/v1/list-entries', {
        listType: 'WAGE_ARREARS',
        subject: person,
        summary: '包工头拖欠农民工工资',
        facts: [{ docNo: '渝中人社限改〔2026〕9号' }],
      })
    ).json();
    await post('officer-b', `/api/v1/list-entries/${entry.id}/notify`, {
      noticeNo: 'n1',
      repairNoticeNo: 'r1',
    });
    expect(
      (await post('officer-b', `/api/v1/list-entries/${entry.id}/statement`, { text: 'x' })).statusCode,
    ).toBe(403);
    const wrongDept = await post('reviewer-a', `/api/v1/list-entries/${entry.id}/statement`, { text: 'x' });
    expect(wrongDept.json().error.code).toBe('NOT_FOR_SUBJECT');
    const empty = await post('reviewer-b', `/api/v1/list-entries/${entry.id}/statement`, {});
    expect(empty.json().error.code).toBe('STATEMENT_EMPTY');
    const st = await post('reviewer-b', `/api/v1/list-entries/${entry.id}/statement`, {
      text: '已于 11 月 20 日支付全部工资，附银行回单',
      attachments: ['回单.pdf'],
    });
    expect(st.statusCode).toBe(200);
    expect(st.json().steps.at(-1)).toMatchObject({ step: 'statement', data: { channel: 'on_behalf' } });
    const twice = await post('reviewer-b', `/api/v1/list-entries/${entry.id}/statement`, { waived: true });
    expect(twice.json().error.code).toBe('STATEMENT_ALREADY_MADE');
    const decided = await post('reviewer-b', `/api/v1/list-entries/${entry.id}/decision`, {
      outcome: 'list',
      decisionNo: '渝中人社列〔2026〕2号',
      reasons: '申辩所称已支付工资与查明事实不符',
    });
    expect(decided.json()).toMatchObject({ stage: 'listed', effectiveUntil: '2029-12-02' });
  });

  it('finds natural persons on a public list only by exact ID number', async () => {
    const byName = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/lists/WAGE_ARREARS/entries?q=${encodeURIComponent('李四')}`,
    });
    expect(byName.json().items).toHaveLength(0);
    const browse = await t.app.inject({ method: 'GET', url: '/api/v1/public/lists/WAGE_ARREARS/entries' });
    expect(browse.json().items).toHaveLength(0);
    const byId = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/lists/WAGE_ARREARS/entries?q=${person}`,
    });
    expect(byId.json().items).toHaveLength(1);
    expect(byId.json().items[0].subject.idMasked).toBe(`${person.slice(0, 4)}**********${person.slice(14)}`);
    expect(JSON.stringify(byId.json())).not.toContain(person);
  });

  it('keeps entries of a non-public list off the public pages', async () => {
    const created = await post('admin', '/api/v1/list-types', {
      code: 'TEST_KEY_ATTENTION',
      nameZh: '测试重点关注名单',
      nameEn: 'Test key-attention list',
      domain: '测试',
      kind: 'key_attention',
      authority: { zh: '测试局', en: 'Test bureau' },
      legalBasis: [{ instrument: '《某某规范性文件》', rank: 'normative_document' }],
      conditions: { entry: { zh: '列入', en: 'Entry' }, exit: { zh: '退出', en: 'Exit' }, publishedIn: '' },
      period: { kind: 'indefinite', reviewMonths: 6 },
      public: false,
      statementDays: 5,
    });
    expect(created.statusCode, JSON.stringify(created.json())).toBe(201);
    const e = (
      await post('officer-a', '/api/v1/list-entries', {
        listType: 'TEST_KEY_ATTENTION',
        subject: other,
        summary: '重点关注',
        facts: [{ recordId: otherRecordId }],
      })
    ).json();
    await post('officer-a', `/api/v1/list-entries/${e.id}/notify`, { noticeNo: 'n', repairNoticeNo: 'r' });
    await post('reviewer-a', `/api/v1/list-entries/${e.id}/statement`, {
      waived: true,
      waiverDocNo: '放弃陈述申辩书〔2026〕1号',
    });
    const d = await post('officer-a', `/api/v1/list-entries/${e.id}/decision`, {
      outcome: 'list',
      decisionNo: 'd',
      reasons: '放弃陈述申辩',
    });
    expect(d.json()).toMatchObject({
      stage: 'listed',
      publishedAt: null,
      reviewOn: '2027-06-02',
      effectiveUntil: null,
    });
    expect(d.json().steps.map((s: { step: string }) => s.step)).toEqual([
      'proposed',
      'notified',
      'statement_waived',
      'decided',
    ]);
    const pub = (await t.app.inject({ method: 'GET', url: '/api/v1/public/lists' })).json();
    expect(pub.map((l: { code: string }) => l.code)).not.toContain('TEST_KEY_ATTENTION');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/public/lists/TEST_KEY_ATTENTION/entries' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/public/lists/entries/${e.id}` })).statusCode,
    ).toBe(404);
  });

  it('lets a subject with its own account see its entries and make its own statement', async () => {
    t.clock.now = at('2026-12-03T02:00:00Z');
    await withTransaction(t.db.pool, (tx) =>
      createUser(
        { db: tx, actor: SYSTEM, requestId: 'setup', now: t.clock.now },
        {
          username: 'company-account',
          displayName: '鸿运建材',
          password: PASS,
          roles: ['subject'],
          subjectId: Number(companyRef.slice(1)),
          totpSecret: TEST_TOTP_SECRET,
        },
      ),
    );
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/list-entries',
      headers: await as('company-account'),
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const pending = mine.json().items.find((i: { stage: string }) => i.stage === 'proposed');
    expect(pending.listType.code).toBe('WAGE_ARREARS');
    expect(pending.steps.map((s: { step: string }) => s.step)).toEqual(['proposed']);
    await post('officer-b', `/api/v1/list-entries/${pending.id}/notify`, {
      noticeNo: 'n2',
      repairNoticeNo: 'r2',
    });
    const own = await post('company-account', `/api/v1/list-entries/${pending.id}/statement`, {
      text: '工资已于 11 月 30 日全部支付',
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().steps.at(-1)).toMatchObject({ step: 'statement', data: { channel: 'self' } });
    // Another subject's entry: neither its statement nor its detail.
    const others = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/subjects/${other}/list-entries`,
        headers: await as('reviewer-a'),
      })
    ).json().items;
    const foreign = others[0].id;
    const refused = await post('company-account', `/api/v1/list-entries/${foreign}/statement`, {
      waived: true,
    });
    expect(refused.json().error.code).toBe('NOT_FOR_SUBJECT');
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/list-entries/${foreign}`,
      headers: await as('company-account'),
    });
    expect(hidden.statusCode).toBe(404);
    const visible = await t.app.inject({
      method: 'GET',
      url: `/api/v1/list-entries/${pending.id}`,
      headers: await as('company-account'),
    });
    expect(visible.statusCode).toBe(200);
    // Department listings stay closed to subjects.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/list-entries',
          headers: await as('company-account'),
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('list types bound to their listing authority departments', () => {
  let boundEntry = 0;
  const put = async (code: string, departments: number[], user = 'admin') =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/list-types/${code}/departments`,
      headers: await as(user),
      payload: { departments },
    });

  it('lets only the bound departments propose, notify and decide entries on the list', async () => {
    const created = await post('admin', '/api/v1/list-types', {
      code: 'TEST_BOUND',
      nameZh: '测试绑定部门名单',
      nameEn: 'Test bound list',
      domain: '测试',
      kind: 'serious_dishonesty',
      authority: { zh: '渝中区市场监督管理局', en: 'Yuzhong market regulator' },
      legalBasis: [{ instrument: '《某某条例》', rank: 'local_regulation' }],
      conditions: {
        entry: { zh: '列入', en: 'Entry' },
        exit: { zh: '退出', en: 'Exit' },
        publishedIn: '《某某办法》',
      },
      period: { kind: 'fixed', months: 12 },
      statementDays: 5,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().departments).toEqual([]);
    const proposal = (n: string) => ({
      listType: 'TEST_BOUND',
      subject: other,
      summary: `事实 ${n}`,
      facts: [{ docNo: `绑定测试〔2026〕${n}号` }],
    });
    // Unbound: any department's account may propose (deptB proposes before the binding).
    const early = await post('officer-b', '/api/v1/list-entries', proposal('1'));
    expect(early.statusCode, early.body).toBe(201);

    // Binding: platform administrators only; unknown departments refused, nothing changed.
    const before = await counts();
    expect((await put('TEST_BOUND', [deptA.id], 'officer-a')).statusCode).toBe(403);
    const unknown = await put('TEST_BOUND', [deptA.id, 999_999]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('DEPARTMENT_UNKNOWN');
    expect((await put('NO_SUCH_LIST', [deptA.id])).json().error.code).toBe('LIST_TYPE_NOT_FOUND');
    expect(await counts()).toEqual(before);
    const bound = await put('TEST_BOUND', [deptA.id, deptA.id]);
    expect(bound.statusCode, bound.body).toBe(200);
    // The English name comes along (the console shows it in English mode).
    expect(bound.json().departments).toEqual([
      { id: deptA.id, name: deptA.name, nameEn: 'Yuzhong District Administration for Market Regulation' },
    ]);
    const ev = await t.db.pool.query(
      `SELECT payload FROM events WHERE type = 'list_type.departments_set' AND entity_id = 'TEST_BOUND'`,
    );
    expect(ev.rows.map((r) => JSON.parse(r.payload as string))).toEqual([
      { code: 'TEST_BOUND', departments: [deptA.id], previous: [] },
    ]);

    // Another department: refused with a clear bilingual error, nothing written.
    const mid = await counts();
    const refused = await post('officer-b', '/api/v1/list-entries', proposal('2'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'NOT_LISTING_AUTHORITY' });
    expect(refused.json().error.messages['zh-CN']).toContain('不是名单 TEST_BOUND 的认定部门');
    expect(refused.json().error.messages['zh-CN']).toContain(deptA.name);
    expect(refused.json().error.messages.en).toContain('not a listing authority of list TEST_BOUND');
    expect(refused.json().error.messages.en).toContain(
      'Yuzhong District Administration for Market Regulation',
    );
    // Its proposal from before the binding cannot go on either.
    const notify = await post('officer-b', `/api/v1/list-entries/${early.json().id}/notify`, {
      noticeNo: 'n',
      repairNoticeNo: 'r',
    });
    expect(notify.json().error.code).toBe('NOT_LISTING_AUTHORITY');
    expect(await counts()).toEqual(mid);

    // The bound department goes through the whole procedure.
    const ok = await post('officer-a', '/api/v1/list-entries', proposal('3'));
    expect(ok.statusCode, ok.body).toBe(201);
    const id = ok.json().id as number;
    await post('officer-a', `/api/v1/list-entries/${id}/notify`, { noticeNo: 'n3', repairNoticeNo: 'r3' });
    await post('reviewer-a', `/api/v1/list-entries/${id}/statement`, {
      waived: true,
      waiverDocNo: '放弃陈述申辩书〔2026〕3号',
    });
    // Unbinding deptA in favour of deptB: deptA's pending entry can no longer be decided by it.
    expect((await put('TEST_BOUND', [deptB.id])).json().departments).toEqual([
      { id: deptB.id, name: deptB.name, nameEn: null },
    ]);
    const blocked = await post('officer-a', `/api/v1/list-entries/${id}/decision`, {
      outcome: 'list',
      decisionNo: 'D3',
      reasons: 'r',
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('NOT_LISTING_AUTHORITY');
    expect((await put('TEST_BOUND', [deptA.id])).statusCode).toBe(200);
    const decided = await post('officer-a', `/api/v1/list-entries/${id}/decision`, {
      outcome: 'list',
      decisionNo: 'D3',
      reasons: 'r',
    });
    expect(decided.json().stage).toBe('listed');
    boundEntry = id;
    // An empty binding opens the list to every department again.
    expect((await put('TEST_BOUND', [])).json().departments).toEqual([]);
    expect((await post('officer-b', '/api/v1/list-entries', proposal('4'))).statusCode).toBe(201);
  });

  it('shows the public subject page the entries now on a public list, as of any instant', async () => {
    const url = (code: string, at?: string) =>
      `/api/v1/public/subjects/${code}/list-entries${at ? `?at=${encodeURIComponent(at)}` : ''}`;
    const now = await t.app.inject({ method: 'GET', url: url(other) });
    expect(now.statusCode, now.body).toBe(200);
    const items = now.json().items as {
      id: number;
      listType: { code: string };
      status: string;
      steps?: unknown;
    }[];
    // Published and active only: the TEST_BOUND decision, not the key-attention list (not public),
    // not the proposals still pending on TEST_BOUND.
    expect(items.map((e) => e.listType.code).sort()).toEqual(['TEST_BOUND']);
    expect(items[0]).toMatchObject({ id: boundEntry, status: 'active' });
    // The deciding department by both its names (the web shows the English one in English mode).
    expect(items[0]).toMatchObject({
      department: {
        id: deptA.id,
        name: deptA.name,
        nameEn: 'Yuzhong District Administration for Market Regulation',
      },
    });
    expect(items[0]?.steps).toBeUndefined();
    // Before the decision it was not on the list; before registration the subject was unknown.
    const before = await t.app.inject({ method: 'GET', url: url(other, '2026-12-02T00:00:00Z') });
    expect(before.json().items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: url(other, '2026-01-01T00:00:00Z') })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: 'GET', url: url(unregistered) })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: url(other, '2099-01-01T00:00:00Z') })).json().error.code,
    ).toBe('INSTANT_IN_FUTURE');
    // The same through the platform reference.
    const byRef = await t.app.inject({ method: 'GET', url: url(companyRef) });
    expect(byRef.statusCode).toBe(200);
    for (const e of byRef.json().items as { status: string }[]) expect(e.status).toBe('active');
  });
});

describe('due process: the subject’s statement period, complete decisions, used facts, past instants', () => {
  const propose = async (subject: string, docNo: string) => {
    const res = await post('officer-a', '/api/v1/list-entries', {
      listType: 'SAMR_SERIOUS_VIOLATION',
      subject,
      summary: '生产销售不合格产品',
      facts: [{ docNo }],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const notify = (id: number, body: Record<string, unknown> = {}) =>
    post('officer-a', `/api/v1/list-entries/${id}/notify`, { noticeNo: 'n', repairNoticeNo: 'r', ...body });
  const decide = (id: number, body: Record<string, unknown> = {}) =>
    post('reviewer-a', `/api/v1/list-entries/${id}/decision`, {
      outcome: 'list',
      decisionNo: `渝中市监列〔2026〕${id}号`,
      reasons: '符合列入条件',
      ...body,
    });

  it('takes a waiver recorded for the subject only citing the waiver it signed; the subject may waive itself', async () => {
    t.clock.now = at('2026-12-07T02:00:00Z'); // Monday
    const id = await propose(other, '放弃测试〔2026〕1号');
    await notify(id);
    const key = await withTransaction(t.db.pool, (tx) =>
      createApiKey(
        { db: tx, actor: SYSTEM, requestId: 'setup', now: t.clock.now },
        { departmentId: deptA.id, name: 'A listing system', scopes: ['lists:write'] },
      ),
    );
    const before = await counts();
    const attempts = [
      () => post('reviewer-a', `/api/v1/list-entries/${id}/statement`, { waived: true }),
      () =>
        post('reviewer-a', `/api/v1/list-entries/${id}/statement`, { waived: true, waiverDocNo: ' \u3000' }),
      () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/list-entries/${id}/statement`,
          headers: { authorization: `Bearer ${key.key}` },
          payload: { waived: true },
        }),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'WAIVER_DOC_REQUIRED',
        details: { field: 'waiverDocNo' },
      });
      expect(res.json().error.messages['zh-CN']).toContain('当事人签署的放弃陈述申辩书');
      expect(res.json().error.messages.en).toContain('waiver the subject signed');
    }
    expect(await counts()).toEqual(before);
    expect((await decide(id)).json().error.code).toBe('STATEMENT_PERIOD_OPEN');

    const waived = await post('reviewer-a', `/api/v1/list-entries/${id}/statement`, {
      waived: true,
      waiverDocNo: ' 放弃陈述申辩书〔2026〕9号 ',
    });
    expect(waived.statusCode, waived.body).toBe(200);
    expect(waived.json().steps.at(-1)).toMatchObject({
      step: 'statement_waived',
      data: { channel: 'on_behalf', waiverDocNo: '放弃陈述申辩书〔2026〕9号' },
    });
    expect((await decide(id)).json().stage).toBe('listed');

    // The subject's own account waives without citing a document.
    const own = await propose(company, '放弃测试〔2026〕2号');
    await notify(own);
    const self = await post('company-account', `/api/v1/list-entries/${own}/statement`, { waived: true });
    expect(self.statusCode, self.body).toBe(200);
    expect(self.json().steps.at(-1)).toMatchObject({
      step: 'statement_waived',
      data: { channel: 'self', waiverDocNo: null },
    });
    expect((await decide(own)).json().stage).toBe('listed');
  });

  it('counts the statement period from the day a backdated notice is recorded', async () => {
    t.clock.now = at('2026-12-08T02:00:00Z');
    const id = await propose(other, '补录告知测试〔2026〕1号');
    t.clock.now = at('2026-12-23T02:00:00Z'); // ten working days after 8 December have passed
    const res = await notify(id, { notifiedOn: '2026-12-08' });
    expect(res.statusCode, res.body).toBe(200);
    // 24, 25, 28–31 Dec; 1 Jan off; 4–7 Jan: the 10th working day after 23 December.
    expect(res.json().notice).toMatchObject({ notifiedOn: '2026-12-08', statementDeadline: '2027-01-07' });
    expect(res.json().steps.at(-1).data).toMatchObject({
      notifiedOn: '2026-12-08',
      statementFrom: '2026-12-23',
    });
    const before = await counts();
    const same = await decide(id);
    expect(same.statusCode).toBe(409);
    expect(same.json().error).toMatchObject({
      code: 'STATEMENT_PERIOD_OPEN',
      details: { deadline: '2027-01-07' },
    });
    expect(await counts()).toEqual(before);
    await post('officer-a', `/api/v1/list-entries/${id}/withdrawal`, { reason: '测试撤回' });
  });

  it('refuses blank notice numbers, decision numbers and reasons, changing nothing', async () => {
    const id = await propose(other, '空白测试〔2026〕1号');
    const before = await counts();
    const cases: [string, () => ReturnType<typeof post>][] = [
      ['noticeNo', () => notify(id, { noticeNo: '   ' })],
      ['repairNoticeNo', () => notify(id, { repairNoticeNo: '\u3000\n' })],
      ['decisionNo', () => decide(id, { decisionNo: ' ' })],
      ['reasons', () => decide(id, { reasons: ' \t ' })],
      ['reasons', () => decide(id, { outcome: 'not_list', reasons: '  ' })],
      ['reason', () => post('officer-a', `/api/v1/list-entries/${id}/withdrawal`, { reason: ' ' })],
      [
        'summary',
        () =>
          post('officer-a', '/api/v1/list-entries', {
            listType: 'SAMR_SERIOUS_VIOLATION',
            subject: other,
            summary: '  ',
            facts: [{ docNo: '空白测试〔2026〕2号' }],
          }),
      ],
    ];
    for (const [field, fn] of cases) {
      const res = await fn();
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'FIELD_BLANK', details: { field } });
    }
    expect(await counts()).toEqual(before);
    await notify(id);
    const res = await decide(id, { reasons: ' ' });
    expect(res.json().error.messages['zh-CN']).toBe('决定理由不能为空或只含空白字符');
    expect(res.json().error.messages.en).toBe('The reasons must not be empty or blank');
  });

  it('shows the subject an entry as it stood at a past instant: stage, status and steps up to then', async () => {
    const url = (at: string) => `/api/v1/subjects/${companyRef}/list-entries?at=${encodeURIComponent(at)}`;
    const find = async (at: string) => {
      const res = await t.app.inject({ method: 'GET', url: url(at), headers: await as('reviewer-a') });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Record<string, unknown>[]).find(
        (i) =>
          (i.listType as { code: string }).code === 'SAMR_SERIOUS_VIOLATION' &&
          i.proposedAt === '2026-09-25T02:00:00.000Z',
      ) as Record<string, unknown> & { steps: { step: string }[] };
    };
    // Notified, not yet decided.
    const notified = await find('2026-10-01T00:00:00Z');
    expect(notified).toMatchObject({
      stage: 'notified',
      status: 'notified',
      decision: null,
      effectiveFrom: null,
      publishedAt: null,
      endedAt: null,
      endReason: null,
      endNote: null,
    });
    expect(notified.steps.map((s) => s.step)).toEqual(['proposed', 'notified']);
    // Decided and on the list, not yet ended.
    const listed = await find('2026-11-01T00:00:00Z');
    expect(listed).toMatchObject({ stage: 'listed', status: 'active', endedAt: null, endReason: null });
    expect(listed.steps.map((s) => s.step)).toEqual(['proposed', 'notified', 'decided', 'published']);
    // Today: ended, every step.
    const now = await find(t.clock.now.toISOString());
    expect(now).toMatchObject({ stage: 'listed', status: 'ended', endReason: 'court' });
    expect(now.steps.map((s) => s.step).at(-1)).toBe('ended');
    // The subject's own account reads the same past.
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/list-entries?at=2026-10-01T00:00:00Z',
      headers: await as('company-account'),
    });
    const item = (mine.json().items as { id: number; stage: string }[]).find((i) => i.id === notified.id);
    expect(item?.stage).toBe('notified');
  });
});

describe('the period job', () => {
  it('records each period that ran out and each review that came as a step and an event, once', async () => {
    // Far enough ahead that every fixed period of the entries above has run out.
    const later = new Date('2040-01-02T02:00:00Z');
    const expected = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM list_entries
        WHERE stage = 'listed' AND ended_at IS NULL AND effective_until IS NOT NULL AND effective_until <= '2040-01-02'
        ORDER BY id`,
    );
    expect(expected.rowCount).toBeGreaterThan(0);
    const reviews = await t.db.pool.query(
      `SELECT id FROM list_entries
        WHERE stage = 'listed' AND ended_at IS NULL AND review_on IS NOT NULL AND review_on <= '2040-01-02'`,
    );
    const first = await periodRound(t.db.pool, later);
    expect(first).toMatchObject({ ran: true, ended: expected.rowCount, reviewsDue: reviews.rowCount });

    const events = await t.db.pool.query<{ entity_id: string; actor_kind: string; payload: string }>(
      "SELECT entity_id, actor_kind, payload FROM events WHERE type = 'list_entry.period_ended' ORDER BY entity_id::int8",
    );
    expect(events.rows.map((e) => e.entity_id)).toEqual(expected.rows.map((r) => String(r.id)));
    expect(events.rows.every((e) => e.actor_kind === 'system')).toBe(true);
    const payload = JSON.parse(events.rows[0]?.payload ?? '{}');
    expect(payload.effectiveUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The subject's view of the entry carries the step; a second round records nothing again.
    const steps = await t.db.pool.query<{ step: string }>(
      'SELECT step FROM list_entry_steps WHERE entry_id = $1 ORDER BY id',
      [expected.rows[0]?.id],
    );
    expect(steps.rows.map((s) => s.step).at(-1)).toBe('period_ended');
    expect(await periodRound(t.db.pool, later)).toMatchObject({ ran: true, ended: 0, reviewsDue: 0 });
    expect(
      (await t.db.pool.query("SELECT 1 FROM events WHERE type = 'list_entry.period_ended'")).rowCount,
    ).toBe(expected.rowCount);

    // A review date that has come (indefinite lists are reviewed, not ended): one step per date.
    await t.db.pool.query("UPDATE list_entries SET review_on = '2039-06-01' WHERE id = $1", [
      expected.rows[0]?.id,
    ]);
    expect(await periodRound(t.db.pool, later)).toMatchObject({ ended: 0, reviewsDue: 1 });
    expect(await periodRound(t.db.pool, later)).toMatchObject({ ended: 0, reviewsDue: 0 });
    const review = await t.db.pool.query<{ entity_id: string }>(
      "SELECT entity_id FROM events WHERE type = 'list_entry.review_due' AND payload::jsonb->>'reviewOn' = '2039-06-01'",
    );
    expect(review.rows.map((r) => r.entity_id)).toEqual([String(expected.rows[0]?.id)]);
  });
});
