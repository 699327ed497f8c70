import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { withTransaction } from '../../platform/db';
import {
  createCategory,
  createItem,
  getItemVersion,
  NATIONAL_CATEGORIES,
  NATIONAL_ITEMS,
  SEED_ACTOR,
  seedNationalCatalog,
  validatePayload,
} from '../catalog';
import { examplePayload } from './ingest.template';
import {
  batchOf,
  CF_TITLES,
  companyCode,
  csv,
  licence,
  login,
  penalty,
  setupWorld,
  titled,
  upload,
  XK_CODES,
  type World,
} from './ingest.test-support';

/*
 * Dates in order (x-not-before on the catalogue item): a validity end (XK_YXQZI, CF_YXQ, CF_GSJZQ)
 * before the decision date, or XK_YXQZI before XK_YXQZ, is rejected with DATE_ORDER naming the
 * field, the row and the other field; in both layouts and with Chinese or code headers. And the
 * organisation code column must be the USCC's characters 9–17 (CODE_MISMATCH).
 */

let t: TestApp;
let w: World;
let officer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  w = await setupWorld(t);
  officer = await login(t, 'scjg');
});
afterAll(async () => t?.close());

interface RowError {
  row: number;
  field: string;
  code: string;
  message: { zh: string; en: string };
}

async function errorsOf(batchId: unknown): Promise<RowError[]> {
  return ((await batchOf(t, officer, batchId)) as { errors: RowError[] }).errors;
}

const CF_DATES = { ...CF_TITLES, CF_YXQ: '处罚有效期', CF_GSJZQ: '公示截止期' };

describe('penalties: 处罚有效期 and 公示截止期 not before 处罚决定日期', () => {
  const rows = (base: number) => [
    penalty(w.scjg, base + 1, { CF_JDRQ: '2026-03-10', CF_YXQ: '2026/03/09' }),
    penalty(w.scjg, base + 2, { CF_JDRQ: '2026-03-10', CF_GSJZQ: '2026年3月1日' }),
    // The same day, and later: in order.
    penalty(w.scjg, base + 3, { CF_JDRQ: '2026-03-10', CF_YXQ: '2026-03-10', CF_GSJZQ: '2027-03-10' }),
    penalty(w.scjg, base + 4, { CF_JDRQ: '2026-03-10', CF_YXQ: '2099/12/31' }),
  ];
  const check = async (batch: { status: number; body: Record<string, unknown> }) => {
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    expect(batch.body.counts).toMatchObject({ accepted: 2, rejected: 2 });
    const errors = await errorsOf(batch.body.batchId);
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, 'CF_YXQ', 'DATE_ORDER'],
      [3, 'CF_GSJZQ', 'DATE_ORDER'],
    ]);
    expect(errors[0]?.message).toEqual({
      zh: '“处罚有效期”（CF_YXQ）（2026-03-09）早于“处罚决定日期”（CF_JDRQ）（2026-03-10）',
      en: 'CF_YXQ (处罚有效期) (2026-03-09) is before CF_JDRQ (处罚决定日期) (2026-03-10)',
    });
    expect(errors[1]?.message.en).toContain('CF_JDRQ');
  };

  it('current layout, Chinese headers', async () => {
    await check(
      await upload(
        t,
        officer,
        { name: 'a.csv', data: csv(titled(CF_DATES), rows(100)) },
        { itemCode: 'XZCF' },
      ),
    );
  });

  it('current layout, code headers', async () => {
    const cols = Object.keys(CF_DATES).map((k) => [k, k] as [string, string]);
    await check(
      await upload(t, officer, { name: 'b.csv', data: csv(cols, rows(110)) }, { itemCode: 'XZCF' }),
    );
  });

  it('the 2016 layout', async () => {
    const legacy: [string, string][] = [
      ['行政处罚决定书文号', 'CF_WSH'],
      ['处罚类别1', 'CF_CFLB'],
      ['处罚事由', 'CF_SY'],
      ['违法行为类型', 'CF_WFXW'],
      ['处罚依据', 'CF_YJ'],
      ['行政相对人名称', 'CF_XDR_MC'],
      ['行政相对人代码_1', 'CF_XDR_SHXYM'],
      ['法定代表人姓名', 'CF_FRDB'],
      ['处罚结果', 'CF_NR'],
      ['罚款金额', 'CF_NR_FK'],
      ['处罚决定日期', 'CF_JDRQ'],
      ['处罚有效期', 'CF_YXQ'],
      ['公示截止期', 'CF_GSJZQ'],
      ['处罚机关', 'CF_CFJG'],
      ['地方编码', 'AREA'],
    ];
    const r = await upload(t, officer, { name: 'c.csv', data: csv(legacy, rows(120)) }, { itemCode: 'XZCF' });
    expect(r.body.batch).toMatchObject({ layout: 'legacy2016' });
    await check(r);
  });

  it('the same rule for a single record over the API', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: officer,
      payload: {
        itemCode: 'XZCF',
        payload: penalty(w.scjg, 130, { CF_JDRQ: '2026-03-10', CF_YXQ: '2026-03-01', CF_CFLB: ['罚款'] }),
      },
    });
    expect(JSON.stringify(res.json())).toContain('DATE_ORDER');
  });
});

