import { isValidKeyName } from '../../../domain/merkle';
import type { Pool } from '../../platform/db';
import type { LogSigner } from './audit.crypto';
import { advanceLog, checkpoint, type CheckpointView } from './audit.service';

/**
 * Settings of the log read here rather than in config.ts (kept local to the module):
 *  XINYONG_LOG_ORIGIN     the log's identity, first line of every checkpoint and the key name
 *                         (default xinyong.local/log; set it to your domain, e.g. credit.example.gov.cn/log)
 *  XINYONG_CHECKPOINT_MS  how often the server appends new events and signs a checkpoint if the log
 *                         grew (default 60000; 0 turns the scheduler off). Under a test runner the
 *                         scheduler is off unless this variable is set.
 */
export interface AuditSettings {
  origin: string;
  checkpointMs: number;
  scheduler: boolean;
}

export const DEFAULT_ORIGIN = 'xinyong.local/log';

export function auditSettings(env: Record<string, string | undefined>): AuditSettings {
  const origin = env.XINYONG_LOG_ORIGIN || DEFAULT_ORIGIN;
  const problems: string[] = [];
  if (!isValidKeyName(origin))
    problems.push(
      `XINYONG_LOG_ORIGIN=${origin}: 不能为空、不能含空白或 + / must be non-empty, without spaces or +`,
    );
  const raw = env.XINYONG_CHECKPOINT_MS;
  let checkpointMs = 60_000;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 86_400_000)
      problems.push(
        `XINYONG_CHECKPOINT_MS=${raw}: 应为 0–86400000 的整数 / must be an integer in 0..86400000`,
      );
    else checkpointMs = n;
  }
  if (problems.length)
    throw new Error(`配置无效 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const underTest = env.NODE_ENV === 'test' || env.VITEST !== undefined;
  const asked = raw !== undefined && raw !== '';
  return { origin, checkpointMs, scheduler: checkpointMs > 0 && (!underTest || asked) };
}

export interface SchedulerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CheckpointScheduler {
  /** Runs one round now (also what each tick does); resolves with the new checkpoint, if any. */
  runOnce(): Promise<CheckpointView | null>;
  stop(): Promise<void>;
}

/**
 * Every interval: append new events to the tree, then sign a checkpoint if the tree grew. Both steps
 * take the log's PostgreSQL advisory lock, so with several server processes only one writes at a
 * time and the others find nothing to do. A round never overlaps the previous one in this process.
 */
export function startCheckpointScheduler(deps: {
  pool: Pool;
  signer: LogSigner;
  origin: string;
  intervalMs: number;
  log: SchedulerLog;
  clock?: () => Date;
}): CheckpointScheduler {
  const clock = deps.clock ?? (() => new Date());
  let running: Promise<CheckpointView | null> | null = null;
  let stopped = false;

  const round = async (): Promise<CheckpointView | null> => {
    const advanced = await advanceLog(deps.pool, { suite: deps.signer.suite, now: clock });
    const cp = await checkpoint(deps.pool, deps.signer, { origin: deps.origin, now: clock() });
    if (cp)
      deps.log.info({ treeSize: cp.treeSize, appended: advanced.appended }, 'audit log checkpoint signed');
    return cp;
  };
  const runOnce = (): Promise<CheckpointView | null> => {
    if (!running)
      running = round().finally(() => {
        running = null;
      });
    return running;
  };
  const tick = (): void => {
    if (stopped || running) return;
    runOnce().catch((err: unknown) => deps.log.error({ err }, 'audit log checkpoint failed'));
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  setImmediate(tick); // catch up right after start rather than a full interval later

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
