import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOTP_SECRET, loginBody } from '../../../../test/support/totp';
import { checkItemDefinition, type ItemDefinitionInput } from '../../../domain/catalog';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { SYSTEM, type Ctx } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { createDepartment, createUser } from '../accounts';
import {
  createItemVersion,
  fieldsVisibleAt,
  getItemVersion,
  isProvider,
  itemsProvidedBy,
  NATIONAL_CATEGORIES,
  NATIONAL_ITEMS,
  providersOf,
  publicFields,
  resolveSeverity,
  SEED_ACTOR,
  seedNationalCatalog,
  validatePayload,
  type ItemVersion,
} from '.';

let t: TestApp;
let deptId = 0;

function tx<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return withTransaction(t.db.pool, (db) => fn({ db, actor: SYSTEM, requestId: 'test', now: t.clock.now }));
}

beforeAll(async () => {
  t = await createTestApp();
  await tx(async (ctx) => {
    const dept = await createDepartment(ctx, {
      uscc: '11500103MB1234567X',
      name: '区市场监管局',
      region: '500103',
    }).catch(() =>
      createDepartment(ctx, { uscc: '914403001922038216', name: '区市场监管局', region: '440300' }),
    );
    deptId = dept.id;
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'admin',
      displayName: '管理员',
      password: 'Admin-pass-2026',
      roles: ['platform_admin'],
    });
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'officer',
      displayName: '数据员',
      password: 'Officer-pass-2026',
      roles: ['dept_officer'],
      departmentId: dept.id,
    });
  });
});
afterAll(async () => t?.close());

async function login(username: string, password: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody(username, password, t.clock.now),
  });
  const cookie = res.cookies.find((c) => c.name === 'xy_session');
  return { cookie: cookie ? `xy_session=${cookie.value}` : '', csrf: res.json().csrfToken as string };
}

async function asAdmin() {
  const s = await login('admin', 'Admin-pass-2026');
  return { cookie: s.cookie, 'x-csrf-token': s.csrf };
}

async function count(sql: string): Promise<number> {
  return (await t.db.pool.query<{ n: number }>(sql)).rows[0]?.n ?? -1;
}

/** A small valid item for the HTTP tests. */
function sampleItem(code: string, over: Partial<ItemDefinitionInput> = {}): ItemDefinitionInput {
  return {
    code,
    nameZh: '行政检查结果信息',
    nameEn: 'Inspection results',
    categoryCode: 'ADM',
    legalBasis: [
      {
        instrument: '《优化营商环境条例》',
        article: '第五十三条 (待核实)',
        rank: 'administrative_regulation',
      },
    ],
    subjectTypes: ['ENTERPRISE'],
    payloadSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      required: ['JC_WSH', 'JC_RQ', 'JC_MC', 'JC_SHXYM', 'JC_JG'],
      properties: {
        JC_WSH: { type: 'string', title: '检查文书号', 'x-code': 'JC_WSH', minLength: 1 },
        JC_RQ: { type: 'string', format: 'date', title: '检查日期', 'x-code': 'JC_RQ' },
        JC_MC: { type: 'string', title: '被检查对象名称', 'x-code': 'JC_MC' },
        JC_SHXYM: { type: 'string', title: '统一社会信用代码', 'x-code': 'JC_SHXYM' },
        JC_JG: { type: 'string', title: '检查结果', enum: ['未发现问题', '发现问题已责令整改'] },
        BZ: { type: 'string', title: '备注' },
      },
    },
    fieldVisibility: {
      JC_WSH: 'public',
      JC_RQ: 'public',
      JC_MC: 'public',
      JC_SHXYM: 'public',
      JC_JG: 'public',
      BZ: 'shared',
    },
    severityRule: { kind: 'none' },
    periodRule: { kind: 'fixed', months: 12 },
    keyFields: { docNo: 'JC_WSH', decisionDate: 'JC_RQ', subjectName: 'JC_MC', subjectUscc: 'JC_SHXYM' },
    ...over,
  };
}

async function post(url: string, payload: unknown, headers: Record<string, string>) {
  return t.app.inject({ method: 'POST', url, payload: payload as object, headers });
}

