import argon2 from 'argon2';
import { validateUscc } from '../../../domain/identifiers';
import { isKnownDivision } from '../../../domain/divisions';
import { type Ctx, type Role, ROLES } from '../../platform/context';
import { randomToken, safeEqual, sha256 } from '../../platform/crypto';
import { appendEvents } from '../../platform/events';
import { AccountErrors } from './accounts.errors';
import { accountsRepo, type ApiKeyRow, type DepartmentRow, type UserRow } from './accounts.repository';

export interface Department {
  id: number;
  uscc: string;
  name: string;
  nameEn: string | null;
  region: string;
  status: string;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  departmentId: number | null;
  subjectId: number | null;
  roles: Role[];
  status: string;
}

export interface ApiKeyInfo {
  id: number;
  departmentId: number;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const toDepartment = (r: DepartmentRow): Department => ({
  id: r.id,
  uscc: r.uscc,
  name: r.name,
  nameEn: r.name_en,
  region: r.region,
  status: r.status,
});

export const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  departmentId: r.department_id,
  subjectId: r.subject_id,
  roles: r.roles,
  status: r.status,
});

const toApiKey = (r: ApiKeyRow): ApiKeyInfo => ({
  id: r.id,
  departmentId: r.department_id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

// OWASP's argon2id baseline; a login costs ~50 ms on this class of machine.
const ARGON = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function checkPasswordPolicy(password: string): void {
  if (password.length < 10 || !/[A-Za-z]/.test(password) || !/\d/.test(password))
    throw AccountErrors.PASSWORD_WEAK({ field: 'password' });
}

export async function createDepartment(
  ctx: Ctx,
  input: { uscc: string; name: string; nameEn?: string | null; region: string },
): Promise<Department> {
  const check = validateUscc(input.uscc);
  if (!check.valid) throw AccountErrors.INVALID_USCC({ field: 'uscc', reason: check.message.en }, {
    zh: `统一社会信用代码无效：${check.message.zh}`,
    en: `Invalid USCC: ${check.message.en}`,
  });
  if (!isKnownDivision(input.region)) throw AccountErrors.INVALID_REGION({ field: 'region', region: input.region });
  const row = await accountsRepo.insertDepartment(ctx.db, {
    uscc: check.normalized,
    name: input.name.trim(),
    nameEn: input.nameEn?.trim() || null,
    region: input.region,
    now: ctx.now,
  });
  if (!row) throw AccountErrors.DEPARTMENT_EXISTS({ field: 'uscc', uscc: check.normalized });
  const dept = toDepartment(row);
  await appendEvents(ctx, [{ type: 'department.created', entityType: 'department', entityId: dept.id, payload: dept }]);
  return dept;
}

export async function listDepartments(ctx: Ctx): Promise<Department[]> {
  return (await accountsRepo.listDepartments(ctx.db)).map(toDepartment);
}

export async function getDepartment(ctx: Ctx, id: number): Promise<Department> {
  const row = await accountsRepo.departmentById(ctx.db, id);
  if (!row) throw AccountErrors.DEPARTMENT_NOT_FOUND({ department: id });
  return toDepartment(row);
}

export async function departmentByUscc(ctx: Ctx, uscc: string): Promise<Department | null> {
  const row = await accountsRepo.departmentByUscc(ctx.db, uscc);
  return row ? toDepartment(row) : null;
}

export async function createUser(
  ctx: Ctx,
  input: {
    username: string;
    displayName: string;
    password: string;
    roles: Role[];
    departmentId?: number | null;
    subjectId?: number | null;
  },
): Promise<User> {
  checkPasswordPolicy(input.password);
  const roles = [...new Set(input.roles)].filter((r) => (ROLES as readonly string[]).includes(r));
  const departmentId = input.departmentId ?? null;
  if ((roles.includes('dept_officer') || roles.includes('dept_reviewer')) && departmentId === null)
    throw AccountErrors.DEPARTMENT_REQUIRED({ field: 'departmentId' });
  if (departmentId !== null) await getDepartment(ctx, departmentId);
  const subjectId = input.subjectId ?? null;
  if (roles.includes('subject') !== (subjectId !== null))
    throw AccountErrors.SUBJECT_ACCOUNT_INVALID({ field: 'subjectId' });
  if (subjectId !== null && !(await accountsRepo.subjectExists(ctx.db, subjectId)))
    throw AccountErrors.SUBJECT_ACCOUNT_INVALID({ field: 'subjectId' });
  const hash = await argon2.hash(input.password, ARGON);
  const row = await accountsRepo.insertUser(ctx.db, {
    username: input.username,
    displayName: input.displayName,
    hash,
    departmentId,
    subjectId,
    roles,
    now: ctx.now,
  });
  if (!row) throw AccountErrors.USERNAME_TAKEN({ field: 'username', username: input.username });
  const user = toUser(row);
  await appendEvents(ctx, [{ type: 'user.created', entityType: 'user', entityId: user.id, payload: user }]);
  return user;
}

export async function listUsers(ctx: Ctx): Promise<User[]> {
  return (await accountsRepo.listUsers(ctx.db)).map(toUser);
}

// Verifying against a fixed hash when the user does not exist keeps timing the same for both cases.
let dummyHash: Promise<string> | null = null;

export async function login(
  ctx: Ctx,
  input: { username: string; password: string },
  sessionHours: number,
): Promise<{ token: string; csrfToken: string; user: User; expiresAt: Date }> {
  const row = await accountsRepo.userByName(ctx.db, input.username);
  if (!row || row.status !== 'active') {
    dummyHash ??= argon2.hash('not-a-password-0', ARGON);
    await argon2.verify(await dummyHash, input.password).catch(() => false);
    throw AccountErrors.LOGIN_FAILED();
  }
  if (!(await argon2.verify(row.password_hash, input.password))) throw AccountErrors.LOGIN_FAILED();
  const token = randomToken();
  const csrfToken = randomToken(18);
  const expiresAt = new Date(ctx.now.getTime() + sessionHours * 3_600_000);
  await accountsRepo.insertSession(ctx.db, {
    tokenHash: sha256(token),
    userId: row.id,
    csrf: csrfToken,
    now: ctx.now,
    expires: expiresAt,
  });
  await appendEvents(ctx, [
    { type: 'session.created', entityType: 'user', entityId: row.id, payload: { userId: row.id, expiresAt } },
  ]);
  return { token, csrfToken, user: toUser(row), expiresAt };
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  await accountsRepo.revokeSession(ctx.db, sha256(token), ctx.now);
  if (ctx.actor.kind === 'user')
    await appendEvents(ctx, [
      { type: 'session.revoked', entityType: 'user', entityId: ctx.actor.userId, payload: { userId: ctx.actor.userId } },
    ]);
}

export async function sessionUser(ctx: Ctx, token: string): Promise<(User & { csrfToken: string }) | null> {
  const row = await accountsRepo.sessionUser(ctx.db, sha256(token), ctx.now);
  return row ? { ...toUser(row), csrfToken: row.csrf_token } : null;
}

/** Keys look like `xy_<prefix>_<secret>`; only the secret's SHA-256 is stored. */
export async function createApiKey(
  ctx: Ctx,
  input: { departmentId: number; name: string; scopes: string[]; expiresAt?: string | null },
): Promise<{ key: string; info: ApiKeyInfo }> {
  await getDepartment(ctx, input.departmentId);
  const prefix = randomToken(6).replace(/[-_]/g, 'x');
  const secret = randomToken(24);
  const row = await accountsRepo.insertApiKey(ctx.db, {
    departmentId: input.departmentId,
    name: input.name,
    prefix,
    hash: sha256(secret),
    scopes: input.scopes,
    now: ctx.now,
    expires: input.expiresAt ? new Date(input.expiresAt) : null,
  });
  const info = toApiKey(row);
  await appendEvents(ctx, [{ type: 'apikey.created', entityType: 'apikey', entityId: info.id, payload: info }]);
  return { key: `xy_${prefix}_${secret}`, info };
}

export async function listApiKeys(ctx: Ctx, departmentId: number | null): Promise<ApiKeyInfo[]> {
  return (await accountsRepo.listApiKeys(ctx.db, departmentId)).map(toApiKey);
}

export async function revokeApiKey(ctx: Ctx, id: number): Promise<ApiKeyInfo> {
  const row = await accountsRepo.revokeApiKey(ctx.db, id, ctx.now);
  if (!row) throw AccountErrors.API_KEY_NOT_FOUND({ key: id });
  const info = toApiKey(row);
  await appendEvents(ctx, [{ type: 'apikey.revoked', entityType: 'apikey', entityId: id, payload: info }]);
  return info;
}

export async function resolveApiKey(
  ctx: Ctx,
  presented: string,
): Promise<{ keyId: number; departmentId: number; scopes: string[] } | null> {
  const m = /^xy_([A-Za-z0-9]+)_([A-Za-z0-9_-]+)$/.exec(presented);
  if (!m) return null;
  const row = await accountsRepo.apiKeyByPrefix(ctx.db, m[1] as string);
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= ctx.now)) return null;
  if (!safeEqual(row.key_sha256, sha256(m[2] as string))) return null;
  return { keyId: row.id, departmentId: row.department_id, scopes: row.scopes };
}
