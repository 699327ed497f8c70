import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar';
import { DEFAULT_PERIOD_POLICY } from '../periods';
import {
  DEFAULT_REPAIR_POLICY,
  answerDue,
  canAct,
  checkRepairPolicy,
  commitmentText,
  decideDue,
  entryEligibility,
  extendedDue,
  formatQueryCode,
  isOverdue,
  normaliseQueryCode,
  objectionDue,
  pendingStep,
  recordEligibility,
  recordState,
  sniffEvidence,
  workingDaysLate,
  type RecordFacts,
} from '.';

const cal = createCalendar();
const P = DEFAULT_REPAIR_POLICY;

describe('repair clocks (working days, State Council holiday table)', () => {
  it('counts 10 working days across the 2026 Spring Festival, with its make-up Saturdays', () => {
    // Applied Fri 13 Feb: Sat 14 Feb is a make-up working day (1), 15–23 Feb are holidays, 24–27 Feb
    // (2–5), Sat 28 Feb make-up (6), 2–5 Mar (7–10).
    expect(answerDue(cal, '2026-02-13', P)).toBe('2026-03-05');
    // Without the holiday table the same span would end a week and a half earlier.
    expect(createCalendar({}).addWorkingDays('2026-02-13', 10)).toBe('2026-02-27');
  });

  it('counts the 3-day decision clock across National Day 2026 and its make-up Saturday', () => {
    // Received Wed 30 Sep: 1–7 Oct holidays, Thu 8 (1), Fri 9 (2), Sat 10 Oct make-up (3).
    const due = decideDue(cal, '2026-09-30', P);
    expect(due).toBe('2026-10-10');
    // One extension of 3 working days: Sun 11 is a rest day, 12–14 Oct.
    expect(extendedDue(cal, due, P)).toBe('2026-10-14');
  });

  it('counts a make-up Saturday outside a holiday block (9 May 2026) and skips plain weekends', () => {
    expect(decideDue(cal, '2026-05-08', P)).toBe('2026-05-12');
    expect(decideDue(cal, '2026-06-05', P)).toBe('2026-06-10');
  });

  it('honours administrator overrides (a local holiday)', () => {
    const local = createCalendar(undefined, [{ date: '2026-06-09', kind: 'holiday', name: '地方假日' }]);
    expect(decideDue(local, '2026-06-05', P)).toBe('2026-06-11');
  });

  it('never counts the start day, even when it is a working day', () => {
    expect(answerDue(cal, '2026-06-01', { forwardDays: 1 })).toBe('2026-06-02');
    expect(objectionDue(cal, '2026-06-01', { objectionDays: 10 })).toBe('2026-06-15');
  });

  it('is in time on the deadline day and overdue the day after, by working days late', () => {
    expect(isOverdue('2026-03-05', '2026-03-05')).toBe(false);
    expect(isOverdue('2026-03-05', '2026-03-06')).toBe(true);
    expect(isOverdue(null, '2030-01-01')).toBe(false);
    expect(workingDaysLate(cal, '2026-03-05', '2026-03-09')).toBe(2);
    expect(workingDaysLate(cal, '2026-03-05', '2026-03-05')).toBe(0);
  });

  it('says who acts next and allows only the steps of each stage', () => {
    expect(pendingStep({ status: 'submitted', answerDue: '2026-03-05', decideDue: null })).toEqual({
      stage: 'forward',
      due: '2026-03-05',
    });
    expect(pendingStep({ status: 'forwarded', answerDue: '2026-03-05', decideDue: '2026-03-02' })).toEqual({
      stage: 'decide',
      due: '2026-03-02',
    });
    expect(pendingStep({ status: 'granted', answerDue: '2026-03-05', decideDue: '2026-03-02' })).toBeNull();
    expect(canAct('draft', 'submit')).toBe(true);
    expect(canAct('submitted', 'decide')).toBe(false);
    expect(canAct('forwarded', 'decide')).toBe(true);
    expect(canAct('granted', 'withdraw')).toBe(false);
  });
});

function rec(over: Partial<RecordFacts>): RecordFacts {
  return {
    itemCode: 'XZCF',
    periodRule: { kind: 'severity' },
    severity: 'GENERAL',
    decisionDate: '2026-01-31',
    windowFrom: '2026-01-31',
    windowUntil: '2027-01-31',
    stopKind: null,
    payload: { CF_CFLB: ['罚款'] },
    ...over,
  };
}

