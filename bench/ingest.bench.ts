/*
 * Ingest benchmark (issue 3): N 行政处罚 records from the demo generator, written as CSV (Chinese
 * headers) and NDJSON, ingested through the product — parse, map, validate, resolve subjects,
 * store records and versions, batch rows, events, one transaction per file — into a scratch
 * database; and, in the same run, the same rows COPYed into an equivalent bare table.
 *
 *   npx tsx bench/ingest.bench.ts --rows 100000 [--db postgres://user@host:port/postgres] [--keep]
 *                                 [--formats csv|ndjson] [--no-floor] [--profile] [--subjects N] [--files DIR]
 *
 * --db names a PostgreSQL server (default: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres);
 * a scratch database is created on it and dropped at the end (unless --keep). Subjects (organisations of
 * the demo generator, N/10 by default) are registered up front and not measured. --profile writes a CPU
 * profile of the CSV run; BENCH_MEMORY=1 prints memory every two seconds. --formats csv or ndjson
 * generates and ingests that format only (default both); --no-floor skips the SQL floor (at 10 M rows
 * it alone takes ~20 minutes). --files DIR keeps the generated files in DIR and reuses them when they
 * are there (10 M rows take ~15 minutes to generate).
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Session } from 'node:inspector';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { makeUscc } from '../src/domain/identifiers';
import { createRng } from '../src/cli/seed/prng';
import { generateRecords, PROVIDERS, type DemoDepartment } from '../src/cli/seed/records';
import { generateSubjects } from '../src/cli/seed/subjects';
import { SYSTEM } from '../src/server/platform/context';
import { createFieldCrypto } from '../src/server/platform/crypto';
import { createPool, withTransaction } from '../src/server/platform/db';
import { migrate } from '../src/server/platform/migrate';
import { createDepartment } from '../src/server/modules/accounts';
import { getItemVersion, seedNationalCatalog, setProviders } from '../src/server/modules/catalog';
import { ingest } from '../src/server/modules/ingest';
import { parseArgs } from '../src/cli/args';

const args = parseArgs(process.argv.slice(2), ['rows', 'db', 'subjects', 'formats', 'files']);
const N = Number(args.flags.get('rows') ?? 100_000);
const SUBJECTS = Number(args.flags.get('subjects') ?? Math.min(200_000, Math.max(2_000, Math.round(N / 10))));
const server = String(
  args.flags.get('db') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const keep = args.flags.has('keep');
// --formats csv | ndjson | csv,ndjson (default both): which files are generated and ingested.
const formats = new Set(String(args.flags.get('formats') ?? 'csv,ndjson').split(','));
for (const f of formats)
  if (f !== 'csv' && f !== 'ndjson') throw new Error(`--formats: unknown format ${f} (csv, ndjson)`);
const withCsv = formats.has('csv');
const withNdjson = formats.has('ndjson');
const withFloor = !args.flags.has('no-floor');
const dbName = `xy_bench_ingest_${process.pid}`;
const filesFlag = args.flags.get('files');
const filesDir = typeof filesFlag === 'string' ? filesFlag : undefined;
if (filesDir) mkdirSync(filesDir, { recursive: true });
const dir = filesDir ?? mkdtempSync(path.join(os.tmpdir(), 'xinyong-bench-'));
const now = new Date();

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

async function write(out: Writable, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(';') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function copyCell(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** CPU seconds used so far by the PostgreSQL backends serving `db` (read from /proc; 0 elsewhere). */
async function backendCpu(pool: pg.Pool, db: string): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    db,
  ]);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not on Linux, or the backend is gone
    }
  }
  return ticks / 100;
}

interface Measured<T> {
  result: T;
  ms: number;
  heapMax: number;
  externalMax: number;
  rssStart: number;
  rssMax: number;
  rssEnd: number;
  nodeCpu: number;
  dbCpu: number;
}

/**
 * Runs `fn` measuring wall time, this process's RSS (the server side of the ingest is this
 * process) and the CPU used on both sides: Node and the database backends.
 */
