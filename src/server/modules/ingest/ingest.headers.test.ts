import { describe, expect, it } from 'vitest';
import { buildAliasMap } from '../../../domain/catalog/definition';
import { NATIONAL_ITEMS, type ItemVersion } from '../catalog';
import { itemLayout, planHeaders } from './ingest.headers';
import { mapRow } from './ingest.values';

/*
 * Header and code-table mapping of the two 双公示 items against REFERENCE §2.2–§2.5, on the
 * shipped national catalogue (pure: no database).
 */

function seeded(code: 'XZXK' | 'XZCF'): ItemVersion {
  const def = NATIONAL_ITEMS.find((d) => d.code === code);
  if (!def) throw new Error(`no seeded item ${code}`);
  return {
    ...def,
    version: 1,
    currentVersion: 1,
    status: 'active',
    aliases: buildAliasMap(def.payloadSchema).aliases,
    layoutVariants: def.layoutVariants ?? {},
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'test',
    schemaHash: `headers-test-${code}`,
  };
}

describe('the 2016 layout (REFERENCE §2.2)', () => {
  it.each([
    ['XZCF', 'CF', '行政处罚决定书文号', '处罚决定日期'],
    ['XZXK', 'XK', '行政许可决定文书号', '许可决定日期'],
  ] as const)(
    '%s: maps the bare 工商登记码 and 居民身份证号 columns it is recognised by',
    (code, p, docNo, date) => {
      const l = itemLayout(seeded(code));
      const headers = [
        '行政相对人名称',
        '行政相对人代码_1',
        '组织机构代码',
        '工商登记码',
        '税务登记号',
        '居民身份证号',
        docNo,
        date,
      ];
      const plan = planHeaders(l, headers);
      expect(plan.layout).toBe('legacy2016');
      expect(plan.unknown).toEqual([]);
      expect(plan.mapped).toEqual([
        `${p}_XDR_MC`,
        `${p}_XDR_SHXYM`,
        `${p}_XDR_ZZJG`,
        `${p}_XDR_GSZC`,
        `${p}_XDR_SWDJ`,
        `${p}_XDR_ZJHM`,
        `${p}_WSH`,
        `${p}_JDRQ`,
      ]);
      // A natural person's row: the ID number is kept and the category derived from it.
      const row = mapRow(l, plan, ['张三', '', '', '', '', '110101199003070079', 'W-1', '2019-10-10']);
      expect(row.errors).toEqual([]);
      expect(row.payload).toMatchObject({
        [`${p}_XDR_ZJHM`]: '110101199003070079',
        [`${p}_XDR_LB`]: '自然人',
        [`${p}_XDR_ZJLX`]: '身份证',
      });
    },
  );

  it('keeps the numbered columns apart by layout: _2 and _3 swap, _5 is the ID number', () => {
    const l = itemLayout(seeded('XZCF'));
    const numbered = ['行政相对人代码_2', '行政相对人代码_3', '行政相对人代码_5', '行政处罚决定书文号'];
    expect(planHeaders(l, numbered, 'legacy2016').mapped).toEqual([
      'CF_XDR_ZZJG',
      'CF_XDR_GSZC',
      'CF_XDR_ZJHM',
      'CF_WSH',
    ]);
    expect(planHeaders(l, numbered, 'current').mapped).toEqual([
      'CF_XDR_GSZC',
      'CF_XDR_ZZJG',
      'CF_XDR_SYDW',
      'CF_WSH',
    ]);
  });
});

describe('处罚类别 code table (REFERENCE §2.5)', () => {
  const l = itemLayout(seeded('XZCF'));
  const plan = planHeaders(l, ['行政处罚决定书文号', '处罚类别1', '处罚类别2']);
  const types = (a: string, b = '') => mapRow(l, plan, ['W-1', a, b]);

  it('accepts the 2021 law’s “other” class written out, whose 、 is not a list separator', () => {
    expect(types('法律、行政法规规定的其他行政处罚').payload.CF_CFLB).toEqual(['其他']);
    expect(types('罚款', '法律、行政法规规定的其他').payload.CF_CFLB).toEqual(['罚款', '其他']);
  });

  it('splits the 2021 law’s grouped classes into their types', () => {
    expect(types('警告、通报批评').payload.CF_CFLB).toEqual(['警告', '通报批评']);
    expect(types('罚款、没收违法所得、没收非法财物').payload.CF_CFLB).toEqual([
      '罚款',
      '没收违法所得',
      '没收非法财物',
    ]);
  });
});
