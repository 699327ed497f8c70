import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PERIOD_POLICY,
  LONG_TERM_VALIDITY,
  addMonths,
  computeWindow,
  disclosureWindow,
  isInWindow,
  isRepairable,
  validatePolicy,
  windowStatus,
  windowToInstants,
  type PeriodPolicy,
} from './index';

const policy = DEFAULT_PERIOD_POLICY;

describe('addMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-08-31', 1)).toBe('2024-09-30');
  });

  it('rolls years and handles zero and negatives', () => {
    expect(addMonths('2024-12-15', 1)).toBe('2025-01-15');
    expect(addMonths('2025-01-15', -1)).toBe('2024-12-15');
    expect(addMonths('2025-01-10', 0)).toBe('2025-01-10');
    expect(addMonths('2025-01-10', 36)).toBe('2028-01-10');
    expect(() => addMonths('2025-01-10', 1.5)).toThrow(RangeError);
    expect(() => addMonths('2025-02-30', 1)).toThrow(RangeError);
  });
});

describe('disclosureWindow (default policy)', () => {
  it('publishes a GENERAL record from the decision for 12 months, repairable after 3', () => {
    const w = disclosureWindow({ anchorDate: '2025-01-10', severity: 'GENERAL', policy });
    expect(w).toEqual({
      from: '2025-01-10',
      until: '2026-01-10',
      repairableFrom: '2025-04-10',
      published: true,
      maxUntil: '2026-01-10',
    });
    expect(isInWindow(w, '2025-01-09')).toBe(false);
    expect(isInWindow(w, '2025-01-10')).toBe(true);
    expect(isInWindow(w, '2026-01-09')).toBe(true);
    expect(isInWindow(w, '2026-01-10')).toBe(false);
    expect(isInWindow(w, '2026-01-11')).toBe(false);
    expect(windowStatus(w, '2025-01-09')).toBe('pending');
    expect(windowStatus(w, '2026-01-09')).toBe('active');
    expect(windowStatus(w, '2026-01-10')).toBe('expired');
    expect(isRepairable(w, '2025-04-09')).toBe(false);
    expect(isRepairable(w, '2025-04-10')).toBe(true);
  });

  it('publishes a SERIOUS record for 36 months with leap-day clamping', () => {
    const w = disclosureWindow({ anchorDate: '2024-02-29', severity: 'SERIOUS', policy });
    expect(w.until).toBe('2027-02-28');
    expect(w.repairableFrom).toBe('2025-02-28');
    expect(isInWindow(w, '2027-02-27')).toBe(true);
    expect(isInWindow(w, '2027-02-28')).toBe(false);
  });

  it('does not publish a MINOR record unless asked, and then for at most 3 months', () => {
    const hidden = disclosureWindow({ anchorDate: '2024-11-30', severity: 'MINOR', policy });
    expect(hidden).toMatchObject({ published: false, from: '2024-11-30', until: '2024-11-30' });
    expect(hidden.repairableFrom).toBe('2024-11-30');
    expect(isInWindow(hidden, '2024-11-30')).toBe(false);
    expect(windowStatus(hidden, '2024-12-01')).toBe('unpublished');

    const shown = disclosureWindow({
      anchorDate: '2024-11-30',
      severity: 'MINOR',
      policy,
      publishMinor: true,
    });
    expect(shown).toMatchObject({ published: true, until: '2025-02-28' });
    expect(isInWindow(shown, '2025-02-27')).toBe(true);
    expect(isInWindow(shown, '2025-02-28')).toBe(false);
  });

  it('lets a record carry its own end date, reporting the policy maximum alongside', () => {
    const w = disclosureWindow({
      anchorDate: '2025-01-10',
      severity: 'SERIOUS',
      policy,
      fixedEndDate: '2030-01-10',
    });
    expect(w).toMatchObject({ until: '2030-01-10', maxUntil: '2028-01-10' });
    const early = disclosureWindow({
      anchorDate: '2025-01-10',
      severity: 'GENERAL',
      policy,
      fixedEndDate: '2024-01-01',
    });
    expect(early.until).toBe('2025-01-10');
    expect(isInWindow(early, '2025-01-10')).toBe(false);
  });

  it('takes its numbers from the policy', () => {
    const custom: PeriodPolicy = {
      id: 'test',
      label: 'stricter',
      classes: { ...policy.classes, SERIOUS: { publish: true, minMonths: 6, maxMonths: 24 } },
    };
    expect(validatePolicy(custom)).toEqual([]);
    const w = disclosureWindow({ anchorDate: '2025-01-10', severity: 'SERIOUS', policy: custom });
    expect(w).toMatchObject({ until: '2027-01-10', repairableFrom: '2025-07-10' });
  });

  it('supports the Civil Code reading where the anniversary day is still inside', () => {
    const civil: PeriodPolicy = { ...policy, endDay: 'inclusive' };
    const w = disclosureWindow({ anchorDate: '2025-01-10', severity: 'GENERAL', policy: civil });
    expect(w).toMatchObject({ until: '2026-01-11', repairableFrom: '2025-04-11' });
    expect(isInWindow(w, '2026-01-10')).toBe(true);
    expect(isInWindow(w, '2026-01-11')).toBe(false);
  });

  it('validates policies and input', () => {
    expect(validatePolicy(policy)).toEqual([]);
    const bad: PeriodPolicy = {
      id: 'bad',
      label: 'bad',
      classes: { ...policy.classes, GENERAL: { publish: true, minMonths: 13, maxMonths: 12 } },
    };
    expect(validatePolicy(bad)).toEqual(['GENERAL: minMonths exceeds maxMonths']);
    expect(() => disclosureWindow({ anchorDate: '2025/01/10', severity: 'GENERAL', policy })).toThrow(
      RangeError,
    );
  });
});

