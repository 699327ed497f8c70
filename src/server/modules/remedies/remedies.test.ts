import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/app';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { clearProfileCaches } from '../records';
import { repairPolicy, setRepairPolicy } from './remedies.policy';
import {
  EXE,
  JPG,
  PDF,
  addPenalties,
  buildDistrict,
  createAppWith,
  listSubject,
  login,
  multipartBody,
  type District,
  type Headers,
} from './remedies.test-support';

let t: TestApp;
let d: District;
const ids: Record<string, number> = {};
const at = (iso: string) => new Date(iso);

async function inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers = {}, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return {
    status: res.statusCode,
    body: res.body
      ? (res.json() as Record<string, unknown> & {
          error?: { code: string; details: Record<string, unknown> };
        })
      : {},
    res,
  };
}

function check(subject: string, scenario: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/checks',
    headers: { authorization: `Bearer ${d.checksKey}` },
    payload: { subject, scenario },
  });
}

async function upload(
  h: Headers,
  id: number,
  files: { filename: string; content: Buffer }[],
  kind = 'evidence',
) {
  const body = multipartBody([{ name: 'kind', value: kind }, ...files.map((f) => ({ name: 'file', ...f }))]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/repairs/${id}/files`,
    headers: { ...h, ...body.headers },
    payload: body.payload,
  });
  return { status: res.statusCode, body: res.json() };
}

async function profileRecords(uscc: string): Promise<{ id: number; disputed: boolean; version: number }[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${uscc}` });
  return res.json().categories.flatMap((c: { records: unknown[] }) => c.records);
}

beforeAll(async () => {
  t = await createAppWith(at('2026-06-01T02:00:00Z'));
  clearProfileCaches();
  d = await buildDistrict(t, at('2026-01-01T00:00:00Z'));
  const { a, b, c } = d.companies;
  [ids.r1, ids.r2, ids.r5] = (await addPenalties(t, d, at('2026-06-01T01:00:00Z'), [
    {
      company: a,
      docNo: '渝中市监罚〔2025〕101号',
      date: '2025-03-03',
      severity: 'SERIOUS',
      over: { CF_NR: '罚款 200 万元', CF_NR_FK: '200' },
    },
    { company: a, docNo: '渝中市监罚〔2026〕102号', date: '2026-04-01' },
    { company: a, docNo: '渝中市监罚〔2026〕105号', date: '2026-05-01' },
  ])) as [number, number, number];
  [ids.r3] = (await addPenalties(t, d, at('2026-06-01T01:00:00Z'), [
    {
      company: b,
      docNo: '渝中市监罚〔2024〕103号',
      date: '2024-05-06',
      over: { CF_CFLB: ['罚款', '吊销执照'], CF_NR_ZKDX: '营业执照 500103000000001' },
    },
  ])) as [number];
  [ids.r6, ids.r7, ids.r8] = (await addPenalties(t, d, at('2026-06-01T01:00:00Z'), [
    { company: c, docNo: '渝中市监罚〔2025〕106号', date: '2025-01-10', severity: 'SERIOUS' },
    { company: c, docNo: '渝中市监罚〔2026〕107号', date: '2026-01-05' },
    { company: c, docNo: '渝中市监罚〔2026〕108号', date: '2026-01-06' },
  ])) as [number, number, number];
  ids.entry = await listSubject(t, 'TAX_MAJOR_VIOLATION', a.uscc, [ids.r1 as number], '渝中税列〔2026〕1号');
}, 120_000);
afterAll(async () => t?.close());

