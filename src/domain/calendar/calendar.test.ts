import { describe, expect, it } from 'vitest';
import {
  CN_CALENDAR_DATA,
  addDays,
  civilDate,
  createCalendar,
  diffDays,
  fromDayNumber,
  isCivilDate,
  isoWeekday,
  startOfCivilDate,
  toDayNumber,
} from './index';

const cal = createCalendar();

describe('civil dates', () => {
  it('validates calendar dates strictly', () => {
    expect(isCivilDate('2024-02-29')).toBe(true);
    expect(isCivilDate('2025-02-29')).toBe(false);
    expect(isCivilDate('1900-02-29')).toBe(false);
    expect(isCivilDate('2000-02-29')).toBe(true);
    expect(isCivilDate('2025-1-5')).toBe(false);
    expect(isCivilDate('2025-13-01')).toBe(false);
  });

  it('does day arithmetic without the host time zone', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(-1)).toBe('1969-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(diffDays('2024-01-01', '2025-01-01')).toBe(366);
    for (let n = -719_000; n < 2_900_000; n += 997) expect(toDayNumber(fromDayNumber(n))).toBe(n);
    expect(isoWeekday('2025-01-26')).toBe(7);
    expect(isoWeekday('2025-02-08')).toBe(6);
    expect(isoWeekday('2024-10-01')).toBe(2);
  });

  it('maps instants to China civil dates with a fixed +08:00 offset', () => {
    expect(civilDate(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(civilDate(new Date('2024-12-31T15:59:59.999Z'))).toBe('2024-12-31');
    expect(civilDate(new Date('2024-12-31T16:00:00Z'), 'UTC')).toBe('2024-12-31');
    expect(civilDate(new Date('2025-06-30T23:30:00+08:00'), 'Asia/Shanghai')).toBe('2025-06-30');
    expect(() => civilDate(new Date('2025-01-01T00:00:00Z'), 'America/New_York')).toThrow(RangeError);
    expect(() => civilDate(new Date('nope'))).toThrow(RangeError);
    expect(startOfCivilDate('2025-01-01').toISOString()).toBe('2024-12-31T16:00:00.000Z');
  });
});

describe('Spring Festival 2025', () => {
  it('marks 2025-01-28..02-04 as holidays and 01-26 (Sun) / 02-08 (Sat) as make-up working days', () => {
    for (let d = '2025-01-28'; d <= '2025-02-04'; d = addDays(d, 1)) {
      expect(cal.isWorkingDay(d), d).toBe(false);
      expect(cal.dayInfo(d).kind).toBe('holiday');
    }
    expect(cal.dayInfo('2025-01-29').name).toEqual({ zh: '春节', en: 'Spring Festival' });
    expect(cal.dayInfo('2025-01-26')).toMatchObject({
      working: true,
      kind: 'makeup-workday',
      basis: 'table',
    });
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
    expect(cal.isWorkingDay('2025-01-25')).toBe(false);
    expect(cal.isWorkingDay('2025-02-09')).toBe(false);
    expect(cal.isWorkingDay('2025-02-05')).toBe(true);
  });

  it('counts deadlines across the festival (start day never counts)', () => {
    // 01-24 Fri → 01-26 Sun (make-up) 1, 01-27 Mon 2, 02-05 Wed 3.
    expect(cal.addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    expect(cal.addWorkingDays('2025-01-27', 1)).toBe('2025-02-05');
    expect(cal.addWorkingDays('2025-02-05', 3)).toBe('2025-02-08');
    // 双公示 "within 7 working days" from a decision on 2025-01-24.
    expect(cal.addWorkingDays('2025-01-24', 7)).toBe('2025-02-10');
    expect(cal.addWorkingDays('2025-01-24', 0)).toBe('2025-01-24');
    // Starting on a holiday: the holiday itself does not count either.
    expect(cal.addWorkingDays('2025-01-29', 1)).toBe('2025-02-05');
    expect(cal.workingDaysBetween('2025-01-24', '2025-02-08')).toBe(6);
    expect(cal.workingDaysBetween('2025-02-08', '2025-01-24')).toBe(-6);
    expect(cal.workingDaysBetween('2025-01-24', '2025-01-24')).toBe(0);
    expect(cal.nextWorkingDay('2025-01-27')).toBe('2025-02-05');
    expect(cal.onOrNextWorkingDay('2025-02-01')).toBe('2025-02-05');
    expect(cal.onOrNextWorkingDay('2025-02-05')).toBe('2025-02-05');
  });

  it('is consistent: workingDaysBetween(d, addWorkingDays(d, n)) === n', () => {
    for (let d = '2024-12-20'; d <= '2025-02-20'; d = addDays(d, 1)) {
      for (const n of [1, 3, 7, 10, 20]) expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, n))).toBe(n);
    }
  });

  it('rejects bad input', () => {
    expect(() => cal.addWorkingDays('2025-01-24', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-01-24', 1.5)).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2025-02-30')).toThrow(RangeError);
  });
});

