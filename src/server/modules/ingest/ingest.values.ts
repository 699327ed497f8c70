import { validateUscc } from '../../../domain/identifiers';
import type { Bilingual } from '../../../domain/i18n';
import { parseWanYuan } from '../../../domain/money';
import type { Severity } from '../../../domain/periods';
import type { FieldError } from '../records';
import type { ColumnTarget, FieldInfo, HeaderPlan, ItemLayout } from './ingest.headers';

/*
 * Cell values → payload values, field by field, following the field's kind in the catalogue
 * schema. Pure: no I/O. A value that cannot be converted gives a field error naming the cell; a
 * value that converts but is still wrong (a 10 000-character text, a date that does not exist)
 * is left for the schema to reject, so every rule lives in one place.
 */

/** What a reader yields for one cell. */
export type Cell = string | number | boolean | Date | null | undefined | FormulaCell;

/** A spreadsheet cell holding a formula: its cached result, or none. */
export interface FormulaCell {
  formula: string;
  result?: string | number | boolean | Date | null;
  error?: string;
}

/** A JSON value that is not a scalar: a list (for list fields) or anything else (left to the schema). */
type Wrapped = { list: readonly unknown[] } | { raw: unknown };
type Value = Cell | Wrapped;

function isWrapped(v: Value): v is Wrapped {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && ('list' in v || 'raw' in v);
}

export function isFormula(c: Value): c is FormulaCell {
  return typeof c === 'object' && c !== null && !(c instanceof Date) && 'formula' in c;
}

/** Spaces around a value, full-width and zero-width ones included (trim() knows all but U+200B). */
function trim(s: string): string {
  const t = s.trim();
  return t.charCodeAt(0) === 0x200b || t.charCodeAt(t.length - 1) === 0x200b
    ? t.replace(/^[\s\u200b]+|[\s\u200b]+$/g, '')
    : t;
}

/**
 * Exported files neutralise cells that a spreadsheet would run as a formula with a leading
 * apostrophe (see ingest.export.ts); reading such a file back drops it again.
 */
const NEUTRALISED = /^'(?=[=+\-@\t\r])/;

/** A cell as display text (the form kept for rejected rows and used for headers). */
export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? '' : c.toISOString().slice(0, 10);
  if (isFormula(c)) return c.result === undefined || c.result === null ? '' : cellText(c.result);
  if (typeof c === 'number') return numberText(c);
  return String(c);
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // Spreadsheets store 0.3 as 0.30000000000000004; six decimals is the finest amount (one fen in 万元).
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

const pad = (n: number | string, w = 2) => String(n).padStart(w, '0');

/** Days since 1899-12-30 (Excel's 1900 date system, including its phantom 1900-02-29). */
function fromSerial(serial: number): string {
  const d = new Date(Math.round((Math.floor(serial) - 25569) * 86_400_000));
  return d.toISOString().slice(0, 10);
}

/** YYYY/MM/DD, YYYY-MM-DD, YYYY.MM.DD, YYYY年M月D日, YYYYMMDD, with or without a time; Excel serials. */
export function toIsoDate(c: Cell): string | null {
  if (c instanceof Date) {
    if (Number.isNaN(c.getTime())) return null;
    // Spreadsheet readers give the cell's civil date at UTC midnight.
    return `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}`;
  }
  if (typeof c === 'number') return c >= 1 && c < 2_958_466 ? fromSerial(c) : null;
  if (typeof c !== 'string') return null;
  const s = trim(c.normalize('NFKC'));
  let m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      s,
    );
  if (m) return `${m[1]}-${pad(m[2] as string)}-${pad(m[3] as string)}`;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  // A date column exported from a spreadsheet without its format: 5-digit serials (1954–2119).
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    const n = Number(s);
    if (n >= 20_000 && n < 80_000) return fromSerial(n);
  }
  return null;
}

export interface Converted {
  value?: unknown;
  error?: FieldError;
}

