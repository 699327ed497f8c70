import { describe, expect, it } from 'vitest';
import { batchPercent, rowErrorText } from '../ingest/batch';
import { normalizeScorecard } from '../monitoring/scorecard';
import { eventQuery } from '../audit/eventQuery';
import { format, initialLang } from '../../i18n/lang';

describe('language', () => {
  it('is Chinese unless English was chosen', () => {
    expect(initialLang(null)).toBe('zh-CN');
    expect(initialLang('fr')).toBe('zh-CN');
    expect(initialLang('en')).toBe('en');
    expect(format({ zh: '第 {n} 页', en: 'Page {n}' }, 'en', { n: 2 })).toBe('Page 2');
    expect(format({ zh: '{missing}', en: '' }, 'zh-CN')).toBe('{missing}');
  });
});

describe('batch progress', () => {
  it('is a percentage only when the total is known', () => {
    const counts = { accepted: 0, updated: 0, unchanged: 0, rejected: 0 };
    expect(batchPercent({ status: 'processing', progress: { rows: 50, total: 200 } })).toBe(25);
    expect(batchPercent({ status: 'processing', progress: { rows: 50 } })).toBeNull();
    expect(batchPercent({ status: 'done', progress: { rows: 200, total: 200 } })).toBe(100);
    expect(counts.accepted).toBe(0);
    expect(rowErrorText({ message: { zh: '缺少', en: 'Missing' } }, 'en')).toBe('Missing');
    expect(rowErrorText({ message: { 'zh-CN': '缺少', en: 'Missing' } }, 'zh-CN')).toBe('缺少');
    expect(rowErrorText({ code: 'X' }, 'en')).toBe('X');
  });
});

describe('scorecard', () => {
  it('reads ratios as percentages whatever the wrapper', () => {
    const rows = normalizeScorecard({
      items: [
        {
          month: '2026-05-01',
          departmentName: '市场监管局',
          departmentNameEn: 'Market Regulation',
          volume: 120,
          timeliness: 0.9,
          validity: { ratio: 0.75 },
        },
        { month: '2026-04', department: 3, volume: 80, completeness: 96.5 },
        { nope: true },
      ],
    });
    expect(rows).toEqual([
      { month: '2026-04', department: '3', departmentEn: null, values: { volume: 80, completeness: 96.5 } },
      {
        month: '2026-05',
        department: '市场监管局',
        departmentEn: 'Market Regulation',
        values: { volume: 120, timeliness: 90, validity: 75 },
      },
    ]);
    expect(normalizeScorecard(null)).toEqual([]);
  });
});

describe('event log filters', () => {
  it('leaves blanks out and pages after the last sequence number', () => {
    expect(eventQuery({ type: ' record ', entityId: '' }, 0)).toEqual({
      type: 'record',
      entityType: undefined,
      entityId: undefined,
      subjectId: undefined,
      actorKind: undefined,
      from: undefined,
      to: undefined,
      afterSeq: undefined,
      limit: 100,
    });
    expect(eventQuery({}, 42).afterSeq).toBe(42);
  });
});
