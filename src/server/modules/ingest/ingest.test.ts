import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import {
  batchOf,
  CF_TITLES,
  companyCode,
  companyName,
  csv,
  gb18030,
  licence,
  login,
  penalty,
  PERSON,
  setupWorld,
  titled,
  upload,
  xlsx,
  XK_CODES,
  type World,
} from './ingest.test-support';
import { CHUNK, EVENTS_IN_MEMORY } from './ingest.run';

let t: TestApp;
let w: World;
let officer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  w = await setupWorld(t);
  officer = await login(t, 'scjg');
});
afterAll(async () => t?.close());

const count = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.pool.query(sql, params)).rows[0].n);
const records = (where = 'true', params: unknown[] = []) =>
  count(`SELECT count(*) AS n FROM records WHERE ${where}`, params);
const CF_COLUMNS = titled(CF_TITLES);

const batch = (id: unknown) => batchOf(t, officer, id);

describe('CSV in both encodings, current layout', () => {
  it('stores valid rows, reports each rejected row with field, code and both languages', async () => {
    const rows = [
      penalty(w.scjg, 1),
      penalty(w.scjg, 2, { CF_CFLB: '警告;罚款', CF_JDRQ: '2026年3月11日' }),
      penalty(w.scjg, 3, { CF_JDRQ: '2026-02-30' }), // no such day
      penalty(w.scjg, 4, { CF_NR_FK: '2000元' }), // an amount in 元, not 万元
      penalty(w.scjg, 5, { CF_XDR_MC: '' }), // required
      penalty(w.scjg, 6, { CF_JDRQ: '2026-12-01' }), // in the future
    ];
    const r = await upload(
      t,
      officer,
      { name: '处罚.csv', data: `\ufeff${csv(CF_COLUMNS, rows)}` },
      { itemCode: 'XZCF' },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toEqual({ accepted: 2, updated: 0, unchanged: 0, rejected: 4, skipped: 0 });
    const b = await batch(r.body.batchId);
    expect(b).toMatchObject({
      status: 'done',
      format: 'csv',
      encoding: 'utf-8',
      layout: 'current',
      fileName: '处罚.csv',
    });
    expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
    const byRow = Object.fromEntries(
      b.errors.map((e: { row: number; code: string; field: string }) => [e.row, e]),
    );
    expect(byRow[4]).toMatchObject({ field: 'CF_JDRQ', code: 'FIELD_FORMAT' });
    expect(byRow[5]).toMatchObject({ field: 'CF_NR_FK', code: 'FIELD_AMOUNT' });
    expect(byRow[6]).toMatchObject({ field: 'CF_XDR_MC', code: 'FIELD_REQUIRED' });
    expect(byRow[7]).toMatchObject({ field: 'CF_JDRQ', code: 'DATE_IN_FUTURE' });
    for (const e of b.errors) expect(e.message.zh && e.message.en).toBeTruthy();
    const stored = await t.db.pool.query(
      "SELECT payload, decision_date FROM records WHERE doc_no = '渝中市监罚〔2026〕2号'",
    );
    expect(stored.rows[0].payload.CF_CFLB).toEqual(['警告', '罚款']);
    expect(stored.rows[0].decision_date).toBe('2026-03-11');
    // Unknown subjects with valid codes were registered by collection.
    const subj = await t.db.pool.query('SELECT origin FROM subjects WHERE uscc = $1', [companyCode(1)]);
    expect(subj.rows[0].origin).toBe('collection');
    expect(b.subjectsRegistered).toBe(2);
  });

  it('gives the rejected rows back as CSV and XLSX under the original headers, re-submittable as they are', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/ingest/batches', headers: officer });
    const id = list.json().items[0].id;
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${id}/rejected.csv`,
      headers: officer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = res.body;
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('行政处罚决定书文号');
    expect(lines[0]).toContain('错误说明');
    expect(lines).toHaveLength(5);
    expect(text).toContain('2026-02-30');
    // Stored sealed with the field key (they may hold ID numbers): nothing of them in clear.
    const stored = await t.db.pool.query<{ c: string }>(
      "SELECT cells::text AS c FROM ingest_batch_rows WHERE batch_id = $1 AND outcome = 'rejected'",
      [id],
    );
    expect(stored.rows).toHaveLength(4);
    for (const r of stored.rows) expect(r.c).toMatch(/^\{"sealed": \{"enc": "[A-Za-z0-9+/=]+"\}\}$/);
    expect(stored.rows.map((r) => r.c).join('')).not.toContain('2026-02-30');

    const x = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${id}/rejected.xlsx`,
      headers: officer,
    });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]?.rowCount).toBe(5);

    // Fix the rows in the downloaded file and submit it unchanged otherwise: the report columns are ignored.
    const fixed = text
      .replace('2026-02-30', '2026-02-28')
      .replace(',2000元,', ',0.2,')
      .replace('\r\n,法人及非法人组织', `\r\n${companyName(5)},法人及非法人组织`)
      .replace('2026-12-01', '2026-05-01');
    const again = await upload(t, officer, { name: 'fixed.csv', data: fixed }, { itemCode: 'XZCF' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.counts, JSON.stringify((await batch(again.body.batchId)).errors)).toMatchObject({
      accepted: 4,
      rejected: 0,
    });
    expect((await batch(again.body.batchId)).ignoredHeaders).toEqual(['原行号', '错误说明', 'Errors']);
  });

  it('is idempotent: the same rows change nothing, the same file answers with the earlier batch', async () => {
    const data = `\ufeff${csv(CF_COLUMNS, [penalty(w.scjg, 1), penalty(w.scjg, 2, { CF_CFLB: '警告;罚款', CF_JDRQ: '2026年3月11日' })])}`;
    const before = await records();
    const events = await count('SELECT count(*) AS n FROM events');
    const first = await upload(t, officer, { name: 'again.csv', data }, { itemCode: 'XZCF' });
    expect(first.body.counts).toMatchObject({ accepted: 0, unchanged: 2 });
    const second = await upload(t, officer, { name: 'again.csv', data }, { itemCode: 'XZCF' });
    expect(second.status).toBe(200);
    expect(second.body.duplicateOf).toBe(first.body.batchId);
    expect(second.body.batchId).toBe(first.body.batchId);
    expect(await records()).toBe(before);
    // Only the first re-send's batch start and finish were logged.
    expect(await count('SELECT count(*) AS n FROM events')).toBe(events + 2);
  });

  it('turns a changed row into a new version of the same record', async () => {
    const changed = penalty(w.scjg, 1, { CF_NR: '罚款5000元', CF_NR_FK: '0.5' });
    const r = await upload(
      t,
      officer,
      { name: 'correction.csv', data: csv(CF_COLUMNS, [changed]) },
      { itemCode: 'XZCF' },
    );
    expect(r.body.counts).toMatchObject({ updated: 1, accepted: 0 });
    const v = await t.db.pool.query(
      "SELECT v.version, v.change_kind FROM record_versions v JOIN records r ON r.id = v.record_id WHERE r.doc_no = '渝中市监罚〔2026〕1号' ORDER BY v.version",
    );
    expect(v.rows).toEqual([
      { version: 1, change_kind: 'created' },
      { version: 2, change_kind: 'corrected' },
    ]);
    const ev = await count("SELECT count(*) AS n FROM events WHERE type = 'record.corrected'");
    expect(ev).toBe(1);
  });

  it('reads GB18030 files, detected or declared, and refuses a wrong declaration', async () => {
    const rows = [penalty(w.scjg, 20), penalty(w.scjg, 21)];
    const bytes = gb18030(csv(CF_COLUMNS, rows));
    const detected = await upload(t, officer, { name: 'gbk.csv', data: bytes }, { itemCode: 'XZCF' });
    expect(detected.status, JSON.stringify(detected.body)).toBe(200);
    expect(detected.body.batch).toMatchObject({ encoding: 'gb18030', counts: { accepted: 2 } });
    const declared = await upload(
      t,
      officer,
      { name: 'gbk2.csv', data: gb18030(csv(CF_COLUMNS, [penalty(w.scjg, 22)])) },
      { itemCode: 'XZCF', encoding: 'GBK' },
    );
    expect(declared.body.counts).toMatchObject({ accepted: 1 });
    const wrong = await upload(
      t,
      officer,
      { name: 'gbk3.csv', data: gb18030(csv(CF_COLUMNS, [penalty(w.scjg, 23)])) },
      { itemCode: 'XZCF', encoding: 'utf-8' },
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.error?.code).toBe('WRONG_ENCODING');
  });

  it('takes field codes as headers in any order, full-width punctuation and stray spaces', async () => {
    const cols: [string, string][] = CF_COLUMNS.map(([title, code], i) => [
      i % 2 ? code.toLowerCase() : ` ${title.replace('（', '(').replace('）', ')')} `,
      code,
    ]);
    cols.reverse();
    const r = await upload(
      t,
      officer,
      { name: 'codes.csv', data: csv(cols, [penalty(w.scjg, 30)]) },
      { itemCode: 'XZCF' },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ accepted: 1 });
  });

  it('finds the item from the headers when itemCode is not given', async () => {
    const r = await upload(t, officer, { name: 'noitem.csv', data: csv(CF_COLUMNS, [penalty(w.scjg, 31)]) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.batch).toMatchObject({ itemCode: 'XZCF' });
  });
});

