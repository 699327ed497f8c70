import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app';
import { ADMIN, OFFICER, createOffice, inSetup, login } from '../../../test/support/fixtures';
import { buildApp } from '../app';

const TOKEN = 'metrics-token-0123456789-abcdefghijklmnop';
let t: TestApp;
let admin = '';
let officer = '';

const session = async (username: string, password: string) =>
  (await login(t.app, username, password, t.clock)).cookie;

beforeAll(async () => {
  t = await createTestApp(undefined, { XINYONG_METRICS_TOKEN: TOKEN });
  await inSetup(t, (ctx) =>
    createOffice(ctx, {
      department: { uscc: '91500103MA5U00003N', name: '测试局' },
      provides: null,
      staff: [
        { ...ADMIN, password: 'Admin-pass-2026' },
        { ...OFFICER, password: 'Officer-pass-2026', totp: false },
      ],
    }),
  );
  admin = await session('admin', 'Admin-pass-2026');
  officer = await session('officer', 'Officer-pass-2026');
});
afterAll(async () => t?.close());

const get = (headers: Record<string, string>, remoteAddress = '203.0.113.7') =>
  t.app.inject({ method: 'GET', url: '/metrics', headers, remoteAddress });

describe('/metrics', () => {
  it('is refused to anonymous remote callers and to users other than administrators', async () => {
    const anon = await get({});
    expect(anon.statusCode).toBe(401);
    expect(anon.body).not.toContain('xinyong_http_request_duration_seconds');
    expect((await get({ cookie: officer })).statusCode).toBe(403);
    expect((await get({ authorization: 'Bearer wrong-token-wrong-token-wrong-token' })).statusCode).toBe(401);
  });

  it('answers an administrator, the configured bearer token and direct loopback callers', async () => {
    const viaAdmin = await get({ cookie: admin });
    expect(viaAdmin.statusCode).toBe(200);
    expect(viaAdmin.body).toContain('xinyong_http_request_duration_seconds');
    expect((await get({ authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    expect((await get({}, '127.0.0.1')).statusCode).toBe(200);
    expect((await get({}, '::1')).statusCode).toBe(200);
  });

  it('does not count a request relayed by a local reverse proxy as loopback', async () => {
    expect((await get({ 'x-forwarded-for': '198.51.100.1' }, '127.0.0.1')).statusCode).toBe(401);
    expect((await get({ forwarded: 'for=198.51.100.1' }, '127.0.0.1')).statusCode).toBe(401);
  });

  it('can refuse loopback callers too', async () => {
    const config = { ...t.config, metricsLoopback: false };
    const app = await buildApp({ config, pool: t.db.pool, clock: () => t.clock.now });
    await app.ready();
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
      expect(res.statusCode).toBe(401);
      const withToken = await app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '127.0.0.1',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(withToken.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
