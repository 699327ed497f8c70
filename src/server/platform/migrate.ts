import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');
const LOCK_KEY = 72_736_001; // arbitrary constant: one migrator at a time per database

export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(path.join(dir, f), 'utf8');
      return {
        version: f.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export class MigrationError extends Error {}

/** Whether the database holds the platform (it was migrated before), read without changing it. */
export async function isMigrated(db: pg.Pool | pg.PoolClient): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass('subjects') IS NOT NULL AS ok`,
  );
  return rows[0]?.ok === true;
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that two
 * processes starting together do not race. A migration whose file changed after it was applied
 * is refused: history is append-only.
 */
export async function migrate(pool: pg.Pool, migrations = loadMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    for (const m of migrations) {
      const sum = done.get(m.version);
      if (sum !== undefined) {
        if (sum !== m.checksum)
          throw new MigrationError(
            `迁移 ${m.version} 在应用后被修改 / migration ${m.version} was changed after it was applied`,
          );
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
          m.version,
          m.checksum,
        ]);
        await client.query('COMMIT');
        applied.push(m.version);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(
          `迁移 ${m.version} 失败 / migration ${m.version} failed: ${(err as Error).message}`,
        );
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}

/** Chinese search needs a UTF-8 ctype: with `C`, pg_trgm silently extracts no trigrams. */
export async function checkDatabaseLocale(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ ctype: string; encoding: string }>(
    `SELECT datctype AS ctype, pg_encoding_to_char(encoding) AS encoding
       FROM pg_database WHERE datname = current_database()`,
  );
  const row = rows[0];
  if (!row || row.encoding !== 'UTF8' || !/utf-?8/i.test(row.ctype)) {
    throw new MigrationError(
      `数据库字符分类（ctype）必须为 UTF-8，当前为 ${row?.ctype ?? '?'}（编码 ${row?.encoding ?? '?'}）；` +
        `请用 CREATE DATABASE ... ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0 重建。 / ` +
        `The database ctype must be UTF-8 (found ${row?.ctype ?? '?'}, encoding ${row?.encoding ?? '?'}); ` +
        `Chinese search cannot work. Recreate it with ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0.`,
    );
  }
}
