import { underTestRunner } from '../../platform/env';

/**
 * Settings of the change feed, read here rather than in config.ts (kept local to the module, as the
 * audit log does):
 *  XINYONG_FEED_JOB_MS            how often the projection is brought up to date and expired
 *                                 disclosure windows become events (default 15000; 0 = off)
 *  XINYONG_WEBHOOK_POLL_MS        how often the delivery worker looks for due subscriptions
 *                                 (default 1000; 0 = off); local commits also wake it at once
 *  XINYONG_WEBHOOK_ALLOW_PRIVATE  1 = webhook URLs may point to private, loopback or reserved
 *                                 addresses (tests, closed government networks); default refused
 *  XINYONG_WEBHOOK_MAX_ATTEMPTS   consecutive failures before a subscription is dead-lettered (8)
 *  XINYONG_WEBHOOK_BACKOFF_MS     first retry delay; doubles each failure (2000)
 *  XINYONG_WEBHOOK_BACKOFF_MAX_MS longest retry delay (3600000)
 *  XINYONG_WEBHOOK_TIMEOUT_MS     per-delivery HTTP timeout (10000)
 *  XINYONG_WEBHOOK_BATCH          events per delivery (100)
 * Under a test runner both background jobs are off unless their variable is set.
 */
export interface FeedSettings {
  jobMs: number;
  pollMs: number;
  allowPrivate: boolean;
  maxAttempts: number;
  backoffMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
  batch: number;
}

export function feedSettings(env: Record<string, string | undefined>): FeedSettings {
  const problems: string[] = [];
  const underTest = underTestRunner(env);
  const int = (key: string, def: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key}=${raw}: 应为 ${min}–${max} 的整数 / must be an integer in ${min}..${max}`);
      return def;
    }
    return n;
  };
  const job = (key: string, def: number): number => {
    const asked = env[key] !== undefined && env[key] !== '';
    const v = int(key, def, 0, 86_400_000);
    return underTest && !asked ? 0 : v;
  };
  const s: FeedSettings = {
    jobMs: job('XINYONG_FEED_JOB_MS', 15_000),
    pollMs: job('XINYONG_WEBHOOK_POLL_MS', 1_000),
    allowPrivate: env.XINYONG_WEBHOOK_ALLOW_PRIVATE === '1',
    maxAttempts: int('XINYONG_WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
    backoffMs: int('XINYONG_WEBHOOK_BACKOFF_MS', 2_000, 1, 86_400_000),
    backoffMaxMs: int('XINYONG_WEBHOOK_BACKOFF_MAX_MS', 3_600_000, 1, 7 * 86_400_000),
    timeoutMs: int('XINYONG_WEBHOOK_TIMEOUT_MS', 10_000, 100, 600_000),
    batch: int('XINYONG_WEBHOOK_BATCH', 100, 1, 1000),
  };
  if (problems.length)
    throw new Error(`配置无效 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return s;
}

/** The delay before retry number `attempt` (1-based): base × 2^(attempt−1), capped. */
export function backoffDelay(s: Pick<FeedSettings, 'backoffMs' | 'backoffMaxMs'>, attempt: number): number {
  return Math.min(s.backoffMaxMs, s.backoffMs * 2 ** Math.max(0, attempt - 1));
}