function fieldError(f: FieldInfo, code: string, zh: string, en: string): FieldError {
  return {
    field: f.key,
    code,
    message: { zh: `“${f.title}”（${f.key}）${zh}`, en: `${f.key} (${f.title}) ${en}` },
  };
}

const SEPARATORS = /[;；,，、\n|]+/;

function enumValue(f: FieldInfo, s: string): string {
  if (f.values.includes(s)) return s;
  const alias = f.valueAliases[s] ?? (/^\d$/.test(s) ? f.valueAliases[`0${s}`] : undefined);
  if (alias !== undefined) return alias;
  const nfkc = s.normalize('NFKC');
  return nfkc !== s ? enumValue(f, nfkc) : s;
}

function scalar(f: FieldInfo, c: Cell): Converted {
  if (isFormula(c)) {
    if (c.error !== undefined || (typeof c.result === 'number' && Number.isNaN(c.result)))
      return {
        error: fieldError(
          f,
          'FORMULA_ERROR',
          `的公式计算结果为错误值 ${c.error ?? ''}`.trim(),
          `holds a formula whose result is an error ${c.error ?? ''}`.trim(),
        ),
      };
    if (c.result === undefined || c.result === null)
      return {
        error: fieldError(
          f,
          'FORMULA_NO_RESULT',
          '含公式但文件中没有计算结果；请在 Excel 中重新计算后保存，或将公式粘贴为数值',
          'holds a formula with no stored result; recalculate and save in Excel, or paste the values',
        ),
      };
    return scalar(f, c.result);
  }
  if (c === null || c === undefined) return {};
  if (f.kind === 'date') {
    const iso = toIsoDate(c);
    if (iso) return { value: iso };
  }
  if (f.kind === 'amount') {
    const text = typeof c === 'number' ? numberText(c) : trim(cellText(c));
    if (text === '') return {};
    const r = parseWanYuan(text);
    if (r.ok) return { value: r.value };
    const why: Record<string, Bilingual> = {
      'wrong-unit': {
        zh: '须以万元为单位填写数字（2000 元填 0.2）',
        en: 'must be a number in 万元 (2,000 CNY is 0.2)',
      },
      negative: { zh: '不能为负数', en: 'must not be negative' },
      'too-precise': { zh: '最多 6 位小数', en: 'allows at most 6 decimals' },
      'too-large': { zh: '数额过大', en: 'is too large' },
    };
    const w = why[r.reason] ?? { zh: '须为以万元为单位的数字', en: 'must be a number in 万元' };
    return { error: fieldError(f, 'FIELD_AMOUNT', `${w.zh}（收到“${text}”）`, `${w.en} (got "${text}")`) };
  }
  let text = trim(cellText(c));
  if (text.charCodeAt(0) === 39) text = text.replace(NEUTRALISED, '');
  if (text === '') return {};
  switch (f.kind) {
    case 'code':
      // Codes typed with full-width characters or lower case (统一社会信用代码 is upper case).
      if (!/^[0-9A-Z]+$/.test(text)) text = text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
      return { value: text };
    case 'enum':
      return { value: enumValue(f, text) };
    case 'number': {
      const n = Number(text.normalize('NFKC').replace(/,/g, ''));
      return { value: Number.isFinite(n) ? n : text };
    }
    case 'boolean':
      if (/^(是|true|1|y|yes)$/i.test(text)) return { value: true };
      if (/^(否|false|0|n|no)$/i.test(text)) return { value: false };
      return { value: text };
    default:
      return { value: text };
  }
}

