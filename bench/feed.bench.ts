/**
 * Issue 6 benchmark: the change feed.
 *  1. pull throughput: every page of 1 000 over HTTP (signed events and page), against the same
 *     reads in plain SQL on a pool of the same size;
 *  2. projection fold rate (the expiry job's catch-up);
 *  3. webhook delivery rate to a local receiver;
 *  4. time from a granted repair (the decision request) to its event arriving at a subscriber.
 *
 *   npx tsx bench/feed.bench.ts [--events 200000] [--repairs 20] [--batch 100]
 *
 * Uses BENCH_DATABASE_URL (a server URL; database xy_bench_feed is recreated there), default the
 * local PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres. The log is filled by COPY with
 * events of the shapes the services write (subject.created, record.created) plus 20 % events the
 * feed skips (check.performed), because the feed is a function of the log alone.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { parseArgs } from '../src/cli/args';
import { canonicalJson } from '../src/domain/canonical-json';
import { makeUscc } from '../src/domain/identifiers';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { SYSTEM, type Ctx } from '../src/server/platform/context';
import { createPool, withTransaction } from '../src/server/platform/db';
import { migrate } from '../src/server/platform/migrate';
import { createDepartment, createUser } from '../src/server/modules/accounts';
import { totpCode } from '../src/server/modules/accounts/accounts.totp';
import { seedNationalCatalog, setProviders } from '../src/server/modules/catalog';
import { projectionRound, SOURCE_TYPES } from '../src/server/modules/feed';
import { seedListTypes } from '../src/server/modules/lists';
import { seedMeasures } from '../src/server/modules/measures';
import { submitRecords } from '../src/server/modules/records';
import { registerSubject } from '../src/server/modules/subjects';

const args = parseArgs(process.argv.slice(2), ['events', 'repairs', 'batch']);
const N_EVENTS = Number(args.flags.get('events') ?? 200_000);
const N_REPAIRS = Number(args.flags.get('repairs') ?? 20);
const POOL = 4;
const PAGE = 1000;
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'xy_bench_feed';
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PASS = 'bench-pass-2026';
const keys = {
  XINYONG_FIELD_KEY: Buffer.alloc(32, 3).toString('base64'),
  XINYONG_BLIND_INDEX_KEY: Buffer.alloc(32, 5).toString('base64'),
  XINYONG_SIGNING_KEY: Buffer.alloc(32, 11).toString('base64'),
};

function dbUrl(name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Appends synthetic events after the current head, by COPY (what appendEvents would have written). */
async function fillLog(pool: pg.Pool, n: number): Promise<void> {
  const client = await pool.connect();
  try {
    const head = Number(
      (await client.query('SELECT coalesce(max(seq), 0)::int8 AS m FROM events')).rows[0].m,
    );
    const at = new Date('2026-11-20T00:00:00Z').toISOString();
    function* rows(): Generator<string> {
      let subject = 1_000_000;
      let record = 1_000_000;
      for (let i = 1; i <= n; i++) {
        const seq = head + i;
        let type: string;
        let etype: string;
        let eid: number;
        let payload: unknown;
        if (i % 5 === 0) {
          type = 'check.performed';
          etype = 'check';
          eid = i;
          payload = { checkId: `c${i}`, outcome: 'allow', scenario: 'GOV_FUNDS' };
        } else if (i % 5 === 1) {
          subject++;
          type = 'subject.created';
          etype = 'subject';
          eid = subject;
          payload = {
            id: subject,
            type: 'ENTERPRISE',
            name: `重庆测试${subject}有限公司`,
            uscc: `91500103MA${subject}`,
            origin: 'bench',
          };
        } else {
          record++;
          type = 'record.created';
          etype = 'record';
          eid = record;
          payload = {
            id: record,
            subjectId: subject,
            departmentId: 1,
            itemCode: 'XZCF',
            itemVersion: 1,
            docNo: `渝中市监罚〔2026〕${record}号`,
            decisionDate: '2026-10-01',
            severity: 'GENERAL',
            windowFrom: '2026-10-01',
            windowUntil: '2027-10-01',
            payloadSha256: createHash('sha256').update(String(record)).digest('hex'),
          };
        }
        const text = canonicalJson(payload);
        const hash = createHash('sha256').update(text).digest('hex');
        const esc = text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
        yield `${seq}\t${at}\tsystem\tbench\t${type}\t${etype === 'check' ? '\\N' : subject}\t${etype}\t${eid}\t\\N\t${esc}\t\\\\x${hash}\n`;
      }
    }
    async function* chunks() {
      let buf = '';
      for (const r of rows()) {
        buf += r;
        if (buf.length > 1 << 20) {
          yield buf;
          buf = '';
        }
      }
      if (buf) yield buf;
    }
    await pipeline(
      Readable.from(chunks()),
      client.query(
        copyStreams.from(
          'COPY events (seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id, payload, payload_sha256) FROM STDIN',
        ),
      ),
    );
  } finally {
    client.release();
  }
}

