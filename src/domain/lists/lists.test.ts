import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar';
import { LEGAL_BASIS_RANKS, rankAtLeast } from '../catalog';
import {
  checkListType,
  decisionBlock,
  earliestExit,
  endBlock,
  entryPeriod,
  entryStatusAt,
  factsAllUsed,
  factsKey,
  partyRoleFits,
  isEntryActiveAt,
  parseListType,
  stageAt,
  statementBlock,
  statementDeadline,
  statementStart,
  type EntryDates,
  type ListTypeInput,
} from '.';

function serious(over: Partial<ListTypeInput> = {}): ListTypeInput {
  return {
    code: 'TEST_SERIOUS',
    nameZh: '测试严重失信名单',
    nameEn: 'Test serious list',
    domain: '测试',
    kind: 'serious_dishonesty',
    authority: { zh: '某部门', en: 'A department' },
    legalBasis: [{ instrument: '某法', article: '第一条', rank: 'law' }],
    conditions: {
      entry: { zh: '列入条件', en: 'Entry conditions' },
      exit: { zh: '退出条件', en: 'Exit conditions' },
      publishedIn: '某部门规章',
    },
    period: { kind: 'fixed', months: 36 },
    earlyExit: { conditions: { zh: '提前退出条件', en: 'Early-exit conditions' }, minMonths: 12 },
    public: true,
    statementDays: 10,
    ...over,
  };
}

const codes = (i: ListTypeInput) => checkListType(i).map((p) => p.code);

describe('list type gate', () => {
  it.each(LEGAL_BASIS_RANKS.map((r) => r.code))('a serious-dishonesty list on a basis of rank %s', (rank) => {
    const problems = codes(serious({ legalBasis: [{ instrument: '依据', rank }] }));
    if (rankAtLeast(rank, 'central_policy')) expect(problems).toEqual([]);
    else expect(problems).toEqual(['LEGAL_BASIS_RANK_TOO_LOW']);
  });

  it('accepts any rank for other kinds (their basis is still required)', () => {
    const red = serious({
      kind: 'red',
      legalBasis: [{ instrument: '规范性文件', rank: 'normative_document' }],
    });
    expect(codes(red)).toEqual([]);
    expect(codes({ ...red, legalBasis: [] })).toEqual(['LEGAL_BASIS_REQUIRED']);
  });

  it('refuses a serious list without published entry and exit conditions, naming what is missing', () => {
    const noExit = checkListType(
      serious({
        conditions: { entry: { zh: '列入', en: 'Entry' }, exit: { zh: '', en: '' }, publishedIn: 'x' },
      }),
    );
    expect(noExit.map((p) => p.code)).toEqual(['CONDITIONS_REQUIRED']);
    expect(noExit[0]?.field).toBe('conditions.exit');
    expect(noExit[0]?.message.zh).toContain('退出条件');
    expect(noExit[0]?.message.en).toContain('exit conditions');
    const unpublished = checkListType(
      serious({ conditions: { entry: { zh: '列入', en: 'Entry' }, exit: { zh: '退出', en: 'Exit' } } }),
    );
    expect(unpublished[0]?.field).toBe('conditions.publishedIn');
    // A draft may wait for its conditions (nothing can be listed on it).
    expect(codes(serious({ status: 'draft', conditions: undefined }))).toEqual([]);
  });

  it('checks periods, early exit and the statement period', () => {
    expect(codes(serious({ period: { kind: 'fixed', months: 0 } }))).toEqual(['PERIOD_INVALID']);
    expect(codes(serious({ period: { kind: 'fixed', months: 24, maxMonths: 12 } }))).toEqual([
      'PERIOD_INVALID',
    ]);
    expect(codes(serious({ period: { kind: 'indefinite' } }))).toEqual(['PERIOD_INVALID']);
    expect(codes(serious({ period: { kind: 'until_performed' } }))).toEqual([]);
    expect(codes(serious({ period: { kind: 'forever' } }))).toEqual(['PERIOD_INVALID']);
    expect(codes(serious({ earlyExit: { conditions: { zh: 'x', en: '' }, minMonths: 12 } }))).toEqual([
      'EARLY_EXIT_INVALID',
    ]);
    expect(codes(serious({ statementDays: 0 }))).toEqual(['STATEMENT_DAYS_INVALID']);
    expect(codes(serious({ code: 'bad code', kind: 'nope' }))).toEqual(['CODE_INVALID', 'KIND_INVALID']);
  });

  it('normalises a valid definition with defaults', () => {
    const r = parseListType(serious({ statementDays: undefined, public: undefined, earlyExit: null }));
    expect(r.ok && r.value).toMatchObject({
      statementDays: 10,
      public: true,
      earlyExit: null,
      status: 'active',
    });
  });
});

