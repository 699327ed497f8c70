import type { Config } from '../server/config';
import { fieldCryptoOf, type FieldCrypto } from '../server/platform/crypto';
import { openDatabase } from '../server/platform/database';
import { hasEmbeddedCluster } from '../server/platform/embedded';
import { isMigrated, migrate } from '../server/platform/migrate';
import { parseCommand, refuseUsage, type ParsedArgs } from './args';
import { installedConfig } from './backup';
import type { Io } from './main';

export interface KeyRotationRun {
  args: ParsedArgs;
  config: Config;
  batch: number;
  crypto: FieldCrypto;
  db: Awaited<ReturnType<typeof openDatabase>>;
  /** The database worked on, for the operator (no password). */
  where: string;
}

/** DATABASE_URL without its password, or the embedded database's data directory. */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `嵌入式 / embedded (${config.dataDir})`;
  try {
    const u = new URL(config.databaseUrl);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

const WHERE_HINT =
  '请像服务器一样设置 DATABASE_URL（或 XINYONG_DATA_DIR）指向平台的数据库 / set DATABASE_URL (or ' +
  'XINYONG_DATA_DIR) to the platform database, as the servers have it';

/**
 * What `rotate-field-key` and `rotate-blind-key` start with: `--batch N` (1..100000, default 500),
 * the configured keys (current and previous) and the database, migrated. An exit code instead when
 * the arguments are wrong, or when the database is not a platform's (no embedded database in the
 * data directory, or one never migrated): a rotation there would create an empty platform and
 * report nothing to do. The caller closes `db`.
 */
export async function openKeyRotation(
  argv: string[],
  io: Io,
  env: Record<string, string | undefined>,
  usage: string,
): Promise<KeyRotationRun | number> {
  const args = parseCommand(argv, { usage, valued: ['batch'], switches: ['restart', 'check'] }, io);
  if (typeof args === 'number') return args;
  const batch = Number(args.flags.get('batch') ?? 500);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
    return refuseUsage(io, usage, `--batch 应为 1–100000 的整数 / --batch must be an integer in 1..100000`);
  }
  // The installation's keys (environment, key file, or a demo's kept keys), never generated ones.
  const config = installedConfig(env);
  const where = describeDatabase(config);
  // No embedded cluster in the data directory: no platform (starting one would create it).
  if (!config.databaseUrl && !hasEmbeddedCluster(config.dataDir)) {
    io.err(
      `数据库 / database ${where}: 不存在，未做任何更改 / does not exist; nothing changed. ${WHERE_HINT}`,
    );
    return 1;
  }
  const db = await openDatabase(config, { migrate: false });
  let installed: boolean;
  try {
    installed = await isMigrated(db.pool);
    if (installed) await migrate(db.pool);
  } catch (err) {
    await db.close();
    throw err;
  }
  if (!installed) {
    await db.close();
    io.err(
      `数据库 / database ${where}: 不是平台数据库（从未迁移），未做任何更改 / not a platform database ` +
        `(never migrated); nothing changed. ${WHERE_HINT}`,
    );
    return 1;
  }
  io.out(`数据库 / database: ${where}`);
  return { args, config, batch, crypto: fieldCryptoOf(config), db, where };
}
