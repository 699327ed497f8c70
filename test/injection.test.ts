/**
 * SQL-injection and XSS strings in every text field of a subject and a record (issue 7, "Bad
 * input"): they are stored as data and come back through the public API byte for byte, as JSON
 * (never HTML), and the tables they name still exist afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../src/domain/identifiers';
import { clearProfileCaches } from '../src/server/modules/records';
import { createTestApp, type TestApp } from './support/app';
import { createOffice, inSetup, login, penaltyPayload } from './support/fixtures';

const ATTACKS = [
  `'); DROP TABLE subjects;--`,
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
] as const;

let t: TestApp;
let dept: { id: number; uscc: string; name: string };
let h: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'), { XINYONG_RATE_LIMIT: '0' });
  clearProfileCaches();
  const office = await inSetup(
    t,
    (ctx) => createOffice(ctx, { department: { name: '区市场监管局' } }),
    new Date('2026-01-01T00:00:00Z'),
  );
  dept = office.dept;
  h = await login(t.app, 'officer', 'officer-pass-1', t.clock);
});
afterAll(async () => t?.close());

describe('injection strings are data', () => {
  it.each(ATTACKS.map((a, i) => [a, i] as const))(
    'stores and returns %s verbatim in every text field',
    async (attack, i) => {
      const uscc = makeUscc('91', '500103', `MA5U000${i}`);
      const name = `${attack}有限公司`;
      const subject = await t.app.inject({
        method: 'POST',
        url: '/api/v1/subjects',
        headers: h,
        payload: { uscc, name, formerNames: [`${attack}旧名`], legalRep: attack, region: '500103' },
      });
      expect(subject.statusCode, subject.body).toBe(201);
      expect(subject.json()).toMatchObject({ name, legalRep: attack });

      const text = {
        CF_WFXW: attack,
        CF_SY: attack,
        CF_YJ: attack,
        CF_NR: attack,
        BZ: attack,
        CF_FRDB: attack,
      };
      const record = await t.app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: h,
        payload: {
          itemCode: 'XZCF',
          payload: penaltyPayload(dept, { name, uscc }, `${attack}〔2026〕${i}号`, text),
        },
      });
      expect(record.statusCode, record.body).toBe(201);

      // Back through the public API, exactly as written, as JSON.
      const profile = await t.app.inject({ method: 'GET', url: `/api/v1/public/subjects/${uscc}` });
      expect(profile.statusCode).toBe(200);
      expect(profile.headers['content-type']).toMatch(/^application\/json/);
      expect(profile.headers['x-content-type-options']).toBe('nosniff');
      const body = profile.json();
      expect(body.subject.name).toBe(name);
      expect(body.subject.legalRep).toBe(attack);
      expect(body.subject.formerNames).toEqual([`${attack}旧名`]);
      const rec = body.categories[0].records[0];
      expect(rec.docNo).toBe(`${attack}〔2026〕${i}号`);
      const fields = Object.fromEntries(
        rec.fields.map((f: { key: string; value: unknown }) => [f.key, f.value]),
      );
      for (const key of ['CF_WFXW', 'CF_SY', 'CF_YJ', 'CF_NR']) expect(fields[key], key).toBe(attack);
      expect(fields.BZ).toBeUndefined(); // shared: not public, whatever its content

      // The name search takes the attack string as a plain term.
      const search = await t.app.inject({
        method: 'GET',
        url: `/api/v1/public/subjects?q=${encodeURIComponent(name)}`,
      });
      expect(search.statusCode).toBe(200);
      expect(search.json().items.map((s: { name: string }) => s.name)).toContain(name);
      const browse = await t.app.inject({
        method: 'GET',
        url: `/api/v1/public/records?q=${encodeURIComponent(attack)}`,
      });
      expect(browse.statusCode).toBeLessThan(500);
    },
  );

  it('leaves every table in place', async () => {
    const { rows } = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('subjects', 'records', 'events')",
    );
    expect(rows[0]?.n).toBe(3);
    const counts = await t.db.pool.query<{ s: number; r: number }>(
      'SELECT (SELECT count(*) FROM subjects)::int AS s, (SELECT count(*) FROM records)::int AS r',
    );
    expect(counts.rows[0]).toEqual({ s: ATTACKS.length, r: ATTACKS.length });
  });
});
