import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, TEST_KEYS, type TestApp } from '../../test/support/app';
import { createOffice, inSetup } from '../../test/support/fixtures';
import { makeCitizenId, makeUscc } from '../domain/identifiers';
import { ConfigError, loadConfig } from '../server/config';
import { blindKeyId, createFieldCrypto, fieldKeyId, type FieldCrypto } from '../server/platform/crypto';
import { createApiKey } from '../server/modules/accounts';
import { seedListTypes } from '../server/modules/lists';
import { seedMeasures } from '../server/modules/measures';
import { CheckIndex } from '../server/modules/measures/measures.index';
import {
  citizenBlindIndexes,
  countStaleBlind,
  findByIdentifier,
  findManyByCodes,
  registerSubject,
  rotateBlindKey,
} from '../server/modules/subjects';
import { main } from './main';

/**
 * Blind-key rotation end to end: natural persons indexed under key A (one row from before the key
 * id column), a run interrupted after one batch, lookups, registrations and joint checks while half
 * the rows carry A and half B, the CLI resuming the run, then key B alone finding everybody.
 */
let t: TestApp;
let apiKey = '';
const FIELD = Buffer.from(TEST_KEYS.XINYONG_FIELD_KEY, 'base64');
const KEY_A = Buffer.from(TEST_KEYS.XINYONG_BLIND_INDEX_KEY, 'base64');
const KEY_B = randomBytes(32);
const onlyA = createFieldCrypto(FIELD, KEY_A);
const onlyB = createFieldCrypto(FIELD, KEY_B);
const during = createFieldCrypto(FIELD, KEY_B, [], [KEY_A]);
const PERSONS = ['001', '002', '003', '004', '005'].map((n) => makeCitizenId('500103', '19800101', n));
const LATE = makeCitizenId('500103', '19900202', '006');
const ids = new Map<string, number>();

const find = (crypto: FieldCrypto, code: string) => inSetup(t, (ctx) => findByIdentifier(ctx, crypto, code));
const findMany = (crypto: FieldCrypto, codes: string[]) =>
  inSetup(t, (ctx) => findManyByCodes(ctx, crypto, codes));
const register = (crypto: FieldCrypto, citizenId: string) =>
  inSetup(t, (ctx) => registerSubject(ctx, crypto, { citizenId, name: '轮换测试', origin: 'registry' }));
const naturalPersons = async () =>
  (await t.db.pool.query("SELECT count(*)::int AS n FROM subjects WHERE type = 'NATURAL_PERSON'")).rows[0]
    .n as number;

const ENV_B = {
  XINYONG_FIELD_KEY: TEST_KEYS.XINYONG_FIELD_KEY,
  XINYONG_BLIND_INDEX_KEY: KEY_B.toString('base64'),
  XINYONG_BLIND_INDEX_KEY_PREVIOUS: KEY_A.toString('base64'),
  XINYONG_SIGNING_KEY: TEST_KEYS.XINYONG_SIGNING_KEY,
};

/** Runs the CLI with `env` as the process environment (the command reads it like a deployment). */
async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const full = { DATABASE_URL: t.db.url, ...env };
  const saved = { ...process.env };
  Object.assign(process.env, full);
  try {
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, out: out.join('\n') };
  } finally {
    for (const k of Object.keys(full)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

beforeAll(async () => {
  // The server runs as in a rotation: B current, A previous.
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'), {
    XINYONG_RATE_LIMIT: '0',
    XINYONG_BLIND_INDEX_KEY: ENV_B.XINYONG_BLIND_INDEX_KEY,
    XINYONG_BLIND_INDEX_KEY_PREVIOUS: ENV_B.XINYONG_BLIND_INDEX_KEY_PREVIOUS,
  });
  await inSetup(
    t,
    async (ctx) => {
      const { dept } = await createOffice(ctx, { provides: [], staff: [] });
      await seedListTypes(ctx);
      await seedMeasures(ctx);
      apiKey = (await createApiKey(ctx, { departmentId: dept.id, name: 'sys', scopes: ['checks'] })).key;
      await registerSubject(ctx, onlyA, {
        uscc: makeUscc('91', '500103', 'BK000001'),
        name: '重庆轮换测试有限公司',
        origin: 'registry',
      });
      for (const p of PERSONS)
        ids.set(
          p,
          (await registerSubject(ctx, onlyA, { citizenId: p, name: '张三', origin: 'registry' })).id,
        );
    },
    new Date('2026-06-01T01:00:00Z'),
  );

  // The last person was registered before migration 0022: its key is unknown.
  await t.db.pool.query('UPDATE subjects SET id_blind_key = NULL WHERE id = $1', [
    ids.get(PERSONS[4] as string),
  ]);
}, 120_000);
afterAll(async () => t?.close());

