import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Actor, Ctx } from '../../platform/context';
import { AppError, CommonErrors, defineErrors } from '../../platform/errors';
import { withTransaction } from '../../platform/db';
import { inTx, readCtx, type Platform } from '../../platform/platform';
import {
  ApiKeySchema,
  CreateApiKeyBody,
  CreateDepartmentBody,
  CreateUserBody,
  DepartmentSchema,
  IdParams,
  LoginBody,
  MeSchema,
  RotateApiKeyBody,
  TotpEnrolmentSchema,
  UserSchema,
} from './accounts.schemas';
import * as svc from './accounts.service';
import { AccountErrors } from './accounts.errors';
import { ApiKeyCache } from './accounts.keycache';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

export const SESSION_COOKIE = 'xy_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const AuthErrors = defineErrors({
  CSRF_TOKEN_INVALID: {
    kind: 'forbidden',
    zh: '缺少或错误的 CSRF 令牌（请求头 X-CSRF-Token）',
    en: 'Missing or wrong CSRF token (X-CSRF-Token header)',
  },
});

/** Each app's cache of verified API keys (accounts.keycache.ts). */
const keyCaches = new WeakMap<Platform, ApiKeyCache>();

/**
 * Resolves who is calling: an API key (`Authorization: Bearer xy_…`) or a session cookie. Anonymous
 * requests cost no database round trip; a known API key none either (the cache). Cookie-authenticated
 * writes must echo the session's CSRF token.
 */
export async function authenticate(platform: Platform, request: FastifyRequest): Promise<Actor> {
  const auth = request.headers.authorization;
  const ctx = {
    db: platform.pool,
    actor: { kind: 'public' } as Actor,
    requestId: request.id,
    now: request.now,
  };
  // The metrics scraper's token is not an API key: /metrics checks it itself (platform/metrics.ts).
  if (
    auth?.startsWith('Bearer ') &&
    !(request.url.split('?')[0] === '/metrics' && !auth.slice(7).trim().startsWith('xy_'))
  ) {
    const key = await svc.resolveApiKey(ctx, auth.slice(7).trim(), keyCaches.get(platform));
    if (!key) throw AccountErrors.API_KEY_INVALID();
    return { kind: 'apikey', keyId: key.keyId, departmentId: key.departmentId, scopes: key.scopes };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return { kind: 'public' };
  const user = await svc.sessionUser(ctx, token, platform.config.sessionIdleMinutes);
  if (!user) return { kind: 'public' };
  if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== user.csrfToken)
    throw AuthErrors.CSRF_TOKEN_INVALID();
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    roles: user.roles,
    departmentId: user.departmentId,
    subjectId: user.subjectId,
  };
}

