import { describe, expect, it } from 'vitest';
import { deadlineText, objectionTarget, recordStateText, statusColor, type Objection } from './remedies';

describe('repair queue labels', () => {
  it('shows the deadline, and how late once past it', () => {
    expect(deadlineText(null)).toBeNull();
    expect(deadlineText({ stage: 'decide', due: '2026-06-08', overdue: false, workingDaysLate: 0 })?.zh).toBe(
      '部门决定期限 2026-06-08',
    );
    const late = deadlineText({ stage: 'forward', due: '2026-07-01', overdue: true, workingDaysLate: 3 });
    expect(late?.zh).toBe('平台转办已逾期 3 个工作日（期限 2026-07-01）');
    expect(late?.en).toContain('overdue by 3');
  });
  it('names every state of a record instead of showing its key', () => {
    // The states recordState() returns, and the stop kinds of migration 0005.
    for (const s of [
      'disclosed',
      'pending',
      'unpublished',
      'expired',
      'withdrawn',
      'court_order',
      'repaired',
      'other',
    ]) {
      const l = recordStateText(s);
      expect(l.zh, s).toMatch(/[\u4e00-\u9fff]/);
      expect(l.en, s).not.toBe(s);
    }
    expect(recordStateText('expired')).toEqual({ zh: '公示期满', en: 'Period ended' });
    expect(recordStateText('unknown_state').en).toBe('unknown_state');
  });
  it('colours outcomes', () => {
    expect(statusColor('granted')).toBe('green');
    expect(statusColor('refused')).toBe('red');
    expect(statusColor('forwarded')).toBe('blue');
  });
});

describe('objection targets', () => {
  const base = { recordId: null, applicationId: null, record: null } as unknown as Objection;
  it('names the record by its document, in either language, else the record or application id', () => {
    const record = {
      label: '行政处罚 渝中市监罚〔2026〕1号（2026-05-01）',
      labelEn: 'Penalty 渝中市监罚〔2026〕1号 (2026-05-01)',
    };
    expect(objectionTarget({ ...base, recordId: 7, record })).toEqual({
      zh: record.label,
      en: record.labelEn,
    });
    expect(objectionTarget({ ...base, recordId: 7, record: { ...record, labelEn: null } }).en).toBe(
      record.label,
    );
    expect(objectionTarget({ ...base, recordId: 7 }).zh).toBe('#7');
    expect(objectionTarget({ ...base, applicationId: 3 }).en).toBe('R3');
    expect(objectionTarget(base).zh).toBe('—');
  });
});
