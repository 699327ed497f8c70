import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  DEFAULT_LOG_SUITE,
  auditSettings,
  logSuiteOf,
  newSigningKey,
  signingKeyOf,
  type AuditSettings,
} from './modules/audit/audit.settings';
import { feedSettings, type FeedSettings } from './modules/feed/feed.settings';
import { uploadLimit } from './modules/ingest/ingest.upload';
import { underTestRunner } from './platform/env';

/** One typed, frozen configuration object, read from the environment once. */
export interface Config {
  readonly demo: boolean;
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly embeddedPort: number;
  readonly poolSize: number;
  readonly fieldKey: Buffer;
  /**
   * Field keys being retired (XINYONG_FIELD_KEY_PREVIOUS, comma-separated base64): they only decrypt,
   * while `xinyong rotate-field-key` re-encrypts their data with `fieldKey`.
   */
  readonly previousFieldKeys: readonly Buffer[];
  readonly blindIndexKey: Buffer;
  /**
   * Blind-index keys being retired (XINYONG_BLIND_INDEX_KEY_PREVIOUS, comma-separated base64): lookups
   * also try them, while `xinyong rotate-blind-key` recomputes their values with `blindIndexKey`.
   */
  readonly previousBlindIndexKeys: readonly Buffer[];
  /**
   * The key that signs transparency-log checkpoints (and feed pages), of the suite
   * `audit.suite` (XINYONG_LOG_SUITE): the 32-byte Ed25519 seed for sha256-ed25519, the SM2 private
   * key as PKCS#8 DER for sm3-sm2 (given as PEM or base64 DER).
   */
  readonly signingKey: Buffer;
  /**
   * Signing keys retired by a rotation (XINYONG_SIGNING_KEY_PREVIOUS, comma-separated, each as
   * XINYONG_SIGNING_KEY): they sign nothing, but their public halves stay published and trusted, so
   * that checkpoints signed before the rotation still verify.
   */
  readonly previousSigningKeys: readonly Buffer[];
  readonly secureCookies: boolean;
  readonly sessionHours: number;
  /** A session unused this long is dead (idle expiry). */
  readonly sessionIdleMinutes: number;
  /** Lockout: this many failed logins for one username within the window lock it for lockMinutes. */
  readonly loginMaxFailures: number;
  readonly loginWindowMinutes: number;
  readonly loginLockMinutes: number;
  /** Rate limits per client and route, per minute (docs/security.md). */
  readonly rate: RateConfig;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly publicBaseUrl: string;
  /** Hot public profiles kept in memory (0 disables the cache). */
  readonly profileCacheEntries: number;
  /** How often caches poll the event log for other processes' changes. */
  readonly cachePollMs: number;
  /** Verified API keys kept in memory (0 disables the cache). */
  readonly apiKeyCacheEntries: number;
  /** Bearer token that may read /metrics (XINYONG_METRICS_TOKEN, at least 32 characters). */
  readonly metricsToken: string | null;
  /** Whether direct loopback callers may read /metrics (XINYONG_METRICS_LOOPBACK, default on). */
  readonly metricsLoopback: boolean;
  /**
   * The transparency log: XINYONG_LOG_ORIGIN, XINYONG_CHECKPOINT_MS, XINYONG_LOG_SUITE
   * (audit.settings.ts).
   */
  readonly audit: Readonly<AuditSettings>;
  /** The change feed and webhooks: XINYONG_FEED_JOB_MS, XINYONG_WEBHOOK_* (feed.settings.ts). */
  readonly feed: Readonly<FeedSettings>;
  /** Largest upload to ingest (XINYONG_UPLOAD_LIMIT, e.g. 200MB). */
  readonly uploadLimitBytes: number;
  /**
   * Ingest batches holding a database connection at once (XINYONG_INGEST_BATCHES); null: half the
   * pool. Always kept below the pool size; more wait for a slot without a connection.
   */
  readonly ingestBatches: number | null;
  /**
   * An ingest batch whose input stalls this long inside its transaction fails with BATCH_STALLED
   * (XINYONG_INGEST_IDLE_MS; 0: only the pool's limit for any session, 30 minutes).
   */
  readonly ingestIdleMs: number;
  /**
   * How often the spool of acknowledged async uploads is swept for batches whose server died, so
   * that another server sharing the database and the spool finishes them (XINYONG_INGEST_SWEEP_MS,
   * default 1 minute; 0: only at start, the default under a test runner).
   */
  readonly ingestSweepMs: number;
  /**
   * How often list entries whose period ended or whose review came are given that step
   * (XINYONG_LISTS_JOB_MS, default 10 minutes; 0: off, the default under a test runner).
   */
  readonly listsJobMs: number;
}

