import ExcelJS from 'exceljs';
import { schemaProperties, type JsonSchema } from '../../../domain/catalog/definition';
import { makeCitizenId, makeUscc } from '../../../domain/identifiers';
import { validatePayload, type ItemVersion } from '../catalog';
import { CSV_BOM, csvLine, neutralise } from './ingest.export';
import { itemLayout, type FieldInfo } from './ingest.headers';

/*
 * Templates, generated from the item's schema: the headers (Chinese field names), a description
 * row (required or not, format, allowed values) and an example row that passes validation. Both
 * extra rows start with a 【说明】/【示例】 marker in their first cell and are skipped on upload,
 * so a department can fill the template below them and submit it as it is.
 */

export interface Template {
  headers: string[];
  description: string[];
  example: string[];
}

const EXAMPLE_USCC = makeUscc('91', '500103', 'MA5UEX01');
const EXAMPLE_ID = makeCitizenId('500103', '19850612', '123');
const EXAMPLE_DAY = '2026-01-05';
const LONG_TERM = '2099-12-31';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields required only under a condition (if/then, anyOf, dependentRequired). */
function conditionallyRequired(schema: unknown, top = true, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) conditionallyRequired(s, false, out);
  else if (isObject(schema)) {
    if (!top && Array.isArray(schema.required))
      for (const r of schema.required) if (typeof r === 'string') out.add(r);
    if (isObject(schema.dependentRequired))
      for (const list of Object.values(schema.dependentRequired))
        if (Array.isArray(list)) for (const r of list) out.add(String(r));
    for (const k of ['allOf', 'anyOf', 'oneOf', 'then', 'else'])
      if (schema[k] !== undefined) conditionallyRequired(schema[k], false, out);
  }
  return out;
}

function describe(f: FieldInfo, prop: JsonSchema, conditional: boolean, item: ItemVersion): string {
  const parts: string[] = [f.required ? '必填' : conditional ? '条件必填' : '选填'];
  switch (f.kind) {
    case 'date':
      parts.push('日期，YYYY-MM-DD 或 YYYY/MM/DD');
      if (f.key === item.keyFields.validityEnd) parts.push('2099-12-31 表示长期有效');
      break;
    case 'amount':
      parts.push('金额，单位万元（2000 元填 0.2）');
      break;
    case 'enum':
      parts.push(`可选：${f.values.join('、')}`);
      break;
    case 'array':
      parts.push(`可填多项，用分号分隔：${f.values.join('、')}`);
      break;
    case 'code': {
      const hint =
        isObject(prop['x-hint']) && typeof prop['x-hint'].zh === 'string' ? prop['x-hint'].zh : '代码';
      parts.push(hint);
      break;
    }
    default:
      if (f.maxLength) parts.push(`文本，最多 ${f.maxLength} 字`);
  }
  if (f.sensitive) parts.push('不公开');
  return parts.join('；');
}

function exampleValue(f: FieldInfo, prop: JsonSchema, item: ItemVersion): unknown {
  const kf = item.keyFields;
  if (f.key === kf.subjectName) return '重庆示例科技有限公司';
  if (f.key === kf.docNo) return '渝中示例〔2026〕1号';
  switch (f.kind) {
    case 'date':
      return f.key === kf.validityEnd ? LONG_TERM : EXAMPLE_DAY;
    case 'amount':
      return '0.2';
    case 'enum':
      return f.values[0];
    case 'array':
      return f.values.slice(0, 1);
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'code':
      return typeof prop.pattern === 'string' && new RegExp(prop.pattern).test(EXAMPLE_USCC)
        ? EXAMPLE_USCC
        : EXAMPLE_ID;
    default: {
      if (/证件号码|身份证/.test(f.title)) return EXAMPLE_ID;
      if (/法定代表人|姓名/.test(f.title)) return '张三';
      if (/机关|单位|部门/.test(f.title)) return '重庆市渝中区示例局';
      const text = `示例${f.title}`;
      return f.maxLength ? text.slice(0, f.maxLength) : text;
    }
  }
}

