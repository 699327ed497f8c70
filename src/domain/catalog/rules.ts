/**
 * Severity, period and visibility rules of a catalogue item, and the pure decisions on them.
 * Severity classes themselves belong to src/domain/periods (REFERENCE §5.2).
 */
import { isSeverity, SEVERITIES, type Severity } from '../periods';

export { isSeverity, SEVERITIES, type Severity };

export const SEVERITY_LABELS: Record<Severity, { zh: string; en: string }> = {
  MINOR: { zh: '轻微', en: 'Minor' },
  GENERAL: { zh: '一般', en: 'General' },
  SERIOUS: { zh: '严重', en: 'Serious' },
};

export function severityWeight(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Who can see a field: everyone, departments sharing data, or only the platform and the provider. */
export const VISIBILITIES = ['public', 'shared', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export function isVisibility(v: unknown): v is Visibility {
  return typeof v === 'string' && (VISIBILITIES as readonly string[]).includes(v);
}

/** A reader at `level` sees fields of that visibility and every wider one. */
export function visibleAt(fieldLevel: Visibility, level: Visibility): boolean {
  return VISIBILITIES.indexOf(fieldLevel) <= VISIBILITIES.indexOf(level);
}

export type SeverityRule =
  | { kind: 'none' }
  /** The providing department states MINOR / GENERAL / SERIOUS with each record. */
  | { kind: 'declared' }
  /**
   * Derived from a payload field (a string or an array of strings: the heaviest mapped value wins);
   * unmapped values fall to `default` (null = the record carries no severity). A declared severity
   * takes precedence.
   */
  | { kind: 'derived'; field: string; map: Record<string, Severity>; default: Severity | null };

export type PeriodRule =
  /** Disclosure window from the decision date by severity (国办发〔2025〕22号, NDRC Order 36). */
  | { kind: 'severity' }
  | { kind: 'fixed'; months: number }
  /**
   * Disclosed until the date held in a payload field (e.g. a licence's 有效期至); the same field is
   * the item's `keyFields.validityEnd`. Assignable to the periods module's `{ kind: 'validity' }`.
   */
  | { kind: 'validity'; field: string }
  | { kind: 'permanent' };

export const SEVERITY_RULE_KINDS = ['none', 'declared', 'derived'] as const;
export const PERIOD_RULE_KINDS = ['severity', 'fixed', 'validity', 'permanent'] as const;

export type SeverityOutcome =
  { ok: true; severity: Severity | null } | { ok: false; reason: 'SEVERITY_REQUIRED' };

/**
 * The severity of a record: the declared one when given (unless the item has no severity), else the
 * one derived from the payload, else the rule's default.
 */
export function decideSeverity(
  rule: SeverityRule,
  payload: Readonly<Record<string, unknown>>,
  declared?: Severity | null,
): SeverityOutcome {
  switch (rule.kind) {
    case 'none':
      return { ok: true, severity: null };
    case 'declared':
      return declared ? { ok: true, severity: declared } : { ok: false, reason: 'SEVERITY_REQUIRED' };
    case 'derived': {
      if (declared) return { ok: true, severity: declared };
      const raw = payload[rule.field];
      const values = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw];
      let best: Severity | null = null;
      let unmapped = values.length === 0;
      for (const v of values) {
        const s = typeof v === 'string' ? rule.map[v.trim()] : undefined;
        if (s === undefined) unmapped = true;
        else if (best === null || severityWeight(s) > severityWeight(best)) best = s;
      }
      if (
        unmapped &&
        rule.default !== null &&
        (best === null || severityWeight(rule.default) > severityWeight(best))
      )
        best = rule.default;
      return { ok: true, severity: best };
    }
  }
}
