import { describe, expect, it } from 'vitest';
import type { ProfileCategory, PublicProfile, PublicRecord } from '../../api/types';
import { displayMaskedId, identityRows, profileTabs } from './identity';

const person: PublicProfile['subject'] = {
  ref: 'S7',
  type: 'NATURAL_PERSON',
  typeLabel: { zh: '自然人', en: 'Natural person' },
  name: '张三',
  formerNames: [],
  uscc: null,
  orgCode: null,
  idMasked: '5001**********1234',
  region: '500103',
  regionName: '重庆市 / 渝中区',
  legalRep: '不应显示',
  status: 'active',
  establishedOn: null,
};

describe('masked ID numbers', () => {
  it('shows the server mask as is', () => {
    expect(displayMaskedId('5001**********1234')).toBe('5001**********1234');
  });

  it('masks again a full number that should never have arrived unmasked', () => {
    expect(displayMaskedId('11010519491231002X')).toBe('1101**********002X');
    expect(displayMaskedId(' 110105194912310 ')).toBe('1101*******2310');
    expect(displayMaskedId(null)).toBeNull();
  });

  it('the identity block of a person has the masked number and no legal representative or status', () => {
    const rows = identityRows({ ...person, idMasked: '11010519491231002X' }, 'zh-CN');
    const id = rows.find((r) => r.key === 'idNo');
    expect(id).toMatchObject({ value: '1101**********002X', masked: true });
    expect(rows.map((r) => r.key)).toEqual(['name', 'type', 'idNo', 'region']);
    expect(rows.some((r) => r.value.includes('19491231'))).toBe(false);
  });

  it('an organisation shows its codes, representative and status in the chosen language', () => {
    const rows = identityRows(
      {
        ...person,
        type: 'ENTERPRISE',
        typeLabel: { zh: '企业', en: 'Enterprise' },
        name: '某公司',
        uscc: '91500103MA5U00003N',
        idMasked: null,
        legalRep: '李四',
        formerNames: ['旧名'],
      },
      'en',
    );
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toMatchObject({
      type: 'Enterprise',
      uscc: '91500103MA5U00003N',
      legalRep: '李四',
      status: 'Active',
      formerNames: '旧名',
    });
  });
});

function rec(id: number, item: string): PublicRecord {
  return {
    id,
    item: { code: item, version: 1, nameZh: item, nameEn: item },
    docNo: `D${id}`,
    decisionDate: '2026-01-01',
    severity: null,
    disclosedFrom: '2026-01-01',
    disclosedUntil: null,
    provider: null,
    legalBasis: [],
    fields: [],
    version: 1,
  };
}

describe('profile tabs', () => {
  it('always has 行政许可 and 行政处罚, then the other categories with records', () => {
    const cats: ProfileCategory[] = [
      {
        code: 'ADM',
        nameZh: '行政管理信息',
        nameEn: 'Admin',
        count: 3,
        records: [rec(1, 'XZCF'), rec(2, 'XZQZ'), rec(3, 'XZCF')],
      },
      { code: 'HONOR', nameZh: '荣誉', nameEn: 'Honours', count: 1, records: [rec(4, 'CXRY')] },
    ];
    const tabs = profileTabs(cats);
    expect(tabs.map((t) => [t.key, t.records.map((r) => r.id)])).toEqual([
      ['item-XZXK', []],
      ['item-XZCF', [1, 3]],
      ['ADM', [2]],
      ['HONOR', [4]],
    ]);
  });

  it('a category whose records are all licences or penalties gets no tab of its own', () => {
    const tabs = profileTabs([
      { code: 'ADM', nameZh: 'a', nameEn: 'a', count: 1, records: [rec(1, 'XZXK')] },
    ]);
    expect(tabs.map((t) => t.key)).toEqual(['item-XZXK', 'item-XZCF']);
  });
});