/** A list field from one or more cells: "警告;罚款", "警告、罚款", or 处罚类别1 + 处罚类别2. */
function list(f: FieldInfo, cells: readonly Value[]): Converted {
  const out: string[] = [];
  for (const c of cells) {
    if (isWrapped(c)) {
      if (!('list' in c)) return { value: c.raw };
      for (const v of c.list) out.push(typeof v === 'string' ? enumValue(f, trim(v)) : (v as string));
      continue;
    }
    const r = scalar({ ...f, kind: 'text' }, c);
    if (r.error) return r;
    if (typeof r.value !== 'string') continue;
    const whole = enumValue(f, r.value);
    if (f.values.includes(whole)) {
      out.push(whole);
      continue;
    }
    for (const part of r.value.split(SEPARATORS)) {
      const p = trim(part);
      if (p) out.push(enumValue(f, p));
    }
  }
  const unique = [...new Set(out)];
  return unique.length ? { value: unique } : {};
}

const SEVERITY_WORDS: Record<string, Severity> = {
  MINOR: 'MINOR',
  GENERAL: 'GENERAL',
  SERIOUS: 'SERIOUS',
  轻微: 'MINOR',
  一般: 'GENERAL',
  严重: 'SERIOUS',
  轻微失信: 'MINOR',
  一般失信: 'GENERAL',
  严重失信: 'SERIOUS',
};

export interface MappedRow {
  payload: Record<string, unknown>;
  severity: Severity | null;
  errors: FieldError[];
  /** Every mapped cell is empty. */
  blank: boolean;
}

/**
 * One row of a table → a record payload. `cells` are aligned with the plan's columns. In the 2016
 * layout the 行政相对人类别 column does not exist: it is derived from the subject's codes.
 */
/** The submitting department: in the 2016 layout it is the data source the file does not name. */
export interface Submitter {
  name: string;
  uscc: string;
}

export function mapRow(l: ItemLayout, plan: HeaderPlan, cells: readonly Cell[], by?: Submitter): MappedRow {
  return rowMapper(l, plan, by)(cells);
}

/**
 * A row mapper for one header plan: which columns fill which field is worked out once, so each row
 * costs a pass over its mapped cells only.
 */
export function rowMapper(
  l: ItemLayout,
  plan: HeaderPlan,
  by?: Submitter,
): (cells: readonly Cell[]) => MappedRow {
  const byKey = new Map<string, number[]>();
  let severityAt = -1;
  plan.columns.forEach((col: ColumnTarget, i) => {
    if (col.kind === 'severity') severityAt = i;
    else if (col.kind === 'field') byKey.set(col.key, [...(byKey.get(col.key) ?? []), i]);
  });
  const fields = [...byKey].map(([key, at]) => ({ key, at }));
  const filled = (c: Cell | undefined): boolean =>
    c !== null &&
    c !== undefined &&
    (typeof c === 'string' ? trim(c) !== '' : isFormula(c) || cellText(c).trim() !== '');
  return (cells) => {
    const byField = new Map<string, Value[]>();
    for (const { key, at } of fields) {
      if (at.length === 1) {
        const c = cells[at[0] as number];
        if (filled(c)) byField.set(key, [c as Cell]);
        continue;
      }
      const values = at.map((i) => cells[i]).filter(filled) as Cell[];
      if (values.length) byField.set(key, values);
    }
    const severityCell = severityAt >= 0 && filled(cells[severityAt]) ? (cells[severityAt] as Cell) : null;
    return finish(l, plan.layout, byField, severityCell, byField.size === 0 && severityCell === null, by);
  };
}

function push(m: Map<string, Value[]>, key: string, v: Value): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

/** One JSON record → a payload; keys are mapped like headers, values keep their JSON types. */
export function mapObject(
  l: ItemLayout,
  targetOf: (key: string) => ColumnTarget | null,
  obj: Record<string, unknown>,
  layout: HeaderPlan['layout'],
  by?: Submitter,
): MappedRow & { unknown: string[] } {
  const byField = new Map<string, Value[]>();
  const unknown: string[] = [];
  let severityCell: Cell = null;
  for (const [key, v] of Object.entries(obj)) {
    const target = targetOf(key);
    if (!target) {
      unknown.push(key);
      continue;
    }
    if (v === null || v === undefined || target.kind === 'ignored') continue;
    if (target.kind === 'severity') severityCell = typeof v === 'string' ? v : null;
    else if (Array.isArray(v)) push(byField, target.key, { list: v });
    else if (typeof v === 'object') push(byField, target.key, { raw: v });
    else push(byField, target.key, v as string | number | boolean);
  }
  return { ...finish(l, layout, byField, severityCell, byField.size === 0, by), unknown };
}

