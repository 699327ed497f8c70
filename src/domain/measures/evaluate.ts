/**
 * The joint reward/punishment check (联合奖惩核查): which measures of the inventory apply to a
 * subject in a scenario, given the facts on it at an instant. Pure, so the same facts and the same
 * inventory always give the same answer — the server supplies facts "as of" any instant.
 *
 * Outcome: `restrict` when a class-1 restriction applies (the body must restrict or refuse by law);
 * `review` when only class-2/3 restrictions apply (stricter review, more inspections); `allow`
 * otherwise. Incentives are listed alongside; they are withheld from subjects that are not clean
 * (an active entry on a restrictive list or a disclosed dishonesty record of any severity),
 * whatever triggered them, and the answer lists them as withheld with the facts that withheld them.
 *
 * Related parties. A measure that declares `reachesRoles` also applies to a subject that an active
 * entry on a list triggering it names as a related party in one of those roles (e.g. the legal
 * representative of a company on the court's list of dishonest judgment debtors, for 限制高消费);
 * the trigger is then a `party_entry`: the entry, the listed subject and the role. Being a related
 * party never makes a subject "not clean": incentives are withheld only for the subject's own
 * entries and records (punishment only by law: no measure reaches a related party unless it says so).
 */
import { severityWeight, type LegalBasis } from '../catalog';
import type { Bilingual } from '../i18n';
import { isRestrictiveKind, type ListKind, type PartyRole } from '../lists';
import { addMonths, type CivilDate, type Severity } from '../periods';
import type { SubjectType } from '../subject-types';
import type { Lift, MeasureClass, MeasureDefinition, MeasureKind } from './measure';

export interface EntryFact {
  kind: 'list_entry';
  entryId: number;
  listType: string;
  listKind: ListKind;
  listName: Bilingual;
  decisionNo: string | null;
  decidedOn: CivilDate;
  effectiveFrom: CivilDate;
  effectiveUntil: CivilDate | null;
  departmentId: number;
  departmentName?: string | null;
  /** The department's English name, when it has one. */
  departmentNameEn?: string | null;
}

export interface RecordFact {
  kind: 'record';
  recordId: number;
  itemCode: string;
  /** Catalogue category; records in category SERIOUS are serious-dishonesty list information. */
  categoryCode: string;
  severity: Severity | null;
  docNo: string;
  decisionDate: CivilDate;
  disclosedFrom: CivilDate;
  disclosedUntil: CivilDate | null;
  departmentId: number;
  departmentName?: string | null;
  /** The department's English name, when it has one. */
  departmentNameEn?: string | null;
}

/** The subject an entry lists, as a related party's check shows it (no name for natural persons). */
export interface ListedSubject {
  ref: string;
  type: SubjectType;
  /** The registered name of an organisation; null for a natural person (never shown by name). */
  name: string | null;
  uscc: string | null;
  /** A natural person's masked ID number. */
  idMasked: string | null;
}

/** An active entry on another subject that names this subject as a related party in `role`. */
export interface PartyEntryFact extends Omit<EntryFact, 'kind'> {
  kind: 'party_entry';
  role: PartyRole;
  roleName: Bilingual;
  listedSubject: ListedSubject;
}

/** The facts on one subject that were in force at the instant checked (entries active, records disclosed). */
export interface SubjectFacts {
  subjectType: SubjectType;
  entries: readonly EntryFact[];
  records: readonly RecordFact[];
  /** Active entries on other subjects naming this one as a related party (any role). */
  partyEntries?: readonly PartyEntryFact[];
}

export type TriggerHit =
  | (EntryFact & { appliesUntil: CivilDate | null })
  | (PartyEntryFact & { appliesUntil: CivilDate | null })
  | (RecordFact & { appliesUntil: CivilDate | null })
  | { kind: 'clean_record'; appliesUntil: null };

export type Effect = 'restrict' | 'review' | 'reward';
export type Outcome = 'allow' | 'restrict' | 'review';

export interface AppliedMeasure {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: MeasureKind;
  class: MeasureClass;
  effect: Effect;
  legalBasis: LegalBasis[];
  implementingBodies: string[];
  lift: Lift;
  liftNote: Bilingual;
  triggers: TriggerHit[];
  /** When the measure lifts on the facts known now (null: with an open-ended trigger). */
  appliesUntil: CivilDate | null;
}

