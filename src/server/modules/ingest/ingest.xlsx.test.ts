import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSource, type TableRow, type TableSource } from './ingest.sources';
import { SHARED_STRING_LIMITS, SharedStrings } from './ingest.xlsx-strings';

const defaults = { ...SHARED_STRING_LIMITS };
afterEach(() => Object.assign(SHARED_STRING_LIMITS, defaults));

/** Small limits: the table moves to disk after 5 strings, offsets in blocks of 4, 2 of them kept, reads of 24 bytes. */
function tiny(): void {
  Object.assign(SHARED_STRING_LIMITS, {
    inMemory: 5,
    blockSize: 4,
    blocks: 2,
    recent: 3,
    writeBuffer: 16,
    window: 24,
  });
}

const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('xinyong-xlsx-strings-'));

describe('shared-string table', () => {
  it('gives back every string in memory and, past the limit, from disk in any order', () => {
    tiny();
    const texts = Array.from({ length: 103 }, (_, i) =>
      i % 10 === 0 ? '' : i % 7 === 0 ? `长文本${'渝'.repeat(i)}😀` : `渝中市监罚〔2026〕${i}号`,
    );
    const before = leftovers().length;
    const t = new SharedStrings();
    for (const s of texts) t.add(s);
    expect(t.spilled).toBe(true);
    expect(leftovers().length).toBe(before + 1);
    const order = [...texts.keys()].sort((a, b) => ((a * 37) % 103) - ((b * 37) % 103));
    for (const i of [...order, ...order.reverse()]) expect(t.get(i)).toBe(texts[i]);
    expect(t.get(103)).toBeUndefined();
    expect(t.get(-1)).toBeUndefined();
    expect(() => t.add('late')).toThrow();
    t.close();
    t.close();
    expect(leftovers().length).toBe(before);
  });

  it('stays in memory for a small table', () => {
    const t = new SharedStrings();
    t.add('a');
    t.add('b');
    expect(t.spilled).toBe(false);
    expect([t.get(1), t.get(0)]).toEqual(['b', 'a']);
    expect(() => t.add('late')).toThrow();
    t.close();
  });
});

async function rowsOf(buf: Buffer): Promise<TableRow[]> {
  const src = (await openSource(Readable.from([buf]))) as TableSource;
  const out: TableRow[] = [{ rowNo: src.headerRowNo, cells: src.headers }];
  for (let r = await src.rows.next(); !r.done; r = await src.rows.next()) out.push(r.value);
  src.close();
  return out;
}

describe('XLSX with many shared strings', () => {
  it('reads the same rows whether the table is in memory or on disk, rich text flattened, later sheets skipped', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.addRow(['行政处罚决定书文号', '处罚内容', '金额']);
    for (let i = 1; i <= 40; i++) ws.addRow([`渝中市监罚〔2026〕${i}号`, i % 2 ? '警告' : '罚款', i]);
    ws.addRow([{ richText: [{ text: '富' }, { font: { bold: true }, text: '文本' }] }, '警告', 0]);
    wb.addWorksheet('说明').addRow(['这张表不读']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());

    const inMemory = await rowsOf(buf);
    expect(inMemory).toHaveLength(42);
    expect(inMemory[1]?.cells).toEqual(['渝中市监罚〔2026〕1号', '警告', 1]);
    expect(inMemory[41]?.cells).toEqual(['富文本', '警告', 0]);

    tiny();
    const before = leftovers().length;
    expect(await rowsOf(buf)).toEqual(inMemory);
    expect(leftovers().length).toBe(before);
  });
});

describe('XLSX archive order', () => {
  it('reads a workbook whose workbook part is stored last, every time (exceljs#3064 lost it 1 read in 8)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('数据').addRow(['行政处罚决定书文号']);
    wb.getWorksheet('数据')?.addRow(['渝中市监罚〔2026〕1号']);
    wb.addWorksheet('说明').addRow(['说明']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const failures: string[] = [];
    for (let i = 0; i < 60; i++) {
      try {
        const rows = await rowsOf(buf);
        if (rows.length !== 2) failures.push(`${rows.length} rows`);
      } catch (err) {
        failures.push(String(err));
      }
    }
    expect(failures).toEqual([]);
  });

  it('reads zip64 archives: zip64 end records and extra fields, with and without data descriptors', async () => {
    // Made from an exceljs workbook by Python's zipfile with its zip64 limits set to 0 (zip64 for
    // every entry, as some Java writers do), once seekable and once streamed (data descriptors).
    const expected = [
      ['行政处罚决定书文号', '处罚内容', '金额'],
      ['渝中市监罚〔2026〕1号', '警告', 1],
      ['渝中市监罚〔2026〕2号', '罚款', 2],
      ['渝中市监罚〔2026〕3号', '警告', 3],
    ];
    for (const name of ['zip64.xlsx', 'zip64-streamed.xlsx']) {
      const buf = readFileSync(new URL(`../../../../test/fixtures/${name}`, import.meta.url));
      expect(buf.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // a zip64 end record
      // zip64 data descriptors (24 bytes) in the streamed one: exceljs' reader reads 16 and fails.
      expect(buf.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08]))).toBe(name.includes('streamed'));
      expect((await rowsOf(buf)).map((r) => r.cells)).toEqual(expected);
    }
  });

  it('refuses a damaged archive with a specific reason', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('数据').addRow(['a']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const cut = buf.subarray(0, buf.length - 30); // the end of the central directory is gone
    await expect(rowsOf(cut)).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringContaining('zip structure is damaged'),
    });
  });
});