describe('eligibility by severity (minimum periods of 国办发〔2025〕22号)', () => {
  it('GENERAL: from decision + 3 months (month-end clamped), not a day earlier', () => {
    const r = rec({});
    expect(recordEligibility(r, '2026-04-29', P)).toMatchObject({
      eligible: false,
      code: 'NOT_YET',
      from: '2026-04-30',
    });
    expect(recordEligibility(r, '2026-04-30', P)).toMatchObject({ eligible: true, from: '2026-04-30' });
  });

  it('SERIOUS: from decision + 12 months; a leap day anchors to 28 Feb', () => {
    const r = rec({
      severity: 'SERIOUS',
      decisionDate: '2024-02-29',
      windowFrom: '2024-02-29',
      windowUntil: '2027-02-28',
    });
    const e = recordEligibility(r, '2025-02-27', P);
    expect(e).toMatchObject({ eligible: false, code: 'NOT_YET', from: '2025-02-28' });
    expect(e.message.zh).toContain('2025-02-28');
    expect(recordEligibility(r, '2025-02-28', P).eligible).toBe(true);
  });

  it('MINOR: not published by default, so nothing to repair; when published on request, at once', () => {
    const unpublished = rec({ severity: 'MINOR', windowUntil: '2026-01-31' });
    expect(recordEligibility(unpublished, '2026-02-01', P)).toMatchObject({
      eligible: false,
      code: 'NOT_DISCLOSED',
      state: 'unpublished',
    });
    const published = rec({ severity: 'MINOR', windowUntil: '2026-04-30' });
    expect(recordEligibility(published, '2026-01-31', P)).toMatchObject({
      eligible: true,
      from: '2026-01-31',
    });
  });

  it('follows the configured period policy (a regime change is a data change)', () => {
    const policy = {
      ...P,
      periods: {
        ...DEFAULT_PERIOD_POLICY,
        classes: {
          ...DEFAULT_PERIOD_POLICY.classes,
          GENERAL: { publish: true, minMonths: 6, maxMonths: 12 },
        },
      },
    };
    expect(recordEligibility(rec({}), '2026-04-30', policy)).toMatchObject({
      code: 'NOT_YET',
      from: '2026-07-31',
    });
  });

  it('refuses non-repairable information with the rule and its basis', () => {
    const heavy = rec({
      severity: 'SERIOUS',
      payload: { CF_CFLB: ['罚款', '吊销执照'] },
      decisionDate: '2024-01-01',
      windowFrom: '2024-01-01',
      windowUntil: '2027-01-01',
    });
    const e = recordEligibility(heavy, '2026-06-01', P);
    expect(e).toMatchObject({ eligible: false, code: 'NON_REPAIRABLE', rule: 'SAMR45-HEAVY' });
    const byItem = {
      ...P,
      nonRepairableItems: [{ id: 'X', itemCodes: ['XZCF'], basis: { zh: '法律规定', en: 'By law' } }],
    };
    expect(recordEligibility(rec({}), '2026-06-01', byItem)).toMatchObject({
      code: 'NON_REPAIRABLE',
      rule: 'X',
    });
    const licence = rec({
      itemCode: 'XZXK',
      periodRule: { kind: 'validity' },
      severity: null,
      windowUntil: null,
    });
    expect(recordEligibility(licence, '2026-06-01', P)).toMatchObject({
      code: 'NON_REPAIRABLE',
      rule: 'PERIOD_RULE',
    });
  });

  it('SAMR Order 45 Art. 14: an order to close (责令关闭) is as heavy as suspension, never stopped early', () => {
    // 行政处罚法 2021 Art. 9 groups 责令关闭 with 责令停产停业 and 限制从业; SAMR's 较重行政处罚 include it.
    const closed = rec({
      severity: 'SERIOUS',
      payload: { CF_CFLB: ['罚款', '责令关闭'] },
      decisionDate: '2024-01-01',
      windowFrom: '2024-01-01',
      windowUntil: '2027-01-01',
    });
    expect(recordEligibility(closed, '2026-06-01', P)).toMatchObject({
      eligible: false,
      code: 'NON_REPAIRABLE',
      rule: 'SAMR45-HEAVY',
    });
    // A SERIOUS penalty without a heavy type is repairable after its 12 months.
    expect(recordEligibility({ ...closed, payload: { CF_CFLB: ['罚款'] } }, '2026-06-01', P)).toMatchObject({
      eligible: true,
      from: '2025-01-01',
    });
  });

  it('has nothing to repair once a record expired, was repaired or withdrawn', () => {
    expect(recordEligibility(rec({}), '2027-01-31', P)).toMatchObject({
      code: 'NOT_DISCLOSED',
      state: 'expired',
    });
    expect(recordEligibility(rec({ stopKind: 'repaired' }), '2026-06-01', P)).toMatchObject({
      code: 'NOT_DISCLOSED',
      state: 'repaired',
    });
    expect(recordState(rec({ stopKind: 'withdrawn' }), '2026-06-01')).toBe('withdrawn');
    expect(recordState(rec({}), '2026-06-01')).toBe('disclosed');
  });

  it('list entries: by the list’s early-exit rule and minimum time', () => {
    const base = { listKind: 'serious_dishonesty', effectiveFrom: '2026-03-03', status: 'active' };
    expect(entryEligibility({ ...base, earlyExit: { minMonths: 12 } }, '2026-06-01')).toMatchObject({
      code: 'NOT_YET',
      from: '2027-03-03',
    });
    expect(entryEligibility({ ...base, earlyExit: { minMonths: 0 } }, '2026-06-01')).toMatchObject({
      eligible: true,
    });
    expect(entryEligibility({ ...base, earlyExit: null }, '2026-06-01')).toMatchObject({
      code: 'NON_REPAIRABLE',
      rule: 'LIST_NO_EARLY_EXIT',
    });
    expect(
      entryEligibility({ ...base, listKind: 'red', earlyExit: { minMonths: 0 } }, '2026-06-01'),
    ).toMatchObject({ code: 'NON_REPAIRABLE' });
    expect(
      entryEligibility({ ...base, status: 'ended', earlyExit: { minMonths: 0 } }, '2026-06-01'),
    ).toMatchObject({ code: 'NOT_DISCLOSED' });
  });
});

