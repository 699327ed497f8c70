/**
 * Whether a credit record or a list entry can be repaired now, and if not, why and from when
 * (REFERENCE §5.2, §5.3, §5.6): the minimum publication period by severity must have passed, the
 * information must not be non-repairable by rule, and there must be something to repair (a record
 * still disclosed, an entry still on its list). Pure: `today` is a parameter.
 */
import type { Bilingual } from '../i18n';
import { disclosureWindow, isSeverity, type CivilDate, type PeriodRule } from '../periods';
import { addMonths } from '../periods';
import type { RepairPolicy } from './policy';

export type Ineligible =
  /** The minimum period has not passed: eligible from `from`. */
  | { eligible: false; code: 'NOT_YET'; from: CivilDate; message: Bilingual }
  /** Not repairable by a rule (law, regulation, central policy, or a list without early exit). */
  | { eligible: false; code: 'NON_REPAIRABLE'; rule: string; basis: Bilingual; message: Bilingual }
  /** Nothing to repair: not (or no longer) disclosed, or not (or no longer) on the list. */
  | { eligible: false; code: 'NOT_DISCLOSED'; state: string; message: Bilingual };

export type Eligibility = { eligible: true; from: CivilDate; message: Bilingual } | Ineligible;

export interface RecordFacts {
  itemCode: string;
  periodRule: PeriodRule;
  severity: string | null;
  decisionDate: CivilDate;
  windowFrom: CivilDate;
  windowUntil: CivilDate | null;
  /** The kind of stop recorded (withdrawn, repaired, …) when the record no longer shows. */
  stopKind: string | null;
  payload: Record<string, unknown>;
}

/** Where a record stands on `today`, as the public sees it. */
export function recordState(
  r: Pick<RecordFacts, 'windowFrom' | 'windowUntil' | 'stopKind'>,
  today: CivilDate,
): string {
  if (r.stopKind) return r.stopKind;
  if (r.windowUntil !== null && r.windowUntil <= r.windowFrom) return 'unpublished';
  if (today < r.windowFrom) return 'pending';
  if (r.windowUntil !== null && today >= r.windowUntil) return 'expired';
  return 'disclosed';
}

const STATE_TEXT: Record<string, Bilingual> = {
  unpublished: {
    zh: '该信息未予公示，无需修复',
    en: 'This information is not published; there is nothing to repair',
  },
  expired: {
    zh: '公示期已届满，已自动停止公示，无需修复',
    en: 'The disclosure period has ended; publication stopped automatically',
  },
  repaired: { zh: '该信息已完成信用修复', en: 'This information has already been repaired' },
  withdrawn: { zh: '该信息已被撤回', en: 'This information was withdrawn' },
  pending: { zh: '该信息尚未开始公示', en: 'This information is not yet published' },
};

function notDisclosed(state: string): Ineligible {
  return {
    eligible: false,
    code: 'NOT_DISCLOSED',
    state,
    message: STATE_TEXT[state] ?? {
      zh: `该信息已停止公示（${state}）`,
      en: `This information no longer shows (${state})`,
    },
  };
}

function valuesOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v === undefined || v === null ? [] : [String(v)];
}

/** The first non-repairable rule that matches a record, or null. */
export function nonRepairableRule(
  r: Pick<RecordFacts, 'itemCode' | 'payload'>,
  policy: RepairPolicy,
): { id: string; basis: Bilingual } | null {
  for (const rule of policy.nonRepairableItems)
    if (rule.itemCodes.includes(r.itemCode)) return { id: rule.id, basis: rule.basis };
  for (const rule of policy.nonRepairableValues) {
    if (rule.itemCode !== r.itemCode) continue;
    const have = valuesOf(r.payload[rule.field]);
    if (have.some((v) => rule.values.includes(v))) return { id: rule.id, basis: rule.basis };
  }
  return null;
}

