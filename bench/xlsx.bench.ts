/*
 * XLSX reading benchmark (issue 3: "a 1 GB file must not be loaded into memory"): N rows of a
 * 行政处罚 table where every row carries distinct texts (document number, case name, content), written
 * once as XLSX with a shared-string table (as Excel writes it) and once as CSV; each file is read
 * through the product's reader (openSource: format detection, header, rows) in a child process that
 * reports its time and peak memory. The CSV read of the same rows is the reference.
 *
 *   npx tsx bench/xlsx.bench.ts --rows 300000 [--files DIR]
 *
 * No database: this measures the reader only (ingest.bench.ts measures the whole ingest).
 */
import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
} from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parseArgs } from '../src/cli/args';
import { openSource, type TableSource } from '../src/server/modules/ingest/ingest.sources';

const HEADERS = ['行政处罚决定书文号', '案件名称', '处罚内容', '罚款金额（万元）', '处罚决定日期'];

function row(i: number): (string | number)[] {
  return [
    `渝中市监罚〔2026〕${i}号`,
    `重庆某某商贸有限公司第${i}号案件`,
    `责令改正，罚款${(i % 97) + 1}千元（第${i}号）`,
    ((i % 50) + 1) / 10,
    `2026/0${(i % 9) + 1}/1${i % 10}`,
  ];
}

async function child(kind: string, file: string): Promise<void> {
  // Peak RSS sampled here: ru_maxrss would carry the parent's high-water mark across fork/exec.
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const src = (await openSource(createReadStream(file), { fileName: file })) as TableSource;
  let n = 0;
  let chars = 0;
  for (let r = await src.rows.next(); !r.done; r = await src.rows.next()) {
    n++;
    chars += String(r.value.cells[0] ?? '').length;
  }
  src.close();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ kind, rows: n, chars, ms, maxRssMb: peak / 2 ** 20 }) + '\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['rows', 'files', 'read']);
  const read = args.flags.get('read');
  if (typeof read === 'string') return child(read, String(args.positionals[0]));

  const N = Number(args.flags.get('rows') ?? 300_000);
  const filesFlag = args.flags.get('files');
  const dir =
    typeof filesFlag === 'string' ? filesFlag : mkdtempSync(path.join(os.tmpdir(), 'xinyong-bench-xlsx-'));
  mkdirSync(dir, { recursive: true });
  const xlsxFile = path.join(dir, `rows-${N}.xlsx`);
  const csvFile = path.join(dir, `rows-${N}.csv`);
  if (!existsSync(xlsxFile)) {
    const t0 = performance.now();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxFile, useSharedStrings: true });
    const ws = wb.addWorksheet('数据');
    ws.addRow(HEADERS).commit();
    for (let i = 1; i <= N; i++) ws.addRow(row(i)).commit();
    ws.commit();
    await wb.commit();
    const out = createWriteStream(csvFile);
    out.write(HEADERS.join(',') + '\n');
    for (let i = 1; i <= N; i++) if (!out.write(row(i).join(',') + '\n')) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    console.log(
      `generated ${N.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `files: XLSX ${(statSync(xlsxFile).size / 2 ** 20).toFixed(1)} MB, CSV ${(statSync(csvFile).size / 2 ** 20).toFixed(1)} MB`,
  );
  const results: Record<string, { rows: number; ms: number; maxRssMb: number }> = {};
  for (const [kind, file] of [
    ['csv', csvFile],
    ['xlsx', xlsxFile],
  ] as const) {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, process.argv[1] as string, '--read', kind, file],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    const r = JSON.parse(out.trim().split('\n').pop() as string) as {
      rows: number;
      ms: number;
      maxRssMb: number;
    };
    if (r.rows !== N) throw new Error(`${kind}: read ${r.rows} rows, expected ${N}`);
    results[kind] = r;
    console.log(
      `${kind.padEnd(5)} ${Math.round((r.rows / r.ms) * 1000).toLocaleString('en-US')} rows/s, ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB`,
    );
  }
  const { csv, xlsx } = results as Record<'csv' | 'xlsx', { ms: number }>;
  console.log(`ratio XLSX / CSV read rate: ${(csv.ms / xlsx.ms).toFixed(2)}`);
  if (typeof filesFlag !== 'string') rmSync(dir, { recursive: true, force: true });
}

await main();