export async function accountsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['accounts'];
  const policy: svc.LoginPolicy = {
    sessionHours: p.config.sessionHours,
    maxFailures: p.config.loginMaxFailures,
    windowMinutes: p.config.loginWindowMinutes,
    lockMinutes: p.config.loginLockMinutes,
  };
  svc.useFieldCryptoForAccounts(p.crypto);
  const keyCache = new ApiKeyCache(p.config.apiKeyCacheEntries, 5 * 60_000);
  await keyCache.start(p.pool, p.config.cachePollMs);
  keyCaches.set(p, keyCache);
  fastify.addHook('onClose', async () => keyCache.stop());
  // TOTP secrets written in plaintext before migration 0017 are sealed at start.
  await withTransaction(p.pool, (tx) => svc.sealPlaintextTotpSecrets(tx, p.crypto, p.clock()));
  /** Runs a password-checking use case; a failed attempt is counted in a transaction of its own. */
  async function counted<T>(
    request: FastifyRequest,
    username: string,
    fn: (ctx: Ctx) => Promise<T>,
  ): Promise<T> {
    try {
      return await inTx(p, request, fn);
    } catch (err) {
      if (err instanceof AppError && svc.COUNTED_LOGIN_FAILURES.has(err.code))
        await inTx(p, request, (ctx) => svc.recordLoginFailure(ctx, username, policy));
      throw err;
    }
  }

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: ['public'] },
      schema: { tags, summary: '登录 / Log in', body: LoginBody, response: { 200: MeSchema } },
    },
    async (request, reply) => {
      const result = await counted(request, request.body.username, (ctx) =>
        svc.login(ctx, request.body, policy, p.crypto),
      );
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: p.config.secureCookies,
        expires: result.expiresAt,
      });
      const department =
        result.user.departmentId !== null
          ? await svc.getDepartment(readCtx(p, request), result.user.departmentId)
          : null;
      return { user: result.user, csrfToken: result.csrfToken, department };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: ['user'] }, schema: { tags, summary: '退出登录 / Log out' } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await inTx(p, request, (ctx) => svc.logout(ctx, token));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.post(
    '/api/v1/auth/totp/enrol',
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '绑定动态口令（TOTP） / Enrol a TOTP authenticator',
        description:
          'Password (and the current code when one is enrolled) → a new secret and otpauth:// URI; the next login with a code for it confirms it.',
        body: LoginBody,
        response: { 200: TotpEnrolmentSchema },
      },
    },
    async (request) =>
      counted(request, request.body.username, (ctx) => svc.startTotpEnrolment(ctx, request.body, p.crypto)),
  );

  app.delete(
    '/api/v1/auth/sessions',
    { config: { access: ['user'] }, schema: { tags, summary: '结束我的其他会话 / End my other sessions' } },
    async (request) => {
      const actor = request.actor;
      if (actor.kind !== 'user') throw CommonErrors.FORBIDDEN();
      const current = request.cookies[SESSION_COOKIE] ?? null;
      return inTx(p, request, (ctx) => svc.revokeUserSessions(ctx, actor.userId, current));
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: ['user'] },
      schema: { tags, summary: '当前用户 / Current user', response: { 200: MeSchema } },
    },
    async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      const user = token
        ? await svc.sessionUser(readCtx(p, request), token, p.config.sessionIdleMinutes)
        : null;
      if (!user) throw CommonErrors.UNAUTHENTICATED();
      const department =
        user.departmentId !== null ? await svc.getDepartment(readCtx(p, request), user.departmentId) : null;
      const { csrfToken, ...rest } = user;
      return { user: rest, csrfToken, department };
    },
  );

  app.get(
    '/api/v1/departments',
    {
      config: { access: ['user'] },
      schema: { tags, summary: '部门列表 / Departments', response: { 200: Type.Array(DepartmentSchema) } },
    },
    async (request) => svc.listDepartments(readCtx(p, request)),
  );

  app.post(
    '/api/v1/departments',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '新建部门 / Create department',
        body: CreateDepartmentBody,
        response: { 201: DepartmentSchema },
      },
    },
    async (request, reply) => {
      const dept = await inTx(p, request, (ctx) => svc.createDepartment(ctx, request.body));
      return reply.status(201).send(dept);
    },
  );

  app.get(
    '/api/v1/users',
    {
      config: { access: ['platform_admin'] },
      schema: { tags, summary: '用户列表 / Users', response: { 200: Type.Array(UserSchema) } },
    },
    async (request) => svc.listUsers(readCtx(p, request)),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '新建用户 / Create user',
        body: CreateUserBody,
        response: { 201: UserSchema },
      },
    },
    async (request, reply) => {
      const user = await inTx(p, request, (ctx) => svc.createUser(ctx, request.body, p.crypto));
      return reply.status(201).send(user);
    },
  );

  app.post(
    '/api/v1/users/:id/disable',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '停用用户（结束其全部会话） / Disable a user (ends its sessions)',
        params: IdParams,
        response: { 200: UserSchema },
      },
    },
    async (request) => inTx(p, request, (ctx) => svc.setUserStatus(ctx, request.params.id, 'disabled')),
  );

  app.post(
    '/api/v1/users/:id/enable',
    {
      config: { access: ['platform_admin'] },
      schema: { tags, summary: '启用用户 / Enable a user', params: IdParams, response: { 200: UserSchema } },
    },
    async (request) => inTx(p, request, (ctx) => svc.setUserStatus(ctx, request.params.id, 'active')),
  );

  app.delete(
    '/api/v1/users/:id/sessions',
    {
      config: { access: ['platform_admin'] },
      schema: { tags, summary: '吊销用户的全部会话 / Revoke all sessions of a user', params: IdParams },
    },
    async (request) => inTx(p, request, (ctx) => svc.revokeUserSessions(ctx, request.params.id)),
  );

  app.delete(
    '/api/v1/users/:id/totp',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: "重置用户的动态口令 / Reset a user's TOTP",
        params: IdParams,
        response: { 200: UserSchema },
      },
    },
    async (request) => inTx(p, request, (ctx) => svc.resetTotp(ctx, request.params.id)),
  );

  app.get(
    '/api/v1/api-keys',
    {
      config: { access: ['platform_admin'] },
      schema: { tags, summary: 'API 密钥 / API keys', response: { 200: Type.Array(ApiKeySchema) } },
    },
    async (request) => svc.listApiKeys(readCtx(p, request), null),
  );

  app.post(
    '/api/v1/api-keys',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '签发 API 密钥（明文只返回一次） / Issue an API key (shown once)',
        body: CreateApiKeyBody,
        response: { 201: Type.Object({ key: Type.String(), info: ApiKeySchema }) },
      },
    },
    async (request, reply) => {
      const created = await inTx(p, request, (ctx) => svc.createApiKey(ctx, request.body));
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/api-keys/:id/rotate',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary:
          '轮换 API 密钥（旧密钥在宽限期内仍有效） / Rotate an API key (old one valid for a grace period)',
        params: IdParams,
        body: RotateApiKeyBody,
        response: { 201: Type.Object({ key: Type.String(), info: ApiKeySchema, previous: ApiKeySchema }) },
      },
    },
    async (request, reply) => {
      const rotated = await inTx(p, request, (ctx) =>
        svc.rotateApiKey(ctx, request.params.id, request.body.graceHours),
      );
      return reply.status(201).send(rotated);
    },
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '吊销 API 密钥 / Revoke an API key',
        params: IdParams,
        response: { 200: ApiKeySchema },
      },
    },
    async (request) => inTx(p, request, (ctx) => svc.revokeApiKey(ctx, request.params.id)),
  );
}