describe('licences: 有效期至 not before 许可决定日期 nor 有效期自', () => {
  const cols = XK_CODES;
  const lic = (n: number, o: Record<string, unknown> = {}) => licence(w.scjg, n, { AREA: '500103', ...o });
  const rows = (base: number) => [
    lic(base + 1),
    lic(base + 2, { XK_YXQZI: '2026-04-03' }), // after the decision, before 有效期自
    lic(base + 3, { XK_YXQZ: '2026-03-01', XK_YXQZI: '2026-03-31' }), // before the decision
    lic(base + 4, { XK_YXQZI: '2099/12/31' }),
  ];
  const check = async (r: { status: number; body: Record<string, unknown> }) => {
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ accepted: 2, rejected: 2 });
    const errors = await errorsOf(r.body.batchId);
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'XK_YXQZI', 'DATE_ORDER'],
      [4, 'XK_YXQZI', 'DATE_ORDER'],
    ]);
    expect(errors[0]?.message.en).toBe(
      'XK_YXQZI (有效期至) (2026-04-03) is before XK_YXQZ (有效期自) (2026-04-05)',
    );
    expect(errors[1]?.message.zh).toBe(
      '“有效期至”（XK_YXQZI）（2026-03-31）早于“许可决定日期”（XK_JDRQ）（2026-04-01）',
    );
  };

  it('current layout, code headers', async () => {
    await check(
      await upload(
        t,
        officer,
        {
          name: 'x.csv',
          data: csv(
            cols.map((c) => [c, c] as [string, string]),
            rows(200),
          ),
        },
        { itemCode: 'XZXK' },
      ),
    );
  });

  it('current layout, Chinese headers', async () => {
    const titles: Record<string, string> = {
      XK_XDR_MC: '行政相对人名称',
      XK_XDR_LB: '行政相对人类别',
      XK_XDR_SHXYM: '统一社会信用代码',
      XK_FRDB: '法定代表人',
      XK_XKWS: '行政许可决定文书名称',
      XK_WSH: '行政许可决定文书号',
      XK_XKLB: '许可类别',
      XK_NR: '许可内容',
      XK_JDRQ: '许可决定日期',
      XK_YXQZ: '有效期自',
      XK_YXQZI: '有效期至',
      XK_XKJG: '许可机关',
      XK_XKJGDM: '许可机关统一社会信用代码',
      XK_ZT: '当前状态',
      XK_LYDW: '数据来源单位',
      XK_LYDWDM: '数据来源单位统一社会信用代码',
    };
    await check(
      await upload(t, officer, { name: 'y.csv', data: csv(titled(titles), rows(210)) }, { itemCode: 'XZXK' }),
    );
  });

  it('the 2016 layout (许可截止期, 审批类别)', async () => {
    const legacy = cols.map((c) =>
      c === 'XK_YXQZI'
        ? (['许可截止期', c] as [string, string])
        : c === 'XK_XKLB'
          ? (['审批类别', c] as [string, string])
          : ([c, c] as [string, string]),
    );
    legacy.push(['地方编码', 'AREA']);
    const r = await upload(t, officer, { name: 'z.csv', data: csv(legacy, rows(220)) }, { itemCode: 'XZXK' });
    expect(r.body.batch).toMatchObject({ layout: 'legacy2016' });
    await check(r);
  });
});

describe('the organisation code is the USCC’s characters 9–17', () => {
  it('takes it with or without the hyphen, rejects another one with CODE_MISMATCH', async () => {
    const cols = titled({ ...CF_TITLES, CF_XDR_ZZJG: '组织机构代码' });
    const org = (n: number) => companyCode(n).slice(8, 17);
    const r = await upload(
      t,
      officer,
      {
        name: 'org.csv',
        data: csv(cols, [
          penalty(w.scjg, 301, { CF_XDR_ZZJG: org(301) }),
          penalty(w.scjg, 302, { CF_XDR_ZZJG: `${org(302).slice(0, 8)}-${org(302).slice(8)}` }),
          penalty(w.scjg, 303, { CF_XDR_ZZJG: org(304) }),
        ]),
      },
      { itemCode: 'XZCF' },
    );
    expect(r.body.counts).toMatchObject({ accepted: 2, rejected: 1 });
    const errors = await errorsOf(r.body.batchId);
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([[4, 'CF_XDR_ZZJG', 'CODE_MISMATCH']]);
    expect(errors[0]?.message.en).toContain('CF_XDR_SHXYM');
  });
});

const ctx = (db: never) => ({ db, actor: SEED_ACTOR, requestId: 'old', now: new Date('2026-01-01') });

/**
 * A fresh installation whose catalogue was seeded before the rules existed: `items`, those that
 * `stripped` picks without the schema annotations `keys`.
 */
