import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { TEST_TOTP_SECRET } from '../../../../test/support/totp';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { SYSTEM } from '../../platform/context';
import { createFieldCrypto } from '../../platform/crypto';
import { withTransaction } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { ApiKeyCache } from './accounts.keycache';
import { accountsRepo } from './accounts.repository';
import { createApiKey, createDepartment, createUser } from './accounts.service';
import { base32Decode, hotp, totpStep } from './accounts.totp';

let t: TestApp;
let deptId = 0;
const ADMIN_PW = 'Admin-pass-2026';
const crypto = () => createFieldCrypto(t.config.fieldKey, t.config.blindIndexKey);
const sysCtx = (db: Parameters<typeof withTransaction>[0] | import('pg').PoolClient) => ({
  db,
  actor: SYSTEM,
  requestId: 'setup',
  now: t.clock.now,
});
/** The code of `offset` steps from now. */
const code = (offset: number, secret = TEST_TOTP_SECRET) =>
  hotp(base32Decode(secret) as Buffer, totpStep(t.clock.now) + offset);
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });
const login = (username: string, password: string, totp?: string) =>
  post('/api/v1/auth/login', { username, password, ...(totp ? { totp } : {}) });
const advance = (ms: number) => (t.clock.now = new Date(t.clock.now.getTime() + ms));

beforeAll(async () => {
  t = await createTestApp(undefined, { XINYONG_RATE_LOGIN_PER_MIN: '10000' });
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = sysCtx(tx);
    deptId = (await createDepartment(ctx, { uscc: '91500103MA5U00003N', name: '测试局', region: '500103' }))
      .id;
    for (const username of ['admin', 'admin2', 'legacy'])
      await createUser(ctx, {
        username,
        displayName: username,
        password: ADMIN_PW,
        roles: ['platform_admin'],
        totpSecret: TEST_TOTP_SECRET,
      });
    await createUser(ctx, {
      username: 'reviewer',
      displayName: 'R',
      password: ADMIN_PW,
      roles: ['dept_reviewer'],
      departmentId: deptId,
    });
  });
});
afterAll(async () => t?.close());

describe('TOTP secrets at rest', () => {
  it('are stored encrypted with the field key, never in plaintext', async () => {
    const { rows } = await t.db.pool.query(
      "SELECT totp_secret, totp_pending, totp_secret_cipher FROM users WHERE username = 'admin'",
    );
    const row = rows[0] as { totp_secret: null; totp_pending: null; totp_secret_cipher: Buffer };
    expect(row.totp_secret).toBeNull();
    expect(row.totp_pending).toBeNull();
    expect(row.totp_secret_cipher.includes(Buffer.from(TEST_TOTP_SECRET))).toBe(false);
    expect(row.totp_secret_cipher.includes(base32Decode(TEST_TOTP_SECRET) as Buffer)).toBe(false);
    expect(crypto().decrypt(row.totp_secret_cipher)).toBe(TEST_TOTP_SECRET);
    // Another key cannot read it.
    const other = createFieldCrypto(Buffer.alloc(32, 1), t.config.blindIndexKey);
    expect(() => other.decrypt(row.totp_secret_cipher)).toThrow();
  });

  it('seals plaintext secrets left by earlier versions when the server starts', async () => {
    await t.db.pool.query(
      `UPDATE users SET totp_secret = $1, totp_secret_cipher = NULL WHERE username = 'legacy'`,
      [TEST_TOTP_SECRET],
    );
    const second = await buildApp({ config: t.config, pool: t.db.pool, clock: () => t.clock.now });
    await second.ready();
    await second.close();
    const { rows } = await t.db.pool.query(
      "SELECT totp_secret, totp_secret_cipher FROM users WHERE username = 'legacy'",
    );
    expect(rows[0].totp_secret).toBeNull();
    expect(crypto().decrypt(rows[0].totp_secret_cipher)).toBe(TEST_TOTP_SECRET);
    // The change to the account's secret is logged, in the transaction that seals it (no value).
    const sealed = await t.db.pool.query<{ entity_id: string; payload: string; actor_id: string }>(
      "SELECT entity_id, payload, actor_id FROM events WHERE type = 'security.totp_sealed' ORDER BY seq",
    );
    const legacyId = (await accountsRepo.userByName(t.db.pool, 'legacy'))?.id;
    expect(sealed.rows.map((r) => [r.entity_id, r.actor_id, JSON.parse(r.payload)])).toEqual([
      [
        String(legacyId),
        'seal-totp',
        { userId: legacyId, keyId: crypto().keyId, secret: true, pending: false },
      ],
    ]);
    expect(sealed.rows[0]?.payload).not.toContain(TEST_TOTP_SECRET);
    expect((await login('legacy', ADMIN_PW, code(0))).statusCode).toBe(200);
  });

  it('keeps a pending enrolment encrypted too', async () => {
    const enrol = await post('/api/v1/auth/totp/enrol', { username: 'reviewer', password: ADMIN_PW });
    expect(enrol.statusCode).toBe(200);
    const secret = enrol.json().secret as string;
    const { rows } = await t.db.pool.query(
      "SELECT totp_pending, totp_pending_cipher FROM users WHERE username = 'reviewer'",
    );
    expect(rows[0].totp_pending).toBeNull();
    expect(crypto().decrypt(rows[0].totp_pending_cipher)).toBe(secret);
    // The confirming code is consumed: it cannot be replayed.
    expect((await login('reviewer', ADMIN_PW, code(0, secret))).statusCode).toBe(200);
    const replay = await login('reviewer', ADMIN_PW, code(0, secret));
    expect(replay.json().error.code).toBe('TOTP_INVALID');
  });
});

