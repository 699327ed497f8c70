/**
 * Severity classes and disclosure (公示) periods for administrative-penalty style records, and
 * simpler period rules for licence-type records (REFERENCE §2.6, §5.2).
 *
 * The month counts are policy data, not constants: a deployment passes a `PeriodPolicy` (the
 * default mirrors 国办发〔2025〕22号 / NDRC Order 36) so a new regime is a data change.
 *
 * Window convention: `from` is inclusive, `until` is exclusive. With the default policy `until`
 * is anchor + maxMonths, i.e. publication has stopped on the 公示截止期 itself ("at 公示截止期
 * publication stops", REFERENCE §2.6). A policy may set `endDay: 'inclusive'` for the Civil Code
 * reading (民法典 第二百零一、二百零三条: the start day is not counted and the period's last day is
 * the corresponding day of the end month), which keeps the record up through that day.
 */
import {
  addDays,
  daysInMonth,
  formatCivilDate,
  isCivilDate,
  parseCivilDate,
  startOfCivilDate,
} from '../calendar';
import type { CivilDate } from '../calendar';

export const SEVERITIES = ['MINOR', 'GENERAL', 'SERIOUS'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export interface SeverityClassPolicy {
  /** Published by default. A class with `publish: false` is only published on request (`publishMinor`). */
  readonly publish: boolean;
  /** Earliest credit repair, in months from the anchor date. */
  readonly minMonths: number;
  /** Publication stops automatically after this many months. */
  readonly maxMonths: number;
}

export interface PeriodPolicy {
  readonly id: string;
  readonly label: string;
  readonly classes: Readonly<Record<Severity, SeverityClassPolicy>>;
  /** Whether the anniversary day itself is still inside the window; default 'exclusive'. */
  readonly endDay?: 'exclusive' | 'inclusive';
}

export const DEFAULT_PERIOD_POLICY = {
  id: 'gb-2025-22',
  label: '国办发〔2025〕22号 / 国家发展改革委令第36号（2026-04-01 起）',
  classes: {
    MINOR: { publish: false, minMonths: 0, maxMonths: 3 },
    GENERAL: { publish: true, minMonths: 3, maxMonths: 12 },
    SERIOUS: { publish: true, minMonths: 12, maxMonths: 36 },
  },
} as const satisfies PeriodPolicy;

/** Validity end date that licence data uses for "长期" (no expiry). */
export const LONG_TERM_VALIDITY: CivilDate = '2099-12-31';

/** Problems with a (configured) policy; empty when usable. */
export function validatePolicy(policy: PeriodPolicy): string[] {
  const problems: string[] = [];
  if (!policy.id) problems.push('id is empty');
  if (policy.endDay !== undefined && policy.endDay !== 'exclusive' && policy.endDay !== 'inclusive') {
    problems.push(`endDay must be 'exclusive' or 'inclusive'`);
  }
  for (const s of SEVERITIES) {
    const c = policy.classes?.[s];
    if (!c) {
      problems.push(`${s}: missing`);
      continue;
    }
    if (!Number.isInteger(c.minMonths) || c.minMonths < 0)
      problems.push(`${s}: minMonths must be an integer ≥ 0`);
    if (!Number.isInteger(c.maxMonths) || c.maxMonths < 1)
      problems.push(`${s}: maxMonths must be an integer ≥ 1`);
    if (c.minMonths > c.maxMonths) problems.push(`${s}: minMonths exceeds maxMonths`);
  }
  return problems;
}

function checkDate(name: string, d: string): void {
  if (!isCivilDate(d)) throw new RangeError(`${name} must be a civil date YYYY-MM-DD: ${String(d)}`);
}

/**
 * Calendar-month addition with end-of-month clamping: 2024-01-31 + 1 = 2024-02-29,
 * 2024-02-29 + 12 = 2025-02-28 (民法典 第二百零三条: no corresponding day → last day of month).
 */
export function addMonths(date: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n)) throw new RangeError(`months must be an integer: ${n}`);
  const { year, month, day } = parseCivilDate(date);
  const total = year * 12 + (month - 1) + n;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return formatCivilDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export interface DisclosureWindow {
  /** First day of publication (inclusive). */
  readonly from: CivilDate;
  /** First day no longer published (exclusive); `null` = no end. Equals `from` when not published. */
  readonly until: CivilDate | null;
  /** Earliest day a credit-repair application is admissible; `null` when repair does not apply. */
  readonly repairableFrom: CivilDate | null;
  readonly published: boolean;
}

export interface SeverityWindow extends DisclosureWindow {
  readonly repairableFrom: CivilDate;
  /** The exclusive end the policy's maxMonths implies, for checking a `fixedEndDate` against it. */
  readonly maxUntil: CivilDate;
}

export interface DisclosureWindowInput {
  /** Date of the decision document (Order 36 counts from it); pass the explicit anchor per rule. */
  readonly anchorDate: CivilDate;
  readonly severity: Severity;
  readonly policy: PeriodPolicy;
  /** Publish a class whose policy says `publish: false` (the authority deems it necessary), for ≤ maxMonths. */
  readonly publishMinor?: boolean;
  /**
   * An explicit 公示截止期 set on the record (e.g. SAMR: a restriction longer than 3 years is
   * published for the restriction period). Same convention as computed ends; it replaces the
   * computed end, so compare with `maxUntil` to spot records beyond policy.
   */
  readonly fixedEndDate?: CivilDate;
}

