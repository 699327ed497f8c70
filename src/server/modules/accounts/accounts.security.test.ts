import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { TEST_TOTP_SECRET, totpAt } from '../../../../test/support/totp';
import { SYSTEM } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { ADMIN, OFFICER, REVIEWER, createStaff } from '../../../../test/support/fixtures';
import { createApiKey, createDepartment, recordLoginFailure } from './accounts.service';
import { base32Encode, hotp, matchTotp, otpauthUri, totpCode } from './accounts.totp';

let t: TestApp;
let deptId = 0;

beforeAll(async () => {
  // This file logs in dozens of times from one address on purpose: the login rate limit is lifted.
  t = await createTestApp(undefined, { XINYONG_RATE_LOGIN_PER_MIN: '10000' });
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: t.clock.now };
    const dept = await createDepartment(ctx, {
      uscc: '11500103MB1234567X',
      name: '测试局',
      region: '500103',
    }).catch(() => createDepartment(ctx, { uscc: '91500103MA5U00003N', name: '测试局', region: '500103' }));
    deptId = dept.id;
    for (const staff of [
      { ...ADMIN, password: 'Admin-pass-2026' },
      { ...REVIEWER, password: 'Review-pass-2026', totp: false },
      { ...OFFICER, password: 'Officer-pass-2026', totp: false },
      { ...OFFICER, username: 'victim', displayName: 'V', password: 'Victim-pass-2026', totp: false },
    ])
      await createStaff(ctx, staff, dept.id);
  });
});
afterAll(async () => t?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });

async function session(username: string, password: string, totp?: string) {
  const res = await post('/api/v1/auth/login', { username, password, ...(totp ? { totp } : {}) });
  const c = res.cookies.find((x) => x.name === 'xy_session');
  return {
    res,
    headers: { cookie: `xy_session=${c?.value}`, 'x-csrf-token': res.json().csrfToken as string },
  };
}

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 reference vectors (6 digits)', () => {
    const key = Buffer.from('12345678901234567890', 'ascii');
    // Appendix B: 94287082, 07081804, 14050471, 89005924, 69279037, 65353130 (8 digits).
    const cases: Array<[number, string]> = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
      [20000000000, '353130'],
    ];
    for (const [secs, code] of cases) expect(hotp(key, Math.floor(secs / 30))).toBe(code);
    const secret = base32Encode(key);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(totpCode(secret, new Date(59_000))).toBe('287082');
  });

  it('accepts one step of drift and no more', () => {
    const at = new Date('2026-06-01T02:00:00Z');
    const prev = totpCode(TEST_TOTP_SECRET, new Date(at.getTime() - 30_000));
    const old = totpCode(TEST_TOTP_SECRET, new Date(at.getTime() - 90_000));
    expect(matchTotp(TEST_TOTP_SECRET, prev, at)).not.toBeNull();
    expect(matchTotp(TEST_TOTP_SECRET, old, at)).toBeNull();
    expect(matchTotp(TEST_TOTP_SECRET, 'abcdef', at)).toBeNull();
    expect(otpauthUri('JBSWY3DP', 'admin')).toBe(
      'otpauth://totp/Xinyong%3Aadmin?secret=JBSWY3DP&issuer=Xinyong&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('gives admins no session without a valid code', async () => {
    const none = await session('admin', 'Admin-pass-2026');
    expect(none.res.statusCode).toBe(401);
    expect(none.res.json().error.code).toBe('TOTP_REQUIRED');
    expect(none.res.cookies.find((c) => c.name === 'xy_session')).toBeUndefined();
    const wrong = await session(
      'admin',
      'Admin-pass-2026',
      '000000' === totpAt(t.clock.now) ? '111111' : '000000',
    );
    expect(wrong.res.json().error.code).toBe('TOTP_INVALID');
    const ok = await session('admin', 'Admin-pass-2026', totpAt(t.clock.now));
    expect(ok.res.statusCode).toBe(200);
  });

  it('makes a reviewer without a second factor enrol first, then confirms it by logging in', async () => {
    const first = await session('reviewer', 'Review-pass-2026');
    expect(first.res.json().error).toMatchObject({ code: 'TOTP_REQUIRED', details: { enrolled: false } });
    const badPw = await post('/api/v1/auth/totp/enrol', { username: 'reviewer', password: 'nope-nope-1' });
    expect(badPw.statusCode).toBe(401);
    const enrol = await post('/api/v1/auth/totp/enrol', {
      username: 'reviewer',
      password: 'Review-pass-2026',
    });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri: uri } = enrol.json() as { secret: string; otpauthUri: string };
    expect(uri).toMatch(/^otpauth:\/\/totp\/Xinyong%3Areviewer\?secret=[A-Z2-7]+&/);
    const ok = await session('reviewer', 'Review-pass-2026', totpCode(secret, t.clock.now));
    expect(ok.res.statusCode).toBe(200);
    // Enrolled now: re-enrolment needs the current code too.
    const again = await post('/api/v1/auth/totp/enrol', {
      username: 'reviewer',
      password: 'Review-pass-2026',
    });
    expect(again.json().error.code).toBe('TOTP_REQUIRED');
    const types = await t.db.pool.query("SELECT type FROM events WHERE type LIKE 'totp.%' ORDER BY seq");
    expect(types.rows.map((r) => r.type)).toEqual(['totp.enrolment_started', 'totp.enrolled']);
  });

  it('lets officers log in without a code', async () => {
    const ok = await session('officer', 'Officer-pass-2026');
    expect(ok.res.statusCode).toBe(200);
  });
});