describe('seed', () => {
  it('creates the 13 categories and the national items, and is idempotent', async () => {
    const first = await tx((ctx) => seedNationalCatalog(ctx));
    expect(first.categoriesCreated).toHaveLength(13);
    expect(first.itemsCreated).toEqual(NATIONAL_ITEMS.map((i) => i.code));
    const second = await tx((ctx) => seedNationalCatalog(ctx));
    expect(second).toEqual({
      categoriesCreated: [],
      categoriesUpdated: [],
      itemsCreated: [],
      itemsVersioned: [],
    });
    expect(await count('SELECT count(*)::int AS n FROM catalog_categories')).toBe(13);
    expect(await count('SELECT count(*)::int AS n FROM catalog_items')).toBe(NATIONAL_ITEMS.length);
    expect(await count('SELECT count(*)::int AS n FROM catalog_item_versions')).toBe(NATIONAL_ITEMS.length);
    expect(await count("SELECT count(*)::int AS n FROM events WHERE type = 'catalog.category_created'")).toBe(
      13,
    );
    expect(await count("SELECT count(*)::int AS n FROM events WHERE type = 'catalog.item_created'")).toBe(
      NATIONAL_ITEMS.length,
    );
    // every category has at least one item
    const used = new Set(NATIONAL_ITEMS.map((i) => i.categoryCode));
    for (const c of NATIONAL_CATEGORIES) expect(used.has(c.code), c.code).toBe(true);
  });

  it("restores a seeded item it wrote, but keeps an administrator's newer version", async () => {
    const seeded = NATIONAL_ITEMS.find((i) => i.code === 'XYPJ');
    const other = NATIONAL_ITEMS.find((i) => i.code === 'ZSFG');
    if (!seeded || !other) throw new Error('missing seed items');
    await withTransaction(t.db.pool, (db) =>
      createItemVersion({ db, actor: SEED_ACTOR, requestId: 't', now: t.clock.now }, 'XYPJ', {
        ...seeded,
        nameEn: 'Old name',
      }),
    );
    await tx((ctx) => createItemVersion(ctx, 'ZSFG', { ...other, nameEn: 'Compliance (local wording)' }));
    const summary = await tx((ctx) => seedNationalCatalog(ctx));
    expect(summary.itemsVersioned).toEqual(['XYPJ']);
    const restored = await tx((ctx) => getItemVersion(ctx, 'XYPJ'));
    expect(restored.version).toBe(3);
    expect(restored.nameEn).toBe(seeded.nameEn);
    expect((await tx((ctx) => getItemVersion(ctx, 'ZSFG'))).nameEn).toBe('Compliance (local wording)');
  });

  it('both 双公示 items pass their own checks and carry their key fields', async () => {
    const categories = NATIONAL_CATEGORIES.map((c) => c.code);
    for (const item of NATIONAL_ITEMS)
      expect(checkItemDefinition(item, { categories }), item.code).toEqual([]);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/XZCF' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.keyFields).toMatchObject({
      docNo: 'CF_WSH',
      decisionDate: 'CF_JDRQ',
      subjectUscc: 'CF_XDR_SHXYM',
    });
    expect(body.fieldVisibility.CF_XDR_ZJHM).toBe('internal');
    expect(body.fieldVisibility.CF_FR_ZJHM).toBe('internal');
    expect(body.fieldVisibility.BZ).toBe('shared');
    expect(body.aliases['行政相对人代码_1']).toBe('CF_XDR_SHXYM');
    expect(body.layoutVariants.legacy2016['行政相对人代码_2']).toBe('CF_XDR_ZZJG');
    const xk = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/XZXK' })).json();
    expect(xk.periodRule).toEqual({ kind: 'validity', field: 'XK_YXQZI' });
    expect(xk.keyFields.validityEnd).toBe('XK_YXQZI');
  });
});