/** A payload that passes the item's schema: required and key fields, then whatever validation asks for. */
export function examplePayload(item: ItemVersion): Record<string, unknown> {
  const l = itemLayout(item);
  const props = schemaProperties(item.payloadSchema);
  const payload: Record<string, unknown> = {};
  const kf = item.keyFields;
  const keys = new Set<string>([
    ...[...l.fields.values()].filter((f) => f.required).map((f) => f.key),
    ...[kf.docNo, kf.decisionDate, kf.subjectName, kf.subjectUscc, kf.subjectCategory, kf.validityEnd].filter(
      (k): k is string => !!k,
    ),
  ]);
  const add = (key: string) => {
    const f = l.fields.get(key);
    if (f && payload[key] === undefined) payload[key] = exampleValue(f, props[key] ?? {}, item);
  };
  for (const k of keys) add(k);
  for (let round = 0; round < 5; round++) {
    const v = validatePayload(item, payload);
    if (v.ok) break;
    let added = false;
    for (const e of v.errors) {
      if (
        (e.code === 'FIELD_REQUIRED' || e.code === 'FIELD_ONE_OF_REQUIRED') &&
        payload[e.field] === undefined &&
        l.fields.has(e.field)
      ) {
        add(e.field);
        added = true;
      }
    }
    if (!added) break;
  }
  return payload;
}

function cellOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.join(';') : String(v);
}

export function templateOf(item: ItemVersion): Template {
  const l = itemLayout(item);
  const props = schemaProperties(item.payloadSchema);
  const conditional = conditionallyRequired(item.payloadSchema);
  const example = examplePayload(item);
  const fields = [...l.fields.values()];
  const description = fields.map((f) => describe(f, props[f.key] ?? {}, conditional.has(f.key), item));
  const exampleCells = fields.map((f) => cellOf(example[f.key]));
  description[0] = `【说明】${description[0] ?? ''}`;
  exampleCells[0] = `【示例】${exampleCells[0] ?? ''}`;
  return { headers: fields.map((f) => f.title), description, example: exampleCells };
}

export function templateCsv(item: ItemVersion): string {
  const t = templateOf(item);
  return CSV_BOM + csvLine(t.headers) + csvLine(t.description) + csvLine(t.example);
}

export async function templateXlsx(item: ItemVersion): Promise<Buffer> {
  const t = templateOf(item);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xinyong 信用';
  const ws = wb.addWorksheet(item.nameZh.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(t.headers).font = { bold: true };
  const desc = ws.addRow(t.description.map(neutralise));
  desc.font = { italic: true, color: { argb: 'FF666666' } };
  desc.alignment = { wrapText: true, vertical: 'top' };
  ws.addRow(t.example.map(neutralise)).font = { color: { argb: 'FF999999' } };
  t.headers.forEach((h, i) => {
    ws.getColumn(i + 1).width = Math.min(36, Math.max(14, h.length * 2 + 2));
    // Text format: codes keep their leading zeros, dates are not reinterpreted.
    ws.getColumn(i + 1).numFmt = '@';
  });
  const help = wb.addWorksheet('填写说明');
  for (const line of [
    `目录事项：${item.nameZh}（${item.code}，第 ${item.version} 版）/ ${item.nameEn}`,
    '在第一个工作表第 3 行以下填写数据，每行一条记录；【说明】【示例】两行上传时自动跳过，可保留或删除。',
    '表头可以使用中文字段名称或字段代码，列的顺序不限；日期可写 YYYY-MM-DD、YYYY/MM/DD 或 Excel 日期；金额以万元为单位。',
    'Fill one record per row below row 3 of the first sheet; the 【说明】/【示例】 rows are skipped on upload.',
  ])
    help.addRow([line]);
  help.getColumn(1).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