/** An incentive whose trigger is met but which the subject does not get: it is not clean. */
export interface WithheldMeasure {
  code: string;
  nameZh: string;
  nameEn: string;
  reason: Bilingual;
  /** The entries and records that make the subject not clean. */
  blockers: (EntryFact | RecordFact)[];
}

export interface CheckOutcome {
  outcome: Outcome;
  clean: boolean;
  measures: AppliedMeasure[];
  withheld: WithheldMeasure[];
}

/**
 * Catalogue categories whose records are dishonesty information whatever their severity: lists of
 * seriously dishonest subjects and abnormal-operation lists collected from elsewhere.
 */
export const DISHONESTY_CATEGORIES: readonly string[] = ['SERIOUS', 'ABN'];

/**
 * A record of dishonesty: graded with a severity (penalties, coercion, contracts or commitments not
 * performed — MINOR, GENERAL or SERIOUS alike), or in a dishonesty category. Records without a
 * severity in other categories (licences, honours, a contract performed) are not.
 */
export function isDishonestyRecord(r: Pick<RecordFact, 'severity' | 'categoryCode'>): boolean {
  return r.severity !== null || DISHONESTY_CATEGORIES.includes(r.categoryCode);
}

/**
 * Whether a catalogue item records dishonesty (so may trigger restrictions, never incentives): it
 * is in a dishonesty category, or it grades its records by severity (penalties, coercion, contract
 * performance, commitments). Items without a severity elsewhere (licences, honours, evaluations,
 * voluntary information) record no dishonesty.
 */
export function itemRecordsDishonesty(item: { categoryCode: string; severityRule: string }): boolean {
  return DISHONESTY_CATEGORIES.includes(item.categoryCode) || item.severityRule !== 'none';
}

/** The facts that make a subject not clean: active entries on restrictive lists, dishonesty records. */
export function dishonestyFacts(
  facts: Pick<SubjectFacts, 'entries' | 'records'>,
): (EntryFact | RecordFact)[] {
  return [
    ...facts.entries.filter((e) => isRestrictiveKind(e.listKind)),
    ...facts.records.filter(isDishonestyRecord),
  ];
}

/** No active entry on a restrictive list (any kind but red) and no disclosed dishonesty record. */
export function isClean(facts: Pick<SubjectFacts, 'entries' | 'records'>): boolean {
  return dishonestyFacts(facts).length === 0;
}

export const WITHHELD_REASON: Bilingual = {
  zh: '主体在限制性名单中或有公示中的失信记录，不适用激励措施',
  en: 'Withheld: the subject is on a restrictive list or has a disclosed dishonesty record',
};

type DatedFact = EntryFact | PartyEntryFact | RecordFact;

function startOf(f: DatedFact): CivilDate {
  return f.kind === 'record' ? f.decisionDate : f.effectiveFrom;
}

function endOf(f: DatedFact): CivilDate | null {
  return f.kind === 'record' ? f.disclosedUntil : f.effectiveUntil;
}

/** Until when a measure triggered by `f` applies, or undefined when it has already lifted on `day`. */
function applies(f: DatedFact, lift: Lift, day: CivilDate): CivilDate | null | undefined {
  const end = endOf(f);
  if (lift.kind === 'with_trigger') return end;
  const cap = addMonths(startOf(f), lift.months);
  if (cap <= day) return undefined;
  return end === null || cap < end ? cap : end;
}

function latest(dates: readonly (CivilDate | null)[]): CivilDate | null {
  let best: CivilDate | undefined;
  for (const d of dates) {
    if (d === null) return null;
    if (best === undefined || d > best) best = d;
  }
  return best ?? null;
}

export function effectOf(kind: MeasureKind, cls: MeasureClass): Effect {
  if (kind === 'incentive') return 'reward';
  return cls === 1 ? 'restrict' : 'review';
}

/**
 * The measures of `inventory` that apply in `scenario` to a subject with `facts` on civil day `day`,
 * each with the facts that triggered it, and the overall outcome.
 */
