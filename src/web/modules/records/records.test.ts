import { describe, expect, it } from 'vitest';
import {
  disclosureApiQuery,
  queryTooShort,
  readDisclosureParams,
  writeDisclosureParams,
} from './disclosureQuery';
import { legalBasisList, legalBasisText, severityText, stopKindText } from './labels';
import { correctionBody, isEncrypted, payloadResolver, stopKindsFor } from './recordEdit';
import { extraFields } from './RecordCard';

describe('双公示 search filters', () => {
  it('reads the URL, swaps a reversed date range and pages by offset', () => {
    const f = readDisclosureParams(
      new URLSearchParams('q=火锅&item=XZCF&department=3&from=2026-05-01&to=2026-01-01&page=2'),
    );
    expect(f).toEqual({
      q: '火锅',
      item: 'XZCF',
      department: 3,
      from: '2026-01-01',
      to: '2026-05-01',
      page: 2,
    });
    expect(disclosureApiQuery(f)).toEqual({
      q: '火锅',
      item: 'XZCF',
      department: 3,
      from: '2026-01-01',
      to: '2026-05-01',
      limit: 20,
      offset: 20,
    });
    expect(writeDisclosureParams(f).get('from')).toBe('2026-01-01');
  });

  it('does not send what the API would refuse', () => {
    expect(queryTooShort('火')).toBe(true);
    expect(queryTooShort('火锅')).toBe(false);
    expect(queryTooShort('')).toBe(false);
    const f = readDisclosureParams(new URLSearchParams('q=火&from=2026-02-30&department=x'));
    expect(disclosureApiQuery(f)).toEqual({
      q: undefined,
      item: undefined,
      department: undefined,
      from: undefined,
      to: undefined,
      limit: 20,
      offset: 0,
    });
  });
});

describe('record display', () => {
  it('reads legal bases stored in several shapes', () => {
    expect(
      legalBasisList([
        { instrument: '《行政处罚法》', article: '第四十八条', rank: 'law' },
        { bad: 1 },
        '《条例》',
      ]),
    ).toEqual([
      { instrument: '《行政处罚法》', article: '第四十八条', rank: 'law' },
      { instrument: '《条例》' },
    ]);
    expect(legalBasisList(null)).toEqual([]);
    expect(legalBasisText({ instrument: '《行政处罚法》', article: '第四十八条' }, 'zh-CN')).toBe(
      '《行政处罚法》第四十八条',
    );
    expect(severityText('SERIOUS', 'en')).toBe('Serious');
    expect(severityText('SERIOUS', 'zh-CN')).toBe('严重');
  });

  it('does not repeat the document number and date among the fields', () => {
    const fields = [
      { key: 'CF_WSH', label: '文书号', value: 'D1' },
      { key: 'CF_JDRQ', label: '日期', value: '2026-01-01' },
      { key: 'CF_SY', label: '事由', value: '超标排放' },
    ];
    expect(extraFields(fields, 'D1', '2026-01-01').map((f) => f.key)).toEqual(['CF_SY']);
  });
});

describe('correcting and withdrawing', () => {
  it('never re-sends encrypted values or blanks', () => {
    expect(isEncrypted({ enc: 'x' })).toBe(true);
    expect(
      correctionBody({
        payload: { A: ' a ', B: '', C: { enc: 'x' }, D: 3, E: [], F: ['警告'] },
        severity: null,
        reason: ' 更正 ',
      }),
    ).toEqual({
      payload: { A: 'a', D: 3, F: ['警告'] },
      reason: '更正',
    });
  });

  it('puts row errors on their inputs', () => {
    const r = payloadResolver(['CF_WSH']);
    expect(r(['payload', 'CF_WSH'])).toEqual(['payload', 'CF_WSH']);
    expect(r(['payload', 'severity'])).toEqual(['severity']);
    expect(r(['payload', 'UNKNOWN'])).toBeNull();
  });

  it('only the credit office stops a record for a court order', () => {
    expect(stopKindsFor(['dept_officer'])).toEqual(['withdrawn']);
    expect(stopKindsFor(['platform_admin'])).toEqual(['withdrawn', 'court_order', 'other']);
    expect(stopKindsFor(['auditor'])).toEqual([]);
  });
});

describe('English field titles and the department filter', () => {
  it('labels a field with its English title when the item has one, else the catalogue title', async () => {
    const { fieldLabel, toFieldTitles } = await import('./fieldTitles');
    const titles = toFieldTitles({
      items: [
        {
          code: 'XZCF',
          fields: [
            { key: 'CF_WSH', zh: '行政处罚决定书文号', en: 'Penalty decision document number' },
            { key: 'LOCAL', zh: '地方字段', en: null },
          ],
        },
      ],
    });
    expect(fieldLabel(titles, 'XZCF', { key: 'CF_WSH', label: '行政处罚决定书文号' })).toBe(
      'Penalty decision document number',
    );
    expect(fieldLabel(titles, 'XZCF', { key: 'LOCAL', label: '地方字段' })).toBe('地方字段');
    expect(fieldLabel(titles, 'OTHER', { key: 'CF_WSH', label: '文号' })).toBe('文号');
    expect(fieldLabel(null, 'XZCF', { key: 'CF_WSH', label: '文号' })).toBe('文号');
    // The record's own version's title wins over the current version's.
    expect(fieldLabel(titles, 'XZCF', { key: 'CF_WSH', label: '文号', labelEn: 'Decision no.' })).toBe(
      'Decision no.',
    );
  });

  it('offers the departments that provide licences or penalties, in the reader’s language', async () => {
    const { departmentOptions } = await import('./publicDepartments');
    const dept = (id: number, codes: string[], nameEn: string | null) => ({
      id,
      name: `部门${id}`,
      nameEn,
      uscc: 'x',
      region: '500103',
      disclosedRecords: 0,
      items: codes.map((code) => ({
        code,
        nameZh: code,
        nameEn: code,
        categoryCode: 'ADM',
        provider: true,
        disclosedRecords: 0,
      })),
    });
    const list = {
      at: '',
      departments: [dept(1, ['XZCF'], 'Market'), dept(2, ['DJZC'], null), dept(3, ['XZXK'], null)],
    };
    expect(departmentOptions(list, ['XZXK', 'XZCF'], false)).toEqual([
      { value: 1, label: '部门1' },
      { value: 3, label: '部门3' },
    ]);
    expect(departmentOptions(list, ['XZXK', 'XZCF'], true)[0]).toEqual({ value: 1, label: 'Market' });
    expect(departmentOptions(undefined, ['XZCF'], true)).toEqual([]);
  });
});

describe('stopped records', () => {
  it('names the stop kind, the credit repair included, instead of showing its key', () => {
    expect(stopKindText('repaired', 'zh-CN')).toBe('信用修复');
    expect(stopKindText('court_order', 'en')).toBe('Court order');
    expect(stopKindText('withdrawn', 'zh-CN')).toBe('提供部门撤回');
    expect(stopKindText('something_new', 'en')).toBe('something_new');
  });
});
