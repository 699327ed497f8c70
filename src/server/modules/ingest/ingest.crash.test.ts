import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_KEYS, type TestApp } from '../../../../test/support/app';
import { freePort, killChild, serveChild } from '../../../../test/support/serve';
import {
  CF_TITLES,
  companyCode,
  companyName,
  csv,
  form,
  penalty,
  setupWorld,
  titled,
  type World,
} from './ingest.test-support';

/*
 * Crash atomicity: `xinyong import` runs in a child process against the test database and is
 * killed with SIGKILL in the middle of a batch. Nothing of the batch may be stored; importing the
 * same file again finishes the job exactly once.
 */

let t: TestApp;
let w: World;
const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-crash-'));
const file = path.join(dir, 'penalties.csv');
const asyncFile = path.join(dir, 'async.csv');
const dataDir = path.join(dir, 'data');
const ROWS = 12_000;
const DOC = (n: number) => `渝中市监罚〔2025〕${n}号`;
const ASYNC_DOC = (n: number) => `渝中市监罚〔2024〕${n}号`;

beforeAll(async () => {
  t = await createTestApp(new Date());
  w = await setupWorld(t);
  // Many penalties for a few companies: the kill lands in the record phase, not in registering subjects.
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    ...penalty(w.scjg, i, { CF_WSH: DOC(i), CF_JDRQ: '2025-11-03' }),
    CF_XDR_MC: companyName(i % 40),
    CF_XDR_SHXYM: companyCode(i % 40),
  }));
  writeFileSync(file, csv(titled(CF_TITLES), rows));
  writeFileSync(
    asyncFile,
    csv(
      titled(CF_TITLES),
      rows.map((r, i) => ({ ...r, CF_WSH: ASYNC_DOC(i), CF_JDRQ: '2024-11-04' })),
    ),
  );
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/** Runs `xinyong import`; `killAfterRows` sends SIGKILL once the child reports that many rows. */
function importFile(killAfterRows?: number): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['bin/xinyong.js', 'import', file, '--department', w.scjg.uscc, '--item', 'XZCF'],
    {
      env: {
        ...process.env,
        ...TEST_KEYS,
        DATABASE_URL: t.db.url,
        XINYONG_LOG_LEVEL: 'silent',
        XINYONG_DB_POOL: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const onData = (d: Buffer) => {
    out += d.toString();
    const m = /processed (\d+) rows/.exec(out);
    if (killAfterRows !== undefined && m && Number(m[1]) >= killAfterRows && child.exitCode === null)
      child.kill('SIGKILL');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
}

const q = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.pool.query(sql, params)).rows[0].n);
const docs = () => q('SELECT count(*) AS n FROM records WHERE doc_no LIKE $1', ['渝中市监罚〔2025〕%']);

describe('a batch killed with SIGKILL', () => {
  it('leaves nothing of the batch; a second import stores every row exactly once', async () => {
    const events = await q('SELECT count(*) AS n FROM events');
    const subjects = await q('SELECT count(*) AS n FROM subjects');
    const killed = await importFile(1000);
    expect(killed.signal, killed.out).toBe('SIGKILL');

    expect(await docs()).toBe(0);
    expect(await q('SELECT count(*) AS n FROM record_versions')).toBe(0);
    expect(await q('SELECT count(*) AS n FROM subjects')).toBe(subjects);
    // Only the batch's start was logged (committed before the batch's own transaction began).
    expect(await q("SELECT count(*) AS n FROM events WHERE type <> 'ingest.batch_started'")).toBe(events);
    const left = await t.db.pool.query("SELECT id, status FROM ingest_batches WHERE channel = 'cli'");
    expect(left.rows).toEqual([{ id: expect.any(Number), status: 'processing' }]);
    expect(await q('SELECT count(*) AS n FROM ingest_batch_rows')).toBe(0);

    const again = await importFile();
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(new RegExp(`accepted ${ROWS.toLocaleString('en-US')}`));
    expect(await docs()).toBe(ROWS);
    expect(await q("SELECT count(*) AS n FROM events WHERE type = 'record.created'")).toBe(ROWS);
    const batches = await t.db.pool.query(
      "SELECT id, status, error->>'code' AS code FROM ingest_batches WHERE channel = 'cli' ORDER BY id",
    );
    expect(batches.rows.map((r) => [r.status, r.code])).toEqual([
      ['failed', 'BATCH_ABANDONED'],
      ['done', null],
    ]);

    // The same file a third time: recognised, nothing imported again.
    const third = await importFile();
    expect(third.code, third.out).toBe(0);
    expect(third.out).toContain('already processed');
    expect(await docs()).toBe(ROWS);
  }, 240_000);
});