describe('the 2016 layout', () => {
  const LEGACY: [string, string][] = [
    ['行政处罚决定书文号', 'CF_WSH'],
    ['处罚类别1', 'A'],
    ['处罚类别2', 'B'],
    ['处罚事由', 'CF_SY'],
    ['违法行为类型', 'CF_WFXW'],
    ['处罚依据', 'CF_YJ'],
    ['行政相对人名称', 'CF_XDR_MC'],
    ['行政相对人代码_1', 'CF_XDR_SHXYM'],
    ['行政相对人代码_2', 'ORG'],
    ['行政相对人代码_5', 'CF_XDR_ZJHM'],
    ['法定代表人姓名', 'CF_FRDB'],
    ['处罚结果', 'CF_NR'],
    ['罚款金额', 'CF_NR_FK'],
    ['处罚决定日期', 'CF_JDRQ'],
    ['处罚机关', 'CF_CFJG'],
    ['当前状态', 'STATE'],
    ['地方编码', 'AREA'],
    ['公示期限', 'TERM'],
  ];

  it('maps 行政相对人代码_N by the older meaning, merges 处罚类别1/2, derives the category, fills the data source', async () => {
    const org = companyCode(40).slice(8, 17);
    const rows = [
      { ...penalty(w.scjg, 40), A: '警告', B: '罚款', ORG: org, STATE: '有效', AREA: '500103', TERM: '1' },
      {
        ...penalty(w.scjg, 41),
        CF_XDR_MC: '李四',
        CF_XDR_SHXYM: '',
        CF_XDR_ZJHM: PERSON,
        CF_FRDB: '',
        A: '警告',
        B: '',
        CF_NR_FK: '',
      },
    ];
    const r = await upload(t, officer, { name: 'legacy.csv', data: csv(LEGACY, rows) }, { itemCode: 'XZCF' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.batch).toMatchObject({ layout: 'legacy2016', counts: { accepted: 2, rejected: 0 } });
    expect((r.body.batch as { ignoredHeaders: string[] }).ignoredHeaders).toEqual([
      '当前状态',
      '地方编码',
      '公示期限',
    ]);
    const org40 = await t.db.pool.query(
      "SELECT payload FROM records WHERE doc_no = '渝中市监罚〔2026〕40号'",
    );
    expect(org40.rows[0].payload).toMatchObject({
      CF_CFLB: ['警告', '罚款'],
      CF_XDR_ZZJG: org,
      CF_XDR_LB: '法人及非法人组织',
      CF_SJLY: w.scjg.name,
      CF_SJLYDM: w.scjg.uscc,
      CF_CFJGDM: w.scjg.uscc,
    });
    const person = await t.db.pool.query(
      "SELECT s.type, r.payload FROM records r JOIN subjects s ON s.id = r.subject_id WHERE r.doc_no = '渝中市监罚〔2026〕41号'",
    );
    expect(person.rows[0].type).toBe('NATURAL_PERSON');
    expect(person.rows[0].payload.CF_XDR_LB).toBe('自然人');
    expect(JSON.stringify(person.rows[0].payload)).not.toContain(PERSON);
  });

  it('reads the 2016 layout from XLSX too, with Excel dates, numbers and formulas', async () => {
    const header = LEGACY.map(([h]) => h);
    const row = (n: number, extra: Partial<Record<string, ExcelJS.CellValue>> = {}) => {
      const p = {
        ...penalty(w.scjg, n),
        A: '罚款',
        B: null,
        ORG: null,
        CF_XDR_ZJHM: null,
        STATE: '有效',
        AREA: '500103',
        TERM: 1,
      } as Record<string, unknown>;
      return LEGACY.map(([, code]) => {
        if (code in extra) return extra[code] as never;
        if (code === 'CF_JDRQ') return new Date(Date.UTC(2026, 2, 12));
        if (code === 'CF_NR_FK') return 0.2;
        return (p[code] ?? null) as never;
      });
    };
    const file = await xlsx([
      ['行政处罚信息公示表'],
      header,
      row(50),
      row(51, { CF_NR_FK: { formula: '0.1*2', result: 0.2 } }),
      row(52, { CF_NR_FK: { formula: 'A1*2' } }), // a formula Excel never calculated
      row(53, { CF_JDRQ: 46094 }), // a serial date: 2026-03-13
    ]);
    const r = await upload(t, officer, { name: 'legacy.xlsx', data: file }, { itemCode: 'XZCF' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.batch).toMatchObject({ format: 'xlsx', layout: 'legacy2016' });
    expect(r.body.counts).toMatchObject({ accepted: 3, rejected: 1 });
    const b = await batch(r.body.batchId);
    expect(b.errors).toEqual([
      expect.objectContaining({ row: 5, field: 'CF_NR_FK', code: 'FORMULA_NO_RESULT' }),
    ]);
    const d = await t.db.pool.query(
      "SELECT doc_no, decision_date, payload->>'CF_NR_FK' AS fk FROM records WHERE doc_no IN ('渝中市监罚〔2026〕50号','渝中市监罚〔2026〕51号','渝中市监罚〔2026〕53号') ORDER BY doc_no",
    );
    expect(d.rows.map((x) => [x.decision_date, x.fk])).toEqual([
      ['2026-03-12', '0.2'],
      ['2026-03-12', '0.2'],
      ['2026-03-13', '0.2'],
    ]);
  });
});

describe('XLSX in the current layout and licences', () => {
  it('takes a licence file with codes as headers and 2099/12/31 meaning long-term', async () => {
    const cols = [...XK_CODES];
    const values = (n: number, o: Record<string, unknown> = {}) => {
      const v = licence(w.sthj, n, {
        XK_XKLB: '01',
        XK_JDRQ: new Date(Date.UTC(2026, 3, 1)),
        XK_YXQZ: '2026/04/01',
        XK_YXQZI: '2099/12/31',
        XK_ZT: 1,
        ...o,
      });
      return cols.map((c) => v[c] as never);
    };
    const file = await xlsx([cols, values(60), values(61, { XK_YXQZI: '2026/03/01' })]);
    const h = await login(t, 'sthj');
    const r = await upload(t, h, { name: '许可.xlsx', data: file }, { itemCode: 'XZXK' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ accepted: 1, rejected: 1 });
    const rec = await t.db.pool.query(
      "SELECT window_until, payload FROM records WHERE doc_no = '渝中许〔2026〕60号'",
    );
    expect(rec.rows[0].payload).toMatchObject({
      XK_XKLB: '普通',
      XK_ZT: '有效',
      XK_YXQZI: '2099-12-31',
      XK_JDRQ: '2026-04-01',
    });
    const b = await batchOf(t, h, r.body.batchId);
    expect(b.errors[0]).toMatchObject({ row: 3, code: 'DATE_ORDER', field: 'XK_YXQZI' });
  });
});

describe('HTML, formulas and oversized cells are data, never code', () => {
  it('stores HTML and =cmd| text as plain text and neutralises them on the way out', async () => {
    const rows = [
      penalty(w.scjg, 70, { CF_SY: '<script>alert(1)</script><b>违法</b>' }),
      penalty(w.scjg, 71, { CF_YJ: "=cmd|' /C calc'!A0" }),
      penalty(w.scjg, 72, { CF_SY: '违'.repeat(10_000) }),
    ];
    const r = await upload(
      t,
      officer,
      { name: 'inj.csv', data: csv(CF_COLUMNS, rows) },
      { itemCode: 'XZCF' },
    );
    expect(r.body.counts).toMatchObject({ accepted: 2, rejected: 1 });
    const b = await batch(r.body.batchId);
    expect(b.errors[0]).toMatchObject({ row: 4, field: 'CF_SY', code: 'FIELD_TOO_LONG' });
    const stored = await t.db.pool.query(
      "SELECT payload FROM records WHERE doc_no IN ('渝中市监罚〔2026〕70号','渝中市监罚〔2026〕71号') ORDER BY doc_no",
    );
    expect(stored.rows[0].payload.CF_SY).toBe('<script>alert(1)</script><b>违法</b>');
    expect(stored.rows[1].payload.CF_YJ).toBe("=cmd|' /C calc'!A0");
    // A rejected row holding such text is exported with a leading apostrophe, and read back without it.
    const bad = penalty(w.scjg, 73, { CF_YJ: '=HYPERLINK("http://x")', CF_JDRQ: '2030-01-01' });
    const r2 = await upload(
      t,
      officer,
      { name: 'inj2.csv', data: csv(CF_COLUMNS, [bad]) },
      { itemCode: 'XZCF' },
    );
    expect(r2.status).toBe(422);
    const id = r2.body.error?.details.batchId;
    const out = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${String(id)}/rejected.csv`,
      headers: officer,
    });
    expect(out.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    const back = await upload(
      t,
      officer,
      { name: 'inj3.csv', data: out.body.replace('2030-01-01', '2026-01-02') },
      { itemCode: 'XZCF' },
    );
    expect(back.body.counts).toMatchObject({ accepted: 1 });
    const yj = await t.db.pool.query(
      "SELECT payload->>'CF_YJ' AS yj FROM records WHERE doc_no = '渝中市监罚〔2026〕73号'",
    );
    expect(yj.rows[0].yj).toBe('=HYPERLINK("http://x")');
  });
});

describe('bad files: a specific error each, nothing stored, the server stays up', () => {
  const cases: Array<
    [string, () => Promise<{ name: string; data: Buffer | string }>, Record<string, string>, number, string]
  > = [
    ['empty file', async () => ({ name: 'e.csv', data: '' }), { itemCode: 'XZCF' }, 400, 'FILE_EMPTY'],
    [
      'only blank lines',
      async () => ({ name: 'e.csv', data: '\r\n\r\n  \r\n' }),
      { itemCode: 'XZCF' },
      400,
      'FILE_EMPTY',
    ],
    [
      'no header row',
      async () => ({ name: 'd.csv', data: `${csv(CF_COLUMNS, [penalty(w.scjg, 80)]).split('\r\n')[1]}\r\n` }),
      { itemCode: 'XZCF' },
      422,
      'NO_HEADER_ROW',
    ],
    [
      'header only',
      async () => ({ name: 'h.csv', data: `${CF_COLUMNS.map(([h]) => h).join(',')}\r\n` }),
      { itemCode: 'XZCF' },
      422,
      'NO_DATA_ROWS',
    ],
    [
      'unknown headers',
      async () => ({
        name: 'u.csv',
        data: csv([...CF_COLUMNS, ['宗教信仰', 'X'], ['收入', 'Y']], [penalty(w.scjg, 81)]),
      }),
      { itemCode: 'XZCF' },
      422,
      'UNKNOWN_HEADERS',
    ],
    [
      'two columns for one field',
      async () => ({
        name: 'd.csv',
        data: csv([...CF_COLUMNS, ['CF_WSH', 'CF_WSH']], [penalty(w.scjg, 82)]),
      }),
      { itemCode: 'XZCF' },
      422,
      'DUPLICATE_COLUMNS',
    ],
    [
      'unknown item',
      async () => ({ name: 'x.csv', data: csv(CF_COLUMNS, [penalty(w.scjg, 83)]) }),
      { itemCode: 'NOPE' },
      404,
      'ITEM_UNKNOWN',
    ],
    [
      'unknown encoding',
      async () => ({ name: 'x.csv', data: csv(CF_COLUMNS, [penalty(w.scjg, 84)]) }),
      { itemCode: 'XZCF', encoding: 'ebcdic' },
      400,
      'ENCODING_UNSUPPORTED',
    ],
    [
      'unknown layout',
      async () => ({ name: 'x.csv', data: csv(CF_COLUMNS, [penalty(w.scjg, 85)]) }),
      { itemCode: 'XZCF', layout: '1999' },
      400,
      'LAYOUT_UNKNOWN',
    ],
    [
      'binary data',
      async () => ({ name: 'x.csv', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x0d, 0x0a]) }),
      { itemCode: 'XZCF' },
      422,
      'NOT_TEXT',
    ],
    [
      'old Excel',
      async () => ({
        name: 'x.xls',
        data: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(100, 1)]),
      }),
      { itemCode: 'XZCF' },
      400,
      'FORMAT_UNSUPPORTED',
    ],
    [
      'broken xlsx',
      async () => ({
        name: 'x.xlsx',
        data: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]),
      }),
      { itemCode: 'XZCF' },
      422,
      'FILE_UNREADABLE',
    ],
    [
      'headers of no item',
      async () => ({ name: 'x.csv', data: '甲,乙,丙\r\n1,2,3\r\n' }),
      {},
      400,
      'ITEM_REQUIRED',
    ],
    [
      'no valid rows',
      async () => ({ name: 'x.csv', data: csv(CF_COLUMNS, [penalty(w.scjg, 86, { CF_JDRQ: 'yesterday' })]) }),
      { itemCode: 'XZCF' },
      422,
      'NO_VALID_ROWS',
    ],
  ];
  for (const [name, file, fields, status, code] of cases)
    it(`${name} → ${code}`, async () => {
      const before = await records();
      const r = await upload(t, officer, await file(), fields);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error?.code).toBe(code);
      expect(r.body.error?.messages['zh-CN']).toBeTruthy();
      expect(r.body.error?.messages.en).toBeTruthy();
      expect(await records()).toBe(before);
    });

  it('lists unknown headers by name', async () => {
    const r = await upload(
      t,
      officer,
      { name: 'u.csv', data: csv([...CF_COLUMNS, ['宗教信仰', 'X'], ['收入', 'Y']], [penalty(w.scjg, 81)]) },
      { itemCode: 'XZCF' },
    );
    expect(r.body.error?.details.headers).toEqual(['宗教信仰', '收入']);
    expect(r.body.error?.messages['zh-CN']).toContain('宗教信仰、收入');
  });

  it('refuses a file for an item the department does not provide', async () => {
    const h = await login(t, 'sthj');
    const r = await upload(
      t,
      h,
      { name: 'x.csv', data: csv(CF_COLUMNS, [penalty(w.sthj, 87)]) },
      { itemCode: 'XZCF' },
    );
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('NOT_PROVIDER');
    const tpl = await t.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/items/XZCF/template.csv',
      headers: h,
    });
    expect(tpl.statusCode).toBe(403);
  });

  it('needs a file, and a department for an administrator', async () => {
    const f = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches',
      headers: { ...officer, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="itemCode"\r\n\r\nXZCF\r\n--x--\r\n',
    });
    expect(f.json().error.code).toBe('FILE_REQUIRED');
    const admin = await login(t, 'admin', 'admin-pass-12');
    const r = await upload(
      t,
      admin,
      { name: 'x.csv', data: csv(CF_COLUMNS, [penalty(w.scjg, 88)]) },
      { itemCode: 'XZCF' },
    );
    expect(r.body.error?.code).toBe('DEPARTMENT_REQUIRED');
    const ok = await upload(
      t,
      admin,
      { name: 'x.csv', data: csv(CF_COLUMNS, [penalty(w.scjg, 88)]) },
      { itemCode: 'XZCF', departmentId: String(w.scjg.id) },
    );
    expect(ok.body.counts).toMatchObject({ accepted: 1 });
  });

  it('is still up', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
  });
});

describe('streams, background processing, history and templates', () => {
  it('takes NDJSON from a department system with an API key, codes or Chinese names as keys', async () => {
    const lines = [
      JSON.stringify({ ...penalty(w.scjg, 90), CF_CFLB: ['警告', '罚款'], CF_NR_FK: 0.2 }),
      JSON.stringify({ payload: penalty(w.scjg, 91), severity: 'SERIOUS' }),
      JSON.stringify(
        Object.fromEntries(Object.entries(penalty(w.scjg, 92)).map(([k, v]) => [CF_TITLES[k] ?? k, v])),
      ),
      '{"not json',
      JSON.stringify({ ...penalty(w.scjg, 93), 宗教信仰: '无' }),
    ].join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { authorization: `Bearer ${w.apiKey}`, 'content-type': 'application/x-ndjson' },
      payload: lines,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toMatchObject({ accepted: 3, rejected: 2 });
    const b = await batch(res.json().batchId);
    expect(b.format).toBe('ndjson');
    expect(b.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [4, 'ROW_JSON_INVALID'],
      [5, 'FIELD_UNKNOWN'],
    ]);
    const sev = await t.db.pool.query("SELECT severity FROM records WHERE doc_no = '渝中市监罚〔2026〕91号'");
    expect(sev.rows[0].severity).toBe('SERIOUS');
    const arr = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { authorization: `Bearer ${w.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify([penalty(w.scjg, 94), penalty(w.scjg, 95)]),
    });
    expect(arr.statusCode, arr.body).toBe(200);
    expect(arr.json().batch).toMatchObject({ format: 'json', counts: { accepted: 2 } });
  });

  it('gives a department system its own upload rows back without a stated purpose, logging each read', async () => {
    // Upload rows hold only what the department itself sent: rejected rows their cells as they came
    // in (and errors naming public registry names at most), accepted rows the id of the
    // department's own record. No one else's shared data, so no X-Purpose is required of API keys
    // (docs/security.md); each read is still a `data.read` event, with a purpose if one is given.
    const key = { authorization: `Bearer ${w.apiKey}` };
    const sent = [penalty(w.scjg, 7301), { ...penalty(w.scjg, 7302), 宗教信仰: '无' }];
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { ...key, 'content-type': 'application/x-ndjson' },
      payload: sent.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(up.statusCode, up.body).toBe(200);
    const id = up.json().batchId as number;
    const before = await count('SELECT coalesce(max(seq), 0) AS n FROM events');
    const get = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/ingest/batches/${id}/${url}`,
        headers: { ...key, ...headers },
      });

    const rows = await get('rows');
    expect(rows.statusCode, rows.body).toBe(200);
    const [accepted, rejected] = rows.json().items as {
      outcome: string;
      recordId: number | null;
      cells: unknown;
    }[];
    expect(accepted).toMatchObject({ outcome: 'created', cells: null });
    expect(
      await count('SELECT count(*) AS n FROM records WHERE id = $1 AND department_id = $2', [
        accepted?.recordId,
        w.scjg.id,
      ]),
    ).toBe(1);
    expect(rejected?.outcome).toBe('rejected');
    // The rejected row's cells are the row as sent, nothing added.
    expect(rejected?.cells).toEqual(
      Object.fromEntries(Object.entries(sent[1] as object).map(([k, v]) => [k, String(v)])),
    );
    for (const format of ['csv', 'xlsx']) expect((await get(`rejected.${format}`)).statusCode).toBe(200);
    const purpose = '核对报送结果后更正重报';
    expect((await get('rows', { 'x-purpose': encodeURIComponent(purpose) })).statusCode).toBe(200);

    const { rows: reads } = await t.db.pool.query<{ actor_kind: string; payload: string }>(
      `SELECT actor_kind, payload FROM events WHERE type = 'data.read' AND seq > $1 ORDER BY seq`,
      [before],
    );
    expect(
      reads.map((r) => {
        const p = JSON.parse(r.payload) as { what: string; purpose: string | null };
        return [r.actor_kind, p.what, p.purpose];
      }),
    ).toEqual([
      ['apikey', 'ingest_rows', null],
      ['apikey', 'ingest_rejected_rows', null],
      ['apikey', 'ingest_rejected_rows', null],
      ['apikey', 'ingest_rows', purpose],
    ]);
  });

  it('processes in the background with ?async=1, progress readable until done', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      ...penalty(w.scjg, 1000 + i),
      CF_XDR_MC: companyName(i % 20),
      CF_XDR_SHXYM: companyCode(i % 20),
    }));
    const r = await upload(
      t,
      officer,
      { name: 'big.csv', data: csv(CF_COLUMNS, rows) },
      { itemCode: 'XZCF' },
      '?async=1',
    );
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('processing');
    let b = await batch(r.body.batchId);
    for (let i = 0; i < 200 && b.status === 'processing'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      b = await batch(r.body.batchId);
    }
    expect(b).toMatchObject({ status: 'done', counts: { accepted: 1200 }, progress: { rows: 1200 } });
    expect(b.durationMs).toBeGreaterThan(0);
  });

  it('shows departments their own batches only; the administrator sees all', async () => {
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ingest/batches?limit=500',
      headers: officer,
    });
    const h = await login(t, 'sthj');
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/ingest/batches?limit=500', headers: h });
    expect(other.json().items.every((b: { departmentId: number }) => b.departmentId === w.sthj.id)).toBe(
      true,
    );
    const id = own.json().items[0].id;
    const hidden = await t.app.inject({ method: 'GET', url: `/api/v1/ingest/batches/${id}`, headers: h });
    expect(hidden.statusCode).toBe(404);
    const admin = await login(t, 'admin', 'admin-pass-12');
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ingest/batches?limit=500',
      headers: admin,
    });
    expect(all.json().items.length).toBe(own.json().items.length + other.json().items.length);
    const rows = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${id}/rows?limit=5`,
      headers: officer,
    });
    expect(rows.statusCode).toBe(200);
    expect(rows.json().items.length).toBeGreaterThan(0);
  });

  it('serves templates the department can fill below the example and upload as they are', async () => {
    const c = await t.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/items/XZCF/template.csv',
      headers: officer,
    });
    expect(c.statusCode).toBe(200);
    const lines = c.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('行政处罚决定书文号');
    expect(lines[1]).toMatch(/^【说明】必填/);
    expect(lines[2]).toMatch(/^【示例】/);
    const asIs = await upload(t, officer, { name: 'tpl.csv', data: c.body }, { itemCode: 'XZCF' });
    expect(asIs.body.error?.code).toBe('NO_DATA_ROWS');

    const x = await t.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/items/XZCF/template.xlsx',
      headers: officer,
    });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const data = penalty(w.scjg, 96);
    const titleToCode = new Map(Object.entries(CF_TITLES).map(([k, v]) => [v, k]));
    ws.addRow(
      headers.map((h) => {
        const code = titleToCode.get(h) ?? (h === '统一社会信用代码' ? 'CF_XDR_SHXYM' : h);
        return (data[code] ?? null) as never;
      }),
    );
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await upload(t, officer, { name: 'tpl.xlsx', data: filled }, { itemCode: 'XZCF' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ accepted: 1, skipped: 2 });
  });
});

