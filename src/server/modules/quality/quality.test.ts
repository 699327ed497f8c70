import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createCalendar } from '../../../domain/calendar';
import { SYSTEM } from '../../platform/context';
import { withTransaction, type Queryable } from '../../platform/db';
import { registerSubject } from '../subjects';
import { computeScorecard } from './quality.service';
import {
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
} from '../ingest/ingest.test-support';

/*
 * The scorecard on a small hand-built data set. 市场监管局 submits penalties in October 2026,
 * around the National Day holiday (10-01 … 10-07, with 10-10 a make-up working day): a decision of
 * 2026-09-29 is due on 2026-10-14 by the calendar (a plain weekday count would say 10-08).
 */

let t: TestApp;
let w: World;
const CF = titled({ ...CF_TITLES, CF_YXQ: '处罚有效期', CF_GSJZQ: '公示截止期' });
const at = (iso: string) => new Date(iso);

async function as(username: string, password?: string) {
  return login(t, username, password);
}

beforeAll(async () => {
  t = await createTestApp(at('2026-09-01T02:00:00Z'));
  w = await setupWorld(t);
  // Company 3 is in the registry under another name: submitting it under this one is a mismatch.
  await withTransaction(t.db.pool, (tx) =>
    registerSubject(
      { db: tx, actor: SYSTEM, requestId: 'setup', now: at('2026-09-01T02:00:00Z') },
      t.app.platform.crypto,
      {
        uscc: companyCode(3),
        name: '重庆别的名字有限公司',
        origin: 'registry',
      },
    ),
  );

  // 2026-10-13 10:00 (China): r1 on time, r2 late, r3 name mismatch, r4 a bad date.
  t.clock.now = at('2026-10-13T02:00:00Z');
  let h = await as('scjg');
  const first = await upload(
    t,
    h,
    {
      name: 'oct-13.csv',
      data: csv(CF, [
        penalty(w.scjg, 1, { CF_JDRQ: '2026-09-29', CF_YXQ: '2026-10-29', CF_GSJZQ: '2027-09-29' }),
        penalty(w.scjg, 2, { CF_JDRQ: '2026-09-20', CF_YXQ: '2026-10-20' }),
        penalty(w.scjg, 3, { CF_JDRQ: '2026-09-29' }),
        penalty(w.scjg, 4, { CF_JDRQ: '2026-09-31' }),
      ]),
    },
    { itemCode: 'XZCF' },
  );
  expect(first.body.counts).toMatchObject({ accepted: 2, rejected: 2 });

  // 2026-10-15: r5 one day late, r1 again unchanged, r2 corrected.
  t.clock.now = at('2026-10-15T02:00:00Z');
  h = await as('scjg');
  const second = await upload(
    t,
    h,
    {
      name: 'oct-15.csv',
      data: csv(CF, [
        {
          ...penalty(w.scjg, 5, { CF_JDRQ: '2026-09-29' }),
          CF_XDR_MC: companyName(1),
          CF_XDR_SHXYM: companyCode(1),
        },
        penalty(w.scjg, 1, { CF_JDRQ: '2026-09-29', CF_YXQ: '2026-10-29', CF_GSJZQ: '2027-09-29' }),
        penalty(w.scjg, 2, {
          CF_JDRQ: '2026-09-20',
          CF_YXQ: '2026-10-20',
          CF_NR: '罚款5000元',
          CF_NR_FK: '0.5',
        }),
      ]),
    },
    { itemCode: 'XZCF' },
  );
  expect(second.body.counts).toMatchObject({ accepted: 1, unchanged: 1, updated: 1 });

  // 2026-10-20: r5 withdrawn.
  t.clock.now = at('2026-10-20T02:00:00Z');
  h = await as('scjg');
  const r5 = await t.db.pool.query("SELECT id FROM records WHERE doc_no = '渝中市监罚〔2026〕5号'");
  const stop = await t.app.inject({
    method: 'POST',
    url: `/api/v1/records/${r5.rows[0].id}/stops`,
    headers: h,
    payload: { kind: 'withdrawn', reason: '录入错误' },
  });
  expect(stop.statusCode).toBe(200);

  // 2026-11-03: 生态环境局 submits one licence.
  t.clock.now = at('2026-11-03T02:00:00Z');
  const b = await as('sthj');
  const licence = [
    ['XK_XDR_MC', 'XK_XDR_MC'],
    ['XK_XDR_LB', 'XK_XDR_LB'],
    ['XK_XDR_SHXYM', 'XK_XDR_SHXYM'],
    ['XK_FRDB', 'XK_FRDB'],
    ['XK_XKWS', 'XK_XKWS'],
    ['XK_WSH', 'XK_WSH'],
    ['XK_XKLB', 'XK_XKLB'],
    ['XK_NR', 'XK_NR'],
    ['XK_JDRQ', 'XK_JDRQ'],
    ['XK_YXQZ', 'XK_YXQZ'],
    ['XK_YXQZI', 'XK_YXQZI'],
    ['XK_XKJG', 'XK_XKJG'],
    ['XK_XKJGDM', 'XK_XKJGDM'],
    ['XK_ZT', 'XK_ZT'],
    ['XK_LYDW', 'XK_LYDW'],
    ['XK_LYDWDM', 'XK_LYDWDM'],
    ['XK_XKZS', 'XK_XKZS'],
  ] as const;
  const lic = await upload(
    t,
    b,
    {
      name: 'lic.csv',
      data: csv(licence, [
        {
          XK_XDR_MC: companyName(9),
          XK_XDR_LB: '法人及非法人组织',
          XK_XDR_SHXYM: companyCode(9),
          XK_FRDB: '王五',
          XK_XKWS: '排污许可决定书',
          XK_WSH: '渝中环许〔2026〕1号',
          XK_XKLB: '普通',
          XK_NR: '准予排放',
          XK_JDRQ: '2026-10-30',
          XK_YXQZ: '2026-10-30',
          XK_YXQZI: '2099-12-31',
          XK_XKJG: w.sthj.name,
          XK_XKJGDM: w.sthj.uscc,
          XK_ZT: '有效',
          XK_LYDW: w.sthj.name,
          XK_LYDWDM: w.sthj.uscc,
          XK_XKZS: '排污许可证',
        },
      ]),
    },
    { itemCode: 'XZXK' },
  );
  expect(lic.body.counts).toMatchObject({ accepted: 1 });
  t.clock.now = at('2026-11-20T02:00:00Z');
});
afterAll(async () => t?.close());

