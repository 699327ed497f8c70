import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, testConfig, type TestApp } from '../../../test/support/app';
import { buildApp } from '../app';

/**
 * Rate limits shared by several app instances through PostgreSQL (XINYONG_RATE_SHARED=on): a
 * client spreading its searches over two processes gets one budget, not one per process.
 */
let t: TestApp;
let second: FastifyInstance;
let separate: FastifyInstance;
const LIMIT = { XINYONG_RATE_SEARCH_PER_MIN: '10' };

beforeAll(async () => {
  t = await createTestApp(undefined, { ...LIMIT, XINYONG_RATE_SHARED: 'on' });
  second = await buildApp({
    config: testConfig({ ...LIMIT, XINYONG_RATE_SHARED: 'on' }),
    pool: t.db.pool,
    clock: () => t.clock.now,
  });
  await second.ready();
  separate = await buildApp({ config: testConfig(LIMIT), pool: t.db.pool, clock: () => t.clock.now });
  await separate.ready();
});
afterAll(async () => {
  await second?.close();
  await separate?.close();
  await t?.close();
});

const search = (app: FastifyInstance, ip: string, i: number) =>
  app.inject({
    method: 'GET',
    url: `/api/v1/public/subjects?q=${encodeURIComponent(`公司${i}`)}`,
    remoteAddress: ip,
  });

describe('shared rate limits', () => {
  it('give a client one budget across two app instances', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 16; i++)
      answers.push((await search(i % 2 ? second : t.app, '203.0.113.7', i)).statusCode);
    expect(answers.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(answers.slice(10)).toEqual([429, 429, 429, 429, 429, 429]);
    const limited = await search(second, '203.0.113.7', 99);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another client has its own budget.
    expect((await search(t.app, '198.51.100.9', 1)).statusCode).toBe(200);
    const { rows } = await t.db.pool.query(
      "SELECT count FROM rate_counters WHERE key = 'ip:203.0.113.7|GET /api/v1/public/subjects'",
    );
    expect(rows[0]?.count).toBe(17);
  });

  it('are per process without the setting', async () => {
    // The in-memory instance never saw this client: its full budget, whatever the shared table says.
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) answers.push((await search(separate, '203.0.113.7', i)).statusCode);
    expect(answers.every((s) => s === 200)).toBe(true);
    expect((await search(separate, '203.0.113.7', 10)).statusCode).toBe(429);
  });
});
