import { KEY_FIELD_NAMES } from '../../../domain/catalog/definition';
import type { FormPath } from '../../api/errors';
import type { CatalogItem, JsonProp, Visibility } from '../../api/types';
import { orderFields } from './fieldOrder';

/**
 * The catalogue item editor works on a flat form (one row per field, one per legal basis) and
 * turns it into the definition the API checks. Keywords the editor does not show (patterns,
 * aliases, conditional rules) are carried over from the version being edited, so a new version
 * changes only what the administrator touched.
 */

export type FieldKind = 'string' | 'date' | 'number' | 'integer' | 'boolean' | 'enum' | 'list';
export type KeyFieldName = (typeof KEY_FIELD_NAMES)[number];

export interface FieldRow {
  key: string;
  title: string;
  /** English title (`x-title-en`); empty means none. */
  titleEn?: string;
  kind: FieldKind;
  enumValues?: string[];
  required?: boolean;
  visibility: Visibility;
  sensitive?: boolean;
}

export interface LegalBasisRow {
  instrument?: string;
  article?: string;
  rank?: string;
  note?: string;
}

export interface ItemFormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  categoryCode?: string;
  subjectTypes: string[];
  legalBasis: LegalBasisRow[];
  fields: FieldRow[];
  keyFields: Partial<Record<KeyFieldName, string>>;
  severityKind: 'none' | 'declared' | 'derived';
  severityField?: string;
  /** One `value=SEVERITY` per line. */
  severityMap?: string;
  severityDefault?: string | null;
  periodKind: 'severity' | 'fixed' | 'validity' | 'permanent';
  periodMonths?: number;
  periodField?: string;
}

/** A new item starts from the fields every record needs: document, date and subject. */
export function emptyItemForm(): ItemFormValues {
  return {
    code: '',
    nameZh: '',
    nameEn: '',
    subjectTypes: ['ENTERPRISE'],
    legalBasis: [],
    fields: [
      { key: 'WSH', title: '决定文书号', kind: 'string', required: true, visibility: 'public' },
      { key: 'JDRQ', title: '决定日期', kind: 'date', required: true, visibility: 'public' },
      { key: 'XDR_MC', title: '主体名称', kind: 'string', required: true, visibility: 'public' },
      { key: 'XDR_SHXYM', title: '统一社会信用代码', kind: 'string', required: false, visibility: 'public' },
    ],
    keyFields: { docNo: 'WSH', decisionDate: 'JDRQ', subjectName: 'XDR_MC', subjectUscc: 'XDR_SHXYM' },
    severityKind: 'none',
    periodKind: 'fixed',
    periodMonths: 36,
  };
}

const itemsOf = (p: JsonProp | undefined): JsonProp | null =>
  p?.items && typeof p.items === 'object' && !Array.isArray(p.items) ? (p.items as JsonProp) : null;

function kindOf(p: JsonProp): FieldKind {
  if (p.type === 'array') return 'list';
  if (Array.isArray(p.enum)) return 'enum';
  const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
  if (type === 'string' && p.format === 'date') return 'date';
  if (type === 'number' || type === 'integer' || type === 'boolean') return type;
  return 'string';
}

