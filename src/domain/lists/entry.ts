/**
 * Rules of the listing procedure (49号: notify before listing, allow statement and defence, state
 * the removal conditions at listing; 两书同达: the credit-repair notice goes with the notice) and of
 * an entry's life on the list. Pure: every instant and date is a parameter.
 *
 *   proposed ──notify──▶ notified ──decide──▶ listed ──(period end | early exit | repair | …)──▶ ended
 *       │                    │  ▲ statement / waiver      └─▶ not_listed
 *       └──── withdraw ──────┘
 *
 * "Listed" is a stage, "active" is computed: an entry is active at instant T when it was decided
 * by T, its effective dates cover T's civil day, and no end had been recorded by T.
 */
import { addMonths, civilDate, type CivilDate } from '../periods';
import type { WorkingDayCalendar } from '../calendar';
import type { Bilingual } from '../i18n';
import type { ListPeriod, ListTypeDefinition } from './list-type';

export const ENTRY_STAGES = ['proposed', 'notified', 'listed', 'not_listed', 'withdrawn'] as const;
export type EntryStage = (typeof ENTRY_STAGES)[number];

export const END_REASONS = ['early_exit', 'repair', 'performed', 'court', 'other'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const END_REASON_LABELS: Record<EndReason | 'period_end', Bilingual> = {
  early_exit: { zh: '提前退出', en: 'Early exit' },
  repair: { zh: '信用修复', en: 'Credit repair' },
  performed: { zh: '已履行义务', en: 'Obligation performed' },
  court: { zh: '法院裁判', en: 'Court order' },
  other: { zh: '其他（撤销等）', en: 'Other (revocation etc.)' },
  period_end: { zh: '期满移出', en: 'Period ended' },
};

export const PARTY_ROLES = [
  'legal_representative',
  'principal_responsible',
  'directly_responsible',
  'actual_controller',
  'affiliate',
  'successor',
] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/**
 * Who can play a role: the legal representative, the principal responsible person and the directly
 * responsible person are people (natural persons); an affiliate is an organisation. An actual
 * controller or a successor may be either.
 */
export function partyRoleFits(role: PartyRole, subjectType: string): boolean {
  const person = subjectType === 'NATURAL_PERSON';
  switch (role) {
    case 'legal_representative':
    case 'principal_responsible':
    case 'directly_responsible':
      return person;
    case 'affiliate':
      return !person;
    default:
      return true;
  }
}

export const PARTY_ROLE_LABELS: Record<PartyRole, Bilingual> = {
  legal_representative: { zh: '法定代表人', en: 'Legal representative' },
  principal_responsible: { zh: '主要负责人', en: 'Principal responsible person' },
  directly_responsible: { zh: '直接责任人员', en: 'Directly responsible person' },
  actual_controller: { zh: '实际控制人', en: 'Actual controller' },
  affiliate: { zh: '关联主体', en: 'Affiliate' },
  successor: { zh: '承继主体', en: 'Successor' },
};

/**
 * The day the statement period counts from: the day both notices were served, or the day the
 * notice was recorded on the platform when that is later. Only from then can the subject see the
 * notice and its deadline, so a notice recorded with an earlier service date (backdated) cannot
 * shorten the period or use it up before the subject knows of it.
 */
export function statementStart(notifiedOn: CivilDate, recordedOn: CivilDate): CivilDate {
  return notifiedOn > recordedOn ? notifiedOn : recordedOn;
}

/** The deadline for the statement: the n-th working day after its start (start day not counted). */
export function statementDeadline(
  calendar: WorkingDayCalendar,
  notifiedOn: CivilDate,
  days: number,
): CivilDate {
  return calendar.addWorkingDays(notifiedOn, days);
}

export interface ProcedureState {
  stage: EntryStage;
  statementDeadline: CivilDate | null;
  statementAt: Date | null;
  waivedAt: Date | null;
}

export type ProcedureBlock =
  | { code: 'WRONG_STAGE'; stage: EntryStage }
  | { code: 'STATEMENT_PERIOD_OPEN'; deadline: CivilDate }
  | { code: 'STATEMENT_PERIOD_OVER'; deadline: CivilDate }
  | { code: 'STATEMENT_ALREADY_MADE' };

/** Why a statement (or waiver) cannot be taken now, or null when it can. */
export function statementBlock(s: ProcedureState, today: CivilDate): ProcedureBlock | null {
  if (s.stage !== 'notified') return { code: 'WRONG_STAGE', stage: s.stage };
  if (s.statementAt || s.waivedAt) return { code: 'STATEMENT_ALREADY_MADE' };
  if (s.statementDeadline && today > s.statementDeadline)
    return { code: 'STATEMENT_PERIOD_OVER', deadline: s.statementDeadline };
  return null;
}

/**
 * Why the decision cannot be taken now, or null: the subject must have been notified, and the
 * statement period must have ended unless the subject has already stated its case or waived it.
 * The period ends with its last day, so a decision is possible from the next day.
 */
export function decisionBlock(s: ProcedureState, today: CivilDate): ProcedureBlock | null {
  if (s.stage !== 'notified') return { code: 'WRONG_STAGE', stage: s.stage };
  if (s.statementAt || s.waivedAt) return null;
  if (s.statementDeadline && today <= s.statementDeadline)
    return { code: 'STATEMENT_PERIOD_OPEN', deadline: s.statementDeadline };
  return null;
}

export interface EntryPeriod {
  from: CivilDate;
  /** Exclusive end; null when the entry runs until performed (uncapped) or indefinitely. */
  until: CivilDate | null;
  /** Periodic review date for indefinite lists. */
  reviewOn: CivilDate | null;
  months: number | null;
}

/**
 * The dates of an entry decided on `from`. A fixed list may take a longer period up to its
 * maximum when the decision asks for one; anything outside [months, maxMonths] is refused (null).
 */
export function entryPeriod(
  period: ListPeriod,
  from: CivilDate,
  requestedMonths?: number,
): EntryPeriod | null {
  switch (period.kind) {
    case 'fixed': {
      const months = requestedMonths ?? period.months;
      const max = period.maxMonths ?? period.months;
      if (!Number.isInteger(months) || months < period.months || months > max) return null;
      return { from, until: addMonths(from, months), reviewOn: null, months };
    }
    case 'until_performed': {
      if (requestedMonths !== undefined) {
        if (!Number.isInteger(requestedMonths) || requestedMonths < 1) return null;
        if (period.maxMonths !== undefined && requestedMonths > period.maxMonths) return null;
      }
      const months = requestedMonths ?? period.maxMonths ?? null;
      return { from, until: months === null ? null : addMonths(from, months), reviewOn: null, months };
    }
    case 'indefinite':
      if (requestedMonths !== undefined) return null;
      return { from, until: null, reviewOn: addMonths(from, period.reviewMonths), months: null };
  }
}

export interface EntryDates {
  stage: EntryStage;
  decidedAt: Date | null;
  effectiveFrom: CivilDate | null;
  effectiveUntil: CivilDate | null;
  endedAt: Date | null;
}

/** Whether an entry is on the list at instant `at` (computed from dates, never from a flag). */
export function isEntryActiveAt(e: EntryDates, at: Date): boolean {
  if (e.stage !== 'listed' || !e.decidedAt || !e.effectiveFrom) return false;
  if (e.decidedAt.getTime() > at.getTime()) return false;
  if (e.endedAt && e.endedAt.getTime() <= at.getTime()) return false;
  const day = civilDate(at);
  return e.effectiveFrom <= day && (e.effectiveUntil === null || e.effectiveUntil > day);
}

export type EntryStatus = EntryStage | 'active' | 'ended' | 'expired' | 'pending_effect';

/** A status word for display at instant `at`. */
export function entryStatusAt(e: EntryDates, at: Date): EntryStatus {
  if (e.stage !== 'listed') return e.stage;
  if (isEntryActiveAt(e, at)) return 'active';
  if (e.endedAt && e.endedAt.getTime() <= at.getTime()) return 'ended';
  const day = civilDate(at);
  if (e.effectiveUntil !== null && e.effectiveUntil <= day) return 'expired';
  return 'pending_effect';
}

/** The first day early exit (or removal by repair) is possible, or null when the list allows none. */
export function earliestExit(list: Pick<ListTypeDefinition, 'earlyExit'>, from: CivilDate): CivilDate | null {
  return list.earlyExit ? addMonths(from, list.earlyExit.minMonths) : null;
}

export type EndBlock =
  | { code: 'NOT_ACTIVE' }
  | { code: 'EARLY_EXIT_NOT_ALLOWED' }
  | { code: 'EARLY_EXIT_TOO_SOON'; earliest: CivilDate };

/**
 * Why an active entry cannot end for `reason` on `today`, or null. Early exit and removal by repair
 * need the list's early-exit rule and its minimum time; performance, a court order or another
 * ground (e.g. the decision revoked) end an entry at any time.
 */
export function endBlock(
  list: Pick<ListTypeDefinition, 'earlyExit'>,
  e: EntryDates,
  reason: EndReason,
  at: Date,
): EndBlock | null {
  if (!isEntryActiveAt(e, at)) return { code: 'NOT_ACTIVE' };
  if (reason !== 'early_exit' && reason !== 'repair') return null;
  const earliest = earliestExit(list, e.effectiveFrom as CivilDate);
  if (earliest === null) return { code: 'EARLY_EXIT_NOT_ALLOWED' };
  if (civilDate(at) < earliest) return { code: 'EARLY_EXIT_TOO_SOON', earliest };
  return null;
}

/**
 * A cited fact: a record (with its document number, which identifies the same facts when cited
 * as a document) or a document.
 */
export interface FactRef {
  recordId?: number | null;
  docNo?: string | null;
}

function keysOf(f: FactRef): string[] {
  const keys: string[] = [];
  if (f.recordId) keys.push(`record:${f.recordId}`);
  const doc = f.docNo?.normalize('NFKC').replace(/\s+/g, '');
  if (doc) keys.push(`doc:${doc}`);
  return keys;
}

/**
 * Canonical key of an entry's supporting facts: the same facts give the same key. A cited record
 * counts under its id and its document number, so citing the record or its document collides.
 */
export function factsKey(facts: readonly FactRef[]): string[] {
  return [...new Set(facts.flatMap(keysOf))].sort();
}

/** Whether every fact cited is among `used` (an earlier entry's facts key): nothing new is cited. */
export function factsAllUsed(facts: readonly FactRef[], used: readonly string[]): boolean {
  const set = new Set(used);
  return facts.every((f) => keysOf(f).some((k) => set.has(k)));
}

/**
 * The stage an entry had at instant `at`, from its steps (null before it was proposed): what the
 * subject's view of a past instant shows, whatever happened later.
 */
export function stageAt(
  steps: readonly { step: string; at: Date; data: Record<string, unknown> }[],
  at: Date,
): EntryStage | null {
  let stage: EntryStage | null = null;
  for (const s of steps) {
    if (s.at.getTime() > at.getTime()) continue;
    if (s.step === 'proposed' || s.step === 'notified' || s.step === 'withdrawn') stage = s.step;
    else if (s.step === 'decided') stage = s.data.outcome === 'not_list' ? 'not_listed' : 'listed';
  }
  return stage;
}
