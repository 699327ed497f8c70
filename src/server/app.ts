import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import type { Config } from './config';
import { installAccessControl } from './platform/auth';
import { fieldCryptoOf } from './platform/crypto';
import type { Pool } from './platform/db';
import { CommonErrors } from './platform/errors';
import { sendError } from './platform/http';
import { installMetrics } from './platform/metrics';
import { authFailureThrottle, installRateLimit } from './platform/ratelimit';
import type { Platform } from './platform/platform';
import { appPolicy, webApp } from './platform/web';
import { authenticate } from './modules/accounts';
import { registerModules } from './modules';

export interface AppDeps {
  config: Config;
  pool: Pool;
  clock?: () => Date;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, pool } = deps;
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        allErrors: false,
        allowUnionTypes: true,
      },
    },
    trustProxy: false,
  });

  const platform: Platform = {
    config,
    pool,
    crypto: fieldCryptoOf(config),
    clock: deps.clock ?? (() => new Date()),
  };
  app.decorate('platform', platform);
  app.decorateRequest('now', null as never);
  app.addHook('onRequest', async (request, reply) => {
    request.now = platform.clock();
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Xinyong 信用 API',
        version: '0.1.0',
        description: '公共信用信息平台接口 / Public credit information platform API',
        license: { name: 'Mulan PSL v2', url: 'http://license.coscl.org.cn/MulanPSL2' },
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'xy_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installAccessControl(
    app,
    (request) => authenticate(platform, request),
    authFailureThrottle(config.rate, pool),
  );
  await installRateLimit(app, config.rate, pool);
  installMetrics(app, pool);

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (config.secureCookies)
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Answers that depend on who asked must not sit in shared caches.
    if (request.actor && request.actor.kind !== 'public' && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    const type = String(reply.getHeader('content-type') ?? '');
    if (
      type.startsWith('text/html') &&
      !reply.hasHeader('content-security-policy') &&
      !request.url.startsWith('/api/docs')
    )
      reply.header('content-security-policy', appPolicy());
    return payload;
  });

  app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
  app.setNotFoundHandler((request, reply) => sendError(request, reply, CommonErrors.ROUTE_NOT_FOUND()));

  app.get('/api/openapi.json', { config: { access: ['public'] }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get('/healthz', { config: { access: ['public'] }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { config: { access: ['public'] }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  await registerModules(app);
  await app.register(webApp);
  return app;
}
