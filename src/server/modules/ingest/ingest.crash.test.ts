import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_KEYS, type TestApp } from '../../../../test/support/app';
import {
  CF_TITLES,
  companyCode,
  companyName,
  csv,
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
const ROWS = 12_000;
const DOC = (n: number) => `渝中市监罚〔2025〕${n}号`;

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
