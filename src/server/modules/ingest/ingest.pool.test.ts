import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { SYSTEM } from '../../platform/context';
import { createPool, type Pool } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { ingest, type IngestDeps } from './index';
import {
  CF_TITLES,
  companyCode,
  companyName,
  csv,
  licence,
  penalty,
  setupWorld,
  titled,
  type World,
} from './ingest.test-support';
import { batchLimit, KeyedTurns, Slots } from './ingest.slots';

/*
 * A running batch holds one connection until COMMIT. Batches waiting for their turn (same
 * department and item) or for a slot must hold none, and the running one must never wait for a
 * second connection: else running and waiting batches fill the pool and wait for each other for
 * ever, and every request of the server with them.
 */

let t: TestApp;
let w: World;
const now = new Date('2026-06-01T02:00:00Z');

beforeAll(async () => {
  t = await createTestApp(now);
  w = await setupWorld(t);
});
afterAll(async () => t?.close());

const CF = titled(CF_TITLES);
/** Penalties with new document numbers, naming twenty subjects (registering thousands is slow). */
const penalties = (from: number, n: number) =>
  csv(
    CF,
    Array.from({ length: n }, (_, i) =>
      penalty(w.scjg, from + i, { CF_XDR_MC: companyName(i % 20), CF_XDR_SHXYM: companyCode(i % 20) }),
    ),
  );
const licences = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify(
      licence(w.sthj, from + i, {
        XK_XDR_MC: companyName(i % 20),
        XK_XDR_SHXYM: companyCode(i % 20),
        XK_XKWS: '排污许可决定书',
        XK_WSH: `渝中环许〔2026〕${from + i}号`,
        XK_NR: '准予排污',
        XK_YXQZ: '2026-04-01',
        XK_YXQZI: '2099-12-31',
      }),
    ),
  ).join('\n');

function run(deps: IngestDeps, departmentId: number, itemCode: string, data: string | Readable) {
  return ingest(
    deps,
    { actor: SYSTEM, requestId: `pool-${itemCode}`, now },
    {
      departmentId,
      itemCode,
      channel: 'cli',
      input: typeof data === 'string' ? Readable.from([Buffer.from(data)]) : data,
      format: itemCode === 'XZXK' ? 'ndjson' : undefined,
    },
  );
}

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'TIMEOUT'> =>
  Promise.race([p, new Promise<'TIMEOUT'>((r) => setTimeout(() => r('TIMEOUT'), ms).unref())]);

const count = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.pool.query<{ n: string }>(sql, params)).rows[0]?.n);

describe('batches on a small pool', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(t.db.url, 2);
  });
  afterAll(async () => pool?.end());

  it('all finish with a pool of 2: a long and short batches of one item, another item, requests meanwhile', async () => {
    const deps: IngestDeps = { pool, crypto: t.app.platform.crypto };
    const batches = Promise.all([
      run(deps, w.scjg.id, 'XZCF', penalties(100_000, 4_000)),
      run(deps, w.scjg.id, 'XZCF', penalties(200_000, 100)),
      run(deps, w.scjg.id, 'XZCF', penalties(300_000, 50)),
      run(deps, w.sthj.id, 'XZXK', licences(400_000, 200)),
    ]);
    // Ordinary requests on the same pool are answered while the batches run.
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    expect((await within(pool.query<{ n: number }>('SELECT 1 AS n'), 10_000)) !== 'TIMEOUT').toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);

    const results = await within(batches, 90_000);
    expect(results, 'the batches waited for each other for ever').not.toBe('TIMEOUT');
    if (results === 'TIMEOUT') return;
    expect(results.map((r) => [r.batch.status, r.batch.counts.accepted])).toEqual([
      ['done', 4_000],
      ['done', 100],
      ['done', 50],
      ['done', 200],
    ]);
    expect(await count("SELECT count(*) AS n FROM ingest_batches WHERE status <> 'done'")).toBe(0);
    // Every connection is back.
    expect(pool.totalCount - pool.idleCount).toBe(0);
  }, 120_000);

  it('a batch whose input stalls fails after the idle limit, stores nothing and gives its connection back', async () => {
    const deps: IngestDeps = { pool, crypto: t.app.platform.crypto, idleTimeoutMs: 1_000 };
    const before = await count('SELECT count(*) AS n FROM records');
    const input = new PassThrough();
    // More than the bytes read to recognise the format, then nothing, the connection left open.
    input.write(`${licences(500_000, 300)}\n`);
    const outcome = await within(
      run(deps, w.sthj.id, 'XZXK', input).then(
        () => 'finished',
        (err: unknown) => err,
      ),
      30_000,
    );
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).code).toBe('BATCH_STALLED');
    expect((outcome as AppError).text.en).toContain('1 s');
    const batchId = (outcome as AppError).details.batchId;
    const b = await t.db.pool.query<{ status: string; error: { code: string } }>(
      'SELECT status, error FROM ingest_batches WHERE id = $1',
      [batchId],
    );
    expect(b.rows[0]).toMatchObject({ status: 'failed', error: { code: 'BATCH_STALLED' } });
    expect(await count('SELECT count(*) AS n FROM records')).toBe(before);
    expect(pool.totalCount - pool.idleCount).toBe(0);
    // And the next batch of the item runs.
    const next = await within(run(deps, w.sthj.id, 'XZXK', licences(600_000, 3)), 30_000);
    expect(next === 'TIMEOUT' ? next : next.batch.counts.accepted).toBe(3);
  }, 60_000);
});

describe('batch slots', () => {
  it('keep batches below the pool size: half of it by default, at least one', () => {
    expect([1, 2, 3, 4, 10].map((n) => batchLimit(n))).toEqual([1, 1, 1, 2, 5]);
    expect(batchLimit(4, 3)).toBe(3);
    expect(batchLimit(4, 8)).toBe(3);
    expect(batchLimit(1, 8)).toBe(1);
  });

  it('hand slots over in order, and turns per key one at a time', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    const a = await slots.acquire();
    const b = slots.acquire().then((r) => (order.push('b'), r));
    const c = slots.acquire().then((r) => (order.push('c'), r));
    expect(slots.waiting).toBe(2);
    a();
    a(); // a second call changes nothing
    (await b)();
    (await c)();
    expect(order).toEqual(['b', 'c']);
    expect(slots.waiting).toBe(0);
    await slots.acquire(); // free again

    const turns = new KeyedTurns();
    const x1 = await turns.acquire('x');
    const y1 = await turns.acquire('y'); // another key does not wait
    let x2Got = false;
    const x2 = turns.acquire('x').then((r) => ((x2Got = true), r));
    await new Promise((r) => setTimeout(r, 10));
    expect(x2Got).toBe(false);
    x1();
    (await x2)();
    y1();
    expect(turns.isBusy('x')).toBe(false);
    expect(turns.isBusy('y')).toBe(false);
  });
});