describe('materials', () => {
  const bytes = (...b: number[]) => new Uint8Array([...b, 0, 0, 0, 0, 0, 0, 0, 0]);
  it('accepts PDF, JPEG and PNG by their magic bytes, whatever the name says', () => {
    expect(sniffEvidence(new TextEncoder().encode('%PDF-1.7\n'), 'a.pdf')).toMatchObject({
      ok: true,
      mediaType: 'application/pdf',
    });
    expect(sniffEvidence(bytes(0xff, 0xd8, 0xff, 0xe0), 'photo.png')).toMatchObject({
      ok: true,
      mediaType: 'image/jpeg',
    });
    expect(sniffEvidence(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'scan')).toMatchObject({
      ok: true,
      ext: 'png',
    });
  });
  it('refuses executables by content or name, and anything else as a type not allowed', () => {
    expect(sniffEvidence(bytes(0x4d, 0x5a, 0x90), 'receipt.pdf')).toMatchObject({
      ok: false,
      code: 'EXECUTABLE',
      kind: 'PE/MZ',
    });
    expect(sniffEvidence(bytes(0x7f, 0x45, 0x4c, 0x46), 'x')).toMatchObject({
      code: 'EXECUTABLE',
      kind: 'ELF',
    });
    expect(sniffEvidence(new TextEncoder().encode('#!/bin/sh\nrm -rf /'), 'a.txt')).toMatchObject({
      code: 'EXECUTABLE',
    });
    expect(sniffEvidence(new TextEncoder().encode('%PDF-1.7\n'), 'invoice.pdf.exe')).toMatchObject({
      code: 'EXECUTABLE',
    });
    expect(sniffEvidence(new TextEncoder().encode('PK\u0003\u0004zip'), 'a.docx')).toMatchObject({
      code: 'TYPE_NOT_ALLOWED',
    });
  });

  it('generates the commitment letter from the template', () => {
    const text = commitmentText({
      subjectName: '重庆鸿药医药有限公司',
      subjectCode: '91500103MA5U00000X',
      target: '行政处罚 渝中市监罚〔2026〕1号（2026-03-10）',
      date: '2026-06-01',
    });
    expect(text).toContain('承诺主体：重庆鸿药医药有限公司');
    expect(text).toContain('渝中市监罚〔2026〕1号');
    expect(text).toContain('2026年6月1日');
    expect(text).toContain('免费');
    expect(
      commitmentText({
        subjectName: 'a',
        subjectCode: 'b',
        target: 'c',
        date: '2026-06-01',
        agentName: '李律师',
      }),
    ).toContain('受托代理人：李律师');
  });

  it('makes 80-bit query codes and reads them back forgivingly', () => {
    const code = formatQueryCode(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(code).toMatch(/^XY-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(code).not.toMatch(/[ILOU]/);
    expect(normaliseQueryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(normaliseQueryCode('XY-0000-0000-0000-000')).toBeNull();
    expect(formatQueryCode(new Uint8Array(10).fill(255))).toBe('XY-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  });

  it('checks an administrator’s policy', () => {
    expect(checkRepairPolicy(P)).toEqual([]);
    expect(
      checkRepairPolicy({
        ...P,
        decideDays: 0,
        nonRepairableItems: [{ id: '', itemCodes: [], basis: { zh: '', en: '' } }],
      }).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('refuses a policy whose period classes are missing or inconsistent (they decide eligibility)', () => {
    const broken = (periods: unknown) => checkRepairPolicy({ ...P, periods: periods as typeof P.periods });
    expect(broken({})).toEqual(['periods.classes is required (MINOR, GENERAL, SERIOUS)']);
    expect(broken(null)).toEqual(['periods must be a period policy object (id, label, classes)']);
    expect(broken(12)).toEqual(['periods must be a period policy object (id, label, classes)']);
    expect(
      broken({
        ...DEFAULT_PERIOD_POLICY,
        classes: {
          ...DEFAULT_PERIOD_POLICY.classes,
          GENERAL: { publish: true, minMonths: 13, maxMonths: 12 },
          SERIOUS: undefined,
        },
      }),
    ).toEqual(['periods: GENERAL: minMonths exceeds maxMonths', 'periods: SERIOUS: missing']);
    // What such a policy would do to every eligibility check: it must never be stored.
    expect(() =>
      recordEligibility(rec({}), '2026-06-01', { ...P, periods: {} as typeof P.periods }),
    ).toThrow();
  });
});
