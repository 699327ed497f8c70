import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../platform/context';
import { CommonErrors, defineErrors } from '../../platform/errors';
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
  UserSchema,
} from './accounts.schemas';
import * as svc from './accounts.service';
import { AccountErrors } from './accounts.errors';
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

/**
 * Resolves who is calling: an API key (`Authorization: Bearer xy_…`) or a session cookie. Anonymous
 * requests cost no database round trip. Cookie-authenticated writes must echo the session's CSRF token.
 */
export async function authenticate(platform: Platform, request: FastifyRequest): Promise<Actor> {
  const auth = request.headers.authorization;
  const ctx = { db: platform.pool, actor: { kind: 'public' } as Actor, requestId: request.id, now: request.now };
  if (auth?.startsWith('Bearer ')) {
    const key = await svc.resolveApiKey(ctx, auth.slice(7).trim());
    if (!key) throw AccountErrors.API_KEY_INVALID();
    return { kind: 'apikey', keyId: key.keyId, departmentId: key.departmentId, scopes: key.scopes };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return { kind: 'public' };
  const user = await svc.sessionUser(ctx, token);
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

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: ['public'] },
      schema: { tags, summary: '登录 / Log in', body: LoginBody, response: { 200: MeSchema } },
    },
    async (request, reply) => {
      const result = await inTx(p, request, (ctx) => svc.login(ctx, request.body, p.config.sessionHours));
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: p.config.secureCookies,
        expires: result.expiresAt,
      });
      const department =
        result.user.departmentId !== null ? await svc.getDepartment(readCtx(p, request), result.user.departmentId) : null;
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

  app.get(
    '/api/v1/auth/me',
    { config: { access: ['user'] }, schema: { tags, summary: '当前用户 / Current user', response: { 200: MeSchema } } },
    async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      const user = token ? await svc.sessionUser(readCtx(p, request), token) : null;
      if (!user) throw CommonErrors.UNAUTHENTICATED();
      const department = user.departmentId !== null ? await svc.getDepartment(readCtx(p, request), user.departmentId) : null;
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
      schema: { tags, summary: '新建部门 / Create department', body: CreateDepartmentBody, response: { 201: DepartmentSchema } },
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
      schema: { tags, summary: '新建用户 / Create user', body: CreateUserBody, response: { 201: UserSchema } },
    },
    async (request, reply) => {
      const user = await inTx(p, request, (ctx) => svc.createUser(ctx, request.body));
      return reply.status(201).send(user);
    },
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

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { access: ['platform_admin'] },
      schema: { tags, summary: '吊销 API 密钥 / Revoke an API key', params: IdParams, response: { 200: ApiKeySchema } },
    },
    async (request) => inTx(p, request, (ctx) => svc.revokeApiKey(ctx, request.params.id)),
  );
}
