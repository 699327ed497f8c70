import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { createTestApp, testConfig, type TestApp } from '../../../../test/support/app';
import { freePort, killChild, serveChild } from '../../../../test/support/serve';
import { SYSTEM } from '../../platform/context';
import { createPool } from '../../platform/db';
import { getItemVersion } from '../catalog';
import { ingest, locateSpool } from './index';
import { ingestRepo } from './ingest.repository';
import { acknowledge, ensureSpoolDir, MAX_ATTEMPTS, partPath, type Manifest } from './ingest.spool';
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
 * Several servers share one database and one spool directory (XINYONG_DATA_DIR on shared storage).
 * A server that dies and never comes back leaves its acknowledged (202) batches `processing`; the
 * other servers, already running, find them in their sweep of the spool and finish them, each once.
 * A batch that a live server is waiting to run (behind another batch of its department and item)
 * is not taken by another server's sweep.
 */

let t: TestApp;
let w: World;
let spool: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-sweep-'));
const dataDir = path.join(dir, 'data');
/** Large enough that the killed server is still in the middle of the batch (as ingest.crash.test.ts). */
const ROWS = 12_000;
const SWEEP = { XINYONG_DATA_DIR: dataDir, XINYONG_INGEST_SWEEP_MS: '200' };

beforeAll(async () => {
  // This instance sweeps the spool every 200 ms.
  t = await createTestApp(new Date(), SWEEP);
  w = await setupWorld(t);
  spool = await ensureSpoolDir(await locateSpool(t.db.pool, dataDir));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (year: number, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ...penalty(w.scjg, from + i, { CF_WSH: `渝中市监罚〔${year}〕${from + i}号`, CF_JDRQ: `${year}-11-03` }),
    CF_XDR_MC: companyName(i % 40),
    CF_XDR_SHXYM: companyCode(i % 40),
  }));
const penalties = (year: number, from: number, n: number) => csv(titled(CF_TITLES), rows(year, from, n));

const q = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.pool.query(sql, params)).rows[0].n);
const docsOf = (year: number) =>
  q('SELECT count(*) AS n FROM records WHERE doc_no LIKE $1', [`渝中市监罚〔${year}〕%`]);
const createdOf = (year: number) =>
  q("SELECT count(*) AS n FROM events WHERE type = 'record.created' AND payload::jsonb->>'docNo' LIKE $1", [
    `渝中市监罚〔${year}〕%`,
  ]);
const resumedOf = (id: number) =>
  q("SELECT count(*) AS n FROM events WHERE type = 'ingest.batch_resumed' AND entity_id = $1", [String(id)]);
const batchOf = async (id: number) =>
  (
    await t.db.pool.query<{ status: string; code: string | null }>(
      "SELECT status, error->>'code' AS code FROM ingest_batches WHERE id = $1",
      [id],
    )
  ).rows[0];
const filesOf = (id: number) =>
  readdirSync(spool)
    .filter((n) => n.startsWith(`${id}.`))
    .sort();
const attemptsOf = (id: number): number | null => {
  try {
    return (JSON.parse(readFileSync(path.join(spool, `${id}.json`), 'utf8')) as Manifest).attempts;
  } catch {
    return null;
  }
};

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 120_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Another server process on the same database and spool, sweeping every 200 ms. */
async function instance(): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  // Its own pool: batch turns and slots are per pool, as they are per process.
  const pool = createPool(t.db.url, 4);
  const app = await buildApp({ config: testConfig(SWEEP), pool });
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}

/**
 * A batch acknowledged by a server that died before it ran it, as that server leaves it: the batch
 * row committed `processing` by a session that has ended (so its lock is gone), and its upload and
 * manifest in the spool.
 */
async function deadBatch(data: string, attempts = 0): Promise<number> {
  const now = new Date();
  const item = await getItemVersion({ db: t.db.pool, actor: SYSTEM, requestId: 'dead', now }, 'XZCF');
  const client = new pg.Client({ connectionString: t.db.url });
  await client.connect();
  let id: number;
  try {
    await client.query('BEGIN');
    const b = await ingestRepo.insertBatch(client, {
      departmentId: w.scjg.id,
      itemCode: 'XZCF',
      itemVersion: item.version,
      channel: 'upload',
      actorKind: 'system',
      actorId: null,
      requestId: 'dead',
      fileName: 'dead.csv',
      sizeBytes: Buffer.byteLength(data),
      sha256: createHash('sha256').update(data).digest(),
      format: 'csv',
      encoding: 'utf-8',
      layout: 'current',
      headers: null,
      ignoredHeaders: [],
      startedAt: now,
    });
    await client.query('COMMIT');
    id = b.id;
  } finally {
    await client.end();
  }
  const part = partPath(spool);
  writeFileSync(part, data);
  await acknowledge(spool, part, {
    batchId: id,
    departmentId: w.scjg.id,
    itemCode: 'XZCF',
    encoding: null,
    layout: null,
    fileName: 'dead.csv',
    actor: SYSTEM,
    requestId: 'dead',
    acceptedAt: now.toISOString(),
    attempts,
  });
  return id;
}

