import { describe, expect, it } from 'vitest';
import { LEGAL_BASIS_RANKS, rankAtLeast, type LegalBasisRank } from '../catalog';
import {
  checkMeasure,
  evaluateCheck,
  isClean,
  parseMeasure,
  recordTriggerItems,
  SCENARIOS,
  type EntryFact,
  type MeasureDefinition,
  type MeasureGateContext,
  type MeasureInput,
  type PartyEntryFact,
  type RecordFact,
} from '.';

const ctx: MeasureGateContext = {
  scenarios: new Set(SCENARIOS.map((s) => s.code)),
  listTypes: new Map([
    ['COURT', { kind: 'serious_dishonesty', status: 'active' }],
    ['RED', { kind: 'red', status: 'active' }],
    ['NEW_DOMAIN', { kind: 'serious_dishonesty', status: 'draft' }],
  ]),
  catalogItems: new Map([
    ['XZCF', { categoryCode: 'ADM', severityRule: 'derived' }],
    ['XZXK', { categoryCode: 'ADM', severityRule: 'none' }],
    ['HTLY', { categoryCode: 'CONTRACT', severityRule: 'derived' }],
    ['SXBZXR', { categoryCode: 'SERIOUS', severityRule: 'none' }],
    [
      'CXRY',
      {
        categoryCode: 'HONOR',
        categoryName: { zh: '诚实守信相关荣誉信息', en: 'Honours for trustworthiness' },
        severityRule: 'none',
      },
    ],
  ]),
};

function measure(over: Partial<MeasureInput> = {}): MeasureInput {
  return {
    code: 'M_TEST',
    nameZh: '限制申请政府资金',
    nameEn: 'Restrict government funds',
    content: { zh: '依法限制', en: 'Restricted by law' },
    kind: 'restriction',
    class: 1,
    legalBasis: [{ instrument: '某法', article: '第一条', rank: 'law' }],
    triggers: [{ kind: 'list', listType: 'COURT' }],
    scenarios: ['GOV_FUNDS'],
    implementingBodies: ['财政部门'],
    ...over,
  };
}

const codes = (i: MeasureInput) => checkMeasure(i, ctx).map((p) => p.code);

describe('the legal-basis gate, rank × class', () => {
  const ranks = LEGAL_BASIS_RANKS.map((r) => r.code);
  const expected = (rank: LegalBasisRank, cls: 1 | 2 | 3): boolean => {
    if (cls === 1) return rankAtLeast(rank, 'local_regulation');
    if (cls === 2) return rankAtLeast(rank, 'central_policy');
    return true;
  };
  for (const cls of [1, 2, 3] as const)
    for (const rank of ranks)
      it(`restriction class ${cls} on a basis of rank ${rank}: ${expected(rank, cls) ? 'accepted' : 'refused'}`, () => {
        const problems = codes(measure({ class: cls, legalBasis: [{ instrument: '依据', rank }] }));
        expect(problems).toEqual(expected(rank, cls) ? [] : ['LEGAL_BASIS_RANK_TOO_LOW']);
      });

  it('names the required rank in the message (class 1 excludes central policy documents)', () => {
    const [p] = checkMeasure(
      measure({ legalBasis: [{ instrument: '国务院文件', rank: 'central_policy' }] }),
      ctx,
    );
    expect(p?.message.zh).toContain('法律、行政法规或地方性法规');
    expect(p?.message.en).toContain('local regulation');
  });

  it('takes the strongest of several bases', () => {
    const bases = [
      { instrument: '规范性文件', rank: 'normative_document' },
      { instrument: '地方性法规', rank: 'local_regulation' },
    ];
    expect(codes(measure({ legalBasis: bases }))).toEqual([]);
  });

  it('accepts incentives of class 2 and 3 on any basis, never class 1', () => {
    const inc = measure({
      kind: 'incentive',
      class: 2,
      legalBasis: [{ instrument: '规范性文件', rank: 'normative_document' }],
      triggers: [{ kind: 'clean_record' }],
      scenarios: ['ADMIN_APPROVAL'],
    });
    expect(codes(inc)).toEqual([]);
    expect(codes({ ...inc, class: 3 })).toEqual([]);
    expect(codes({ ...inc, class: 1 })).toContain('INCENTIVE_CLASS_1');
  });

  it('refuses a class-2 or class-3 measure marked as reducing rights', () => {
    expect(codes(measure({ class: 2, reducesRights: true }))).toEqual(['REDUCES_RIGHTS_NOT_CLASS_1']);
    expect(codes(measure({ class: 3, reducesRights: true }))).toEqual(['REDUCES_RIGHTS_NOT_CLASS_1']);
    expect(codes(measure({ class: 1, reducesRights: false }))).toEqual(['CLASS_1_MUST_REDUCE_RIGHTS']);
    const parsed = parseMeasure(measure({ class: 1 }), ctx);
    expect(parsed.ok && parsed.value.reducesRights).toBe(true);
  });
});