describe('computeWindow', () => {
  it('delegates severity rules', () => {
    const w = computeWindow(
      { kind: 'severity' },
      { decisionDate: '2025-01-10', severity: 'GENERAL', policy },
    );
    expect(w.until).toBe('2026-01-10');
    expect(() => computeWindow({ kind: 'severity' }, { decisionDate: '2025-01-10', policy })).toThrow(
      RangeError,
    );
  });

  it('handles fixed periods from the decision date', () => {
    const w = computeWindow({ kind: 'fixed', months: 36 }, { decisionDate: '2024-02-29', policy });
    expect(w).toEqual({ from: '2024-02-29', until: '2027-02-28', repairableFrom: null, published: true });
    expect(() =>
      computeWindow({ kind: 'fixed', months: 0 }, { decisionDate: '2024-02-29', policy }),
    ).toThrow();
  });

  it('publishes a licence through its last valid day', () => {
    const w = computeWindow(
      { kind: 'validity' },
      { decisionDate: '2025-03-01', validityEnd: '2030-12-31', policy },
    );
    expect(w.until).toBe('2031-01-01');
    expect(isInWindow(w, '2030-12-31')).toBe(true);
    expect(isInWindow(w, '2031-01-01')).toBe(false);
    expect(isInWindow(w, '2025-02-28')).toBe(false);
    expect(() => computeWindow({ kind: 'validity' }, { decisionDate: '2025-03-01', policy })).toThrow(
      RangeError,
    );
  });

  it('treats 2099-12-31 as long-term', () => {
    const w = computeWindow(
      { kind: 'validity' },
      { decisionDate: '2025-03-01', validityEnd: LONG_TERM_VALIDITY, policy },
    );
    expect(w.until).toBeNull();
    expect(isInWindow(w, '2099-12-31')).toBe(true);
    expect(isInWindow(w, '2100-01-01')).toBe(true);
    expect(windowStatus(w, '2200-01-01')).toBe('active');
    const leapEnd = computeWindow(
      { kind: 'validity' },
      { decisionDate: '2024-01-01', validityEnd: '2028-02-29', policy },
    );
    expect(leapEnd.until).toBe('2028-03-01');
  });

  it('never ends permanent records', () => {
    const w = computeWindow({ kind: 'permanent' }, { decisionDate: '2025-03-01', policy });
    expect(w).toEqual({ from: '2025-03-01', until: null, repairableFrom: null, published: true });
    expect(windowToInstants(w).until).toBeNull();
  });
});

describe('windowToInstants', () => {
  it('gives 00:00 China time as UTC instants', () => {
    const w = disclosureWindow({ anchorDate: '2025-01-10', severity: 'GENERAL', policy });
    const { from, until } = windowToInstants(w);
    expect(from.toISOString()).toBe('2025-01-09T16:00:00.000Z');
    expect(until?.toISOString()).toBe('2026-01-09T16:00:00.000Z');
  });
});
