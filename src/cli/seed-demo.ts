import { loadConfig } from '../server/config';
import { fieldCryptoOf } from '../server/platform/crypto';
import { openDatabase } from '../server/platform/database';
import type { Pool } from '../server/platform/db';
import { parseArgs } from './args';
import type { Io } from './main';
import { DEMO_USERS, demoSeeded, seedDemo } from './seed/demo';
import type { Config } from '../server/config';

function progressPrinter(io: Io): (stage: string, done: number, total: number) => void {
  let last = 0;
  return (stage, done, total) => {
    const t = Date.now();
    if (done !== total && t - last < 1000) return;
    last = t;
    io.out(`  ${stage}: ${done}/${total}`);
  };
}

/** First start of the demo: seed once, then print the accounts. */
export async function ensureDemoData(pool: Pool, config: Config, io: Io): Promise<void> {
  if (!(await demoSeeded(pool))) {
    io.out('首次启动，正在生成渝中区演示数据 / first start: generating the 渝中区 demo district …');
    const t0 = Date.now();
    const summary = await seedDemo(pool, fieldCryptoOf(config), {
      scale: 1,
      now: new Date(),
      progress: progressPrinter(io),
    });
    io.out(
      `演示数据已生成 / demo data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ` +
        `${summary.departments} departments, ${summary.subjects} subjects, ${summary.records.created} records`,
    );
  }
  io.out('演示账号 / demo accounts:');
  for (const u of DEMO_USERS)
    io.out(`  ${u.username.padEnd(12)} ${u.password.padEnd(20)} ${u.roles.join(',')}`);
}

export async function seedDemoCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['scale', 'seed']);
  const scaleRaw = args.flags.get('scale');
  const scale = scaleRaw === undefined ? 1 : Number(scaleRaw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) {
    io.err('--scale 应为 0 到 1000 之间的数 / --scale must be a number in (0, 1000]');
    return 2;
  }
  const config = loadConfig(process.env, { demo: !process.env.DATABASE_URL });
  const db = await openDatabase(config);
  try {
    const t0 = Date.now();
    const summary = await seedDemo(db.pool, fieldCryptoOf(config), {
      scale,
      now: new Date(),
      seed: args.flags.has('seed') ? Number(args.flags.get('seed')) : undefined,
      progress: progressPrinter(io),
    });
    io.out(JSON.stringify({ ...summary, seconds: (Date.now() - t0) / 1000 }));
    return summary.records.rejected > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}