/** One connection's statements one after another (the scorecard issues its reads together). */
function serial(c: Queryable): Queryable {
  let last: Promise<unknown> = Promise.resolve();
  return {
    query: ((...args: [string, unknown[]?]) => {
      const next = last.then(() => c.query(...args));
      last = next.catch(() => undefined);
      return next;
    }) as Queryable['query'],
  };
}

describe('provider quality scorecard', () => {
  it('counts working days on the holiday calendar', () => {
    const cal = createCalendar();
    expect(cal.addWorkingDays('2026-09-29', 7)).toBe('2026-10-14');
    expect(cal.addWorkingDays('2026-09-20', 7)).toBe('2026-09-30');
  });

  it('computes each measure of the month from the data', async () => {
    const h = await as('scjg');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/quality/scorecards?from=2026-09&to=2026-11',
      headers: h,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items.map((r: { month: string }) => r.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(body.items.every((r: { departmentId: number }) => r.departmentId === w.scjg.id)).toBe(true);
    const oct = body.items[1];
    expect(oct).toMatchObject({
      departmentName: w.scjg.name,
      departmentNameEn: 'Yuzhong District Administration for Market Regulation',
      volume: 3,
      rows: 7,
      timeliness: { onTime: 1, total: 3, ratio: 0.3333 },
      completeness: { filled: 3, expected: 6, ratio: 0.5 },
      validity: { accepted: 4, submitted: 6, ratio: 0.6667 },
      // r1 sent again unchanged counts for neither side (it was 1 of 6 before).
      consistency: { mismatches: 1, checked: 5, ratio: 0.8, subjectsRegistered: 2 },
      corrections: 1,
      withdrawals: 1,
      score: 57.5,
    });
    expect(body.items[0]).toMatchObject({ volume: 0, timeliness: { ratio: null }, score: null });
  });

  it('shows a department its own rows only; the administrator all, or one department', async () => {
    const b = await as('sthj');
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/v1/quality/scorecards?from=2026-10&to=2026-11&department=${w.scjg.id}`,
      headers: b,
    });
    expect(own.json().items.every((r: { departmentId: number }) => r.departmentId === w.sthj.id)).toBe(true);
    expect(own.json().items[1]).toMatchObject({
      month: '2026-11',
      departmentNameEn: null, // 生态环境局 has no English name: the page falls back to the Chinese one
      volume: 1,
      completeness: { filled: 1, expected: 2 },
      timeliness: { onTime: 1, total: 1 },
    });

    const admin = await as('admin', 'admin-pass-12');
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/v1/quality/scorecard?from=2026-10&to=2026-11',
      headers: admin,
    });
    expect(
      all.json().items.map((r: { departmentId: number; month: string }) => [r.departmentId, r.month]),
    ).toEqual([
      [w.scjg.id, '2026-10'],
      [w.sthj.id, '2026-11'],
    ]);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/quality/scorecards?from=2026-10&to=2026-10&department=${w.sthj.uscc}`,
      headers: admin,
    });
    expect(one.json().items).toEqual([expect.objectContaining({ departmentId: w.sthj.id, volume: 0 })]);
  });

  it('validity counts a row by its first submission; consistency counts name and code mismatches', async () => {
    // December, 市场监管局 (document numbers 100–105; companies 100–105, company 3 registered under
    // another name). ZZJG is the organisation code column: it must be the USCC's characters 9–17.
    const cols = titled({ ...CF_TITLES, CF_YXQ: '处罚有效期', CF_XDR_ZZJG: '组织机构代码' });
    const row = (n: number, o: Record<string, unknown> = {}) =>
      penalty(w.scjg, n, {
        CF_JDRQ: '2026-11-20',
        CF_XDR_ZZJG: companyCode(n).slice(8, 17),
        ...o,
      });
    const send = async (day: string, rows: Record<string, unknown>[]) => {
      t.clock.now = at(`${day}T02:00:00Z`);
      const r = await upload(
        t,
        await as('scjg'),
        { name: `${day}.csv`, data: csv(cols, rows) },
        { itemCode: 'XZCF' },
      );
      return r.body as { counts: Record<string, number>; batchId: number };
    };
    // A: 100 accepted; 101 validity end before the decision (DATE_ORDER); 102 an organisation code
    // that is not its USCC's (CODE_MISMATCH); 103 a name the registry does not have (NAME_MISMATCH);
    // 104 accepted.
    const a = await send('2026-12-01', [
      row(100),
      row(101, { CF_YXQ: '2026-11-19' }),
      row(102, { CF_XDR_ZZJG: '12345678-9' }),
      row(103, { CF_XDR_MC: companyName(103), CF_XDR_SHXYM: companyCode(3), CF_XDR_ZZJG: '' }),
      row(104),
    ]);
    expect(a.counts).toMatchObject({ accepted: 2, rejected: 3 });
    const errs = await t.db.pool.query(
      `SELECT row_no, errors->0->>'code' AS code, errors->0->>'field' AS field FROM ingest_batch_rows
        WHERE batch_id = $1 AND outcome = 'rejected' ORDER BY row_no`,
      [a.batchId],
    );
    expect(errs.rows).toEqual([
      { row_no: 3, code: 'DATE_ORDER', field: 'CF_YXQ' },
      { row_no: 4, code: 'CODE_MISMATCH', field: 'CF_XDR_ZZJG' },
      { row_no: 5, code: 'NAME_MISMATCH', field: 'CF_XDR_MC' },
    ]);
    // B: 101 and 102 fixed (not valid first time: they were rejected), 100 unchanged (no new row),
    // 104 corrected (a new submission, accepted), 105 twice in the file (the first copy superseded).
    const b = await send('2026-12-02', [
      row(101),
      row(102),
      row(100),
      row(104, { CF_NR: '罚款5000元', CF_NR_FK: '0.5' }),
      row(105, { CF_SY: '初稿' }),
      row(105),
    ]);
    expect(b.counts).toMatchObject({ accepted: 3, updated: 1, unchanged: 1, rejected: 1 });
    // C: everything again, unchanged: changes nothing.
    const c = await send('2026-12-03', [
      row(100),
      row(101),
      row(102),
      row(104, { CF_NR: '罚款5000元', CF_NR_FK: '0.5' }),
    ]);
    expect(c.counts).toMatchObject({ unchanged: 4 });

    t.clock.now = at('2026-12-20T02:00:00Z');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/quality/scorecards?from=2026-12&to=2026-12',
      headers: await as('scjg'),
    });
    expect(res.statusCode, res.body).toBe(200);
    // First submissions: A 100 ✓ 101 ✗ 102 ✗ 103 ✗ 104 ✓, B 104 (corrected) ✓ 105 ✓ → 4 of 7.
    // Mismatches: 102 (code), 103 (name); accepted rows: A 2, B 4 → 1 − 2 / 8.
    expect(res.json().items[0]).toMatchObject({
      month: '2026-12',
      rows: 15,
      validity: { accepted: 4, submitted: 7, ratio: 0.5714 },
      consistency: { mismatches: 2, checked: 8, ratio: 0.75 },
    });
  });

  it("history before the month changes the month's numbers only through the first-time rule", async () => {
    const cols = titled({ ...CF_TITLES, CF_YXQ: '处罚有效期' });
    const row = (n: number, o: Record<string, unknown> = {}) =>
      penalty(w.scjg, n, { CF_JDRQ: '2027-01-05', ...o });
    const early = { CF_YXQ: '2027-01-01' }; // before the decision: DATE_ORDER
    const send = async (day: string, rows: Record<string, unknown>[]) => {
      t.clock.now = at(`${day}T02:00:00Z`);
      const r = await upload(
        t,
        await as('scjg'),
        { name: `${day}.csv`, data: csv(cols, rows) },
        { itemCode: 'XZCF' },
      );
      return r.body as { counts: Record<string, number> };
    };
    // January (history): 300 and 303 rejected, 301 accepted.
    const jan = await send('2027-01-10', [row(300, early), row(301), row(303, early)]);
    expect(jan.counts).toMatchObject({ accepted: 1, rejected: 2 });
    // February: 300 fixed and 303 still wrong (both sent again after a rejection), 301 unchanged,
    // 310 new, 311 new and wrong, and a row without a document number.
    const feb = await send('2027-02-03', [
      row(300),
      row(301),
      row(303, early),
      row(310),
      row(311, early),
      row(312, { CF_WSH: '' }),
    ]);
    expect(feb.counts).toMatchObject({ accepted: 2, unchanged: 1, rejected: 3 });

    const february = async (db: Queryable) =>
      (
        await computeScorecard(
          { db, actor: SYSTEM, requestId: 'test', now: at('2027-02-20T02:00:00Z') },
          { departmentId: w.scjg.id, from: '2027-02', to: '2027-02' },
        )
      ).items[0];
    // First submissions: 310 ✓, 311 ✗, the row without a document number ✗ → 1 of 3.
    const expected = {
      month: '2027-02',
      rows: 6,
      validity: { accepted: 1, submitted: 3, ratio: 0.3333 },
      consistency: { mismatches: 0, checked: 2 },
    };
    expect(await february(t.db.pool)).toMatchObject(expected);
    // The month's numbers come from the month's rows: without any of the rows before it they are
    // the same (300 and 303 stay re-sends of rejected documents).
    const c = await t.db.pool.connect();
    try {
      await c.query('BEGIN');
      const gone = await c.query(
        `DELETE FROM ingest_batch_rows WHERE batch_id IN (SELECT id FROM ingest_batches WHERE started_at < $1)`,
        [at('2027-01-31T16:00:00Z')],
      );
      expect(gone.rowCount).toBeGreaterThan(20);
      expect(await february(serial(c))).toMatchObject(expected);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  it('migration 0030 fills rows stored before it as the ingest decides them', async () => {
    const snapshot = async (db: Queryable) => ({
      rows: (
        await db.query<{ batch_id: string; row_no: number; submission: string; awaiting_resend: boolean }>(
          `SELECT batch_id, row_no, submission, awaiting_resend FROM ingest_batch_rows ORDER BY batch_id, row_no`,
        )
      ).rows,
      scorecard: await computeScorecard(
        { db, actor: SYSTEM, requestId: 'test', now: at('2027-02-20T02:00:00Z') },
        { departmentId: null, from: '2026-09', to: '2027-02' },
      ),
    });
    const live = await snapshot(t.db.pool);
    const kinds = new Set(live.rows.map((r) => r.submission));
    expect([...kinds].sort()).toEqual(['first', 'resent', 'superseded', 'unchanged']);
    expect(live.rows.some((r) => r.awaiting_resend)).toBe(true);

    const migration = readFileSync(
      new URL('../../migrations/0030_ingest_row_submission.sql', import.meta.url),
      'utf8',
    );
    const c = await t.db.pool.connect();
    try {
      await c.query('BEGIN');
      // As before the migration: nothing decided.
      await c.query(`ALTER TABLE ingest_batch_rows ALTER COLUMN submission DROP NOT NULL`);
      await c.query(`UPDATE ingest_batch_rows SET submission = NULL, awaiting_resend = false`);
      await c.query(migration);
      const filled = await snapshot(serial(c));
      expect(filled.rows).toEqual(live.rows);
      expect(filled.scorecard).toEqual(live.scorecard);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  it('refuses bad months', async () => {
    const h = await as('scjg');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/quality/scorecards?from=2026-13',
      headers: h,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('MONTH_INVALID');
    const back = await t.app.inject({
      method: 'GET',
      url: '/api/v1/quality/scorecards?from=2026-11&to=2026-01',
      headers: h,
    });
    expect(back.json().error.code).toBe('RANGE_INVALID');
  });
});
