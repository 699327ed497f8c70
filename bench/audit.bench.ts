/**
 * Audit log benchmark (not part of the test run):
 *
 *   npx tsx bench/audit.bench.ts [--events 1000000] [--keep]
 *
 * Uses BENCH_DATABASE_URL / DATABASE_URL (a server URL; a scratch database is created there and
 * dropped afterwards) or, without one, an embedded PostgreSQL in a temporary directory. Synthetic
 * events are inserted with generate_series. Every figure is printed next to a raw-SQL or raw-hash
 * baseline measured in the same run.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  appendLeaves,
  eventLeafJson,
  sha256 as pureSha256,
  tileKey,
  treeHasher,
  utf8,
  type TreeHasher,
} from '../src/domain/merkle';
import { parseArgs } from '../src/cli/args';
import { SYSTEM } from '../src/server/platform/context';
import { createPool, type Pool } from '../src/server/platform/db';
import { startEmbedded, type EmbeddedServer } from '../src/server/platform/embedded';
import { loadMigrations, migrate } from '../src/server/platform/migrate';
import {
  DEFAULT_ORIGIN,
  advanceLog,
  checkpoint,
  consistencyProof,
  ed25519Signer,
  inclusionProof,
  suiteHasher,
  verifyLog,
} from '../src/server/modules/audit';

const args = parseArgs(process.argv.slice(2), ['events']);
const N = Number(args.flags.get('events') ?? 1_000_000);
const signer = ed25519Signer(DEFAULT_ORIGIN, Buffer.alloc(32, 5));

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rows: string[][] = [];
const row = (what: string, value: string, baseline = '', ratio = ''): void => {
  rows.push([what, value, baseline, ratio]);
  console.log(`${what.padEnd(52)} ${value.padStart(22)} ${baseline.padStart(30)} ${ratio}`);
};
async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0;

async function scratchDb(): Promise<{ pool: Pool; url: string; drop(): Promise<void> }> {
  let embedded: EmbeddedServer | null = null;
  let dir: string | null = null;
  let server = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || '';
  if (!server) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-bench-pg-'));
    embedded = await startEmbedded({ dataDir: dir, port: 55433 });
    server = embedded.url;
  }
  const name = `xy_bench_audit_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(
    `CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  const pool = createPool(u.toString(), 4);
  // Only what the log needs: the event table and the audit tables.
  await migrate(
    pool,
    loadMigrations().filter((m) => /^0001_|_audit$/.test(m.version)),
  );
  return {
    pool,
    url: u.toString(),
    async drop() {
      await pool.end();
      if (!args.flags.has('keep')) {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      }
      await embedded?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Synthetic events shaped like the platform's, payload ≈ 120 bytes, in chunks of 500 k. */
async function insertEvents(pool: Pool, from: number, to: number): Promise<void> {
  for (let lo = from; lo <= to; lo += 500_000) {
    const hi = Math.min(to, lo + 499_999);
    await pool.query(
      `INSERT INTO events (seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
                           payload, payload_sha256)
       SELECT i, timestamptz '2026-01-01 00:00:00+08' + i * interval '37 ms', 'apikey', (i % 50)::text,
              'record.created', CASE WHEN i % 3 = 0 THEN NULL ELSE i % 200000 END, 'record', i::text,
              md5(i::text), p, sha256(convert_to(p, 'UTF8'))
         FROM (SELECT i, '{"catalogItem":"XZCF","decisionNo":"渝中市监罚〔2026〕' || i ||
                         '号","fields":{"amount":' || (i % 9973) || ',"basis":"《行政处罚法》"}}' AS p
                 FROM generate_series($1::int8, $2::int8) AS i) s`,
      [lo, hi],
    );
  }
}

