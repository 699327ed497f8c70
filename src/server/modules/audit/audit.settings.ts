import { isValidKeyName } from '../../../domain/merkle';

/**
 * Settings of the log, parsed by loadConfig (src/server/config.ts) into `config.audit`:
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
    // Checkpoints are signed at least every minute while the log grows (issue 7): no longer interval.
    if (!Number.isInteger(n) || n < 0 || n > 60_000)
      problems.push(
        `XINYONG_CHECKPOINT_MS=${raw}: 应为 0–60000 的整数（至少每分钟签署一次检查点；0 为关闭）/ must be an integer in 0..60000 (a checkpoint at least every minute; 0 turns it off)`,
      );
    else checkpointMs = n;
  }
  if (problems.length)
    throw new Error(`配置无效 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const underTest = env.NODE_ENV === 'test' || env.VITEST !== undefined;
  const asked = raw !== undefined && raw !== '';
  return { origin, checkpointMs, scheduler: checkpointMs > 0 && (!underTest || asked) };
}
