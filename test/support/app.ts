import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app';
import { loadConfig, type Config } from '../../src/server/config';
import { createTestDb, type TestDb } from './db';

export const TEST_KEYS = {
  XINYONG_FIELD_KEY: Buffer.alloc(32, 7).toString('base64'),
  XINYONG_BLIND_INDEX_KEY: Buffer.alloc(32, 9).toString('base64'),
  XINYONG_SIGNING_KEY: Buffer.alloc(32, 11).toString('base64'),
};

// Module settings a test sets in process.env before building its app (feed webhooks, checkpoint
// timer, upload limit), and the test-runner markers the background jobs look at.
const PASSED_THROUGH = /^(NODE_ENV|VITEST|XINYONG_(CHECKPOINT_MS|LOG_ORIGIN|FEED_|WEBHOOK_|UPLOAD_LIMIT))/;

/** The data directory of test apps (spooled uploads): out of the checkout, shared by a run. */
export const TEST_DATA_DIR = path.join(os.tmpdir(), 'xinyong-test-data');

export function testConfig(extra: Record<string, string> = {}): Config {
  const fromProcess = Object.fromEntries(Object.entries(process.env).filter(([k]) => PASSED_THROUGH.test(k)));
  return loadConfig({
    ...fromProcess,
    ...TEST_KEYS,
    XINYONG_LOG_LEVEL: 'silent',
    XINYONG_DATA_DIR: TEST_DATA_DIR,
    ...extra,
  });
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDb;
  config: Config;
  clock: { now: Date };
  close(): Promise<void>;
}

/**
 * Builds the real app on a fresh database, with a settable clock for replayable tests. `env` adds
 * configuration, e.g. `{ XINYONG_RATE_LIMIT: '0' }` for a test that makes bulk calls on purpose.
 */
export async function createTestApp(
  start = new Date('2026-06-01T02:00:00Z'),
  env: Record<string, string> = {},
): Promise<TestApp> {
  const db = await createTestDb();
  const config = testConfig(env);
  const clock = { now: start };
  const app = await buildApp({ config, pool: db.pool, clock: () => clock.now });
  await app.ready();
  return {
    app,
    db,
    config,
    clock,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
