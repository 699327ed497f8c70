import { createCipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/support/app';
import { TEST_KEYS } from '../../test/support/app';
import { makeCitizenId } from '../domain/identifiers';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { SYSTEM } from '../server/platform/context';
import { createFieldCrypto, type FieldCrypto } from '../server/platform/crypto';
import { withTransaction } from '../server/platform/db';
import { openJson, sealJson } from '../server/platform/sealed';
import { countStale, rotateFieldKey } from '../server/modules/audit';
import { findByIdentifier, registerSubject } from '../server/modules/subjects';
import {
  addPenalties,
  buildDistrict,
  createAppWith,
  type District,
} from '../server/modules/remedies/remedies.test-support';
import { loginBody } from '../../test/support/totp';
import { main } from './main';

/**
 * Field-key rotation end to end: data written under key A (one identifier in the pre-key-id
 * format), a run interrupted after two batches, the CLI resuming it with A as the previous key,
 * then an app holding only key B reading everything back.
 */
let t: TestApp;
let d: District;
const KEY_A = Buffer.from(TEST_KEYS.XINYONG_FIELD_KEY, 'base64');
const KEY_B = randomBytes(32);
const blind = Buffer.from(TEST_KEYS.XINYONG_BLIND_INDEX_KEY, 'base64');
const PERSON = makeCitizenId('500103', '19850612', '123');
const LEGACY = makeCitizenId('500103', '19900101', '456');
const onlyA = createFieldCrypto(KEY_A, blind);
const onlyB = createFieldCrypto(KEY_B, blind);
const during = createFieldCrypto(KEY_B, blind, [KEY_A]);
const ROW_SEALED = ['渝中市监罚〔2026〕9号', makeCitizenId('500103', '19700101', '201')];
const ROW_CLEAR = ['渝中市监罚〔2026〕10号', makeCitizenId('500103', '19700101', '202')];

/** The format before key ids: 0x01 ‖ nonce ‖ tag ‖ ciphertext. */
function v1(key: Buffer, plain: string): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([Buffer.from([1]), nonce, c.getAuthTag(), body]);
}

async function snapshot(crypto: FieldCrypto) {
  const subjects = await t.db.pool.query(
    'SELECT id, id_cipher FROM subjects WHERE id_cipher IS NOT NULL ORDER BY id',
  );
  const records = await t.db.pool.query('SELECT id, payload FROM records ORDER BY id');
  const versions = await t.db.pool.query(
    'SELECT record_id, version, payload FROM record_versions ORDER BY 1, 2',
  );
  const totp = await t.db.pool.query(
    'SELECT id, totp_secret_cipher FROM users WHERE totp_secret_cipher IS NOT NULL ORDER BY id',
  );
  const enc = (p: Record<string, unknown>) =>
    Object.entries(p).flatMap(([k, v]) =>
      v && typeof v === 'object' && 'enc' in v
        ? [[k, crypto.decrypt(Buffer.from((v as { enc: string }).enc, 'base64'))]]
        : [],
    );
  const cells = await t.db.pool.query('SELECT row_no, cells FROM ingest_batch_rows ORDER BY row_no');
  return {
    cells: cells.rows.map((r) => [r.row_no, openJson(crypto, r.cells)]),
    subjects: subjects.rows.map((r) => [r.id, crypto.decrypt(r.id_cipher)]),
    records: records.rows.map((r) => [r.id, enc(r.payload)]),
    versions: versions.rows.map((r) => [r.record_id, r.version, enc(r.payload)]),
    totp: totp.rows.map((r) => [r.id, crypto.decrypt(r.totp_secret_cipher)]),
  };
}

