import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { DEFAULT_ORIGIN, sm2Signer } from './modules/audit';

const dir = mkdtempSync(path.join(tmpdir(), 'xy-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const KEYS = {
  XINYONG_FIELD_KEY: b64(1),
  XINYONG_BLIND_INDEX_KEY: b64(2),
  XINYONG_SIGNING_KEY: b64(3),
};
const BASE = { DATABASE_URL: 'postgres://localhost/x', XINYONG_DATA_DIR: dir };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('keys', () => {
  it('refuses to start outside demo mode without its keys, naming each', () => {
    const problems = problemsOf(BASE);
    for (const name of Object.keys(KEYS))
      expect(
        problems.some((p) => p.startsWith(`${name}: 非演示模式必须配置 / required outside demo mode`)),
      ).toBe(true);
  });

  it('reads them from a key file, NAME=value lines or JSON; the environment wins', () => {
    const lines = path.join(dir, 'keys.env');
    writeFileSync(
      lines,
      `# Xinyong keys\n${Object.entries(KEYS)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
      { mode: 0o600 },
    );
    const fromLines = loadConfig({ ...BASE, XINYONG_KEY_FILE: lines });
    expect(fromLines.fieldKey.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(fromLines.signingKey.equals(Buffer.alloc(32, 3))).toBe(true);

    const json = path.join(dir, 'keys.json');
    writeFileSync(json, JSON.stringify(KEYS), { mode: 0o600 });
    const both = loadConfig({ ...BASE, XINYONG_KEY_FILE: json, XINYONG_SIGNING_KEY: b64(9) });
    expect(both.blindIndexKey.equals(Buffer.alloc(32, 2))).toBe(true);
    expect(both.signingKey.equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it('refuses a key file it cannot read, or one holding other settings', () => {
    expect(problemsOf({ ...BASE, XINYONG_KEY_FILE: path.join(dir, 'missing') })[0]).toMatch(
      /XINYONG_KEY_FILE=.*无法读取 \/ cannot be read/,
    );
    const other = path.join(dir, 'other.env');
    writeFileSync(
      other,
      `${Object.entries(KEYS)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\nDATABASE_URL=postgres://evil/x\n`,
    );
    expect(problemsOf({ ...BASE, XINYONG_KEY_FILE: other })).toEqual([
      expect.stringMatching(/DATABASE_URL 不是密钥设置 \/ is not a key setting/),
    ]);
  });
});

describe('the log suite (XINYONG_LOG_SUITE)', () => {
  const sm2 = generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey;
  const sm2Der = sm2.export({ format: 'der', type: 'pkcs8' });
  const sm2Pem = String(sm2.export({ format: 'pem', type: 'pkcs8' }));
  const pem = (curve: string): string =>
    String(
      generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ format: 'pem', type: 'pkcs8' }),
    );
  const edPem = String(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const SM = { ...BASE, ...KEYS, XINYONG_LOG_SUITE: 'sm3-sm2' };

  it('is sha256-ed25519 by default, with the Ed25519 seed as before', () => {
    const c = loadConfig({ ...BASE, ...KEYS });
    expect(c.audit.suite).toBe('sha256-ed25519');
    expect(c.signingKey.equals(Buffer.alloc(32, 3))).toBe(true);
    expect(loadConfig({ ...BASE, ...KEYS, XINYONG_LOG_SUITE: 'sha256-ed25519' }).audit.suite).toBe(
      'sha256-ed25519',
    );
  });

  it('sm3-sm2 takes an SM2 key as PEM (also with \\n escapes) or base64 DER (PKCS#8 or SEC1), the same bytes', () => {
    const forms = [
      sm2Pem,
      sm2Pem.replace(/\n/g, '\\n'),
      sm2Der.toString('base64'),
      // SEC1, as `openssl pkey -outform DER` writes an EC key
      sm2.export({ format: 'der', type: 'sec1' }).toString('base64'),
    ];
    for (const form of forms) {
      const c = loadConfig({ ...SM, XINYONG_SIGNING_KEY: form });
      expect(c.audit.suite).toBe('sm3-sm2');
      expect(c.signingKey.equals(sm2Der)).toBe(true);
    }
    const previous = generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey;
    const c = loadConfig({
      ...SM,
      XINYONG_SIGNING_KEY: sm2Pem,
      XINYONG_SIGNING_KEY_PREVIOUS: `${String(previous.export({ format: 'pem', type: 'pkcs8' }))},${sm2Der.toString('base64')}`,
    });
    expect(c.previousSigningKeys.map((k) => k.toString('hex'))).toEqual([
      previous.export({ format: 'der', type: 'pkcs8' }).toString('hex'),
      sm2Der.toString('hex'),
    ]);
    expect(sm2Signer(DEFAULT_ORIGIN, c.signingKey).suite).toBe('sm3-sm2');
  });

  it('reads the SM2 key from the key file: a JSON PEM or a NAME=base64 DER line', () => {
    const json = path.join(dir, 'sm2.json');
    writeFileSync(json, JSON.stringify({ ...KEYS, XINYONG_SIGNING_KEY: sm2Pem }), { mode: 0o600 });
    const env = { ...BASE, XINYONG_LOG_SUITE: 'sm3-sm2', XINYONG_KEY_FILE: json };
    expect(loadConfig(env).signingKey.equals(sm2Der)).toBe(true);
    const lines = path.join(dir, 'sm2.env');
    writeFileSync(
      lines,
      Object.entries({ ...KEYS, XINYONG_SIGNING_KEY: sm2Der.toString('base64') })
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
      { mode: 0o600 },
    );
    expect(loadConfig({ ...env, XINYONG_KEY_FILE: lines }).signingKey.equals(sm2Der)).toBe(true);
  });

  it('refuses an unknown suite, naming both suites', () => {
    expect(problemsOf({ ...SM, XINYONG_LOG_SUITE: 'sm9' })).toEqual([
      'XINYONG_LOG_SUITE=sm9: 未知的哈希套件，应为 sha256-ed25519 或 sm3-sm2 / unknown hash suite, must be sha256-ed25519 or sm3-sm2',
    ]);
  });

  it('refuses a key of the wrong type for the suite, saying what it is', () => {
    // An Ed25519 seed (the default suite's key) under sm3-sm2.
    expect(problemsOf(SM)).toEqual([
      expect.stringMatching(
        /^XINYONG_SIGNING_KEY: 像是 Ed25519 种子.*套件 sm3-sm2 需要 SM2 私钥.*\/ looks like an Ed25519 seed .*openssl genpkey -algorithm SM2/,
      ),
    ]);
    expect(problemsOf({ ...SM, XINYONG_SIGNING_KEY: pem('P-256') })).toEqual([
      expect.stringMatching(
        /^XINYONG_SIGNING_KEY: 是 ec prime256v1 私钥，不是 SM2 私钥.*\/ is a private key of type ec prime256v1, not SM2/,
      ),
    ]);
    expect(problemsOf({ ...SM, XINYONG_SIGNING_KEY: edPem })).toEqual([
      expect.stringMatching(/^XINYONG_SIGNING_KEY: 是 ed25519 私钥，不是 SM2 私钥/),
    ]);
    expect(problemsOf({ ...SM, XINYONG_SIGNING_KEY: 'bm90IGEga2V5' })).toEqual([
      expect.stringMatching(/^XINYONG_SIGNING_KEY: 不是 PKCS#8 私钥.*\/ is not a PKCS#8 private key/),
    ]);
    // A retired key is held to the same suite.
    expect(
      problemsOf({
        ...SM,
        XINYONG_SIGNING_KEY: sm2Pem,
        XINYONG_SIGNING_KEY_PREVIOUS: KEYS.XINYONG_SIGNING_KEY,
      }),
    ).toEqual([expect.stringMatching(/^XINYONG_SIGNING_KEY_PREVIOUS\[0\]: 像是 Ed25519 种子/)]);
    // An SM2 key under the default suite.
    expect(problemsOf({ ...BASE, ...KEYS, XINYONG_SIGNING_KEY: sm2Pem })).toEqual([
      expect.stringMatching(
        /^XINYONG_SIGNING_KEY: 是 SM2 私钥，而日志套件为 sha256-ed25519；使用 SM2 请设置 XINYONG_LOG_SUITE=sm3-sm2 \/ is an SM2 private key but the log suite is sha256-ed25519/,
      ),
    ]);
    expect(problemsOf({ ...SM, XINYONG_SIGNING_KEY: undefined as unknown as string })).toEqual([
      expect.stringMatching(
        /^XINYONG_SIGNING_KEY: 非演示模式必须配置 \/ required outside demo mode \(SM2 PKCS#8/,
      ),
    ]);
  });

  it('demo mode makes an SM2 key once, beside the Ed25519 one, and keeps it', () => {
    const demoDir = mkdtempSync(path.join(tmpdir(), 'xy-demo-sm2-'));
    try {
      const env = { XINYONG_DATA_DIR: demoDir, XINYONG_LOG_SUITE: 'sm3-sm2' };
      const first = loadConfig(env, { demo: true });
      expect(first.audit.suite).toBe('sm3-sm2');
      expect(sm2Signer(DEFAULT_ORIGIN, first.signingKey).suite).toBe('sm3-sm2');
      expect(loadConfig(env, { demo: true }).signingKey.equals(first.signingKey)).toBe(true);
      const file = path.join(demoDir, 'demo-keys.json');
      expect(existsSync(file)).toBe(true);
      const keys = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      expect(Buffer.from(keys.XINYONG_SM2_SIGNING_KEY ?? '', 'base64').equals(first.signingKey)).toBe(true);
      // The default suite's demo key is a separate Ed25519 seed.
      const ed = loadConfig({ XINYONG_DATA_DIR: demoDir }, { demo: true });
      expect(ed.signingKey.length).toBe(32);
      expect(loadConfig(env, { demo: true }).signingKey.equals(first.signingKey)).toBe(true);
    } finally {
      rmSync(demoDir, { recursive: true, force: true });
    }
  });
});