async function main(): Promise<void> {
  console.log(`audit bench: ${fmt(N)} events, ${os.cpus().length} cores, Node ${process.version}`);
  const db = await scratchDb();
  const pool = db.pool;
  try {
    const ins = await time(() => insertEvents(pool, 1, N));
    await pool.query('VACUUM ANALYZE events');
    row('insert events (generate_series, raw SQL)', `${fmt(N / (ins.ms / 1000))}/s`, secs(ins.ms));

    // Baselines: the database reading (and hashing) the same rows.
    const scan = await time(() =>
      pool.query(
        `SELECT sum(length(concat_ws('|', seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
          encode(payload_sha256, 'hex')))) FROM events`,
      ),
    );
    const pgHash = await time(() =>
      pool.query(
        `SELECT count(sha256(convert_to(type || entity_id || coalesce(request_id, ''), 'UTF8'))) FROM events`,
      ),
    );
    const fetch = await time(async () => {
      let n = 0;
      for (let lo = 1; lo <= N; lo += 32_768) {
        const r = await pool.query(
          'SELECT seq, type, entity_id, request_id, payload_sha256 FROM events WHERE seq BETWEEN $1 AND $2',
          [lo, lo + 32_767],
        );
        n += r.rowCount ?? 0;
      }
      return n;
    });
    // The cheapest way to move the rows to Node: binary COPY of every column the verifier reads.
    const copyAll = await time(async () => {
      const client = await pool.connect();
      try {
        let bytes = 0;
        for (let lo = 1; lo <= N; lo += 65_536)
          for await (const chunk of client.query(
            copyTo(
              `COPY (SELECT seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
                            payload, payload_sha256 FROM events
                      WHERE seq BETWEEN ${lo} AND ${Math.min(N, lo + 65_535)} ORDER BY seq) TO STDOUT (FORMAT binary)`,
            ),
          ) as AsyncIterable<Buffer>)
            bytes += chunk.length;
        return bytes;
      } finally {
        client.release();
      }
    });
    row('raw SQL: leaf columns formatted, server-side', `${fmt(N / (scan.ms / 1000))}/s`, secs(scan.ms));
    row('raw SQL: sha256() per row inside PostgreSQL', `${fmt(N / (pgHash.ms / 1000))}/s`, secs(pgHash.ms));
    row('raw SQL: rows fetched to Node in 32 k batches', `${fmt(N / (fetch.ms / 1000))}/s`, secs(fetch.ms));
    row(
      'raw SQL: binary COPY of all event columns to Node',
      `${fmt(N / (copyAll.ms / 1000))}/s`,
      `${secs(copyAll.ms)}, ${(copyAll.value / 1e6).toFixed(0)} MB`,
    );

    // Pure hashing, no database: leaf hashes, then the tree over them as the log builds it (tiles).
    const leaves = Array.from({ length: 200_000 }, (_, i) =>
      eventLeafJson({
        seq: i + 1,
        at: '2026-01-01T00:00:00.037000Z',
        actorKind: 'apikey',
        actorId: String(i % 50),
        type: 'record.created',
        subjectId: i % 3 === 0 ? null : i,
        entityType: 'record',
        entityId: String(i),
        requestId: 'c4ca4238a0b923820dcc509a6f75849b',
        payloadSha256: 'ab'.repeat(32),
      }),
    );
    const hashRate = (label: string, leafOf: (text: string) => Uint8Array, h: TreeHasher): void => {
      const hashes = new Uint8Array(leaves.length * 32);
      const t0 = performance.now();
      leaves.forEach((l, i) => hashes.set(leafOf(l), i * 32));
      const t1 = performance.now();
      const tiles = new Map<string, Uint8Array>();
      for (let lo = 0; lo < leaves.length; lo += 32_768) {
        const part = hashes.subarray(lo * 32, Math.min(leaves.length, lo + 32_768) * 32);
        for (const tile of appendLeaves(h, lo, part, tiles))
          tiles.set(tileKey(tile.level, tile.index), tile.hashes);
      }
      const t2 = performance.now();
      const rate = (ms: number): string => `${fmt(leaves.length / (ms / 1000))}/s`;
      row(
        `hash only, ${label}: leaves / tree / both`,
        `${rate(t1 - t0)} / ${rate(t2 - t1)} / ${rate(t2 - t0)}`,
      );
    };
    const nodeSha = suiteHasher('sha256-ed25519');
    const pure = treeHasher(pureSha256);
    hashRate('SHA-256 (OpenSSL)', nodeSha.leafOfText, nodeSha);
    hashRate('SHA-256 (pure TS)', (l) => pure.leaf(utf8(l)), pure);
    const nodeSm3 = suiteHasher('sm3-sm2');
    hashRate('SM3 (OpenSSL)', nodeSm3.leafOfText, nodeSm3);

    // The log itself.
    const adv = await time(() => advanceLog(pool));
    row(
      'advanceLog: incorporate all events',
      `${fmt(N / (adv.ms / 1000))}/s`,
      secs(adv.ms),
      `${(fetch.ms / adv.ms).toFixed(2)}× raw fetch rate`,
    );
    const more = 10_000;
    await insertEvents(pool, N + 1, N + more);
    const adv2 = await time(() => advanceLog(pool));
    row(`advanceLog: ${fmt(more)} new events on top`, `${fmt(more / (adv2.ms / 1000))}/s`, secs(adv2.ms));
    const cps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await insertEvents(pool, N + more + i * 10 + 1, N + more + (i + 1) * 10);
      await advanceLog(pool);
      cps.push((await time(() => checkpoint(pool, signer, { origin: DEFAULT_ORIGIN, now: new Date() }))).ms);
    }
    const size = N + more + 50;
    row(`checkpoint at ${fmt(size)} (root + Ed25519), median of 5`, `${pct(cps, 0.5).toFixed(1)} ms`);

    const point: number[] = [];
    const incl: number[] = [];
    const cons: number[] = [];
    for (let i = 0; i < 300; i++) {
      const seq = 1 + Math.floor(Math.random() * size);
      point.push((await time(() => pool.query('SELECT * FROM events WHERE seq = $1', [seq]))).ms);
      incl.push((await time(() => inclusionProof(pool, seq, undefined, SYSTEM))).ms);
      cons.push((await time(() => consistencyProof(pool, seq, size))).ms);
    }
    row(
      'raw SQL: one event by seq, p50 / p99',
      `${pct(point, 0.5).toFixed(2)} / ${pct(point, 0.99).toFixed(2)} ms`,
    );
    row(
      'inclusion proof, p50 / p99',
      `${pct(incl, 0.5).toFixed(2)} / ${pct(incl, 0.99).toFixed(2)} ms`,
      '',
      `${(pct(incl, 0.5) / pct(point, 0.5)).toFixed(1)}× point query`,
    );
    row(
      'consistency proof, p50 / p99',
      `${pct(cons, 0.5).toFixed(2)} / ${pct(cons, 0.99).toFixed(2)} ms`,
      '',
      `${(pct(cons, 0.5) / pct(point, 0.5)).toFixed(1)}× point query`,
    );

    for (const workers of [0, 2]) {
      // The log pass only: the scratch database has no state tables (records, subjects, …).
      const ver = await time(() =>
        verifyLog(pool, { trusted: [signer], workers, workersFrom: 0, databaseUrl: db.url, state: false }),
      );
      if (!ver.value.ok)
        throw new Error(`verification failed: ${JSON.stringify(ver.value.problems.slice(0, 3))}`);
      row(
        `verify-log: everything recomputed, ${workers ? `${workers} worker threads` : 'one thread'}`,
        `${fmt(size / (ver.ms / 1000))}/s`,
        secs(ver.ms),
        `${(copyAll.ms / ver.ms).toFixed(2)}× binary COPY rate`,
      );
    }
    const sizes = await pool.query<{ events: string; tiles: string; checkpoints: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('events')) AS events,
              pg_size_pretty(pg_total_relation_size('merkle_tiles')) AS tiles,
              pg_size_pretty(pg_total_relation_size('checkpoints')) AS checkpoints`,
    );
    const s = sizes.rows[0];
    row('storage: events / merkle_tiles', `${s?.events} / ${s?.tiles}`);

    console.log('\n| measure | value | baseline / time | ratio |\n|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
