import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/app';
import { TEST_KEYS, testConfig } from '../../../../test/support/app';
import { makeCitizenId } from '../../../domain/identifiers';
import { main } from '../../../cli/main';
import { buildApp } from '../../app';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { createApiKey } from '../accounts';
import { submitRecords } from '../records';
import {
  addPenalties,
  buildDistrict,
  createAppWith,
  login,
  penalty,
  type District,
} from '../remedies/remedies.test-support';
import { cursorCodec } from './feed.cursor';
import type { FeedEvent, FeedPage, TrustedKey } from './feed.sdk';
import { verifyFeedPage } from './feed.sdk';
import { feedRepo, type SubscriptionRow } from './feed.repository';
import { isPrivateAddress, PURPOSE_NOT_STATED, subscriptionView } from './feed.webhooks';

let t: TestApp;
let d: District;
let sharedKey = '';
let publicKey = '';
let keys: TrustedKey[] = [];
const at = (iso: string) => new Date(iso);
const person = makeCitizenId('500103', '19850612', '044');
const ids: Record<string, number> = {};

async function pull(query: string, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/feed${query}`, headers });
  return {
    status: res.statusCode,
    page: res.json() as FeedPage & { error?: { code: string } },
    raw: res.body,
  };
}

/** Every event from the beginning, `limit` at a time, following `next`. */
async function pullAll(
  limit: number,
  headers: Record<string, string> = {},
): Promise<{ events: FeedEvent[]; pages: number }> {
  const events: FeedEvent[] = [];
  let after = '';
  let pages = 0;
  for (;;) {
    const { page } = await pull(`?limit=${limit}${after ? `&after=${after}` : ''}`, headers);
    pages++;
    events.push(...page.events);
    after = page.next;
    if (!page.more) return { events, pages };
  }
}

/** Subscriptions stored and subscription events written (deliveries' read events aside). */
const subscriptionState = async () =>
  (
    await t.db.pool.query<{ subs: string; events: string }>(
      `SELECT (SELECT count(*) FROM webhook_subscriptions) AS subs,
              (SELECT count(*) FROM events WHERE type LIKE 'feed.subscription%') AS events`,
    )
  ).rows[0];

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Receiver {
  url: string;
  pages: FeedPage[];
  headers: IncomingMessage['headers'][];
  /** Status to answer with for the next request (then 200). */
  failures: number;
  server: Server;
}

async function receiver(failures: number): Promise<Receiver> {
  const r: Receiver = { url: '', pages: [], headers: [], failures, server: createServer() };
  r.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (r.failures > 0) {
        r.failures--;
        res.statusCode = 503;
        return res.end('try later');
      }
      r.pages.push(JSON.parse(body) as FeedPage);
      r.headers.push(req.headers);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((ok) => r.server.listen(0, '127.0.0.1', ok));
  const addr = r.server.address();
  r.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  return r;
}

const servers: Server[] = [];

beforeAll(async () => {
  process.env.XINYONG_WEBHOOK_ALLOW_PRIVATE = '1';
  process.env.XINYONG_WEBHOOK_POLL_MS = '50';
  process.env.XINYONG_WEBHOOK_BACKOFF_MS = '40';
  process.env.XINYONG_WEBHOOK_MAX_ATTEMPTS = '4';
  t = await createAppWith(at('2026-06-01T02:00:00Z'));
  d = await buildDistrict(t, at('2026-01-01T00:00:00Z'));
  const { a, b } = d.companies;
  [ids.r1, ids.r2, ids.r3] = (await addPenalties(t, d, at('2026-06-01T01:00:00Z'), [
    { company: a, docNo: '渝中市监罚〔2025〕201号', date: '2025-03-03', severity: 'SERIOUS' },
    { company: a, docNo: '渝中市监罚〔2026〕202号', date: '2026-04-01' },
    { company: b, docNo: '渝中市监罚〔2026〕203号', date: '2026-04-02' },
  ])) as [number, number, number];
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup-person', now: at('2026-06-01T01:30:00Z') };
    const [out] = await submitRecords(ctx, t.app.platform.crypto, d.market.id, [
      {
        itemCode: 'XZCF',
        payload: penalty(
          d,
          { id: 0, uscc: '', name: '王五' },
          {
            CF_XDR_LB: '自然人',
            CF_XDR_SHXYM: undefined,
            CF_XDR_ZJLX: '身份证',
            CF_XDR_ZJHM: person,
            CF_FRDB: undefined,
            CF_WSH: '渝中市监罚〔2026〕204号',
            CF_JDRQ: '2026-04-03',
          },
        ),
      },
    ]);
    if (out?.outcome !== 'created') throw new Error(JSON.stringify(out));
    ids.person = out.recordId;
    sharedKey = (
      await createApiKey(ctx, { departmentId: d.tax.id, name: 'agency mirror', scopes: ['feed:shared'] })
    ).key;
    publicKey = (await createApiKey(ctx, { departmentId: d.tax.id, name: 'plain', scopes: ['checks'] })).key;
  });
  const wk = await t.app.inject({ method: 'GET', url: '/.well-known/xinyong/log-keys' });
  keys = wk.json().keys;
}, 120_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await t?.close();
  for (const k of [
    'XINYONG_WEBHOOK_ALLOW_PRIVATE',
    'XINYONG_WEBHOOK_POLL_MS',
    'XINYONG_WEBHOOK_BACKOFF_MS',
    'XINYONG_WEBHOOK_MAX_ATTEMPTS',
  ])
    delete process.env[k];
});

describe('pull', () => {
  it('returns the changes in log order and resumes exactly from its cursor', async () => {
    const whole = await pull('?limit=1000');
    expect(whole.status).toBe(200);
    expect(whole.page.more).toBe(false);
    const seqs = whole.page.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    const types = new Set(whole.page.events.map((e) => e.type));
    expect(types).toEqual(new Set(['subject.created', 'record.created']));
    // Small pages, resumed by cursor, give exactly the same events.
    const paged = await pullAll(2);
    expect(paged.pages).toBeGreaterThan(3);
    expect(paged.events.map((e) => e.seq)).toEqual(seqs);
    expect(paged.events.map((e) => e.sig)).toEqual(whole.page.events.map((e) => e.sig));
    const created = whole.page.events.find((e) => e.type === 'record.created' && e.record?.id === ids.r1);
    expect(created?.record).toMatchObject({
      id: ids.r1,
      version: 1,
      state: 'disclosed',
      itemCode: 'XZCF',
      docNo: '渝中市监罚〔2025〕201号',
      disclosedUntil: '2028-03-03',
    });
  });

  it('leaves natural persons out of the public feed; a key with feed:shared sees them', async () => {
    const pub = await pull('?limit=1000', { authorization: `Bearer ${publicKey}` });
    expect(pub.page.scope).toBe('public');
    expect(pub.page.events.some((e) => e.record?.id === ids.person)).toBe(false);
    expect(pub.raw).not.toContain('王五');
    const key = { authorization: `Bearer ${sharedKey}` };
    // Shared data is non-public: a key states its purpose (X-Purpose), or is refused.
    const unstated = await pull('?limit=1000', key);
    expect([unstated.status, unstated.page.error?.code]).toEqual([400, 'PURPOSE_REQUIRED']);
    const shared = await pull('?limit=1000', { ...key, 'x-purpose': 'agency mirror sync' });
    expect(shared.page.scope).toBe('shared');
    expect(shared.page.events.find((e) => e.record?.id === ids.person)?.subject.type).toBe('NATURAL_PERSON');
  });

  it('refuses a forged cursor, an altered one and one from the future, each with its own code', async () => {
    const { page } = await pull('?limit=2');
    const altered = page.next.slice(0, -2) + (page.next.endsWith('AA') ? 'AB' : 'AA');
    for (const bad of [altered, 'garbage', '12345', 'A'.repeat(27)]) {
      const res = await pull(`?after=${encodeURIComponent(bad)}`);
      expect([res.status, res.page.error?.code]).toEqual([400, 'CURSOR_INVALID']);
    }
    const head = (await t.app.inject({ method: 'GET', url: '/api/v1/feed/head' })).json();
    const future = cursorCodec(t.config.signingKey).encode(head.seq + 1000);
    const res = await pull(`?after=${future}`);
    expect([res.status, res.page.error?.code]).toEqual([400, 'CURSOR_FROM_FUTURE']);
    const atHead = await pull(`?after=${head.cursor}`);
    expect(atHead.page).toMatchObject({ events: [], more: false, next: head.cursor });
  });
});

describe('signatures', () => {
  it('signs every event and every page with the published log key; any change is detected', async () => {
    const { page } = await pull('?limit=1000');
    expect(page.keyId).toBe(keys[0]?.keyId);
    expect(verifyFeedPage(page, { keys })).toMatchObject({ ok: true, events: page.events.length });

    const tampered = structuredClone(page);
    const ev = tampered.events.find((e) => e.record) as FeedEvent;
    (ev.record as { docNo: string }).docNo = '渝中市监罚〔2026〕999号';
    const r = verifyFeedPage(tampered, { keys });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.problem)).toEqual(
      expect.arrayContaining(['EVENT_SIGNATURE', 'PAGE_SIGNATURE']),
    );
    expect(r.problems.find((p) => p.problem === 'EVENT_SIGNATURE')?.seq).toBe(ev.seq);

    const dropped = structuredClone(page);
    dropped.events.splice(1, 1);
    expect(verifyFeedPage(dropped, { keys }).problems.map((p) => p.problem)).toEqual(['PAGE_SIGNATURE']);
    const reordered = structuredClone(page);
    [reordered.events[0], reordered.events[1]] = [
      reordered.events[1] as FeedEvent,
      reordered.events[0] as FeedEvent,
    ];
    expect(verifyFeedPage(reordered, { keys }).problems.map((p) => p.problem)).toContain('ORDER');
    const otherKey = [{ keyId: keys[0]?.keyId ?? '', publicKey: Buffer.alloc(32, 1).toString('base64') }];
    expect(verifyFeedPage(page, otherKey).ok).toBe(false);
  });

  it('verifies saved pages from the command line (xinyong verify-feed)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xy-feed-'));
    const { raw, page } = await pull('?limit=1000');
    writeFileSync(path.join(dir, 'page.json'), raw);
    writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ keys }));
    const tampered = structuredClone(page);
    (tampered.events[0] as FeedEvent).at = '2020-01-01T00:00:00.000Z';
    writeFileSync(path.join(dir, 'bad.ndjson'), `${raw}\n${JSON.stringify(tampered)}\n`);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(
      await main(['verify-feed', path.join(dir, 'page.json'), '--keys', path.join(dir, 'keys.json')], io),
    ).toBe(0);
    expect(out.join('\n')).toContain('OK');
    out.length = 0;
    expect(
      await main(['verify-feed', path.join(dir, 'bad.ndjson'), '--keys', path.join(dir, 'keys.json')], io),
    ).toBe(1);
    expect(out.join('\n')).toContain('EVENT_SIGNATURE');
  });

  it('verify-feed on the platform trusts its own signing keys, retired ones too, and invents none', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xy-feed-'));
    writeFileSync(path.join(dir, 'page.json'), (await pull('?limit=1000')).raw);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const run = async (env: Record<string, string>) => {
      const saved = { ...process.env };
      Object.assign(process.env, { DATABASE_URL: 'postgres://unused/xy', ...TEST_KEYS, ...env });
      out.length = 0;
      try {
        return await main(['verify-feed', path.join(dir, 'page.json')], io);
      } catch (err) {
        return String(err);
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    };
    // The page was signed with the test signing key: trusted while it is the current key ...
    expect(await run({})).toBe(0);
    // ... and after a rotation, as a previous key.
    const next = Buffer.alloc(32, 12).toString('base64');
    expect(
      await run({ XINYONG_SIGNING_KEY: next, XINYONG_SIGNING_KEY_PREVIOUS: TEST_KEYS.XINYONG_SIGNING_KEY }),
    ).toBe(0);
    // Another key alone does not vouch for it.
    expect(await run({ XINYONG_SIGNING_KEY: next })).toBe(1);
    expect(out.join('\n')).toContain('FAILED');
  });
});

describe('repairs, corrections and the consistency check', () => {
  it('carries a repair and withholds the repaired record from then on (it stops being shared)', async () => {
    const before = await pull('?limit=1000');
    const head = before.page.next;
    const h = await login(t, 'subject-a');
    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/v1/repairs',
      headers: h,
      payload: { recordId: ids.r1, statement: '已缴清罚款' },
    });
    const id = draft.json().id;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${id}/submit`,
      headers: h,
      payload: { acceptCommitment: true },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${id}/forward`,
      headers: await login(t, 'admin'),
      payload: {},
    });
    const decided = await t.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${id}/decision`,
      headers: await login(t, 'reviewer-a'),
      payload: { outcome: 'granted', reasons: '已履行' },
    });
    expect(decided.json().status).toBe('granted');

    const next = await pull(`?after=${head}&limit=1000`);
    expect(next.page.events.map((e) => e.type)).toEqual(['record.repaired']);
    expect(next.page.events[0]?.record).toEqual({
      id: ids.r1,
      version: 1,
      state: 'repaired',
      withheld: true,
    });
    const again = await pull('?limit=1000');
    const earlier = again.page.events.find((e) => e.type === 'record.created' && e.record?.id === ids.r1);
    expect(earlier?.record).toEqual({ id: ids.r1, version: 1, state: 'disclosed', withheld: true });
    expect(again.raw).not.toContain('渝中市监罚〔2025〕201号');
    expect(verifyFeedPage(again.page, { keys }).ok).toBe(true);
  });

  it('reports every difference between a subscriber’s copy and the platform', async () => {
    const { a, b } = d.companies;
    const officer = await login(t, 'officer-a');
    const corrected = await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${ids.r2}/corrections`,
      headers: officer,
      payload: {
        reason: '金额更正',
        payload: penalty(d, a, {
          CF_WSH: '渝中市监罚〔2026〕202号',
          CF_JDRQ: '2026-04-01',
          CF_NR: '罚款1500元',
          CF_NR_FK: '0.15',
        }),
      },
    });
    expect(corrected.json().version).toBe(2);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/feed/consistency',
      payload: {
        subjects: [a.uscc, `S${b.id}`],
        records: [
          { id: ids.r1, version: 1, state: 'disclosed' },
          { id: ids.r2, version: 1, state: 'disclosed' },
          { id: 999_999, version: 1, state: 'disclosed' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.consistent).toBe(false);
    const byRecord = new Map(body.differences.map((x: { recordId: number }) => [x.recordId, x]));
    expect(byRecord.get(ids.r1)).toMatchObject({
      kind: 'state',
      expected: { state: 'repaired' },
      action: 'remove',
    });
    expect(byRecord.get(ids.r2)).toMatchObject({
      kind: 'stale_version',
      expected: { version: 2, state: 'disclosed' },
      action: 'update',
    });
    expect(byRecord.get(ids.r3)).toMatchObject({ kind: 'missing', expected: { version: 1 }, action: 'add' });
    expect(byRecord.get(999_999)).toMatchObject({ kind: 'unknown', action: 'remove' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/feed/consistency',
      payload: { subjects: [a.uscc], records: [{ id: ids.r2, version: 2, state: 'disclosed' }] },
    });
    expect(ok.json()).toMatchObject({ consistent: true, differences: [] });
  });
});

describe('push (webhooks)', () => {
  it('delivers in order, at least once, to a subscriber that fails and then recovers', async () => {
    const rx = await receiver(3);
    servers.push(rx.server);
    const admin = await login(t, 'admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/feed/subscriptions',
      headers: admin,
      payload: { url: rx.url, description: '信用服务机构镜像', from: 'beginning' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const sub = res.json();
    const expected = (await pullAll(1000)).events.map((e) => e.seq);
    await until(async () =>
      rx.pages.flatMap((p) => p.events).some((e) => e.seq === expected[expected.length - 1]),
    );
    const received = rx.pages.flatMap((p) => p.events.map((e) => e.seq));
    // In order; every event at least once (a redelivery after a failure may repeat a batch).
    for (let i = 1; i < received.length; i++)
      expect(received[i]).toBeGreaterThanOrEqual(received[i - 1] as number);
    expect([...new Set(received)]).toEqual(expected);
    for (const p of rx.pages) expect(verifyFeedPage(p, { keys }).ok).toBe(true);
    expect(rx.headers[0]?.['x-xinyong-key-id']).toBe(keys[0]?.keyId);
    // The receiver sees a page before the worker commits its delivery record: wait for the record.
    const log = await until(async () => {
      const rows = (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/feed/subscriptions/${sub.id}/deliveries`,
          headers: admin,
        })
      ).json();
      return rows.some((l: { outcome: string }) => l.outcome === 'delivered') && rows;
    });
    const outcomes = log.map((l: { outcome: string }) => l.outcome).reverse();
    expect(outcomes.slice(0, 4)).toEqual(['failed', 'failed', 'failed', 'delivered']);
    expect(log.find((l: { outcome: string; statusCode: number }) => l.outcome === 'failed').statusCode).toBe(
      503,
    );

    // A new change is pushed promptly (the commit wakes the worker).
    const t0 = Date.now();
    await addPenalties(t, d, t.clock.now, [
      { company: d.companies.b, docNo: '渝中市监罚〔2026〕205号', date: '2026-05-20' },
    ]);
    await until(async () =>
      rx.pages.flatMap((p) => p.events).some((e) => e.record?.docNo === '渝中市监罚〔2026〕205号'),
    );
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('dead-letters a subscriber after repeated failures, and resumes it in order', async () => {
    const rx = await receiver(1_000);
    servers.push(rx.server);
    const admin = await login(t, 'admin');
    const sub = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/feed/subscriptions',
        headers: admin,
        payload: { url: rx.url, description: '总是失败', from: 'beginning' },
      })
    ).json();
    const dead = await until(async () => {
      const s = (
        await t.app.inject({ method: 'GET', url: `/api/v1/feed/subscriptions/${sub.id}`, headers: admin })
      ).json();
      return s.status === 'dead' ? s : undefined;
    });
    expect(dead).toMatchObject({ attempts: 4, cursorSeq: 0 });
    const log = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/feed/subscriptions/${sub.id}/deliveries`,
        headers: admin,
      })
    ).json();
    expect(log[0]).toMatchObject({ outcome: 'dead_letter', attempt: 4 });
    // Dead-lettering is a change of the subscription's state: logged with the stuck batch, in the
    // transaction that makes it, like the resume that undoes it.
    const lifecycle = async () =>
      (
        await t.db.pool.query<{ type: string; actor_kind: string; actor_id: string; payload: string }>(
          `SELECT type, actor_kind, actor_id, payload FROM events
            WHERE entity_type = 'webhook_subscription' AND entity_id = $1 ORDER BY seq`,
          [String(sub.id)],
        )
      ).rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    const deadEvents = (await lifecycle()).filter((e) => e.type === 'feed.subscription_dead_lettered');
    expect(deadEvents).toHaveLength(1);
    expect(deadEvents[0]).toMatchObject({
      actor_kind: 'system',
      actor_id: 'feed-delivery',
      payload: {
        id: sub.id,
        cursorSeq: 0,
        firstSeq: log[0].firstSeq,
        lastSeq: log[0].lastSeq,
        attempts: 4,
        statusCode: 503,
        error: 'HTTP 503',
      },
    });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/xinyong_webhook_dead_letters 1/);
    rx.failures = 0;
    const resumed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/feed/subscriptions/${sub.id}/resume`,
      headers: admin,
    });
    expect(resumed.json().status).toBe('active');
    await until(async () => rx.pages.length > 0 && rx.pages[rx.pages.length - 1]?.more === false);
    expect(rx.pages[0]?.events[0]?.seq).toBe((await pullAll(1000)).events[0]?.seq);
    // Resuming an active subscription, or disabling a disabled one, changes nothing: no event.
    const action = (what: 'resume' | 'disable') =>
      t.app.inject({ method: 'POST', url: `/api/v1/feed/subscriptions/${sub.id}/${what}`, headers: admin });
    expect((await action('resume')).json().status).toBe('active');
    expect((await action('disable')).json().status).toBe('disabled');
    expect((await action('disable')).json().status).toBe('disabled');
    expect((await lifecycle()).map((e) => e.type)).toEqual([
      'feed.subscription_created',
      'feed.subscription_dead_lettered',
      'feed.subscription_resumed',
      'feed.subscription_disabled',
    ]);
  });

  it('logs each delivery of shared data as a non-public read with the stated purpose; the subject sees it', async () => {
    const rx = await receiver(0);
    servers.push(rx.server);
    const purpose = '信用服务机构镜像共享信息，用于信用报告';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/feed/subscriptions',
      headers: { authorization: `Bearer ${sharedKey}` },
      payload: {
        url: rx.url,
        description: '共享镜像',
        scope: 'shared',
        purpose: ` ${purpose} `,
        from: 'beginning',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const sub = res.json() as { id: number; purpose: string; purposeStated: boolean };
    expect(sub).toMatchObject({ purpose, purposeStated: true });
    const stored = await t.db.pool.query<{ purpose: string }>(
      'SELECT purpose FROM webhook_subscriptions WHERE id = $1',
      [sub.id],
    );
    expect(stored.rows[0]?.purpose).toBe(purpose);
    const created = await t.db.pool.query<{ payload: string }>(
      `SELECT payload FROM events WHERE type = 'feed.subscription_created' AND entity_id = $1`,
      [String(sub.id)],
    );
    expect(JSON.parse(created.rows[0]?.payload ?? '{}')).toMatchObject({ scope: 'shared', purpose });
    await until(async () => rx.pages.flatMap((p) => p.events).some((e) => e.record?.id === ids.person));
    const personSubject = (
      await t.db.pool.query<{ s: number }>('SELECT subject_id::int4 AS s FROM records WHERE id = $1', [
        ids.person,
      ])
    ).rows[0]?.s;
    const reads = await until(async () => {
      const { rows } = await t.db.pool.query<{ actor_kind: string; payload: string }>(
        `SELECT actor_kind, payload FROM events
          WHERE type = 'data.read' AND (payload::jsonb -> 'detail' ->> 'subscription')::int = $1`,
        [sub.id],
      );
      return rows.length > 0 && rows;
    });
    const read = JSON.parse(reads[0]?.payload ?? '{}') as {
      what: string;
      route: string;
      subjectIds: number[];
      detail: { events: number };
    };
    expect(reads[0]?.actor_kind).toBe('system');
    expect(read).toMatchObject({ what: 'feed_shared', route: 'webhook delivery' });
    expect(reads.map((r) => (JSON.parse(r.payload) as { purpose: string | null }).purpose)).toEqual(
      reads.map(() => purpose),
    );
    expect(reads.flatMap((r) => (JSON.parse(r.payload) as { subjectIds: number[] }).subjectIds)).toContain(
      personSubject,
    );
    // The subject sees the deliveries that carried its data, with their purpose.
    const subject = await login(t, 'subject-a');
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/reads?limit=100', headers: subject });
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as {
      who: { kind: string; name: string; via?: string };
      purpose: string | null;
    }[];
    // Shown as the subscriber (the key that subscribed), not as the delivery worker.
    const keyName = (
      await t.db.pool.query<{ name: string }>(
        'SELECT k.name FROM api_keys k JOIN webhook_subscriptions w ON w.owner_key_id = k.id WHERE w.id = $1',
        [sub.id],
      )
    ).rows[0]?.name;
    const delivered = items.filter((i) => i.who.via === 'webhook' && i.purpose === purpose);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((i) => i.who.kind === 'apikey' && i.who.name === keyName)).toBe(true);
    expect(items.some((i) => i.who.name === 'feed-delivery')).toBe(false);
    // Deliveries of public data are no such read.
    const publicReads = await t.db.pool.query(
      `SELECT 1 FROM events e JOIN webhook_subscriptions w
           ON w.id = (e.payload::jsonb -> 'detail' ->> 'subscription')::int
        WHERE e.type = 'data.read' AND w.scope = 'public'`,
    );
    expect(publicReads.rowCount).toBe(0);

    // The owner changes the purpose: an event naming the previous one; later deliveries carry the new.
    const changed = '核对共享信息，用于授信审查';
    const put = (id: number, body: object, headers: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/feed/subscriptions/${id}/purpose`,
        headers,
        payload: body,
      });
    const own = { authorization: `Bearer ${sharedKey}` };
    const before = await subscriptionState();
    for (const bad of [{}, { purpose: 'ab' }, { purpose: '   ' }, { purpose: '用途\n换行' }]) {
      const r = await put(sub.id, bad, own);
      expect([JSON.stringify(bad), r.statusCode], r.body).toEqual([JSON.stringify(bad), 400]);
    }
    expect((await put(sub.id, { purpose: 'ab' }, own)).json().error.code).toBe('PURPOSE_REQUIRED');
    // Another key may not touch it.
    expect(
      (await put(sub.id, { purpose: changed }, { authorization: `Bearer ${publicKey}` })).statusCode,
    ).toBe(404);
    expect(await subscriptionState()).toEqual(before);
    const ok = await put(sub.id, { purpose: changed }, own);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ purpose: changed, purposeStated: true });
    // The same purpose again changes nothing.
    expect((await put(sub.id, { purpose: changed }, own)).statusCode).toBe(200);
    const changes = await t.db.pool.query<{ seq: string; actor_kind: string; payload: string }>(
      `SELECT seq, actor_kind, payload FROM events
        WHERE type = 'feed.subscription_purpose_changed' AND entity_id = $1`,
      [String(sub.id)],
    );
    expect(changes.rows.map((r) => [r.actor_kind, JSON.parse(r.payload)])).toEqual([
      ['apikey', { id: sub.id, purpose: changed, previous: purpose }],
    ]);
    // Deliveries committed after the change read the subscription after it (both lock its row).
    const changedAt = Number(changes.rows[0]?.seq);
    await addPenalties(t, d, t.clock.now, [
      { company: d.companies.a, docNo: '渝中市监罚〔2026〕206号', date: '2026-05-21' },
    ]);
    const later = await until(async () => {
      const { rows } = await t.db.pool.query<{ payload: string }>(
        `SELECT payload FROM events
          WHERE type = 'data.read' AND seq > $2 AND (payload::jsonb -> 'detail' ->> 'subscription')::int = $1`,
        [sub.id, changedAt],
      );
      return (
        rows.length > 0 && rows.map((r) => JSON.parse(r.payload) as { purpose: string; subjectIds: number[] })
      );
    });
    expect(later.map((r) => r.purpose)).toEqual(later.map(() => changed));
    expect(later.flatMap((r) => r.subjectIds)).toContain(d.companies.a.id);
  });

  it('refuses a shared subscription without a valid purpose, storing nothing; a public one needs none', async () => {
    const rx = await receiver(0);
    servers.push(rx.server);
    const admin = await login(t, 'admin');
    const shared = { authorization: `Bearer ${sharedKey}` };
    const plain = { authorization: `Bearer ${publicKey}` };
    const post = (headers: Record<string, string>, body: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/feed/subscriptions',
        headers,
        payload: { url: rx.url, description: '共享镜像', ...body },
      });
    const before = await subscriptionState();
    for (const [headers, body] of [
      [shared, { scope: 'shared' }],
      [shared, {}], // a key with feed:shared subscribes to the shared scope by default
      [shared, { scope: 'shared', purpose: 'abc' }],
      [shared, { scope: 'shared', purpose: 'x'.repeat(201) }],
      [shared, { scope: 'shared', purpose: '    ' }],
      [shared, { scope: 'shared', purpose: '用于\u0000核对' }],
      [admin, { scope: 'shared' }],
    ] as [Record<string, string>, Record<string, unknown>][]) {
      const res = await post(headers, body);
      expect([JSON.stringify(body), res.statusCode]).toEqual([JSON.stringify(body), 400]);
      const err = res.json().error;
      expect(err).toMatchObject({ code: 'PURPOSE_REQUIRED', details: { field: 'purpose' } });
      expect(err.messages['zh-CN']).toContain('purpose');
      expect(err.messages['zh-CN']).toContain('用途');
      expect(err.messages.en).toContain('purpose');
    }
    // Nothing stored, no event written.
    expect(await subscriptionState()).toEqual(before);

    // Public-scope subscriptions state none: a key without feed:shared, a key with it asking for
    // public data, the administrator (public by default). A purpose given there is ignored.
    const created: { id: number; scope: string; purpose: string | null }[] = [];
    for (const [headers, body] of [
      [plain, {}],
      [shared, { scope: 'public', purpose: 'ab' }],
      [admin, {}],
    ] as [Record<string, string>, Record<string, unknown>][]) {
      const res = await post(headers, body);
      expect(res.statusCode, res.body).toBe(201);
      created.push(res.json());
    }
    expect(created.map((c) => [c.scope, c.purpose])).toEqual([
      ['public', null],
      ['public', null],
      ['public', null],
    ]);
    // …and have no purpose to change.
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/feed/subscriptions/${created[0]?.id}/purpose`,
      headers: plain,
      payload: { purpose: '公开数据的用途' },
    });
    expect([put.statusCode, put.json().error.code]).toEqual([400, 'PURPOSE_NOT_APPLICABLE']);
    for (const c of created)
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/feed/subscriptions/${c.id}/disable`,
        headers: admin,
      });
  });

  it('gives shared subscriptions registered before purposes a placeholder that says so (migration 0029)', async () => {
    const sql = readFileSync(
      path.resolve(import.meta.dirname, '../../migrations/0029_feed_subscription_purpose.sql'),
      'utf8',
    );
    const client = await t.db.pool.connect();
    try {
      await client.query('BEGIN');
      // The table as it was before 0029, with one subscription of each scope.
      await client.query(
        'ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_purpose, DROP COLUMN purpose',
      );
      const { rows } = await client.query<{ id: number; scope: string }>(
        `INSERT INTO webhook_subscriptions (url, scope, description, owner_key_id, created_by, status, cursor_seq,
                                            next_attempt_at, created_at, updated_at)
         VALUES ('https://mirror.example.cn/a', 'shared', 'old', NULL, 'admin', 'disabled', 0, now(), now(), now()),
                ('https://mirror.example.cn/b', 'public', 'old', NULL, 'admin', 'disabled', 0, now(), now(), now())
         RETURNING id, scope`,
      );
      await client.query(sql);
      const after = await client.query<{ scope: string; purpose: string | null }>(
        'SELECT scope, purpose FROM webhook_subscriptions WHERE id = ANY($1::int8[]) ORDER BY id',
        [rows.map((r) => r.id)],
      );
      expect(after.rows).toEqual([
        { scope: 'shared', purpose: PURPOSE_NOT_STATED },
        { scope: 'public', purpose: null },
      ]);
      const view = subscriptionView(
        (await feedRepo.subscription(client, rows[0]?.id as number)) as SubscriptionRow,
        cursorCodec(t.app.platform.config.signingKey),
      );
      expect(view).toMatchObject({ purpose: PURPOSE_NOT_STATED, purposeStated: false });
      // From now on a shared subscription cannot be without one.
      await client.query('SAVEPOINT s');
      await expect(
        client.query(`UPDATE webhook_subscriptions SET purpose = NULL WHERE id = $1`, [rows[0]?.id]),
      ).rejects.toThrow(/webhook_subscriptions_purpose/);
      await client.query('ROLLBACK TO SAVEPOINT s');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('refuses private and loopback targets unless configured, and shared scope without the key scope', async () => {
    expect(isPrivateAddress('127.0.0.1')).toBe(true);
    expect(isPrivateAddress('10.2.3.4')).toBe(true);
    expect(isPrivateAddress('::1')).toBe(true);
    expect(isPrivateAddress('::ffff:192.168.1.1')).toBe(true);
    expect(isPrivateAddress('fd00::1')).toBe(true);
    expect(isPrivateAddress('169.254.169.254')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2400:3200::1')).toBe(false);
    // A second server process on the same database, with the default (private targets refused).
    delete process.env.XINYONG_WEBHOOK_ALLOW_PRIVATE;
    const strict = await buildApp({
      config: testConfig({ XINYONG_RATE_LIMIT: '0' }),
      pool: t.db.pool,
      clock: () => t.clock.now,
    });
    await strict.ready();
    try {
      const post = (url: string, headers: Record<string, string>) =>
        strict.inject({
          method: 'POST',
          url: '/api/v1/feed/subscriptions',
          headers,
          payload: { url, description: 'x1' },
        });
      const key = { authorization: `Bearer ${publicKey}` };
      for (const url of [
        'http://127.0.0.1:9/hook',
        'http://10.0.0.8/hook',
        'http://[::1]/hook',
        'http://169.254.169.254/latest',
        'http://localhost/hook',
      ]) {
        const res = await post(url, key);
        expect([res.statusCode, res.json().error.code], url).toEqual([422, 'WEBHOOK_URL_PRIVATE']);
      }
      expect((await post('ftp://example.org/x', key)).json().error.code).toBe('WEBHOOK_URL_INVALID');
      expect((await post('https://user:pw@example.org/x', key)).json().error.code).toBe(
        'WEBHOOK_URL_INVALID',
      );
      const shared = await strict.inject({
        method: 'POST',
        url: '/api/v1/feed/subscriptions',
        headers: key,
        payload: { url: 'https://93.184.215.14/hook', description: 'x1', scope: 'shared' },
      });
      expect([shared.statusCode, shared.json().error.code]).toEqual([403, 'SCOPE_NOT_ALLOWED']);
      const anonymous = await strict.inject({
        method: 'POST',
        url: '/api/v1/feed/subscriptions',
        payload: { url: 'https://93.184.215.14/hook', description: 'x1' },
      });
      expect(anonymous.statusCode).toBe(401);
    } finally {
      process.env.XINYONG_WEBHOOK_ALLOW_PRIVATE = '1';
      await strict.close();
    }
  });
});
