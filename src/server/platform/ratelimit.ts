import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateConfig } from '../config';
import { withTransaction, type Pool } from './db';
import { defineErrors } from './errors';
import { appendEvents } from './events';
import { rateRepo } from './ratelimit.repository';

export const RateErrors = defineErrors({
  RATE_LIMITED: {
    kind: 'rate_limited',
    zh: '请求过于频繁，请 {retryAfter} 秒后再试',
    en: 'Too many requests; retry in {retryAfter} s',
  },
});

/** Which budget a request draws on; each client has one budget per route (and per bucket). */
export function rateBucket(request: FastifyRequest): 'search' | 'lookup' | 'login' | 'default' {
  const url = request.routeOptions.url;
  // Every public route that takes free text to match names draws on the search budget.
  if (url === '/api/v1/public/subjects') return 'search';
  if (SEARCHABLE.has(url ?? '') && hasQuery(request)) return 'search';
  if (url === '/api/v1/public/subjects/:code') return 'lookup';
  if (url === '/api/v1/auth/login' || url === '/api/v1/auth/totp/enrol') return 'login';
  return 'default';
}

const SEARCHABLE = new Set(['/api/v1/public/records', '/api/v1/public/lists/:code/entries']);

function hasQuery(request: FastifyRequest): boolean {
  const q = (request.query as { q?: unknown } | undefined)?.q;
  return typeof q === 'string' && q.trim() !== '';
}

/** The client: a logged-in user or API key by identity, an anonymous caller by address. */
export function clientKey(request: FastifyRequest): string {
  const a = request.actor;
  if (a?.kind === 'user') return `user:${a.userId}`;
  if (a?.kind === 'apikey') return `apikey:${a.keyId}`;
  return `ip:${request.ip}`;
}

const LOG_EVERY_MS = 60_000;

/**
 * One `security.throttled` event per client a minute (`logged` remembers when each was last
 * written), in a transaction of its own after the answer; a failure to log is only warned about.
 */
function logThrottled(
  pool: Pool,
  logged: Map<string, number>,
  request: FastifyRequest,
  client: string,
  detail: Record<string, unknown>,
): void {
  const last = logged.get(client);
  const nowMs = Date.now();
  if (last !== undefined && nowMs - last < LOG_EVERY_MS) return;
  logged.set(client, nowMs);
  if (logged.size > 100_000) logged.clear();
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  void withTransaction(pool, (tx) =>
    appendEvents(
      { db: tx, actor: request.actor ?? { kind: 'public' }, requestId: request.id, now: request.now },
      [
        {
          type: 'security.throttled',
          entityType: 'client',
          entityId: client,
          payload: { client, route, ...detail },
        },
      ],
    ),
  ).catch((err: unknown) => request.log.warn({ err }, 'could not log throttling'));
}

type Counted = { current: number; ttl: number };
type Callback = (err: Error | null, res?: Counted) => void;

const WINDOW_MS = 60_000;

/**
 * The store of @fastify/rate-limit backed by PostgreSQL (`rate_counters`, an unlogged table):
 * every process draws on the same counters, so a client spreading requests over several processes
 * or machines gets one budget. One round trip per request.
 */
function postgresStore(pool: Pool): new () => object {
  return class PostgresStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      rateRepo.increment(pool, key, timeWindow).then(
        (r) => cb(null, { current: r.count, ttl: r.ttl }),
        (err: Error) => cb(err),
      );
    }
    read(key: string, cb: Callback, timeWindow: number): void {
      rateRepo.read(pool, key, timeWindow).then(
        (r) => cb(null, { current: r.count, ttl: r.ttl }),
        (err: Error) => cb(err),
      );
    }
    child(): PostgresStore {
      return this;
    }
  };
}

/**
 * Per client and per route limits over a one-minute window: in memory (one process), or shared by
 * all processes through PostgreSQL with XINYONG_RATE_SHARED=on. Public name
 * search is tighter than lookup by a known code, so the register cannot be harvested by searching;
 * a throttled client gets 429 with Retry-After and the bilingual error, and one `security.throttled`
 * event per client per minute records the attempt.
 */
