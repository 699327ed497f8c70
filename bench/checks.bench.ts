/**
 * Issue 5 benchmark: joint checks (联合奖惩核查) over HTTP against the same facts query in plain SQL
 * through a pool of the same size, in the same run; and a 10,000-subject batch check.
 *
 *   npx tsx bench/checks.bench.ts [--subjects 1000000] [--entries 100000] [--records 100000]
 *                                 [--seconds 10] [--concurrency 32] [--pool 4] [--reuse]
 *                                 [--sql-only | --index-only | --floor-only] [--skip-batch] [--generator wrk|node]
 *
 * Uses BENCH_DATABASE_URL (a server URL; database xy_bench_checks is created there), default the
 * local PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres. The app runs in a child process
 * (the real buildApp, listening on 127.0.0.1, keep-alive); the HTTP load comes from wrk when it is
 * installed, else from this process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { parseArgs } from '../src/cli/args';
import { makeCitizenId, makeUscc, maskCitizenId } from '../src/domain/identifiers';
import { civilDate } from '../src/domain/periods';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { SYSTEM } from '../src/server/platform/context';
import { createFieldCrypto } from '../src/server/platform/crypto';
import { createPool, withTransaction } from '../src/server/platform/db';
import { migrate } from '../src/server/platform/migrate';
import { createApiKey, createDepartment } from '../src/server/modules/accounts';
import { seedNationalCatalog } from '../src/server/modules/catalog';
import { seedListTypes } from '../src/server/modules/lists';
import { seedMeasures } from '../src/server/modules/measures';
import { citizenBlindIndex, citizenBlindIndexes } from '../src/server/modules/subjects';
import { measuresRepo } from '../src/server/modules/measures/measures.repository';
import { checkIndexFor } from '../src/server/modules/measures/measures.index';
import os from 'node:os';

const args = parseArgs(process.argv.slice(2), [
  'subjects',
  'entries',
  'records',
  'seconds',
  'concurrency',
  'pool',
  'port',
  'generator',
]);
const N_SUBJECTS = Number(args.flags.get('subjects') ?? 1_000_000);
const N_ENTRIES = Number(args.flags.get('entries') ?? 100_000);
const N_RECORDS = Number(args.flags.get('records') ?? 100_000);
const SECONDS = Number(args.flags.get('seconds') ?? 10);
const CONC = Number(args.flags.get('concurrency') ?? 32);
const POOL = Number(args.flags.get('pool') ?? 4);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'xy_bench_checks';
const keys = { field: Buffer.alloc(32, 3), blind: Buffer.alloc(32, 5), signing: Buffer.alloc(32, 11) };
const crypto = createFieldCrypto(keys.field, keys.blind);
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const SCENARIO = 'GOV_PROCUREMENT';

function dbUrl(name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function serverEnv(): Record<string, string> {
  return {
    DATABASE_URL: dbUrl(dbName),
    XINYONG_DB_POOL: String(POOL),
    XINYONG_FIELD_KEY: keys.field.toString('base64'),
    XINYONG_BLIND_INDEX_KEY: keys.blind.toString('base64'),
    XINYONG_SIGNING_KEY: keys.signing.toString('base64'),
    XINYONG_LOG_LEVEL: 'warn',
    // The per-key default (600 calls a minute per route) is a production guard, not a capacity.
    XINYONG_RATE_LIMIT: '0',
  };
}

/** The i-th bench subject's code: 90% enterprises (USCC), 10% natural persons (citizen ID). */
function codeOf(i: number): { type: 'ENTERPRISE' | 'NATURAL_PERSON'; code: string } {
  if (i % 10 === 9) {
    const day = new Date(Date.UTC(1960, 0, 1) + Math.floor(i / 1000) * 86_400_000).toISOString().slice(0, 10);
    return {
      type: 'NATURAL_PERSON',
      code: makeCitizenId('500103', day.replace(/-/g, ''), String(i % 1000).padStart(3, '0')),
    };
  }
  let body = '';
  let n = i;
  for (let k = 0; k < 7; k++) {
    body = ALPHABET[n % 31] + body;
    n = Math.floor(n / 31);
  }
  return { type: 'ENTERPRISE', code: makeUscc('91', '500103', `C${body}`) };
}

