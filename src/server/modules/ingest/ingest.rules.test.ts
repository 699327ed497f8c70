import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey } from '../accounts';
import { updateSubject } from '../subjects';
import {
  CF_TITLES,
  companyCode,
  csv,
  form,
  login,
  penalty,
  setupWorld,
  titled,
  upload,
  type World,
} from './ingest.test-support';

let t: TestApp;
let w: World;
let officer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  w = await setupWorld(t);
  officer = await login(t, 'scjg');
});
afterAll(async () => t?.close());

const CF = titled(CF_TITLES);
const count = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.pool.query<{ n: string }>(sql, params)).rows[0]?.n);
const rejections = async (batchId: unknown) =>
  (
    await t.db.pool.query<{ errors: { code: string }[] }>(
      "SELECT errors FROM ingest_batch_rows WHERE batch_id = $1 AND outcome = 'rejected' ORDER BY row_no",
      [batchId],
    )
  ).rows.map((r) => r.errors.map((e) => e.code).join(','));

describe('subject names as the registry stores them', () => {
  const uscc = companyCode(777);
  const fullWidth = '重庆测试商贸有限公司（渝中分公司）';

  it('takes a name with full-width brackets, the first time (registering it) and after', async () => {
    const first = await upload(
      t,
      officer,
      { name: 'a.csv', data: csv(CF, [penalty(w.scjg, 1, { CF_XDR_MC: fullWidth, CF_XDR_SHXYM: uscc })]) },
      { itemCode: 'XZCF' },
    );
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.counts, JSON.stringify(await rejections(first.body.batchId))).toMatchObject({
      accepted: 1,
      rejected: 0,
    });
    const s = await t.db.pool.query('SELECT name FROM subjects WHERE uscc = $1', [uscc]);
    expect(s.rows[0].name).toBe('重庆测试商贸有限公司(渝中分公司)');

    // Again, and with the spaces people type: the same subject.
    const again = await upload(
      t,
      officer,
      {
        name: 'b.csv',
        data: csv(CF, [
          penalty(w.scjg, 2, { CF_XDR_MC: fullWidth, CF_XDR_SHXYM: uscc }),
          penalty(w.scjg, 3, { CF_XDR_MC: '重庆测试商贸有限公司 （渝中分公司） ', CF_XDR_SHXYM: uscc }),
          penalty(w.scjg, 4, { CF_XDR_MC: '重庆测试商贸有限公司(江北分公司)', CF_XDR_SHXYM: uscc }),
        ]),
      },
      { itemCode: 'XZCF' },
    );
    expect(again.body.counts).toMatchObject({ accepted: 2, rejected: 1 });
    expect(await rejections(again.body.batchId)).toEqual(['NAME_MISMATCH']);
  });

  it('takes a former name of a renamed subject', async () => {
    const s = await t.db.pool.query<{ id: number }>('SELECT id FROM subjects WHERE uscc = $1', [uscc]);
    await withTransaction(t.db.pool, (tx) =>
      updateSubject({ db: tx, actor: SYSTEM, requestId: 'rename', now: t.clock.now }, s.rows[0]!.id, {
        name: '重庆新名商贸有限公司',
        reason: '更名',
      }),
    );
    const r = await upload(
      t,
      officer,
      {
        name: 'c.csv',
        data: csv(CF, [
          penalty(w.scjg, 5, { CF_XDR_MC: fullWidth, CF_XDR_SHXYM: uscc }), // the name it had
          penalty(w.scjg, 6, { CF_XDR_MC: '重庆新名商贸有限公司', CF_XDR_SHXYM: uscc }),
          penalty(w.scjg, 7, { CF_XDR_MC: '重庆别的商贸有限公司', CF_XDR_SHXYM: uscc }),
        ]),
      },
      { itemCode: 'XZCF' },
    );
    expect(r.body.counts).toMatchObject({ accepted: 2, rejected: 1 });
    expect(await rejections(r.body.batchId)).toEqual(['NAME_MISMATCH']);
  });
});