export async function installRateLimit(app: FastifyInstance, rate: RateConfig, pool: Pool): Promise<void> {
  if (!rate.enabled) return;
  const logged = new Map<string, number>();
  const perMinute = (request: FastifyRequest): number => {
    switch (rateBucket(request)) {
      case 'search':
        return rate.searchPerMinute;
      case 'lookup':
        return rate.lookupPerMinute;
      case 'login':
        return rate.loginPerMinute;
      default:
        return rate.defaultPerMinute;
    }
  };
  if (rate.shared) {
    // Windows that ended are swept once a minute (by every process; the delete is cheap).
    const timer = setInterval(() => void rateRepo.sweep(pool, 2 * WINDOW_MS).catch(() => 0), WINDOW_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: WINDOW_MS,
    cache: 100_000,
    ...(rate.shared
      ? {
          store: postgresStore(pool) as never,
          // The database unreachable: the request fails on its own anyway; do not answer 500 here.
          skipOnError: true,
        }
      : {}),
    max: async (request) => perMinute(request),
    keyGenerator: (request) => `${clientKey(request)}|${request.method} ${request.routeOptions.url ?? '?'}`,
    // Infrastructure probes are never limited.
    allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
    errorResponseBuilder: (_request, context) =>
      RateErrors.RATE_LIMITED({ retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)) }),
    onExceeded: (request) =>
      logThrottled(pool, logged, request, clientKey(request), {
        bucket: rateBucket(request),
        limitPerMinute: perMinute(request),
      }),
  });
}

/**
 * Failed authentications per client address: a wrong or revoked API key, a CSRF token that does not
 * match, a request refused 401/403 although it carried credentials. Limits are otherwise counted
 * per identity after authentication, so without this a caller guessing keys would never be
 * throttled, and each guess costs a key lookup. Once an address has used up its budget, requests
 * from it that carry credentials are refused with 429 before any lookup, for the rest of the window.
 */
export interface AuthThrottle {
  /** Seconds to wait when `request` may not try to authenticate now, else 0. */
  retryAfter(request: FastifyRequest): Promise<number>;
  /** Counts a failed authentication of `request`. */
  failed(request: FastifyRequest): Promise<void>;
}

export function authFailureThrottle(rate: RateConfig, pool: Pool): AuthThrottle | undefined {
  if (!rate.enabled) return undefined;
  const max = rate.authFailuresPerMinute;
  const key = (request: FastifyRequest) => `authfail|ip:${request.ip}`;
  const logged = new Map<string, number>();
  const log = (request: FastifyRequest, count: number) =>
    logThrottled(pool, logged, request, `ip:${request.ip}`, {
      bucket: 'auth_failures',
      limitPerMinute: max,
      failures: count,
    });
  if (rate.shared)
    return {
      async retryAfter(request) {
        const r = await rateRepo.read(pool, key(request), WINDOW_MS).catch(() => ({ count: 0, ttl: 0 }));
        return r.count >= max ? Math.max(1, Math.ceil(r.ttl / 1000)) : 0;
      },
      async failed(request) {
        const r = await rateRepo.increment(pool, key(request), WINDOW_MS).catch(() => undefined);
        if (r && r.count >= max) log(request, r.count);
      },
    };
  const windows = new Map<string, { count: number; start: number }>();
  const current = (k: string, nowMs: number) => {
    const w = windows.get(k);
    return w && nowMs - w.start < WINDOW_MS ? w : undefined;
  };
  return {
    async retryAfter(request) {
      const nowMs = Date.now();
      const w = current(key(request), nowMs);
      return w && w.count >= max ? Math.max(1, Math.ceil((w.start + WINDOW_MS - nowMs) / 1000)) : 0;
    },
    async failed(request) {
      const nowMs = Date.now();
      const k = key(request);
      const w = current(k, nowMs) ?? { count: 0, start: nowMs };
      w.count += 1;
      if (windows.size > 100_000) windows.clear();
      windows.set(k, w);
      if (w.count >= max) log(request, w.count);
    },
  };
}