describe('the trigger gate', () => {
  it('refuses a measure without a trigger on a list or record established by a legal document', () => {
    expect(codes(measure({ triggers: [] }))).toEqual(['TRIGGER_REQUIRED']);
    expect(codes(measure({ triggers: [{ kind: 'evaluation_grade', model: 'M', grades: ['D'] }] }))).toEqual([
      'TRIGGER_REQUIRED',
    ]);
    expect(codes(measure({ triggers: [{ kind: 'list', listType: 'NOPE' }] }))).toEqual([
      'TRIGGER_UNKNOWN_LIST',
    ]);
    expect(codes(measure({ triggers: [{ kind: 'list', listType: 'NEW_DOMAIN' }] }))).toEqual([
      'TRIGGER_LIST_NOT_ESTABLISHED',
    ]);
    expect(
      codes(measure({ triggers: [{ kind: 'record', itemCode: 'NOPE', minSeverity: 'SERIOUS' }] })),
    ).toEqual(['TRIGGER_UNKNOWN_ITEM']);
    expect(codes(measure({ triggers: [{ kind: 'record', itemCode: 'XZCF', minSeverity: 'HUGE' }] }))).toEqual(
      ['TRIGGER_INVALID'],
    );
    expect(
      codes(measure({ triggers: [{ kind: 'record', itemCode: 'XZCF', minSeverity: 'SERIOUS' }] })),
    ).toEqual([]);
    expect(codes(measure({ triggers: [{ kind: 'record', itemCode: 'XZCF' }] }))).toEqual([]);
  });

  it('keeps restrictions off red lists and clean records, incentives off dishonesty lists', () => {
    expect(codes(measure({ triggers: [{ kind: 'list', listType: 'RED' }] }))).toEqual([
      'TRIGGER_KIND_MISMATCH',
    ]);
    expect(codes(measure({ triggers: [{ kind: 'clean_record' }] }))).toContain('TRIGGER_KIND_MISMATCH');
    const inc = measure({ kind: 'incentive', class: 2, triggers: [{ kind: 'list', listType: 'COURT' }] });
    expect(codes(inc)).toEqual(['TRIGGER_KIND_MISMATCH']);
  });

  it('refuses a restriction on an item that records no dishonesty, an incentive on one that does', () => {
    const record = (itemCode: string) => ({ triggers: [{ kind: 'record', itemCode }] });
    const honours = checkMeasure(measure(record('CXRY')), ctx);
    expect(honours.map((p) => [p.code, p.field])).toEqual([
      ['TRIGGER_ITEM_MISMATCH', 'triggers[0].itemCode'],
    ]);
    expect(honours[0]?.message.zh).toContain('CXRY（“诚实守信相关荣誉信息（HONOR）”类）');
    expect(honours[0]?.message.en).toContain(
      'Catalogue item CXRY (category "Honours for trustworthiness (HONOR)")',
    );
    expect(codes(measure(record('XZXK')))).toEqual(['TRIGGER_ITEM_MISMATCH']); // a licence
    // Penalties, contracts not performed (graded by severity) and serious lists may trigger restrictions.
    for (const item of ['XZCF', 'HTLY', 'SXBZXR']) expect(codes(measure(record(item)))).toEqual([]);
    const incentive = (itemCode: string) =>
      checkMeasure(measure({ kind: 'incentive', class: 2, ...record(itemCode) }), ctx);
    expect(incentive('CXRY')).toEqual([]);
    const penalty = incentive('XZCF');
    expect(penalty.map((p) => p.code)).toEqual(['TRIGGER_ITEM_MISMATCH']);
    expect(penalty[0]?.message.zh).toContain('XZCF（“ADM（ADM）”类）记载失信或处罚信息，不能触发激励措施');
    expect(incentive('HTLY').map((p) => p.code)).toEqual(['TRIGGER_ITEM_MISMATCH']);
  });

  it('checks scenarios, subject types, bodies and the lift rule', () => {
    expect(codes(measure({ scenarios: [] }))).toEqual(['SCENARIO_REQUIRED']);
    expect(codes(measure({ scenarios: ['GOV_FUNDS', 'MOON_LANDING'] }))).toEqual(['SCENARIO_UNKNOWN']);
    expect(codes(measure({ subjectTypes: ['ALIEN'] }))).toEqual(['SUBJECT_TYPE_INVALID']);
    expect(codes(measure({ implementingBodies: [' '] }))).toEqual(['IMPLEMENTING_BODY_REQUIRED']);
    expect(codes(measure({ lift: { kind: 'within_months', months: 0 } }))).toEqual(['LIFT_INVALID']);
  });
});