function esc(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

async function copyRows(client: pg.PoolClient, sql: string, rows: Iterable<unknown[]>): Promise<void> {
  const stream = client.query(copyStreams.from(sql));
  async function* lines() {
    let buf = '';
    for (const r of rows) {
      buf += r.map(esc).join('\t') + '\n';
      if (buf.length > 1 << 20) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(lines()), stream);
}

async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
  if (exists && args.flags.has('reuse')) {
    await admin.end();
    const pool = createPool(dbUrl(dbName), 1);
    await migrate(pool); // migrations added since the data was loaded
    await pool.end();
    return;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(
    `CREATE DATABASE ${dbName} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  await admin.end();
  const pool = createPool(dbUrl(dbName), 2);
  await migrate(pool);
  const t0 = Date.now();
  await withTransaction(pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'bench', now: new Date('2023-01-01T00:00:00Z') };
    await seedNationalCatalog(ctx);
    await seedListTypes(ctx);
    await seedMeasures(ctx);
    await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'BC150002'),
      name: '渝中区市场监督管理局',
      region: '500103',
    });
  });
  const client = await pool.connect();
  try {
    // 1. Subjects by COPY (registry rows only: the check reads nothing else of a subject).
    const created = '2023-01-01T00:00:00Z';
    await copyRows(
      client,
      'COPY subjects (id, type, uscc, name, id_blind, id_masked, origin, created_at, updated_at) FROM STDIN',
      (function* () {
        for (let i = 0; i < N_SUBJECTS; i++) {
          const { type, code } = codeOf(i);
          const np = type === 'NATURAL_PERSON';
          yield [
            i + 1,
            type,
            np ? null : code,
            np ? `自然人${i}` : `重庆测试企业${i}有限公司`,
            np ? citizenBlindIndex(crypto, code) : null,
            np ? maskCitizenId(code) : null,
            'bench',
            created,
            created,
          ];
        }
      })(),
    );
    await client.query(`SELECT setval(pg_get_serial_sequence('subjects', 'id'), $1)`, [N_SUBJECTS]);
    console.log(`  [load] ${N_SUBJECTS} subjects in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // 2. List entries, set-based: spread over the subjects and the lists; some pending, some
    //    expired, some ended early — what a live platform holds.
    const t1 = Date.now();
    await client.query(
      `WITH lists AS (
         SELECT code, kind, row_number() OVER (ORDER BY code) - 1 AS k, count(*) OVER () AS n
           FROM list_types WHERE status = 'active')
       INSERT INTO list_entries (list_type_code, list_type_version, list_kind, subject_id, department_id, stage, facts_key,
                                 summary, proposed_at, notified_on, notice_no, repair_notice_no, statement_deadline,
                                 decided_at, decision_no, decision_reasons, period_months, effective_from,
                                 effective_until, published_at, ended_at, end_reason, created_at, updated_at)
       SELECT l.code, 1, l.kind, s, 1, st, ARRAY['doc:B' || g], 'bench', d - interval '30 days',
              (d - interval '25 days')::date, 'N' || g, 'R' || g, (d - interval '11 days')::date,
              CASE WHEN st = 'listed' THEN d END, CASE WHEN st = 'listed' THEN 'D' || g END,
              CASE WHEN st = 'listed' THEN 'bench' END, CASE WHEN st = 'listed' THEN 36 END,
              CASE WHEN st = 'listed' THEN (d AT TIME ZONE 'Asia/Shanghai')::date END,
              CASE WHEN st = 'listed' THEN ((d AT TIME ZONE 'Asia/Shanghai') + interval '36 months')::date END,
              CASE WHEN st = 'listed' THEN d END,
              CASE WHEN st = 'listed' AND g % 10 = 3 THEN d + interval '200 days' END,
              CASE WHEN st = 'listed' AND g % 10 = 3 THEN 'early_exit' END,
              d - interval '30 days', d
         FROM generate_series(1, $1::int) AS g
         CROSS JOIN LATERAL (SELECT ((g::int8 * 7919) % $2::int8) + 1 AS s,
                                    CASE WHEN g % 20 = 0 THEN 'proposed' ELSE 'listed' END AS st,
                                    timestamptz '2023-02-01 10:00+08' + ((g * 37) % 1200) * interval '1 day' AS d) x
         JOIN lists l ON l.k = g % l.n`,
      [N_ENTRIES, N_SUBJECTS],
    );
    console.log(`  [load] ${N_ENTRIES} list entries in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

    // 3. Penalty records for other subjects, a quarter of them SERIOUS (they trigger measures too).
    const t2 = Date.now();
    await client.query(
      `INSERT INTO records (subject_id, item_code, item_version, category_code, department_id, doc_no, decision_date,
                            severity, payload, window_from, window_until, version, created_at, updated_at)
       SELECT s, 'XZCF', 1, 'ADM', 1, 'P' || g, dd, sev, '{}'::jsonb, dd,
              (dd + CASE sev WHEN 'SERIOUS' THEN interval '36 months' ELSE interval '12 months' END)::date, 1,
              dd::timestamptz, dd::timestamptz
         FROM generate_series(1, $1::int) AS g
         CROSS JOIN LATERAL (SELECT ((g::int8 * 104729) % $2::int8) + 1 AS s,
                                    CASE WHEN g % 4 = 0 THEN 'SERIOUS' ELSE 'GENERAL' END AS sev,
                                    (date '2023-03-01' + (g * 13) % 1200) AS dd) x`,
      [N_RECORDS, N_SUBJECTS],
    );
    await client.query(
      `INSERT INTO record_versions (record_id, version, item_version, decision_date, severity, payload, window_from,
                                    window_until, change_kind, recorded_at, recorded_by)
       SELECT id, 1, 1, decision_date, severity, payload, window_from, window_until, 'created', created_at, 'bench'
         FROM records`,
    );
    console.log(`  [load] ${N_RECORDS} records in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
    await client.query('VACUUM ANALYZE');
  } finally {
    client.release();
  }
  await pool.end();
  console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// ---- the server (child process) ----

async function serve(port: number): Promise<void> {
  const config = loadConfig({ ...process.env, ...serverEnv(), XINYONG_PORT: String(port) });
  const pool = createPool(dbUrl(dbName), config.poolSize);
  const app = await buildApp({ config, pool });
  await app.ready();
  if (process.env.XINYONG_CHECK_INDEX === 'on') {
    const t0 = Date.now();
    const index = checkIndexFor(pool, () => {
      throw new Error('the routes create the index');
    });
    await index.start();
    const mb = process.memoryUsage().heapUsed / 1e6;
    process.stderr.write(
      `  [server] index of ${index.size} subjects loaded in ${Date.now() - t0} ms; heap ${mb.toFixed(0)} MB\n`,
    );
  }
  await app.listen({ host: '127.0.0.1', port });
  process.stdout.write('READY\n');
  process.once(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => pool.end())
        .then(() => process.exit(0)),
  );
}

async function startServer(
  port: number,
  index: boolean,
): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      process.argv[1] as string,
      '--serve',
      '--port',
      String(port),
      '--pool',
      String(POOL),
    ],
    {
      env: { ...process.env, ...serverEnv(), XINYONG_CHECK_INDEX: index ? 'on' : 'off' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 120_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    pid: child.pid as number,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

// ---- load generator ----

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(conc: number, seconds: number, op: (i: number) => Promise<void>) {
  const lat: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
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
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { rps: lat.length / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), n: lat.length };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * The HTTP load generator. A Node client costs about as much CPU per request as the server's
 * HTTP layer, and on two cores it takes that CPU from the server and the database; `wrk` (a C
 * program, `apt-get install wrk`) costs a fraction. Used when it is on PATH, unless `--generator node`.
 */
const WRK =
  args.flags.get('generator') !== 'node' &&
  spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

/** One wrk run: `lua` builds each request (see wrk's SCRIPTING); every answer must be 200. */
function wrkRun(
  port: number,
  path: string,
  key: string,
  seconds: number,
  conc: number,
  lua?: string,
): { rps: number; p50: number; p99: number; n: number } {
  const dir = mkdtempSync(join(tmpdir(), 'xy-wrk-'));
  try {
    const argv = ['-t1', `-c${conc}`, `-d${seconds}s`, '--latency', '-H', `authorization: Bearer ${key}`];
    if (lua) {
      writeFileSync(join(dir, 'script.lua'), lua);
      argv.push('-s', join(dir, 'script.lua'));
    }
    const r = spawnSync('wrk', [...argv, `http://127.0.0.1:${port}${path}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
    const out = r.stdout;
    const bad = /Non-2xx or 3xx responses: (\d+)/.exec(out);
    if (bad) throw new Error(`wrk: ${bad[1]} answers were not 200\n${out}`);
    if (/Socket errors/.test(out)) throw new Error(`wrk: socket errors\n${out}`);
    const ms = (label: string) => {
      const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      if (!m) return NaN;
      const v = Number(m[1]);
      return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
    };
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const n = Number(/(\d+) requests in/.exec(out)?.[1]);
    return { rps, p50: ms('50'), p99: ms('99'), n };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// CPU accounting from /proc (Linux, a local PostgreSQL): the server child's user and system time,
// every postgres process's time, and the machine's busy time; null where /proc cannot tell.
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function procTimes(pid: number | string): { user: number; sys: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]), sys: Number(f[12]) };
  } catch {
    return null;
  }
}

function cpuNow(serverPid: number): { user: number; sys: number; pg: number; machine: number } | null {
  const server = procTimes(serverPid);
  if (!server) return null;
  let pg = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const t = procTimes(entry);
    if (t) pg += t.user + t.sys;
  }
  // /proc/stat's cpu line: user nice system idle iowait irq softirq steal …; busy is user, nice, system,
  // irq and softirq (not idle or iowait, nor steal: the hypervisor's time, not ours).
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const machine = [0, 1, 2, 5, 6].reduce((sum, i) => sum + (cpu[i] ?? 0), 0);
  return { ...server, pg, machine };
}

/** A wrk script posting single checks for random subjects of `codes`. */
function checkScript(codes: readonly string[]): string {
  return `
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
local codes = { ${codes.map((c) => `"${c}"`).join(', ')} }
math.randomseed(${Date.now() % 1_000_000})
request = function()
  local c = codes[math.random(#codes)]
  return wrk.format(nil, "/api/v1/checks", nil, '{"subject":"' .. c .. '","scenario":"${SCENARIO}"}')
end
`;
}

function get(port: number, path: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${key}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
  });
}

function post(
  port: number,
  path: string,
  body: string,
  key: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${key}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  await setup();
  const pool = createPool(dbUrl(dbName), POOL);
  const key = await withTransaction(pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'bench', now: new Date() };
    return (await createApiKey(ctx, { departmentId: 1, name: `bench ${Date.now()}`, scopes: ['checks'] }))
      .key;
  });
  const counts = (
    await pool.query(
      `SELECT (SELECT count(*) FROM subjects)::int8 AS s, (SELECT count(*) FROM list_entries)::int8 AS e,
              (SELECT count(*) FROM records)::int8 AS r`,
    )
  ).rows[0];
  const sample = Array.from({ length: 50_000 }, () => codeOf(Math.floor(Math.random() * N_SUBJECTS)).code);
  console.log(
    `database: ${counts.s} subjects, ${counts.e} list entries, ${counts.r} records; ${CONC} clients; pool ${POOL}; ` +
      `node ${process.version}; HTTP load from ${WRK ? 'wrk' : 'this process (node:http)'}`,
  );

  // Plain SQL reference: the facts query a check runs (subject by code + active entries + disclosed
  // records + inventory mark), through a pool of the same size.
  const triggerItems = ['SXBZXR', 'XZCF'];
  const sql = await timed(CONC, SECONDS, async (i) => {
    const code = sample[i % sample.length] as string;
    const now = new Date();
    const key: Parameters<typeof measuresRepo.singleFacts>[1] =
      code.length === 18 && /^\d{17}[\dX]$/.test(code) && !code.startsWith('91')
        ? { kind: 'blind', value: citizenBlindIndexes(crypto, code) }
        : { kind: 'uscc', value: code };
    const row = await measuresRepo.singleFacts(pool, key, now, civilDate(now), triggerItems, false);
    if (!row) throw new Error(`no subject ${code}`);
  });
  console.log(
    `SQL  check facts: ${sql.rps.toFixed(0)} q/s, p50 ${sql.p50.toFixed(2)} ms, p99 ${sql.p99.toFixed(2)} ms`,
  );

  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`load average at start: ${load()} (${os.cpus().length} cores)`);
  const modes = args.flags.has('index-only')
    ? [true]
    : args.flags.has('sql-only') || args.flags.has('floor-only')
      ? [false]
      : [false, true];
  try {
    for (const index of modes) {
      const port = 19000 + Math.floor(Math.random() * 1000);
      const { pid, stop } = await startServer(port, index);
      /** Runs `fn` (a load of `n` requests) and adds the CPU each request cost, by process, as `cpu`. */
      const costed = async <T extends { n: number }>(
        fn: () => T | Promise<T>,
      ): Promise<T & { cpu: string }> => {
        const before = cpuNow(pid);
        const r = await fn();
        const after = cpuNow(pid);
        let cpu = '    (CPU per request: /proc cannot tell)';
        if (before && after && r.n > 0) {
          const us = (a: number, b: number) => (((b - a) / CLK_TCK) * 1e6) / r.n;
          cpu =
            `    CPU per request: server ${us(before.user, after.user).toFixed(0)} µs user + ` +
            `${us(before.sys, after.sys).toFixed(0)} µs system; PostgreSQL ${us(before.pg, after.pg).toFixed(0)} µs; ` +
            `whole machine ${us(before.machine, after.machine).toFixed(0)} µs busy`;
        }
        return { ...r, cpu };
      };
      try {
        const label = index ? 'HTTP check (index)' : 'HTTP check (SQL)  ';
        if (!index) {
          // The floor: HTTP + API-key authentication (cached) and nothing else.
          const healthz = (seconds: number) =>
            WRK
              ? wrkRun(port, '/healthz', key, seconds, CONC)
              : timed(CONC, seconds, async () => {
                  const r = await get(port, '/healthz', key);
                  if (r !== 200) throw new Error(`healthz ${r}`);
                });
          await healthz(2); // warm-up
          const floor = await costed(() => healthz(Math.min(SECONDS, 5)));
          console.log(
            `HTTP floor (auth only): ${floor.rps.toFixed(0)} req/s, p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms\n${floor.cpu}`,
          );
          if (args.flags.has('floor-only')) continue;
        }
        const one = (i: number) =>
          post(
            port,
            '/api/v1/checks',
            JSON.stringify({ subject: sample[i % sample.length], scenario: SCENARIO }),
            key,
          );
        const first = await one(0);
        if (first.status !== 200) throw new Error(`check: ${first.status} ${first.body}`);
        const script = checkScript(sample.slice(0, 20_000));
        // 3 s of warm-up, then the measured run.
        if (WRK) wrkRun(port, '/', key, 3, CONC, script);
        else await timed(CONC, 3, async (i) => void (await one(i)));
        const httpRes = await costed(() =>
          WRK
            ? wrkRun(port, '/', key, SECONDS, CONC, script)
            : timed(CONC, SECONDS, async (i) => {
                const r = await one(i);
                if (r.status !== 200) throw new Error(`status ${r.status}: ${r.body}`);
              }),
        );
        console.log(
          `${label}: ${httpRes.rps.toFixed(0)} req/s, p50 ${httpRes.p50.toFixed(2)} ms, p99 ${httpRes.p99.toFixed(2)} ms; ratio to SQL ${(httpRes.rps / sql.rps).toFixed(2)}\n${httpRes.cpu}`,
        );
        if (index || args.flags.has('skip-batch')) continue;
        const events = await pool.query(
          "SELECT count(*)::int8 AS n FROM events WHERE type = 'check.performed'",
        );
        console.log(`check events written so far: ${events.rows[0].n}`);
        const times: number[] = [];
        for (let run = 0; run < 6; run++) {
          const subjects = Array.from(
            { length: 10_000 },
            () => codeOf(Math.floor(Math.random() * N_SUBJECTS)).code,
          );
          const body = JSON.stringify({ subjects, scenario: SCENARIO });
          const t = performance.now();
          const r = await post(port, '/api/v1/checks/batch', body, key);
          const ms = performance.now() - t;
          if (r.status !== 200) throw new Error(`batch: ${r.status} ${r.body.slice(0, 300)}`);
          const parsed = JSON.parse(r.body) as { outcomes: Record<string, number> };
          if (run > 0) times.push(ms);
          if (run === 1)
            console.log(
              `batch outcomes: ${JSON.stringify(parsed.outcomes)} (${(r.body.length / 1e6).toFixed(1)} MB)`,
            );
        }
        times.sort((a, b) => a - b);
        console.log(
          `batch of 10,000 over HTTP: median ${pct(times, 50).toFixed(0)} ms, best ${times[0]?.toFixed(0)} ms, worst ${times.at(-1)?.toFixed(0)} ms`,
        );
      } finally {
        await stop();
      }
    }
  } finally {
    console.log(`load average at end: ${load()}`);
    await pool.end();
    agent.destroy();
  }
}

if (args.flags.has('serve')) await serve(Number(args.flags.get('port')));
else await main();
