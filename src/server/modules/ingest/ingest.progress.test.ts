import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/support/db';
import { createOffice } from '../../../../test/support/fixtures';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { ingestRepo } from './ingest.repository';

/**
 * Progress of a processing batch is written beside the batch row, never to it: the batch's long
 * transaction checks a foreign key to the batch row for every outcome row, and each update of that
 * row would leave a version the transaction keeps from being pruned (see migration 0023).
 */
let db: TestDb;
let departmentId: number;
const now = new Date('2026-06-01T02:00:00Z');

beforeAll(async () => {
  db = await createTestDb();
  departmentId = (
    await withTransaction(db.pool, (tx) =>
      createOffice({ db: tx, actor: SYSTEM, requestId: 't', now }, { staff: [] }),
    )
  ).dept.id;
});
afterAll(() => db.drop());

const newBatch = () =>
  ingestRepo.insertBatch(db.pool, {
    departmentId,
    itemCode: 'XZCF',
    itemVersion: 1,
    channel: 'cli',
    actorKind: 'system',
    actorId: null,
    requestId: 'r',
    fileName: 'a.csv',
    sizeBytes: 10,
    sha256: null,
    format: 'csv',
    encoding: 'utf-8',
    layout: null,
    headers: null,
    ignoredHeaders: [],
    startedAt: now,
  });
const version = async (id: number) =>
  (await db.pool.query<{ v: string }>('SELECT xmin::text AS v FROM ingest_batches WHERE id = $1', [id]))
    .rows[0]?.v;

describe('batch progress', () => {
  it('is read while processing without touching the batch row, and ends with the batch', async () => {
    const b = await newBatch();
    const before = await version(b.id);
    for (const rows of [1000, 2000, 3000]) await ingestRepo.progress(db.pool, b.id, rows, new Date());
    expect(await version(b.id)).toBe(before);
    expect((await ingestRepo.byId(db.pool, b.id))?.rows_read).toBe(3000);
    const listed = await ingestRepo.list(db.pool, {
      departmentId,
      itemCode: 'XZCF',
      status: 'processing',
      limit: 10,
      offset: 0,
    });
    expect(listed.rows.find((r) => r.id === b.id)?.rows_read).toBe(3000);

    const counts = {
      rows: 3500,
      created: 3500,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      skipped: 0,
      subjectsRegistered: 0,
    };
    await ingestRepo.finish(db.pool, b.id, { status: 'done', counts, error: null, at: now, durationMs: 5 });
    await ingestRepo.progress(db.pool, b.id, 4000, new Date()); // a late write is ignored
    expect((await ingestRepo.byId(db.pool, b.id))?.rows_read).toBe(3500);
  });

  it('a batch marked failed keeps the rows it had read', async () => {
    const b = await newBatch();
    await ingestRepo.progress(db.pool, b.id, 1234, new Date());
    await ingestRepo.markFailed(db.pool, b.id, { code: 'X' }, now);
    expect((await ingestRepo.byId(db.pool, b.id))?.rows_read).toBe(1234);
  });
});
