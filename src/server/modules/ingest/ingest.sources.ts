import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors';
import { csvRecords } from './ingest.csv';
import { IngestErrors } from './ingest.errors';
import { cellText, type Cell } from './ingest.values';

/*
 * Readers: a byte stream in, rows out, one at a time (nothing holds the whole file). CSV in UTF-8
 * (with or without BOM), GB18030 or UTF-16 with BOM; XLSX through exceljs' streaming reader; NDJSON
 * and JSON arrays. Encoding and format are detected from the first bytes unless declared.
 */

export const FORMATS = ['csv', 'xlsx', 'ndjson', 'json'] as const;
export type Format = (typeof FORMATS)[number];
export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface TableRow {
  rowNo: number;
  cells: Cell[];
}

export interface TextRow {
  rowNo: number;
  text: string;
}

export interface TableSource {
  kind: 'table';
  format: 'csv' | 'xlsx';
  encoding: TextEncodingName | null;
  headerRowNo: number;
  headers: string[];
  rows: AsyncIterator<TableRow>;
  close(): void;
}

export interface ObjectSource {
  kind: 'objects';
  format: 'ndjson' | 'json';
  encoding: TextEncodingName;
  /** One JSON text per record (a line, or an element of the array). */
  rows: AsyncIterator<TextRow>;
  close(): void;
}

export type Source = TableSource | ObjectSource;

export interface OpenOptions {
  fileName?: string | null;
  encoding?: string | null;
  /** The format is known (the NDJSON endpoint); otherwise detected from the bytes, then the name. */
  format?: Format;
}

const PEEK_BYTES = 64 * 1024;
/** No single record may be larger than this (a 10 000-character field is far below it). */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Reads the first bytes without losing them: `rest` yields the whole stream again. */
async function peek(input: Readable, n: number): Promise<{ prefix: Buffer; rest: Readable }> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    chunks.push(b);
    size += b.length;
  }
  const prefix = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    if (prefix.length) yield prefix;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
  }
  const rest = Readable.from(all(), { objectMode: false });
  rest.on('close', () => input.destroy());
  return { prefix, rest };
}

const ENCODING_NAMES: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-bom': 'utf-8',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  cp936: 'gb18030',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

export function encodingName(declared: string | null | undefined): TextEncodingName | undefined {
  if (declared === undefined || declared === null || declared.trim() === '') return undefined;
  const name = ENCODING_NAMES[declared.trim().toLowerCase().replace(/_/g, '-')];
  if (!name) throw IngestErrors.ENCODING_UNSUPPORTED({ field: 'encoding', encoding: declared });
  return name;
}

/** Offset of the first byte that breaks UTF-8, or -1 (an incomplete sequence at the very end is fine). */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const n =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    if (i + n >= b.length) return -1;
    for (let k = 1; k <= n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return i;
    if ((c === 0xe0 && (b[i + 1] as number) < 0xa0) || (c === 0xf0 && (b[i + 1] as number) < 0x90)) return i; // overlong
    if ((c === 0xed && (b[i + 1] as number) >= 0xa0) || (c === 0xf4 && (b[i + 1] as number) >= 0x90))
      return i; // surrogates, > U+10FFFF
    i += n + 1;
  }
  return -1;
}