describe('sending a file again', () => {
  it('processes an older file again once a later batch changed its records; the last one is a duplicate', async () => {
    const doc = '渝中市监罚〔2026〕10号';
    const A = csv(CF, [penalty(w.scjg, 10)]);
    const B = csv(CF, [penalty(w.scjg, 10, { CF_NR: '罚款9000元', CF_NR_FK: '0.9' })]);
    const content = async () =>
      (
        await t.db.pool.query<{ version: number; nr: string }>(
          "SELECT version, payload->>'CF_NR' AS nr FROM records WHERE doc_no = $1",
          [doc],
        )
      ).rows[0];

    const a1 = await upload(t, officer, { name: 'A.csv', data: A }, { itemCode: 'XZCF' });
    expect(a1.body.counts).toMatchObject({ accepted: 1 });
    const b1 = await upload(t, officer, { name: 'B.csv', data: B }, { itemCode: 'XZCF' });
    expect(b1.body.counts).toMatchObject({ updated: 1 });
    expect(await content()).toEqual({ version: 2, nr: '罚款9000元' });

    const a2 = await upload(t, officer, { name: 'A.csv', data: A }, { itemCode: 'XZCF' });
    expect(a2.status, JSON.stringify(a2.body)).toBe(200);
    expect(a2.body.duplicateOf).toBeNull();
    expect(a2.body.batchId).not.toBe(a1.body.batchId);
    expect(a2.body.counts).toMatchObject({ accepted: 0, updated: 1 });
    expect(await content()).toEqual({ version: 3, nr: '罚款2000元' });

    // Nothing was processed since: the same file again is answered with that batch.
    const a3 = await upload(t, officer, { name: 'A.csv', data: A }, { itemCode: 'XZCF' });
    expect(a3.body.duplicateOf).toBe(a2.body.batchId);
    expect(await content()).toEqual({ version: 3, nr: '罚款2000元' });
  });
});

describe('headers of a file without itemCode', () => {
  it('names the unknown headers of the item the others identify', async () => {
    const before = await count('SELECT count(*) AS n FROM ingest_batches');
    const r = await upload(t, officer, {
      name: 'u.csv',
      data: csv([...CF, ['宗教信仰', 'X']], [penalty(w.scjg, 20)]),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error?.code).toBe('UNKNOWN_HEADERS');
    expect(r.body.error?.details.headers).toEqual(['宗教信仰']);
    expect(r.body.error?.messages['zh-CN']).toContain('XZCF');
    expect(r.body.error?.messages['zh-CN']).toContain('宗教信仰');
    expect(r.body.error?.messages.en).toContain('宗教信仰');
    expect(await count('SELECT count(*) AS n FROM ingest_batches')).toBe(before);
  });

  it('still asks for the item when the headers identify none', async () => {
    const r = await upload(t, officer, {
      name: 'x.csv',
      data: 'A列,B列,宗教信仰,行政处罚决定书文号\r\n1,2,3,4\r\n',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error?.code).toBe('ITEM_REQUIRED');
  });
});

describe('API-key scopes', () => {
  it('refuses uploads and streams by a key without records:write, storing nothing', async () => {
    const key = await withTransaction(t.db.pool, (tx) =>
      createApiKey(
        { db: tx, actor: SYSTEM, requestId: 'key', now: t.clock.now },
        { departmentId: w.scjg.id, name: 'read only', scopes: [] },
      ),
    );
    const auth = { authorization: `Bearer ${key.key}` };
    const batches = await count('SELECT count(*) AS n FROM ingest_batches');
    const records = await count('SELECT count(*) AS n FROM records');

    const f = form({ itemCode: 'XZCF' }, { name: 'k.csv', data: csv(CF, [penalty(w.scjg, 30)]) });
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches',
      headers: { ...auth, ...f.headers },
      payload: f.payload,
    });
    expect(up.statusCode, up.body).toBe(403);
    expect(up.json().error.code).toBe('API_KEY_SCOPE_MISSING');

    const nd = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify(penalty(w.scjg, 31)),
    });
    expect(nd.statusCode, nd.body).toBe(403);
    expect(nd.json().error.code).toBe('API_KEY_SCOPE_MISSING');

    expect(await count('SELECT count(*) AS n FROM ingest_batches')).toBe(batches);
    expect(await count('SELECT count(*) AS n FROM records')).toBe(records);

    // A key with the scope is taken.
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { authorization: `Bearer ${w.apiKey}`, 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify(penalty(w.scjg, 32)),
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