export interface RateConfig {
  readonly enabled: boolean;
  /** Counters shared by every process through PostgreSQL (XINYONG_RATE_SHARED=on), else per process. */
  readonly shared: boolean;
  /** Any route not named below. */
  readonly defaultPerMinute: number;
  /** Public name search (`GET /api/v1/public/subjects?q=`): the harvesting target. */
  readonly searchPerMinute: number;
  /** Public lookup by a known code (`GET /api/v1/public/subjects/:code`). */
  readonly lookupPerMinute: number;
  /** `POST /api/v1/auth/login` and TOTP enrolment. */
  readonly loginPerMinute: number;
  /** Failed authentications (bad API key, bad CSRF token, 401/403 with credentials) per address. */
  readonly authFailuresPerMinute: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置无效 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

const KEY_SETTING = /^XINYONG_[A-Z_]+_KEY(_PREVIOUS)?$/;

/**
 * The keys in XINYONG_KEY_FILE, under the environment (a key set in both comes from the
 * environment): `NAME=base64` lines (blank lines and `#` comments allowed) or one JSON object, as
 * a secrets manager or `systemd` credential would hand them over. Only key settings
 * (XINYONG_…_KEY, XINYONG_…_KEY_PREVIOUS) may be in it; keep it readable by the server's user only.
 */
function withKeyFile(env: Env, problems: string[]): Env {
  const file = env.XINYONG_KEY_FILE;
  if (!file) return env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`XINYONG_KEY_FILE=${file}: 无法读取 / cannot be read (${(err as Error).message})`);
    return env;
  }
  const entries: [string, string][] = [];
  if (text.trimStart().startsWith('{')) {
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) entries.push([k, String(v)]);
    } catch {
      problems.push(`XINYONG_KEY_FILE=${file}: 不是合法的 JSON / not valid JSON`);
      return env;
    }
  } else {
    for (const [i, line] of text.split(/\r?\n/).entries()) {
      const l = line.trim();
      if (!l || l.startsWith('#')) continue;
      const eq = l.indexOf('=');
      if (eq <= 0) {
        problems.push(
          `XINYONG_KEY_FILE=${file}: 第 ${i + 1} 行应为 名称=值 / line ${i + 1} must be NAME=value`,
        );
        continue;
      }
      entries.push([l.slice(0, eq).trim(), l.slice(eq + 1).trim()]);
    }
  }
  const keys: Env = {};
  for (const [k, v] of entries) {
    if (!KEY_SETTING.test(k)) {
      problems.push(`XINYONG_KEY_FILE=${file}: ${k} 不是密钥设置 / is not a key setting (XINYONG_…_KEY)`);
      continue;
    }
    keys[k] = v;
  }
  const fromEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return { ...keys, ...fromEnv };
}

/**
 * Reads XINYONG_* (and DATABASE_URL). Every bad key is reported at once. Secrets have no defaults
 * except in demo mode, where keys are generated once and kept in the data directory.
 */