describe('listing procedure', () => {
  const cal = createCalendar();

  it('counts the statement period in working days across National Day 2026', () => {
    // Notified Monday 28 Sep: 29, 30 Sep; 1–7 Oct holiday; 8, 9, 10 (make-up Saturday), 12–16 Oct.
    expect(statementDeadline(cal, '2026-09-28', 10)).toBe('2026-10-16');
    // Spring Festival 2026: notified Friday 13 Feb; 14 Feb is a make-up working day, 15–23 Feb off.
    expect(statementDeadline(cal, '2026-02-13', 3)).toBe('2026-02-25');
  });

  it('takes a statement only within the period and only once', () => {
    const s = {
      stage: 'notified' as const,
      statementDeadline: '2026-10-16',
      statementAt: null,
      waivedAt: null,
    };
    expect(statementBlock(s, '2026-10-16')).toBeNull();
    expect(statementBlock(s, '2026-10-17')).toEqual({
      code: 'STATEMENT_PERIOD_OVER',
      deadline: '2026-10-16',
    });
    expect(statementBlock({ ...s, statementAt: new Date() }, '2026-10-01')?.code).toBe(
      'STATEMENT_ALREADY_MADE',
    );
    expect(statementBlock({ ...s, stage: 'proposed' }, '2026-10-01')?.code).toBe('WRONG_STAGE');
  });

  it('refuses a decision before the statement period ends unless the subject has stated or waived', () => {
    const s = {
      stage: 'notified' as const,
      statementDeadline: '2026-10-16',
      statementAt: null,
      waivedAt: null,
    };
    expect(decisionBlock(s, '2026-10-16')).toEqual({ code: 'STATEMENT_PERIOD_OPEN', deadline: '2026-10-16' });
    expect(decisionBlock(s, '2026-10-17')).toBeNull();
    expect(decisionBlock({ ...s, statementAt: new Date() }, '2026-10-01')).toBeNull();
    expect(decisionBlock({ ...s, waivedAt: new Date() }, '2026-09-29')).toBeNull();
    expect(decisionBlock({ ...s, stage: 'proposed' }, '2026-12-01')?.code).toBe('WRONG_STAGE');
  });

  it('computes periods: fixed (with a longer period up to the maximum), until performed, indefinite', () => {
    expect(entryPeriod({ kind: 'fixed', months: 36 }, '2024-02-29')).toMatchObject({ until: '2027-02-28' });
    expect(entryPeriod({ kind: 'fixed', months: 24, maxMonths: 60 }, '2026-01-10', 48)?.until).toBe(
      '2030-01-10',
    );
    expect(entryPeriod({ kind: 'fixed', months: 24, maxMonths: 60 }, '2026-01-10', 61)).toBeNull();
    expect(entryPeriod({ kind: 'fixed', months: 24 }, '2026-01-10', 12)).toBeNull();
    expect(entryPeriod({ kind: 'until_performed' }, '2026-01-10')).toMatchObject({
      until: null,
      months: null,
    });
    expect(entryPeriod({ kind: 'until_performed', maxMonths: 36 }, '2026-01-10')?.until).toBe('2029-01-10');
    expect(entryPeriod({ kind: 'indefinite', reviewMonths: 12 }, '2026-01-10')).toMatchObject({
      until: null,
      reviewOn: '2027-01-10',
    });
  });
});

