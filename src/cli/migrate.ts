import { loadConfig } from '../server/config';
import { openDatabase } from '../server/platform/database';
import { migrate } from '../server/platform/migrate';
import { parseCommand } from './args';
import type { Io } from './main';

export const MIGRATE_USAGE = `用法 / usage: xinyong migrate
  对 DATABASE_URL（未设置时为 XINYONG_DATA_DIR 中的嵌入式数据库）应用仓库中的 SQL 迁移。
  Applies the checked-in SQL migrations to DATABASE_URL (else the embedded database in XINYONG_DATA_DIR).`;

export async function migrateCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommand(argv, { usage: MIGRATE_USAGE }, io);
  if (typeof args === 'number') return args;
  const config = loadConfig(process.env, { demo: !process.env.DATABASE_URL });
  const db = await openDatabase(config, { migrate: false });
  try {
    const applied = await migrate(db.pool);
    io.out(
      applied.length ? `已应用 / applied: ${applied.join(', ')}` : '数据库已是最新 / database is up to date',
    );
    return 0;
  } finally {
    await db.close();
  }
}
