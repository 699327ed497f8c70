import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, OFFICER, createStaff } from '../../../../test/support/fixtures';
import { loginBody } from '../../../../test/support/totp';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { withTransaction } from '../../platform/db';
import { SYSTEM } from '../../platform/context';
import { createDepartment } from './accounts.service';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: t.clock.now };
    const dept = await createDepartment(ctx, {
      uscc: '11500103MB1234567X',
      name: '测试局',
      region: '500103',
    }).catch(async () =>
      createDepartment(ctx, { uscc: '91500103MA5U00003N', name: '测试局', region: '500103' }),
    );
    await createStaff(ctx, { ...ADMIN, displayName: '管理员', password: 'Admin-pass-2026' });
    await createStaff(ctx, { ...OFFICER, displayName: '数据员', password: 'Officer-pass-2026' }, dept.id);
  });
});
afterAll(async () => t?.close());

async function login(username: string, password: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody(username, password, t.clock.now),
  });
  const cookie = res.cookies.find((c) => c.name === 'xy_session');
  return { res, cookie: cookie ? `xy_session=${cookie.value}` : '', csrf: res.json().csrfToken as string };
}

describe('accounts', () => {
  it('logs in with the right password and refuses the wrong one', async () => {
    const ok = await login('admin', 'Admin-pass-2026');
    expect(ok.res.statusCode).toBe(200);
    expect(ok.res.json().user.roles).toEqual(['platform_admin']);
    const bad = await login('admin', 'wrong-pass-1');
    expect(bad.res.statusCode).toBe(401);
    expect(bad.res.json().error.code).toBe('LOGIN_FAILED');
    const nobody = await login('nobody', 'wrong-pass-1');
    expect(nobody.res.json().error.code).toBe('LOGIN_FAILED');
  });

  it('denies by default: anonymous, wrong role, and missing CSRF token', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/users' });
    expect(anon.statusCode).toBe(401);
    const officer = await login('officer', 'Officer-pass-2026');
    const asOfficer = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: officer.cookie },
    });
    expect(asOfficer.statusCode).toBe(403);
    const admin = await login('admin', 'Admin-pass-2026');
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { cookie: admin.cookie },
      payload: { uscc: '914403001922038216', name: '某部门', region: '440300' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
  });

  it('creates departments with validated codes and bilingual errors', async () => {
    const admin = await login('admin', 'Admin-pass-2026');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { ...headers, 'accept-language': 'en' },
      payload: { uscc: '914403001922038217', name: '某部门', region: '440300' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_USCC');
    expect(bad.json().error.details.field).toBe('uscc');
    expect(bad.json().error.messages['zh-CN']).toMatch(/统一社会信用代码/);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers,
      payload: { uscc: '914403001922038216', name: '某部门', region: '440300' },
    });
    expect(ok.statusCode).toBe(201);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers,
      payload: { uscc: '914403001922038216', name: '某部门', region: '440300' },
    });
    expect(dup.statusCode).toBe(409);
    const events = await t.db.pool.query("SELECT type FROM events WHERE type = 'department.created'");
    expect(events.rowCount).toBe(2);
  });

  it('authenticates department systems by API key, and refuses revoked keys', async () => {
    const admin = await login('admin', 'Admin-pass-2026');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers,
      payload: { departmentId: 1, name: '业务系统', scopes: ['records:write'] },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json().key as string;
    const withKey = await t.app.inject({
      method: 'GET',
      url: '/api/v1/departments',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(withKey.statusCode).toBe(403); // departments list is for logged-in users, not keys
    await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.json().info.id}`, headers });
    const revoked = await t.app.inject({
      method: 'GET',
      url: '/api/v1/departments',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('API_KEY_INVALID');
  });

  it('validates bodies with a field and a message in both languages, and changes nothing', async () => {
    const admin = await login('admin', 'Admin-pass-2026');
    const before = await t.db.pool.query('SELECT count(*)::int AS n FROM users');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { username: 'x y', displayName: 'X', password: 'short', roles: ['platform_admin'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('body.username');
    const after = await t.db.pool.query('SELECT count(*)::int AS n FROM users');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
