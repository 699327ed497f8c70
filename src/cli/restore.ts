import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/platform/database';
import {
  BackupError,
  describeManifest,
  keyFingerprints,
  keyMismatchMessage,
  keyMismatches,
  restoreInto,
  verifyBackup,
} from '../server/platform/backup';
import { parseCommand } from './args';
import { installedConfig } from './backup';
import type { Io } from './main';

/** Files an operator may put into a new data directory before restoring (the demo keys). */
const ALLOWED_IN_NEW_DATA_DIR = new Set(['demo-keys.json']);

export const RESTORE_USAGE = `用法 / usage: xinyong restore <file> [--force]
  校验归档（校验和、密钥指纹），恢复到空数据库（DATABASE_URL）或空的/新的 XINYONG_DATA_DIR，再应用新迁移。
  Verifies the archive (checksums, key fingerprints) and restores it into an empty database (DATABASE_URL)
  or an empty or new XINYONG_DATA_DIR, then applies newer migrations. Afterwards: xinyong verify-log.
  --force   配置的密钥与备份不符时仍然恢复 / restore even though the configured keys do not match the backup's
  退出码 / exit status: 0 已恢复 restored; 1 失败或被拒绝 failed or refused; 2 用法错误 usage error`;

/**
 * `xinyong restore <file> [--force]`: verifies the archive, checks the configured keys against the
 * manifest's fingerprints (refused on mismatch unless --force), loads it into an empty database
 * (DATABASE_URL) or a new embedded cluster (empty or missing XINYONG_DATA_DIR), then migrates.
 */
export async function restoreCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommand(argv, { usage: RESTORE_USAGE, switches: ['force'], positionals: ['<file>'] }, io);
  if (typeof args === 'number') return args;
  const file = args.positionals[0] as string;
  const force = args.flags.has('force');
  const archive = await verifyBackup(file);
  io.out(`备份已校验 / archive verified: ${file} (${archive.manifest.createdAt})`);
  for (const line of describeManifest(archive.manifest)) io.out(`  ${line}`);

  const embedded = !process.env.DATABASE_URL;
  const dataDir = path.resolve(process.env.XINYONG_DATA_DIR || './data');
  if (embedded && existsSync(dataDir)) {
    const extra = readdirSync(dataDir).filter((f) => !ALLOWED_IN_NEW_DATA_DIR.has(f));
    if (extra.length)
      throw new BackupError(
        `数据目录 ${dataDir} 不为空 / data directory ${dataDir} is not empty (${extra.slice(0, 5).join(', ')}): ` +
          `restore only into an empty or new directory`,
      );
  }
  // Keys come from the environment or (embedded) a demo-keys.json copied in; none are invented unless --force.
  const config = force ? loadConfig(process.env, { demo: embedded }) : installedConfig(process.env);
  const mismatched = keyMismatches(archive.manifest, keyFingerprints(config));
  if (mismatched.length) {
    if (!force) {
      io.err(keyMismatchMessage(mismatched));
      return 1;
    }
    io.err(`警告 / warning: ${keyMismatchMessage(mismatched)} (--force)`);
  }

  let db: Awaited<ReturnType<typeof openDatabase>> | null = null;
  let ok = false;
  try {
    db = await openDatabase(config, { migrate: false });
    io.err('正在恢复，数据量大时需要几分钟 / restoring; a large database takes minutes …');
    const result = await restoreInto(db.url, file, archive);
    ok = true;
    if (result.migrated.length) io.out(`已应用迁移 / migrations applied: ${result.migrated.join(', ')}`);
    io.out(`已恢复 / restored: 事件日志 / event log ${result.eventLogSize} events`);
    io.out('建议运行 / next: xinyong verify-log');
    return 0;
  } finally {
    await db?.close();
    // A failed restore into a new data directory leaves it as it was: empty.
    if (embedded && !ok) {
      for (const f of ['pg', 'pg-password']) rmSync(path.join(dataDir, f), { recursive: true, force: true });
    }
  }
}