describe('public routes', () => {
  it('lists categories and items and reads an item without logging in', async () => {
    const cats = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/categories' });
    expect(cats.statusCode).toBe(200);
    expect(cats.json().map((c: { code: string }) => c.code)).toEqual(NATIONAL_CATEGORIES.map((c) => c.code));
    expect(cats.json()[12].descriptionZh).toMatch(/待核实/);
    const items = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items' });
    expect(items.statusCode).toBe(200);
    expect(items.json().find((i: { code: string }) => i.code === 'XZCF')).toMatchObject({
      categoryCode: 'ADM',
      severityRule: 'derived',
      periodRule: { kind: 'severity' },
    });
    const xzcf = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/XZCF' })).json();
    expect(xzcf.payloadSchema.properties.CF_WSH.title).toBe('行政处罚决定书文号');
    expect(xzcf.severityRule).toMatchObject({ kind: 'derived', field: 'CF_CFLB', default: 'GENERAL' });
    expect(xzcf.severityRule.map['吊销执照']).toBe('SERIOUS');
    const openapi = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    expect(Object.keys(openapi.json().paths)).toContain('/api/v1/catalog/items/{code}');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/NOPE' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('CATALOG_ITEM_NOT_FOUND');
  });
});

describe('English field titles', () => {
  it('gives every field of every seeded item an English title, served with the Chinese one', async () => {
    const missing: string[] = [];
    for (const def of NATIONAL_ITEMS) {
      const props = (def.payloadSchema as { properties: Record<string, Record<string, unknown>> }).properties;
      for (const [key, prop] of Object.entries(props)) {
        const en = prop['x-title-en'];
        if (typeof en !== 'string' || !/^[\x20-\x7e’]+$/.test(en) || en === prop.title)
          missing.push(`${def.code}.${key}`);
      }
    }
    expect(missing).toEqual([]);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/field-titles' });
    expect(res.statusCode).toBe(200);
    const xzcf = res.json().items.find((i: { code: string }) => i.code === 'XZCF');
    expect(xzcf.fields.find((f: { key: string }) => f.key === 'CF_WSH')).toEqual({
      key: 'CF_WSH',
      zh: '行政处罚决定书文号',
      en: 'Penalty decision document number',
    });
    expect(res.json().items.length).toBe(NATIONAL_ITEMS.length);
    // The stored definition carries the keyword too (items endpoint, public).
    const item = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/XZXK' })).json();
    expect(item.payloadSchema.properties.XK_XDR_MC['x-title-en']).toBe(
      'Name of the administrative counterpart',
    );
  });
});

