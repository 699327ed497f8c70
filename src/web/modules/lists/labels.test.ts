import { describe, expect, it } from 'vitest';
import { format } from '../../i18n/lang';
import { entryPeriodText, factLine } from './labels';

const fact = {
  kind: 'record',
  recordId: 12,
  itemCode: 'XZCF',
  docNo: '渝中市监罚〔2026〕1号',
  title: null,
  date: '2026-03-01',
  severity: 'SERIOUS',
};

describe('factLine', () => {
  it('names a record by id, item and document number, then its date', () => {
    expect(factLine(fact)).toMatch(/^#12 XZCF 渝中市监罚〔2026〕1号 2026/);
  });
  it('names a document by number and title, without a date when it has none', () => {
    expect(
      factLine({ ...fact, kind: 'document', recordId: null, itemCode: null, title: '判决书', date: null }),
    ).toBe('渝中市监罚〔2026〕1号 判决书');
  });
});

describe('entryPeriodText', () => {
  const zh = (m: Parameters<typeof format>[0]) => format(m, 'zh-CN');
  it('gives an entry without an end date as long-term once it runs, and nothing before', () => {
    expect(entryPeriodText({ effectiveFrom: '2026-03-01', effectiveUntil: '2029-02-28' }, zh)).toBe(
      '2026-03-01 – 2029-02-28',
    );
    expect(entryPeriodText({ effectiveFrom: '2026-03-01', effectiveUntil: null }, zh)).toBe(
      '2026-03-01 – 长期',
    );
    expect(entryPeriodText({ effectiveFrom: null, effectiveUntil: null }, zh)).toBe('— – —');
  });
});