describe('TOTP replay', () => {
  it('accepts each time step once per account, and no earlier step after a later one', async () => {
    advance(10 * 60_000);
    const first = await login('admin', ADMIN_PW, code(0));
    expect(first.statusCode).toBe(200);
    const replay = await login('admin', ADMIN_PW, code(0));
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('TOTP_INVALID');
    // The previous step is still inside the window, but older than the accepted one.
    expect((await login('admin', ADMIN_PW, code(-1))).json().error.code).toBe('TOTP_INVALID');
    // Another account with the same secret has its own history.
    expect((await login('admin2', ADMIN_PW, code(0))).statusCode).toBe(200);
    // The next code works once.
    expect((await login('admin', ADMIN_PW, code(1))).statusCode).toBe(200);
    expect((await login('admin', ADMIN_PW, code(1))).statusCode).toBe(401);
    advance(30_000);
    expect((await login('admin', ADMIN_PW, code(1))).statusCode).toBe(200);
  });

  it('lets only one of two concurrent logins with the same code through', async () => {
    advance(10 * 60_000);
    const c = code(0);
    const results = await Promise.all([login('admin', ADMIN_PW, c), login('admin', ADMIN_PW, c)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });
});

describe('API-key cache', () => {
  const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
  const call = (app: TestApp['app'], k: string) =>
    app.inject({ method: 'GET', url: '/api/v1/quality/scorecards', headers: bearer(k) });
  async function adminHeaders(): Promise<Record<string, string>> {
    advance(60_000);
    const res = await login('admin', ADMIN_PW, code(0));
    const c = res.cookies.find((x) => x.name === 'xy_session');
    return { cookie: `xy_session=${c?.value}`, 'x-csrf-token': res.json().csrfToken as string };
  }
  const newKey = (expiresAt?: string) =>
    withTransaction(t.db.pool, (tx) =>
      createApiKey(sysCtx(tx), { departmentId: deptId, name: 'sys', scopes: [], expiresAt }),
    );

  it('answers a known key from memory: a change behind the application’s back is not seen', async () => {
    const { key, info } = await newKey();
    expect((await call(t.app, key)).statusCode).toBe(200);
    // Revoked in the table without an event (no application would do this): the cached key holds.
    await t.db.pool.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [info.id, t.clock.now]);
    expect((await call(t.app, key)).statusCode).toBe(200);
    // A wrong secret with the right prefix is still refused from the cache.
    // (Built from the key's prefix: the secret is base64url, so it may itself end with "_".)
    const prefix = /^xy_([A-Za-z0-9]+)_/.exec(key)?.[1];
    const forged = `xy_${prefix}_${'A'.repeat(32)}`;
    expect(forged).not.toBe(key);
    expect((await call(t.app, forged)).json().error.code).toBe('API_KEY_INVALID');
  });

  it('does not evict a key on its own creation event (the poller sees only changes)', async () => {
    const before = await accountsRepo.maxEventSeq(t.db.pool);
    const { info } = await newKey();
    const created = await accountsRepo.apiKeyChangesSince(t.db.pool, before);
    expect(created.lastSeq).toBeGreaterThan(before);
    expect(created.keyIds).toEqual([]);
    await withTransaction(t.db.pool, async (tx) => {
      await accountsRepo.revokeApiKey(tx, info.id, t.clock.now);
      await appendEvents(sysCtx(tx), [
        { type: 'apikey.revoked', entityType: 'apikey', entityId: info.id, payload: { id: info.id } },
      ]);
    });
    expect((await accountsRepo.apiKeyChangesSince(t.db.pool, before)).keyIds).toEqual([info.id]);
  });

  it('refuses a key at once after its revocation or rotation commits in this process', async () => {
    const admin = await adminHeaders();
    const a = await newKey();
    const b = await newKey();
    expect((await call(t.app, a.key)).statusCode).toBe(200);
    expect((await call(t.app, b.key)).statusCode).toBe(200);
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${a.info.id}`,
      headers: admin,
    });
    expect(revoked.statusCode).toBe(200);
    expect((await call(t.app, a.key)).json().error.code).toBe('API_KEY_INVALID');
    const rotated = await post(`/api/v1/api-keys/${b.info.id}/rotate`, { graceHours: 0 }, admin);
    expect(rotated.statusCode).toBe(201);
    expect((await call(t.app, b.key)).json().error.code).toBe('API_KEY_INVALID');
    expect((await call(t.app, rotated.json().key as string)).statusCode).toBe(200);
  });

  it('refuses a cached key once it expires', async () => {
    const { key } = await newKey(new Date(t.clock.now.getTime() + 60_000).toISOString());
    expect((await call(t.app, key)).statusCode).toBe(200);
    advance(61_000);
    expect((await call(t.app, key)).json().error.code).toBe('API_KEY_INVALID');
  });

  it('learns another process’s revocation from the event log within a poll', async () => {
    const config = loadConfig({
      ...Object.fromEntries(
        Object.entries({
          XINYONG_FIELD_KEY: t.config.fieldKey.toString('base64'),
          XINYONG_BLIND_INDEX_KEY: t.config.blindIndexKey.toString('base64'),
          XINYONG_SIGNING_KEY: t.config.signingKey.toString('base64'),
        }),
      ),
      XINYONG_LOG_LEVEL: 'silent',
      XINYONG_CACHE_POLL_MS: '50',
    });
    const other = await buildApp({ config, pool: t.db.pool, clock: () => t.clock.now });
    await other.ready();
    try {
      const { key, info } = await newKey();
      expect((await call(other, key)).statusCode).toBe(200);
      // What another process's revocation leaves behind: the row and its event, no in-process call.
      await withTransaction(t.db.pool, async (tx) => {
        await accountsRepo.revokeApiKey(tx, info.id, t.clock.now);
        await appendEvents(sysCtx(tx), [
          { type: 'apikey.revoked', entityType: 'apikey', entityId: info.id, payload: { id: info.id } },
        ]);
      });
      await vi.waitFor(
        async () => expect((await call(other, key)).json().error?.code).toBe('API_KEY_INVALID'),
        { timeout: 10_000, interval: 50 },
      );
    } finally {
      await other.close();
    }
  });
});

describe('ApiKeyCache', () => {
  const entry = (keyId: number) => ({
    keyId,
    departmentId: 1,
    scopes: [],
    keySha256: Buffer.alloc(32),
    expiresAt: null,
  });

  it('refuses a row read before an eviction, and stays within its bound', () => {
    const cache = new ApiKeyCache(2, 60_000);
    const epoch = cache.epoch;
    cache.evict([1]); // a revocation commits while a lookup of key 1 is in flight
    cache.set('p1', entry(1), epoch, 0);
    expect(cache.get('p1', 1)).toBeUndefined();
    cache.set('p1', entry(1), cache.epoch, 0);
    cache.set('p2', entry(2), cache.epoch, 0);
    expect(cache.get('p1', 1)?.keyId).toBe(1); // p1 is now the most recent
    cache.set('p3', entry(3), cache.epoch, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('p2', 1)).toBeUndefined();
    expect(cache.get('p1', 1)?.keyId).toBe(1);
    expect(cache.get('p1', 60_001)).toBeUndefined(); // TTL
  });
});