describe('blind-index keys', () => {
  it('indexes under the current key first, then the previous ones; key ids differ from field-key ids', () => {
    const all = during.blindIndexes('citizen_id:x');
    expect(all).toHaveLength(2);
    expect(all[0]).toEqual(onlyB.blindIndex('citizen_id:x'));
    expect(all[1]).toEqual(onlyA.blindIndex('citizen_id:x'));
    expect(during.blindKeyId).toBe(blindKeyId(KEY_B).toString('hex'));
    expect(blindKeyId(KEY_A)).not.toEqual(fieldKeyId(KEY_A));
  });

  it('reads XINYONG_BLIND_INDEX_KEY_PREVIOUS like XINYONG_FIELD_KEY_PREVIOUS', () => {
    const config = loadConfig({
      ...ENV_B,
      XINYONG_BLIND_INDEX_KEY_PREVIOUS: ` ${ENV_B.XINYONG_BLIND_INDEX_KEY_PREVIOUS}, `,
    });
    expect(config.previousBlindIndexKeys).toEqual([KEY_A]);
    expect(() =>
      loadConfig({ ...ENV_B, XINYONG_BLIND_INDEX_KEY_PREVIOUS: `${KEY_A.toString('base64')},c2hvcnQ=` }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ ...ENV_B, XINYONG_BLIND_INDEX_KEY_PREVIOUS: 'c2hvcnQ=' })).toThrow(
      /XINYONG_BLIND_INDEX_KEY_PREVIOUS\[0\]/,
    );
  });
});

