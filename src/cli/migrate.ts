import { loadConfig } from '../server/config';
import { openDatabase } from '../server/platform/database';
import { migrate } from '../server/platform/migrate';
import type { Io } from './main';

export async function migrateCommand(_argv: string[], io: Io): Promise<number> {
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