export function evaluateCheck(
  inventory: readonly MeasureDefinition[],
  scenario: string,
  facts: SubjectFacts,
  day: CivilDate,
): CheckOutcome {
  const blockers = dishonestyFacts(facts);
  const clean = blockers.length === 0;
  // In one order whatever order the facts came in (the index and the database agree on it).
  const partyEntries = [...(facts.partyEntries ?? [])].sort(
    (a, b) => a.entryId - b.entryId || a.role.localeCompare(b.role),
  );
  const applied: AppliedMeasure[] = [];
  const withheld: WithheldMeasure[] = [];
  for (const m of inventory) {
    if (m.status !== 'active' || !m.scenarios.includes(scenario)) continue;
    if (m.subjectTypes.length && !m.subjectTypes.includes(facts.subjectType)) continue;
    const hits: TriggerHit[] = [];
    for (const t of m.triggers) {
      if (t.kind === 'list') {
        for (const e of facts.entries) {
          if (e.listType !== t.listType) continue;
          const until = applies(e, m.lift, day);
          if (until !== undefined) hits.push({ ...e, appliesUntil: until });
        }
        // The measure reaches related parties in these roles: entries on others naming this subject.
        const reach = m.kind === 'restriction' ? (m.reachesRoles ?? []) : [];
        if (reach.length)
          for (const p of partyEntries) {
            if (p.listType !== t.listType || !reach.includes(p.role)) continue;
            const until = applies(p, m.lift, day);
            if (until !== undefined) hits.push({ ...p, appliesUntil: until });
          }
      } else if (t.kind === 'record') {
        const min = t.minSeverity === undefined ? null : severityWeight(t.minSeverity);
        for (const r of facts.records) {
          if (r.itemCode !== t.itemCode) continue;
          // A restriction rests on a dishonest fact, not on a record of the item that holds none.
          if (m.kind === 'restriction' && !isDishonestyRecord(r)) continue;
          if (min !== null && (r.severity === null || severityWeight(r.severity) < min)) continue;
          const until = applies(r, m.lift, day);
          if (until !== undefined) hits.push({ ...r, appliesUntil: until });
        }
      } else if (t.kind === 'clean_record') {
        // Met here by every subject; from one that is not clean the incentive is withheld below.
        if (!hits.some((h) => h.kind === 'clean_record'))
          hits.push({ kind: 'clean_record', appliesUntil: null });
      }
      // evaluation_grade: reserved until the evaluation module publishes grades.
    }
    if (!hits.length) continue;
    if (m.kind === 'incentive' && !clean) {
      withheld.push({ code: m.code, nameZh: m.nameZh, nameEn: m.nameEn, reason: WITHHELD_REASON, blockers });
      continue;
    }
    applied.push({
      code: m.code,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      kind: m.kind,
      class: m.class,
      effect: effectOf(m.kind, m.class),
      legalBasis: m.legalBasis,
      implementingBodies: m.implementingBodies,
      lift: m.lift,
      liftNote: m.liftNote,
      triggers: hits,
      appliesUntil: latest(hits.map((h) => h.appliesUntil)),
    });
  }
  const outcome: Outcome = applied.some((a) => a.effect === 'restrict')
    ? 'restrict'
    : applied.some((a) => a.effect === 'review')
      ? 'review'
      : 'allow';
  // Restrictions first (class order), then incentives; stable by code.
  applied.sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code));
  withheld.sort((a, b) => a.code.localeCompare(b.code));
  return { outcome, clean, measures: applied, withheld };
}

function rank(a: AppliedMeasure): number {
  return a.effect === 'restrict' ? 0 : a.effect === 'review' ? 1 : 2;
}

/**
 * Record items any active measure version triggers on (what the facts query fetches besides the
 * dishonesty records). Given every version ever recorded, it covers the inventory of any past
 * instant, so a replay reads the records that the measures in force then triggered on.
 */
export function recordTriggerItems(inventory: readonly MeasureDefinition[]): string[] {
  const items = new Set<string>();
  for (const m of inventory)
    for (const t of m.triggers) if (t.kind === 'record' && m.status === 'active') items.add(t.itemCode);
  return [...items].sort();
}