describe('xinyong rotate-blind-key', () => {
  let index: CheckIndex;
  const blindKey = (crypto: FieldCrypto, code: string) => ({
    kind: 'blind' as const,
    value: citizenBlindIndexes(crypto, code),
  });
  const inIndex = (crypto: FieldCrypto, code: string) => {
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    return index.lookup(blindKey(crypto, code), t.clock.now)?.subject.id;
  };
  const check = (code: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { subject: code, scenario: 'CIVIL_SERVICE' },
    });
  afterAll(async () => index?.stop());

  it('before: rows under the old key are found through the previous key', async () => {
    for (const p of PERSONS) expect((await find(during, p))?.id).toBe(ids.get(p));
    expect(await find(onlyB, PERSONS[0] as string)).toBeNull();
    expect(await countStaleBlind(t.db.pool, during)).toBe(5);
    expect((await cli(['rotate-blind-key', '--check'], ENV_B)).code).toBe(1);
    index = new CheckIndex(t.db.pool, { triggerItems: async () => [], clock: () => t.clock.now });
    await index.start();
    for (const p of PERSONS) expect(inIndex(during, p)).toBe(ids.get(p));
    expect(inIndex(onlyB, PERSONS[0] as string)).toBeUndefined();
  });

  it('stops after a batch limit with its progress committed', async () => {
    const partial = await rotateBlindKey(t.db.pool, during, { batchSize: 2, maxBatches: 1 });
    expect(partial).toMatchObject({ complete: false, rows: 2, reindexed: 2, marked: 0 });
    expect(await countStaleBlind(t.db.pool, during)).toBe(3);
    const progress = await t.db.pool.query('SELECT key_id, last_id, done, finished FROM blind_key_rotation');
    expect(progress.rows).toEqual([
      { key_id: during.blindKeyId, last_id: ids.get(PERSONS[1] as string), done: 2, finished: false },
    ]);
  });

  it('during: two rows under the new key, three under the old, every lookup finds all five', async () => {
    const rotated = PERSONS.slice(0, 2);
    const pending = PERSONS.slice(2);
    for (const p of rotated) expect((await find(onlyB, p))?.id).toBe(ids.get(p));
    for (const p of pending) expect(await find(onlyB, p)).toBeNull();
    for (const p of pending) expect((await find(onlyA, p))?.id).toBe(ids.get(p));
    for (const p of PERSONS) expect((await find(during, p))?.id).toBe(ids.get(p));
    const many = await findMany(during, PERSONS);
    expect(PERSONS.map((p) => many.get(p)?.id)).toEqual(PERSONS.map((p) => ids.get(p)));
    // The check index reloaded the re-indexed subjects from the batch's event: new value only.
    await index.poll();
    for (const p of PERSONS) expect(inIndex(during, p)).toBe(ids.get(p));
    for (const p of rotated) expect(inIndex(onlyB, p)).toBe(ids.get(p));
    for (const p of rotated) expect(inIndex(onlyA, p)).toBeUndefined();
    for (const p of pending) expect(inIndex(onlyA, p)).toBe(ids.get(p));
  });

  it('during: registering a known person again is refused, whichever key its row carries', async () => {
    const before = await naturalPersons();
    await expect(register(during, PERSONS[3] as string)).rejects.toMatchObject({ code: 'SUBJECT_EXISTS' });
    await expect(register(during, PERSONS[0] as string)).rejects.toMatchObject({ code: 'SUBJECT_EXISTS' });
    expect(await naturalPersons()).toBe(before);
    // A new person is written under the new key at once.
    const late = await register(during, LATE);
    ids.set(LATE, late.id);
    expect((await find(onlyB, LATE))?.id).toBe(late.id);
    expect(await countStaleBlind(t.db.pool, during)).toBe(3);
  });

  it('during: a joint check by citizen ID finds the subject, single and batch', async () => {
    // t.app runs with XINYONG_BLIND_INDEX_KEY=B and XINYONG_BLIND_INDEX_KEY_PREVIOUS=A.
    for (const p of [PERSONS[0], PERSONS[4], LATE] as string[]) {
      const res = await check(p);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().subject).toMatchObject({ ref: `S${ids.get(p)}`, type: 'NATURAL_PERSON' });
    }
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks/batch',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { subjects: [...PERSONS, LATE], scenario: 'CIVIL_SERVICE' },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json().results.map((r: { ref?: string }) => r.ref)).toEqual(
      [...PERSONS, LATE].map((p) => `S${ids.get(p)}`),
    );
  });

  it('the CLI resumes after the committed batch and finishes', async () => {
    const check = await cli(['rotate-blind-key', '--check'], ENV_B);
    expect(check).toMatchObject({ code: 1 });
    expect(check.out).toMatch(/subjects\.id_blind: 3 行/);
    const run = await cli(['rotate-blind-key', '--batch', '2'], ENV_B);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/3 行已检查 \/ rows scanned \(从 id \d+ 继续 \/ resumed after id \d+\)/);
    expect(run.out).toMatch(/3 行重新计算 \/ re-indexed/);
    expect(run.out).toMatch(/XINYONG_BLIND_INDEX_KEY_PREVIOUS can be removed/);
    expect((await cli(['rotate-blind-key', '--check'], ENV_B)).code).toBe(0);
  });

  it('after: the new key alone finds everybody, the old key nobody; each re-indexed subject has its event', async () => {
    for (const p of [...PERSONS, LATE]) expect((await find(onlyB, p))?.id).toBe(ids.get(p));
    for (const p of PERSONS) expect(await find(onlyA, p)).toBeNull();
    const keyIds = await t.db.pool.query(
      "SELECT DISTINCT encode(id_blind_key, 'hex') AS k FROM subjects WHERE type = 'NATURAL_PERSON'",
    );
    expect(keyIds.rows).toEqual([{ k: onlyB.blindKeyId }]);
    const events = await t.db.pool.query<{ subject_id: number; payload: string }>(
      "SELECT subject_id, payload FROM events WHERE type = 'subject.blind_reindexed' ORDER BY seq",
    );
    expect(events.rows.map((r) => r.subject_id)).toEqual(PERSONS.map((p) => ids.get(p)));
    expect(events.rows.map((r) => JSON.parse(r.payload))).toEqual(
      PERSONS.map(() => ({ target: 'subjects.id_blind', keyId: onlyB.blindKeyId, changed: true })),
    );
    await index.poll();
    for (const p of PERSONS) expect(inIndex(onlyB, p)).toBe(ids.get(p));
    // Nothing left: a second run changes nothing.
    expect(await rotateBlindKey(t.db.pool, onlyB)).toMatchObject({ complete: true, rows: 0, reindexed: 0 });
  });

  it('a run with nothing to re-index says why instead of reporting a finished rotation', async () => {
    const before = await t.db.pool.query('SELECT * FROM blind_key_rotation');
    // The key was not changed (no new key, no previous one): nothing to do, and the operator is told so.
    const unchanged = await cli(['rotate-blind-key'], { ...ENV_B, XINYONG_BLIND_INDEX_KEY_PREVIOUS: '' });
    expect(unchanged.code, unchanged.out).toBe(0);
    expect(unchanged.out).toContain(`数据库 / database: ${new URL(t.db.url).hostname}`);
    expect(unchanged.out).toContain(
      `the blind-index key is unchanged: all 6 natural persons are already under the current key ${onlyB.blindKeyId}: nothing to do`,
    );
    expect(unchanged.out).not.toMatch(/rows scanned|can be removed/);
    // A second run of a finished rotation: nothing left, the previous key can go.
    const again = await cli(['rotate-blind-key'], ENV_B);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(
      /natural persons: 6（当前密钥 \/ current key 6, 旧密钥 \/ previous keys 0, 其他或未知密钥 \/ other or unknown key 0）/,
    );
    expect(again.out).toContain('nothing to do: all 6 natural persons are already under the current key');
    expect(again.out).toMatch(/\(the rotation is done\); XINYONG_BLIND_INDEX_KEY_PREVIOUS can be removed/);
    expect((await t.db.pool.query('SELECT * FROM blind_key_rotation')).rows).toEqual(before.rows);
  });

  it('refuses a database that is not the platform, changing nothing, instead of reporting 0 rows done', async () => {
    // DATABASE_URL naming another (empty) database: no platform tables are created in it.
    const admin = new pg.Client({ connectionString: inject('pgServerUrl') });
    await admin.connect();
    const name = `xy_empty_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const u = new URL(t.db.url);
      u.pathname = `/${name}`;
      const run = await cli(['rotate-blind-key'], { ...ENV_B, DATABASE_URL: u.toString() });
      expect(run.code, run.out).toBe(1);
      expect(run.out).toContain(`database ${u.hostname}:${u.port || '5432'}/${name}: 不是平台数据库`);
      expect(run.out).toMatch(/not a platform database \(never migrated\); nothing changed/);
      expect(run.out).not.toMatch(/rows scanned|can be removed/);
      const other = new pg.Client({ connectionString: u.toString() });
      await other.connect();
      const tables = await other.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      await other.end();
      expect(tables.rows).toEqual([]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
    // No DATABASE_URL (it was given to the demo server only): the demo's kept keys are found, but
    // there is no embedded database in the data directory, and none is created.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xy-blind-'));
    try {
      writeFileSync(path.join(dir, 'demo-keys.json'), JSON.stringify(ENV_B));
      const run = await cli(['rotate-blind-key'], { DATABASE_URL: '', XINYONG_DATA_DIR: dir });
      expect(run.code, run.out).toBe(1);
      expect(run.out).toContain(`embedded (${dir}): 不存在`);
      expect(run.out).toMatch(/does not exist; nothing changed\. .*set DATABASE_URL/);
      expect(readdirSync(dir)).toEqual(['demo-keys.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records the key of a row whose value is already current, and reports duplicates instead of failing', async () => {
    // A row of unknown key whose value is already the current key's: only its key id is recorded.
    await t.db.pool.query('UPDATE subjects SET id_blind_key = NULL WHERE id = $1', [ids.get(LATE)]);
    expect(await rotateBlindKey(t.db.pool, onlyB)).toMatchObject({
      complete: true,
      rows: 1,
      reindexed: 0,
      marked: 1,
    });
    const marked = await t.db.pool.query<{ payload: string }>(
      "SELECT payload FROM events WHERE type = 'subject.blind_reindexed' AND subject_id = $1",
      [ids.get(LATE)],
    );
    expect(marked.rows.map((r) => JSON.parse(r.payload).changed)).toEqual([false]);

    // Key C replaces B; a process that was not given B as previous registers a person again.
    const KEY_C = randomBytes(32);
    const onlyC = createFieldCrypto(FIELD, KEY_C);
    const twin = await register(onlyC, PERSONS[0] as string);
    const env = {
      ...ENV_B,
      XINYONG_BLIND_INDEX_KEY: KEY_C.toString('base64'),
      XINYONG_BLIND_INDEX_KEY_PREVIOUS: KEY_B.toString('base64'),
    };
    const run = await cli(['rotate-blind-key'], env);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toContain(`S${ids.get(PERSONS[0] as string)}: 与 S${twin.id} 证件号相同`);
    expect(run.out).toMatch(/仍有 1 行不在当前密钥下/);
    // The others moved to C; the duplicate's original row keeps B's value, still found through B.
    expect(await countStaleBlind(t.db.pool, createFieldCrypto(FIELD, KEY_C, [], [KEY_B]))).toBe(1);
    for (const p of [...PERSONS.slice(1), LATE]) expect((await find(onlyC, p))?.id).toBe(ids.get(p));
    expect((await find(onlyB, PERSONS[0] as string))?.id).toBe(ids.get(PERSONS[0] as string));
  });
});
