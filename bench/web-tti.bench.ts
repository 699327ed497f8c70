/**
 * Issue 4: the subject page's time to interactive against the 1 M-subject benchmark database, in
 * Debian's chromium: the `xy:subject-ready` mark (profile rendered with its records), cold (a fresh
 * browser context per visit) and warm (the same context, second visit), for subjects with the most
 * disclosed records.
 *
 *   npm run build:web && npx tsx bench/web-tti.bench.ts [--visits 20]
 *
 * Needs the database `xy_bench` that `bench/profile.bench.ts` loads (BENCH_DATABASE_URL as there).
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { parseArgs } from '../src/cli/args';
import { launchChromium } from '../test/browser/support';

const args = parseArgs(process.argv.slice(2), ['visits']);
const VISITS = Number(args.flags.get('visits') ?? 20);
const server = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
server.pathname = '/xy_bench';
const port = 18500 + Math.floor(Math.random() * 400);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: server.toString(), max: 1 });
  // Subjects with many records: the heaviest pages.
  const { rows } = await pool.query<{ uscc: string; n: number }>(
    `SELECT s.uscc, count(*)::int AS n FROM subjects s JOIN records r ON r.subject_id = s.id
      WHERE s.uscc IS NOT NULL AND s.id IN (SELECT id FROM subjects WHERE uscc IS NOT NULL ORDER BY random() LIMIT 2000)
      GROUP BY s.uscc ORDER BY n DESC LIMIT $1`,
    [VISITS],
  );
  await pool.end();
  const child = spawn(process.execPath, ['bin/xinyong.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: server.toString(),
      XINYONG_PORT: String(port),
      XINYONG_FIELD_KEY: Buffer.alloc(32, 3).toString('base64'),
      XINYONG_BLIND_INDEX_KEY: Buffer.alloc(32, 5).toString('base64'),
      XINYONG_SIGNING_KEY: Buffer.alloc(32, 11).toString('base64'),
      XINYONG_LOG_LEVEL: 'warn',
      XINYONG_RATE_LIMIT: '0',
      XINYONG_CHECKPOINT_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 200));
      if (
        await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
    }
    const browser = await launchChromium();
    const cold: number[] = [];
    const warm: number[] = [];
    for (const { uscc } of rows) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      for (const list of [cold, warm]) {
        await page.goto(`http://127.0.0.1:${port}/subjects/${uscc}`);
        await page.waitForFunction(() => performance.getEntriesByName('xy:subject-ready').length > 0, null, {
          timeout: 30_000,
        });
        list.push(await page.evaluate(() => performance.getEntriesByName('xy:subject-ready')[0]!.startTime));
      }
      await context.close();
    }
    await browser.close();
    cold.sort((a, b) => a - b);
    warm.sort((a, b) => a - b);
    const n = rows.map((r) => r.n).sort((a, b) => a - b);
    console.log(`subjects: ${rows.length}, records per subject ${n[0]}–${n[n.length - 1]}`);
    console.log(
      `cold: median ${pct(cold, 50).toFixed(0)} ms, p90 ${pct(cold, 90).toFixed(0)} ms, max ${cold[cold.length - 1]!.toFixed(0)} ms`,
    );
    console.log(
      `warm: median ${pct(warm, 50).toFixed(0)} ms, p90 ${pct(warm, 90).toFixed(0)} ms, max ${warm[warm.length - 1]!.toFixed(0)} ms`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

await main();