describe('creating items', () => {
  it('refuses anonymous callers and non-admins', async () => {
    const anon = await post('/api/v1/catalog/items', sampleItem('JCJG'), {});
    expect(anon.statusCode).toBe(401);
    const officer = await login('officer', 'Officer-pass-2026');
    const asOfficer = await post('/api/v1/catalog/items', sampleItem('JCJG'), {
      cookie: officer.cookie,
      'x-csrf-token': officer.csrf,
    });
    expect(asOfficer.statusCode).toBe(403);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/catalog/items/XZCF/providers',
      payload: { departmentIds: [deptId] },
      headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf },
    });
    expect(put.statusCode).toBe(403);
  });

  it('refuses an item without a legal basis, listing the problems with field and both languages', async () => {
    const headers = await asAdmin();
    const before = await count('SELECT count(*)::int AS n FROM catalog_items');
    const res = await post('/api/v1/catalog/items', sampleItem('JCJG', { legalBasis: [] }), headers);
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('CATALOG_ITEM_INVALID');
    expect(err.details.field).toBe('legalBasis');
    expect(err.details.problems[0]).toMatchObject({ code: 'LEGAL_BASIS_REQUIRED', field: 'legalBasis' });
    expect(err.messages['zh-CN']).toMatch(/依据/);
    expect(err.messages.en).toMatch(/legal basis/);
    expect(await count('SELECT count(*)::int AS n FROM catalog_items')).toBe(before);
  });

  it('refuses a normative document as the only basis', async () => {
    const res = await post(
      '/api/v1/catalog/items',
      sampleItem('JCJG', {
        legalBasis: [{ instrument: '某局关于开展检查的通知', rank: 'normative_document' }],
      }),
      await asAdmin(),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.problems.map((p: { code: string }) => p.code)).toEqual([
      'LEGAL_BASIS_RANK_TOO_LOW',
    ]);
  });

  it('refuses prohibited fields by title and by declared data category, naming the field', async () => {
    const headers = await asAdmin();
    const base = sampleItem('JCJG');
    const schema = base.payloadSchema as { properties: Record<string, unknown> };
    const withField = (key: string, prop: Record<string, unknown>) =>
      sampleItem('JCJG', {
        payloadSchema: {
          ...(base.payloadSchema as object),
          properties: { ...schema.properties, [key]: prop },
        },
        fieldVisibility: { ...base.fieldVisibility, [key]: 'shared' },
      });
    const religion = await post(
      '/api/v1/catalog/items',
      withField('JC_XY', { type: 'string', title: '宗教信仰' }),
      headers,
    );
    expect(religion.statusCode).toBe(400);
    const p1 = religion.json().error.details.problems;
    expect(p1).toHaveLength(1);
    expect(p1[0]).toMatchObject({ code: 'PROHIBITED_FIELD', field: 'payloadSchema.properties.JC_XY' });
    expect(p1[0].message.zh).toContain('宗教信仰');
    expect(religion.json().error.details.field).toBe('payloadSchema.properties.JC_XY');
    const health = await post(
      '/api/v1/catalog/items',
      withField('JC_QK', { type: 'string', title: '人员情况', 'x-data-category': 'health' }),
      headers,
    );
    expect(health.statusCode).toBe(400);
    const p2 = health.json().error.details.problems;
    expect(p2[0]).toMatchObject({ code: 'PROHIBITED_FIELD', field: 'payloadSchema.properties.JC_QK' });
    expect(p2[0].message.en).toContain('JC_QK');
  });

  it('reports a schema Ajv cannot compile', async () => {
    const base = sampleItem('JCJG');
    const res = await post(
      '/api/v1/catalog/items',
      sampleItem('JCJG', { payloadSchema: { ...(base.payloadSchema as object), minProperties: 'many' } }),
      await asAdmin(),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.problems[0].code).toBe('SCHEMA_INVALID');
  });

  it('creates an item (201), refuses a duplicate (409), versions it and keeps the old version readable', async () => {
    const headers = await asAdmin();
    const created = await post('/api/v1/catalog/items', sampleItem('JCJG'), headers);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      code: 'JCJG',
      version: 1,
      currentVersion: 1,
      createdBy: expect.stringMatching(/^user:/),
    });
    const dup = await post('/api/v1/catalog/items', sampleItem('JCJG'), headers);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('CATALOG_ITEM_EXISTS');

    const { code: _code, ...v2body } = sampleItem('JCJG', { nameZh: '行政检查结果信息（第二版）' });
    const v2 = await post('/api/v1/catalog/items/JCJG/versions', v2body, headers);
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, currentVersion: 2, nameZh: '行政检查结果信息（第二版）' });

    const current = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/JCJG' });
    expect(current.json().version).toBe(2);
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/JCJG?version=1' });
    expect(old.statusCode).toBe(200);
    expect(old.json()).toMatchObject({ version: 1, currentVersion: 2, nameZh: '行政检查结果信息' });
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/JCJG?version=3' });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('CATALOG_VERSION_NOT_FOUND');

    const badVersion = await post(
      '/api/v1/catalog/items/JCJG/versions',
      { ...v2body, legalBasis: [] },
      headers,
    );
    expect(badVersion.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/catalog/items/JCJG' })).json().version).toBe(2);
    const noItem = await post('/api/v1/catalog/items/NOPE/versions', v2body, headers);
    expect(noItem.statusCode).toBe(404);

    expect(
      await count(
        "SELECT count(*)::int AS n FROM events WHERE type = 'catalog.item_versioned' AND entity_id = 'JCJG'",
      ),
    ).toBe(1);
    const ev = await t.db.pool.query(
      "SELECT actor_kind, payload FROM events WHERE type = 'catalog.item_created' AND entity_id = 'JCJG'",
    );
    expect(ev.rows[0].actor_kind).toBe('user');
  });

  it('refuses an unknown category as a problem of the definition', async () => {
    const res = await post(
      '/api/v1/catalog/items',
      sampleItem('JCJG2', { categoryCode: 'NOPE' }),
      await asAdmin(),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.problems[0]).toMatchObject({
      code: 'CATEGORY_UNKNOWN',
      field: 'categoryCode',
    });
  });
});

