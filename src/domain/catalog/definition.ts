import type { Bilingual } from '../i18n';
import type { SubjectType } from '../subject-types';
import type { LegalBasis } from './ranks';
import type { PeriodRule, SeverityRule, Visibility } from './rules';
/** A JSON Schema (draft 2020-12) object, as stored. */
export type JsonSchema = { [keyword: string]: unknown };

/** Which payload properties hold the record's identity: its document, its date and its subject. */
export interface KeyFields {
  docNo: string;
  decisionDate: string;
  subjectName: string;
  subjectCategory?: string;
  subjectUscc?: string;
  subjectIdType?: string;
  subjectIdNo?: string;
  validityEnd?: string;
}

export const KEY_FIELD_NAMES = [
  'docNo',
  'decisionDate',
  'subjectName',
  'subjectCategory',
  'subjectUscc',
  'subjectIdType',
  'subjectIdNo',
  'validityEnd',
] as const satisfies readonly (keyof KeyFields)[];

export const REQUIRED_KEY_FIELDS = ['docNo', 'decisionDate', 'subjectName'] as const;
export const DATE_KEY_FIELDS = ['decisionDate', 'validityEnd'] as const;

/** A checked catalogue item definition: what one version of an item says. */
export interface ItemDefinition {
  code: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string;
  legalBasis: LegalBasis[];
  subjectTypes: SubjectType[];
  payloadSchema: JsonSchema;
  fieldVisibility: Record<string, Visibility>;
  severityRule: SeverityRule;
  periodRule: PeriodRule;
  keyFields: KeyFields;
  /**
   * Header → field overrides per file layout, for headers whose meaning differs between layouts
   * (e.g. 行政相对人代码_2 is 组织机构代码 in the 2016 template and 工商注册号 in the current one).
   */
  layoutVariants?: Record<string, Record<string, string>>;
}

/** The same shape as it arrives from an administrator, before any value is trusted. */
export interface ItemDefinitionInput {
  code: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string;
  legalBasis?: readonly { instrument?: string; article?: string; rank?: string; note?: string }[];
  subjectTypes?: readonly string[];
  payloadSchema?: unknown;
  fieldVisibility?: Readonly<Record<string, string>>;
  severityRule?: {
    kind: string;
    field?: string;
    map?: Readonly<Record<string, string>>;
    default?: string | null;
  };
  periodRule?: { kind: string; months?: number; field?: string };
  keyFields?: Readonly<Partial<Record<keyof KeyFields, string>>>;
  layoutVariants?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export type ProblemCode =
  | 'CODE_INVALID'
  | 'NAME_REQUIRED'
  | 'CATEGORY_UNKNOWN'
  | 'LEGAL_BASIS_REQUIRED'
  | 'LEGAL_BASIS_INVALID'
  | 'LEGAL_BASIS_RANK_TOO_LOW'
  | 'SUBJECT_TYPES_REQUIRED'
  | 'SUBJECT_TYPE_UNKNOWN'
  | 'SCHEMA_INVALID'
  | 'FIELD_TITLE_REQUIRED'
  | 'PROHIBITED_FIELD'
  | 'VISIBILITY_MISSING'
  | 'VISIBILITY_INVALID'
  | 'VISIBILITY_UNKNOWN_FIELD'
  | 'SENSITIVE_FIELD_PUBLIC'
  | 'KEY_FIELD_REQUIRED'
  | 'KEY_FIELD_UNKNOWN'
  | 'KEY_FIELD_INVALID'
  | 'SEVERITY_RULE_INVALID'
  | 'PERIOD_RULE_INVALID'
  | 'ALIAS_CONFLICT';

export interface ItemProblem {
  code: ProblemCode;
  /** Where in the definition, e.g. `legalBasis[0].rank` or `payloadSchema.properties.CF_WSH`. */
  field: string;
  message: Bilingual;
}

export interface CheckOptions {
  /** Category codes that exist; when omitted the category is not checked. */
  categories?: readonly string[];
}

export const ITEM_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,31}$/;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** The top-level properties of a payload schema (empty when the schema is malformed). */
export function schemaProperties(schema: unknown): Record<string, JsonSchema> {
  if (!isObject(schema) || !isObject(schema.properties)) return {};
  const out: Record<string, JsonSchema> = {};
  for (const [k, v] of Object.entries(schema.properties)) if (isObject(v)) out[k] = v;
  return out;
}

export function requiredOf(schema: unknown): string[] {
  return isObject(schema) && Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === 'string')
    : [];
}

/** The Chinese title of a payload property, or its key. */
export function fieldTitle(schema: unknown, key: string): string {
  const t = schemaProperties(schema)[key]?.title;
  return typeof t === 'string' && t ? t : key;
}

/** `“处罚决定日期”（CF_JDRQ）` / `CF_JDRQ (处罚决定日期)`. */
export function fieldLabel(schema: unknown, key: string): Bilingual {
  const title = fieldTitle(schema, key);
  return title === key
    ? { zh: `“${key}”`, en: key }
    : { zh: `“${title}”（${key}）`, en: `${key} (${title})` };
}

/**
 * Every name a file header may use for a field: its key, its `x-code`, its title and its
 * `x-aliases`. Returns the map header → field and the headers claimed by two fields.
 */
export function buildAliasMap(schema: unknown): { aliases: Record<string, string>; conflicts: string[] } {
  const aliases: Record<string, string> = {};
  const conflicts = new Set<string>();
  const claim = (name: unknown, key: string) => {
    if (!nonEmpty(name)) return;
    const n = name.trim();
    const prior = aliases[n];
    if (prior !== undefined && prior !== key) conflicts.add(n);
    else aliases[n] = key;
  };
  for (const [key, prop] of Object.entries(schemaProperties(schema))) {
    claim(key, key);
    claim(prop['x-code'], key);
    claim(prop.title, key);
    if (Array.isArray(prop['x-aliases'])) for (const a of prop['x-aliases']) claim(a, key);
  }
  return { aliases, conflicts: [...conflicts] };
}

export function* walkProperties(
  schema: unknown,
  path: string,
): Generator<{ key: string; path: string; prop: JsonSchema }> {
  if (!isObject(schema)) return;
  if (isObject(schema.properties))
    for (const [key, prop] of Object.entries(schema.properties)) {
      if (!isObject(prop)) continue;
      const p = `${path}.properties.${key}`;
      yield { key, path: p, prop };
      yield* walkProperties(prop, p);
    }
  if (isObject(schema.items)) yield* walkProperties(schema.items, `${path}.items`);
  for (const kw of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[kw];
    if (Array.isArray(list))
      for (const [i, sub] of list.entries()) yield* walkProperties(sub, `${path}.${kw}[${i}]`);
  }
  for (const kw of ['if', 'then', 'else'] as const)
    if (isObject(schema[kw])) yield* walkProperties(schema[kw], `${path}.${kw}`);
}

export type AddProblem = (code: ProblemCode, field: string, zh: string, en: string) => void;