export function itemToForm(item: CatalogItem): ItemFormValues {
  const props = item.payloadSchema.properties ?? {};
  const required = new Set(Array.isArray(item.payloadSchema.required) ? item.payloadSchema.required : []);
  const sev = item.severityRule;
  return {
    code: item.code,
    nameZh: item.nameZh,
    nameEn: item.nameEn,
    categoryCode: item.categoryCode,
    subjectTypes: [...item.subjectTypes],
    legalBasis: item.legalBasis.map((b) => ({ ...b })),
    fields: orderFields(Object.keys(props), item.keyFields, [...required])
      .map((key) => [key, props[key] as JsonProp] as const)
      .map(([key, p]) => ({
        key,
        title: typeof p.title === 'string' ? p.title : '',
        ...(typeof p['x-title-en'] === 'string' ? { titleEn: p['x-title-en'] } : {}),
        kind: kindOf(p),
        ...(Array.isArray(p.enum) ? { enumValues: p.enum.map(String) } : {}),
        ...(Array.isArray(itemsOf(p)?.enum) ? { enumValues: (itemsOf(p)?.enum ?? []).map(String) } : {}),
        required: required.has(key),
        visibility: item.fieldVisibility[key] ?? 'internal',
        sensitive: p['x-sensitive'] === true,
      })),
    keyFields: { ...(item.keyFields as Partial<Record<KeyFieldName, string>>) },
    severityKind: sev.kind === 'declared' || sev.kind === 'derived' ? sev.kind : 'none',
    ...(sev.field ? { severityField: sev.field } : {}),
    ...(sev.map
      ? {
          severityMap: Object.entries(sev.map)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
        }
      : {}),
    severityDefault: sev.default ?? null,
    periodKind:
      (['severity', 'fixed', 'validity', 'permanent'] as const).find((k) => k === item.periodRule.kind) ??
      'severity',
    ...(item.periodRule.months !== undefined ? { periodMonths: item.periodRule.months } : {}),
    ...(item.periodRule.field ? { periodField: item.periodRule.field } : {}),
  };
}

const TYPE_KEYWORDS = ['type', 'format', 'enum', 'items'];

function enumValuesOf(p: JsonProp): string[] {
  const list = Array.isArray(p.enum) ? p.enum : itemsOf(p)?.enum;
  return Array.isArray(list) ? list.map(String) : [];
}

function propFor(row: FieldRow, base: JsonProp | undefined): JsonProp {
  // Type keywords the editor did not change stay exactly as stored (e.g. ["string", "number"]).
  const sameType =
    base !== undefined &&
    kindOf(base) === row.kind &&
    JSON.stringify(enumValuesOf(base)) === JSON.stringify(row.enumValues ?? []);
  const out: JsonProp = {};
  for (const [k, v] of Object.entries(base ?? {})) if (sameType || !TYPE_KEYWORDS.includes(k)) out[k] = v;
  if (sameType) {
    out.title = row.title.trim();
    setTitleEn(out, row);
    if (row.sensitive) out['x-sensitive'] = true;
    else delete out['x-sensitive'];
    return out;
  }
  switch (row.kind) {
    case 'date':
      Object.assign(out, { type: 'string', format: 'date' });
      break;
    case 'enum':
      Object.assign(out, { type: 'string', enum: row.enumValues ?? [] });
      break;
    case 'list': {
      // Several values (e.g. 处罚类别 警告；罚款): keep the item schema, with the editor's choices.
      const items: JsonProp = { ...(itemsOf(base) ?? { type: 'string' }) };
      if (row.enumValues?.length) items.enum = row.enumValues;
      else delete items.enum;
      Object.assign(out, { type: 'array', items });
      break;
    }
    default:
      out.type = row.kind;
  }
  out.title = row.title.trim();
  setTitleEn(out, row);
  if (row.sensitive) out['x-sensitive'] = true;
  else delete out['x-sensitive'];
  return out;
}

function setTitleEn(out: JsonProp, row: FieldRow): void {
  const en = row.titleEn?.trim();
  if (en) out['x-title-en'] = en;
  else delete out['x-title-en'];
}

export function parseSeverityMap(text: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/)) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    const v = line.slice(i + 1).trim();
    if (k) map[k] = v;
  }
  return map;
}