describe('an entry on the list', () => {
  const e: EntryDates = {
    stage: 'listed',
    decidedAt: new Date('2026-03-02T06:00:00Z'), // 14:00 China time
    effectiveFrom: '2026-03-02',
    effectiveUntil: '2029-03-02',
    endedAt: null,
  };

  it('is active by its dates, not by a flag', () => {
    expect(isEntryActiveAt(e, new Date('2026-03-02T05:59:59Z'))).toBe(false); // decided later that day
    expect(isEntryActiveAt(e, new Date('2026-03-02T06:00:00Z'))).toBe(true);
    expect(isEntryActiveAt(e, new Date('2029-03-01T15:59:59Z'))).toBe(true); // 23:59:59 on 1 Mar
    expect(isEntryActiveAt(e, new Date('2029-03-01T16:00:00Z'))).toBe(false); // 00:00 on 2 Mar
    expect(entryStatusAt(e, new Date('2030-01-01T00:00:00Z'))).toBe('expired');
    const ended = { ...e, endedAt: new Date('2027-05-01T00:00:00Z') };
    expect(isEntryActiveAt(ended, new Date('2027-04-30T00:00:00Z'))).toBe(true);
    expect(entryStatusAt(ended, new Date('2027-05-01T00:00:00Z'))).toBe('ended');
    expect(isEntryActiveAt({ ...e, stage: 'notified' }, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('allows early exit and repair only after the minimum time, other grounds at any time', () => {
    const list = { earlyExit: { conditions: { zh: 'x', en: 'x' }, minMonths: 12 } };
    expect(earliestExit(list, '2026-03-02')).toBe('2027-03-02');
    const soon = new Date('2026-09-01T00:00:00Z');
    expect(endBlock(list, e, 'early_exit', soon)).toEqual({
      code: 'EARLY_EXIT_TOO_SOON',
      earliest: '2027-03-02',
    });
    expect(endBlock(list, e, 'repair', soon)?.code).toBe('EARLY_EXIT_TOO_SOON');
    expect(endBlock(list, e, 'early_exit', new Date('2027-03-02T00:00:00+08:00'))).toBeNull();
    expect(endBlock(list, e, 'court', soon)).toBeNull();
    expect(endBlock({ earlyExit: null }, e, 'early_exit', soon)?.code).toBe('EARLY_EXIT_NOT_ALLOWED');
    expect(endBlock(list, e, 'other', new Date('2030-01-01T00:00:00Z'))?.code).toBe('NOT_ACTIVE');
  });

  it('keys supporting facts so the same facts are recognised', () => {
    expect(factsKey([{ recordId: 7 }, { docNo: '渝 罚〔2026〕1号' }, { recordId: 7 }])).toEqual([
      'doc:渝罚〔2026〕1号',
      'record:7',
    ]);
  });

  it('keys a cited record under its document number too, so citing either form is the same facts', () => {
    const byRecord = factsKey([{ recordId: 7, docNo: '渝罚〔2026〕1号' }]);
    expect(byRecord).toEqual(['doc:渝罚〔2026〕1号', 'record:7']);
    expect(factsKey([{ docNo: '渝 罚〔2026〕1号' }]).some((k) => byRecord.includes(k))).toBe(true);
    // Nothing new: every fact cited (in either form) was already used; one new document is new.
    expect(factsAllUsed([{ docNo: '渝罚〔2026〕1号' }], byRecord)).toBe(true);
    expect(factsAllUsed([{ recordId: 8, docNo: '渝罚〔2026〕1号' }], ['doc:渝罚〔2026〕1号'])).toBe(true);
    expect(factsAllUsed([{ recordId: 7 }, { docNo: '新文书' }], byRecord)).toBe(false);
  });

  it('counts the statement period from the later of service and recording', () => {
    expect(statementStart('2026-09-01', '2026-09-28')).toBe('2026-09-28');
    expect(statementStart('2026-09-28', '2026-09-28')).toBe('2026-09-28');
  });

  it('replays the stage an entry had at a past instant from its steps', () => {
    const steps = [
      { step: 'proposed', at: new Date('2026-09-25T02:00:00Z'), data: {} },
      { step: 'notified', at: new Date('2026-09-28T02:00:00Z'), data: {} },
      { step: 'statement', at: new Date('2026-09-29T02:00:00Z'), data: {} },
      { step: 'decided', at: new Date('2026-10-19T02:00:00Z'), data: { outcome: 'list' } },
      { step: 'ended', at: new Date('2026-12-01T02:00:00Z'), data: {} },
    ];
    expect(stageAt(steps, new Date('2026-09-24T00:00:00Z'))).toBeNull();
    expect(stageAt(steps, new Date('2026-10-01T00:00:00Z'))).toBe('notified');
    expect(stageAt(steps, new Date('2026-10-19T02:00:00Z'))).toBe('listed');
    const refused = [steps[0], steps[1], { ...steps[3], data: { outcome: 'not_list' } }];
    expect(stageAt(refused as typeof steps, new Date('2027-01-01T00:00:00Z'))).toBe('not_listed');
  });
});

describe('related parties', () => {
  it('takes people as representatives and responsible persons, organisations as affiliates', () => {
    expect(partyRoleFits('legal_representative', 'NATURAL_PERSON')).toBe(true);
    expect(partyRoleFits('legal_representative', 'ENTERPRISE')).toBe(false);
    expect(partyRoleFits('directly_responsible', 'INDIVIDUAL_BUSINESS')).toBe(false);
    expect(partyRoleFits('affiliate', 'ENTERPRISE')).toBe(true);
    expect(partyRoleFits('affiliate', 'NATURAL_PERSON')).toBe(false);
    expect(partyRoleFits('actual_controller', 'NATURAL_PERSON')).toBe(true);
    expect(partyRoleFits('actual_controller', 'ENTERPRISE')).toBe(true);
    expect(partyRoleFits('successor', 'ENTERPRISE')).toBe(true);
  });
});
