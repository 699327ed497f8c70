import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import { safeEqual, sha256 } from './crypto';
import type { Pool } from './db';
import { CommonErrors } from './errors';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's metric registry: modules add their gauges to it (remedies, feed: issue 6). */
    metrics: Registry;
  }
}

/** Prometheus metrics at /metrics: request latency by route, pool state, Node defaults. */
export function installMetrics(app: FastifyInstance, pool: Pool): Registry {
  const registry = new Registry();
  app.decorate('metrics', registry); // issue 6: modules register their own gauges
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'xinyong_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'xinyong_http_errors_total',
    help: 'Responses with status >= 500',
    labelNames: ['route'],
    registers: [registry],
  });
  new Gauge({
    name: 'xinyong_db_pool_clients',
    help: 'Database pool clients by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) errors.inc({ route });
  });
  // Not public: operational detail (routes, error counts, pool state) helps an attacker. Allowed
  // are a platform administrator's session, the configured bearer token (Prometheus'
  // `authorization` setting), and — unless switched off — direct loopback callers (docs/security.md).
  // The route is `public` in the access table because the token is not an API key; this gate decides.
  const config = app.platform.config;
  app.get('/metrics', { config: { access: ['public'] }, schema: { hide: true } }, async (request, reply) => {
    if (!metricsAllowed(request, config)) {
      throw request.actor.kind === 'public' ? CommonErrors.UNAUTHENTICATED() : CommonErrors.FORBIDDEN();
    }
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** Who may read /metrics (see installMetrics). */
export function metricsAllowed(
  request: FastifyRequest,
  config: { metricsToken: string | null; metricsLoopback: boolean },
): boolean {
  const actor = request.actor;
  if (actor?.kind === 'user' && actor.roles.includes('platform_admin')) return true;
  const auth = request.headers.authorization;
  if (config.metricsToken && auth?.startsWith('Bearer ')) {
    if (safeEqual(sha256(auth.slice(7).trim()), sha256(config.metricsToken))) return true;
  }
  // A request relayed by a reverse proxy on this host arrives from loopback too: one that carries a
  // forwarding header is not treated as local.
  return (
    config.metricsLoopback &&
    LOOPBACK.has(request.socket.remoteAddress ?? '') &&
    !FORWARDED.some((h) => h in request.headers)
  );
}
