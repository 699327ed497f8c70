/**
 * Property-based fuzzing of the parsers that take outside input (issue 7, "Bad input"): JSON bodies
 * of write routes, query strings, feed cursors, proof requests, identifiers and uploaded files.
 * Nothing may answer 5xx, and every error is the coded body without a stack trace. Each property
 * is bounded in runs and in time, so the whole file stays around ten seconds of fuzzing.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkId, makeUscc } from '../src/domain/identifiers';
import { createApiKey } from '../src/server/modules/accounts';
import { registerSubject } from '../src/server/modules/subjects';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN, OFFICER, createOffice, inSetup, login as signIn } from './support/fixtures';

let t: TestApp;
let officer: Record<string, string> = {};
let admin: Record<string, string> = {};
let apiKey = '';
const company = makeUscc('91', '500103', 'MA5U0000');

/** Each property: at most `numRuns` cases and about `ms` milliseconds. */
const bounded = (numRuns: number, ms = 1500) => ({
  numRuns,
  interruptAfterTimeLimit: ms,
  seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
});

const login = (username: string, password: string) => signIn(t.app, username, password, t.clock);

const STACK_FRAME = /\bat [^\n]*\.(?:ts|js|mjs|cjs):\d+|node:internal|\/work\/|node_modules/;

/** Never 5xx; an error is `{ error: { code, message, messages, details }, requestId }` and no stack. */
function expectSafe(res: LightMyRequestResponse, what: string): void {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  expect(res.body, what).not.toMatch(STACK_FRAME);
  if (res.statusCode < 400) return;
  const body = res.json() as { error?: Record<string, unknown>; requestId?: unknown };
  expect(Object.keys(body).sort(), what).toEqual(['error', 'requestId']);
  expect(Object.keys(body.error ?? {}).sort(), what).toEqual(['code', 'details', 'message', 'messages']);
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  expect(body.error?.details).not.toHaveProperty('stack');
}

/**
 * Any string, made well-formed (lone surrogates cannot be percent-encoded). U+0000 included:
 * PostgreSQL text cannot hold it, and the server answers 400 (the tests at the end).
 */
const anyString = (maxLength = 80) =>
  fc.string({ unit: 'binary', maxLength }).map((s) => s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
const nasty = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  '[]',
  '{}',
  "'); DROP TABLE subjects;--",
  '<script>alert(1)</script>',
  '%00',
  '../../etc/passwd',
  '9'.repeat(400),
  '2026-02-30T25:61:61Z',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
);
const text = fc.oneof(anyString(), nasty);
const qs = (v: string) => encodeURIComponent(v);

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'), { XINYONG_RATE_LIMIT: '0' });
  await inSetup(
    t,
    async (ctx) => {
      const { dept } = await createOffice(ctx, {
        department: { name: '区市场监管局' },
        staff: [OFFICER, ADMIN],
      });
      await registerSubject(ctx, t.app.platform.crypto, {
        uscc: company,
        name: '重庆测试有限公司',
        origin: 'registry',
      });
      apiKey = (
        await createApiKey(ctx, {
          departmentId: dept.id,
          name: 'fuzz',
          scopes: ['records:write', 'subjects:write', 'checks'],
        })
      ).key;
    },
    new Date('2026-01-01T00:00:00Z'),
    'fuzz',
  );
  officer = await login('officer', 'officer-pass-1');
  admin = await login('admin', 'admin-pass-12');
});
afterAll(async () => t?.close());

// JSON values with the keys a route expects mixed in, so bodies get past the first checks.
function bodyFor(keys: readonly string[]) {
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), text);
  return fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 3,
      arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...keys), anyString(10)), value, { maxKeys: 8 }),
    },
    {
      weight: 3,
      arbitrary: fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }),
    },
  );
}

const PENALTY_KEYS = [
  'CF_XDR_MC',
  'CF_XDR_LB',
  'CF_XDR_SHXYM',
  'CF_WSH',
  'CF_JDRQ',
  'CF_CFLB',
  'CF_NR',
  'CF_NR_FK',
  'CF_CFJG',
  'CF_CFJGDM',
  'BZ',
];

