import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCommand } from './args';
import { describeError } from './errors';
import { main } from './main';

/**
 * The command line as an operator meets it: exit codes (0 ok, 1 failed, 2 usage), --help on every
 * command, a typo refused before anything runs, and failures outside the program (a file, the
 * database) said in both languages with what to do, never as a stack trace.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database nobody listens on: a command that got as far as connecting fails with exit 1. */
const DOWN = 'postgres://postgres@127.0.0.1:1/xinyong';
const KEY = Buffer.alloc(32, 7).toString('base64');

beforeEach(() => {
  vi.stubEnv('DATABASE_URL', DOWN);
  vi.stubEnv('XINYONG_DATA_DIR', path.join(dir, 'data'));
  vi.stubEnv('XINYONG_FIELD_KEY', KEY);
  vi.stubEnv('XINYONG_BLIND_INDEX_KEY', KEY);
  vi.stubEnv('XINYONG_SIGNING_KEY', KEY);
  vi.stubEnv('XINYONG_LOG_LEVEL', 'silent');
});
afterEach(() => vi.unstubAllEnvs());

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const COMMANDS = [
  'serve',
  'migrate',
  'seed-demo',
  'check-id',
  'import',
  'verify-log',
  'verify-feed',
  'backup',
  'restore',
  'rotate-field-key',
  'rotate-blind-key',
];

