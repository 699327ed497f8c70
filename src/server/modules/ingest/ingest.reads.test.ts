import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { makeCitizenId } from '../../../domain/identifiers';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createUser } from '../accounts';
import { registerSubject } from '../subjects';
import {
  CF_TITLES,
  companyCode,
  csv,
  login,
  penalty,
  setupWorld,
  titled,
  upload,
  type World,
} from './ingest.test-support';

/**
 * Reads of a batch's rows (`ingest_rows`) and of its rejected rows (`ingest_rejected_rows`) name the
 * subjects whose data they return, as far as the platform knows them: the subjects of the rows'
 * records, and the registered subjects the rows' USCC or ID number cells name (rejected rows
 * included). A code nobody registered names nobody, and is not registered by being read.
 */
let t: TestApp;
let w: World;
let officer: Record<string, string>;
let subjectB = 0;
let personC = 0;

const B_USCC = companyCode(8202);
const C_ID = makeCitizenId('500103', '19900101', '456');
const UNREGISTERED = companyCode(8203);

interface ReadEvent {
  actor_kind: string;
  subject_id: number | null;
  payload: { what: string; subjectIds: number[]; recordIds: number[]; fields: string[] };
}

const head = async () =>
  Number((await t.db.pool.query('SELECT coalesce(max(seq), 0) AS s FROM events')).rows[0].s);
async function readsAfter(seq: number): Promise<ReadEvent[]> {
  const { rows } = await t.db.pool.query(
    `SELECT actor_kind, subject_id, payload FROM events WHERE seq > $1 AND type = 'data.read' ORDER BY seq`,
    [seq],
  );
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload as string) })) as ReadEvent[];
}
const subjectOf = async (uscc: string) =>
  (await t.db.pool.query<{ id: number }>('SELECT id FROM subjects WHERE uscc = $1', [uscc])).rows[0]?.id;
const sorted = (ids: (number | undefined)[]) => [...ids].sort((a, b) => (a ?? 0) - (b ?? 0));

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  w = await setupWorld(t);
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: new Date('2026-01-01T00:00:00Z') };
    const crypto = t.app.platform.crypto;
    const b = await registerSubject(ctx, crypto, {
      uscc: B_USCC,
      name: '重庆乙商贸有限公司',
      origin: 'registry',
    });
    const c = await registerSubject(ctx, crypto, { citizenId: C_ID, name: '李四', origin: 'registry' });
    subjectB = b.id;
    personC = c.id;
    await createUser(ctx, {
      username: 'subject-b',
      displayName: '乙公司',
      password: 'subject-pass-1',
      roles: ['subject'],
      subjectId: b.id,
    });
  });
  officer = await login(t, 'scjg');
});
afterAll(async () => t?.close());

describe('reads of upload rows name the subjects whose data they return', () => {
  it('names records’ subjects and registered codes of rejected rows, never an unregistered code', async () => {
    const columns = [
      ...titled(CF_TITLES),
      ['CF_XDR_ZJLX', 'CF_XDR_ZJLX'],
      ['CF_XDR_ZJHM', 'CF_XDR_ZJHM'],
    ] as [string, string][];
    const rows = [
      penalty(w.scjg, 8201), // accepted: subject A, registered by the batch
      penalty(w.scjg, 8202, { CF_XDR_SHXYM: ` ${B_USCC.toLowerCase()} `, CF_JDRQ: '2026-02-30' }), // B, no such day
      penalty(w.scjg, 8203, { CF_NR_FK: '2000元' }), // unregistered valid code, amount in 元
      penalty(w.scjg, 8204, {
        CF_XDR_MC: '李四',
        CF_XDR_LB: '自然人',
        CF_XDR_SHXYM: '',
        CF_FRDB: '',
        CF_XDR_ZJLX: '身份证',
        CF_XDR_ZJHM: C_ID,
        CF_JDRQ: '2026-12-01', // in the future
      }),
    ];
    const up = await upload(t, officer, { name: '处罚.csv', data: csv(columns, rows) }, { itemCode: 'XZCF' });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.counts).toMatchObject({ accepted: 1, rejected: 3 });
    const id = up.body.batchId as number;
    const subjectA = await subjectOf(companyCode(8201));
    expect(subjectA).toBeGreaterThan(0);

    const before = await head();
    const page = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${id}/rows`,
      headers: officer,
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().items).toHaveLength(4);
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${id}/rejected.csv`,
      headers: officer,
    });
    expect(download.statusCode).toBe(200);
    expect(download.body).toContain(UNREGISTERED);

    const [rowsRead, downloadRead, ...rest] = await readsAfter(before);
    expect(rest).toEqual([]);
    expect(rowsRead).toMatchObject({
      subject_id: null,
      payload: { what: 'ingest_rows', fields: ['upload_row'] },
    });
    expect(rowsRead?.payload.subjectIds).toEqual(sorted([subjectA, subjectB, personC]));
    expect(downloadRead).toMatchObject({ subject_id: null, payload: { what: 'ingest_rejected_rows' } });
    expect(downloadRead?.payload.subjectIds).toEqual(sorted([subjectB, personC]));
    // Reading a code names nobody and registers nobody.
    expect(await subjectOf(UNREGISTERED)).toBeUndefined();

    // Subject B sees both reads of its row among the reads of its data.
    const me = await login(t, 'subject-b', 'subject-pass-1');
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads', headers: me });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items).toMatchObject([
      { type: 'data.read', who: { kind: 'user', name: 'A' }, fields: ['upload_row'] }, // the download
      { type: 'data.read', who: { kind: 'user', name: 'A' }, fields: ['upload_row'] }, // the rows page
    ]);
    expect(mine.json().items).toHaveLength(2);
  });

  it('names the one subject of a JSON batch’s rejected rows in `subject_id`, keys mapped as on upload', async () => {
    const key = { authorization: `Bearer ${w.apiKey}` };
    const byName = Object.fromEntries(
      Object.entries(penalty(w.scjg, 8211, { CF_XDR_SHXYM: B_USCC })).map(([k, v]) => [CF_TITLES[k] ?? k, v]),
    );
    const lines = [
      JSON.stringify(penalty(w.scjg, 8212)),
      JSON.stringify({ payload: { ...byName, 宗教信仰: '无' }, severity: 'GENERAL' }), // B, an unknown field
      JSON.stringify({ ...penalty(w.scjg, 8213), 宗教信仰: '无' }), // an unregistered code
      '{"not json',
    ];
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { ...key, 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().counts).toMatchObject({ accepted: 1, rejected: 3 });
    const id = up.json().batchId as number;

    const before = await head();
    for (const format of ['csv', 'xlsx'])
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/ingest/batches/${id}/rejected.${format}`,
            headers: key,
          })
        ).statusCode,
      ).toBe(200);
    const reads = await readsAfter(before);
    expect(reads).toHaveLength(2);
    for (const r of reads)
      expect(r).toMatchObject({
        actor_kind: 'apikey',
        subject_id: subjectB,
        payload: { what: 'ingest_rejected_rows', subjectIds: [subjectB] },
      });
    expect(await subjectOf(companyCode(8213))).toBeUndefined();
  });
});
