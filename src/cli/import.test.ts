import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_KEYS, type TestApp } from '../../test/support/app';
import { SYSTEM } from '../server/platform/context';
import { withTransaction } from '../server/platform/db';
import { createUser } from '../server/modules/accounts';
import {
  CF_TITLES,
  companyCode,
  csv,
  login,
  penalty,
  setupWorld,
  titled,
  type World,
} from '../server/modules/ingest/ingest.test-support';
import { registerSubject } from '../server/modules/subjects';
import { importCommand, REJECTED_READ_ROUTE } from './import';

/**
 * `xinyong import … --rejected <out.csv>` writes the rejected rows (uploaded data as it came in,
 * identifiers included) to a file: a non-public read like their download over HTTP, logged as one
 * `data.read` event naming the registered subjects whose codes the rows hold, which the subject
 * sees among the reads of its data.
 */
let t: TestApp;
let w: World;
let subjectB = 0;
const B_USCC = companyCode(8302);
const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-import-'));
const io = { out: () => undefined, err: () => undefined };

interface ReadEvent {
  type: string;
  actor_kind: string;
  actor_id: string | null;
  subject_id: number | null;
  payload: Record<string, unknown>;
}
const head = async () =>
  Number((await t.db.pool.query('SELECT coalesce(max(seq), 0) AS s FROM events')).rows[0].s);
async function readsAfter(seq: number): Promise<ReadEvent[]> {
  const { rows } = await t.db.pool.query(
    `SELECT type, actor_kind, actor_id, subject_id, payload FROM events
      WHERE seq > $1 AND type = 'data.read' ORDER BY seq`,
    [seq],
  );
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload as string) })) as ReadEvent[];
}

function run(file: string, extra: string[] = []): Promise<number> {
  return importCommand([file, '--department', w.scjg.uscc, '--item', 'XZCF', ...extra], io, {
    ...process.env,
    ...TEST_KEYS,
    DATABASE_URL: t.db.url,
    XINYONG_DATA_DIR: path.join(dir, 'data'),
    XINYONG_LOG_LEVEL: 'silent',
    XINYONG_DB_POOL: '3',
  });
}

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  w = await setupWorld(t);
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: new Date('2026-01-01T00:00:00Z') };
    const b = await registerSubject(ctx, t.app.platform.crypto, {
      uscc: B_USCC,
      name: '重庆丙商贸有限公司',
      origin: 'registry',
    });
    subjectB = b.id;
    await createUser(ctx, {
      username: 'subject-b',
      displayName: '丙公司',
      password: 'subject-pass-1',
      roles: ['subject'],
      subjectId: b.id,
    });
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('xinyong import --rejected', () => {
  it('logs writing the rejected rows out as a read naming their registered subjects', async () => {
    const rows = (n: number) => [
      penalty(w.scjg, n, { CF_JDRQ: '2025-11-03' }), // accepted
      penalty(w.scjg, n + 1, { CF_XDR_SHXYM: B_USCC, CF_JDRQ: '2026-02-30' }), // B's row, no such day
    ];
    const file = path.join(dir, 'penalties.csv');
    writeFileSync(file, csv(titled(CF_TITLES), rows(8300)));

    // Without --rejected nothing is read out, and nothing is logged as read.
    let before = await head();
    expect(await run(file)).toBe(0);
    expect(await readsAfter(before)).toEqual([]);

    const other = path.join(dir, 'more.csv');
    writeFileSync(other, csv(titled(CF_TITLES), rows(8310)));
    const out = path.join(dir, 'rejected.csv');
    before = await head();
    expect(await run(other, ['--rejected', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(B_USCC);
    const batch = Number(
      (await t.db.pool.query("SELECT max(id) AS id FROM ingest_batches WHERE file_name = 'more.csv'")).rows[0]
        .id,
    );
    const [read, ...rest] = await readsAfter(before);
    expect(rest).toEqual([]);
    expect(read).toMatchObject({
      actor_kind: 'system',
      subject_id: subjectB,
      payload: {
        what: 'ingest_rejected_rows',
        route: REJECTED_READ_ROUTE,
        subjectIds: [subjectB],
        fields: ['upload_row'],
        purpose: null,
        detail: { batchId: batch, rows: 1, format: 'csv' },
      },
    });
    expect(read?.actor_id).toMatch(/^cli:/);

    // Subject B sees the read among the reads of its data.
    const me = await login(t, 'subject-b', 'subject-pass-1');
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads', headers: me });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items).toMatchObject([
      { type: 'data.read', who: { kind: 'system', name: read?.actor_id }, fields: ['upload_row'] },
    ]);
  }, 120_000);
});