/** The earliest day a record can be repaired, or null when its period rule has no repair. */
export function repairableFrom(
  r: Pick<RecordFacts, 'periodRule' | 'severity' | 'decisionDate'>,
  policy: RepairPolicy,
): CivilDate | null {
  if (r.periodRule.kind !== 'severity' || !isSeverity(r.severity)) return null;
  return disclosureWindow({ anchorDate: r.decisionDate, severity: r.severity, policy: policy.periods })
    .repairableFrom;
}

export function recordEligibility(r: RecordFacts, today: CivilDate, policy: RepairPolicy): Eligibility {
  const state = recordState(r, today);
  if (state !== 'disclosed') return notDisclosed(state);
  const rule = nonRepairableRule(r, policy);
  if (rule)
    return {
      eligible: false,
      code: 'NON_REPAIRABLE',
      rule: rule.id,
      basis: rule.basis,
      message: { zh: `依规定不予修复：${rule.basis.zh}`, en: `Not repairable by rule: ${rule.basis.en}` },
    };
  const from = repairableFrom(r, policy);
  if (from === null)
    return {
      eligible: false,
      code: 'NON_REPAIRABLE',
      rule: 'PERIOD_RULE',
      basis: {
        zh: '该类信息按固定期限或有效期公示，不适用信用修复',
        en: 'This kind of information is published for a fixed term or its validity; credit repair does not apply',
      },
      message: {
        zh: '该类信息不适用信用修复，公示期满后自动停止公示',
        en: 'Credit repair does not apply to this kind of information; it stops showing when its period ends',
      },
    };
  if (today < from)
    return {
      eligible: false,
      code: 'NOT_YET',
      from,
      message: {
        zh: `未满最短公示期，自 ${from} 起可申请信用修复`,
        en: `The minimum disclosure period has not passed; you can apply from ${from}`,
      },
    };
  return { eligible: true, from, message: { zh: '可以申请信用修复', en: 'You can apply for credit repair' } };
}

export interface EntryFacts {
  listKind: string;
  /** The list's early-exit rule: null when the list allows none. */
  earlyExit: { minMonths: number } | null;
  effectiveFrom: CivilDate | null;
  /** The entry's status now (lists module): only `active` entries can be repaired. */
  status: string;
}

export function entryEligibility(e: EntryFacts, today: CivilDate): Eligibility {
  if (e.status !== 'active' || !e.effectiveFrom)
    return {
      eligible: false,
      code: 'NOT_DISCLOSED',
      state: e.status,
      message: {
        zh: `该名单记录当前不在列（${e.status}）`,
        en: `The entry is not on the list now (${e.status})`,
      },
    };
  if (e.listKind === 'red')
    return {
      eligible: false,
      code: 'NON_REPAIRABLE',
      rule: 'NOT_DISHONESTY',
      basis: { zh: '守信激励名单不涉及信用修复', en: 'A red list is not dishonesty information' },
      message: { zh: '守信激励名单不涉及信用修复', en: 'Credit repair does not apply to a red list' },
    };
  if (!e.earlyExit)
    return {
      eligible: false,
      code: 'NON_REPAIRABLE',
      rule: 'LIST_NO_EARLY_EXIT',
      basis: {
        zh: '该名单的退出条件不允许提前移出，期满自动移出',
        en: 'The list allows no early exit; the entry ends with its period',
      },
      message: {
        zh: '该名单不允许通过信用修复提前移出，期满自动移出',
        en: 'This list allows no removal by credit repair; the entry ends with its period',
      },
    };
  const from = addMonths(e.effectiveFrom, e.earlyExit.minMonths);
  if (today < from)
    return {
      eligible: false,
      code: 'NOT_YET',
      from,
      message: {
        zh: `未满名单规定的最短期限，自 ${from} 起可申请信用修复`,
        en: `The list's minimum time has not passed; you can apply from ${from}`,
      },
    };
  return { eligible: true, from, message: { zh: '可以申请信用修复', en: 'You can apply for credit repair' } };
}
