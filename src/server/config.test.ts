import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

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
