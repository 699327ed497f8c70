import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SIGNING_KEY, loadConfig, type Config } from '../server/config';
import { openDatabase } from '../server/platform/database';
import {
  backupDatabase,
  describeManifest,
  keyFingerprints,
  type BackupMethod,
} from '../server/platform/backup';
import { parseCommand, refuseUsage } from './args';
import type { Io } from './main';

type Env = Record<string, string | undefined>;

/**
 * The configuration of a command run on an existing installation (backup, verify-log): the keys come
 * from where the server takes them — the environment, then XINYONG_KEY_FILE, else (for the embedded
 * database only) the demo-keys.json that `serve --demo` keeps in its data directory. No key is ever
 * generated: a tool that invented one would record, or trust, a key the platform never used. A key found in neither is refused with
 * the server's own error (XINYONG_…: 非演示模式必须配置 / required outside demo mode).
 * `placeholders` stand in for keys the command does not use (verify-log trusting only --key).
 */
export function installedConfig(env: Env = process.env, placeholders: Env = {}): Config {
  const dataDir = path.resolve(env.XINYONG_DATA_DIR || './data');
  const file = path.join(dataDir, 'demo-keys.json');
  const demoKeys: Env = !env.DATABASE_URL && existsSync(file) ? readDemoKeys(file) : {};
  // The demo keeps its SM2 signing key under a name of its own (config.ts DEMO_SIGNING_KEY).
  const sm2 = demoKeys[DEMO_SIGNING_KEY['sm3-sm2']];
  delete demoKeys[DEMO_SIGNING_KEY['sm3-sm2']];
  if (env.XINYONG_LOG_SUITE === 'sm3-sm2') {
    delete demoKeys.XINYONG_SIGNING_KEY;
    if (sm2) demoKeys.XINYONG_SIGNING_KEY = sm2;
  }
  // Where the server finds them: the environment, then XINYONG_KEY_FILE, then (a demo) its kept keys.
  return loadConfig(env, { demo: false, fallbackKeys: { ...placeholders, ...demoKeys } });
}

function readDemoKeys(file: string): Env {
  let keys: unknown;
  try {
    keys = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: 无法读取 / cannot be read (${(err as Error).message})`);
  }
  if (!keys || typeof keys !== 'object') return {};
  return Object.fromEntries(
    Object.entries(keys as Record<string, unknown>).filter(
      ([k, v]) => /^XINYONG_[A-Z0-9_]+_KEY$/.test(k) && typeof v === 'string',
    ),
  ) as Env;
}

export const BACKUP_USAGE = `用法 / usage: xinyong backup <file> [--method pg_dump|copy]
  把平台数据库（DATABASE_URL，未设置时为 XINYONG_DATA_DIR 中的嵌入式数据库，须先停止服务）的一致快照写入一个归档文件。
  Writes a consistent snapshot of the platform database (DATABASE_URL, else the embedded one in XINYONG_DATA_DIR: stop the server first) into one archive file.
  --method M   pg_dump 或 copy（内置转储）；默认有足够新的 pg_dump 时用它 / pg_dump or copy (built in); default: pg_dump when one new enough is found
  退出码 / exit status: 0 已备份 backed up; 1 失败（不留下文件） failed (no file left); 2 用法错误 usage error`;

/**
 * `xinyong backup <file> [--method pg_dump|copy]`: one archive with a consistent snapshot of the
 * platform database (DATABASE_URL, else the embedded one in XINYONG_DATA_DIR, which must not be in
 * use by a running server) and a manifest. Written to a temporary name and renamed when complete.
 */
export async function backupCommand(argv: string[], io: Io, env: Env = process.env): Promise<number> {
  const args = parseCommand(argv, { usage: BACKUP_USAGE, valued: ['method'], positionals: ['<file>'] }, io);
  if (typeof args === 'number') return args;
  const file = args.positionals[0] as string;
  const method = args.flags.get('method') ?? 'auto';
  if (!['auto', 'pg_dump', 'copy'].includes(String(method))) {
    return refuseUsage(
      io,
      BACKUP_USAGE,
      `--method 应为 pg_dump 或 copy / --method must be pg_dump or copy: ${String(method)}`,
    );
  }
  // Before the snapshot, which may take minutes: the archive's directory must be there.
  const dir = path.dirname(path.resolve(file));
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    io.err(`备份目录不存在，请先创建 / the backup's directory does not exist, create it first: ${dir}`);
    return 1;
  }
  const config = installedConfig(env);
  const db = await openDatabase(config, { migrate: false });
  try {
    io.err(`正在备份，数据量大时需要几分钟 / backing up to ${file}; a large database takes minutes …`);
    const manifest = await backupDatabase({
      url: db.url,
      file,
      keys: keyFingerprints(config),
      method: method as BackupMethod | 'auto',
      log: io.err,
    });
    io.out(`已备份 / backed up to ${file}`);
    for (const line of describeManifest(manifest)) io.out(`  ${line}`);
    return 0;
  } finally {
    await db.close();
  }
}