describe('lockout', () => {
  it('locks a username after 5 failures in 15 minutes, the same for unknown names, and logs it', async () => {
    for (const name of ['victim', 'no-such-user']) {
      for (let i = 0; i < 5; i++) {
        const res = await session(name, 'wrong-pass-000');
        expect(res.res.json().error.code).toBe('LOGIN_FAILED');
      }
      const locked = await session(name, name === 'victim' ? 'Victim-pass-2026' : 'wrong-pass-000');
      expect(locked.res.statusCode).toBe(429);
      expect(locked.res.json().error.code).toBe('LOGIN_LOCKED');
    }
    const events = await t.db.pool.query(
      "SELECT entity_id FROM events WHERE type = 'security.login_locked' ORDER BY seq",
    );
    expect(events.rows.map((r) => r.entity_id)).toEqual(['victim', 'no-such-user']);
    t.clock.now = new Date(t.clock.now.getTime() + 16 * 60_000);
    const after = await session('victim', 'Victim-pass-2026');
    expect(after.res.statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('expire when idle', async () => {
    const s = await session('officer', 'Officer-pass-2026');
    t.clock.now = new Date(t.clock.now.getTime() + 20 * 60_000);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode,
    ).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 20 * 60_000); // 20 min after last use: alive
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode,
    ).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 31 * 60_000);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode,
    ).toBe(401);
  });

  it('are revoked by an administrator, and all die when a user is disabled', async () => {
    const admin = await session('admin', 'Admin-pass-2026', totpAt(t.clock.now));
    const a = await session('officer', 'Officer-pass-2026');
    const b = await session('officer', 'Officer-pass-2026');
    const me = (h: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h });
    const officerId = (await me(a.headers)).json().user.id as number;
    // The officer ends its other sessions: b dies, a lives.
    const own = await t.app.inject({ method: 'DELETE', url: '/api/v1/auth/sessions', headers: a.headers });
    expect(own.json().revoked).toBeGreaterThanOrEqual(1); // b, and earlier tests' idle sessions
    expect((await me(b.headers)).statusCode).toBe(401);
    expect((await me(a.headers)).statusCode).toBe(200);
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${officerId}/sessions`,
      headers: admin.headers,
    });
    expect(revoke.json()).toEqual({ revoked: 1 });
    expect((await me(a.headers)).statusCode).toBe(401);
    const c = await session('officer', 'Officer-pass-2026');
    const disable = await post(`/api/v1/users/${officerId}/disable`, {}, admin.headers);
    expect(disable.json().status).toBe('disabled');
    expect((await me(c.headers)).statusCode).toBe(401);
    expect((await session('officer', 'Officer-pass-2026')).res.statusCode).toBe(401);
    await post(`/api/v1/users/${officerId}/enable`, {}, admin.headers);
    expect((await session('officer', 'Officer-pass-2026')).res.statusCode).toBe(200);
    const types = await t.db.pool.query(
      "SELECT type FROM events WHERE type IN ('session.revoked_all', 'user.disabled', 'user.enabled') ORDER BY seq",
    );
    expect(types.rows.map((r) => r.type)).toEqual([
      'session.revoked_all',
      'session.revoked_all',
      'user.disabled',
      'user.enabled',
    ]);
  });
});

describe('API keys', () => {
  it('rotate with a grace period, and scopes are enforced', async () => {
    t.clock.now = new Date(t.clock.now.getTime() + 30_000); // the admin's last code was this step's
    const admin = await session('admin', 'Admin-pass-2026', totpAt(t.clock.now));
    const { key, info } = await withTransaction(t.db.pool, (tx) =>
      createApiKey(
        { db: tx, actor: SYSTEM, requestId: 'k', now: t.clock.now },
        { departmentId: deptId, name: 'sys', scopes: [] },
      ),
    );
    const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
    // No records:write scope: the write route refuses before reading the body.
    const write = await post('/api/v1/records', {}, bearer(key));
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('API_KEY_SCOPE_MISSING');
    const rotated = await post(`/api/v1/api-keys/${info.id}/rotate`, { graceHours: 1 }, admin.headers);
    expect(rotated.statusCode).toBe(201);
    const next = rotated.json() as { key: string; previous: { replacedBy: number; expiresAt: string } };
    expect(next.previous.replacedBy).toBeGreaterThan(info.id);
    const read = (k: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/records',
        headers: { ...bearer(k), 'x-purpose': 'key rotation test' },
      });
    expect((await read(key)).statusCode).toBe(200);
    expect((await read(next.key)).statusCode).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 61 * 60_000);
    expect((await read(key)).json().error.code).toBe('API_KEY_INVALID');
    expect((await read(next.key)).statusCode).toBe(200);
    const again = await post(`/api/v1/api-keys/${info.id}/rotate`, { graceHours: 1 }, { ...admin.headers });
    expect(again.statusCode).toBe(401); // the admin's session went idle over the hour
  });
});

describe('events only for changes', () => {
  const eventsOf = async (type: string, entityId: string | number) =>
    (
      await t.db.pool.query<{ payload: string }>(
        'SELECT payload FROM events WHERE type = $1 AND entity_id = $2 ORDER BY seq',
        [type, String(entityId)],
      )
    ).rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);

  it('logs every lock: also a new one when a lock shorter than the window ran out', async () => {
    // Locks of 5 minutes in a window of an hour: after the lock, the next failure locks again.
    const policy = { sessionHours: 8, maxFailures: 3, windowMinutes: 60, lockMinutes: 5 };
    let now = new Date(t.clock.now.getTime() + 120 * 60_000);
    const fail = (at: Date) =>
      withTransaction(t.db.pool, (tx) =>
        recordLoginFailure({ db: tx, actor: SYSTEM, requestId: 'relock', now: at }, 'relock-user', policy),
      );
    for (let i = 0; i < 3; i++) await fail(now);
    expect(await eventsOf('security.login_locked', 'relock-user')).toHaveLength(1);
    now = new Date(now.getTime() + 6 * 60_000);
    await fail(now);
    const locks = await eventsOf('security.login_locked', 'relock-user');
    expect(locks).toHaveLength(2);
    expect(locks[1]).toEqual({
      username: 'relock-user',
      failures: 4,
      lockedUntil: new Date(now.getTime() + 5 * 60_000).toISOString(),
    });
  });

  it('writes nothing when disabling a disabled user, revoking a revoked key or ending no sessions', async () => {
    t.clock.now = new Date(t.clock.now.getTime() + 30_000);
    const admin = await session('admin', 'Admin-pass-2026', totpAt(t.clock.now));
    const userId = await withTransaction(t.db.pool, (tx) =>
      createStaff(
        { db: tx, actor: SYSTEM, requestId: 'setup', now: t.clock.now },
        { ...OFFICER, username: 'twice', displayName: 'T', password: 'Twice-pass-2026', totp: false },
        deptId,
      ),
    );
    for (let i = 0; i < 2; i++) {
      const res = await post(`/api/v1/users/${userId}/disable`, {}, admin.headers);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('disabled');
    }
    expect(await eventsOf('user.disabled', userId)).toHaveLength(1);
    // It has no live session (disabled): ending them changes nothing.
    const none = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${userId}/sessions`,
      headers: admin.headers,
    });
    expect(none.json()).toEqual({ revoked: 0 });
    expect(await eventsOf('session.revoked_all', userId)).toHaveLength(0);
    const missing = await post('/api/v1/users/987654/disable', {}, admin.headers);
    expect(missing.json().error.code).toBe('USER_NOT_FOUND');

    const { info } = await withTransaction(t.db.pool, (tx) =>
      createApiKey(
        { db: tx, actor: SYSTEM, requestId: 'k', now: t.clock.now },
        { departmentId: deptId, name: 'twice', scopes: [] },
      ),
    );
    const first = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${info.id}`,
      headers: admin.headers,
    });
    expect(first.statusCode, first.body).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 1_000);
    const second = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${info.id}`,
      headers: admin.headers,
    });
    expect(second.statusCode).toBe(200);
    // The second answer shows the first revocation, unchanged.
    expect(second.json().revokedAt).toBe(first.json().revokedAt);
    expect(await eventsOf('apikey.revoked', info.id)).toHaveLength(1);
    const unknown = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/api-keys/987654',
      headers: admin.headers,
    });
    expect(unknown.json().error.code).toBe('API_KEY_NOT_FOUND');
  });
});
