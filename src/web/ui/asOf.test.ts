import { describe, expect, it } from 'vitest';
import { atParamForDate, chinaDate, endOfChinaDay, isFutureDate, parseAtParam } from './asOf';

// 2026-06-01 01:00 in Beijing is still 31 May in UTC: the civil date must be China's.
const now = new Date('2026-05-31T17:00:00Z');

describe('?at= handling', () => {
  it('uses China time for "today"', () => {
    expect(chinaDate(now)).toBe('2026-06-01');
    expect(isFutureDate('2026-06-02', now)).toBe(true);
    expect(isFutureDate('2026-06-01', now)).toBe(false);
  });

  it('no date, or today, means now (no instant sent)', () => {
    expect(parseAtParam(null, now)).toEqual({ kind: 'now', date: null, instant: undefined });
    expect(parseAtParam('', now).kind).toBe('now');
    expect(parseAtParam('2026-06-01', now).kind).toBe('now');
  });

  it('a past date asks the API for the end of that day in China', () => {
    const a = parseAtParam('2025-01-01', now);
    expect(a).toEqual({ kind: 'past', date: '2025-01-01', instant: '2025-01-01T23:59:59.999+08:00' });
    expect(new Date(endOfChinaDay('2025-01-01')).toISOString()).toBe('2025-01-01T15:59:59.999Z');
  });

  it('refuses impossible and future dates instead of sending them', () => {
    expect(parseAtParam('2025-02-30', now)).toMatchObject({ kind: 'invalid', reason: 'format' });
    expect(parseAtParam('tomorrow', now)).toMatchObject({ kind: 'invalid', reason: 'format' });
    expect(parseAtParam('2026-06-02', now)).toMatchObject({ kind: 'invalid', reason: 'future' });
    expect(parseAtParam('2027-01-01T00:00:00Z', now)).toMatchObject({ kind: 'invalid', reason: 'future' });
  });

  it('accepts a full instant as given', () => {
    expect(parseAtParam('2025-03-04T02:00:00Z', now)).toEqual({
      kind: 'past',
      date: '2025-03-04',
      instant: '2025-03-04T02:00:00.000Z',
    });
  });

  it('picking today or clearing the picker removes the parameter', () => {
    expect(atParamForDate('2025-01-01', now)).toBe('2025-01-01');
    expect(atParamForDate('2026-06-01', now)).toBeNull();
    expect(atParamForDate(null, now)).toBeNull();
    expect(atParamForDate('2025-13-01', now)).toBeNull();
  });
});
