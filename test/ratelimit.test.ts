/**
 * The public query service cannot be harvested: a client searching names in bulk is throttled with
 * 429, Retry-After and the bilingual error, and the attempt is logged once per client per minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp(undefined, {
    XINYONG_RATE_SEARCH_PER_MIN: '30',
    XINYONG_RATE_LOOKUP_PER_MIN: '120',
    XINYONG_RATE_AUTH_FAILURES_PER_MIN: '30',
  });
});
afterAll(async () => t?.close());

const get = (url: string, ip = '203.0.113.7') => t.app.inject({ method: 'GET', url, remoteAddress: ip });

describe('rate limits', () => {
  it('throttles bulk name searches, tighter than lookups by code, and logs it once a minute', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 200; i++)
      answers.push((await get(`/api/v1/public/subjects?q=${encodeURIComponent(`公司${i}`)}`)).statusCode);
    expect(answers.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(answers.slice(30).every((s) => s === 429)).toBe(true);

    const limited = await get('/api/v1/public/subjects?q=%E9%87%8D%E5%BA%86');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const body = limited.json();
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.messages['zh-CN']).toMatch(/请求过于频繁/);
    expect(body.error.messages.en).toMatch(/Too many requests/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js)/);

    // Lookups by a known code have their own, larger budget.
    const lookups: number[] = [];
    for (let i = 0; i < 60; i++)
      lookups.push((await get('/api/v1/public/subjects/91500103MA5U00003N')).statusCode);
    expect(lookups.every((s) => s !== 429)).toBe(true);

    // Another client is not affected.
    expect((await get('/api/v1/public/subjects?q=%E9%87%8D%E5%BA%86', '198.51.100.9')).statusCode).toBe(200);

    await new Promise((r) => setTimeout(r, 200)); // the event is written after the answer
    const events = await t.db.pool.query(
      "SELECT entity_id, payload FROM events WHERE type = 'security.throttled'",
    );
    expect(events.rowCount).toBe(1);
    expect(events.rows[0].entity_id).toBe('ip:203.0.113.7');
    expect(JSON.parse(String(events.rows[0].payload))).toMatchObject({
      bucket: 'search',
      route: 'GET /api/v1/public/subjects',
      limitPerMinute: 30,
    });
  });

  it('counts name searches of records by text against the search budget, not lookups', async () => {
    const ip = '203.0.113.21';
    const answers: number[] = [];
    for (let i = 0; i < 32; i++)
      answers.push((await get(`/api/v1/public/records?q=${encodeURIComponent(`公司${i}`)}`, ip)).statusCode);
    expect(answers.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(answers.slice(30)).toEqual([429, 429]);
    // Without a text query the same route keeps the default budget.
    expect((await get('/api/v1/public/records', ip)).statusCode).toBe(200);
  });

  it('throttles an address guessing API keys before looking them up, and logs it', async () => {
    const ip = '203.0.113.66';
    const guess = (key: string, from = ip) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        remoteAddress: from,
        headers: { authorization: `Bearer ${key}` },
      });
    const answers: number[] = [];
    for (let i = 0; i < 34; i++) answers.push((await guess(`xy_guess${i}_${'a'.repeat(40)}`)).statusCode);
    // XINYONG_RATE_AUTH_FAILURES_PER_MIN is 30 here.
    expect(answers.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(answers.slice(30).every((s) => s === 429)).toBe(true);
    const refused = await guess('xy_another_guess');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // The address can still read public pages anonymously; another address is not affected.
    expect((await get('/api/v1/public/subjects/91500103MA5U00003N', ip)).statusCode).not.toBe(429);
    expect((await guess('xy_other_guess', '198.51.100.77')).statusCode).toBe(401);

    await new Promise((r) => setTimeout(r, 200)); // the event is written after the answer
    const events = await t.db.pool.query(
      "SELECT payload FROM events WHERE type = 'security.throttled' AND entity_id = $1",
      [`ip:${ip}`],
    );
    expect(events.rowCount).toBe(1);
    expect(JSON.parse(String(events.rows[0].payload))).toMatchObject({
      bucket: 'auth_failures',
      limitPerMinute: 30,
    });
  });

  it('can be switched off by explicit configuration only', async () => {
    const off = await createTestApp(undefined, { XINYONG_RATE_LIMIT: '0', XINYONG_RATE_SEARCH_PER_MIN: '1' });
    try {
      for (let i = 0; i < 5; i++)
        expect(
          (await off.app.inject({ method: 'GET', url: '/api/v1/public/subjects?q=%E9%87%8D%E5%BA%86' }))
            .statusCode,
        ).toBe(200);
    } finally {
      await off.close();
    }
  });
});