/** `xinyong serve` on the test database and this file's data directory. */
const serve = (port: number) => serveChild({ databaseUrl: t.db.url, dataDir, port });
const kill = killChild;

describe('an acknowledged async batch (202) whose server is killed with SIGKILL', () => {
  it('is finished from the spool at the next start, exactly once, and its spool files removed', async () => {
    const port = await freePort();
    const asyncDocs = () =>
      q('SELECT count(*) AS n FROM records WHERE doc_no LIKE $1', ['渝中市监罚〔2024〕%']);
    let server = await serve(port);
    let batchId: number;
    try {
      const f = form({ itemCode: 'XZCF' }, { name: 'async.csv', data: readFileSync(asyncFile) });
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/ingest/batches?async=1`, {
        method: 'POST',
        headers: { ...f.headers, authorization: `Bearer ${w.apiKey}` },
        body: new Uint8Array(f.payload),
      });
      const body = (await res.json()) as { batchId: number; status: string };
      expect(res.status, JSON.stringify(body)).toBe(202);
      expect(body.status).toBe('processing');
      batchId = body.batchId;
    } finally {
      await kill(server, 'SIGKILL');
    }

    // Killed in the middle: nothing of the batch is stored, the batch is still 'processing', and
    // the upload and its manifest wait in the spool.
    expect(await asyncDocs()).toBe(0);
    const spool = path.join(dataDir, 'ingest-spool', t.db.url.split('/').pop()?.split('?')[0] ?? '');
    expect(readdirSync(spool).sort()).toEqual([`${batchId}.json`, `${batchId}.upload`]);
    const status = async () =>
      (await t.db.pool.query('SELECT status FROM ingest_batches WHERE id = $1', [batchId])).rows[0]?.status;
    expect(await status()).toBe('processing');

    server = await serve(port);
    try {
      const deadline = Date.now() + 180_000;
      while ((await status()) === 'processing' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(await status()).toBe('done');
      // Every row once: records, created events, and one batch (the acknowledged one) for the file.
      expect(await asyncDocs()).toBe(ROWS);
      expect(
        await q(
          "SELECT count(*) AS n FROM events WHERE type = 'record.created' AND payload::jsonb->>'docNo' LIKE $1",
          ['渝中市监罚〔2024〕%'],
        ),
      ).toBe(ROWS);
      const batch = await t.db.pool.query(
        `SELECT b.id, b.created, (SELECT count(*)::int FROM ingest_batch_rows r WHERE r.batch_id = b.id) AS rows
           FROM ingest_batches b WHERE b.file_name = 'async.csv'`,
      );
      expect(batch.rows).toEqual([{ id: batchId, created: ROWS, rows: ROWS }]);
      expect(
        await q("SELECT count(*) AS n FROM events WHERE type = 'ingest.batch_resumed' AND entity_id = $1", [
          String(batchId),
        ]),
      ).toBe(1);
      // The spool is emptied once the batch is done.
      const deadline2 = Date.now() + 10_000;
      while (readdirSync(spool).length && Date.now() < deadline2)
        await new Promise((r) => setTimeout(r, 100));
      expect(readdirSync(spool)).toEqual([]);
    } finally {
      await kill(server, 'SIGTERM');
    }
  }, 300_000);
});