describe('fuzzing the input parsers', () => {
  it('write routes answer random JSON bodies with a coded 4xx or success, never 5xx', async () => {
    const routes: Array<{ url: string; headers: () => Record<string, string>; body: fc.Arbitrary<unknown> }> =
      [
        {
          url: '/api/v1/records',
          headers: () => officer,
          body: fc.oneof(
            bodyFor(['itemCode', 'payload', 'severity', 'departmentId']),
            fc.record({ itemCode: fc.constantFrom('XZCF', 'XZXK', 'NOPE'), payload: bodyFor(PENALTY_KEYS) }),
          ),
        },
        {
          url: '/api/v1/records/batch',
          headers: () => ({ authorization: `Bearer ${apiKey}` }),
          body: bodyFor(['records', 'departmentId']),
        },
        {
          url: '/api/v1/subjects',
          headers: () => officer,
          body: bodyFor([
            'type',
            'uscc',
            'citizenId',
            'orgCode',
            'regNo',
            'name',
            'formerNames',
            'region',
            'legalRep',
            'status',
            'establishedOn',
          ]),
        },
        {
          url: '/api/v1/catalog/items',
          headers: () => admin,
          body: bodyFor([
            'code',
            'nameZh',
            'nameEn',
            'categoryCode',
            'legalBasis',
            'subjectTypes',
            'payloadSchema',
            'fieldVisibility',
            'severityRule',
          ]),
        },
        {
          url: '/api/v1/checks',
          headers: () => ({ authorization: `Bearer ${apiKey}` }),
          body: bodyFor(['subject', 'scenario', 'at']),
        },
      ];
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(route.body, async (body) => {
          const res = await t.app.inject({
            method: 'POST',
            url: route.url,
            headers: { ...route.headers(), 'content-type': 'application/json' },
            payload: JSON.stringify(body) ?? 'null',
          });
          expectSafe(res, `POST ${route.url} ${JSON.stringify(body)?.slice(0, 200)}`);
        }),
        bounded(40),
      );
    }
    // Not even JSON.
    await fc.assert(
      fc.asyncProperty(anyString(200), async (raw) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/subjects',
          headers: { ...officer, 'content-type': 'application/json' },
          payload: raw,
        });
        expectSafe(res, `raw body ${raw.slice(0, 100)}`);
      }),
      bounded(30, 800),
    );
  });

  it('public search and profile take any q and at', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.option(text, { nil: undefined }), async (q, at) => {
        const atPart = at === undefined ? '' : `&at=${qs(at)}`;
        expectSafe(
          await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects?q=${qs(q)}${atPart}` }),
          `search ${q} ${at}`,
        );
        const code = q === '' ? 'x' : q;
        expectSafe(
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/public/subjects/${qs(code)}${at === undefined ? '' : `?at=${qs(at)}`}`,
          }),
          `profile ${q} ${at}`,
        );
        expectSafe(
          await t.app.inject({ method: 'GET', url: `/api/v1/public/records?q=${qs(q)}${atPart}` }),
          `browse ${q}`,
        );
      }),
      bounded(60, 2500),
    );
  });

  it('checkId never throws, whatever the string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), nasty, fc.stringMatching(/^[0-9A-Z]{8,20}$/)),
        (s) => {
          const r = checkId(s);
          expect(typeof r.valid).toBe('boolean');
        },
      ),
      { numRuns: 3000, interruptAfterTimeLimit: 1000 },
    );
  });

  it('feed cursors: a random `after` is a 4xx, never a 5xx', async () => {
    const cursor = fc.oneof(
      text,
      fc.base64String({ maxLength: 64 }),
      fc.integer().map(String),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    );
    await fc.assert(
      fc.asyncProperty(cursor, async (after) => {
        expectSafe(
          await t.app.inject({ method: 'GET', url: `/api/v1/feed?after=${qs(after)}` }),
          `feed ${after}`,
        );
      }),
      bounded(60, 1500),
    );
  });

  it('proof requests with random integers and strings never fail the server', async () => {
    // Any integer or text, unsafe integers beyond 2^53 and int8 included (a 400, the tests at the end).
    const n = fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.maxSafeInteger(), fc.bigInt(), text);
    await fc.assert(
      fc.asyncProperty(n, n, async (a, b) => {
        const A = qs(String(a));
        const B = qs(String(b));
        expectSafe(
          await t.app.inject({ method: 'GET', url: `/api/v1/log/proof/inclusion?seq=${A}&treeSize=${B}` }),
          `inclusion ${a} ${b}`,
        );
        expectSafe(
          await t.app.inject({ method: 'GET', url: `/api/v1/log/proof/inclusion?seq=${A}` }),
          `inclusion ${a}`,
        );
        expectSafe(
          await t.app.inject({ method: 'GET', url: `/api/v1/log/proof/consistency?first=${A}&second=${B}` }),
          `consistency ${a} ${b}`,
        );
      }),
      bounded(50, 1500),
    );
  });

  it('uploaded files of random bytes are a coded error or rows, never a crash', async () => {
    const header = 'CF_XDR_MC,CF_XDR_SHXYM,CF_WSH,CF_JDRQ\n';
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      fc
        .array(fc.array(text, { maxLength: 5 }), { maxLength: 6 })
        .map((rows) => Buffer.from(header + rows.map((r) => r.join(',')).join('\n'))),
      anyString(300).map((s) => Buffer.from(`${header}${s}`)),
    );
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.constantFrom('x.csv', 'x.xlsx', 'x.ndjson', 'x'),
        fc.constantFrom('utf-8', 'gb18030', 'bogus'),
        async (bytes, name, encoding) => {
          const boundary = 'fuzzBoundary7MA4YWxkTrZu0gW';
          const payload = Buffer.concat([
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="itemCode"\r\n\r\nXZCF\r\n`),
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="encoding"\r\n\r\n${encoding}\r\n`,
            ),
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
            ),
            bytes,
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v1/ingest/batches',
            headers: { ...officer, 'content-type': `multipart/form-data; boundary=${boundary}` },
            payload,
          });
          expectSafe(res, `upload ${name} ${encoding} ${bytes.toString('hex').slice(0, 80)}`);
        },
      ),
      bounded(25, 2500),
    );
  });

  // Found by the properties above (fixed in the error handler: SQLSTATE class 22 is a 400).
  describe('inputs the database cannot hold are client errors', () => {
    it('a NUL character in a search query is a 400, not a 500', async () => {
      for (const url of ['/api/v1/public/subjects?q=%00%00', '/api/v1/public/records?q=%00%00']) {
        const res = await t.app.inject({ method: 'GET', url });
        expectSafe(res, url);
        expect(res.statusCode, url).toBe(400);
      }
    });
    it('a seq beyond 2^53 in a proof request is a 400, not a 500', async () => {
      for (const seq of ['9223372036854775801', '9223372328530555891', '1e309', '9'.repeat(400)]) {
        const url = `/api/v1/log/proof/inclusion?seq=${seq}`;
        const res = await t.app.inject({ method: 'GET', url });
        expectSafe(res, url);
        expect(res.statusCode, url).toBe(400);
      }
    });
  });
});