export function disclosureWindow(input: DisclosureWindowInput): SeverityWindow {
  const { anchorDate, severity, policy, publishMinor, fixedEndDate } = input;
  checkDate('anchorDate', anchorDate);
  if (fixedEndDate !== undefined) checkDate('fixedEndDate', fixedEndDate);
  if (!isSeverity(severity)) throw new RangeError(`unknown severity: ${String(severity)}`);
  const cls = policy.classes[severity];
  const end = endOf(policy);
  const maxUntil = end(addMonths(anchorDate, cls.maxMonths));
  // A zero minimum means "as soon as obligations are fulfilled", i.e. from the anchor day.
  const repairableFrom = cls.minMonths === 0 ? anchorDate : end(addMonths(anchorDate, cls.minMonths));
  const published = cls.publish || publishMinor === true;
  if (!published) return { from: anchorDate, until: anchorDate, repairableFrom, published, maxUntil };
  let until = fixedEndDate === undefined ? maxUntil : end(fixedEndDate);
  if (until < anchorDate) until = anchorDate;
  return { from: anchorDate, until, repairableFrom, published, maxUntil };
}

function endOf(policy: PeriodPolicy): (anniversary: CivilDate) => CivilDate {
  return policy.endDay === 'inclusive' ? (d) => addDays(d, 1) : (d) => d;
}

/** How a record type's publication period is determined. */
export type PeriodRule =
  /** Penalty-type: by severity class and policy. */
  | { readonly kind: 'severity' }
  /** A fixed number of months from the decision (e.g. 36 for a three-year 公示期限). */
  | { readonly kind: 'fixed'; readonly months: number }
  /** Licence-type: for as long as the licence is valid (`validityEnd`, 2099-12-31 = long-term). */
  | { readonly kind: 'validity' }
  /** Never stops. */
  | { readonly kind: 'permanent' };

export interface ComputeWindowInput {
  readonly decisionDate: CivilDate;
  /** Last day the licence is valid (inclusive); LONG_TERM_VALIDITY for 长期. */
  readonly validityEnd?: CivilDate;
  readonly severity?: Severity;
  readonly policy: PeriodPolicy;
  readonly publishMinor?: boolean;
  readonly fixedEndDate?: CivilDate;
}

export function computeWindow(rule: PeriodRule, input: ComputeWindowInput): DisclosureWindow {
  const { decisionDate, policy } = input;
  checkDate('decisionDate', decisionDate);
  switch (rule.kind) {
    case 'severity': {
      if (input.severity === undefined) throw new RangeError('a severity rule needs a severity');
      return disclosureWindow({
        anchorDate: decisionDate,
        severity: input.severity,
        policy,
        ...(input.publishMinor !== undefined ? { publishMinor: input.publishMinor } : {}),
        ...(input.fixedEndDate !== undefined ? { fixedEndDate: input.fixedEndDate } : {}),
      });
    }
    case 'fixed': {
      if (!Number.isInteger(rule.months) || rule.months < 1) {
        throw new RangeError(`fixed rule months must be a positive integer: ${rule.months}`);
      }
      const until = endOf(policy)(addMonths(decisionDate, rule.months));
      return { from: decisionDate, until, repairableFrom: null, published: true };
    }
    case 'validity': {
      const { validityEnd } = input;
      if (validityEnd === undefined) throw new RangeError('a validity rule needs validityEnd');
      checkDate('validityEnd', validityEnd);
      if (validityEnd >= LONG_TERM_VALIDITY) {
        return { from: decisionDate, until: null, repairableFrom: null, published: true };
      }
      // validityEnd is the last valid day, so publication runs through it.
      const after = addDays(validityEnd, 1);
      return {
        from: decisionDate,
        until: after < decisionDate ? decisionDate : after,
        repairableFrom: null,
        published: true,
      };
    }
    case 'permanent':
      return { from: decisionDate, until: null, repairableFrom: null, published: true };
    default: {
      const never: never = rule;
      throw new RangeError(`unknown period rule ${JSON.stringify(never)}`);
    }
  }
}

export function isInWindow(window: DisclosureWindow, date: CivilDate): boolean {
  checkDate('date', date);
  return window.published && window.from <= date && (window.until === null || date < window.until);
}

export type WindowStatus = 'unpublished' | 'pending' | 'active' | 'expired';

export function windowStatus(window: DisclosureWindow, today: CivilDate): WindowStatus {
  checkDate('today', today);
  if (!window.published) return 'unpublished';
  if (today < window.from) return 'pending';
  if (window.until !== null && today >= window.until) return 'expired';
  return 'active';
}

export function isRepairable(window: DisclosureWindow, today: CivilDate): boolean {
  checkDate('today', today);
  return window.repairableFrom !== null && today >= window.repairableFrom;
}

/** Start instants (00:00 +08:00) of `from` and `until`, e.g. for scheduling the automatic stop. */
export function windowToInstants(window: DisclosureWindow): { from: Date; until: Date | null } {
  return {
    from: startOfCivilDate(window.from),
    until: window.until === null ? null : startOfCivilDate(window.until),
  };
}
