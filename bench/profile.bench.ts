/**
 * Issue 2 benchmark: public profile lookups over HTTP against the same lookup in plain SQL through
 * a pool of the same size, and name search by 2-, 3-, 4-character terms and pinyin initials.
 *
 *   npx tsx bench/profile.bench.ts --subjects 1000000 --records 10000000 [--reuse] [--seconds 20]
 *     [--concurrency 8] [--cold-only] [--search-only]; BENCH_SERVER_FLAGS="--cpu-prof" profiles the server
 *
 * Uses BENCH_DATABASE_URL (a server URL; database xy_bench is created there), default the local
 * PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import pg from 'pg';
import { parseArgs } from '../src/cli/args';
import { makeUscc } from '../src/domain/identifiers';
import { createFieldCrypto } from '../src/server/platform/crypto';
import { createPool, withTransaction } from '../src/server/platform/db';
import { migrate } from '../src/server/platform/migrate';
import { SYSTEM } from '../src/server/platform/context';
import { createDepartment } from '../src/server/modules/accounts';
import { seedNationalCatalog } from '../src/server/modules/catalog';
import { DEPARTMENTS } from '../src/cli/seed/words';
import type { DemoDepartment } from '../src/cli/seed/records';
import { loadBenchData } from './load';
import { cpuSnapshot, stealSince } from './steal';

const args = parseArgs(process.argv.slice(2), ['subjects', 'records', 'seconds', 'concurrency', 'generate']);
const N_SUBJECTS = Number(args.flags.get('subjects') ?? 100_000);
const N_RECORDS = Number(args.flags.get('records') ?? 1_000_000);
const SECONDS = Number(args.flags.get('seconds') ?? 15);
const CONC = Number(args.flags.get('concurrency') ?? 8);
const POOL = 4;
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'xy_bench';
const keys = { field: Buffer.alloc(32, 3), blind: Buffer.alloc(32, 5) };

function dbUrl(name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(conc: number, seconds: number, op: (i: number) => Promise<void>) {
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const t = performance.now();
        await op(i);
        lat.push(performance.now() - t);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return { rps: lat.length / seconds, p50: pct(lat, 50), p99: pct(lat, 99), n: lat.length };
}

async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
  if (exists && args.flags.has('reuse')) {
    await admin.end();
    return;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(
    `CREATE DATABASE ${dbName} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  await admin.end();
  const pool = createPool(dbUrl(dbName), 2);
  await migrate(pool);
  const depts: DemoDepartment[] = [];
  await withTransaction(pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'bench', now: new Date('2026-01-01T00:00:00Z') };
    await seedNationalCatalog(ctx);
    for (const [key, name, , body] of DEPARTMENTS) {
      const d = await createDepartment(ctx, { uscc: makeUscc('11', '500103', body), name, region: '500103' });
      depts.push({ id: d.id, name: d.name, uscc: d.uscc, key });
    }
  });
  const t0 = Date.now();
  await loadBenchData(pool, depts, {
    subjects: N_SUBJECTS,
    records: N_RECORDS,
    generate: args.flags.has('generate') ? Number(args.flags.get('generate')) : undefined,
    crypto: createFieldCrypto(keys.field, keys.blind),
    log: (m) => console.log(`  [load] ${m}`),
  });
  console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await pool.end();
}

async function startServer(port: number): Promise<() => void> {
  // BENCH_SERVER_FLAGS passes Node flags to the server only, e.g. "--cpu-prof" or "--trace-gc".
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...flags, 'bin/xinyong.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl(dbName),
      XINYONG_PORT: String(port),
      XINYONG_DB_POOL: String(POOL),
      XINYONG_FIELD_KEY: keys.field.toString('base64'),
      XINYONG_BLIND_INDEX_KEY: keys.blind.toString('base64'),
      XINYONG_LOG_LEVEL: 'warn',
      XINYONG_RATE_LIMIT: '0', // the benchmark is one client: measure throughput, not the throttle
      XINYONG_CHECKPOINT_MS: '0',
      XINYONG_SIGNING_KEY: process.env.XINYONG_SIGNING_KEY ?? Buffer.alloc(32, 11).toString('base64'),
    },
    stdio: ['ignore', process.env.BENCH_SERVER_FLAGS ? 'inherit' : 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return () => child.kill('SIGTERM');
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  await setup();
  const pool = createPool(dbUrl(dbName), POOL);
  const { rows } = await pool.query<{ uscc: string; id: number }>(
    'SELECT uscc, id FROM subjects WHERE uscc IS NOT NULL ORDER BY random() LIMIT 20000',
  );
  const codes = rows.map((r) => r.uscc);
  const counts = await pool.query(
    'SELECT (SELECT count(*) FROM subjects)::int8 AS s, (SELECT count(*) FROM records)::int8 AS r',
  );
  console.log(
    `database: ${counts.rows[0].s} subjects, ${counts.rows[0].r} records; ${CONC} clients; pool ${POOL}`,
  );

  // Plain SQL reference: the subject by code, then its disclosed records — what the profile reads.
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const searchOnly = args.flags.has('search-only');
  const sqlCpu = cpuSnapshot();
  const sql = await timed(CONC, searchOnly ? 0 : SECONDS, async (i) => {
    const code = codes[i % codes.length]!;
    const s = await pool.query(
      'SELECT id, type, uscc, name, region, legal_rep, status, id_masked FROM subjects WHERE uscc = $1',
      [code],
    );
    await pool.query(
      `SELECT id, item_code, item_version, category_code, department_id, doc_no, decision_date, severity, payload,
              window_from, window_until, version FROM records
        WHERE subject_id = $1 AND window_from <= $2 AND (window_until IS NULL OR window_until > $2)
          AND (stopped_at IS NULL OR stopped_at > $3) ORDER BY decision_date DESC, id DESC`,
      [s.rows[0].id, day, new Date()],
    );
  });
  console.log(
    `SQL  profile: ${sql.rps.toFixed(0)} req/s, p50 ${sql.p50.toFixed(2)} ms, p99 ${sql.p99.toFixed(2)} ms; ${stealSince(sqlCpu)}`,
  );

  const port = 18000 + Math.floor(Math.random() * 1000);
  const stop = await startServer(port);
  try {
    await timed(
      CONC,
      searchOnly ? 0 : 3,
      async (i) => void (await get(port, `/api/v1/public/subjects/${codes[i % codes.length]}`)),
    );
    const httpCpu = cpuSnapshot();
    const httpRes = await timed(CONC, searchOnly ? 0 : SECONDS, async (i) => {
      const status = await get(port, `/api/v1/public/subjects/${codes[i % codes.length]}`);
      if (status !== 200) throw new Error(`status ${status}`);
    });
    console.log(
      `HTTP profile: ${httpRes.rps.toFixed(0)} req/s, p50 ${httpRes.p50.toFixed(2)} ms, p99 ${httpRes.p99.toFixed(2)} ms; ${stealSince(httpCpu)}`,
    );
    console.log(`ratio HTTP/SQL: ${(httpRes.rps / sql.rps).toFixed(2)}`);

    // Hot profiles: a working set of 1,000 subjects, each visited once before measuring, so the
    // event-invalidated profile cache answers (the plain-SQL side has no cache: same queries).
    if (!searchOnly && !args.flags.has('cold-only')) {
      const hot = codes.slice(0, 1000);
      for (const c of hot) await get(port, `/api/v1/public/subjects/${c}`);
      const hotHttp = await timed(CONC, SECONDS, async (i) => {
        const status = await get(port, `/api/v1/public/subjects/${hot[i % hot.length]}`);
        if (status !== 200) throw new Error(`status ${status}`);
      });
      console.log(
        `HTTP profile, hot set of ${hot.length} (cached): ${hotHttp.rps.toFixed(0)} req/s, p50 ${hotHttp.p50.toFixed(2)} ms, p99 ${hotHttp.p99.toFixed(2)} ms; ratio to cold SQL ${(hotHttp.rps / sql.rps).toFixed(2)}`,
      );
    }

    const names = await pool.query<{ name: string; initials: string }>(
      'SELECT name, initials FROM subject_names ORDER BY random() LIMIT 400',
    );
    const terms: Record<string, string[]> = { '2 chars': [], '3 chars': [], '4 chars': [], initials: [] };
    for (const r of names.rows) {
      const chars = [...r.name.replace(/^重庆(市渝中区|市)?|渝中区/, '')];
      const at = Math.floor(Math.random() * Math.max(1, chars.length - 4));
      terms['2 chars']!.push(chars.slice(at, at + 2).join(''));
      terms['3 chars']!.push(chars.slice(at, at + 3).join(''));
      terms['4 chars']!.push(chars.slice(at, at + 4).join(''));
      terms.initials!.push(r.initials.slice(0, 4));
    }
    for (const [label, list] of Object.entries(args.flags.has('cold-only') ? {} : terms)) {
      const searchCpu = cpuSnapshot();
      const lat: number[] = [];
      const byTerm: Array<[string, number]> = [];
      for (const term of list) {
        const t = performance.now();
        const status = await get(port, `/api/v1/public/subjects?q=${encodeURIComponent(term)}`);
        lat.push(performance.now() - t);
        byTerm.push([term, lat[lat.length - 1]!]);
        if (status !== 200) throw new Error(`search ${term}: ${status}`);
      }
      lat.sort((a, b) => a - b);
      byTerm.sort((a, b) => b[1] - a[1]);
      if (args.flags.has('slowest'))
        console.log(
          `  slowest: ${byTerm
            .slice(0, 6)
            .map(([q, ms]) => `${q} ${ms.toFixed(0)} ms`)
            .join(', ')}`,
        );
      console.log(
        `search ${label.padEnd(8)}: p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms (${lat.length} terms); ${stealSince(searchCpu)}`,
      );
    }
  } finally {
    stop();
    await pool.end();
    agent.destroy();
  }
}

await main();
