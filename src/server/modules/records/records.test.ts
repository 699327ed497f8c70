import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import {
  ADMIN,
  MARKET_REGULATOR_EN,
  OFFICER,
  createOffice,
  createStaff,
  inSetup,
  login as signIn,
  penaltyPayload,
} from '../../../../test/support/fixtures';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { createDepartment } from '../accounts';
import { setProviders } from '../catalog';
import { clearProfileCaches } from './records.profile';
import { buildApp } from '../../app';
import { testConfig } from '../../../../test/support/app';
import { Value } from 'typebox/value';
import { PublicProfileSchema } from './records.schemas';

let t: TestApp;
let deptA: { id: number; uscc: string; name: string };
let deptB: { id: number; uscc: string; name: string };
const company = makeUscc('91', '500103', 'MA5U0000');
const person = makeCitizenId('500103', '19850612', '123');

const login = (username: string, password: string) => signIn(t.app, username, password, t.clock);

/** The code with another check character: the right form, an invalid code. */
function wrongCheck(uscc: string): string {
  return uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
}

function penalty(overrides: Record<string, unknown> = {}) {
  return penaltyPayload(deptA, { name: '重庆鸿药医药有限公司', uscc: company }, '渝中市监罚〔2026〕1号', {
    CF_FR_ZJLX: '身份证',
    CF_FR_ZJHM: '11010519491231002X',
    BZ: '内部备注',
    ...overrides,
  });
}

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  clearProfileCaches();
  await inSetup(
    t,
    async (ctx) => {
      const office = await createOffice(ctx, {
        department: { nameEn: MARKET_REGULATOR_EN },
        staff: [
          { ...OFFICER, username: 'officer-a', displayName: 'A' },
          { ...ADMIN, displayName: 'Admin' },
        ],
      });
      deptA = office.dept;
      deptB = await createDepartment(ctx, {
        uscc: makeUscc('11', '500103', 'MB150004'),
        name: '重庆市渝中区生态环境局',
        region: '500103',
      });
      await setProviders(ctx, 'XZXK', [deptA.id, deptB.id]);
      await createStaff(ctx, { ...OFFICER, username: 'officer-b', displayName: 'B' }, deptB.id);
    },
    new Date('2026-01-01T00:00:00Z'),
  );
});
afterAll(async () => t?.close());