describe('eligibility and bad applications', () => {
  it('says whether each record can be repaired now, and if not from when or why not', async () => {
    const h = await login(t, 'subject-a');
    const ok = await inject('GET', `/api/v1/repairs/eligibility?recordId=${ids.r1}`, h);
    expect(ok.body).toMatchObject({
      ownSubject: true,
      eligibility: { eligible: true, from: '2026-03-03' },
      free: true,
    });
    const target = ok.body.target as { label: string; labelEn: string };
    expect(target.label).toMatch(/^行政处罚信息 渝中市监罚〔2025〕\d+号（\d{4}-\d{2}-\d{2}）$/);
    expect(target.labelEn).toMatch(
      /^Administrative penalty decisions 渝中市监罚〔2025〕\d+号 \(\d{4}-\d{2}-\d{2}\)$/,
    );
    // Another subject probing the id learns the kind of information only, in both languages.
    const other = await inject(
      'GET',
      `/api/v1/repairs/eligibility?recordId=${ids.r1}`,
      await login(t, 'subject-b'),
    );
    expect(other.body).toMatchObject({
      ownSubject: false,
      target: { label: '行政处罚信息', labelEn: 'Administrative penalty decisions' },
    });
    const early = await inject('GET', `/api/v1/repairs/eligibility?recordId=${ids.r2}`, h);
    expect(early.body.eligibility).toMatchObject({ eligible: false, code: 'NOT_YET', from: '2026-07-01' });
    const heavy = await inject(
      'GET',
      `/api/v1/repairs/eligibility?recordId=${ids.r3}`,
      await login(t, 'subject-b'),
    );
    expect(heavy.body.eligibility).toMatchObject({
      eligible: false,
      code: 'NON_REPAIRABLE',
      rule: 'SAMR45-HEAVY',
    });
    const mine = await inject('GET', '/api/v1/me/records', h);
    expect(mine.status).toBe(200);
    const byId = new Map(
      (mine.body.records as { id: number; state: string; eligibility: { eligible: boolean } }[]).map((r) => [
        r.id,
        r,
      ]),
    );
    expect(byId.get(ids.r1 as number)).toMatchObject({ state: 'disclosed', eligibility: { eligible: true } });
    expect(byId.get(ids.r2 as number)?.eligibility.eligible).toBe(false);
  });

  it('refuses, with clear codes, repair too early, of non-repairable information, by someone else, by no one', async () => {
    const before = (await t.db.pool.query('SELECT count(*)::int AS n FROM repair_applications')).rows[0].n;
    const a = await login(t, 'subject-a');
    const b = await login(t, 'subject-b');
    const early = await inject('POST', '/api/v1/repairs', a, { recordId: ids.r2, statement: '已缴清罚款' });
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'REPAIR_TOO_EARLY', details: { from: '2026-07-01' } });
    expect((early.body.error as unknown as { messages: { 'zh-CN': string } }).messages['zh-CN']).toContain(
      '2026-07-01',
    );
    const heavy = await inject('POST', '/api/v1/repairs', b, { recordId: ids.r3, statement: '已缴清罚款' });
    expect(heavy.status).toBe(422);
    expect(heavy.body.error).toMatchObject({ code: 'NOT_REPAIRABLE', details: { rule: 'SAMR45-HEAVY' } });
    const other = await inject('POST', '/api/v1/repairs', b, { recordId: ids.r1, statement: '已缴清罚款' });
    expect(other.status).toBe(403);
    expect(other.body.error?.code).toBe('NOT_THE_SUBJECT');
    // An agent must name the subject it represents: probing ids reveals nothing.
    const probing = await inject('POST', '/api/v1/repairs', b, {
      recordId: ids.r1,
      statement: '代为申请',
      agent: { name: '李律师', subject: d.companies.c.uscc },
    });
    expect(probing.body.error?.code).toBe('NOT_THE_SUBJECT');
    const peek = await inject('GET', `/api/v1/repairs/eligibility?recordId=${ids.r1}`, b);
    expect(JSON.stringify(peek.body)).not.toContain('101号');
    // Nor does another department's officer; the deciding department and the administrator do.
    for (const [who, sees] of [
      ['officer-b', false],
      ['officer-a', true],
      ['admin', true],
    ] as const) {
      const res = await inject('GET', `/api/v1/repairs/eligibility?recordId=${ids.r1}`, await login(t, who));
      expect(res.status, who).toBe(200);
      expect(JSON.stringify(res.body).includes('101号'), who).toBe(sees);
    }
    const officer = await inject('POST', '/api/v1/repairs', await login(t, 'officer-a'), {
      recordId: ids.r1,
      statement: 'x1',
    });
    expect(officer.status).toBe(403);
    const anonymous = await inject('POST', '/api/v1/repairs', {}, { recordId: ids.r1, statement: 'x1' });
    expect(anonymous.status).toBe(401);
    const both = await inject('POST', '/api/v1/repairs', a, {
      recordId: ids.r1,
      entryId: ids.entry,
      statement: '已缴清罚款',
    });
    expect(both.body.error?.code).toBe('TARGET_REQUIRED');
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM repair_applications')).rows[0].n).toBe(
      before,
    );
  });
});

