import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors';
import { csvRecords } from './ingest.read-csv';
import { decode, detectEncoding, encodingName, type TextEncodingName } from './ingest.encoding';
import { IngestErrors } from './ingest.errors';
import { arrayElements, lines, MAX_RECORD_BYTES, type TextRow } from './ingest.read-json';
import { cellText, type Cell } from './ingest.values';
import { SharedStrings } from './ingest.xlsx-strings';
import { reorderedXlsx, xlsxFile, ZipLayoutError } from './ingest.xlsx-zip';

/*
 * Readers: a byte stream in, rows out, one at a time (nothing holds the whole file). CSV in UTF-8
 * (with or without BOM), GB18030 or UTF-16 with BOM; XLSX through exceljs' streaming reader; NDJSON
 * and JSON arrays. Encoding and format are detected from the first bytes unless declared.
 */

export type { TextRow } from './ingest.read-json';

export const FORMATS = ['csv', 'xlsx', 'ndjson', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export interface TableRow {
  rowNo: number;
  cells: Cell[];
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
  if (err instanceof ZipLayoutError)
    return IngestErrors.FILE_UNREADABLE({
      field: 'file',
      reason: `XLSX 文件的压缩结构损坏（${msg}）`,
      reasonEn: `the XLSX file's zip structure is damaged (${msg})`,
    });
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

/** A shared string as exceljs reads it: plain text, or rich text runs. */
function sharedText(text: unknown): string {
  if (typeof text === 'string') return text;
  if (text && typeof text === 'object' && 'richText' in text && Array.isArray(text.richText))
    return (text.richText as { text?: unknown }[])
      .map((r) => (typeof r.text === 'string' ? r.text : ''))
      .join('');
  return '';
}

/**
 * The shared-string table exceljs fills and reads (`push` while reading xl/sharedStrings.xml, then
 * `table[index]` for each cell), backed by a SharedStrings that moves to disk when large. exceljs
 * (4.4.0, pinned) keeps its table in the reader's `sharedStrings` property; this stands in for it.
 */
function sharedStringTable(strings: SharedStrings): object {
  const push = (text: unknown) => strings.add(sharedText(text));
  return new Proxy(
    {},
    {
      get(_, key) {
        if (key === 'push') return push;
        if (typeof key !== 'string') return undefined;
        const i = Number(key);
        return Number.isInteger(i) ? strings.get(i) : undefined;
      },
    },
  );
}

/**
 * The first failure of the archive's stream or of what it is piped into (exceljs pipes it into its
 * unzip parser). exceljs does not see every such failure: a damaged deflate stream is reported on
 * the parser while exceljs awaits the entry's own stream, which then never ends — the read would
 * hang for ever, holding its batch's slot (found by ingest.fuzz.test.ts). So every step of the
 * read races this failure, and an unheard error of the stream can no longer crash the process.
 */
function failureOf(input: Readable): Promise<never> {
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // also when no step is waiting
  input.on('error', (err) => fail(err));
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }): T => {
    dest.on('error', (err: unknown) => fail(err));
    return pipe(dest, opts);
  };
  return failed;
}

/** `source`'s items until it ends or `failed` rejects, whichever comes first. */
async function* until<T>(source: AsyncIterable<T>, failed: Promise<never>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    // On failure the source is left as it is: a step that never settles cannot be returned from.
    const r = await Promise.race([it.next(), failed]);
    if (r.done) return;
    yield r.value;
  }
}

function xlsxRows(bytes: Readable): AsyncIterator<TableRow> {
  async function* gen(): AsyncGenerator<TableRow> {
    // The archive goes to a temporary file and is read re-ordered from its central directory
    // (ingest.xlsx-zip.ts): relationships, workbook, shared strings and styles come before any
    // worksheet, so exceljs reads the first worksheet as it streams, without a temporary copy of
    // it, and the shared-string table is complete by then (a late add throws: no silent blanks).
    const copy = await xlsxFile(bytes);
    const strings = new SharedStrings();
    let input: Readable | null = null;
    try {
      input = await reorderedXlsx(copy.file);
      const failed = failureOf(input);
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
        sharedStrings: 'cache',
        styles: 'cache', // dates come back as dates, not serial numbers
        hyperlinks: 'ignore',
        worksheets: 'emit',
        entries: 'ignore',
      });
      const table = sharedStringTable(strings);
      Object.defineProperty(reader, 'sharedStrings', { get: () => table, set: () => undefined });
      let read = false;
      for await (const sheet of until(reader, failed)) {
        // The first worksheet holds the data; further sheets (instructions, code tables) are not
        // parsed (exceljs drains their bytes as it moves on to the end of the archive).
        if (read) continue;
        read = true;
        for await (const row of until(sheet, failed)) {
          const values = row.values as ExcelValue[];
          const cells: Cell[] = [];
          for (let i = 1; i < values.length; i++) cells.push(fromExcel(values[i]));
          yield { rowNo: row.number, cells };
        }
      }
    } finally {
      // Stopped before the temporary file goes: a read still running would find it missing.
      input?.destroy();
      strings.close();
      await copy.done();
    }
  }
  return guarded(gen());
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