describe('National Day 2024', () => {
  it('marks 10-01..07 as holidays and 09-29 (Sun) / 10-12 (Sat) as make-up working days', () => {
    for (let d = '2024-10-01'; d <= '2024-10-07'; d = addDays(d, 1))
      expect(cal.isWorkingDay(d), d).toBe(false);
    expect(cal.isWorkingDay('2024-09-29')).toBe(true);
    expect(cal.isWorkingDay('2024-10-12')).toBe(true);
    expect(cal.isWorkingDay('2024-10-13')).toBe(false);
    expect(cal.isWorkingDay('2024-09-28')).toBe(false);
  });

  it('counts deadlines across the week', () => {
    expect(cal.addWorkingDays('2024-09-27', 1)).toBe('2024-09-29');
    expect(cal.addWorkingDays('2024-09-29', 1)).toBe('2024-09-30');
    expect(cal.addWorkingDays('2024-09-30', 1)).toBe('2024-10-08');
    expect(cal.addWorkingDays('2024-09-30', 5)).toBe('2024-10-12');
    expect(cal.workingDaysBetween('2024-09-27', '2024-10-12')).toBe(7);
  });
});

describe('Spring Festival 2026 (from the data)', () => {
  it('follows the published schedule', () => {
    const y2026 = CN_CALENDAR_DATA['2026'];
    expect(y2026?.holidays).toEqual(expect.arrayContaining(['2026-02-15', '2026-02-17', '2026-02-23']));
    expect(y2026?.workdays).toEqual(expect.arrayContaining(['2026-02-14', '2026-02-28']));
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });
});

describe('overrides and coverage', () => {
  it('lets an admin turn a day into a holiday without touching the base calendar', () => {
    const withTyphoon = createCalendar(CN_CALENDAR_DATA, [
      { date: '2025-03-03', kind: 'holiday', name: { zh: '台风停工', en: 'Typhoon closure' } },
    ]);
    expect(withTyphoon.isWorkingDay('2025-03-03')).toBe(false);
    expect(withTyphoon.dayInfo('2025-03-03')).toMatchObject({ basis: 'override', name: { zh: '台风停工' } });
    expect(withTyphoon.addWorkingDays('2025-02-28', 1)).toBe('2025-03-04');
    expect(cal.addWorkingDays('2025-02-28', 1)).toBe('2025-03-03');
  });

  it('lets an override add a make-up working day', () => {
    const c = createCalendar(CN_CALENDAR_DATA, [{ date: '2025-03-01', kind: 'workday', name: '补班' }]);
    expect(c.dayInfo('2025-03-01')).toMatchObject({
      working: true,
      kind: 'makeup-workday',
      name: { zh: '补班' },
    });
  });

  it('reports covered and provisional years and falls back to weekdays outside them', () => {
    expect(cal.coverage()).toEqual({
      years: [2024, 2025, 2026, 2027],
      provisionalYears: [2027],
      fallback: 'weekday-rule',
    });
    // 2023-10-02 was a holiday, but 2023 is not in the table.
    expect(cal.dayInfo('2023-10-02')).toMatchObject({ working: true, basis: 'weekday-rule' });
    expect(cal.coverageOf('2023-12-20', '2024-01-10')).toEqual({
      exact: false,
      uncoveredYears: [2023],
      provisionalYears: [],
    });
    expect(cal.coverageOf('2024-01-01', '2026-12-31').exact).toBe(true);
    expect(cal.coverageOf('2026-12-20', '2027-01-10')).toMatchObject({
      exact: false,
      provisionalYears: [2027],
    });
  });

  it('carries the statutory 2027 holidays as provisional data without 调休', () => {
    const y2027 = CN_CALENDAR_DATA['2027'];
    expect(y2027?.provisional).toBe(true);
    expect(y2027?.workdays).toEqual([]);
    expect(y2027?.holidays).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
    expect(cal.dayInfo('2027-02-08')).toMatchObject({ working: false, basis: 'provisional' });
    expect(cal.dayInfo('2027-02-09')).toMatchObject({ working: true, basis: 'provisional' });
  });

  it('works with custom base data', () => {
    const c = createCalendar({}, []);
    expect(c.coverage().years).toEqual([]);
    expect(c.addWorkingDays('2025-01-24', 3)).toBe('2025-01-29');
  });
});
