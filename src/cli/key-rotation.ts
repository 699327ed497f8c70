import type { Config } from '../server/config';
import { fieldCryptoOf, type FieldCrypto } from '../server/platform/crypto';
import { openDatabase } from '../server/platform/database';
import { parseCommand, type ParsedArgs } from './args';
import { installedConfig } from './backup';
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
  usage: string,
): Promise<KeyRotationRun | number> {
  const args = parseCommand(argv, { usage, valued: ['batch'], switches: ['restart', 'check'] }, io);
  if (typeof args === 'number') return args;
  const batch = Number(args.flags.get('batch') ?? 500);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
    io.err(`--batch 应为 1–100000 的整数 / --batch must be an integer in 1..100000\n\n${usage}`);
    return 2;
  }
  // The installation's keys (environment, key file, or a demo's kept keys), never generated ones.
  const config = installedConfig(env);
  return {
    args,
    config,
    batch,
    crypto: fieldCryptoOf(config),
    db: await openDatabase(config, { migrate: true }),
  };
}
