import {
  buildAliasMap,
  requiredOf,
  schemaProperties,
  type JsonSchema,
} from '../../../domain/catalog/definition';
import { NATIONAL_ITEMS, type ItemVersion } from '../catalog';

/*
 * Header mapping: which payload field each column of a file (or key of a JSON record) fills.
 * Headers may be the Chinese field names, the XK_/CF_ codes or the aliases of older templates, with
 * full- or half-width punctuation and stray spaces, in any order. Pure: no I/O.
 */

export const LAYOUTS = ['current', 'legacy2016'] as const;
export type Layout = (typeof LAYOUTS)[number];

export type FieldKind = 'text' | 'code' | 'date' | 'amount' | 'enum' | 'array' | 'number' | 'boolean';

export interface FieldInfo {
  key: string;
  title: string;
  kind: FieldKind;
  /** Allowed values (enum, or the items of an array field). */
  values: readonly string[];
  /** Code values and older spellings → allowed value (x-enum-aliases). */
  valueAliases: Readonly<Record<string, string>>;
  required: boolean;
  sensitive: boolean;
  maxLength?: number;
  description?: string;
}

export interface ItemLayout {
  item: ItemVersion;
  fields: ReadonlyMap<string, FieldInfo>;
  /** Normalised header → field key. */
  aliases: ReadonlyMap<string, string>;
  /** Layout → normalised header → field key, for headers whose meaning depends on the layout. */
  variants: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;

/** Columns that carry the platform's own report (rejected-row downloads), skipped on re-submission. */
export const REPORT_HEADERS = ['原行号', '错误说明', 'Errors'] as const;
const REPORT = new Set(REPORT_HEADERS.map(normaliseHeader));

/** Columns of the declared severity (items whose severity the department declares). */
const SEVERITY = new Set(['SEVERITY', '严重程度', '失信严重程度', '信用严重程度'].map(normaliseHeader));

/**
 * Columns of the 2016 template that carry no credit information the catalogue defines (REFERENCE
 * §2.2): the platform computes the publication period itself and keeps its own timestamps. They
 * are ignored and listed on the batch.
 */
const LEGACY_IGNORED = new Set(
  ['地方编码', '数据更新时间戳', '信息使用范围', '公示期限', '当前状态', '序号'].map(normaliseHeader),
);

/** Headers only the 2016 template has; one of them present means the file uses that layout. */
const LEGACY_MARKERS = new Set(
  [
    '处罚类别1',
    '处罚类别2',
    '处罚事由',
    '处罚结果',
    '地方编码',
    '数据更新时间戳',
    '信息使用范围',
    '公示期限',
    '工商登记码',
    '居民身份证号',
  ].map(normaliseHeader),
);

/**
 * The comparable form of a header: NFKC (full-width letters, digits, brackets and spaces become
 * half-width), no whitespace at all, no required-field asterisks, 【】[] as (), ASCII upper case.
 */
export function normaliseHeader(h: string): string {
  return h
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .replace(/[[【〔]/g, '(')
    .replace(/[\]】〕]/g, ')')
    .replace(/[a-z]/g, (c) => c.toUpperCase());
}

function kindOf(prop: JsonSchema): FieldKind {
  const type = prop.type;
  const types = Array.isArray(type) ? type : [type];
  if (types.includes('array')) return 'array';
  if (prop.format === 'date') return 'date';
  if (prop['x-unit'] === '万元') return 'amount';
  if (Array.isArray(prop.enum)) return 'enum';
  if (types.includes('number') || types.includes('integer')) return 'number';
  if (types.includes('boolean')) return 'boolean';
  if (typeof prop.pattern === 'string') return 'code';
  return 'text';
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v))
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

const layouts = new Map<string, ItemLayout>();

/**
 * Columns in the order of the published template. Stored schemas lose their key order (jsonb),
 * so the order comes from the shipped national catalogue; fields it does not know follow the
 * subject and document fields, required ones first, 备注 last.
 */
