import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords } from './ingest.read-csv';
import { normaliseHeader } from './ingest.headers';
import { detectEncoding, firstInvalidUtf8 } from './ingest.encoding';
import { arrayElements } from './ingest.read-json';
import { toIsoDate } from './ingest.values';
import { gb18030 } from './ingest.test-support';

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function records(text: string, size: number): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of csvRecords(chunks(text, size), ',', 1 << 20)) out.push(r.cells);
  return out;
}

describe('CSV reader', () => {
  const samples = [
    'a,b,c\r\n1,2,3\r\n',
    'a,b\n"x, y","say ""hi"""\n"multi\r\nline",z\n',
    'a,b\n\n1,2\n',
    'a,b\n1,2',
    'a,"b"\n"",""\n',
    '名称,金额\n"重庆（渝中）公司",0.2\n重庆"某"店,1\n',
  ];
  for (const [i, text] of samples.entries())
    it(`reads sample ${i} like csv-parse, whatever the chunk boundaries`, async () => {
      const expected = parse(text, {
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: false,
        relax: true,
      } as never) as string[][];
      for (const size of [1, 2, 3, 7, 64, 1 << 16]) expect(await records(text, size)).toEqual(expected);
    });

  it('keeps text after a closing quote, as spreadsheets do, and refuses a quote never closed', async () => {
    expect(await records('a,b\n"q"x,2\n', 3)).toEqual([
      ['a', 'b'],
      ['qx', '2'],
    ]);
    await expect(records('a\n"unterminated', 4)).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('numbers rows as a spreadsheet shows them, multi-line cells included', async () => {
    const rows: number[] = [];
    for await (const r of csvRecords(chunks('h\n"a\nb"\nc\n', 2), ',', 1000)) rows.push(r.rowNo);
    expect(rows).toEqual([1, 2, 3]);
  });

  it('refuses a record that never ends', async () => {
    const gen = csvRecords(chunks(`a\n"${'x'.repeat(5000)}`, 100), ',', 1000);
    await expect(
      (async () => {
        for await (const _ of gen) void _;
      })(),
    ).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });
});

describe('encodings', () => {
  it('tells UTF-8 (with or without BOM) from GB18030', () => {
    expect(detectEncoding(Buffer.from('\ufeff名称,金额\n', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('名称,金额\n', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(gb18030('名称,金额\n重庆市渝中区\n'))).toBe('gb18030');
    expect(detectEncoding(gb18030('名称\n'), 'gb18030')).toBe('gb18030');
    expect(() => detectEncoding(gb18030('名称,金额\n'), 'utf-8')).toThrow(
      expect.objectContaining({ code: 'WRONG_ENCODING' }),
    );
    expect(() => detectEncoding(Buffer.from([0x89, 0x50, 0, 0]))).toThrow(
      expect.objectContaining({ code: 'NOT_TEXT' }),
    );
  });

  it('finds the first byte that is not UTF-8, tolerating a sequence cut at the end', () => {
    const b = Buffer.from('中文', 'utf8');
    expect(firstInvalidUtf8(b)).toBe(-1);
    expect(firstInvalidUtf8(b.subarray(0, 4))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
  });
});

describe('values and headers', () => {
  it('reads the date forms departments use', () => {
    expect(toIsoDate('2026/3/5')).toBe('2026-03-05');
    expect(toIsoDate('2026-03-05 00:00:00')).toBe('2026-03-05');
    expect(toIsoDate('2026年3月5日')).toBe('2026-03-05');
    expect(toIsoDate('２０２６年３月５日')).toBe('2026-03-05');
    expect(toIsoDate('20260305')).toBe('2026-03-05');
    expect(toIsoDate('2099/12/31')).toBe('2099-12-31');
    expect(toIsoDate(46086)).toBe('2026-03-05');
    expect(toIsoDate('46086')).toBe('2026-03-05');
    expect(toIsoDate(new Date(Date.UTC(2026, 2, 5)))).toBe('2026-03-05');
    expect(toIsoDate('next week')).toBeNull();
  });

  it('compares headers without width, spaces, markers or case', () => {
    expect(normaliseHeader(' 罚款金额（万元）* ')).toBe(normaliseHeader('罚款金额(万元)'));
    expect(normaliseHeader('cf_wsh')).toBe('CF_WSH');
    expect(normaliseHeader('行政相对人代码＿２【组织机构代码】')).toBe('行政相对人代码_2(组织机构代码)');
  });

  it('splits a JSON array into its elements without parsing the whole', async () => {
    const out: string[] = [];
    for await (const e of arrayElements(chunks(' [ {"a": "x]"}, {"b": [1, {"c": "}"}]}, 3 ] ', 2)))
      out.push(e.text);
    expect(out.map((t) => JSON.parse(t))).toEqual([{ a: 'x]' }, { b: [1, { c: '}' }] }, 3]);
  });
});
