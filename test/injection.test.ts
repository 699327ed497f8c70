/**
 * SQL-injection and XSS strings in every text field of a subject and a record (issue 7, "Bad
 * input"): they are stored as data and come back through the public API byte for byte, as JSON
 * (never HTML), and the tables they name still exist afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../src/domain/identifiers';
import { SYSTEM } from '../src/server/platform/context';
import { withTransaction } from '../src/server/platform/db';
import { createDepartment, createUser } from '../src/server/modules/accounts';
import { seedNationalCatalog, setProviders } from '../src/server/modules/catalog';
import { clearProfileCaches } from '../src/server/modules/records';
import { createTestApp, type TestApp } from './support/app';
import { TEST_TOTP_SECRET, loginBody } from './support/totp';

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
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: new Date('2026-01-01T00:00:00Z') };
    await seedNationalCatalog(ctx);
    dept = await createDepartment(ctx, {
      uscc: makeUscc('11', '500103', 'MB150002'),
      name: '区市场监管局',
      region: '500103',
    });
    await setProviders(ctx, 'XZCF', [dept.id]);
    await createUser(ctx, {
      totpSecret: TEST_TOTP_SECRET,
      username: 'officer',
      displayName: 'O',
      password: 'officer-pass-1',
      roles: ['dept_officer'],
      departmentId: dept.id,
    });
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody('officer', 'officer-pass-1', t.clock.now),
  });
  h = {
    cookie: `xy_session=${res.cookies.find((c) => c.name === 'xy_session')?.value}`,
    'x-csrf-token': res.json().csrfToken as string,
  };
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
          payload: {
            CF_XDR_MC: name,
            CF_XDR_LB: '法人及非法人组织',
            CF_XDR_SHXYM: uscc,
            CF_WSH: `${attack}〔2026〕${i}号`,
            CF_CFLB: ['罚款'],
            CF_NR_FK: '0.2',
            CF_JDRQ: '2026-03-10',
            CF_CFJG: dept.name,
            CF_CFJGDM: dept.uscc,
            CF_SJLY: dept.name,
            CF_SJLYDM: dept.uscc,
            ...text,
          },
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
