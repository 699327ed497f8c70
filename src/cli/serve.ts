import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/platform/database';
import { withTransaction } from '../server/platform/db';
import { SEED_ACTOR, seedNationalCatalog } from '../server/modules/catalog';
import { seedListTypes } from '../server/modules/lists';
import { seedMeasures } from '../server/modules/measures';
import { parseCommand } from './args';
import type { Io } from './main';
import { ensureDemoData } from './seed-demo';

export const SERVE_USAGE = `用法 / usage: xinyong serve [--demo]
  启动平台；连接 DATABASE_URL，未设置时使用 XINYONG_DATA_DIR 中的嵌入式 PostgreSQL。
  Starts the platform on DATABASE_URL, or the embedded PostgreSQL in XINYONG_DATA_DIR without it.
  --demo   演示模式：生成演示密钥，首次启动时生成演示数据 / demo mode: demo keys, demo data on first start`;

/**
 * Starts the platform. With --demo (what `npm start` runs) and no DATABASE_URL it uses the embedded
 * PostgreSQL in XINYONG_DATA_DIR and seeds the demo district on first start.
 */
export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommand(argv, { usage: SERVE_USAGE, switches: ['demo'] }, io);
  if (typeof args === 'number') return args;
  const demo = args.flags.has('demo') || process.env.XINYONG_DEMO === '1';
  const config = loadConfig(process.env, { demo });
  io.out(
    config.databaseUrl
      ? '使用外部 PostgreSQL / using the PostgreSQL at DATABASE_URL'
      : `启动嵌入式 PostgreSQL / starting embedded PostgreSQL in ${config.dataDir}`,
  );
  const db = await openDatabase(config);
  // The national basic catalogue is data shipped with the release: brought up to date at every start.
  await withTransaction(db.pool, (tx) =>
    seedNationalCatalog({ db: tx, actor: SEED_ACTOR, requestId: 'startup', now: new Date() }),
  );
  // So are the list types and the measures inventory (after the catalogue: measures cite its items).
  await withTransaction(db.pool, async (tx) => {
    const ctx = { db: tx, actor: SEED_ACTOR, requestId: 'startup', now: new Date() };
    await seedListTypes(ctx);
    await seedMeasures(ctx);
  });
  if (demo) await ensureDemoData(db.pool, config, io);
  const app = await buildApp({ config, pool: db.pool });

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    io.out(`收到 ${signal}，正在停止 / ${signal} received, stopping`);
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  // The embedded PostgreSQL package stops its servers on SIGINT/SIGTERM by itself (an exit hook),
  // at the same moment as this shutdown: jobs still running were cut off. This process owns its
  // shutdown: the app closes (its jobs finish their round), then the database stops.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  io.out(`信用平台已启动 / Xinyong is serving on http://${config.host}:${config.port}`);
  io.out(`接口文档 / API docs: http://${config.host}:${config.port}/api/docs`);
  return new Promise<number>(() => undefined);
}