describe('a repair from application to the granted effects', () => {
  let app = 0;
  let code = '';

  it('drafts with the commitment letter, takes PDF/JPG and refuses executables, other types and large files', async () => {
    const h = await login(t, 'subject-a');
    const draft = await inject('POST', '/api/v1/repairs', h, {
      recordId: ids.r1,
      statement: '已缴清罚款并完成整改',
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    app = draft.body.id as number;
    const commitment = draft.body.commitment as { text: string; sha256: string };
    expect(commitment.text).toContain('承诺主体：重庆鸿药医药有限公司');
    expect(commitment.text).toContain('渝中市监罚〔2025〕101号');
    expect(commitment.text).toContain('2026年6月1日');
    expect(draft.body).toMatchObject({ status: 'draft', queryCode: null });
    // What it is about, in both languages (the English page shows the item's English name).
    expect(draft.body.target).toMatchObject({
      kind: 'record',
      label: '行政处罚信息 渝中市监罚〔2025〕101号（2025-03-03）',
      labelEn: 'Administrative penalty decisions 渝中市监罚〔2025〕101号 (2025-03-03)',
    });
    const again = await inject('POST', '/api/v1/repairs', h, { recordId: ids.r1, statement: '再次申请' });
    expect(again.body.error?.code).toBe('APPLICATION_EXISTS');

    const ok = await upload(h, app, [
      { filename: '缴款凭证.pdf', content: PDF },
      { filename: '整改照片.jpg', content: JPG },
    ]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.files.map((f: { mediaType: string }) => f.mediaType)).toEqual([
      'application/pdf',
      'image/jpeg',
    ]);
    expect(ok.body.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);

    const exe = await upload(h, app, [{ filename: '证明.pdf', content: EXE }]);
    expect([exe.status, exe.body.error.code]).toEqual([422, 'FILE_EXECUTABLE']);
    const txt = await upload(h, app, [
      { filename: 'note.txt', content: Buffer.from('just text, no magic bytes') },
    ]);
    expect([txt.status, txt.body.error.code]).toEqual([422, 'FILE_TYPE_NOT_ALLOWED']);
    const big = await upload(h, app, [
      { filename: 'big.pdf', content: Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]) },
    ]);
    expect([big.status, big.body.error.code]).toEqual([413, 'FILE_TOO_LARGE']);
    expect(big.body.error.details.filename).toBe('big.pdf');

    // 200 MB declared: refused before the body is read.
    const declared = await t.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${app}/files`,
      headers: {
        ...h,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(200 * 1024 * 1024),
      },
      payload: '--x--\r\n',
    });
    expect([declared.statusCode, declared.json().error.code]).toEqual([413, 'FILE_TOO_LARGE']);
    // 200 MB streamed without a length: refused once the 10 MB limit is passed (never held whole),
    // and the connection is closed behind the answer rather than read to its end.
    const boundary = 'streamedboundary';
    let sent = 0;
    const stream = new Readable({
      read() {
        if (sent === 0)
          this.push(
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
            ),
          );
        if (sent >= 200 * 1024 * 1024) {
          this.push(Buffer.from(`\r\n--${boundary}--\r\n`));
          return void this.push(null);
        }
        sent += 1024 * 1024;
        this.push(Buffer.alloc(1024 * 1024, 48));
      },
    });
    const streamed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${app}/files`,
      headers: { ...h, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: stream,
    });
    expect([streamed.statusCode, streamed.json().error.code]).toEqual([413, 'FILE_TOO_LARGE']);
    expect(streamed.headers.connection).toBe('close');
    const files = await t.db.pool.query(
      'SELECT count(*)::int AS n FROM repair_files WHERE application_id = $1',
      [app],
    );
    expect(files.rows[0].n).toBe(2);
  });

  it('refuses to submit without accepting the commitment, then submits: clock starts, query code issued', async () => {
    const h = await login(t, 'subject-a');
    const none = await inject('POST', `/api/v1/repairs/${app}/submit`, h, { acceptCommitment: false });
    expect([none.status, none.body.error?.code]).toEqual([422, 'COMMITMENT_REQUIRED']);
    const wrong = await inject('POST', `/api/v1/repairs/${app}/submit`, h, {
      acceptCommitment: true,
      commitmentSha256: '0'.repeat(64),
    });
    expect(wrong.body.error?.code).toBe('COMMITMENT_MISMATCH');
    const draft = await inject('GET', `/api/v1/repairs/${app}`, h);
    const sub = await inject('POST', `/api/v1/repairs/${app}/submit`, h, {
      acceptCommitment: true,
      commitmentSha256: (draft.body.commitment as { sha256: string }).sha256,
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    // Applied Mon 1 Jun 2026: 10 working days → Mon 15 Jun.
    expect(sub.body).toMatchObject({
      status: 'submitted',
      clock: {
        appliedOn: '2026-06-01',
        answerDue: '2026-06-15',
        pending: { stage: 'forward', overdue: false },
      },
    });
    code = sub.body.queryCode as string;
    expect(code).toMatch(/^XY-[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const ev = await t.db.pool.query(
      "SELECT payload FROM events WHERE type = 'repair.submitted' AND entity_id = $1",
      [String(app)],
    );
    expect(JSON.parse(ev.rows[0].payload)).toMatchObject({ due: '2026-06-15', status: 'submitted' });
    expect(ev.rows[0].payload).not.toContain(code);
  });

  it('lets anyone follow it by query code, with no personal data', async () => {
    const res = await inject('GET', `/api/v1/public/repairs/${code.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'submitted', answerDue: '2026-06-15', free: true });
    expect((res.body.information as { zh: string }).zh).toContain('行政处罚');
    const text = JSON.stringify(res.body);
    for (const personal of ['重庆鸿药', d.companies.a.uscc, '101号', '张三', '缴款凭证'])
      expect(text).not.toContain(personal);
    expect((await inject('GET', '/api/v1/public/repairs/XY-0000-0000-0000-0000')).body.error?.code).toBe(
      'QUERY_CODE_UNKNOWN',
    );
    expect((await inject('GET', '/api/v1/public/repairs/nonsense')).body.error?.code).toBe(
      'QUERY_CODE_INVALID',
    );
  });

  it('is forwarded by the platform, decided only by the deciding department, extended once', async () => {
    t.clock.now = at('2026-06-03T02:00:00Z');
    const admin = await login(t, 'admin');
    const queue = await inject('GET', '/api/v1/repairs/queue', admin);
    expect((queue.body as unknown as { id: number }[]).map((a) => a.id)).toContain(app);
    const queueReads = await t.db.pool.query<{ payload: string }>(
      "SELECT payload FROM events WHERE type = 'data.read' AND payload::jsonb->>'what' = 'repair_applications'",
    );
    expect(queueReads.rows.map((r) => JSON.parse(r.payload).detail.applications)).toContainEqual(
      expect.arrayContaining([app]),
    );
    const fwd = await inject('POST', `/api/v1/repairs/${app}/forward`, admin, { note: '材料齐全' });
    // Received Wed 3 Jun: 3 working days → Mon 8 Jun.
    expect(fwd.body).toMatchObject({
      status: 'forwarded',
      clock: { receivedOn: '2026-06-03', decideDue: '2026-06-08' },
    });
    const other = await inject('POST', `/api/v1/repairs/${app}/decision`, await login(t, 'reviewer-b'), {
      outcome: 'granted',
      reasons: '同意',
    });
    expect([other.status, other.body.error?.code]).toEqual([403, 'NOT_YOUR_DEPARTMENT']);
    const reviewer = await login(t, 'reviewer-a');
    const ext = await inject('POST', `/api/v1/repairs/${app}/extension`, reviewer, {
      reason: '需核实整改情况',
    });
    expect(ext.body).toMatchObject({ clock: { decideDue: '2026-06-11', extended: true } });
    const twice = await inject('POST', `/api/v1/repairs/${app}/extension`, reviewer, { reason: '再延期' });
    expect(twice.body.error?.code).toBe('EXTENSION_USED');
  });

  it('takes a late decision only with its reason, and records it as overdue', async () => {
    t.clock.now = at('2026-06-15T02:00:00Z');
    const reviewer = await login(t, 'reviewer-a');
    const late = await inject('POST', `/api/v1/repairs/${app}/decision`, reviewer, {
      outcome: 'granted',
      reasons: '已履行义务',
    });
    expect([late.status, late.body.error?.code]).toEqual([422, 'LATE_REASON_REQUIRED']);
    expect(late.body.error?.details).toMatchObject({ due: '2026-06-11', days: 2 });
    const overdueQueue = await inject('GET', '/api/v1/repairs/queue?overdue=true', reviewer);
    expect(
      (overdueQueue.body as unknown as { id: number; clock: { pending: { overdue: boolean } } }[]).find(
        (x) => x.id === app,
      )?.clock.pending.overdue,
    ).toBe(true);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/xinyong_remedies_overdue\{stage="decide"\} 1/);
  });

  it('applies every effect of a granted repair in one transaction', async () => {
    const a = d.companies.a;
    expect((await profileRecords(a.uscc)).map((r) => r.id)).toContain(ids.r1);
    expect((await check(a.uscc, 'GOV_PROCUREMENT')).json().outcome).toBe('restrict');
    expect((await check(a.uscc, 'GOV_FUNDS')).json().outcome).toBe('review');

    const reviewer = await login(t, 'reviewer-a');
    const res = await inject('POST', `/api/v1/repairs/${app}/decision`, reviewer, {
      outcome: 'granted',
      reasons: '已履行义务',
      lateReason: '节后核实延误',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: 'granted',
      decision: { late: true, lateReason: '节后核实延误' },
      effects: {
        recordStopped: ids.r1,
        sharingStopped: ids.r1,
        entriesEnded: [ids.entry],
        recomputeMarked: ['evaluation', 'report'],
      },
    });
    // Disclosure stopped (the record stays in the archive), sharing stopped, entry ended, marks set.
    const rec = await t.db.pool.query('SELECT stop_kind FROM records WHERE id = $1', [ids.r1]);
    expect(rec.rows[0].stop_kind).toBe('repaired');
    expect((await profileRecords(a.uscc)).map((r) => r.id)).not.toContain(ids.r1);
    const sharing = await t.db.pool.query('SELECT reason FROM record_sharing_stops WHERE record_id = $1', [
      ids.r1,
    ]);
    expect(sharing.rows[0].reason).toBe('repaired');
    const entry = await inject('GET', `/api/v1/list-entries/${ids.entry}`, await login(t, 'officer-b'));
    expect(entry.body).toMatchObject({ status: 'ended', endReason: 'repair' });
    const marks = await t.db.pool.query('SELECT reason, kinds FROM recompute_marks WHERE subject_id = $1', [
      a.id,
    ]);
    expect(marks.rows).toEqual([{ reason: 'repair_granted', kinds: ['evaluation', 'report'] }]);
    // Measures triggered only by it lift by themselves (computed from disclosure and entries).
    expect((await check(a.uscc, 'GOV_PROCUREMENT')).json().outcome).toBe('allow');
    expect((await check(a.uscc, 'GOV_FUNDS')).json().outcome).toBe('allow');
    // One request, one transaction: its events are contiguous and in order.
    const ev = await t.db.pool.query('SELECT seq, type FROM events WHERE request_id = $1 ORDER BY seq', [
      res.res.headers['x-request-id'],
    ]);
    expect(ev.rows.map((r) => r.type)).toEqual(['record.repaired', 'list_entry.ended', 'repair.granted']);
    expect(ev.rows[2].seq - ev.rows[0].seq).toBe(2);
    const status = await inject('GET', `/api/v1/public/repairs/${code}`);
    expect(status.body).toMatchObject({ status: 'granted', pending: null });
    expect((status.body.steps as { step: string; late: boolean }[]).map((s) => [s.step, s.late])).toEqual([
      ['submitted', false],
      ['forwarded', false],
      ['extended', false],
      ['granted', true],
    ]);
  });

  it('changes nothing at all when any effect fails (the transaction rolls back)', async () => {
    const c = d.companies.c;
    t.clock.now = at('2026-06-16T02:00:00Z');
    const agent = await login(t, 'subject-b');
    const draft = await inject('POST', '/api/v1/repairs', agent, {
      recordId: ids.r6,
      statement: '已缴清罚款',
      agent: { name: '李律师', subject: d.companies.c.uscc },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body.applicant).toEqual({ kind: 'agent', agentName: '李律师' });
    expect((draft.body.commitment as { text: string }).text).toContain('受托代理人：李律师');
    const id = draft.body.id as number;
    const sha = (draft.body.commitment as { sha256: string }).sha256;
    const noLetter = await inject('POST', `/api/v1/repairs/${id}/submit`, agent, {
      acceptCommitment: true,
      commitmentSha256: sha,
    });
    expect(noLetter.body.error?.code).toBe('AUTHORISATION_REQUIRED');
    expect(
      (await upload(agent, id, [{ filename: '授权委托书.pdf', content: PDF }], 'authorisation')).status,
    ).toBe(200);
    expect(
      (
        await inject('POST', `/api/v1/repairs/${id}/submit`, agent, {
          acceptCommitment: true,
          commitmentSha256: sha,
        })
      ).status,
    ).toBe(200);
    await inject('POST', `/api/v1/repairs/${id}/forward`, await login(t, 'admin'), {});

    await t.db.pool.query(
      `CREATE FUNCTION test_fail_marks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$`,
    );
    await t.db.pool.query(
      `CREATE TRIGGER test_fail_marks BEFORE INSERT ON recompute_marks FOR EACH ROW WHEN (NEW.subject_id = ${c.id}) EXECUTE FUNCTION test_fail_marks()`,
    );
    const eventsBefore = (await t.db.pool.query('SELECT max(seq)::int AS m FROM events')).rows[0].m;
    const failed = await inject('POST', `/api/v1/repairs/${id}/decision`, await login(t, 'reviewer-a'), {
      outcome: 'granted',
      reasons: '同意',
    });
    expect(failed.status).toBe(500);
    await t.db.pool.query('DROP TRIGGER test_fail_marks ON recompute_marks; DROP FUNCTION test_fail_marks()');
    expect(
      (await t.db.pool.query('SELECT stopped_at FROM records WHERE id = $1', [ids.r6])).rows[0].stopped_at,
    ).toBeNull();
    expect(
      (
        await t.db.pool.query('SELECT count(*)::int AS n FROM record_sharing_stops WHERE record_id = $1', [
          ids.r6,
        ])
      ).rows[0].n,
    ).toBe(0);
    expect(
      (await t.db.pool.query('SELECT status FROM repair_applications WHERE id = $1', [id])).rows[0].status,
    ).toBe('forwarded');
    // Only the logins' own events since.
    const after = await t.db.pool.query(
      "SELECT type FROM events WHERE seq > $1 AND type <> 'session.created'",
      [eventsBefore],
    );
    expect(after.rows.filter((r) => !r.type.startsWith('session') && !r.type.startsWith('user.'))).toEqual(
      [],
    );
    const retried = await inject('POST', `/api/v1/repairs/${id}/decision`, await login(t, 'reviewer-a'), {
      outcome: 'refused',
      reasons: '整改不到位',
    });
    expect(retried.body.status).toBe('refused');
  });

  it('lists what waits past its deadline, for the console and the metrics', async () => {
    t.clock.now = at('2026-06-16T03:00:00Z');
    const agent = await login(t, 'subject-b');
    const draft = await inject('POST', '/api/v1/repairs', agent, {
      recordId: ids.r7,
      statement: '已缴清',
      agent: { name: '李律师', subject: d.companies.c.uscc },
    });
    const id = draft.body.id as number;
    await upload(
      agent,
      id,
      [
        {
          filename: 'letter.png',
          content: Buffer.concat([
            Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
            Buffer.alloc(64),
          ]),
        },
      ],
      'authorisation',
    );
    await inject('POST', `/api/v1/repairs/${id}/submit`, agent, { acceptCommitment: true });
    // Submitted Tue 16 Jun; Fri 19 Jun is the Dragon Boat Festival: 10 working days → Wed 1 Jul.
    t.clock.now = at('2026-07-06T02:00:00Z');
    const admin = await login(t, 'admin');
    const overdue = (await inject('GET', '/api/v1/repairs/queue?overdue=true', admin)).body as unknown as {
      id: number;
      clock: { pending: { stage: string; due: string; workingDaysLate: number } };
    }[];
    expect(overdue.find((a) => a.id === id)?.clock.pending).toMatchObject({
      stage: 'forward',
      due: '2026-07-01',
      workingDaysLate: 3,
    });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/xinyong_remedies_overdue\{stage="forward"\} 1/);
  });
});

describe('objections', () => {
  let objection = 0;

  it('marks the record "under review" on its public page while the provider checks it', async () => {
    t.clock.now = at('2026-07-06T03:00:00Z');
    const a = d.companies.a;
    const h = await login(t, 'subject-a');
    const b = await login(t, 'subject-b');
    const notMine = await inject('POST', '/api/v1/objections', b, {
      recordId: ids.r5,
      ground: 'content',
      statement: '不是我',
    });
    expect(notMine.body.error?.code).toBe('NOT_THE_SUBJECT');
    const res = await inject('POST', '/api/v1/objections', h, {
      recordId: ids.r5,
      ground: 'content',
      statement: '罚款金额有误，应为 1000 元',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    objection = res.body.id as number;
    expect(res.body).toMatchObject({ status: 'open', openedOn: '2026-07-06', due: '2026-07-20' });
    const twice = await inject('POST', '/api/v1/objections', h, {
      recordId: ids.r5,
      ground: 'period',
      statement: '再提',
    });
    expect(twice.body.error?.code).toBe('OBJECTION_OPEN');
    const shown = (await profileRecords(a.uscc)).find((r) => r.id === ids.r5);
    expect(shown).toMatchObject({ disputed: true, version: 1 });
    const past = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/subjects/${a.uscc}?at=2026-07-01T00:00:00Z`,
    });
    expect(
      past
        .json()
        .categories.flatMap((c: { records: { id: number; disputed: boolean }[] }) => c.records)
        .find((r: { id: number }) => r.id === ids.r5).disputed,
    ).toBe(false);
    const queue = await inject('GET', '/api/v1/objections?status=open', await login(t, 'officer-a'));
    expect((queue.body as unknown as { id: number }[]).map((o) => o.id)).toContain(objection);
    // The queue names the contested record as the department knows it: item, document number, date.
    const queued = (queue.body as unknown as { id: number; record: { label: string } | null }[]).find(
      (o) => o.id === objection,
    );
    const doc = await t.db.pool.query<{ doc_no: string; d: string }>(
      'SELECT doc_no, decision_date::text AS d FROM records WHERE id = $1',
      [ids.r5],
    );
    expect(queued?.record?.label).toContain(`${doc.rows[0]?.doc_no}（${doc.rows[0]?.d}）`);
    // Reading the queue (grounds and statements of subjects) is recorded, naming the subjects.
    const reads = await t.db.pool.query<{ payload: string }>(
      "SELECT payload FROM events WHERE type = 'data.read' AND payload::jsonb->>'what' = 'objections'",
    );
    expect(reads.rows.map((r) => JSON.parse(r.payload).detail.objections)).toContainEqual(
      expect.arrayContaining([objection]),
    );
  });

  it('is answered by the provider with a correction (a new version); the outcome reaches the subject', async () => {
    const a = d.companies.a;
    const officerB = await login(t, 'officer-b');
    const wrongDept = await inject('POST', `/api/v1/objections/${objection}/resolution`, officerB, {
      outcome: 'confirmed',
      reasons: '维持',
    });
    expect(wrongDept.body.error?.code).toBe('NOT_YOUR_DEPARTMENT');
    t.clock.now = at('2026-07-21T02:00:00Z');
    const officer = await login(t, 'officer-a');
    const { penalty } = await import('./remedies.test-support');
    const correction = {
      payload: penalty(d, a, {
        CF_WSH: '渝中市监罚〔2026〕105号',
        CF_JDRQ: '2026-05-01',
        CF_NR: '罚款1000元',
        CF_NR_FK: '0.1',
      }),
    };
    const late = await inject('POST', `/api/v1/objections/${objection}/resolution`, officer, {
      outcome: 'corrected',
      reasons: '金额录入错误',
      correction,
    });
    expect(late.body.error?.code).toBe('LATE_REASON_REQUIRED');
    const res = await inject('POST', `/api/v1/objections/${objection}/resolution`, officer, {
      outcome: 'corrected',
      reasons: '金额录入错误，已更正',
      lateReason: '调取原始文书耗时',
      correction,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'corrected', resultVersion: 2, late: true });
    const shown = (await profileRecords(a.uscc)).find((r) => r.id === ids.r5);
    expect(shown).toMatchObject({ disputed: false, version: 2 });
    const mine = await inject('GET', '/api/v1/objections/mine', await login(t, 'subject-a'));
    expect(
      (mine.body as unknown as { id: number; outcome: string; outcomeReasons: string }[]).find(
        (o) => o.id === objection,
      ),
    ).toMatchObject({
      outcome: 'corrected',
      outcomeReasons: '金额录入错误，已更正',
    });
    const ev = await t.db.pool.query(
      "SELECT type FROM events WHERE (entity_type = 'objection' AND entity_id = $1) OR (entity_type = 'record' AND entity_id = $2) ORDER BY seq",
      [String(objection), String(ids.r5)],
    );
    expect(ev.rows.map((r) => r.type)).toEqual([
      'record.created',
      'objection.opened',
      'record.corrected',
      'objection.resolved',
    ]);
  });

  it('takes an objection to a refused repair, and overturning it grants the repair', async () => {
    const b = await login(t, 'subject-b');
    const refused = (await t.db.pool.query("SELECT id FROM repair_applications WHERE status = 'refused'"))
      .rows[0].id as number;
    // The refused application is company C's (filed by its agent): company B cannot object to it.
    const other = await inject('POST', '/api/v1/objections', b, {
      ground: 'repair_decision',
      applicationId: refused,
      statement: '已整改',
    });
    expect(other.body.error?.code).toBe('OBJECTION_APPLICATION_INVALID');
    const missing = await inject('POST', '/api/v1/objections', b, {
      ground: 'repair_decision',
      statement: '已整改',
    });
    expect(missing.body.error?.code).toBe('OBJECTION_APPLICATION_REQUIRED');

    const c = await login(t, 'subject-c');
    const res = await inject('POST', '/api/v1/objections', c, {
      ground: 'repair_decision',
      applicationId: refused,
      statement: '整改已到位，附验收意见',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ recordId: ids.r6, applicationId: refused, departmentId: d.market.id });
    const officer = await login(t, 'officer-a');
    const bad = await inject('POST', `/api/v1/objections/${res.body.id}/resolution`, officer, {
      outcome: 'corrected',
      reasons: '更正',
    });
    expect(bad.body.error?.code).toBe('OBJECTION_OUTCOME_INVALID');
    const done = await inject('POST', `/api/v1/objections/${res.body.id}/resolution`, officer, {
      outcome: 'overturned',
      reasons: '复核认为整改到位',
    });
    expect(done.body).toMatchObject({ status: 'closed', outcome: 'overturned' });
    expect(
      (await t.db.pool.query('SELECT status FROM repair_applications WHERE id = $1', [refused])).rows[0]
        .status,
    ).toBe('granted');
    expect(
      (await t.db.pool.query('SELECT stop_kind FROM records WHERE id = $1', [ids.r6])).rows[0].stop_kind,
    ).toBe('repaired');
  });
});

describe('the policy cache and the transaction of a change', () => {
  it('holds a changed policy once it commits, even if a read came in between', async () => {
    const onPool = () => ({ db: t.db.pool, actor: SYSTEM, requestId: 'x', now: t.clock.now });
    const before = await repairPolicy(onPool());
    try {
      await withTransaction(t.db.pool, async (tx) => {
        const ctx = { db: tx, actor: SYSTEM, requestId: 'x', now: t.clock.now };
        await setRepairPolicy(ctx, { ...before, decideDays: before.decideDays + 2 });
        // The transaction reads its own policy; another request, before the COMMIT, the old one.
        expect((await repairPolicy(ctx)).decideDays).toBe(before.decideDays + 2);
        expect((await repairPolicy(onPool())).decideDays).toBe(before.decideDays);
      });
      // Was the old policy for up to 30 s: the cache was dropped before COMMIT.
      expect((await repairPolicy(onPool())).decideDays).toBe(before.decideDays + 2);
    } finally {
      await withTransaction(t.db.pool, (tx) =>
        setRepairPolicy({ db: tx, actor: SYSTEM, requestId: 'x', now: t.clock.now }, before),
      );
    }
    expect((await repairPolicy(onPool())).decideDays).toBe(before.decideDays);
  });

  it('refuses a policy with malformed period classes and keeps the one in force', async () => {
    const onPool = () => ({ db: t.db.pool, actor: SYSTEM, requestId: 'x', now: t.clock.now });
    const before = await repairPolicy(onPool());
    const events = async () =>
      (await t.db.pool.query("SELECT count(*)::int AS n FROM events WHERE type = 'settings.updated'")).rows[0]
        .n as number;
    const n = await events();
    await expect(
      withTransaction(t.db.pool, (tx) =>
        setRepairPolicy(
          { db: tx, actor: SYSTEM, requestId: 'x', now: t.clock.now },
          { ...before, periods: {} as typeof before.periods },
        ),
      ),
    ).rejects.toMatchObject({ code: 'POLICY_INVALID' });
    expect(await events()).toBe(n);
    expect((await repairPolicy(onPool())).periods).toEqual(before.periods);
    const h = await login(t, 'subject-a');
    const ok = await inject('GET', `/api/v1/repairs/eligibility?recordId=${ids.r1}`, h);
    expect(ok.status).toBe(200);
  });
});
