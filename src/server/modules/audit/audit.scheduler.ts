import type { Pool } from '../../platform/db';
import { startRounds } from '../../platform/rounds';
import type { LogSigner } from './audit.crypto';
import { advanceLog, checkpoint, type CheckpointView } from './audit.service';

export { auditSettings, DEFAULT_ORIGIN, type AuditSettings } from './audit.settings';

export interface SchedulerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CheckpointScheduler {
  /** Runs one round now, after any in flight; resolves with the new checkpoint, if any. */
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
  const round = async (): Promise<CheckpointView | null> => {
    const advanced = await advanceLog(deps.pool, { suite: deps.signer.suite, now: clock });
    const cp = await checkpoint(deps.pool, deps.signer, { origin: deps.origin, now: clock() });
    if (cp)
      deps.log.info({ treeSize: cp.treeSize, appended: advanced.appended }, 'audit log checkpoint signed');
    return cp;
  };
  // The rounds' own loop (platform/rounds.ts), as the feed's projection and the lists' period job use.
  const rounds = startRounds<void, CheckpointView | null>({
    intervalMs: deps.intervalMs,
    round,
    done: () => undefined, // a round that signed logs it itself
    failed: (err) => deps.log.error({ err }, 'audit log checkpoint failed'),
  });
  return { runOnce: () => rounds.runOnce(), stop: () => rounds.stop() };
}