describe('providers', () => {
  it('sets providers as admin, with an event, and answers who provides what', async () => {
    const headers = await asAdmin();
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/catalog/items/XZCF/providers',
      payload: { departmentIds: [deptId, deptId] },
      headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ itemCode: 'XZCF', departmentIds: [deptId] });
    expect(await tx((ctx) => isProvider(ctx, 'XZCF', deptId))).toBe(true);
    expect(await tx((ctx) => isProvider(ctx, 'XZXK', deptId))).toBe(false);
    expect(await tx((ctx) => providersOf(ctx, 'XZCF'))).toEqual([deptId]);
    expect((await tx((ctx) => itemsProvidedBy(ctx, deptId))).map((i) => i.code)).toEqual(['XZCF']);
    expect(await count("SELECT count(*)::int AS n FROM events WHERE type = 'catalog.providers_set'")).toBe(1);
    // the same set again changes nothing and writes no event
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/catalog/items/XZCF/providers',
      payload: { departmentIds: [deptId] },
      headers,
    });
    expect(await count("SELECT count(*)::int AS n FROM events WHERE type = 'catalog.providers_set'")).toBe(1);
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/catalog/items/XZCF/providers',
      payload: { departmentIds: [999999] },
      headers,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('DEPARTMENT_NOT_FOUND');
    expect(await tx((ctx) => providersOf(ctx, 'XZCF'))).toEqual([deptId]);
  });
});

