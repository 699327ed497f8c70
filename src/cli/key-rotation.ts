import { loadConfig, type Config } from '../server/config';
import { fieldCryptoOf, type FieldCrypto } from '../server/platform/crypto';
import { openDatabase } from '../server/platform/database';
import { parseArgs, type ParsedArgs } from './args';
import type { Io } from './main';

export interface KeyRotationRun {
  args: ParsedArgs;
  config: Config;
  batch: number;
  crypto: FieldCrypto;
  db: Awaited<ReturnType<typeof openDatabase>>;
}

/**
 * What `rotate-field-key` and `rotate-blind-key` start with: `--batch N` (1..100000, default 500),
 * the configured keys (current and previous) and the database, migrated. An exit code instead when
 * the arguments are wrong. The caller closes `db`.
 */
export async function openKeyRotation(
  argv: string[],
  io: Io,
  env: Record<string, string | undefined>,
): Promise<KeyRotationRun | number> {
  const args = parseArgs(argv, ['batch']);
  const config = loadConfig(env, { demo: !env.DATABASE_URL });
  const batch = Number(args.flags.get('batch') ?? 500);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
    io.err('--batch: 应为 1–100000 的整数 / must be an integer in 1..100000');
    return 2;
  }
  return {
    args,
    config,
    batch,
    crypto: fieldCryptoOf(config),
    db: await openDatabase(config, { migrate: true }),
  };
}
