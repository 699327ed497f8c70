import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import type { Pool } from './db';

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
  app.get('/metrics', { config: { access: ['public'] }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}
