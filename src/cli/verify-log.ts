import os from 'node:os';
import { openDatabase } from '../server/platform/database';
import { AppError } from '../server/platform/errors';
import {
  auditSettings,
  keyFromVerifierKey,
  logSigner,
  newSigningKey,
  verifyLog,
  type LogKey,
  type VerifyReport,
} from '../server/modules/audit';
import { parseCommand, refuseUsage } from './args';
import { installedConfig } from './backup';
import type { Io } from './main';

const NO_KEY = Buffer.alloc(32).toString('base64');

export const VERIFY_LOG_USAGE = `用法 / usage: xinyong verify-log [--key VKEY]… [--only-keys] [--workers N] [--batch N] [--events-only]
  重新计算事件日志的默克尔树，核验每个签名检查点，并将状态表与日志比对；指出第一处损坏。
  Recomputes the event log's Merkle tree, checks every signed checkpoint and the state tables; names the first broken entry.
  --key VKEY     另外信任的验证密钥（可重复） / also trust this verifier key (repeatable)
  --only-keys    只信任 --key 给出的密钥（无需平台密钥） / trust only the --key keys (no platform key needed)
  --workers N    读取和计算哈希的线程数（默认 CPU 核数，最多 4；0 为本线程） / hashing threads (default: cores, at most 4; 0: this thread)
  --batch N      每次读取的事件数（默认 65536） / events read at a time (default 65536)
  --events-only  只校验日志，不比对状态表 / verify the log only, not the state tables
  退出码 / exit status: 0 通过 OK; 1 发现损坏或无法校验 broken or not verifiable; 2 用法错误 usage error`;

/**
 * `xinyong verify-log [--key <vkey>]… [--only-keys] [--workers N] [--batch N] [--events-only]`:
 * recomputes the whole transparency log from the database and checks every checkpoint, then checks
 * the state tables (records, their versions and stops, subjects, their versions and names, list
 * entries and theirs) against the events that wrote them. Trusted keys: the configured signing key's public half and those of XINYONG_SIGNING_KEY_PREVIOUS,
 * plus any --key given (e.g. a key the
 * platform used before a rotation); --only-keys trusts only those (and needs no platform key).
 * Exits 1 and names the first broken entry or row if anything was changed behind the application's
 * back. Events are read and hashed by N worker threads (default: the cores, at most 4; 0 = this
 * thread). The keys come from the environment, or from a demo data directory; none is invented.
 */
export async function verifyLogCommand(argv: string[], io: Io, env = process.env): Promise<number> {
  const args = parseCommand(
    argv,
    {
      usage: VERIFY_LOG_USAGE,
      valued: ['key', 'batch', 'workers'],
      switches: ['only-keys', 'events-only'],
    },
    io,
  );
  if (typeof args === 'number') return args;
  const usageError = (message: string): number => refuseUsage(io, VERIFY_LOG_USAGE, message);
  const extra = args.values('key');
  const onlyKeys = args.flags.has('only-keys');
  if (onlyKeys && extra.length === 0)
    return usageError('--only-keys 需要至少一个 --key / --only-keys needs at least one --key');
  const batch = Number(args.flags.get('batch') ?? 65_536);
  if (!Number.isInteger(batch) || batch < 1)
    return usageError('--batch 应为正整数 / --batch must be a positive integer');
  const workers = Number(args.flags.get('workers') ?? Math.min(4, os.availableParallelism()));
  if (!Number.isInteger(workers) || workers < 0)
    return usageError('--workers 应为 0 或正整数 / --workers must be 0 or a positive integer');
  const fromKeys: LogKey[] = [];
  for (const k of extra) {
    try {
      fromKeys.push(keyFromVerifierKey(k));
    } catch (err) {
      return usageError(
        `--key 不是有效的验证密钥（应为 <名称>+<密钥 id>+<密钥数据>，见 /.well-known/xinyong/log-keys） / ` +
          `--key is not a verifier key (${(err as Error).message}): ${k}`,
      );
    }
  }
  // Trusting only --key, the platform's keys are not used: an auditor needs none of them.
  const config = installedConfig(
    env,
    onlyKeys
      ? {
          XINYONG_FIELD_KEY: NO_KEY,
          XINYONG_BLIND_INDEX_KEY: NO_KEY,
          XINYONG_SIGNING_KEY: env.XINYONG_LOG_SUITE === 'sm3-sm2' ? newSigningKey('sm3-sm2') : NO_KEY,
        }
      : {},
  );
  const settings = auditSettings({ ...env, XINYONG_CHECKPOINT_MS: '0' });
  // The configured suite (XINYONG_LOG_SUITE): a tree stored by the other one is refused.
  const suite = config.audit.suite;
  const trusted: LogKey[] = fromKeys;
  if (!onlyKeys)
    trusted.push(
      logSigner(suite, settings.origin, config.signingKey),
      // Keys retired by a rotation still vouch for the checkpoints they signed.
      ...config.previousSigningKeys.map((k) => logSigner(suite, settings.origin, k)),
    );
  const db = await openDatabase(config, { migrate: false });
  try {
    let lastShown = 0;
    const report = await verifyLog(db.pool, {
      trusted,
      // Trusting only --key, the keys' suites decide, not this installation's setting.
      suite: onlyKeys ? undefined : suite,
      batchSize: batch,
      workers,
      databaseUrl: db.url,
      state: !args.flags.has('events-only'),
      onProgress: (seq, last) => {
        if (seq - lastShown >= 1_000_000 || seq === last) {
          lastShown = seq;
          io.err(`… ${seq} / ${last}`);
        }
      },
      onStateProgress: (table, id, last) => {
        if (id === last) io.err(`… ${table} ${id} / ${last}`);
      },
    });
    printReport(report, io);
    return report.ok ? 0 : 1;
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'SUITE_MISMATCH') throw err;
    io.err(`拒绝 / REFUSED: ${err.text.zh} / ${err.text.en}`);
    return 1;
  } finally {
    await db.close();
  }
}

