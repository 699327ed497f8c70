import { describe, expect, it } from 'vitest';
import { fieldText, purposeText, readerKindText, readTypeText } from './reads';

describe('reads in words', () => {
  it('names the kinds of read and of reader, falling back to the code', () => {
    expect(readTypeText('data.read').zh).toBe('查阅非公开信息');
    expect(readTypeText('check.performed').en).toBe('Joint reward/punishment check');
    expect(readTypeText('check.batch_performed').zh).toBe('联合奖惩核查（批量）');
    expect(readTypeText('something.new')).toEqual({ zh: 'something.new', en: 'something.new' });
    expect(readerKindText('apikey').zh).toBe('接口（部门系统）');
    expect(fieldText('list_entry').zh).toBe('名单记录');
    expect(fieldText('upload_row').en).toBe('rows as a department uploaded them');
    expect(fieldText('CF_NR')).toEqual({ zh: 'CF_NR', en: 'CF_NR' });
  });
  it('tells a check scenario from a stated purpose', () => {
    expect(purposeText('check:GOV_FUNDS')).toEqual({ scenario: 'GOV_FUNDS' });
    expect(purposeText('行政审批核查')).toEqual({ text: '行政审批核查' });
    expect(purposeText(null)).toBeNull();
  });
});