/** The request body of POST /catalog/items (with code) or /items/:code/versions (without). */
export function formToBody(
  v: ItemFormValues,
  base: CatalogItem | null,
  withCode: boolean,
): Record<string, unknown> {
  const baseProps = base?.payloadSchema.properties ?? {};
  const rows = (v.fields ?? []).filter((f) => f && f.key);
  const properties: Record<string, JsonProp> = {};
  for (const r of rows) properties[r.key.trim()] = propFor(r, baseProps[r.key.trim()]);
  // The version's own order of `required` is kept, so an untouched list is not a change.
  const wanted = rows.filter((r) => r.required).map((r) => r.key.trim());
  const baseRequired = Array.isArray(base?.payloadSchema.required) ? base.payloadSchema.required : [];
  const required = [
    ...baseRequired.filter((k) => wanted.includes(k)),
    ...wanted.filter((k) => !baseRequired.includes(k)),
  ];
  const payloadSchema: Record<string, unknown> = {
    ...(base?.payloadSchema ?? {}),
    type: 'object',
    properties,
    additionalProperties: false,
  };
  if (required.length) payloadSchema.required = required;
  else delete payloadSchema.required;

  const keyFields: Record<string, string> = {};
  for (const [k, f] of Object.entries(v.keyFields ?? {})) if (f) keyFields[k] = f;

  const severityRule: Record<string, unknown> = { kind: v.severityKind };
  if (v.severityKind === 'derived') {
    severityRule.field = v.severityField ?? '';
    severityRule.map = parseSeverityMap(v.severityMap);
    severityRule.default = v.severityDefault ?? null;
  }
  const periodRule: Record<string, unknown> = { kind: v.periodKind };
  if (v.periodKind === 'fixed') periodRule.months = v.periodMonths;
  if (v.periodKind === 'validity') periodRule.field = v.periodField ?? '';

  return {
    ...(withCode ? { code: v.code.trim() } : {}),
    nameZh: v.nameZh.trim(),
    nameEn: v.nameEn.trim(),
    categoryCode: v.categoryCode ?? '',
    legalBasis: (v.legalBasis ?? [])
      .filter((b) => b && (b.instrument || b.article || b.rank))
      .map((b) => ({
        instrument: (b.instrument ?? '').trim(),
        ...(b.article?.trim() ? { article: b.article.trim() } : {}),
        rank: b.rank ?? '',
        ...(b.note?.trim() ? { note: b.note.trim() } : {}),
      })),
    subjectTypes: v.subjectTypes ?? [],
    payloadSchema,
    fieldVisibility: Object.fromEntries(rows.map((r) => [r.key.trim(), r.visibility])),
    severityRule,
    periodRule,
    keyFields,
    ...(base?.layoutVariants && Object.keys(base.layoutVariants).length
      ? { layoutVariants: base.layoutVariants }
      : {}),
  };
}

const SIMPLE = new Set(['code', 'nameZh', 'nameEn', 'categoryCode']);
const BASIS_PARTS = new Set(['instrument', 'article', 'rank', 'note']);

/**
 * Where a problem the server found in a definition belongs in the editor: a field's row for
 * `payloadSchema.properties.X` and `fieldVisibility.X`, the legal-basis list for `legalBasis…`,
 * and so on. Problems with no place in the form go above it.
 */
export function problemToFormPath(fields: readonly Pick<FieldRow, 'key'>[]) {
  const rowOf = (key: unknown) => fields.findIndex((f) => f?.key?.trim() === key);
  return (path: FormPath, code: string): FormPath | null => {
    const [head, a, b] = path;
    if (typeof head !== 'string') return null;
    if (SIMPLE.has(head)) return [head];
    if (head === 'legalBasis') {
      if (typeof a === 'number' && typeof b === 'string' && BASIS_PARTS.has(b)) return ['legalBasis', a, b];
      return ['legalBasis'];
    }
    if (head === 'subjectTypes') return ['subjectTypes'];
    if (head === 'payloadSchema') {
      if (a === 'properties' && typeof b === 'string') {
        const i = rowOf(b);
        if (i < 0) return ['fields'];
        return [
          'fields',
          i,
          code === 'FIELD_TITLE_REQUIRED' || code === 'PROHIBITED_FIELD' ? 'title' : 'key',
        ];
      }
      return ['fields'];
    }
    if (head === 'fieldVisibility') {
      const i = rowOf(a);
      return i < 0 ? ['fields'] : ['fields', i, 'visibility'];
    }
    if (head === 'keyFields') return typeof a === 'string' ? ['keyFields', a] : null;
    if (head === 'severityRule') {
      if (a === 'field') return ['severityField'];
      if (a === 'map') return ['severityMap'];
      if (a === 'default') return ['severityDefault'];
      return ['severityKind'];
    }
    if (head === 'periodRule') {
      if (a === 'months') return ['periodMonths'];
      if (a === 'field') return ['periodField'];
      return ['periodKind'];
    }
    return null;
  };
}