describe('evaluateCheck', () => {
  const inventory: MeasureDefinition[] = [
    measure({ code: 'R1' }),
    measure({
      code: 'R2',
      class: 2,
      legalBasis: [{ instrument: '国务院文件', rank: 'central_policy' }],
      triggers: [{ kind: 'record', itemCode: 'XZCF', minSeverity: 'GENERAL' }],
    }),
    measure({ code: 'R3', lift: { kind: 'within_months', months: 12 } }),
    measure({ code: 'R4', scenarios: ['AWARDS'] }),
    measure({ code: 'R5', subjectTypes: ['NATURAL_PERSON'] }),
    measure({
      code: 'I1',
      kind: 'incentive',
      class: 2,
      triggers: [{ kind: 'clean_record' }, { kind: 'list', listType: 'RED' }],
    }),
  ].map((m) => {
    const r = parseMeasure(m, ctx);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.value;
  });

  const entry: EntryFact = {
    kind: 'list_entry',
    entryId: 1,
    listType: 'COURT',
    listKind: 'serious_dishonesty',
    listName: { zh: '失信被执行人', en: 'Dishonest judgment debtors' },
    decisionNo: '（2026）渝01执1号',
    decidedOn: '2026-01-10',
    effectiveFrom: '2026-01-10',
    effectiveUntil: '2028-01-10',
    departmentId: 1,
  };
  const general: RecordFact = {
    kind: 'record',
    recordId: 9,
    itemCode: 'XZCF',
    categoryCode: 'ADM',
    severity: 'GENERAL',
    docNo: '罚1',
    decisionDate: '2026-02-01',
    disclosedFrom: '2026-02-01',
    disclosedUntil: '2027-02-01',
    departmentId: 2,
  };

  it('allows a subject with no facts and gives it the clean-record incentive', () => {
    const r = evaluateCheck(
      inventory,
      'GOV_FUNDS',
      { subjectType: 'ENTERPRISE', entries: [], records: [] },
      '2026-06-01',
    );
    expect(r).toMatchObject({ outcome: 'allow', clean: true });
    expect(r.measures.map((m) => m.code)).toEqual(['I1']);
    expect(r.measures[0]?.triggers).toEqual([{ kind: 'clean_record', appliesUntil: null }]);
  });

  it('restricts on a class-1 measure, with the triggering entry and when it lifts; withholds incentives', () => {
    const r = evaluateCheck(
      inventory,
      'GOV_FUNDS',
      { subjectType: 'ENTERPRISE', entries: [entry], records: [] },
      '2026-06-01',
    );
    expect(r.outcome).toBe('restrict');
    expect(r.clean).toBe(false);
    expect(r.measures.map((m) => [m.code, m.effect, m.appliesUntil])).toEqual([
      ['R1', 'restrict', '2028-01-10'],
      ['R3', 'restrict', '2027-01-10'],
    ]);
    expect(r.measures[0]?.triggers[0]).toMatchObject({
      kind: 'list_entry',
      entryId: 1,
      decisionNo: '（2026）渝01执1号',
    });
    // 12 months after the decision the within_months measure has lifted.
    const later = evaluateCheck(
      inventory,
      'GOV_FUNDS',
      { subjectType: 'ENTERPRISE', entries: [entry], records: [] },
      '2027-01-10',
    );
    expect(later.measures.map((m) => m.code)).toEqual(['R1']);
  });

  it('reviews on class-2 measures only; respects minimum severity, scenario and subject type', () => {
    const r = evaluateCheck(
      inventory,
      'GOV_FUNDS',
      { subjectType: 'ENTERPRISE', entries: [], records: [general] },
      '2026-06-01',
    );
    expect(r.outcome).toBe('review');
    expect(r.measures.map((m) => m.code)).toEqual(['R2']);
    expect(r.withheld.map((w) => w.code)).toEqual(['I1']);
    const minor = { ...general, severity: 'MINOR' as const };
    expect(
      evaluateCheck(
        inventory,
        'GOV_FUNDS',
        { subjectType: 'ENTERPRISE', entries: [], records: [minor] },
        '2026-06-01',
      ),
    ).toMatchObject({ outcome: 'allow', clean: false, measures: [], withheld: [{ code: 'I1' }] });
    const person = evaluateCheck(
      inventory,
      'GOV_FUNDS',
      { subjectType: 'NATURAL_PERSON', entries: [entry], records: [] },
      '2026-06-01',
    );
    expect(person.measures.map((m) => m.code)).toEqual(['R1', 'R3', 'R5']);
    expect(
      evaluateCheck(
        inventory,
        'AWARDS',
        { subjectType: 'ENTERPRISE', entries: [entry], records: [] },
        '2026-06-01',
      ).measures.map((m) => m.code),
    ).toEqual(['R4']);
  });

  it('treats any restrictive entry and any dishonesty record, of any severity, as not clean', () => {
    const abnormal: EntryFact = { ...entry, entryId: 2, listType: 'ABNORMAL', listKind: 'business_abnormal' };
    const red: EntryFact = { ...entry, entryId: 3, listType: 'RED', listKind: 'red' };
    const honour: RecordFact = {
      ...general,
      recordId: 10,
      itemCode: 'CXRY',
      categoryCode: 'HONOR',
      severity: null,
    };
    expect(isClean({ entries: [], records: [{ ...general, severity: 'SERIOUS' }] })).toBe(false);
    expect(isClean({ entries: [], records: [{ ...general, severity: null, categoryCode: 'SERIOUS' }] })).toBe(
      false,
    );
    expect(isClean({ entries: [], records: [{ ...general, severity: 'MINOR' }] })).toBe(false);
    expect(isClean({ entries: [red], records: [general] })).toBe(false);
    expect(isClean({ entries: [abnormal, red], records: [] })).toBe(false);
    expect(isClean({ entries: [red], records: [honour] })).toBe(true);
    expect(recordTriggerItems(inventory)).toEqual(['XZCF']);
  });

  it('withholds incentives from a subject that is not clean and names the facts; a clean red-listed subject gets them', () => {
    const abnormal: EntryFact = { ...entry, entryId: 2, listType: 'ABNORMAL', listKind: 'business_abnormal' };
    const red: EntryFact = { ...entry, entryId: 3, listType: 'RED', listKind: 'red' };
    const onBoth = evaluateCheck(
      inventory,
      'GOV_FUNDS',
      { subjectType: 'ENTERPRISE', entries: [abnormal, red], records: [] },
      '2026-06-01',
    );
    expect(onBoth).toMatchObject({ outcome: 'allow', clean: false, measures: [] });
    expect(onBoth.withheld).toEqual([
      {
        code: 'I1',
        nameZh: '限制申请政府资金',
        nameEn: 'Restrict government funds',
        reason: expect.anything(),
        blockers: [abnormal],
      },
    ]);
    expect(onBoth.withheld[0]?.reason.en).toContain('restrictive list');
    const redOnly = evaluateCheck(
      inventory,
      'GOV_FUNDS',
      { subjectType: 'ENTERPRISE', entries: [red], records: [] },
      '2026-06-01',
    );
    expect(redOnly).toMatchObject({ outcome: 'allow', clean: true, withheld: [] });
    expect(redOnly.measures.map((m) => [m.code, m.effect, m.triggers.map((t) => t.kind)])).toEqual([
      ['I1', 'reward', ['clean_record', 'list_entry']],
    ]);
  });

  it('triggers a restriction only on a dishonest record of a graded item (not a contract performed)', () => {
    const onContracts = [
      measure({
        code: 'R_HTLY',
        class: 2,
        legalBasis: [{ instrument: '国务院文件', rank: 'central_policy' }],
        triggers: [{ kind: 'record', itemCode: 'HTLY' }],
      }),
    ].map((m) => {
      const r = parseMeasure(m, ctx);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return r.value;
    });
    const contract: RecordFact = { ...general, itemCode: 'HTLY', categoryCode: 'CONTRACT', severity: null };
    const facts = (r: RecordFact) => ({ subjectType: 'ENTERPRISE' as const, entries: [], records: [r] });
    expect(evaluateCheck(onContracts, 'GOV_FUNDS', facts(contract), '2026-06-01').outcome).toBe('allow');
    expect(
      evaluateCheck(onContracts, 'GOV_FUNDS', facts({ ...contract, severity: 'GENERAL' }), '2026-06-01')
        .outcome,
    ).toBe('review');
  });
});

