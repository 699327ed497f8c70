import { describe, expect, it } from 'vitest';
import { deadlineText, statusColor } from './remedies';

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
  it('colours outcomes', () => {
    expect(statusColor('granted')).toBe('green');
    expect(statusColor('refused')).toBe('red');
    expect(statusColor('forwarded')).toBe('blue');
  });
});