async function measure<T>(pool: pg.Pool, db: string, fn: () => Promise<T>): Promise<Measured<T>> {
  const cpu0 = process.cpuUsage();
  const db0 = await backendCpu(pool, db);
  const rssStart = process.memoryUsage().rss;
  let rssMax = rssStart;
  let heapMax = 0;
  let externalMax = 0;
  const timer = setInterval(
    () => {
      const m = process.memoryUsage();
      rssMax = Math.max(rssMax, m.rss);
      heapMax = Math.max(heapMax, m.heapUsed);
      externalMax = Math.max(externalMax, m.external + m.arrayBuffers);
      if (process.env.BENCH_MEMORY)
        console.log(
          `  rss ${mb(m.rss)} heap ${mb(m.heapUsed)} external ${mb(m.external)} buffers ${mb(m.arrayBuffers)}`,
        );
    },
    process.env.BENCH_MEMORY ? 2000 : 100,
  );
  const t0 = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const dbCpu = (await backendCpu(pool, db)) - db0;
    return {
      result,
      ms,
      heapMax,
      externalMax,
      rssStart,
      rssMax,
      rssEnd: process.memoryUsage().rss,
      nodeCpu: (cpu.user + cpu.system) / 1e6,
      dbCpu,
    };
  } finally {
    clearInterval(timer);
  }
}

