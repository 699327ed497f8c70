import { checkItemDefinition } from './check';
import {
  KEY_FIELD_NAMES,
  type CheckOptions,
  type ItemDefinition,
  type ItemDefinitionInput,
  type ItemProblem,
  type JsonSchema,
  type KeyFields,
} from './definition';
import type { LegalBasis } from './ranks';
import { isSeverity, type PeriodRule, type Severity, type SeverityRule, type Visibility } from './rules';
import type { SubjectType } from '../subject-types';

export type ParsedDefinition = { ok: true; value: ItemDefinition } | { ok: false; problems: ItemProblem[] };

/** Checks a definition and, when it has no problem, returns it typed and trimmed of unknown keys. */
export function parseItemDefinition(def: ItemDefinitionInput, opts: CheckOptions = {}): ParsedDefinition {
  const problems = checkItemDefinition(def, opts);
  if (problems.length > 0) return { ok: false, problems };
  // Every value below was checked by checkItemDefinition.
  const value: ItemDefinition = {
    code: def.code,
    nameZh: def.nameZh.trim(),
    nameEn: def.nameEn.trim(),
    categoryCode: def.categoryCode,
    legalBasis: (def.legalBasis ?? []).map((b) => ({
      instrument: (b.instrument ?? '').trim(),
      ...(b.article ? { article: b.article } : {}),
      rank: b.rank as LegalBasis['rank'],
      ...(b.note ? { note: b.note } : {}),
    })),
    subjectTypes: [...new Set(def.subjectTypes ?? [])] as SubjectType[],
    payloadSchema: def.payloadSchema as JsonSchema,
    fieldVisibility: { ...(def.fieldVisibility ?? {}) } as Record<string, Visibility>,
    severityRule: normalizeSeverityRule(def.severityRule),
    periodRule: normalizePeriodRule(def.periodRule),
    keyFields: keyFieldsOf(def),
    ...(def.layoutVariants
      ? { layoutVariants: structuredClone(def.layoutVariants) as Record<string, Record<string, string>> }
      : {}),
  };
  return { ok: true, value };
}

function keyFieldsOf(def: ItemDefinitionInput): KeyFields {
  const out: Partial<Record<keyof KeyFields, string>> = {};
  for (const k of KEY_FIELD_NAMES) {
    const v = def.keyFields?.[k];
    if (v !== undefined) out[k] = v;
  }
  // A validity period's field is the record's validity end.
  if (def.periodRule?.kind === 'validity' && out.validityEnd === undefined && def.periodRule.field)
    out.validityEnd = def.periodRule.field;
  return out as KeyFields;
}

function normalizeSeverityRule(r: ItemDefinitionInput['severityRule']): SeverityRule {
  if (r?.kind === 'derived')
    return {
      kind: 'derived',
      field: r.field as string,
      map: { ...(r.map ?? {}) } as Record<string, Severity>,
      default: isSeverity(r.default) ? r.default : null,
    };
  return { kind: r?.kind === 'declared' ? 'declared' : 'none' };
}

function normalizePeriodRule(r: ItemDefinitionInput['periodRule']): PeriodRule {
  switch (r?.kind) {
    case 'fixed':
      return { kind: 'fixed', months: r.months as number };
    case 'validity':
      return { kind: 'validity', field: r.field as string };
    case 'permanent':
      return { kind: 'permanent' };
    default:
      return { kind: 'severity' };
  }
}