function fieldOrder(item: ItemVersion, keys: readonly string[], required: ReadonlySet<string>): string[] {
  const seeded = NATIONAL_ITEMS.find((d) => d.code === item.code);
  const seedOrder = Object.keys(schemaProperties(seeded?.payloadSchema));
  const kf = item.keyFields;
  const lead = [
    kf.subjectName,
    kf.subjectCategory,
    kf.subjectUscc,
    kf.subjectIdType,
    kf.subjectIdNo,
    kf.docNo,
  ];
  const rank = (k: string): number => {
    const i = seedOrder.indexOf(k);
    if (i >= 0) return i;
    const j = lead.indexOf(k);
    if (j >= 0) return 1000 + j;
    return k === 'BZ' ? 3000 : required.has(k) ? 2000 : 2500;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The header map of an item version (cached: versions never change). */
export function itemLayout(item: ItemVersion): ItemLayout {
  const cacheKey = `${item.code}@${item.version}:${item.schemaHash}`;
  const cached = layouts.get(cacheKey);
  if (cached) return cached;
  const props = schemaProperties(item.payloadSchema);
  const required = new Set(requiredOf(item.payloadSchema));
  const fields = new Map<string, FieldInfo>();
  for (const key of fieldOrder(item, Object.keys(props), required)) {
    const prop = props[key] as JsonSchema;
    const kind = kindOf(prop);
    const items = prop.items && typeof prop.items === 'object' ? (prop.items as JsonSchema) : {};
    fields.set(key, {
      key,
      title: typeof prop.title === 'string' && prop.title ? prop.title : key,
      kind,
      values: kind === 'array' ? stringList(items.enum) : stringList(prop.enum),
      valueAliases: stringMap(prop['x-enum-aliases'] ?? items['x-enum-aliases']),
      required: required.has(key),
      sensitive: prop['x-sensitive'] === true,
      ...(typeof prop.maxLength === 'number' ? { maxLength: prop.maxLength } : {}),
      ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    });
  }
  const aliases = new Map<string, string>();
  const all = { ...buildAliasMap(item.payloadSchema).aliases, ...item.aliases };
  for (const [name, key] of Object.entries(all)) if (fields.has(key)) aliases.set(normaliseHeader(name), key);
  const variants = new Map<string, Map<string, string>>();
  for (const [layout, map] of Object.entries(item.layoutVariants ?? {})) {
    const m = new Map<string, string>();
    for (const [name, key] of Object.entries(map)) if (fields.has(key)) m.set(normaliseHeader(name), key);
    variants.set(layout, m);
  }
  const built: ItemLayout = { item, fields, aliases, variants };
  if (layouts.size > 200) layouts.clear();
  layouts.set(cacheKey, built);
  return built;
}

export type ColumnTarget =
  | { kind: 'field'; key: string }
  | { kind: 'severity' }
  | { kind: 'ignored'; why: 'report' | 'legacy' | 'blank' };

export interface HeaderPlan {
  layout: Layout | null;
  columns: ColumnTarget[];
  unknown: string[];
  /** Headers of columns mapping to a field another column already fills (not a list field). */
  duplicates: string[];
  ignored: string[];
  /** Fields filled by a column, in column order. */
  mapped: string[];
}

function splitQualified(h: string): { base: string; qualifier: string } | null {
  const m = /^(.+?)\((.+)\)$/.exec(h);
  return m ? { base: m[1] as string, qualifier: m[2] as string } : null;
}

/** Whether any layout gives this header a meaning of its own (e.g. 行政相对人代码_2). */
function isVariantHeader(l: ItemLayout, h: string): boolean {
  for (const m of l.variants.values()) if (m.has(h)) return true;
  return false;
}

/** The layout a file follows: declared, else from the headers only one of the templates has. */
export function detectLayout(l: ItemLayout, headers: readonly string[], declared?: Layout): Layout | null {
  if (l.variants.size === 0) return declared ?? null;
  if (declared) return declared;
  const norm = headers.map(normaliseHeader);
  if (norm.some((h) => LEGACY_MARKERS.has(h) || LEGACY_MARKERS.has(splitQualified(h)?.qualifier ?? '')))
    return 'legacy2016';
  const categoryField = l.item.keyFields.subjectCategory;
  const hasCategory = categoryField !== undefined && norm.some((h) => l.aliases.get(h) === categoryField);
  const needsVariant = norm.some(
    (h) => isVariantHeader(l, h) || isVariantHeader(l, splitQualified(h)?.base ?? ''),
  );
  // The 2016 template has no 行政相对人类别 column; the current one always has it.
  return needsVariant && !hasCategory ? 'legacy2016' : 'current';
}

/** What a header (or a JSON key) fills, in a file of the given layout; null when nothing. */
export function resolveHeader(l: ItemLayout, raw: string, layout: Layout | null): ColumnTarget | null {
  return resolve(l, normaliseHeader(raw), layout);
}

function resolve(l: ItemLayout, h: string, layout: Layout | null): ColumnTarget | null {
  if (h === '') return { kind: 'ignored', why: 'blank' };
  if (REPORT.has(h)) return { kind: 'ignored', why: 'report' };
  if (SEVERITY.has(h)) return { kind: 'severity' };
  const direct = l.aliases.get(h);
  if (direct && !isVariantHeader(l, h)) return { kind: 'field', key: direct };
  const q = splitQualified(h);
  if (q) {
    // "行政相对人代码_2（组织机构代码）": the qualifier says what the column holds, whatever the layout.
    const byQualifier = l.aliases.get(q.qualifier);
    if (byQualifier) return { kind: 'field', key: byQualifier };
    const byBase = resolve(l, q.base, layout);
    if (byBase && byBase.kind === 'field') return byBase;
  }
  const variant = l.variants.get(layout ?? 'current')?.get(h);
  if (variant) return { kind: 'field', key: variant };
  if (direct) return { kind: 'field', key: direct };
  if (LEGACY_IGNORED.has(h)) return { kind: 'ignored', why: 'legacy' };
  return null;
}

/** Maps every column of a header row; unknown and doubly-mapped headers are listed, not guessed. */
export function planHeaders(l: ItemLayout, headers: readonly string[], declared?: Layout): HeaderPlan {
  const layout = detectLayout(l, headers, declared);
  const plan: HeaderPlan = { layout, columns: [], unknown: [], duplicates: [], ignored: [], mapped: [] };
  const filledBy = new Map<string, string>();
  for (const raw of headers) {
    const h = normaliseHeader(raw);
    const target = resolve(l, h, layout);
    if (!target) {
      plan.unknown.push(raw.trim());
      plan.columns.push({ kind: 'ignored', why: 'blank' });
      continue;
    }
    if (target.kind === 'ignored' && target.why !== 'blank') plan.ignored.push(raw.trim());
    if (target.kind === 'field') {
      const prior = filledBy.get(target.key);
      // 处罚类别1 / 处罚类别2: several columns of one list field are merged.
      if (prior !== undefined && l.fields.get(target.key)?.kind !== 'array') {
        plan.duplicates.push(`${prior} / ${raw.trim()}`);
      } else if (prior === undefined) {
        filledBy.set(target.key, raw.trim());
        plan.mapped.push(target.key);
      }
    }
    plan.columns.push(target);
  }
  return plan;
}

/**
 * How well a header row fits an item: `score` is the number of fields its columns fill (0 when the
 * item's document number or decision date is not among them, or when more columns are unknown to
 * the item than fill it); `strict` when every column maps, once.
 */
export function headerFit(l: ItemLayout, headers: readonly string[]): { score: number; strict: boolean } {
  const plan = planHeaders(l, headers);
  const kf = l.item.keyFields;
  if (!plan.mapped.includes(kf.docNo) || !plan.mapped.includes(kf.decisionDate))
    return { score: 0, strict: false };
  const strict = plan.unknown.length === 0 && plan.duplicates.length === 0;
  if (!strict && plan.unknown.length >= plan.mapped.length) return { score: 0, strict: false };
  return { score: plan.mapped.length, strict };
}

const DATA_LIKE = [
  /^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}/, // a date
  /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, // a USCC
  /^\d{17}[\dXx]$/, // a citizen ID number
  /^-?\d+(\.\d+)?$/, // a number
];

/** A first row whose cells look like values rather than names: the header row is missing. */
export function looksLikeData(cells: readonly string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter(Boolean);
  if (filled.length === 0) return false;
  const dataLike = filled.filter((c) => DATA_LIKE.some((re) => re.test(c.normalize('NFKC'))));
  return dataLike.length >= 1 && dataLike.length * 4 >= filled.length;
}
