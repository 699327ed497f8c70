/**
 * Walks every registered route with every kind of caller and checks the answer against the route's
 * declared access — the single table that drives authorisation. Routes added later are covered
 * automatically: they cannot register without declaring access.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOTP_SECRET, loginBody } from './support/totp';
import { makeUscc } from '../src/domain/identifiers';
import { allows, type AccessEntry } from '../src/server/platform/auth';
import { SYSTEM, type Actor, type Role } from '../src/server/platform/context';
import { withTransaction } from '../src/server/platform/db';
import { createApiKey, createDepartment, createUser } from '../src/server/modules/accounts';
import { registerSubject } from '../src/server/modules/subjects';
import { createTestApp, type TestApp } from './support/app';

let t: TestApp;
type Caller = { name: string; actor: Actor; headers: Record<string, string> };
const callers: Caller[] = [];
const PASSWORD = 'matrix-pass-2026';

beforeAll(async () => {
  // Every caller is refused on purpose at most routes, all from one address: lift the budget for
  // failed authentications (test/ratelimit.test.ts tests it).
  t = await createTestApp(undefined, { XINYONG_RATE_AUTH_FAILURES_PER_MIN: '1000000' });
  let apiKey = '';
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'matrix', now: t.clock.now };
    const d = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150002'),
      name: '区市场监管局',
      region: '500103',
    });
    const s = await registerSubject(ctx, t.app.platform.crypto, {
      uscc: makeUscc('91', '500103', 'MA5U0000'),
      name: '重庆测试有限公司',
      origin: 'registry',
    });
    const roles: Array<[Role, number | null, number | null]> = [
      ['platform_admin', null, null],
      ['dept_officer', d.id, null],
      ['dept_reviewer', d.id, null],
      ['auditor', null, null],
      ['subject', null, s.id],
    ];
    // User 1 is a bystander: routes on `/users/:id` (disable, revoke sessions) hit it, not a caller.
    await createUser(ctx, {
      username: 'u-bystander',
      displayName: 'bystander',
      password: PASSWORD,
      roles: ['dept_officer'],
      departmentId: d.id,
    });
    for (const [role, departmentId, subjectId] of roles)
      await createUser(ctx, {
        totpSecret: TEST_TOTP_SECRET,
        username: `u-${role}`,
        displayName: role,
        password: PASSWORD,
        roles: [role],
        departmentId,
        subjectId,
      });
    apiKey = (await createApiKey(ctx, { departmentId: d.id, name: 'matrix', scopes: ['records:write'] })).key;
  });
  callers.push({ name: 'anonymous', actor: { kind: 'public' }, headers: {} });
  callers.push({
    name: 'apikey',
    actor: { kind: 'apikey', keyId: 1, departmentId: 1, scopes: [] },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  for (const role of ['dept_officer', 'dept_reviewer', 'auditor', 'subject', 'platform_admin'] as Role[]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: loginBody(`u-${role}`, PASSWORD, t.clock.now),
    });
    const cookie = res.cookies.find((c) => c.name === 'xy_session');
    callers.push({
      name: role,
      actor: { kind: 'user', userId: 0, username: role, roles: [role], departmentId: null },
      headers: { cookie: `xy_session=${cookie?.value}`, 'x-csrf-token': res.json().csrfToken },
    });
  }
});
afterAll(async () => t?.close());

function concrete(url: string): string {
  return url
    .replace(/:id\b/g, '1')
    .replace(/:seq\b/g, '1')
    .replace(/:date\b/g, '2026-01-05')
    .replace(/:ref\b/g, 'S1')
    .replace(/:[A-Za-z]+/g, 'X1')
    .replace(/\*/g, 'x');
}

// Routes that end the caller's own session run last so the other routes see a live session.
const LAST = new Set(['POST /api/v1/auth/logout']);

