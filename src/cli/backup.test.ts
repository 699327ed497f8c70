import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/support/db';
import { loadConfig } from '../server/config';
import { DEFAULT_ORIGIN, ed25519Signer, sm2Signer } from '../server/modules/audit';
import { backupCommand, installedConfig } from './backup';
import { verifyLogCommand } from './verify-log';

/**
 * The keys of the commands that work on an installed platform (backup, verify-log, restore): from
 * the environment, or from the demo-keys.json of a demo data directory; never generated.
 */
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const io = { out: () => undefined, err: () => undefined };
const key = (n: number) => Buffer.alloc(32, n).toString('base64');

/** The server's refusal outside demo mode, for the same environment. */
function serverError(env: Record<string, string>): string {
  try {
    loadConfig(env, { demo: false });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the server accepted the configuration');
}

describe('keys of backup and verify-log', () => {
  it('refuses an embedded install without keys with the server’s error, and creates no demo keys', async () => {
    const dir = tempDir();
    const env = { XINYONG_DATA_DIR: dir };
    const refusal = serverError(env);
    expect(refusal).toMatch(/XINYONG_FIELD_KEY: 非演示模式必须配置 \/ required outside demo mode/);
    expect(refusal).toMatch(/XINYONG_SIGNING_KEY: 非演示模式必须配置/);
    await expect(backupCommand([path.join(dir, 'b.tar')], io, env)).rejects.toThrow(refusal);
    await expect(verifyLogCommand([], io, env)).rejects.toThrow(refusal);
    expect(() => installedConfig(env)).toThrow(refusal);
    expect(existsSync(path.join(dir, 'demo-keys.json'))).toBe(false);
  });

  it('uses the keys serve --demo keeps in its data directory, without changing them', () => {
    const dir = tempDir();
    const demo = loadConfig({ XINYONG_DATA_DIR: dir }, { demo: true }); // what serve --demo does
    const file = path.join(dir, 'demo-keys.json');
    const before = readFileSync(file);
    const config = installedConfig({ XINYONG_DATA_DIR: dir });
    expect(config.fieldKey.equals(demo.fieldKey)).toBe(true);
    expect(config.blindIndexKey.equals(demo.blindIndexKey)).toBe(true);
    expect(config.signingKey.equals(demo.signingKey)).toBe(true);
    expect(readFileSync(file).equals(before)).toBe(true);
    // A key in the environment still wins.
    const own = installedConfig({ XINYONG_DATA_DIR: dir, XINYONG_SIGNING_KEY: key(5) });
    expect(own.signingKey.equals(Buffer.alloc(32, 5))).toBe(true);
    // So does a key in XINYONG_KEY_FILE, as for the server (keys it lacks still come from the demo).
    const keyFile = path.join(dir, 'keys.env');
    writeFileSync(keyFile, `XINYONG_FIELD_KEY=${key(6)}\n`);
    const env = { XINYONG_DATA_DIR: dir, XINYONG_KEY_FILE: keyFile };
    const server = loadConfig(env, { demo: true });
    const filed = installedConfig(env);
    expect(filed.fieldKey.equals(Buffer.alloc(32, 6))).toBe(true);
    expect(filed.fieldKey.equals(server.fieldKey)).toBe(true);
    expect(filed.blindIndexKey.equals(server.blindIndexKey)).toBe(true);
    expect(filed.signingKey.equals(demo.signingKey)).toBe(true);
    // An empty setting in the environment is no setting: the key comes from the file or the demo.
    const blank = installedConfig({ ...env, XINYONG_FIELD_KEY: '', XINYONG_SIGNING_KEY: '' });
    expect(blank.fieldKey.equals(Buffer.alloc(32, 6))).toBe(true);
    expect(blank.signingKey.equals(demo.signingKey)).toBe(true);
  });

  it('with XINYONG_LOG_SUITE=sm3-sm2, uses the demo’s SM2 signing key', async () => {
    const dir = tempDir();
    const env = { XINYONG_DATA_DIR: dir, XINYONG_LOG_SUITE: 'sm3-sm2' };
    const demo = loadConfig(env, { demo: true }); // serve --demo with the 国密 suite
    const config = installedConfig(env);
    expect(config.audit.suite).toBe('sm3-sm2');
    expect(config.signingKey.equals(demo.signingKey)).toBe(true);
    expect(config.fieldKey.equals(demo.fieldKey)).toBe(true);
    // The default suite's signing key is another one, and this directory has none yet.
    expect(() => installedConfig({ XINYONG_DATA_DIR: dir })).toThrow(
      /XINYONG_SIGNING_KEY: 非演示模式必须配置 \/ required outside demo mode/,
    );
    // verify-log --only-keys on a 国密 machine needs no key either.
    const db = await createTestDb();
    try {
      const vkey = sm2Signer(DEFAULT_ORIGIN, demo.signingKey).vkey;
      const only = { XINYONG_DATA_DIR: tempDir(), DATABASE_URL: db.url, XINYONG_LOG_SUITE: 'sm3-sm2' };
      expect(await verifyLogCommand(['--only-keys', '--key', vkey], io, only)).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it('never adds a missing key to demo-keys.json', () => {
    const dir = tempDir();
    const file = path.join(dir, 'demo-keys.json');
    const text = JSON.stringify({ XINYONG_FIELD_KEY: key(1), XINYONG_BLIND_INDEX_KEY: key(2) });
    writeFileSync(file, text);
    expect(() => installedConfig({ XINYONG_DATA_DIR: dir })).toThrow(
      /XINYONG_SIGNING_KEY: 非演示模式必须配置 \/ required outside demo mode/,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('reads no demo keys for an external database', () => {
    const dir = tempDir();
    loadConfig({ XINYONG_DATA_DIR: dir }, { demo: true });
    const env = { XINYONG_DATA_DIR: dir, DATABASE_URL: 'postgres://127.0.0.1:1/none' };
    expect(() => installedConfig(env)).toThrow(serverError(env));
  });

  it('verify-log --only-keys needs no platform key', async () => {
    const dir = tempDir();
    const db = await createTestDb();
    try {
      const env = { XINYONG_DATA_DIR: dir, DATABASE_URL: db.url, XINYONG_LOG_LEVEL: 'silent' };
      const vkey = ed25519Signer(DEFAULT_ORIGIN, Buffer.alloc(32, 3)).vkey;
      expect(await verifyLogCommand(['--only-keys'], io, env)).toBe(2); // …but one to trust
      expect(await verifyLogCommand(['--only-keys', '--key', vkey], io, env)).toBe(0);
      await expect(verifyLogCommand([], io, env)).rejects.toThrow(serverError(env));
      expect(existsSync(path.join(dir, 'demo-keys.json'))).toBe(false);
    } finally {
      await db.drop();
    }
  });
});
