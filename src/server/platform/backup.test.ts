import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TEST_KEYS } from '../../../test/support/app';
import { createTestDb, type TestDb } from '../../../test/support/db';
import { backupCommand } from '../../cli/backup';
import type { Io } from '../../cli/main';
import { restoreCommand } from '../../cli/restore';
import { verifyLogCommand } from '../../cli/verify-log';
import { loadConfig } from '../config';
import { DEFAULT_ORIGIN, advanceLog, checkpoint, ed25519Signer, verifyLog } from '../modules/audit';
import {
  BackupError,
  backupDatabase,
  findPgTool,
  keyFingerprints,
  keyMismatches,
  restoreBackup,
  verifyBackup,
  type BackupMethod,
} from './backup';
import { SYSTEM } from './context';
import { createPool, withTransaction, type Pool } from './db';
import { openDatabase } from './database';
import { appendEvents } from './events';

const keys = {
  fieldKey: Buffer.alloc(32, 7),
  blindIndexKey: Buffer.alloc(32, 9),
  signingKey: Buffer.alloc(32, 11),
};
const fingerprints = keyFingerprints(keys);
const signer = ed25519Signer(DEFAULT_ORIGIN, keys.signingKey);
const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-backup-test-'));
// As root the embedded PostgreSQL runs as `postgres`, which must reach the data directories inside.
chmodSync(dir, 0o711);
const dbs: TestDb[] = [];
const extraDbs: string[] = [];

async function addData(pool: Pool, n: number, from = 0): Promise<void> {
  await withTransaction(pool, (tx) =>
    appendEvents(
      { db: tx, actor: SYSTEM, requestId: 'req-backup', now: new Date('2026-06-01T02:00:00Z') },
      Array.from({ length: n }, (_, i) => ({
        type: 'test.happened',
        entityType: 'thing',
        entityId: `b-${from + i}`,
        subjectId: null,
        payload: { n: from + i, text: `渝中区 "引号" \\ 反斜杠\n换行\t制表 ${from + i}` },
      })),
    ),
  );
  await advanceLog(pool);
  await checkpoint(pool, signer, { origin: DEFAULT_ORIGIN, now: new Date() });
}

/** A new empty UTF-8 database on the test server. */
async function emptyDb(): Promise<{ url: string; pool: Pool }> {
  const serverUrl = inject('pgServerUrl');
  const name = `xy_restore_${Math.random().toString(16).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(
    `CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  await admin.end();
  extraDbs.push(name);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), pool: createPool(u.toString(), 2) };
}

async function rowCounts(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const r of rows)
    out[r.t] = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${r.t}"`)).rows[0]?.n);
  return out;
}

let source: TestDb;
let pgDumpUsable = false;

beforeAll(async () => {
  source = await createTestDb();
  dbs.push(source);
  await addData(source.pool, 300);
  await addData(source.pool, 45, 300);
  const tool = await findPgTool('pg_dump');
  const { rows } = await source.pool.query<{ v: string }>(
    `SELECT current_setting('server_version_num') AS v`,
  );
  pgDumpUsable = !!tool && tool.major >= Math.floor(Number(rows[0]?.v) / 10000);
});