describe('record payloads', () => {
  let penalty: ItemVersion;
  const valid = {
    CF_XDR_MC: '重庆某某食品有限公司',
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: '91500103MA5U00003N',
    CF_FRDB: '张三',
    CF_FR_ZJLX: '身份证',
    CF_FR_ZJHM: '11010519491231002X',
    CF_WSH: '渝中市监处罚〔2026〕12号',
    CF_WFXW: '销售不符合食品安全标准的食品',
    CF_SY: '当事人销售的糕点菌落总数不合格。',
    CF_YJ: '《中华人民共和国食品安全法》第一百二十四条',
    CF_CFLB: ['警告', '罚款'],
    CF_NR: '警告，并处罚款2000元',
    CF_NR_FK: '0.2',
    CF_JDRQ: '2026-05-20',
    CF_CFJG: '重庆市渝中区市场监督管理局',
    CF_CFJGDM: '11500103MB1234567X',
    CF_SJLY: '重庆市渝中区市场监督管理局',
    CF_SJLYDM: '11500103MB1234567X',
  };

  beforeAll(async () => {
    penalty = await tx((ctx) => getItemVersion(ctx, 'XZCF'));
  });

  it('accepts a valid penalty', () => {
    const r = validatePayload(penalty, valid);
    expect(r).toEqual({ ok: true, value: valid });
    expect(validatePayload(penalty, { ...valid, CF_NR_FK: 0.2 }).ok).toBe(true);
  });

  it('names a missing required field in both languages', () => {
    const { CF_WSH: _gone, ...rest } = valid;
    const r = validatePayload(penalty, rest);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        field: 'CF_WSH',
        code: 'FIELD_REQUIRED',
        message: { zh: expect.stringContaining('行政处罚决定书文号'), en: expect.stringContaining('CF_WSH') },
      },
    ]);
  });

  it('requires the USCC for 法人及非法人组织 and the ID for 自然人', () => {
    const { CF_XDR_SHXYM: _u, ...noUscc } = valid;
    const r = validatePayload(penalty, noUscc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.field).toBe('CF_XDR_SHXYM');
    expect(r.errors[0]?.message.zh).toContain('法人及非法人组织');
    expect(r.errors[0]?.message.en).toContain('required when');

    const person = validatePayload(penalty, { ...noUscc, CF_XDR_LB: '自然人', CF_XDR_MC: '李四' });
    expect(person.ok).toBe(false);
    if (!person.ok) expect(person.errors.map((e) => e.field).sort()).toEqual(['CF_XDR_ZJHM', 'CF_XDR_ZJLX']);
    const ok = validatePayload(penalty, {
      ...noUscc,
      CF_XDR_LB: '自然人',
      CF_XDR_MC: '李四',
      CF_XDR_ZJLX: '身份证',
      CF_XDR_ZJHM: '11010519491231002X',
    });
    expect(ok.ok).toBe(true);
    const shop = validatePayload(penalty, { ...noUscc, CF_XDR_LB: '个体工商户' });
    expect(shop.ok).toBe(false);
    if (!shop.ok) {
      expect(shop.errors[0]?.code).toBe('FIELD_ONE_OF_REQUIRED');
      expect(shop.errors[0]?.message.zh).toContain('统一社会信用代码');
    }
  });

  it('reports a bad date, a bad amount, an unknown value and an extra field, each with its field', () => {
    const r = validatePayload(penalty, {
      ...valid,
      CF_JDRQ: '2026/05/20',
      CF_NR_FK: '-1',
      CF_CFLB: ['罚金'],
      CF_EXTRA: 'x',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e]));
    expect(byField.CF_JDRQ).toMatchObject({ code: 'FIELD_FORMAT' });
    expect(byField.CF_JDRQ?.message.zh).toContain('处罚决定日期');
    expect(byField.CF_JDRQ?.message.en).toContain('YYYY-MM-DD');
    expect(byField.CF_NR_FK?.code).toBe('FIELD_PATTERN');
    expect(byField['CF_CFLB.0']?.code).toBe('FIELD_ENUM');
    expect(byField.CF_EXTRA?.code).toBe('FIELD_UNKNOWN');
    for (const e of r.errors) {
      expect(e.message.zh.length).toBeGreaterThan(0);
      expect(e.message.en.length).toBeGreaterThan(0);
    }
    const fine = validatePayload(penalty, { ...valid, CF_NR_FK: undefined });
    expect(fine.ok).toBe(false);
    if (!fine.ok) expect(fine.errors[0]).toMatchObject({ field: 'CF_NR_FK', code: 'FIELD_REQUIRED' });
  });

  it('resolves severity: derived, declared first, and required where the item says so', async () => {
    expect(resolveSeverity(penalty, { CF_CFLB: ['警告'] })).toBe('MINOR');
    expect(resolveSeverity(penalty, { CF_CFLB: ['警告', '罚款'] })).toBe('GENERAL');
    expect(resolveSeverity(penalty, { CF_CFLB: ['罚款', '吊销执照'] })).toBe('SERIOUS');
    expect(resolveSeverity(penalty, { CF_CFLB: ['其他'] })).toBe('GENERAL');
    expect(resolveSeverity(penalty, { CF_CFLB: ['罚款'] }, 'SERIOUS')).toBe('SERIOUS');
    const coercion = await tx((ctx) => getItemVersion(ctx, 'XZQZ'));
    expect(resolveSeverity(coercion, {}, 'GENERAL')).toBe('GENERAL');
    let thrown: unknown;
    try {
      resolveSeverity(coercion, {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('SEVERITY_REQUIRED');
    expect((thrown as AppError).text.zh).toContain('XZQZ');
    expect(() => resolveSeverity(penalty, {}, 'HUGE')).toThrow(/SEVERITY_INVALID/);
    const licence = await tx((ctx) => getItemVersion(ctx, 'XZXK'));
    expect(resolveSeverity(licence, {})).toBeNull();
  });

  it('lists the fields each audience sees', () => {
    const pub = publicFields(penalty);
    expect(pub).toContain('CF_WSH');
    expect(pub).toContain('CF_XDR_SHXYM');
    for (const hidden of ['CF_XDR_ZJHM', 'CF_FR_ZJHM', 'CF_XDR_ZJLX', 'BZ'])
      expect(pub).not.toContain(hidden);
    const shared = fieldsVisibleAt(penalty, 'shared');
    expect(shared).toContain('BZ');
    expect(shared).not.toContain('CF_FR_ZJHM');
    expect(fieldsVisibleAt(penalty, 'internal')).toHaveLength(Object.keys(penalty.fieldVisibility).length);
  });
});
