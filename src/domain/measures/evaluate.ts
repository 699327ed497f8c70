/**
 * The joint reward/punishment check (联合奖惩核查): which measures of the inventory apply to a
 * subject in a scenario, given the facts on it at an instant. Pure, so the same facts and the same
 * inventory always give the same answer — the server supplies facts "as of" any instant.
 *
 * Outcome: `restrict` when a class-1 restriction applies (the body must restrict or refuse by law);
 * `review` when only class-2/3 restrictions apply (stricter review, more inspections); `allow`
 * otherwise. Incentives are listed alongside; they are withheld from subjects that are not clean
 * (an active serious-dishonesty entry or a disclosed SERIOUS record), whatever triggered them.
 */
import { severityWeight, type LegalBasis } from '../catalog';
import type { Bilingual } from '../i18n';
import type { ListKind } from '../lists';
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
}

/** The facts on one subject that were in force at the instant checked (entries active, records disclosed). */
export interface SubjectFacts {
  subjectType: SubjectType;
  entries: readonly EntryFact[];
  records: readonly RecordFact[];
}

export type TriggerHit =
  | (EntryFact & { appliesUntil: CivilDate | null })
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

export interface CheckOutcome {
  outcome: Outcome;
  clean: boolean;
  measures: AppliedMeasure[];
}

/**
 * No active serious-dishonesty entry, no disclosed SERIOUS record and no disclosed record of a
 * serious-dishonesty list collected from elsewhere (catalogue category SERIOUS).
 */
export function isClean(facts: Pick<SubjectFacts, 'entries' | 'records'>): boolean {
  return (
    !facts.entries.some((e) => e.listKind === 'serious_dishonesty') &&
    !facts.records.some((r) => r.severity === 'SERIOUS' || r.categoryCode === SERIOUS_CATEGORY)
  );
}

export const SERIOUS_CATEGORY = 'SERIOUS';

function startOf(f: EntryFact | RecordFact): CivilDate {
  return f.kind === 'list_entry' ? f.effectiveFrom : f.decisionDate;
}

function endOf(f: EntryFact | RecordFact): CivilDate | null {
  return f.kind === 'list_entry' ? f.effectiveUntil : f.disclosedUntil;
}

/** Until when a measure triggered by `f` applies, or undefined when it has already lifted on `day`. */
function applies(f: EntryFact | RecordFact, lift: Lift, day: CivilDate): CivilDate | null | undefined {
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
  const clean = isClean(facts);
  const applied: AppliedMeasure[] = [];
  for (const m of inventory) {
    if (m.status !== 'active' || !m.scenarios.includes(scenario)) continue;
    if (m.subjectTypes.length && !m.subjectTypes.includes(facts.subjectType)) continue;
    if (m.kind === 'incentive' && !clean) continue;
    const hits: TriggerHit[] = [];
    for (const t of m.triggers) {
      if (t.kind === 'list') {
        for (const e of facts.entries) {
          if (e.listType !== t.listType) continue;
          const until = applies(e, m.lift, day);
          if (until !== undefined) hits.push({ ...e, appliesUntil: until });
        }
      } else if (t.kind === 'record') {
        const min = t.minSeverity === undefined ? null : severityWeight(t.minSeverity);
        for (const r of facts.records) {
          if (r.itemCode !== t.itemCode) continue;
          if (min !== null && (r.severity === null || severityWeight(r.severity) < min)) continue;
          const until = applies(r, m.lift, day);
          if (until !== undefined) hits.push({ ...r, appliesUntil: until });
        }
      } else if (t.kind === 'clean_record') {
        if (clean && !hits.some((h) => h.kind === 'clean_record'))
          hits.push({ kind: 'clean_record', appliesUntil: null });
      }
      // evaluation_grade: reserved until the evaluation module publishes grades.
    }
    if (!hits.length) continue;
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
  return { outcome, clean, measures: applied };
}

function rank(a: AppliedMeasure): number {
  return a.effect === 'restrict' ? 0 : a.effect === 'review' ? 1 : 2;
}

/** Record items and severities any active measure triggers on (what the facts query must fetch). */
export function recordTriggerItems(inventory: readonly MeasureDefinition[]): string[] {
  const items = new Set<string>();
  for (const m of inventory)
    for (const t of m.triggers) if (t.kind === 'record' && m.status === 'active') items.add(t.itemCode);
  return [...items].sort();
}
