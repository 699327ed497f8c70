import os from 'node:os';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/platform/database';
import {
  auditSettings,
  ed25519Signer,
  keyFromVerifierKey,
  verifyLog,
  type LogKey,
  type VerifyReport,
} from '../server/modules/audit';
import { parseArgs } from './args';
import type { Io } from './main';

/**
 * `xinyong verify-log [--key <vkey>]… [--only-keys] [--workers N] [--batch N]`: recomputes the whole transparency log from the
 * database and checks every checkpoint. Trusted keys: the configured signing key's public half, plus
 * any --key given (e.g. a key the platform used before a rotation); --only-keys trusts only those.
 * Exits 1 and names the first broken entry if anything was changed behind the application's back.
 * Events are read and hashed by N worker threads (default: the cores, at most 4; 0 = this thread).
 */
export async function verifyLogCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ['key', 'batch', 'workers']);
  const extra = argv.flatMap((a, i) =>
    a === '--key' ? [argv[i + 1] ?? ''] : a.startsWith('--key=') ? [a.slice(6)] : [],
  );
  const config = loadConfig(process.env, { demo: !process.env.DATABASE_URL });
  const settings = auditSettings({ ...process.env, XINYONG_CHECKPOINT_MS: '0' });
  const trusted: LogKey[] = extra.map(keyFromVerifierKey);
  if (!args.flags.has('only-keys')) trusted.push(ed25519Signer(settings.origin, config.signingKey));
  const batch = Number(args.flags.get('batch') ?? 65_536);
  const workers = Number(args.flags.get('workers') ?? Math.min(4, os.availableParallelism()));
  const db = await openDatabase(config, { migrate: false });
  try {
    let lastShown = 0;
    const report = await verifyLog(db.pool, {
      trusted,
      batchSize: Number.isInteger(batch) && batch > 0 ? batch : 65_536,
      workers: Number.isInteger(workers) && workers >= 0 ? workers : 0,
      databaseUrl: db.url,
      onProgress: (seq, last) => {
        if (seq - lastShown >= 1_000_000 || seq === last) {
          lastShown = seq;
          io.err(`… ${seq} / ${last}`);
        }
      },
    });
    printReport(report, io);
    return report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

export function printReport(r: VerifyReport, io: Io): void {
  const rate = r.seconds > 0 ? Math.round(r.events / r.seconds) : r.events;
  io.out(
    `日志 / log: ${r.events} 个事件 / events, 树大小 / tree size ${r.treeSize}, ${r.checkpoints} 个检查点 / checkpoints, ` +
      `${r.suite}, ${r.seconds.toFixed(1)} s (${rate} events/s)`,
  );
  if (r.ok) {
    io.out('通过 / OK: 事件、默克尔树和全部检查点一致 / events, Merkle tree and every checkpoint agree');
    return;
  }
  io.out(`失败 / BROKEN: 第一个损坏的条目 / first broken entry: seq ${r.firstBrokenSeq ?? '?'}`);
  for (const p of r.problems)
    io.out(`  - [${p.kind}] seq ${p.seq}${p.lastSeq !== undefined ? `..${p.lastSeq}` : ''}: ${p.message}`);
  if (r.problemCount > r.problems.length) io.out(`  … 另有 / and ${r.problemCount - r.problems.length} more`);
}
