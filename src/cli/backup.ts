import { loadConfig } from '../server/config';
import { openDatabase } from '../server/platform/database';
import {
  backupDatabase,
  describeManifest,
  keyFingerprints,
  type BackupMethod,
} from '../server/platform/backup';
import { parseArgs } from './args';
import type { Io } from './main';

/**
 * `xinyong backup <file> [--method pg_dump|copy]`: one archive with a consistent snapshot of the
 * platform database (DATABASE_URL, else the embedded one in XINYONG_DATA_DIR, which must not be in
 * use by a running server) and a manifest. Written to a temporary name and renamed when complete.
 */
export async function backupCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['method']);
  const file = args.positionals[0];
  const method = args.flags.get('method') ?? 'auto';
  if (!file || args.positionals.length > 1 || !['auto', 'pg_dump', 'copy'].includes(String(method))) {
    io.err('用法 / usage: xinyong backup <file> [--method pg_dump|copy]');
    return 2;
  }
  const config = loadConfig(process.env, { demo: !process.env.DATABASE_URL });
  const db = await openDatabase(config, { migrate: false });
  try {
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
