import { loadConfig } from '../server/config';
import { fieldCryptoOf } from '../server/platform/crypto';
import { openDatabase } from '../server/platform/database';
import type { Pool } from '../server/platform/db';
import { parseCommand, refuseUsage } from './args';
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

export const SEED_DEMO_USAGE = `用法 / usage: xinyong seed-demo [--scale N] [--seed S]
  生成确定性的渝中区演示数据（可重复运行：已有的不再重复生成）。
  Generates the deterministic 渝中区 demo district (safe to run again: what exists is kept).
  --scale N   规模：N × 2,000 个主体、N × 20,000 条记录，0 < N ≤ 1000（默认 1） / size, 0 < N ≤ 1000 (default 1)
  --seed S    随机数种子，整数 / random seed, an integer`;

export async function seedDemoCommand(argv: string[], io: Io): Promise<number> {
  const args = parseCommand(argv, { usage: SEED_DEMO_USAGE, valued: ['scale', 'seed'] }, io);
  if (typeof args === 'number') return args;
  const scaleRaw = args.flags.get('scale');
  const scale = scaleRaw === undefined ? 1 : Number(scaleRaw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) {
    return refuseUsage(
      io,
      SEED_DEMO_USAGE,
      `--scale 应为 0 到 1000 之间的数 / --scale must be a number in (0, 1000]`,
    );
  }
  const seedRaw = args.flags.get('seed');
  const seed = seedRaw === undefined ? undefined : Number(seedRaw);
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    return refuseUsage(io, SEED_DEMO_USAGE, `--seed 应为整数 / --seed must be an integer`);
  }
  const config = loadConfig(process.env, { demo: !process.env.DATABASE_URL });
  const db = await openDatabase(config);
  try {
    const t0 = Date.now();
    const summary = await seedDemo(db.pool, fieldCryptoOf(config), {
      scale,
      now: new Date(),
      seed,
      progress: progressPrinter(io),
    });
    io.out(JSON.stringify({ ...summary, seconds: (Date.now() - t0) / 1000 }));
    return summary.records.rejected > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}