/** With --profile, a CPU profile of `fn` (open it in Chrome DevTools). */
async function profiled<T>(label: string, fn: () => Promise<T>): Promise<T> {
  if (!args.flags.has('profile')) return fn();
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    const file = path.join(os.tmpdir(), `ingest-${label}-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`CPU profile: ${file}`);
    session.disconnect();
  }
}

async function main(): Promise<void> {
  console.log(
    `ingest benchmark: ${fmt(N)} records, ${fmt(SUBJECTS)} subjects; node ${process.version}, ${os.cpus().length} cores`,
  );
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]
    ?.server_version;
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(
    `CREATE DATABASE ${dbName} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const pool = createPool(url.toString(), 4);
  try {
    console.log(`PostgreSQL ${version}; scratch database ${dbName}`);
    await migrate(pool);
    const crypto = createFieldCrypto(randomBytes(32), randomBytes(32));
    const ctxOf = (db: pg.PoolClient) => ({ db, actor: SYSTEM, requestId: 'bench', now });
    const dept = await withTransaction(pool, async (tx) => {
      await seedNationalCatalog(ctxOf(tx));
      const d = await createDepartment(ctxOf(tx), {
        uscc: makeUscc('11', '500103', 'MB150002'),
        name: '重庆市渝中区市场监督管理局',
        region: '500103',
      });
      await setProviders(ctxOf(tx), 'XZCF', [d.id]);
      return d;
    });

    // Subjects: organisations of the demo generator, registered up front (not measured).
    const rng = createRng(20_261_129);
    const all = generateSubjects(rng, SUBJECTS);
    const subjects = all.filter((s) => s.type !== 'NATURAL_PERSON' && s.uscc);
    for (let i = 0; i < subjects.length; i += 5000) {
      const chunk = subjects.slice(i, i + 5000);
      await pool.query(
        `INSERT INTO subjects (type, uscc, name, region, origin, created_at, updated_at)
         SELECT t, u, n, '500103', 'demo', $4, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, u, n)`,
        [chunk.map((s) => s.type), chunk.map((s) => s.uscc), chunk.map((s) => s.name), now],
      );
    }

    // Records: 行政处罚 from the demo generator, all provided by one department, unique document numbers.
    const item = await getItemVersion({ db: pool, actor: SYSTEM, requestId: 'bench', now }, 'XZCF');
    const props = item.payloadSchema.properties as Record<string, { title: string }>;
    const columns = Object.keys(props).filter((k) => k !== 'CF_XDR_ZJHM' && k !== 'CF_XDR_ZJLX');
    const one: DemoDepartment = { id: dept.id, name: dept.name, uscc: dept.uscc, key: 'scjg' };
    const depts = new Map<string, DemoDepartment>(
      Object.values(PROVIDERS)
        .flat()
        .map((k) => [k, one]),
    );
    const csvFile = path.join(dir, 'penalties.csv');
    const ndjsonFile = path.join(dir, 'penalties.ndjson');
    const copyFile = path.join(dir, 'penalties.copy');
    // --files DIR: files generated by an earlier run (same --rows and seed) are used as they are.
    const generated = (f: string): boolean => existsSync(f) && statSync(f).size > 0;
    const reuse =
      filesDir !== undefined &&
      (!withCsv || generated(csvFile)) &&
      generated(copyFile) &&
      (!withNdjson || generated(ndjsonFile));
    if (reuse) console.log(`reusing the files in ${dir}`);
    else {
      // Only the formats asked for are (re)written: a --files folder keeps the other one as it was.
      const csvOut = withCsv ? createWriteStream(csvFile) : null;
      const ndOut = withNdjson ? createWriteStream(ndjsonFile) : null;
      const copyOut = createWriteStream(copyFile);
      if (csvOut) await write(csvOut, `\ufeff${columns.map((k) => csvCell(props[k]?.title)).join(',')}\r\n`);
      let made = 0;
      const tg = performance.now();
      while (made < N) {
        for (const r of generateRecords(rng, 20_000, all, depts, '2026-11-20')) {
          // Penalties of organisations (natural persons' IDs would need the registry's blind index).
          if (r.itemCode !== 'XZCF' || !r.payload.CF_XDR_SHXYM || made >= N) continue;
          const p: Record<string, unknown> = { ...r.payload, CF_WSH: `${String(r.payload.CF_WSH)}-${made}` };
          if (csvOut) await write(csvOut, `${columns.map((k) => csvCell(p[k])).join(',')}\r\n`);
          const j: Record<string, unknown> = { ...p, CF_WSH: `${String(p.CF_WSH)}-J` };
          if (ndOut)
            await write(ndOut, `${JSON.stringify(r.severity ? { payload: j, severity: r.severity } : j)}\n`);
          await write(
            copyOut,
            `${copyCell(String(j.CF_WSH))}\t${String(j.CF_JDRQ)}\t${String(j.CF_XDR_SHXYM)}\t${copyCell(JSON.stringify(j))}\n`,
          );
          made++;
        }
      }
      const outs = [csvOut, ndOut, copyOut].filter((o) => o !== null);
      await Promise.all(outs.map((o) => new Promise((res) => o.end(res))));
      const sizes = [
        csvOut ? `CSV ${mb(statSync(csvFile).size)}` : '',
        ndOut ? `NDJSON ${mb(statSync(ndjsonFile).size)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      console.log(`generated in ${((performance.now() - tg) / 1000).toFixed(1)} s: ${sizes}`);
    }

    const product = async (file: string, label: string) => {
      const sha256 = createHash('sha256');
      for await (const c of createReadStream(file)) sha256.update(c as Buffer);
      const run = await measure(pool, dbName, () =>
        ingest(
          { pool, crypto },
          { actor: SYSTEM, requestId: `bench-${label}`, now },
          {
            departmentId: dept.id,
            itemCode: 'XZCF',
            fileName: path.basename(file),
            channel: 'cli',
            input: createReadStream(file),
            sha256: sha256.digest(),
            sizeBytes: statSync(file).size,
          },
        ),
      );
      const c = run.result.batch.counts;
      if (c.accepted !== N) throw new Error(`${label}: ${JSON.stringify(c)} (expected ${N} accepted)`);
      return run;
    };

    const csvRun = withCsv ? await profiled('csv', () => product(csvFile, 'csv')) : null;
    const ndRun = withNdjson ? await product(ndjsonFile, 'ndjson') : null;

    // The baseline: the same rows COPYed into a bare table of the same content (one jsonb per record).
    await pool.query(
      'CREATE TABLE bench_copy (doc_no text, decision_date date, subject_code text, payload jsonb)',
    );
    const copyRun = await measure(pool, dbName, async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await pipeline(createReadStream(copyFile), client.query(copyFrom('COPY bench_copy FROM STDIN')));
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
    const copyMs = copyRun.ms;
    const copyRate = rate(N, copyMs);

    // The floor of the product's storage, without Node: the records the CSV run stored, inserted
    // once more (other document numbers) by plain INSERT … SELECT into the same tables — heads,
    // first versions, record.created events (payload text and its hash) and batch rows — with
    // their indexes, foreign keys and WAL. Rolled back afterwards. No ingest can store faster.
    const floorRun = !withFloor
      ? null
      : await measure(pool, dbName, async () => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query(
              `CREATE TEMP TABLE floor_ids ON COMMIT DROP AS
           WITH src AS (SELECT * FROM records WHERE id IN (SELECT record_id FROM ingest_batch_rows
                          WHERE batch_id = (SELECT min(id) FROM ingest_batches))),
           ins AS (
             INSERT INTO records (subject_id, item_code, item_version, category_code, department_id, doc_no,
                                  decision_date, severity, payload, window_from, window_until, version, created_at, updated_at)
             SELECT subject_id, item_code, item_version, category_code, department_id, doc_no || '-F', decision_date,
                    severity, payload, window_from, window_until, 1, now(), now() FROM src ORDER BY id
             RETURNING *),
           v AS (
             INSERT INTO record_versions (record_id, version, item_version, decision_date, severity, payload,
                                          window_from, window_until, change_kind, recorded_at, recorded_by)
             SELECT id, 1, item_version, decision_date, severity, payload, window_from, window_until, 'created', now(), 'bench'
               FROM ins)
           SELECT id, subject_id, payload::text AS p, row_number() OVER (ORDER BY id) AS n FROM ins`,
            );
            await client.query(
              `INSERT INTO events (seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
                               payload, payload_sha256)
           SELECT (SELECT max(seq) FROM events) + n, now(), 'system', 'bench', 'record.created', subject_id, 'record',
                  id::text, 'bench-floor', p, sha256(convert_to(p, 'UTF8'))
             FROM floor_ids`,
            );
            await client.query(
              `INSERT INTO ingest_batch_rows (batch_id, row_no, outcome, record_id)
           SELECT (SELECT min(id) FROM ingest_batches), n + 1000000000, 'created', id FROM floor_ids`,
            );
            await client.query('ROLLBACK');
          } finally {
            client.release();
          }
        });

    const counted = await pool.query<{ r: number; e: number; b: number }>(
      `SELECT (SELECT count(*) FROM records)::int AS r, (SELECT count(*) FROM events WHERE type = 'record.created')::int AS e,
              (SELECT count(*) FROM ingest_batch_rows)::int AS b`,
    );
    const line = (label: string, run: NonNullable<typeof csvRun>) =>
      `${label.padEnd(20)} ${fmt(rate(N, run.ms)).padStart(9)} rows/s  ${(run.ms / 1000).toFixed(1).padStart(7)} s  ` +
      `${((rate(N, run.ms) / copyRate) * 100).toFixed(1).padStart(5)} % of COPY  ` +
      `CPU node ${run.nodeCpu.toFixed(1)} s, db ${run.dbCpu.toFixed(1)} s  RSS ${mb(run.rssStart)} → max ${mb(run.rssMax)} → ${mb(run.rssEnd)}`;
    console.log('');
    if (csvRun) console.log(line('product CSV', csvRun));
    if (ndRun) console.log(line('product NDJSON', ndRun));
    console.log(
      `${'COPY (bare table)'.padEnd(20)} ${fmt(copyRate).padStart(9)} rows/s  ${(copyMs / 1000).toFixed(1).padStart(7)} s  ` +
        `           CPU node ${copyRun.nodeCpu.toFixed(1)} s, db ${copyRun.dbCpu.toFixed(1)} s`,
    );
    if (floorRun)
      console.log(
        `${'SQL floor (no Node)'.padEnd(20)} ${fmt(rate(N, floorRun.ms)).padStart(9)} rows/s  ${(floorRun.ms / 1000).toFixed(1).padStart(7)} s  ` +
          `${((rate(N, floorRun.ms) / copyRate) * 100).toFixed(1).padStart(5)} % of COPY  CPU db ${floorRun.dbCpu.toFixed(1)} s`,
      );
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (${os.cpus().length} cores)`,
    );
    console.log(
      `stored: ${fmt(counted.rows[0]?.r ?? 0)} records, ${fmt(counted.rows[0]?.e ?? 0)} record.created events, ${fmt(counted.rows[0]?.b ?? 0)} batch rows`,
    );
  } finally {
    await pool.end();
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.end();
    if (!filesDir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