describe('related parties (reachesRoles)', () => {
  const reaching = (over: Partial<MeasureInput> = {}) =>
    measure({
      code: 'R_REACH',
      scenarios: ['HIGH_CONSUMPTION'],
      reachesRoles: ['legal_representative', 'principal_responsible'],
      ...over,
    });

  it('accepts a restriction on a law or administrative regulation, de-duplicating the roles', () => {
    for (const rank of ['law', 'administrative_regulation']) {
      const r = parseMeasure(
        reaching({
          legalBasis: [{ instrument: '依据', rank }],
          reachesRoles: ['legal_representative', 'legal_representative'],
        }),
        ctx,
      );
      expect(r.ok, rank).toBe(true);
      if (r.ok) expect(r.value.reachesRoles).toEqual(['legal_representative']);
    }
    const plain = parseMeasure(measure(), ctx);
    expect(plain.ok && plain.value.reachesRoles).toEqual([]);
  });

  it('refuses an incentive, a basis below administrative regulation, an unknown role, no list trigger', () => {
    expect(
      codes(
        reaching({
          code: 'I_REACH',
          kind: 'incentive',
          class: 2,
          triggers: [{ kind: 'list', listType: 'RED' }],
        }),
      ),
    ).toEqual(['REACHES_ROLES_NOT_RESTRICTION']);
    // A local regulation founds a class-1 measure on the listed subject, not one reaching others.
    const low = checkMeasure(
      reaching({ legalBasis: [{ instrument: '某条例', rank: 'local_regulation' }] }),
      ctx,
    );
    expect(low.map((p) => [p.code, p.field])).toEqual([['REACHES_ROLES_RANK_TOO_LOW', 'reachesRoles']]);
    expect(low[0]?.message.zh).toContain('法定代表人、主要负责人');
    expect(low[0]?.message.en).toContain('Administrative regulation');
    expect(
      codes(
        reaching({
          class: 2,
          legalBasis: [{ instrument: '国务院文件', rank: 'central_policy' }],
        }),
      ),
    ).toEqual(['REACHES_ROLES_RANK_TOO_LOW']);
    expect(checkMeasure(reaching({ reachesRoles: ['spouse'] }), ctx).map((p) => [p.code, p.field])).toEqual([
      ['REACHES_ROLE_INVALID', 'reachesRoles[0]'],
    ]);
    expect(codes(reaching({ triggers: [{ kind: 'record', itemCode: 'SXBZXR' }] }))).toEqual([
      'REACHES_ROLES_NO_LIST_TRIGGER',
    ]);
  });

  it('applies to a related party in a reached role only, and never withholds its incentives', () => {
    const inventory = [
      reaching(),
      measure({ code: 'R_OWN', scenarios: ['HIGH_CONSUMPTION'] }),
      measure({
        code: 'I_HC',
        kind: 'incentive',
        class: 2,
        scenarios: ['HIGH_CONSUMPTION'],
        triggers: [{ kind: 'clean_record' }],
      }),
    ].map((m) => {
      const r = parseMeasure(m, ctx);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return r.value;
    });
    const party = (role: PartyEntryFact['role'], entryId = 1): PartyEntryFact => ({
      kind: 'party_entry',
      entryId,
      listType: 'COURT',
      listKind: 'serious_dishonesty',
      listName: { zh: '失信被执行人', en: 'Dishonest judgment debtors' },
      decisionNo: '（2026）渝01执1号',
      decidedOn: '2026-01-10',
      effectiveFrom: '2026-01-10',
      effectiveUntil: '2028-01-10',
      departmentId: 1,
      role,
      roleName: { zh: '', en: '' },
      listedSubject: { ref: 'S1', type: 'ENTERPRISE', name: '某公司', uscc: null, idMasked: null },
    });
    const check = (partyEntries: PartyEntryFact[]) =>
      evaluateCheck(
        inventory,
        'HIGH_CONSUMPTION',
        { subjectType: 'NATURAL_PERSON', entries: [], records: [], partyEntries },
        '2026-06-01',
      );
    const r = check([
      party('principal_responsible', 2),
      party('legal_representative', 2),
      party('affiliate', 1),
    ]);
    expect(r).toMatchObject({ outcome: 'restrict', clean: true, withheld: [] });
    expect(r.measures.map((m) => m.code)).toEqual(['R_REACH', 'I_HC']);
    expect(r.measures[0]?.triggers.map((h) => h.kind === 'party_entry' && [h.entryId, h.role])).toEqual([
      [2, 'legal_representative'],
      [2, 'principal_responsible'],
    ]);
    expect(r.measures[0]?.appliesUntil).toBe('2028-01-10');
    // A role no measure reaches: nothing applies, the incentive is not withheld.
    expect(check([party('directly_responsible')])).toMatchObject({ outcome: 'allow', clean: true });
  });
});
