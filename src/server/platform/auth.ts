import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from './context';
import { AppError, CommonErrors, defineErrors } from './errors';
import { RateErrors, type AuthThrottle } from './ratelimit';

const ScopeErrors = defineErrors({
  API_KEY_SCOPE_MISSING: {
    kind: 'forbidden',
    zh: '该 API 密钥缺少所需权限范围：{scopes}',
    en: 'This API key lacks the required scope(s): {scopes}',
  },
});

/**
 * Who may call a route. Every route must declare it (deny by default): a route registered without
 * `config.access` makes the server refuse to start.
 *  - 'public': anyone, including anonymous callers
 *  - a Role: a logged-in user holding that role
 *  - 'apikey': a department system authenticated with an API key
 *  - 'user': any logged-in user
 */
export type Access = 'public' | 'user' | 'apikey' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: readonly Access[];
    /**
     * Scopes an API-key caller must hold (all of them) on top of `access`; users are unaffected.
     * Routes without `scopes` accept any key their `access` admits.
     */
    scopes?: readonly string[];
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

export function allows(access: readonly Access[], actor: Actor): boolean {
  if (access.includes('public')) return true;
  if (actor.kind === 'apikey') return access.includes('apikey');
  if (actor.kind === 'user') {
    if (access.includes('user')) return true;
    return actor.roles.some((r) => access.includes(r));
  }
  return false;
}

export type Authenticator = (request: FastifyRequest) => Promise<Actor>;

export interface AccessEntry {
  method: string;
  url: string;
  access: readonly Access[];
  scopes?: readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with who may call it: the single table authorisation is driven by. */
    accessTable: AccessEntry[];
  }
}

/**
 * `throttle` (platform/ratelimit.ts) counts failed authentications per address and refuses an
 * address that used up its budget before looking its credentials up.
 */
export function installAccessControl(
  app: FastifyInstance,
  authenticate: Authenticator,
  throttle?: AuthThrottle,
): void {
  const table: AccessEntry[] = [];
  app.decorate('accessTable', table);
  app.decorateRequest('actor', null as never);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: readonly Access[] } | undefined)?.access;
    const url = route.url ?? route.path;
    if (!access || access.length === 0) {
      if (isInfrastructureRoute(url)) return;
      throw new Error(`route ${String(route.method)} ${url} declares no access (deny by default)`);
    }
    const scopes = (route.config as { scopes?: readonly string[] } | undefined)?.scopes;
    for (const method of [route.method].flat())
      if (method !== 'HEAD') table.push({ method, url, access, ...(scopes ? { scopes } : {}) });
  });
  // Checked as soon as the caller is known, before the body is read or validated: a caller who may
  // not use a route learns nothing about its input rules and cannot make it parse a large body.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    const credentials = carriesCredentials(request, access);
    if (throttle && credentials) {
      const retryAfter = await throttle.retryAfter(request);
      if (retryAfter > 0) {
        reply.header('retry-after', String(retryAfter));
        throw RateErrors.RATE_LIMITED({ retryAfter });
      }
    }
    try {
      request.actor = await authenticate(request);
      decide(request, access);
    } catch (err) {
      if (throttle && credentials && isAuthFailure(err)) await throttle.failed(request);
      throw err;
    }
  });
}

function decide(request: FastifyRequest, access: readonly Access[] | undefined): void {
  const url = request.routeOptions.url;
  if (url === undefined) return; // no such route: the not-found handler answers
  if (!access) {
    if (isInfrastructureRoute(url)) return;
    throw CommonErrors.FORBIDDEN();
  }
  if (allows(access, request.actor)) {
    const scopes = request.routeOptions.config.scopes;
    const actor = request.actor;
    if (actor.kind === 'apikey' && scopes && !scopes.every((sc) => actor.scopes.includes(sc)))
      throw ScopeErrors.API_KEY_SCOPE_MISSING({ scopes: scopes.join(', ') });
    return;
  }
  if (request.actor.kind === 'public') throw CommonErrors.UNAUTHENTICATED();
  throw CommonErrors.FORBIDDEN();
}

/**
 * A request that tries to authenticate: an `Authorization` header anywhere, or a cookie on a route
 * that is not public (a browser with a stale session cookie can still read public pages).
 */
function carriesCredentials(request: FastifyRequest, access: readonly Access[] | undefined): boolean {
  if (request.headers.authorization !== undefined) return true;
  return request.headers.cookie !== undefined && !(access ?? []).includes('public');
}

function isAuthFailure(err: unknown): boolean {
  return err instanceof AppError && (err.kind === 'unauthenticated' || err.kind === 'forbidden');
}

// Routes added by plugins we do not own (the docs UI's static files, the web app's hashed
// assets) and HEAD twins.
function isInfrastructureRoute(url: string | undefined): boolean {
  return typeof url === 'string' && (url.startsWith('/api/docs') || url.startsWith('/assets/'));
}
