import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/app';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey } from '../accounts';
import {
  PDF,
  addPenalties,
  buildDistrict,
  createAppWith,
  listSubject,
  login,
  multipartBody,
  penalty,
  type District,
} from '../remedies/remedies.test-support';

/**
 * Every read of non-public data writes a `data.read` (or, for joint checks, `check.performed`)
 * event naming who, what, purpose and when; the subject sees the reads of its data at
 * `GET /api/v1/me/reads`.
 */
let t: TestApp;
let d: District;
let record = 0;
let entry = 0;
const at = (iso: string) => new Date(iso);

interface ReadEvent {
  type: string;
  actor_kind: string;
  actor_id: string | null;
  subject_id: number | null;
  at: Date;
  payload: {
    what?: string;
    subjectIds?: number[];
    purpose?: string | null;
    fields?: string[];
    detail?: Record<string, unknown>;
  };
}

async function readsAfter(seq: number): Promise<ReadEvent[]> {
  const { rows } = await t.db.pool.query(
    `SELECT type, actor_kind, actor_id, subject_id, at, payload FROM events
      WHERE seq > $1 AND type IN ('data.read', 'check.performed', 'list_entries.viewed') ORDER BY seq`,
    [seq],
  );
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload as string) })) as ReadEvent[];
}
const head = async () =>
  Number((await t.db.pool.query('SELECT coalesce(max(seq), 0) AS s FROM events')).rows[0].s);
const userId = async (username: string) =>
  String((await t.db.pool.query('SELECT id FROM users WHERE username = $1', [username])).rows[0].id);

beforeAll(async () => {
  t = await createAppWith(at('2026-06-01T02:00:00Z'));
  d = await buildDistrict(t, at('2026-01-01T00:00:00Z'));
  [record] = (await addPenalties(t, d, at('2026-06-01T01:00:00Z'), [
    { company: d.companies.a, docNo: '渝中市监罚〔2025〕201号', date: '2025-03-03', severity: 'SERIOUS' },
  ])) as [number];
  entry = await listSubject(t, 'TAX_MAJOR_VIOLATION', d.companies.a.uscc, [record], '渝中税列〔2026〕9号');
}, 120_000);
afterAll(async () => t?.close());