describe('route × role access matrix', () => {
  it('every route answers every caller as its declared access says', async () => {
    const table: AccessEntry[] = [...t.app.accessTable].sort(
      (a, b) => Number(LAST.has(`${a.method} ${a.url}`)) - Number(LAST.has(`${b.method} ${b.url}`)),
    );
    expect(table.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const caller of callers) {
      for (const route of table) {
        if (route.url === '/metrics' || route.url.startsWith('/api/docs')) continue;
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: { ...caller.headers, 'content-type': 'application/json' },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '{}' }),
        });
        const code = res.headers['content-type']?.toString().includes('json')
          ? (res.json()?.error?.code as string | undefined)
          : undefined;
        const denied = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
        const allowed = allows(route.access, caller.actor);
        if (allowed && denied)
          failures.push(
            `${caller.name} ${route.method} ${route.url}: denied (${res.statusCode}) but declared ${route.access}`,
          );
        if (!allowed && !denied)
          failures.push(
            `${caller.name} ${route.method} ${route.url}: ${res.statusCode} ${code ?? ''} but declared ${route.access}`,
          );
        if (!allowed && caller.name === 'anonymous' && res.statusCode !== 401)
          failures.push(`anonymous ${route.method} ${route.url}: ${res.statusCode}, expected 401`);
        if (!allowed && caller.name !== 'anonymous' && res.statusCode !== 403)
          failures.push(`${caller.name} ${route.method} ${route.url}: ${res.statusCode}, expected 403`);
        // The web app's page answers 503 "not built" while web-dist/ is missing — in a fresh clone,
        // or while the browser tests rebuild it next to this test: its deliberate answer, not a crash.
        const notBuilt =
          route.url === '/*' && res.statusCode === 503 && res.body.includes('web app not built');
        if (res.statusCode >= 500 && !notBuilt)
          failures.push(
            `${caller.name} ${route.method} ${route.url}: server error ${res.statusCode} ${res.body.slice(0, 200)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('matches the reviewed table in test/fixtures/access-table.txt', () => {
    // Who may call what is decided in review, not by whoever adds or edits a route: any change to a
    // route's access or scopes (a route widened to `public`, a new route) fails here until the
    // reviewed copy is updated with it. XINYONG_UPDATE_ACCESS_TABLE=1 rewrites the copy.
    const lines = [...t.app.accessTable]
      .map(
        (e) =>
          `${e.method} ${e.url}  ${[...e.access].sort().join(',')}${e.scopes ? `  scopes=${[...e.scopes].sort().join(',')}` : ''}`,
      )
      .sort();
    const file = new URL('./fixtures/access-table.txt', import.meta.url);
    const header =
      '# Every route: METHOD url, who may call it, API-key scopes. Reviewed; see test/access-matrix.test.ts.\n';
    if (process.env.XINYONG_UPDATE_ACCESS_TABLE === '1')
      writeFileSync(file, header + lines.join('\n') + '\n');
    const reviewed = existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('#'))
      : [];
    const added = lines.filter((l) => !reviewed.includes(l));
    const removed = reviewed.filter((l) => !lines.includes(l));
    expect({ added, removed }).toEqual({ added: [], removed: [] });
  });

  it('refuses to register a route that declares no access', async () => {
    const Fastify = (await import('fastify')).default;
    const { installAccessControl } = await import('../src/server/platform/auth');
    const app = Fastify();
    installAccessControl(app, async () => ({ kind: 'public' }));
    expect(() => app.get('/undeclared', async () => 'x')).toThrow(/declares no access/);
    await app.close();
  });

  it('sends security headers, and keeps answers for logged-in callers out of shared caches', async () => {
    const pub = await t.app.inject({ method: 'GET', url: '/api/v1/public/stats' });
    expect(pub.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    expect(pub.headers['cache-control']).toBeUndefined();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: loginBody('u-platform_admin', PASSWORD, t.clock.now),
    });
    const cookie = `xy_session=${login.cookies.find((c) => c.name === 'xy_session')?.value}`;
    const priv = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } });
    expect(priv.statusCode).toBe(200);
    expect(priv.headers['cache-control']).toBe('no-store');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ROUTE_NOT_FOUND');
  });
});