export function printReport(r: VerifyReport, io: Io): void {
  const rate = r.seconds > 0 ? Math.round(r.events / r.seconds) : r.events;
  const s = r.state;
  const logSeconds = r.seconds - (s?.seconds ?? 0);
  io.out(
    `日志 / log: ${r.events} 个事件 / events, 树大小 / tree size ${r.treeSize}, ${r.checkpoints} 个检查点 / checkpoints, ` +
      `${r.suite}, ${logSeconds.toFixed(1)} s (${logSeconds > 0 ? Math.round(r.events / logSeconds) : rate} events/s)`,
  );
  if (s) {
    const rows =
      s.records +
      s.recordVersions +
      s.recordStops +
      s.subjects +
      s.subjectVersions +
      s.subjectNames +
      s.listEntries +
      s.listEntrySteps;
    io.out(
      `状态表 / state: ${s.records} records, ${s.recordVersions} record versions, ${s.recordStops} record stops, ` +
        `${s.subjects} subjects, ${s.subjectVersions} subject versions, ${s.subjectNames} subject names, ` +
        `${s.listEntries} list entries, ${s.listEntrySteps} list entry steps, ` +
        `${s.seconds.toFixed(1)} s (${s.seconds > 0 ? Math.round(rows / s.seconds) : rows} rows/s)`,
    );
    if (s.unverifiedPayloads > 0)
      io.out(
        `  注意 / note: ${s.unverifiedPayloads} 个记录内容只能与其孪生行比对 / record payloads could only be compared ` +
          `with their twin row (record.created logged the hash of the submitted field order; see docs/audit.md)`,
      );
  }
  if (r.ok) {
    io.out(
      s
        ? '通过 / OK: 事件、默克尔树、全部检查点和状态表一致 / events, Merkle tree, every checkpoint and the state tables agree'
        : '通过 / OK: 事件、默克尔树和全部检查点一致 / events, Merkle tree and every checkpoint agree',
    );
    return;
  }
  if (r.firstBrokenSeq !== null || r.firstBrokenRow === null)
    io.out(`失败 / BROKEN: 第一个损坏的条目 / first broken entry: seq ${r.firstBrokenSeq ?? '?'}`);
  if (r.firstBrokenRow !== null)
    io.out(
      `失败 / BROKEN: 第一个与日志不符的行 / first row that disagrees with the log: ${r.firstBrokenRow}`,
    );
  for (const p of r.problems)
    io.out(
      p.table
        ? `  - [${p.kind}] ${p.message}`
        : `  - [${p.kind}] seq ${p.seq}${p.lastSeq !== undefined ? `..${p.lastSeq}` : ''}: ${p.message}`,
    );
  if (r.problemCount > r.problems.length) io.out(`  … 另有 / and ${r.problemCount - r.problems.length} more`);
}