describe('non-public reads are events the subject sees', () => {
  it('logs rejected-row downloads of an upload', async () => {
    const officer = await login(t, 'officer-a');
    const lines = [
      JSON.stringify(penalty(d, d.companies.b, { CF_WSH: '渝中市监罚〔2026〕301号', CF_JDRQ: '2026-05-01' })),
      '{"not json',
    ].join('\n');
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { ...officer, 'content-type': 'application/x-ndjson' },
      payload: lines,
    });
    expect(up.statusCode, up.body).toBe(200);
    const batch = up.json().batchId as number;
    const before = await head();
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${batch}/rejected.csv`,
      headers: { ...officer, 'x-purpose': '更正后重新报送' },
    });
    expect(csv.statusCode).toBe(200);
    const [ev, ...rest] = await readsAfter(before);
    expect(rest).toEqual([]);
    expect(ev).toMatchObject({
      type: 'data.read',
      actor_kind: 'user',
      actor_id: await userId('officer-a'),
      payload: {
        what: 'ingest_rejected_rows',
        purpose: '更正后重新报送',
        detail: { batchId: batch, rows: 1 },
      },
    });
    expect(ev?.at.toISOString()).toBe(t.clock.now.toISOString());
    // Reading the rows (with their cells) is a read too.
    const rows = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingest/batches/${batch}/rows`,
      headers: officer,
    });
    expect(rows.statusCode).toBe(200);
    const [rowsRead] = (await readsAfter(before)).slice(1);
    expect(rowsRead).toMatchObject({
      actor_id: await userId('officer-a'),
      payload: { what: 'ingest_rows', detail: { batchId: batch, fromRow: 1, toRow: 2 } },
    });
    expect(rowsRead?.payload).toHaveProperty('recordIds');
  });

  it('logs list-entry reads, evidence downloads, shared feed pages and joint checks', async () => {
    const a = d.companies.a;
    const before = await head();
    // A department reads the entries (a list, then one entry).
    const reviewer = await login(t, 'reviewer-b');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/list-entries', headers: reviewer });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((e: { id: number }) => e.id)).toContain(entry);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/list-entries/${entry}`,
      headers: { ...reviewer, 'x-purpose': 'review the listing' },
    });
    expect(one.statusCode).toBe(200);

    // The subject applies for repair with evidence; the platform downloads it.
    const subject = await login(t, 'subject-a');
    const app = await t.app.inject({
      method: 'POST',
      url: '/api/v1/repairs',
      headers: subject,
      payload: { recordId: record, statement: '已缴清罚款' },
    });
    expect(app.statusCode, app.body).toBeLessThan(300);
    const appId = app.json().id as number;
    const body = multipartBody([
      { name: 'kind', value: 'evidence' },
      { name: 'file', filename: '缴款凭证.pdf', content: PDF, type: 'application/pdf' },
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${appId}/files`,
      headers: { ...subject, ...body.headers },
      payload: body.payload,
    });
    expect(up.statusCode, up.body).toBeLessThan(300);
    const fileId = (up.json().files as { id: number }[])[0]?.id as number;
    // The applicant's own download of its own file is not someone else's read.
    const ownDownload = await t.app.inject({
      method: 'GET',
      url: `/api/v1/repairs/${appId}/files/${fileId}`,
      headers: subject,
    });
    expect(ownDownload.statusCode).toBe(200);
    const admin = await login(t, 'admin');
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/v1/repairs/${appId}/files/${fileId}`,
      headers: admin,
    });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);

    // The administrator pulls the feed: shared scope.
    const feed = await t.app.inject({ method: 'GET', url: '/api/v1/feed?limit=500', headers: admin });
    expect(feed.statusCode).toBe(200);
    expect(feed.json().scope).toBe('shared');
    // A public pull reads public data only: no event.
    const publicFeed = await t.app.inject({ method: 'GET', url: '/api/v1/feed?limit=500' });
    expect(publicFeed.json().scope).toBe('public');
    // A consistency check in the shared scope is a read of the subjects it covers; a public one is not.
    for (const headers of [admin, {}]) {
      const consistency = await t.app.inject({
        method: 'POST',
        url: '/api/v1/feed/consistency',
        headers,
        payload: { subjects: [a.uscc], records: [] },
      });
      expect(consistency.statusCode, consistency.body).toBe(200);
    }

    // A joint check by a department system.
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      headers: { authorization: `Bearer ${d.checksKey}` },
      payload: { subject: a.uscc, scenario: 'GOV_PROCUREMENT' },
    });
    expect(check.statusCode, check.body).toBe(200);

    const events = await readsAfter(before);
    const byWhat = (w: string) => events.filter((e) => e.payload.what === w);
    const reviewerId = await userId('reviewer-b');
    const adminId = await userId('admin');
    expect(byWhat('list_entries')).toHaveLength(1);
    expect(byWhat('list_entries')[0]).toMatchObject({ actor_id: reviewerId });
    expect(byWhat('list_entries')[0]?.payload.subjectIds).toContain(a.id);
    expect(byWhat('list_entry')).toMatchObject([
      { actor_id: reviewerId, subject_id: a.id, payload: { purpose: 'review the listing' } },
    ]);
    expect(byWhat('repair_file')).toMatchObject([
      { actor_id: adminId, subject_id: a.id, payload: { fields: ['evidence_file'] } },
    ]);
    expect(byWhat('feed_shared')).toHaveLength(1);
    expect(byWhat('feed_shared')[0]).toMatchObject({ actor_id: adminId });
    expect(byWhat('feed_shared')[0]?.payload.subjectIds).toContain(a.id);
    expect(byWhat('feed_consistency')).toMatchObject([{ actor_id: adminId, subject_id: a.id }]);
    expect(events.filter((e) => e.type === 'check.performed')).toMatchObject([
      { actor_kind: 'apikey', subject_id: a.id },
    ]);

    // The subject sees each of them.
    const reads = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads?limit=100', headers: subject });
    expect(reads.statusCode).toBe(200);
    const items = reads.json().items as {
      type: string;
      who: { kind: string; name: string | null };
      purpose: string | null;
      fields: string[];
      at: string;
    }[];
    const seen = (pred: (i: (typeof items)[number]) => boolean) => items.filter(pred).length;
    expect(seen((i) => i.who.name === 'reviewer-b' && i.fields.includes('list_entry'))).toBe(2);
    expect(seen((i) => i.who.name === 'admin' && i.fields.includes('evidence_file'))).toBe(1);
    expect(seen((i) => i.who.name === 'admin' && i.fields.includes('shared'))).toBe(2); // the shared feed page and the consistency check
    expect(seen((i) => i.type === 'check.performed' && i.purpose === 'check:GOV_PROCUREMENT')).toBe(1);
    // A check names its scenario in both languages (the page shows the reader's).
    expect(items.find((i) => i.type === 'check.performed')).toMatchObject({
      scenario: { code: 'GOV_PROCUREMENT', nameZh: '参与政府采购', nameEn: 'Government procurement' },
    });
  });

  it('refuses an API key reading shared feed data or list entries without a purpose, and logs it with one', async () => {
    const sharedKey = await withTransaction(t.db.pool, async (tx) => {
      const ctx = { db: tx, actor: SYSTEM, requestId: 'purpose-setup', now: t.clock.now };
      return (await createApiKey(ctx, { departmentId: d.tax.id, name: 'mirror', scopes: ['feed:shared'] }))
        .key;
    });
    const shared = { authorization: `Bearer ${sharedKey}` };
    const tax = { authorization: `Bearer ${d.checksKey}` };
    const a = d.companies.a;
    const reads: [Record<string, string>, 'GET' | 'POST', string, Record<string, unknown>?][] = [
      [shared, 'GET', '/api/v1/feed?limit=500'],
      [shared, 'POST', '/api/v1/feed/consistency', { subjects: [a.uscc], records: [] }],
      [tax, 'GET', '/api/v1/list-entries'],
      [tax, 'GET', `/api/v1/list-entries/${entry}`],
      [tax, 'GET', `/api/v1/subjects/${a.uscc}/list-entries`],
    ];
    const send = (h: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: h, ...(payload ? { payload } : {}) });

    // Without a purpose, with one too short or with control characters: refused before anything
    // is read, nothing logged.
    const before = await head();
    for (const [h, method, url, payload] of reads)
      for (const bad of [
        {},
        { 'x-purpose': 'ab' },
        { 'x-purpose': encodeURIComponent('核查名单\n信息') },
      ] as Record<string, string>[]) {
        const res = await send({ ...h, ...bad }, method, url, payload);
        expect([url, res.statusCode]).toEqual([url, 400]);
        const err = res.json().error;
        expect(err.code).toBe('PURPOSE_REQUIRED');
        expect(err.messages['zh-CN']).toContain('X-Purpose');
        expect(err.messages.en).toContain('X-Purpose');
      }
    expect(await readsAfter(before)).toEqual([]);

    // With one (percent-encoded Chinese): served, and every read event carries it.
    const purpose = '核查名单信息用于联合惩戒';
    for (const [h, method, url, payload] of reads) {
      const res = await send({ ...h, 'x-purpose': encodeURIComponent(purpose) }, method, url, payload);
      expect([url, res.statusCode]).toEqual([url, 200]);
    }
    const logged = await readsAfter(before);
    expect(logged.map((e) => [e.type, e.payload.what ?? null, e.actor_kind, e.payload.purpose])).toEqual([
      ['data.read', 'feed_shared', 'apikey', purpose],
      ['data.read', 'feed_consistency', 'apikey', purpose],
      ['data.read', 'list_entries', 'apikey', purpose],
      ['data.read', 'list_entry', 'apikey', purpose],
      ['list_entries.viewed', null, 'apikey', purpose],
    ]);

    // Public reads need no purpose: anonymous, and a key without feed:shared reads the public feed.
    const publicFeed = await send(tax, 'GET', '/api/v1/feed?limit=500');
    expect(publicFeed.statusCode).toBe(200);
    expect(publicFeed.json().scope).toBe('public');
    for (const url of [
      '/api/v1/feed?limit=5',
      '/api/v1/public/lists/TAX_MAJOR_VIOLATION/entries?q=' + a.uscc,
      `/api/v1/public/subjects/${a.uscc}/list-entries`,
    ])
      expect([url, (await send({}, 'GET', url)).statusCode]).toEqual([url, 200]);
    const consistency = await send({}, 'POST', '/api/v1/feed/consistency', {
      subjects: [a.uscc],
      records: [],
    });
    expect(consistency.statusCode).toBe(200);
    expect((await readsAfter(before)).length).toBe(logged.length);

    // The subject sees the purpose of each read.
    const subject = await login(t, 'subject-a');
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads?limit=100', headers: subject });
    const items = mine.json().items as { who: { kind: string }; purpose: string | null }[];
    expect(items.filter((i) => i.who.kind === 'apikey' && i.purpose === purpose).length).toBe(5);
  });

  it('names the registered subjects of a batch check, and each sees it among the reads of its data', async () => {
    const { a, b } = d.companies;
    const before = await head();
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks/batch',
      headers: { authorization: `Bearer ${d.checksKey}` },
      payload: { subjects: [a.uscc, b.uscc, a.uscc, 'S999999'], scenario: 'GOV_PROCUREMENT' },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    const { rows } = await t.db.pool.query(
      "SELECT subject_id, payload FROM events WHERE seq > $1 AND type = 'check.batch_performed'",
      [before],
    );
    expect(rows).toHaveLength(1);
    // The ids of the registered subjects checked, once each; never the codes as sent.
    expect(JSON.parse(rows[0].payload as string)).toMatchObject({
      scenario: 'GOV_PROCUREMENT',
      subjectIds: [a.id, b.id].sort((x, y) => x - y),
    });
    expect(rows[0].subject_id).toBeNull();

    type Item = {
      seq: number;
      type: string;
      who: { kind: string };
      purpose: string | null;
      scenario?: object;
    };
    const readsOf = async (username: string): Promise<Item[]> => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me/reads?limit=100',
        headers: await login(t, username),
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Item[]).filter((i) => i.seq > before);
    };
    for (const username of ['subject-a', 'subject-b'])
      expect([username, await readsOf(username)]).toMatchObject([
        username,
        [
          {
            type: 'check.batch_performed',
            who: { kind: 'apikey' },
            purpose: 'check:GOV_PROCUREMENT',
            scenario: { code: 'GOV_PROCUREMENT', nameZh: '参与政府采购', nameEn: 'Government procurement' },
          },
        ],
      ]);
    // A subject not in the batch was not read.
    expect(await readsOf('subject-c')).toEqual([]);
  });

  it('refuses a malformed purpose on repair and objection reads; a console session may omit it', async () => {
    const admin = await login(t, 'admin');
    for (const url of ['/api/v1/repairs/queue', '/api/v1/objections']) {
      const bad = await t.app.inject({ method: 'GET', url, headers: { ...admin, 'x-purpose': 'ab' } });
      expect([url, bad.statusCode, bad.json().error?.code]).toEqual([url, 400, 'PURPOSE_REQUIRED']);
      const ok = await t.app.inject({ method: 'GET', url, headers: admin });
      expect([url, ok.statusCode]).toEqual([url, 200]);
    }
  });
});
