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
import { parseArgs } from './args';
import { installedConfig } from './backup';
import type { Io } from './main';

/** Files an operator may put into a new data directory before restoring (the demo keys). */
const ALLOWED_IN_NEW_DATA_DIR = new Set(['demo-keys.json']);

/**
 * `xinyong restore <file> [--force]`: verifies the archive, checks the configured keys against the
 * manifest's fingerprints (refused on mismatch unless --force), loads it into an empty database
 * (DATABASE_URL) or a new embedded cluster (empty or missing XINYONG_DATA_DIR), then migrates.
 */
export async function restoreCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv);
  const file = args.positionals[0];
  const force = args.flags.has('force');
  if (!file || args.positionals.length > 1) {
    io.err('用法 / usage: xinyong restore <file> [--force]');
    return 2;
  }
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