export function loadConfig(
  given: Env,
  opts: {
    demo?: boolean;
    /** Keys under the key file and the environment, as the demo's kept keys are for a demo server. */
    fallbackKeys?: Env;
  } = {},
): Config {
  const problems: string[] = [];
  const own = withKeyFile(given, problems);
  const env = opts.fallbackKeys
    ? { ...opts.fallbackKeys, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v)) }
    : own;
  const demo = opts.demo ?? env.XINYONG_DEMO === '1';
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
  const dataDir = path.resolve(env.XINYONG_DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL: 应为 postgres:// 地址 / must be a postgres:// URL');

  const key = (name: string, bytes: number): Buffer => {
    const raw = env[name];
    if (raw) {
      const buf = Buffer.from(raw, 'base64');
      if (buf.length !== bytes)
        problems.push(`${name}: 应为 ${bytes} 字节的 base64 / must be ${bytes} bytes, base64`);
      return buf;
    }
    if (demo)
      return Buffer.from(
        demoKey(dataDir, name, () => randomBytes(bytes).toString('base64')),
        'base64',
      );
    problems.push(
      `${name}: 非演示模式必须配置 / required outside demo mode (base64 of ${bytes} random bytes)`,
    );
    return Buffer.alloc(bytes);
  };

  // Keys being retired during a rotation: comma-separated base64, each of `bytes` bytes.
  const previous = (name: string, bytes: number): readonly Buffer[] =>
    Object.freeze(
      (env[name] ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)
        .map((k, i) => {
          const buf = Buffer.from(k, 'base64');
          if (buf.length !== bytes)
            problems.push(`${name}[${i}]: 应为 ${bytes} 字节的 base64 / must be ${bytes} bytes, base64`);
          return buf;
        }),
    );

  // The signing keys' form depends on the log's suite (XINYONG_LOG_SUITE): an Ed25519 seed or an
  // SM2 PKCS#8 key. An unknown suite is reported by auditSettings; its keys are then not judged.
  const suite = logSuiteOf(env);
  const signing = (name: string, raw: string, label = name): Buffer => {
    if (suite === null) return Buffer.alloc(32);
    try {
      return signingKeyOf(suite, raw);
    } catch (err) {
      problems.push(`${label}: ${(err as Error).message}`);
      return Buffer.alloc(32);
    }
  };
  const signingKey = (): Buffer => {
    const name = 'XINYONG_SIGNING_KEY';
    const raw = env[name];
    if (raw) return signing(name, raw);
    if (demo) {
      const s = suite ?? DEFAULT_LOG_SUITE;
      // Each suite has its own demo key, so switching a demo data directory's suite never reads a
      // key of the other kind (the stored tree then refuses the switch, see SUITE_MISMATCH).
      return signing(
        name,
        demoKey(dataDir, DEMO_SIGNING_KEY[s], () => newSigningKey(s)),
      );
    }
    problems.push(
      suite === 'sm3-sm2'
        ? `${name}: 非演示模式必须配置 / required outside demo mode (SM2 PKCS#8 private key, PEM or base64 DER: openssl genpkey -algorithm SM2)`
        : `${name}: 非演示模式必须配置 / required outside demo mode (base64 of 32 random bytes)`,
    );
    return Buffer.alloc(32);
  };
  const previousSigningKeys = (): readonly Buffer[] => {
    const name = 'XINYONG_SIGNING_KEY_PREVIOUS';
    return Object.freeze(
      (env[name] ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)
        .map((k, i) => signing(name, k, `${name}[${i}]`)),
    );
  };

  // The modules' own settings are parsed by their parsers, here, once: modules read `config`.
  const settings = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (err) {
      const lines = (err as Error).message.split('\n').slice(1);
      problems.push(...lines.map((l) => l.replace(/^\s*-\s*/, '')));
      if (lines.length === 0) problems.push((err as Error).message);
      return fallback;
    }
  };

  const port = int('XINYONG_PORT', 8080, 0, 65535);
  const host = env.XINYONG_HOST || '127.0.0.1';
  const config: Config = {
    demo,
    host,
    port,
    databaseUrl,
    dataDir,
    embeddedPort: int('XINYONG_EMBEDDED_PG_PORT', 54329, 1024, 65000),
    poolSize: int('XINYONG_DB_POOL', 4, 1, 200),
    fieldKey: key('XINYONG_FIELD_KEY', 32),
    previousFieldKeys: previous('XINYONG_FIELD_KEY_PREVIOUS', 32),
    blindIndexKey: key('XINYONG_BLIND_INDEX_KEY', 32),
    previousBlindIndexKeys: previous('XINYONG_BLIND_INDEX_KEY_PREVIOUS', 32),
    signingKey: signingKey(),
    previousSigningKeys: previousSigningKeys(),
    secureCookies: env.XINYONG_SECURE_COOKIES === '1',
    sessionHours: int('XINYONG_SESSION_HOURS', 8, 1, 24 * 30),
    sessionIdleMinutes: int('XINYONG_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    loginMaxFailures: int('XINYONG_LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginWindowMinutes: int('XINYONG_LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    loginLockMinutes: int('XINYONG_LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    rate: Object.freeze({
      enabled: env.XINYONG_RATE_LIMIT !== '0',
      shared: ['on', '1', 'true'].includes((env.XINYONG_RATE_SHARED ?? '').toLowerCase()),
      defaultPerMinute: int('XINYONG_RATE_DEFAULT_PER_MIN', 600, 1, 10_000_000),
      searchPerMinute: int('XINYONG_RATE_SEARCH_PER_MIN', 90, 1, 10_000_000),
      lookupPerMinute: int('XINYONG_RATE_LOOKUP_PER_MIN', 120, 1, 10_000_000),
      loginPerMinute: int('XINYONG_RATE_LOGIN_PER_MIN', 20, 1, 10_000_000),
      authFailuresPerMinute: int('XINYONG_RATE_AUTH_FAILURES_PER_MIN', 30, 1, 10_000_000),
    }),
    bodyLimitBytes: int('XINYONG_BODY_LIMIT', 1_048_576, 1024, 1_073_741_824),
    logLevel: env.XINYONG_LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    publicBaseUrl: env.XINYONG_PUBLIC_URL || `http://${host}:${port}`,
    profileCacheEntries: int('XINYONG_PROFILE_CACHE', 20_000, 0, 10_000_000),
    cachePollMs: int('XINYONG_CACHE_POLL_MS', 1000, 50, 60_000),
    apiKeyCacheEntries: int('XINYONG_APIKEY_CACHE', 10_000, 0, 1_000_000),
    metricsToken: env.XINYONG_METRICS_TOKEN || null,
    metricsLoopback: env.XINYONG_METRICS_LOOPBACK !== '0' && env.XINYONG_METRICS_LOOPBACK !== 'off',
    audit: Object.freeze(
      settings(() => auditSettings(env), {
        origin: 'xinyong.local/log',
        checkpointMs: 0,
        scheduler: false,
        suite: DEFAULT_LOG_SUITE,
      }),
    ),
    feed: Object.freeze(settings(() => feedSettings(env), feedSettings({ NODE_ENV: 'test' }))),
    uploadLimitBytes: settings(() => uploadLimit(env), uploadLimit({})),
    ingestBatches: env.XINYONG_INGEST_BATCHES ? int('XINYONG_INGEST_BATCHES', 1, 1, 200) : null,
    ingestIdleMs: int('XINYONG_INGEST_IDLE_MS', 600_000, 0, 86_400_000),
    ingestSweepMs:
      underTestRunner(env) && !env.XINYONG_INGEST_SWEEP_MS
        ? 0
        : int('XINYONG_INGEST_SWEEP_MS', 60_000, 0, 86_400_000),
    listsJobMs:
      underTestRunner(env) && !env.XINYONG_LISTS_JOB_MS
        ? 0
        : int('XINYONG_LISTS_JOB_MS', 600_000, 0, 86_400_000),
  };
  if (config.metricsToken !== null && config.metricsToken.length < 32)
    problems.push('XINYONG_METRICS_TOKEN: 至少 32 个字符 / at least 32 characters');
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * The name in `demo-keys.json` of each suite's demo signing key. The SM2 one is kept under its own
 * name; `installedConfig` (cli/backup.ts) hands it over as XINYONG_SIGNING_KEY when
 * XINYONG_LOG_SUITE=sm3-sm2.
 */
export const DEMO_SIGNING_KEY = {
  'sha256-ed25519': 'XINYONG_SIGNING_KEY',
  'sm3-sm2': 'XINYONG_SM2_SIGNING_KEY',
} as const;

/**
 * Demo keys live beside the demo data so that encrypted rows stay readable across restarts. Returns
 * the stored value (base64), made by `make` the first time.
 */
function demoKey(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, 'demo-keys.json');
  mkdirSync(dataDir, { recursive: true });
  const keys: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!keys[name]) {
    keys[name] = make();
    writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
  return keys[name];
}