describe('long files', () => {
  it('keeps file order across chunks: a later row of the same document wins', async () => {
    const subject = { CF_XDR_MC: companyName(9100), CF_XDR_SHXYM: companyCode(9100) };
    const doc = (i: number) => `渝中市监罚〔2026〕长${i}号`;
    const seed = await upload(
      t,
      officer,
      { name: 'long-seed.csv', data: csv(CF_COLUMNS, [{ ...penalty(w.scjg, 9100), ...subject }]) },
      { itemCode: 'XZCF' },
    );
    expect(seed.body.counts).toMatchObject({ accepted: 1 });

    // Three chunks and a bit: row `inChunk` repeats a document of its own chunk, row `later`
    // repeats the document of row 5 (first chunk) with other content.
    const n = 2 * CHUNK + 600;
    const inChunk = CHUNK + 500;
    const later = 2 * CHUNK + 500;
    const rows = Array.from({ length: n }, (_, i) => ({
      ...penalty(w.scjg, 9100),
      ...subject,
      CF_WSH: doc(i === inChunk ? CHUNK + 400 : i === later ? 5 : i),
      ...(i === later ? { CF_NR: '罚款9000元', CF_NR_FK: '0.9' } : {}),
    }));
    const r = await upload(
      t,
      officer,
      { name: 'long.csv', data: csv(CF_COLUMNS, rows) },
      { itemCode: 'XZCF' },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ accepted: n - 2, updated: 1, rejected: 1 });

    const outcome = async (i: number) =>
      (
        await t.db.pool.query(
          'SELECT outcome, errors FROM ingest_batch_rows WHERE batch_id = $1 AND row_no = $2',
          [
            r.body.batchId,
            i + 2, // the header is row 1
          ],
        )
      ).rows[0];
    expect(await outcome(CHUNK + 400)).toMatchObject({
      outcome: 'rejected',
      errors: [{ code: 'DUPLICATE_IN_BATCH' }],
    });
    expect(await outcome(inChunk)).toMatchObject({ outcome: 'created' });
    expect(await outcome(5)).toMatchObject({ outcome: 'created' });
    expect(await outcome(later)).toMatchObject({ outcome: 'updated' });

    const head = await t.db.pool.query<{ version: number; payload: Record<string, unknown> }>(
      'SELECT version, payload FROM records WHERE doc_no = $1',
      [doc(5)],
    );
    expect(head.rows[0]).toMatchObject({ version: 2, payload: { CF_NR: '罚款9000元' } });

    // Records were created, and their events logged, in the order of the file.
    const created = await t.db.pool.query<{ doc: string; id: string }>(
      `SELECT payload::jsonb ->> 'docNo' AS doc, entity_id AS id FROM events
        WHERE type = 'record.created' AND payload::jsonb ->> 'docNo' LIKE '渝中市监罚〔2026〕长%' ORDER BY seq`,
    );
    const expected = [...new Set(rows.map((x) => x.CF_WSH))]; // first appearances
    expect(created.rows.map((x) => x.doc)).toEqual(expected);
    const ids = created.rows.map((x) => Number(x.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('stages the events of a batch larger than memory holds, and appends them in file order at once', async () => {
    const subject = { CF_XDR_MC: companyName(9200), CF_XDR_SHXYM: companyCode(9200) };
    const n = EVENTS_IN_MEMORY + 700;
    const rows = Array.from({ length: n }, (_, i) => ({
      ...penalty(w.scjg, 9200),
      ...subject,
      CF_WSH: `渝中市监罚〔2026〕大${i}号`,
    }));
    const before = Number((await t.db.pool.query('SELECT max(seq) AS m FROM events')).rows[0].m);
    const r = await upload(
      t,
      officer,
      { name: 'big.csv', data: csv(CF_COLUMNS, rows) },
      { itemCode: 'XZCF' },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ accepted: n, rejected: 0 });
    const created = await t.db.pool.query<{ seq: string; doc: string; hash_ok: boolean; request_id: string }>(
      `SELECT seq, payload::jsonb ->> 'docNo' AS doc, payload_sha256 = sha256(convert_to(payload, 'UTF8')) AS hash_ok,
              request_id
         FROM events WHERE seq > $1 AND type = 'record.created' ORDER BY seq`,
      [before],
    );
    // Every record's event, in file order, numbered consecutively, each with its payload's hash.
    expect(created.rows.map((x) => x.doc)).toEqual(rows.map((x) => x.CF_WSH));
    const seqs = created.rows.map((x) => Number(x.seq));
    expect(seqs.at(-1)! - seqs[0]!).toBe(n - 1);
    expect(created.rows.every((x) => x.hash_ok)).toBe(true);
    expect(new Set(created.rows.map((x) => x.request_id)).size).toBe(1);
    // The log stays dense: nothing numbered twice or skipped around the batch.
    const dense = await t.db.pool.query('SELECT count(*)::int8 AS n, max(seq)::int8 AS m FROM events');
    expect(Number(dense.rows[0].n)).toBe(Number(dense.rows[0].m));
  }, 120_000);
});