describe('bin/xinyong.js', () => {
  const bin = path.resolve(__dirname, '../../bin/xinyong.js');
  const exec = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      env: { ...process.env },
      timeout: 60_000,
    });

  it('exits with the code the command answered (1 failed, 2 usage), not 0', () => {
    const invalid = exec(['check-id', '123']);
    expect(invalid.stdout).toContain('"valid":false');
    expect(invalid.status).toBe(1);

    const none = exec([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('用法 / usage: xinyong <command>');
    expect(none.stdout).toBe('');

    const down = exec(['migrate']);
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(
      /^无法连接数据库 127\.0\.0\.1:1（连接被拒绝）：.* \/ cannot connect to the database/,
    );
    expect(down.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('xinyong <command> --help', () => {
  it.each(COMMANDS)('%s --help prints its usage and does nothing else', async (command) => {
    const r = await run([command, '--help']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`^用法 / usage: xinyong ${command}`));
    expect(r.err).toBe('');
  });

  it('lists every command in the overview', async () => {
    const r = await run(['help']);
    expect(r.code).toBe(0);
    for (const command of COMMANDS) expect(r.out).toContain(`  ${command}`);
    expect(r.out).toContain('--method pg_dump|copy');
    expect(r.out).toContain('--rejected');
  });
});

describe('usage errors answer 2 before anything runs', () => {
  it.each([
    [['rotate-field-key', '--chek'], '未知选项 / unknown option: --chek'],
    [['rotate-blind-key', '--batch'], '--batch 缺少取值 / --batch needs a value'],
    [['rotate-field-key', '--batch', '0'], '--batch 应为 1–100000 的整数'],
    [['restore', '--froce', 'x.xybak'], '未知选项 / unknown option: --froce'],
    [['restore'], '缺少参数 / missing argument: <file>'],
    [['backup', 'a', 'b'], '多余的参数 / unexpected argument: b'],
    [['backup', 'a', '--method', 'zip'], '--method 应为 pg_dump 或 copy'],
    [['import', 'a.csv'], '缺少 --department'],
    [['import', 'a.csv', '--department'], '--department 缺少取值'],
    [['verify-log', '--workers', 'four'], '--workers 应为 0 或正整数'],
    [['verify-log', '--key', 'garbage'], '--key 不是有效的验证密钥'],
    [['verify-feed', 'a.json', '--keys', 'k.json', '--keys-url', 'http://x'], '只能给一个'],
    [['seed-demo', '--scale'], '--scale 缺少取值'],
    [['serve', '--demo=yes'], '--demo 不带取值 / --demo takes no value'],
    [['migrate', 'now'], '多余的参数 / unexpected argument: now'],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain(`用法 / usage: xinyong ${argv[0]}`);
    expect(r.out).toBe('');
  });
});

describe('failures are bilingual and say what to do', () => {
  it('a database that is down', async () => {
    for (const argv of [['migrate'], ['rotate-field-key', '--check'], ['verify-log']]) {
      const r = await run(argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^无法连接数据库 127\.0\.0\.1:1（连接被拒绝）：请确认 PostgreSQL 已启动/);
      expect(r.err).toContain('check that PostgreSQL is running and DATABASE_URL is right');
    }
  });

  it('missing and malformed files', async () => {
    const missing = await run(['verify-feed', path.join(dir, 'none.json')]);
    expect(missing).toMatchObject({
      code: 1,
      err: `文件或目录不存在 / no such file or directory: ${path.join(dir, 'none.json')}`,
    });
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"items": [');
    const r = await run(['verify-feed', broken]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('第 1 行不是 JSON，应为一个变更流页面或每行一个页面 / line 1 is not JSON');
    const keys = await run(['verify-feed', broken, '--keys', broken]);
    expect(keys.code).toBe(1);
    expect(keys.err).toContain('不是 /.well-known/xinyong/log-keys 的内容');
    const restore = await run(['restore', path.join(dir, 'none.xybak')]);
    expect(restore.code).toBe(1);
    expect(restore.err).toContain('文件或目录不存在 / no such file or directory');
  });

  it('backup into a directory that does not exist is refused before the snapshot', async () => {
    const r = await run(['backup', path.join(dir, 'nope', 'b.xybak')]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `备份目录不存在，请先创建 / the backup's directory does not exist, create it first: ${path.join(dir, 'nope')}`,
    );
  });

  it('import and the key rotations use the installation’s keys and never invent any', async () => {
    const data = path.join(dir, 'installed');
    const file = path.join(dir, 'rows.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    vi.stubEnv('XINYONG_DATA_DIR', data);
    for (const k of ['DATABASE_URL', 'XINYONG_FIELD_KEY', 'XINYONG_BLIND_INDEX_KEY', 'XINYONG_SIGNING_KEY'])
      vi.stubEnv(k, undefined);
    for (const argv of [
      ['import', file, '--department', '11500103MB1500023H'],
      ['rotate-field-key'],
      ['rotate-blind-key', '--check'],
    ]) {
      const r = await run(argv);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain('XINYONG_FIELD_KEY: 非演示模式必须配置 / required outside demo mode');
      expect(existsSync(path.join(data, 'demo-keys.json'))).toBe(false);
    }
  });

  it('describes database refusals by their SQLSTATE', () => {
    const pgError = (code: string, message: string) =>
      Object.assign(new Error(message), { code, severity: 'FATAL' });
    expect(describeError(pgError('3D000', 'database "x" does not exist'))).toMatch(
      /^数据库不存在：请先创建（UTF-8）或修正 DATABASE_URL \/ the database does not exist/,
    );
    expect(describeError(pgError('28P01', 'password authentication failed'))).toContain(
      'check the user and password in DATABASE_URL',
    );
    const inUse = Object.assign(new Error('listen EADDRINUSE'), {
      code: 'EADDRINUSE',
      address: '127.0.0.1',
      port: 8080,
    });
    expect(describeError(inUse)).toMatch(/^端口已被占用 127\.0\.0\.1:8080：.* choose another XINYONG_PORT$/);
    expect(describeError(new Error('boom'))).toBe('失败 / failed: boom');
  });
});

describe('parseCommand', () => {
  const spec = { usage: 'U', valued: ['key'], switches: ['force'], positionals: ['<file>'] };
  const io = { out: () => undefined, err: () => undefined };
  it('keeps every value of a repeated option and takes `--` as the end of options', () => {
    const args = parseCommand(['--key', 'a', '--key=b', '--', '--file'], spec, io);
    if (typeof args === 'number') throw new Error('refused');
    expect(args.values('key')).toEqual(['a', 'b']);
    expect(args.positionals).toEqual(['--file']);
  });
  it('does not take the next option as a value', () => {
    expect(parseCommand(['f', '--key', '--force'], spec, io)).toBe(2);
  });
});
