import pg from 'pg';
import type { Config } from '../config';
import { createPool, type Pool } from './db';
import { databaseUrl, startEmbedded, type EmbeddedServer } from './embedded';
import { checkDatabaseLocale, migrate } from './migrate';

export interface Database {
  pool: Pool;
  url: string;
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

const APP_DB = 'xinyong';

/**
 * Opens the platform's database: DATABASE_URL when given, else the embedded PostgreSQL in the data
 * directory (its `xinyong` database created with a UTF-8 ctype). Refuses a non-UTF-8 database and,
 * unless told not to, applies pending migrations.
 */
export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean; log?: (line: string) => void } = {},
): Promise<Database> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbedded({ dataDir: config.dataDir, port: config.embeddedPort, log: opts.log });
    await ensureDatabase(embedded.url, APP_DB);
    url = databaseUrl(embedded.url, APP_DB);
  }
  const pool = createPool(url, config.poolSize);
  try {
    await checkDatabaseLocale(pool);
    if (opts.migrate !== false) await migrate(pool);
  } catch (err) {
    await pool.end();
    await embedded?.stop();
    throw err;
  }
  return {
    pool,
    url,
    embedded,
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}

export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount)
      await client.query(
        `CREATE DATABASE "${name}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
      );
  } finally {
    await client.end();
  }
}
