import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { locateSpool } from './ingest.batches';
import {
  batchOf,
  CF_TITLES,
  companyCode,
  companyName,
  csv,
  login,
  penalty,
  setupWorld,
  titled,
  upload,
  type World,
} from './ingest.test-support';

/*
 * The spool of acknowledged uploads (ingest.spool.ts) without a crash: a `?async=1` batch's upload
 * and manifest are in the spool when the 202 is answered, and gone once the batch has ended, done
 * or failed. (The crash case is in ingest.crash.test.ts.)
 */

let t: TestApp;
let w: World;
let officer: Record<string, string>;
let spool: string;

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  w = await setupWorld(t);
  officer = await login(t, 'scjg');
  spool = await locateSpool(t.db.pool, t.config.dataDir);
});
afterAll(async () => t?.close());

const filesOf = (id: number) => {
  try {
    return readdirSync(spool)
      .filter((n) => n.startsWith(`${id}.`))
      .sort();
  } catch {
    return [];
  }
};

async function settle(id: number): Promise<{ status: string }> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const b = (await batchOf(t, officer, id)) as { status: string };
    // The files go right after the batch ends: wait for both.
    if (b.status !== 'processing' && filesOf(id).length === 0) return b;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `batch ${id}: still processing, or its spool files are still there: ${filesOf(id).join(', ')}`,
  );
}

describe('an acknowledged async batch (202) that runs to its end', () => {
  it.each([
    ['done', (i: number) => penalty(w.scjg, 5000 + i, { CF_JDRQ: '2026-05-10' })],
    // Every row wrong (a validity end before the decision): the batch fails, NO_VALID_ROWS.
    ['failed', (i: number) => penalty(w.scjg, 9000 + i, { CF_JDRQ: '2026-05-10', CF_YXQ: '2026-05-01' })],
  ] as const)('leaves no spool files once it is %s', async (status, make) => {
    const rows = Array.from({ length: 1500 }, (_, i) => ({
      ...make(i),
      CF_XDR_MC: companyName(i % 20),
      CF_XDR_SHXYM: companyCode(i % 20),
    }));
    const cols = titled({ ...CF_TITLES, CF_YXQ: '处罚有效期' });
    const r = await upload(
      t,
      officer,
      { name: `${status}.csv`, data: csv(cols, rows) },
      { itemCode: 'XZCF' },
      '?async=1',
    );
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const id = r.body.batchId as number;
    // Acknowledged: durable in the spool before the answer.
    expect(filesOf(id)).toEqual([`${id}.json`, `${id}.upload`]);
    expect(await settle(id)).toMatchObject({ status });
    expect(readdirSync(spool).filter((n) => /^\d+\./.test(n) || n.endsWith('.part'))).toEqual([]);
  });
});