beforeAll(async () => {
  t = await createAppWith(new Date('2026-06-01T02:00:00Z'));
  d = await buildDistrict(t, new Date('2026-01-01T00:00:00Z'));
  await addPenalties(
    t,
    d,
    new Date('2026-06-01T01:00:00Z'),
    [1, 2, 3, 4, 5].map((n) => ({
      company: d.companies.a,
      docNo: `渝中市监罚〔2026〕${n}号`,
      date: '2026-03-01',
      over: { CF_FR_ZJLX: '身份证', CF_FR_ZJHM: makeCitizenId('500103', '19700101', String(100 + n)) },
    })),
  );
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'setup', now: t.clock.now };
    await registerSubject(ctx, onlyA, { citizenId: PERSON, name: '张三', origin: 'registry' });
    const legacy = await registerSubject(ctx, onlyA, { citizenId: LEGACY, name: '李四', origin: 'registry' });
    await tx.query('UPDATE subjects SET id_cipher = $2 WHERE id = $1', [legacy.id, v1(KEY_A, LEGACY)]);
    // An upload's rejected rows: one sealed under key A, one stored in clear before rows were sealed.
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO ingest_batches (department_id, item_code, item_version, channel, actor_kind, format,
         status, started_at)
       VALUES ($1, 'XZCF', 1, 'upload', 'system', 'csv', 'done', now()) RETURNING id`,
      [d.market.id],
    );
    await tx.query(
      `INSERT INTO ingest_batch_rows (batch_id, row_no, outcome, errors, cells, submission)
       VALUES ($1, 2, 'rejected', '[]', $2, 'first'), ($1, 3, 'rejected', '[]', $3, 'first')`,
      [rows[0]!.id, sealJson(onlyA, JSON.stringify(ROW_SEALED)), JSON.stringify(ROW_CLEAR)],
    );
  });
}, 120_000);
afterAll(async () => t?.close());

describe('xinyong rotate-field-key', () => {
  it('re-encrypts every field ciphertext under the new key, resumably, and the data reads the same', async () => {
    const before = await snapshot(onlyA);
    expect(before.subjects.map((s) => s[1])).toEqual(expect.arrayContaining([PERSON, LEGACY]));
    expect(before.records.flatMap((r) => r[1] as unknown[])).toHaveLength(5);
    expect(before.totp.length).toBeGreaterThan(0);
    const stale = await countStale(t.db.pool, during);
    expect(stale['subjects.id_cipher']).toBe(2);
    expect(stale['records.payload']).toBe(5);
    expect(stale['users.totp']).toBe(before.totp.length);
    // The batch's rows: one under key A, one in clear, both counted as stale.
    expect(before.cells).toEqual([
      [2, ROW_SEALED],
      [3, ROW_CLEAR],
    ]);
    expect(stale['ingest_batch_rows.cells']).toBe(2);

    // Interrupted after two batches of one row.
    const partial = await rotateFieldKey(t.db.pool, during, { batchSize: 1, maxBatches: 2 });
    expect(partial.complete).toBe(false);
    expect((await countStale(t.db.pool, during))['users.totp']).toBe(before.totp.length - 2);

    const out: string[] = [];
    const env = {
      DATABASE_URL: t.db.url,
      XINYONG_FIELD_KEY: KEY_B.toString('base64'),
      XINYONG_FIELD_KEY_PREVIOUS: KEY_A.toString('base64'),
      XINYONG_BLIND_INDEX_KEY: TEST_KEYS.XINYONG_BLIND_INDEX_KEY,
      XINYONG_SIGNING_KEY: TEST_KEYS.XINYONG_SIGNING_KEY,
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let code: number;
    try {
      code = await main(['rotate-field-key', '--batch', '2'], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
      });
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/users\.totp: .*resumed after id/);
    expect(out.join('\n')).toMatch(/subjects\.id_cipher: .* 2 行重新加密 \/ re-encrypted/);

    // Nothing is left under key A; key B alone reads everything, key A alone reads nothing.
    expect(Object.values(await countStale(t.db.pool, onlyB))).toEqual([0, 0, 0, 0, 0]);
    expect(await snapshot(onlyB)).toEqual(before);
    await expect(snapshot(onlyA)).rejects.toThrow();
    // The row stored in clear is sealed now: no ID number is left readable in the table.
    const raw = await t.db.pool.query<{ c: string }>('SELECT cells::text AS c FROM ingest_batch_rows');
    expect(raw.rows.map((r) => r.c).join('')).not.toContain(ROW_CLEAR[1]);
    // Each batch that changed rows is an event.
    const events = await t.db.pool.query(
      "SELECT count(*)::int AS n FROM events WHERE type = 'security.field_key_reencrypted'",
    );
    expect(events.rows[0].n).toBeGreaterThan(0);
    // A second run finds nothing to do.
    const again = await rotateFieldKey(t.db.pool, onlyB, { restart: true });
    expect(again.targets.every((x) => x.reencrypted === 0)).toBe(true);
    // A process still configured with key A wrote after the run had finished: a plain run again
    // (as the command's closing message advises) finds and re-encrypts it.
    const person = await t.db.pool.query<{ id: number }>(
      'SELECT id FROM subjects WHERE id_cipher IS NOT NULL ORDER BY id LIMIT 1',
    );
    await t.db.pool.query('UPDATE subjects SET id_cipher = $2 WHERE id = $1', [
      person.rows[0]!.id,
      onlyA.encrypt(PERSON),
    ]);
    expect((await countStale(t.db.pool, onlyB))['subjects.id_cipher']).toBe(1);
    const rerun = await rotateFieldKey(t.db.pool, during);
    expect(rerun.targets.find((x) => x.target === 'subjects.id_cipher')?.reencrypted).toBe(1);
    expect(Object.values(await countStale(t.db.pool, onlyB))).toEqual([0, 0, 0, 0, 0]);
  });

  it('leaves a platform holding only the new key fully working', async () => {
    const config = loadConfig({
      XINYONG_FIELD_KEY: KEY_B.toString('base64'),
      XINYONG_BLIND_INDEX_KEY: TEST_KEYS.XINYONG_BLIND_INDEX_KEY,
      XINYONG_SIGNING_KEY: TEST_KEYS.XINYONG_SIGNING_KEY,
      XINYONG_LOG_LEVEL: 'silent',
      XINYONG_RATE_LIMIT: '0',
    });
    const app = await buildApp({ config, pool: t.db.pool, clock: () => t.clock.now });
    await app.ready();
    try {
      // TOTP secrets decrypt: an administrator logs in with a code.
      t.clock.now = new Date(t.clock.now.getTime() + 5 * 60_000);
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: loginBody('admin', 'remedies-test-pass-1', t.clock.now),
      });
      expect(login.statusCode, login.body).toBe(200);
      // Identifiers decrypt: the exact-ID lookup of a natural person still finds it.
      const found = await withTransaction(t.db.pool, (tx) =>
        findByIdentifier({ db: tx, actor: SYSTEM, requestId: 'x', now: t.clock.now }, onlyB, LEGACY),
      );
      expect(found?.name).toBe('李四');
    } finally {
      await app.close();
    }
  });
});
