import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Queryable } from '../../platform/db';
import { REPORT_HEADERS } from './ingest.headers';
import type { FieldCrypto } from '../../platform/crypto';
import { openJson } from '../../platform/sealed';
import { ingestRepo, type BatchRow, type StoredRow } from './ingest.repository';

/*
 * Downloads: rejected rows (with their errors, re-submittable as they are) and templates. Every
 * cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe;
 * ingestion drops it again (ingest.values.ts), so a file round-trips unchanged.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

function csvCell(s: string): string {
  const v = neutralise(s);
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** UTF-8 with BOM: what Excel needs to open Chinese CSV correctly. */
export const CSV_BOM = '\ufeff';

function errorTexts(row: StoredRow): { zh: string; en: string } {
  const errors = row.errors ?? [];
  return {
    zh: errors.map((e) => e.message.zh).join('；'),
    en: errors.map((e) => e.message.en).join('; '),
  };
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(valueText).join(';');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A page of the batch's rejected rows, each opened (stored sealed: ingest.cells.ts). */
async function opened(
  db: Queryable,
  crypto: FieldCrypto,
  batchId: number,
  after: number,
  limit: number,
): Promise<StoredRow[]> {
  const rows = await ingestRepo.rows(db, batchId, { outcome: 'rejected', afterRow: after, limit });
  return rows.map((r) => ({ ...r, cells: openJson(crypto, r.cells) }));
}

/** The columns of the download: the file's own header row, or (JSON batches) every key seen. */
async function columns(db: Queryable, crypto: FieldCrypto, batch: BatchRow): Promise<string[]> {
  if (batch.headers) return batch.headers;
  const keys = new Set<string>();
  for (let after = 0; ;) {
    const rows = await opened(db, crypto, batch.id, after, 5000);
    if (!rows.length) break;
    for (const r of rows)
      if (r.cells && typeof r.cells === 'object' && !Array.isArray(r.cells))
        for (const k of Object.keys(r.cells)) keys.add(k);
    after = (rows[rows.length - 1] as StoredRow).row_no;
  }
  return [...keys];
}

function cellsOf(row: StoredRow, headers: readonly string[], fromTable: boolean): string[] {
  if (fromTable && Array.isArray(row.cells)) {
    const cells = (row.cells as unknown[]).map(valueText);
    const out = headers.map((_, i) => cells[i] ?? '');
    return out;
  }
  const obj =
    row.cells && typeof row.cells === 'object' && !Array.isArray(row.cells)
      ? (row.cells as Record<string, unknown>)
      : {};
  return headers.map((h) => valueText(obj[h]));
}

async function* rejectedRows(
  db: Queryable,
  crypto: FieldCrypto,
  batch: BatchRow,
  headers: readonly string[],
): AsyncGenerator<string[]> {
  for (let after = 0; ;) {
    const rows = await opened(db, crypto, batch.id, after, 2000);
    if (!rows.length) return;
    for (const r of rows) {
      const e = errorTexts(r);
      yield [...cellsOf(r, headers, batch.headers !== null), String(r.row_no), e.zh, e.en];
    }
    after = (rows[rows.length - 1] as StoredRow).row_no;
  }
}

/** Rejected rows as CSV, streamed page by page from the database. */
export async function rejectedCsv(db: Queryable, crypto: FieldCrypto, batch: BatchRow): Promise<Readable> {
  const headers = await columns(db, crypto, batch);
  async function* gen(): AsyncGenerator<string> {
    yield CSV_BOM + csvLine([...headers, ...REPORT_HEADERS]);
    for await (const row of rejectedRows(db, crypto, batch, headers)) yield csvLine(row);
  }
  return Readable.from(gen());
}

/** Rejected rows as XLSX, written by exceljs' streaming writer (memory stays flat). */
export async function rejectedXlsx(db: Queryable, crypto: FieldCrypto, batch: BatchRow): Promise<Readable> {
  const headers = await columns(db, crypto, batch);
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const ws = wb.addWorksheet('被拒绝的行 Rejected');
  ws.columns = [...headers, ...REPORT_HEADERS].map((h) => ({
    header: h,
    width: Math.min(40, Math.max(12, h.length * 2)),
  }));
  ws.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const row of rejectedRows(db, crypto, batch, headers))
        ws.addRow(row.map(neutralise)).commit();
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  return out;
}
