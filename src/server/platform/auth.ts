import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from './context';
import { CommonErrors } from './errors';

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

export function installAccessControl(app: FastifyInstance, authenticate: Authenticator): void {
  app.decorateRequest('actor', null as never);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: readonly Access[] } | undefined)?.access;
    if (!access || access.length === 0) {
      const url = route.url ?? route.path;
      if (isInfrastructureRoute(url)) return;
      throw new Error(`route ${String(route.method)} ${url} declares no access (deny by default)`);
    }
  });
  app.addHook('onRequest', async (request) => {
    request.actor = await authenticate(request);
  });
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) {
      if (isInfrastructureRoute(request.routeOptions.url ?? '')) return;
      throw CommonErrors.FORBIDDEN();
    }
    if (allows(access, request.actor)) return;
    if (request.actor.kind === 'public') throw CommonErrors.UNAUTHENTICATED();
    throw CommonErrors.FORBIDDEN();
  });
}

// Routes added by plugins we do not own (the docs UI's static files, the web app's hashed
// assets) and HEAD twins.
function isInfrastructureRoute(url: string | undefined): boolean {
  return typeof url === 'string' && (url.startsWith('/api/docs') || url.startsWith('/assets/'));
}