function decodes(prefix: Buffer, encoding: TextEncodingName): boolean {
  if (encoding === 'utf-8') return firstInvalidUtf8(prefix) < 0;
  try {
    new TextDecoder(encoding, { fatal: true }).decode(prefix, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The text encoding of a file: its BOM, else the declared one (checked), else UTF-8 when the
 * first 64 KB are valid UTF-8, else GB18030 when they decode as GB18030.
 */
export function detectEncoding(prefix: Buffer, declared?: TextEncodingName): TextEncodingName {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return 'utf-8';
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return 'utf-16le';
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return 'utf-16be';
  if (declared === 'utf-16le' || declared === 'utf-16be') return declared;
  if (prefix.subarray(0, 8192).includes(0)) throw IngestErrors.NOT_TEXT({ field: 'file' });
  if (declared) {
    if (!decodes(prefix, declared))
      throw IngestErrors.WRONG_ENCODING({
        field: 'encoding',
        encoding: declared.toUpperCase(),
        offset: Math.max(0, firstInvalidUtf8(prefix)),
      });
    return declared;
  }
  if (decodes(prefix, 'utf-8')) return 'utf-8';
  if (decodes(prefix, 'gb18030')) return 'gb18030';
  throw IngestErrors.WRONG_ENCODING({
    field: 'file',
    encoding: 'UTF-8 / GB18030',
    offset: firstInvalidUtf8(prefix),
  });
}

/** Bytes → text, failing the whole file at the first byte that is not in the encoding. */
async function* decode(bytes: AsyncIterable<Buffer>, encoding: TextEncodingName): AsyncGenerator<string> {
  const td = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  const fail = (): AppError =>
    IngestErrors.WRONG_ENCODING({ field: 'file', encoding: encoding.toUpperCase(), offset });
  for await (const chunk of bytes) {
    let s: string;
    try {
      s = td.decode(chunk, { stream: true });
    } catch {
      throw fail();
    }
    offset += chunk.length;
    if (s) yield s;
  }
  let tail: string;
  try {
    tail = td.decode();
  } catch {
    throw fail();
  }
  if (tail) yield tail;
}

function detectFormat(prefix: Buffer, fileName: string | null | undefined): Format {
  if (prefix[0] === 0x50 && prefix[1] === 0x4b && prefix[2] === 0x03 && prefix[3] === 0x04) return 'xlsx';
  if (prefix[0] === 0xd0 && prefix[1] === 0xcf && prefix[2] === 0x11 && prefix[3] === 0xe0)
    throw IngestErrors.FORMAT_UNSUPPORTED(
      { field: 'file', format: 'xls' },
      {
        zh: '不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传',
        en: 'Old Excel (.xls) files are not supported; save the file as .xlsx or CSV in Excel and upload that',
      },
    );
  if (prefix.subarray(0, 5).toString('latin1') === '%PDF-')
    throw IngestErrors.FORMAT_UNSUPPORTED({ field: 'file', hint: '（PDF）', hintEn: ' (PDF)' });
  const ext = (fileName ?? '').toLowerCase().split('.').pop() ?? '';
  if (ext === 'xlsx')
    throw IngestErrors.FILE_UNREADABLE({
      field: 'file',
      reason: '不是有效的 .xlsx 文件',
      reasonEn: 'not a valid .xlsx file',
    });
  let start = 0;
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) start = 3;
  while (start < prefix.length && /\s/.test(String.fromCharCode(prefix[start] as number))) start++;
  const first = String.fromCharCode(prefix[start] ?? 0);
  if (first === '{') return 'ndjson';
  if (first === '[') return 'json';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'json') return 'json';
  return 'csv';
}

function delimiterOf(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (d: string) => line.split(d).length - 1;
  const candidates = [',', '\t', ';', '|'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
  return candidates[0] && candidates[0][1] > 0 ? candidates[0][0] : ',';
}

function unreadable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return IngestErrors.FILE_UNREADABLE({ field: 'file', reason: msg, reasonEn: msg });
}

/** Rewraps reader errors as FILE_UNREADABLE (coded errors pass through). */
async function* guarded<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw unreadable(err);
  }
}

/**
 * The header row: the first non-empty row, unless it holds a single cell (a title such as
 * “行政处罚信息公示表”) and the next non-empty row names several columns.
 */
async function findHeader(
  rows: AsyncIterator<TableRow>,
): Promise<{ header: TableRow | null; pending: TableRow[] }> {
  const nonEmpty = async (): Promise<TableRow | null> => {
    for (;;) {
      const r = await rows.next();
      if (r.done) return null;
      if (r.value.cells.some((c) => cellText(c).trim() !== '')) return r.value;
    }
  };
  const first = await nonEmpty();
  if (!first) return { header: null, pending: [] };
  const filled = (r: TableRow) => r.cells.filter((c) => cellText(c).trim() !== '').length;
  if (filled(first) !== 1) return { header: first, pending: [] };
  const second = await nonEmpty();
  if (second && filled(second) >= 3) return { header: second, pending: [] };
  return { header: first, pending: second ? [second] : [] };
}

async function* prepend<T>(pending: readonly T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield* pending;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

async function tableSource(
  format: 'csv' | 'xlsx',
  encoding: TextEncodingName | null,
  rows: AsyncIterator<TableRow>,
  close: () => void,
): Promise<TableSource> {
  try {
    const { header, pending } = await findHeader(rows);
    if (!header) throw IngestErrors.FILE_EMPTY({ field: 'file' });
    const headers = header.cells.map((c) => cellText(c).trim());
    while (headers.length && headers[headers.length - 1] === '') headers.pop();
    return {
      kind: 'table',
      format,
      encoding,
      headerRowNo: header.rowNo,
      headers,
      rows: prepend(pending, rows),
      close,
    };
  } catch (err) {
    close();
    throw unreadable(err);
  }
}

function csvRows(text: AsyncIterable<string>, delimiter: string): AsyncIterator<TableRow> {
  return guarded(csvRecords(text, delimiter, MAX_RECORD_BYTES));
}

type ExcelValue = ExcelJS.CellValue;

function fromExcel(v: ExcelValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const f = v as { formula?: string; sharedFormula?: string; result?: unknown };
      const result = f.result;
      const formula = f.formula ?? f.sharedFormula ?? '';
      if (result && typeof result === 'object' && 'error' in result)
        return { formula, error: String(result.error) };
      return { formula, result: (result ?? undefined) as string | number | boolean | Date | undefined };
    }
    if ('error' in v) return { formula: '', error: String(v.error) };
    if ('text' in v) return typeof v.text === 'string' ? v.text : fromExcel(v.text as ExcelValue);
  }
  return String(v);
}