interface Setup {
  repairRecords: number[];
  subjectId: number;
}

async function setup(pool: pg.Pool): Promise<Setup> {
  const now = new Date();
  return withTransaction(pool, async (tx) => {
    const ctx: Ctx = { db: tx, actor: SYSTEM, requestId: 'bench', now };
    await seedNationalCatalog(ctx);
    await seedListTypes(ctx);
    await seedMeasures(ctx);
    const market = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150002'),
      name: '重庆市渝中区市场监督管理局',
      region: '500103',
    });
    await setProviders(ctx, 'XZCF', [market.id]);
    const crypto = (await import('../src/server/platform/crypto')).createFieldCrypto(
      Buffer.from(keys.XINYONG_FIELD_KEY, 'base64'),
      Buffer.from(keys.XINYONG_BLIND_INDEX_KEY, 'base64'),
    );
    const uscc = makeUscc('91', '500103', 'MB900001');
    const s = await registerSubject(ctx, crypto, { uscc, name: '重庆修复测试有限公司', origin: 'registry' });
    await createUser(ctx, {
      username: 'subject',
      displayName: 's',
      password: PASS,
      roles: ['subject'],
      subjectId: s.id,
    });
    await createUser(ctx, {
      username: 'admin',
      displayName: 'a',
      password: PASS,
      roles: ['platform_admin'],
      totpSecret: TOTP,
    });
    await createUser(ctx, {
      username: 'reviewer',
      displayName: 'r',
      password: PASS,
      roles: ['dept_reviewer'],
      departmentId: market.id,
      totpSecret: TOTP,
    });
    const out = await submitRecords(
      ctx,
      crypto,
      market.id,
      Array.from({ length: N_REPAIRS }, (_, i) => ({
        itemCode: 'XZCF',
        severity: 'SERIOUS' as const,
        payload: {
          CF_XDR_MC: '重庆修复测试有限公司',
          CF_XDR_LB: '法人及非法人组织',
          CF_XDR_SHXYM: uscc,
          CF_FRDB: '张三',
          CF_WSH: `渝中市监罚〔2024〕${900 + i}号`,
          CF_WFXW: '销售过期食品',
          CF_SY: '经查',
          CF_YJ: '《中华人民共和国食品安全法》',
          CF_CFLB: ['罚款'],
          CF_NR: '罚款 200 万元',
          CF_NR_FK: '200',
          CF_JDRQ: '2024-06-01',
          CF_CFJG: market.name,
          CF_CFJGDM: market.uscc,
          CF_SJLY: market.name,
          CF_SJLYDM: market.uscc,
        },
      })),
    );
    return { repairRecords: out.map((o) => (o.outcome === 'created' ? o.recordId : 0)), subjectId: s.id };
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function request(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...headers,
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function login(port: number, username: string, totp: boolean): Promise<Record<string, string>> {
  const res = await request(
    port,
    'POST',
    '/api/v1/auth/login',
    {},
    { username, password: PASS, ...(totp ? { totp: totpCode(TOTP, new Date()) } : {}) },
  );
  if (res.status !== 200) throw new Error(`login ${username}: ${res.text}`);
  const cookie =
    String(res.headers['set-cookie']?.find((c) => c.startsWith('xy_session=')) ?? '').split(';')[0] ?? '';
  return { cookie, 'x-csrf-token': (JSON.parse(res.text) as { csrfToken: string }).csrfToken };
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(
    `CREATE DATABASE ${dbName} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  await admin.end();
  const pool = createPool(dbUrl(dbName), POOL);
  await migrate(pool);
  const s = await setup(pool);
  let t0 = performance.now();
  await fillLog(pool, N_EVENTS);
  await pool.query('ANALYZE events');
  console.log(
    `log: ${N_EVENTS.toLocaleString()} synthetic events by COPY in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // 2. Projection fold (what the expiry job does on a cold start).
  t0 = performance.now();
  let folded = 0;
  for (;;) {
    const r = await projectionRound(pool, new Date(), { wait: true, expire: false });
    folded += r.folded;
    if (r.folded === 0) break;
  }
  const foldS = (performance.now() - t0) / 1000;
  console.log(
    `projection fold: ${folded.toLocaleString()} events in ${foldS.toFixed(1)} s = ${Math.round(folded / foldS).toLocaleString()} events/s`,
  );

  Object.assign(process.env, {
    XINYONG_WEBHOOK_ALLOW_PRIVATE: '1',
    XINYONG_WEBHOOK_POLL_MS: '20',
    XINYONG_FEED_JOB_MS: '0',
    XINYONG_WEBHOOK_BATCH: String(args.flags.get('batch') ?? 100),
  });
  const config = loadConfig({
    ...keys,
    DATABASE_URL: dbUrl(dbName),
    XINYONG_RATE_LIMIT: '0',
    XINYONG_LOG_LEVEL: 'warn',
    XINYONG_DB_POOL: String(POOL),
  });
  const app = await buildApp({ config, pool });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;

  // 1. Pull throughput, pages of 1 000, following the cursor, against the raw reads. The second
  // pass is what readers following the log see: each event was signed once already.
  const pass = async (start = '') => {
    const lat: number[] = [];
    let events = 0;
    let bytes = 0;
    let after = start;
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    for (;;) {
      const t1 = performance.now();
      const res = await request(port, 'GET', `/api/v1/feed?limit=${PAGE}${after ? `&after=${after}` : ''}`);
      lat.push(performance.now() - t1);
      const page = JSON.parse(res.text) as { events: unknown[]; next: string; more: boolean };
      events += page.events.length;
      bytes += res.text.length;
      after = page.next;
      if (!page.more) break;
    }
    lat.sort((x, y) => x - y);
    const cpu = process.cpuUsage(cpu0);
    return {
      events,
      bytes,
      lat,
      seconds: (performance.now() - t) / 1000,
      cpuUsPerEvent: (cpu.user + cpu.system) / events,
    };
  };
  const cold = await pass();
  // Readers following the head: the last 40 000 log entries again, their events already signed.
  const head = Number((await pool.query('SELECT max(seq)::int8 AS m FROM events')).rows[0].m);
  const warm = await pass(
    (await import('../src/server/modules/feed')).cursorCodec(config.signingKey).encode(head - 40_000),
  );
  const events = cold.events;
  let raw = 0;
  let seq = 0;
  t0 = performance.now();
  for (;;) {
    const { rows } = await pool.query<{ seq: number }>(
      'SELECT seq, at, type, subject_id, entity_id, payload FROM events WHERE seq > $1 AND type = ANY($2::text[]) ORDER BY seq LIMIT $3',
      [seq, SOURCE_TYPES, PAGE],
    );
    raw += rows.length;
    if (rows.length < PAGE) break;
    seq = Number(rows[rows.length - 1]?.seq);
  }
  const rawS = (performance.now() - t0) / 1000;
  const rawRate = raw / rawS;
  for (const [name, r] of [
    ['cold', cold],
    ['warm', warm],
  ] as const) {
    const rate = r.events / r.seconds;
    console.log(
      `pull (${name}): ${r.events.toLocaleString()} events, ${r.lat.length} pages of ${PAGE}: ${Math.round(rate).toLocaleString()} events/s ` +
        `(page p50 ${ms(pct(r.lat, 50))}, p99 ${ms(pct(r.lat, 99))}, ${(r.bytes / r.events).toFixed(0)} B/event, ` +
        `${r.cpuUsPerEvent.toFixed(0)} µs CPU/event in this process); ratio to raw SQL ${(rate / rawRate).toFixed(2)}`,
    );
  }
  console.log(`raw SQL, same reads: ${Math.round(rawRate).toLocaleString()} events/s`);
  console.log(
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}`,
  );

  // 3. Webhook delivery rate to a local receiver.
  let received = 0;
  let lastAt = 0;
  const repaired = new Map<number, number>();
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const page = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        events: { type: string; record?: { id: number } }[];
      };
      received += page.events.length;
      lastAt = performance.now();
      for (const e of page.events)
        if (e.type === 'record.repaired' && e.record) repaired.set(e.record.id, performance.now());
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const adminH = await login(port, 'admin', true);
  t0 = performance.now();
  const sub = await request(port, 'POST', '/api/v1/feed/subscriptions', adminH, {
    url: hook,
    description: 'bench',
    from: 'beginning',
  });
  if (sub.status !== 201) throw new Error(sub.text);
  while (received < events) await new Promise((r) => setTimeout(r, 20));
  const pushS = (lastAt - t0) / 1000;
  console.log(
    `push: ${received.toLocaleString()} events in ${pushS.toFixed(1)} s = ${Math.round(received / pushS).toLocaleString()} events/s (batches of ${process.env.XINYONG_WEBHOOK_BATCH ?? 100})`,
  );

  // 4. Granted repair → event delivered to the subscriber.
  const subjectH = await login(port, 'subject', false);
  const ids: number[] = [];
  for (const recordId of s.repairRecords) {
    const d = await request(port, 'POST', '/api/v1/repairs', subjectH, { recordId, statement: '已缴清罚款' });
    const id = (JSON.parse(d.text) as { id: number }).id;
    await request(port, 'POST', `/api/v1/repairs/${id}/submit`, subjectH, { acceptCommitment: true });
    const f = await request(port, 'POST', `/api/v1/repairs/${id}/forward`, adminH, {});
    if (f.status !== 200) throw new Error(f.text);
    ids.push(id);
  }
  const reviewerH = await login(port, 'reviewer', true);
  const toDelivered: number[] = [];
  const decision: number[] = [];
  for (const [i, id] of ids.entries()) {
    const recordId = s.repairRecords[i] as number;
    const t = performance.now();
    const res = await request(port, 'POST', `/api/v1/repairs/${id}/decision`, reviewerH, {
      outcome: 'granted',
      reasons: '已履行',
    });
    decision.push(performance.now() - t);
    if (res.status !== 200) throw new Error(res.text);
    while (!repaired.has(recordId)) await new Promise((r) => setImmediate(r));
    toDelivered.push((repaired.get(recordId) as number) - t);
  }
  toDelivered.sort((a, b) => a - b);
  decision.sort((a, b) => a - b);
  console.log(
    `repair → delivered: ${toDelivered.length} repairs, p50 ${ms(pct(toDelivered, 50))}, p95 ${ms(pct(toDelivered, 95))}, max ${ms(toDelivered[toDelivered.length - 1] ?? NaN)} ` +
      `(the decision request alone: p50 ${ms(pct(decision, 50))})`,
  );

  receiver.close();
  await app.close();
  await pool.end();
  agent.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
