import type { Pool } from '../../platform/db';
import type { LogSigner } from './audit.crypto';
import { advanceLog, checkpoint, type CheckpointView } from './audit.service';

export { auditSettings, DEFAULT_ORIGIN, type AuditSettings } from './audit.settings';

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