async function seededBefore(
  keys: readonly string[],
  items: readonly (typeof NATIONAL_ITEMS)[number][],
  stripped: (code: string) => boolean,
): Promise<TestApp> {
  const old = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  const strip = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (k: string, v: unknown) => (keys.includes(k) ? undefined : v));
  try {
    await withTransaction(old.db.pool, async (tx) => {
      for (const c of NATIONAL_CATEGORIES) await createCategory(ctx(tx as never), c);
      for (const d of items)
        await createItem(
          ctx(tx as never),
          stripped(d.code) ? { ...d, payloadSchema: strip(d.payloadSchema) } : d,
        );
    });
  } catch (err) {
    await old.close();
    throw err;
  }
  return old;
}

describe('an installation whose 双公示 items were seeded before the rules existed', () => {
  it('gets new versions carrying them at the next start (the seed updater)', async () => {
    const old = await seededBefore(
      ['x-not-before', 'x-org-code-of'],
      NATIONAL_ITEMS.filter((i) => i.code === 'XZCF' || i.code === 'XZXK'),
      () => true,
    );
    try {
      const before = await getItemVersion(ctx(old.db.pool as never), 'XZCF');
      const late = penalty(w.scjg, 1, { CF_JDRQ: '2026-03-10', CF_YXQ: '2026-03-01', CF_CFLB: ['罚款'] });
      // The version stored without the declaration keeps working, and does not check it.
      expect(validatePayload(before, late).ok).toBe(true);
      // What every item implies is still checked without it: a licence's validity end (its key
      // field) not before its decision date, with the same code as the declared rule.
      const oldLicence = await getItemVersion(ctx(old.db.pool as never), 'XZXK');
      const early = validatePayload(
        oldLicence,
        licence(w.scjg, 1, { XK_YXQZ: '2026-03-01', XK_YXQZI: '2026-03-31' }),
      );
      expect(!early.ok && early.errors.map((e) => [e.field, e.code])).toEqual([['XK_YXQZI', 'DATE_ORDER']]);

      const summary = await withTransaction(old.db.pool, (tx) => seedNationalCatalog(ctx(tx as never)));
      expect(summary.itemsVersioned.sort()).toEqual(['XZCF', 'XZXK']);
      const after = await getItemVersion(ctx(old.db.pool as never), 'XZCF');
      expect(after.version).toBe(before.version + 1);
      const v = validatePayload(after, late);
      expect(v.ok).toBe(false);
      expect(!v.ok && v.errors.map((e) => e.code)).toEqual(['DATE_ORDER']);
    } finally {
      await old.close();
    }
  });
});

/**
 * The other seeded items with an end date (a validity end, the end of a period): the end may not
 * be earlier than the decision / start date. [item, end field, the field it may not be before].
 */
const END_DATES = [
  ['XZQZ', 'QZ_QXZ', 'QZ_JDRQ'],
  ['ZYZG', 'ZG_YXQZ', 'ZG_FZRQ'],
  ['XYPJ', 'PJ_YXQZ', 'PJ_RQ'],
  ['CXRY', 'RY_YXQZ', 'RY_SYRQ'],
  ['ZYTG', 'ZY_YXQZ', 'ZY_TGRQ'],
  ['ZSFG', 'ZF_QJZ', 'ZF_QJQ'],
  ['ZSCQ', 'ZC_YXQZ', 'ZC_SQRQ'],
] as const;

describe('the other seeded items with an end date', () => {
  it.each(END_DATES)('%s: %s may not be before %s (DATE_ORDER)', async (code, end, start) => {
    const item = await getItemVersion(
      { db: t.db.pool, actor: SEED_ACTOR, requestId: 'dates', now: new Date('2026-06-01') },
      code,
    );
    const base = examplePayload(item);
    const on = (s: string, e: string) => validatePayload(item, { ...base, [start]: s, [end]: e });
    expect(on('2026-03-10', '2026-03-10').ok).toBe(true);
    expect(on('2026-03-10', '2099-12-31').ok).toBe(true);
    const v = on('2026-03-10', '2026-03-09');
    expect(v.ok).toBe(false);
    expect(!v.ok && v.errors.map((e) => [e.field, e.code])).toEqual([[end, 'DATE_ORDER']]);
    expect(!v.ok && v.errors[0]?.message.en).toContain(start);
  });

  it('an installation seeded before the rules gets a new version of each at the next start', async () => {
    const codes: string[] = END_DATES.map(([code]) => code);
    const old = await seededBefore(['x-not-before'], NATIONAL_ITEMS, (code) => codes.includes(code));
    try {
      const summary = await withTransaction(old.db.pool, (tx) => seedNationalCatalog(ctx(tx as never)));
      expect(summary.itemsVersioned.sort()).toEqual([...codes].sort());
      for (const [code, end, start] of END_DATES) {
        const item = await getItemVersion(ctx(old.db.pool as never), code);
        expect(item.version, code).toBe(2);
        const v = validatePayload(item, {
          ...examplePayload(item),
          [start]: '2026-03-10',
          [end]: '2026-03-01',
        });
        expect(!v.ok && v.errors.map((e) => e.code), code).toEqual(['DATE_ORDER']);
      }
    } finally {
      await old.close();
    }
  });
});