function finish(
  l: ItemLayout,
  layout: HeaderPlan['layout'],
  byField: Map<string, Value[]>,
  severityCell: Cell,
  blank: boolean,
  by?: Submitter,
): MappedRow {
  const payload: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const [key, cells] of byField) {
    const f = l.fields.get(key);
    if (!f) continue;
    const first = cells[0] ?? null;
    const r =
      f.kind === 'array'
        ? list(f, cells)
        : isWrapped(first)
          ? { value: 'list' in first ? first.list : first.raw } // the schema says what is wrong with it
          : scalar(f, first);
    if (r.error) errors.push(r.error);
    else if (r.value !== undefined) payload[key] = r.value;
  }
  if (layout === 'legacy2016') {
    deriveCategory(l, payload);
    if (by) sourceDefaults(l, payload, by);
  }
  let severity: Severity | null = null;
  if (severityCell !== null && severityCell !== undefined) {
    const s = trim(cellText(severityCell));
    if (s) {
      severity = SEVERITY_WORDS[s.toUpperCase()] ?? null;
      if (!severity)
        errors.push({
          field: 'severity',
          code: 'SEVERITY_INVALID',
          message: {
            zh: `严重程度“${s}”无效，可填 轻微、一般、严重（或 MINOR、GENERAL、SERIOUS）`,
            en: `Severity "${s}" is invalid; use MINOR, GENERAL or SERIOUS (轻微、一般、严重)`,
          },
        });
    }
  }
  return { payload, severity, errors, blank };
}

/**
 * The 2016 template has no 行政相对人类别: a valid USCC says what kind of subject it is (个体工商户
 * have their own category code); a 居民身份证号 means a natural person.
 */
function deriveCategory(l: ItemLayout, payload: Record<string, unknown>): void {
  const kf = l.item.keyFields;
  if (!kf.subjectCategory || payload[kf.subjectCategory] !== undefined) return;
  const uscc = kf.subjectUscc ? payload[kf.subjectUscc] : undefined;
  const idNo = kf.subjectIdNo ? payload[kf.subjectIdNo] : undefined;
  if (typeof uscc === 'string' && uscc) {
    const r = validateUscc(uscc);
    payload[kf.subjectCategory] =
      r.valid && r.subjectType === 'INDIVIDUAL_BUSINESS' ? '个体工商户' : '法人及非法人组织';
  } else if (typeof idNo === 'string' && idNo) {
    payload[kf.subjectCategory] = '自然人';
    if (kf.subjectIdType && payload[kf.subjectIdType] === undefined) payload[kf.subjectIdType] = '身份证';
  }
}

/**
 * The 2016 template predates the data-source and authority USCC columns (REFERENCE §2.2): the
 * submitting department is the data source, and the deciding authority's code is its own when
 * the authority named is the department itself. Fields are found by their standard titles.
 */
function sourceDefaults(l: ItemLayout, payload: Record<string, unknown>, by: Submitter): void {
  const byTitle = new Map([...l.fields.values()].map((f) => [f.title, f.key]));
  const set = (title: string, value: string) => {
    const key = byTitle.get(title);
    if (key && payload[key] === undefined) payload[key] = value;
  };
  set('数据来源单位', by.name);
  set('数据来源单位统一社会信用代码', by.uscc);
  for (const f of l.fields.values()) {
    const m = /^(.+机关)统一社会信用代码$/.exec(f.title);
    const authority = m ? byTitle.get(m[1] as string) : undefined;
    if (authority && payload[authority] === by.name && payload[f.key] === undefined) payload[f.key] = by.uscc;
  }
}