/** `xinyong serve` on the test database and this file's data directory. */
const serve = (port: number) => serveChild({ databaseUrl: t.db.url, dataDir, port });
const kill = killChild;

describe('the spool swept by the servers sharing it', () => {
  it('finishes, in an already running server, an acknowledged batch of a server killed with SIGKILL, once', async () => {
    // Two servers already running and sweeping (this one and another), and a third that dies.
    const other = await instance();
    try {
      const port = await freePort();
      const server = await serve(port);
      let batchId: number;
      try {
        const f = form({ itemCode: 'XZCF' }, { name: 'dead-server.csv', data: penalties(2024, 0, ROWS) });
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/ingest/batches?async=1`, {
          method: 'POST',
          headers: { ...f.headers, authorization: `Bearer ${w.apiKey}` },
          body: new Uint8Array(f.payload),
        });
        const body = (await res.json()) as { batchId: number; status: string };
        expect(res.status, JSON.stringify(body)).toBe(202);
        batchId = body.batchId;
      } finally {
        await kill(server, 'SIGKILL');
      }
      // Killed in the middle: nothing of it stored yet, acknowledged in the spool.
      expect(await docsOf(2024)).toBe(0);
      expect(await batchOf(batchId)).toMatchObject({ status: 'processing' });

      // Neither running server restarts: their sweeps find it and one of them finishes it.
      await until('the batch to be finished', async () => (await batchOf(batchId))?.status !== 'processing');
      expect(await batchOf(batchId)).toEqual({ status: 'done', code: null });
      expect(await docsOf(2024)).toBe(ROWS);
      expect(await createdOf(2024)).toBe(ROWS);
      const batch = await t.db.pool.query(
        `SELECT b.id, b.created, (SELECT count(*)::int FROM ingest_batch_rows r WHERE r.batch_id = b.id) AS rows
           FROM ingest_batches b WHERE b.file_name = 'dead-server.csv'`,
      );
      expect(batch.rows).toEqual([{ id: batchId, created: ROWS, rows: ROWS }]);
      expect(await resumedOf(batchId)).toBe(1);
      await until('its spool files to be removed', () => filesOf(batchId).length === 0, 10_000);
    } finally {
      await other.close();
    }
  }, 300_000);

  it("leaves a batch that a live server waits to run to that server: another server's sweep does not take it", async () => {
    const deps = { pool: t.db.pool, crypto: t.app.platform.crypto };
    // A batch of the same department and item running here, its input still arriving: it holds the
    // pair's turn in this server. (More than the bytes read to recognise the format come first.)
    const input = new PassThrough();
    input.write(
      `${rows(2023, 0, 300)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
    );
    const running = await ingest(
      deps,
      { actor: SYSTEM, requestId: 'sweep-running', now: new Date() },
      {
        departmentId: w.scjg.id,
        itemCode: 'XZCF',
        channel: 'stream',
        input,
        format: 'ndjson',
        background: true,
      },
    );
    expect(running.running).toBeDefined();

    // A dead server's batch of that pair: this server's sweep takes it (its one attempt is counted)
    // and it waits here for its turn.
    const id = await deadBatch(penalties(2022, 0, 300));
    await until('this server to take the batch', () => attemptsOf(id) === 1, 30_000);
    await sleep(300);

    // Another server starts (its start reads the spool) and sweeps every 200 ms meanwhile.
    const other = await instance();
    try {
      await sleep(1_500);
      expect(await batchOf(id)).toMatchObject({ status: 'processing' });
      // Not taken over by anyone (no resumed event), not counted again.
      expect(await resumedOf(id)).toBe(0);
      expect(attemptsOf(id)).toBe(1);
      expect(await docsOf(2022)).toBe(0);

      // The running batch ends; the waiting one runs, here, once.
      input.end(
        `${rows(2023, 300, 100)
          .map((r) => JSON.stringify(r))
          .join('\n')}\n`,
      );
      expect(await running.running).toMatchObject({ status: 'done', counts: { accepted: 400 } });
      await until(
        'the waiting batch to be finished',
        async () => (await batchOf(id))?.status !== 'processing',
      );
      expect(await batchOf(id)).toEqual({ status: 'done', code: null });
      expect(await docsOf(2022)).toBe(300);
      expect(await createdOf(2022)).toBe(300);
      expect(await resumedOf(id)).toBe(1);
      await until('its spool files to be removed', () => filesOf(id).length === 0, 10_000);
    } finally {
      // On a failure above, the running batch still ends, so that nothing waits for it for ever.
      if (!input.writableEnded) input.end();
      await other.close();
    }
  }, 120_000);

  it('gives up a dead batch that was already started MAX_ATTEMPTS times', async () => {
    const id = await deadBatch(penalties(2021, 0, 20), MAX_ATTEMPTS);
    await until('the batch to be settled', async () => (await batchOf(id))?.status !== 'processing', 30_000);
    expect(await batchOf(id)).toEqual({ status: 'failed', code: 'BATCH_ABANDONED' });
    expect(await docsOf(2021)).toBe(0);
    expect(await resumedOf(id)).toBe(0);
    await until('its spool files to be removed', () => filesOf(id).length === 0, 10_000);
  }, 60_000);
});