afterAll(async () => {
  for (const d of dbs) await d.drop();
  const admin = new pg.Client({ connectionString: inject('pgServerUrl') });
  await admin.connect();
  for (const n of extraDbs) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

describe.each<BackupMethod>(['copy', 'pg_dump'])('backup and restore (%s)', (method) => {
  const file = path.join(dir, `platform-${method}.xybak`);

  it('round-trips: the restored log verifies and every table has the same rows', async (ctx) => {
    if (method === 'pg_dump' && !pgDumpUsable) ctx.skip();
    const manifest = await backupDatabase({ url: source.url, file, keys: fingerprints, method });
    expect(manifest.method).toBe(method);
    expect(manifest.eventLog.maxSeq).toBe(345);
    expect(manifest.eventLog.treeSize).toBe(345);
    expect(manifest.eventLog.latestCheckpoint?.treeSize).toBe(345);
    expect(manifest.keys).toEqual(fingerprints);
    const raw = readFileSync(file);
    for (const k of Object.values(keys)) expect(raw.includes(k)).toBe(false);

    const target = await emptyDb();
    try {
      const result = await restoreBackup({ url: target.url, file, keys: fingerprints });
      expect(result.eventLogSize).toBe(345);
      expect(result.migrated).toEqual([]);
      const report = await verifyLog(target.pool, { trusted: [signer] });
      expect(report.ok).toBe(true);
      expect(report.events).toBe(345);
      expect(report.checkpoints).toBe(2);
      expect(await rowCounts(target.pool)).toEqual(await rowCounts(source.pool));
      // The log keeps growing after a restore: sequences and tiles are where they were.
      await addData(target.pool, 5, 345);
      expect((await verifyLog(target.pool, { trusted: [signer] })).ok).toBe(true);
    } finally {
      await target.pool.end();
    }
  });

  it('refuses a corrupted archive, a non-empty database and different keys', async (ctx) => {
    if (method === 'pg_dump' && !pgDumpUsable) ctx.skip();
    const bytes = readFileSync(file);
    for (const at of [bytes.length - 10, 40, 3]) {
      const bad = Buffer.from(bytes);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      const badFile = path.join(dir, `bad-${method}-${at}.xybak`);
      writeFileSync(badFile, bad);
      await expect(verifyBackup(badFile)).rejects.toBeInstanceOf(BackupError);
      const target = await emptyDb();
      await expect(restoreBackup({ url: target.url, file: badFile, keys: fingerprints })).rejects.toThrow(
        /corrupted/,
      );
      expect(await rowCounts(target.pool)).toEqual({});
      await target.pool.end();
    }
    const other = await createTestDb();
    dbs.push(other);
    await expect(restoreBackup({ url: other.url, file, keys: fingerprints })).rejects.toThrow(/not empty/);

    const target = await emptyDb();
    const otherKeys = keyFingerprints({ ...keys, fieldKey: Buffer.alloc(32, 1) });
    await expect(restoreBackup({ url: target.url, file, keys: otherKeys })).rejects.toThrow(/fieldKey/);
    const otherBlind = keyFingerprints({ ...keys, blindIndexKey: Buffer.alloc(32, 1) });
    await expect(restoreBackup({ url: target.url, file, keys: otherBlind })).rejects.toThrow(/blindIndexKey/);
    // A configuration that has rotated since (new keys, the backup's as previous) is enough.
    const rotated = keyFingerprints({
      ...keys,
      fieldKey: Buffer.alloc(32, 1),
      blindIndexKey: Buffer.alloc(32, 2),
      previousFieldKeys: [keys.fieldKey],
      previousBlindIndexKeys: [keys.blindIndexKey],
    });
    const { manifest } = await verifyBackup(file);
    expect(keyMismatches(manifest, rotated)).toEqual([]);
    // A backup made during a rotation also needs the keys being retired then.
    const midRotation = {
      ...manifest,
      keys: keyFingerprints({ ...keys, previousFieldKeys: [Buffer.alloc(32, 9)] }),
    };
    expect(keyMismatches(midRotation, fingerprints)).toEqual(['fieldKey']);
    expect(
      keyMismatches(midRotation, keyFingerprints({ ...keys, previousFieldKeys: [Buffer.alloc(32, 9)] })),
    ).toEqual([]);
    expect(await rowCounts(target.pool)).toEqual({});
    await target.pool.end();
  });
});

describe('embedded data directory', () => {
  it('backs up a data directory and restores it into a new one; verify-log passes there', async () => {
    const saved = { ...process.env };
    const lines: string[] = [];
    const io: Io = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
    const a = path.join(dir, 'data-a');
    const b = path.join(dir, 'data-b');
    const file = path.join(dir, 'embedded.xybak');
    try {
      delete process.env.DATABASE_URL;
      Object.assign(process.env, TEST_KEYS, { XINYONG_EMBEDDED_PG_PORT: '56230', XINYONG_DATA_DIR: a });
      const db = await openDatabase(loadConfig(process.env), { migrate: true });
      try {
        await addData(db.pool, 20);
      } finally {
        await db.close();
      }
      expect(await backupCommand([file], io)).toBe(0);

      process.env.XINYONG_DATA_DIR = b;
      // Different keys are refused before anything is created.
      process.env.XINYONG_FIELD_KEY = Buffer.alloc(32, 1).toString('base64');
      expect(await restoreCommand([file], io)).toBe(1);
      process.env.XINYONG_FIELD_KEY = TEST_KEYS.XINYONG_FIELD_KEY;
      expect(await restoreCommand([file], io)).toBe(0);
      expect(lines.join('\n')).toMatch(/event log 20 events/);
      lines.length = 0;
      expect(await verifyLogCommand([], io)).toBe(0);
      expect(lines.join('\n')).toMatch(/OK/);
      // A directory holding a cluster is not a restore target.
      await expect(restoreCommand([file], io)).rejects.toThrow(/not empty/);
    } finally {
      process.env = saved;
    }
  }, 180_000);
});