describe('credit records and the public profile', () => {
  it('creates a record, registers the unknown subject, and discloses only public fields', async () => {
    const h = await login('officer-a', 'officer-pass-1');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { itemCode: 'XZCF', payload: penalty() },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ outcome: 'created', version: 1 });

    const profile = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${company}` });
    expect(profile.statusCode).toBe(200);
    const body = profile.json();
    expect(body.subject).toMatchObject({ name: '重庆鸿药医药有限公司', uscc: company, type: 'ENTERPRISE' });
    const adm = body.categories.find((c: { code: string }) => c.code === 'ADM');
    expect(adm.records).toHaveLength(1);
    const rec = adm.records[0];
    expect(rec.severity).toBe('GENERAL');
    expect(rec.disclosedUntil).toBe('2027-03-10');
    // The providing department by both its names: the English one for the English page.
    expect(rec.provider).toEqual({ name: deptA.name, nameEn: MARKET_REGULATOR_EN, uscc: deptA.uscc });
    const keys = rec.fields.map((f: { key: string }) => f.key);
    expect(keys).toContain('CF_WSH');
    // The item version is described once: names, legal basis, public field titles in both languages.
    expect(rec.item).toEqual({ code: 'XZCF', version: 1 });
    expect(rec.fields[0]).not.toHaveProperty('label');
    const item = body.items.find((i: { code: string }) => i.code === 'XZCF');
    expect(item.legalBasis.length).toBeGreaterThan(0);
    const title = item.fields.find((f: { key: string }) => f.key === 'CF_WSH');
    expect(title.label).toBe('行政处罚决定书文号');
    expect(title.labelEn).toMatch(/[A-Za-z]/);
    expect(item.fields.map((f: { key: string }) => f.key)).not.toContain('CF_FR_ZJHM');
    expect(keys).not.toContain('CF_FR_ZJHM'); // identity document: internal and encrypted
    expect(keys).not.toContain('BZ'); // shared, not public
    expect(JSON.stringify(body)).not.toContain('11010519491231002X');
    const stored = await t.db.pool.query('SELECT payload FROM records');
    expect(JSON.stringify(stored.rows[0].payload)).not.toContain('11010519491231002X');
  });

  it('is idempotent by document number, and a changed row becomes a new version', async () => {
    let h = await login('officer-a', 'officer-pass-1');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { itemCode: 'XZCF', payload: penalty() },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toBe('unchanged');
    t.clock.now = new Date('2026-06-02T02:00:00Z');
    h = await login('officer-a', 'officer-pass-1'); // sessions expire after 8 hours
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { itemCode: 'XZCF', payload: penalty({ CF_NR: '罚款5000元', CF_NR_FK: '0.5' }) },
    });
    expect(changed.json()).toMatchObject({ outcome: 'updated', version: 2 });
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records/${changed.json().recordId}`,
      headers: h,
    });
    expect(detail.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const events = await t.db.pool.query("SELECT type FROM events WHERE entity_type = 'record' ORDER BY seq");
    expect(events.rows.map((r) => r.type)).toEqual(['record.created', 'record.corrected']);
  });

  it('answers ?at= exactly as the platform would have at that instant', async () => {
    const before = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects/${company}?at=2026-06-01T12:00:00Z`,
    });
    const fields = (b: { categories: { records: { fields: { key: string; value: unknown }[] }[] }[] }) =>
      Object.fromEntries(b.categories[0]!.records[0]!.fields.map((f) => [f.key, f.value]));
    expect(fields(before.json()).CF_NR).toBe('罚款2000元');
    const now = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${company}` });
    expect(fields(now.json()).CF_NR).toBe('罚款5000元');
    const beforeRegistration = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects/${company}?at=2026-05-01T00:00:00Z`,
    });
    expect(beforeRegistration.statusCode).toBe(404);
    const future = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects/${company}?at=2030-01-01T00:00:00Z`,
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('INSTANT_IN_FUTURE');
  });

  it('stops disclosure at the end of the window, computed from the decision date and severity', async () => {
    t.clock.now = new Date('2027-03-10T00:00:00+08:00');
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${company}` });
    expect(after.json().total).toBe(0);
    t.clock.now = new Date('2027-03-09T23:59:59+08:00');
    const lastDay = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${company}` });
    expect(lastDay.json().total).toBe(1);
    t.clock.now = new Date('2026-06-02T03:00:00Z');
  });

  it('withdraws a record: hidden now, still visible for instants before the withdrawal', async () => {
    let h = await login('officer-a', 'officer-pass-1');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { itemCode: 'XZCF', payload: penalty({ CF_WSH: '渝中市监罚〔2026〕2号' }) },
    });
    const id = created.json().recordId;
    t.clock.now = new Date('2026-06-03T03:00:00Z');
    h = await login('officer-a', 'officer-pass-1');
    const other = await login('officer-b', 'officer-pass-1');
    const forbidden = await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/stops`,
      headers: other,
      payload: { kind: 'withdrawn', reason: '录入错误' },
    });
    expect(forbidden.statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/stops`,
      headers: h,
      payload: { kind: 'withdrawn', reason: '录入错误' },
    });
    expect(res.statusCode).toBe(200);
    const now = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${company}` });
    expect(now.json().total).toBe(1);
    const past = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects/${company}?at=2026-06-02T12:00:00Z`,
    });
    expect(past.json().total).toBe(2);
    const resubmit = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { itemCode: 'XZCF', payload: penalty({ CF_WSH: '渝中市监罚〔2026〕2号', CF_NR: '改' }) },
    });
    expect(resubmit.json().error.code).toBe('RECORD_WITHDRAWN');
  });

  it('keeps natural persons private: masked ID, no name search, found by exact ID', async () => {
    const h = await login('officer-a', 'officer-pass-1');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: {
        itemCode: 'XZCF',
        payload: penalty({
          CF_XDR_MC: '李四',
          CF_XDR_LB: '自然人',
          CF_XDR_SHXYM: undefined,
          CF_XDR_ZJLX: '身份证',
          CF_XDR_ZJHM: person,
          CF_FRDB: undefined,
          CF_FR_ZJLX: undefined,
          CF_FR_ZJHM: undefined,
          CF_WSH: '渝中市监罚〔2026〕3号',
        }),
      },
    });
    expect(res.statusCode).toBe(201);
    const byName = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects?q=${encodeURIComponent('李四')}`,
    });
    expect(byName.json().items).toHaveLength(0);
    const byId = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects?q=${person}` });
    expect(byId.json().items).toHaveLength(1);
    const ref = byId.json().items[0].ref;
    const profile = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${ref}` });
    expect(profile.json().subject.idMasked).toBe(`${person.slice(0, 4)}**********${person.slice(14)}`);
    expect(JSON.stringify(profile.json())).not.toContain(person);
    const cipher = await t.db.pool.query(
      "SELECT id_cipher, id_masked FROM subjects WHERE type = 'NATURAL_PERSON'",
    );
    expect(cipher.rows[0].id_cipher.toString('latin1')).not.toContain(person);
  });

  it('rejects bad input with a stable code, the field and both languages, and changes nothing', async () => {
    const h = await login('officer-a', 'officer-pass-1');
    const b = await login('officer-b', 'officer-pass-1');
    const before = await t.db.pool.query(
      'SELECT (SELECT count(*) FROM records)::int AS r, (SELECT count(*) FROM events)::int AS e',
    );
    const cases: Array<[Record<string, unknown>, number, string, string | undefined]> = [
      [{ itemCode: 'NOPE', payload: penalty() }, 400, 'CATALOG_ITEM_UNKNOWN', 'itemCode'],
      [
        { itemCode: 'XZCF', payload: penalty({ CF_XDR_SHXYM: '914403001922038217', CF_WSH: 'x1' }) },
        400,
        'PAYLOAD_INVALID',
        'CF_XDR_SHXYM',
      ],
      [
        { itemCode: 'XZCF', payload: penalty({ CF_JDRQ: '2026-02-30', CF_WSH: 'x2' }) },
        400,
        'PAYLOAD_INVALID',
        'CF_JDRQ',
      ],
      [
        { itemCode: 'XZCF', payload: penalty({ CF_JDRQ: '2026-12-30', CF_WSH: 'x3' }) },
        400,
        'PAYLOAD_INVALID',
        'CF_JDRQ',
      ],
      [
        { itemCode: 'XZCF', payload: penalty({ CF_CFLB: ['打板子'], CF_WSH: 'x4' }) },
        400,
        'PAYLOAD_INVALID',
        undefined,
      ],
      [
        { itemCode: 'XZCF', payload: penalty({ CF_XDR_MC: '别的名字有限公司', CF_WSH: 'x5' }) },
        400,
        'PAYLOAD_INVALID',
        'CF_XDR_MC',
      ],
      // The authority's and the data source's codes: right form, wrong check character.
      [
        { itemCode: 'XZCF', payload: penalty({ CF_CFJGDM: wrongCheck(deptA.uscc), CF_WSH: 'x7' }) },
        400,
        'PAYLOAD_INVALID',
        'CF_CFJGDM',
      ],
      [
        { itemCode: 'XZCF', payload: penalty({ CF_SJLYDM: wrongCheck(deptA.uscc), CF_WSH: 'x8' }) },
        400,
        'PAYLOAD_INVALID',
        'CF_SJLYDM',
      ],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: { ...h, 'accept-language': 'en' },
        payload,
      });
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      const err = res.json().error;
      expect(err.code).toBe(code);
      if (field) expect(err.details.field).toBe(field);
      expect(err.messages['zh-CN']).toBeTruthy();
      expect(err.messages.en).toBeTruthy();
    }
    const notProvider = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: b,
      payload: { itemCode: 'XZCF', payload: penalty({ CF_WSH: 'x6' }) },
    });
    expect(notProvider.statusCode).toBe(403);
    expect(notProvider.json().error.code).toBe('DEPARTMENT_NOT_PROVIDER');
    const after = await t.db.pool.query(
      'SELECT (SELECT count(*) FROM records)::int AS r, (SELECT count(*) FROM events)::int AS e',
    );
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('refuses text the database cannot store by its field; the other rows of a batch still go in', async () => {
    const h = await login('officer-a', 'officer-pass-1');
    const stranger = makeUscc('91', '500103', 'MA5U0NUL');
    const single = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { itemCode: 'XZCF', payload: penalty({ CF_SY: '经查\u0000当事人', CF_WSH: 'nul-1' }) },
    });
    expect(single.statusCode).toBe(400);
    expect(single.json().error).toMatchObject({
      code: 'PAYLOAD_INVALID',
      details: { field: 'CF_SY', errors: [{ field: 'CF_SY', code: 'FIELD_UNSTORABLE_CHARACTER' }] },
    });
    expect(single.json().error.messages['zh-CN']).toContain('违法事实');
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records/batch',
      headers: h,
      payload: {
        records: [
          // An unknown subject whose name holds a NUL: registering it failed in the database and
          // aborted the transaction, so the valid row after it was refused too ("25P02").
          {
            itemCode: 'XZCF',
            payload: penalty({ CF_XDR_MC: '某\u0000公司', CF_XDR_SHXYM: stranger, CF_WSH: 'nul-2' }),
          },
          { itemCode: 'XZCF', payload: penalty({ CF_WFXW: '半个字\ud800', CF_WSH: 'nul-3' }) },
          // An item code with a NUL: looking it up aborted the transaction (a 500 for the batch).
          { itemCode: 'XZ\u0000CF', payload: penalty({ CF_WSH: 'nul-5' }) },
          { itemCode: 'XZCF', payload: penalty({ CF_WSH: 'nul-4' }) },
        ],
      },
    });
    expect(batch.statusCode).toBe(200);
    const results = batch.json().results;
    expect(results[0]).toMatchObject({
      outcome: 'rejected',
      errors: [{ field: 'CF_XDR_MC', code: 'FIELD_UNSTORABLE_CHARACTER' }],
    });
    expect(results[1]).toMatchObject({
      outcome: 'rejected',
      errors: [{ field: 'CF_WFXW', code: 'FIELD_UNSTORABLE_CHARACTER' }],
    });
    expect(results[2]).toMatchObject({
      outcome: 'rejected',
      errors: [{ field: 'itemCode', code: 'CATALOG_ITEM_UNKNOWN' }],
    });
    expect(results[3]).toMatchObject({ outcome: 'created' });
    const stored = await t.db.pool.query(
      `SELECT (SELECT count(*) FROM subjects WHERE uscc = $1)::int AS s,
              (SELECT count(*) FROM records WHERE doc_no LIKE 'nul-%')::int AS r`,
      [stranger],
    );
    expect(stored.rows[0]).toEqual({ s: 0, r: 1 });
  });

  it('searches organisations by 2-character name, pinyin initials and code', async () => {
    const two = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects?q=${encodeURIComponent('鸿药')}`,
    });
    expect(two.json().items.map((i: { uscc: string }) => i.uscc)).toContain(company);
    const initials = await t.app.inject({ method: 'GET', url: '/api/v1/public/subjects?q=cqhy' });
    expect(initials.json().items.map((i: { uscc: string }) => i.uscc)).toContain(company);
    const twoInitials = await t.app.inject({ method: 'GET', url: '/api/v1/public/subjects?q=cq' });
    expect(twoInitials.statusCode).toBe(200);
    expect(twoInitials.json().items.map((i: { uscc: string }) => i.uscc)).toContain(company);
    const full = await t.app.inject({ method: 'GET', url: '/api/v1/public/subjects?q=hongyao' });
    expect(full.json().items.map((i: { uscc: string }) => i.uscc)).toContain(company);
    const code = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects?q=${company.toLowerCase()}`,
    });
    expect(code.json()).toMatchObject({ match: 'identifier', items: [{ uscc: company }] });
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects?q=${encodeURIComponent('药')}`,
    });
    expect(one.statusCode).toBe(400);
    expect(one.json().error.code).toBe('QUERY_TOO_SHORT');
  });

  it('publishes headline figures and the 双公示 browse', async () => {
    const stats = await t.app.inject({ method: 'GET', url: '/api/v1/public/stats' });
    expect(stats.json()).toMatchObject({ departments: 2 });
    const browse = await t.app.inject({ method: 'GET', url: '/api/v1/public/records?item=XZCF' });
    expect(browse.statusCode).toBe(200);
    // Natural persons never appear when browsing.
    expect(
      browse.json().items.every((i: { subject: { type: string } }) => i.subject.type !== 'NATURAL_PERSON'),
    ).toBe(true);
    expect(browse.json().items.length).toBeGreaterThan(0);
    expect(browse.json().items[0].provider).toEqual({
      id: deptA.id,
      name: deptA.name,
      nameEn: MARKET_REGULATOR_EN,
    });
  });

  it('sends exactly what the profile schema allows, nothing more, in every form of the answer', async () => {
    const forms = [
      `/api/v1/public/subjects/${company}`, // first request
      `/api/v1/public/subjects/${company}`, // admitted to the cache
      `/api/v1/public/subjects/${company}`, // from the cache
      `/api/v1/public/subjects/${company}?at=2026-06-01T12:00:00Z`,
    ];
    for (const url of forms) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect([...Value.Errors(PublicProfileSchema, body)]).toEqual([]);
      // Clean drops every property the schema does not name: nothing may be dropped.
      expect(JSON.stringify(Value.Clean(PublicProfileSchema, Value.Clone(body)))).toBe(res.body);
    }
  });

  it('keeps a profile asked for twice as its serialised body and answers it with a fresh instant', async () => {
    const url = `/api/v1/public/subjects/${company}`;
    const first = await t.app.inject({ method: 'GET', url }); // seen once: not stored
    const second = await t.app.inject({ method: 'GET', url }); // asked again: stored
    expect(second.json()).toEqual(first.json());
    // Changed behind the application's back (no event): a cached answer cannot see it.
    const { rows } = await t.db.pool.query<{ id: number; doc_no: string }>(
      "UPDATE records r SET doc_no = doc_no || '-x' FROM subjects s WHERE s.id = r.subject_id AND s.uscc = $1 RETURNING r.id, r.doc_no",
      [company],
    );
    expect(rows.length).toBeGreaterThan(0);
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 1000);
    try {
      const third = await t.app.inject({ method: 'GET', url });
      expect(third.statusCode).toBe(200);
      expect(third.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(third.headers['x-content-type-options']).toBe('nosniff');
      const body = third.json();
      expect(body.at).toBe(t.clock.now.toISOString());
      expect({ ...body, at: null }).toEqual({ ...second.json(), at: null });
    } finally {
      t.clock.now = saved;
      await t.db.pool.query('UPDATE records SET doc_no = left(doc_no, -2) WHERE id = ANY($1)', [
        rows.map((r) => r.id),
      ]);
    }
  });

  it('serves hot profiles from a cache that writes of another process invalidate', async () => {
    // A second server process on the same database, polling the event log every 50 ms.
    const other = await buildApp({
      config: testConfig({ XINYONG_CACHE_POLL_MS: '50' }),
      pool: t.db.pool,
      clock: () => t.clock.now,
    });
    await other.ready();
    try {
      const read = async () =>
        (await other.inject({ method: 'GET', url: `/api/v1/public/subjects/${company}` })).json()
          .total as number;
      const before = await read();
      expect(await read()).toBe(before); // now cached
      const h = await login('officer-a', 'officer-pass-1');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: h,
        payload: { itemCode: 'XZCF', payload: penalty({ CF_WSH: '渝中市监罚〔2026〕9号' }) },
      });
      expect(res.statusCode).toBe(201);
      let after = before;
      for (let i = 0; i < 40 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 25));
        after = await read();
      }
      expect(after).toBe(before + 1);
    } finally {
      await other.close();
    }
  });
});
