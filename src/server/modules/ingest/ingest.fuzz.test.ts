import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors';
import { openSource } from './ingest.sources';

/**
 * The file readers on their own (test/fuzz.test.ts fuzzes them through the upload route): CSV,
 * NDJSON and damaged XLSX archives — flipped bytes, cut files, sizes and offsets overwritten with
 * 0xffffffff (what a crafted archive would hold to make the reader allocate or seek past the end).
 * Every input is either read to its end or refused with a coded error; nothing hangs or throws
 * anything else. Bounded in runs and time.
 */

const bounded = (numRuns: number, ms = 2000) => ({
  numRuns,
  interruptAfterTimeLimit: ms,
  seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
});

/** Reads every row; resolves with what happened: rows read, or the coded error. */
async function readAll(bytes: Buffer, fileName?: string): Promise<string> {
  let src;
  try {
    src = await openSource(Readable.from([bytes]), { fileName });
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(AppError);
    return `refused ${(err as AppError).code}`;
  }
  try {
    let n = 0;
    for (let r = await src.rows.next(); !r.done; r = await src.rows.next()) n++;
    return `read ${n}`;
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(AppError);
    return `failed ${(err as AppError).code}`;
  } finally {
    src.close();
  }
}

let xlsx: Buffer;
beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  ws.addRow(['行政处罚决定书文号', '处罚内容', '金额']);
  for (let i = 1; i <= 20; i++) ws.addRow([`渝中市监罚〔2026〕${i}号`, i % 2 ? '警告' : '罚款', i]);
  xlsx = Buffer.from(await wb.xlsx.writeBuffer());
});

describe('file readers under fuzzing', () => {
  it('reads the intact workbook (the base the mutations start from)', async () => {
    expect(await readAll(xlsx, 'a.xlsx')).toBe('read 20');
  });

  it('refuses damaged XLSX archives with a coded error', async () => {
    const mutation = fc.oneof(
      // A few bytes anywhere changed.
      fc
        .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
        .map((flips) => (b: Buffer) => {
          for (const [at, v] of flips) b[at % b.length] = v;
          return b;
        }),
      // A 32-bit field (size, offset, count) somewhere in the last kilobyte set to its maximum.
      fc.nat({ max: 1020 }).map((back) => (b: Buffer) => {
        b.writeUInt32LE(0xffffffff, Math.max(0, b.length - 4 - back));
        return b;
      }),
      // Cut short.
      fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % b.length)),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (mutate) => {
        const result = await readAll(mutate(Buffer.from(xlsx)), 'a.xlsx');
        expect(result).toMatch(/^(read \d+|refused [A-Z_]+|failed [A-Z_]+)$/);
      }),
      bounded(150, 4000),
    );
  });

  it('sweeps the central directory and the last part: each 32-bit field set to its maximum is read or refused', async () => {
    // Systematic where the property above samples. Found two faults before they were fixed: a
    // damaged deflate stream of the workbook part (stored last by exceljs, read first) hung the read
    // for ever, and a refusal removed the temporary file while the archive was still being read,
    // whose ENOENT nobody heard — an uncaught exception, i.e. a crashed server.
    const cdStart = xlsx.readUInt32LE(xlsx.length - 22 + 16);
    const seen = new Set<string>();
    for (let at = cdStart - 64; at <= xlsx.length - 4; at += 4) {
      const b = Buffer.from(xlsx);
      b.writeUInt32LE(0xffffffff, at);
      const result = await readAll(b, 'a.xlsx');
      expect(result, `at ${at}`).toMatch(/^(read \d+|refused [A-Z_]+|failed [A-Z_]+)$/);
      seen.add(result);
    }
    expect(seen.has('refused FILE_UNREADABLE')).toBe(true);
  }, 60_000);

  it('reads or refuses any CSV text, in UTF-8 and as raw bytes', async () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('"', '""', '"a,b"', '\r\n', '\n', ',', '\ufeff', '=1+1', '<b>x</b>', '重庆'),
    );
    const text = fc
      .array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 })
      .map((rows) => rows.map((r) => r.join(',')).join('\n'));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        expect(await readAll(Buffer.from(t, 'utf8'), 'a.csv')).toMatch(/^(read|refused|failed) /);
      }),
      bounded(200),
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(await readAll(Buffer.from(bytes), 'a.csv')).toMatch(/^(read|refused|failed) /);
      }),
      bounded(200),
    );
  });

  it('reads or refuses any NDJSON or JSON text', async () => {
    const line = fc.oneof(
      fc.json(),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('{', '[', '{"a":', '[{"a":1},', '\u0000', '{"a":"\\ud800"}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 8 }), fc.boolean(), async (lines, array) => {
        const t = array ? `[${lines.join(',')}]` : lines.join('\n');
        expect(await readAll(Buffer.from(t, 'utf8'), array ? 'a.json' : 'a.ndjson')).toMatch(
          /^(read|refused|failed) /,
        );
      }),
      bounded(200),
    );
  });
});
