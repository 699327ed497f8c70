import { describe, expect, it } from 'vitest';
import type { WireProfile } from '../../api/types';
import { expandProfile } from './prefetch';

const wire: WireProfile = {
  at: '2026-11-29T00:00:00.000Z',
  subject: {
    ref: 'S1',
    type: 'ENTERPRISE',
    typeLabel: { zh: '企业', en: 'Enterprise' },
    name: '重庆鸿药医药有限公司',
    formerNames: [],
    uscc: null,
    orgCode: null,
    idMasked: null,
    region: null,
    regionName: null,
    legalRep: null,
    status: 'active',
    establishedOn: null,
  },
  categories: [
    {
      code: 'ADM',
      nameZh: '行政管理信息',
      nameEn: 'Administrative',
      count: 2,
      records: [1, 2].map((id) => ({
        id,
        item: { code: 'XZCF', version: id },
        docNo: `渝中罚〔2026〕${id}号`,
        decisionDate: '2026-01-01',
        severity: 'GENERAL',
        disclosedFrom: '2026-01-01',
        disclosedUntil: null,
        provider: null,
        fields: [
          { key: 'CF_WSH', value: `渝中罚〔2026〕${id}号` },
          { key: 'LOCAL', value: 'x' },
        ],
        version: 1,
        disputed: false,
      })),
    },
  ],
  items: [
    {
      code: 'XZCF',
      version: 1,
      nameZh: '行政处罚信息',
      nameEn: 'Administrative penalties',
      legalBasis: [{ instrument: '《行政处罚法》', article: '第四十八条', rank: 'law' }],
      fields: [{ key: 'CF_WSH', label: '行政处罚决定书文号', labelEn: 'Penalty decision no.' }],
    },
    {
      code: 'XZCF',
      version: 2,
      nameZh: '行政处罚信息（新）',
      nameEn: 'Administrative penalties (new)',
      legalBasis: [],
      fields: [{ key: 'CF_WSH', label: '处罚决定书文号' }],
    },
  ],
  total: 2,
};

describe('expandProfile', () => {
  it("gives every record its own item version's names, legal basis and field titles", () => {
    const p = expandProfile(wire);
    expect(p).not.toHaveProperty('items');
    const [a, b] = p.categories[0]!.records;
    expect(a!.item).toEqual({
      code: 'XZCF',
      version: 1,
      nameZh: '行政处罚信息',
      nameEn: 'Administrative penalties',
    });
    expect(a!.legalBasis).toEqual(wire.items[0]!.legalBasis);
    expect(a!.fields[0]).toEqual({
      key: 'CF_WSH',
      label: '行政处罚决定书文号',
      labelEn: 'Penalty decision no.',
      value: '渝中罚〔2026〕1号',
    });
    expect(a!.fields[1]).toEqual({ key: 'LOCAL', label: 'LOCAL', value: 'x' }); // no title: its key
    expect(b!.item.nameZh).toBe('行政处罚信息（新）');
    expect(b!.fields[0]).toEqual({ key: 'CF_WSH', label: '处罚决定书文号', value: '渝中罚〔2026〕2号' });
  });
});