function xlsxRows(bytes: Readable): AsyncIterator<TableRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(bytes, {
    sharedStrings: 'cache',
    styles: 'cache', // dates come back as dates, not serial numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  async function* gen(): AsyncGenerator<TableRow> {
    // The first worksheet holds the data; further sheets (instructions, code tables) are not read.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as ExcelValue[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(fromExcel(values[i]));
        yield { rowNo: row.number, cells };
      }
      return;
    }
  }
  return guarded(gen());
}

/** Lines of NDJSON (a line may not exceed MAX_RECORD_BYTES characters). */
async function* lines(text: AsyncIterable<string>): AsyncGenerator<TextRow> {
  let buf = '';
  let lineNo = 0;
  for await (const chunk of text) {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      lineNo++;
      if (line.trim()) yield { rowNo: lineNo, text: line };
    }
    if (buf.length > MAX_RECORD_BYTES)
      throw IngestErrors.FILE_UNREADABLE({
        field: 'file',
        reason: `第 ${lineNo + 1} 行超过 ${MAX_RECORD_BYTES} 个字符`,
        reasonEn: `line ${lineNo + 1} is longer than ${MAX_RECORD_BYTES} characters`,
      });
  }
  lineNo++;
  if (buf.trim()) yield { rowNo: lineNo, text: buf.replace(/\r$/, '') };
}

/** The elements of a top-level JSON array, one text each, without parsing the whole array. */
export async function* arrayElements(text: AsyncIterable<string>): AsyncGenerator<TextRow> {
  let state: 'start' | 'between' | 'element' | 'end' = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = '';
  let index = 0;
  const bad = (why: string, whyEn: string) =>
    IngestErrors.FILE_UNREADABLE({ field: 'file', reason: why, reasonEn: whyEn });
  for await (const chunk of text) {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] as string;
      if (state === 'end') {
        if (!/\s/.test(ch)) throw bad('JSON 数组结束后还有内容', 'content after the end of the JSON array');
        continue;
      }
      if (state === 'start') {
        if (/\s|\ufeff/.test(ch)) continue;
        if (ch !== '[') throw bad('不是 JSON 数组', 'not a JSON array');
        state = 'between';
        continue;
      }
      if (state === 'between') {
        if (/\s|,/.test(ch)) continue;
        if (ch === ']') {
          state = 'end';
          continue;
        }
        state = 'element';
        current = '';
      }
      // state === 'element'
      if (inString) {
        current += ch;
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (depth === 0 && (ch === ',' || ch === ']')) {
        index++;
        yield { rowNo: index, text: current };
        state = ch === ']' ? 'end' : 'between';
        continue;
      }
      current += ch;
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          index++;
          yield { rowNo: index, text: current };
          state = 'between';
        }
      }
      if (current.length > MAX_RECORD_BYTES)
        throw bad(`第 ${index + 1} 条记录过大`, `record ${index + 1} is too large`);
    }
  }
  if (state !== 'end') throw bad('JSON 数组不完整', 'the JSON array is incomplete');
}

/** Opens a file or stream: format, encoding and (for tables) the header row. */
export async function openSource(input: Readable, opts: OpenOptions = {}): Promise<Source> {
  const declared = encodingName(opts.encoding);
  let peeked: { prefix: Buffer; rest: Readable };
  try {
    peeked = await peek(input, PEEK_BYTES);
  } catch (err) {
    throw unreadable(err);
  }
  const { prefix, rest } = peeked;
  const close = () => {
    rest.destroy();
    input.destroy();
  };
  try {
    if (prefix.length === 0 || (prefix.length < 4096 && /^[\s\ufeff]*$/.test(prefix.toString('utf8'))))
      throw IngestErrors.FILE_EMPTY({ field: 'file' });
    const detected = detectFormat(prefix, opts.fileName);
    // A stream declared as JSON lines may still be one JSON array, and the other way round.
    const format =
      opts.format && !(opts.format !== 'xlsx' && (detected === 'json' || detected === 'ndjson'))
        ? opts.format
        : detected;
    if (format === 'xlsx') return await tableSource('xlsx', null, xlsxRows(rest), close);
    const encoding =
      format === 'csv' ? detectEncoding(prefix, declared) : detectEncoding(prefix, declared ?? 'utf-8');
    const text = decode(rest, encoding);
    if (format === 'csv') {
      const sample = new TextDecoder(encoding).decode(prefix.subarray(0, 8192));
      return await tableSource(
        'csv',
        encoding,
        csvRows(text, delimiterOf(sample.replace(/^\ufeff/, ''))),
        close,
      );
    }
    const rows = guarded(format === 'ndjson' ? lines(text) : arrayElements(text));
    return { kind: 'objects', format, encoding, rows, close };
  } catch (err) {
    close();
    throw unreadable(err);
  }
}
