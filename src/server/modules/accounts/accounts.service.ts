import argon2 from 'argon2';
import { validateUscc } from '../../../domain/identifiers';
import { isKnownDivision } from '../../../domain/divisions';
import { type Actor, type Ctx, type Role, ROLES } from '../../platform/context';
import { type FieldCrypto, randomToken, safeEqual, sha256 } from '../../platform/crypto';
import type { Queryable } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { AccountErrors } from './accounts.errors';
import { type ApiKeyCache, evictApiKeys } from './accounts.keycache';
import { base32Decode, matchTotp, newTotpSecret, otpauthUri, totpRequiredFor } from './accounts.totp';
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
  replacedBy: number | null;
}

/** Login hardening settings, from the configuration. */
export interface LoginPolicy {
  sessionHours: number;
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
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
  replacedBy: r.replaced_by ?? null,
});

// OWASP's argon2id baseline; a login costs ~50 ms on this class of machine.
const ARGON = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * The field crypto the running app was built with, for callers of createUser that hold no platform
 * (tests, tools that run beside an app); an explicit argument always wins. TOTP secrets are never
 * stored in plaintext: without either, creating a user with a secret fails.
 */
let appCrypto: FieldCrypto | null = null;
export function useFieldCryptoForAccounts(crypto: FieldCrypto): void {
  appCrypto = crypto;
}

function sealer(crypto: FieldCrypto | undefined): FieldCrypto {
  const c = crypto ?? appCrypto;
  if (!c) throw new Error('TOTP secrets need the field key: pass the FieldCrypto');
  return c;
}

/**
 * Encrypts TOTP secrets still stored in plaintext (rows from before migration 0017) with the field
 * key and clears the plaintext. Runs at every start of the server and by `rotate-field-key`, in the
 * caller's transaction, with a `security.totp_sealed` event per user sealed (as a re-encryption by
 * `rotate-field-key` writes `security.field_key_reencrypted`).
 */
export async function sealPlaintextTotpSecrets(
  db: Queryable,
  crypto: FieldCrypto,
  now: Date,
  actor: Actor = { kind: 'system', name: 'seal-totp' },
): Promise<number> {
  const rows = await accountsRepo.plaintextTotp(db);
  for (const r of rows)
    await accountsRepo.sealTotp(
      db,
      r.id,
      r.totp_secret ? crypto.encrypt(r.totp_secret) : null,
      r.totp_pending ? crypto.encrypt(r.totp_pending) : null,
    );
  await appendEvents(
    { db, actor, requestId: 'seal-totp', now },
    rows.map((r) => ({
      type: 'security.totp_sealed',
      entityType: 'user',
      entityId: r.id,
      payload: {
        userId: r.id,
        keyId: crypto.keyId,
        secret: r.totp_secret !== null,
        pending: r.totp_pending !== null,
      },
    })),
  );
  return rows.length;
}

export function checkPasswordPolicy(password: string): void {
  if (password.length < 10 || !/[A-Za-z]/.test(password) || !/\d/.test(password))
    throw AccountErrors.PASSWORD_WEAK({ field: 'password' });
}

export async function createDepartment(
  ctx: Ctx,
  input: { uscc: string; name: string; nameEn?: string | null; region: string },
): Promise<Department> {
  const check = validateUscc(input.uscc);
  if (!check.valid)
    throw AccountErrors.INVALID_USCC(
      { field: 'uscc', reason: check.message.en },
      {
        zh: `统一社会信用代码无效：${check.message.zh}`,
        en: `Invalid USCC: ${check.message.en}`,
      },
    );
  if (!isKnownDivision(input.region))
    throw AccountErrors.INVALID_REGION({ field: 'region', region: input.region });
  const row = await accountsRepo.insertDepartment(ctx.db, {
    uscc: check.normalized,
    name: input.name.trim(),
    nameEn: input.nameEn?.trim() || null,
    region: input.region,
    now: ctx.now,
  });
  if (!row) throw AccountErrors.DEPARTMENT_EXISTS({ field: 'uscc', uscc: check.normalized });
  const dept = toDepartment(row);
  await appendEvents(ctx, [
    { type: 'department.created', entityType: 'department', entityId: dept.id, payload: dept },
  ]);
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
    /** A confirmed base32 TOTP secret (the demo seeder's fixed secrets, tests). */
    totpSecret?: string | null;
  },
  crypto?: FieldCrypto,
): Promise<User> {
  checkPasswordPolicy(input.password);
  if (input.totpSecret && !base32Decode(input.totpSecret)?.length)
    throw AccountErrors.TOTP_SECRET_INVALID({ field: 'totpSecret' });
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
  if (input.totpSecret)
    await accountsRepo.setTotp(
      ctx.db,
      row.id,
      { secret: sealer(crypto).encrypt(input.totpSecret), pending: null, lastStep: null },
      ctx.now,
    );
  const user = toUser(row);
  await appendEvents(ctx, [{ type: 'user.created', entityType: 'user', entityId: user.id, payload: user }]);
  return user;
}

export async function listUsers(ctx: Ctx): Promise<User[]> {
  return (await accountsRepo.listUsers(ctx.db)).map(toUser);
}

// Verifying against a fixed hash when the user does not exist keeps timing the same for both cases.
let dummyHash: Promise<string> | null = null;

/** Errors that count as a failed attempt towards the lockout. */
export const COUNTED_LOGIN_FAILURES = new Set(['LOGIN_FAILED', 'TOTP_INVALID']);

/** Refuses a locked username, then checks the password; the same answer for unknown users. */
async function checkPassword(ctx: Ctx, username: string, password: string): Promise<UserRow> {
  const attempt = await accountsRepo.loginAttempt(ctx.db, username);
  if (attempt?.locked_until && attempt.locked_until > ctx.now)
    throw AccountErrors.LOGIN_LOCKED({
      retryAfter: Math.ceil((attempt.locked_until.getTime() - ctx.now.getTime()) / 1000),
    });
  const row = await accountsRepo.userByName(ctx.db, username);
  if (!row || row.status !== 'active') {
    dummyHash ??= argon2.hash('not-a-password-0', ARGON);
    await argon2.verify(await dummyHash, password).catch(() => false);
    throw AccountErrors.LOGIN_FAILED();
  }
  if (!(await argon2.verify(row.password_hash, password))) throw AccountErrors.LOGIN_FAILED();
  return row;
}

/**
 * Counts a failed login for a username (known or not, so that lockout reveals nothing) in its own
 * transaction; at the limit the username is locked and a `security.login_locked` event written —
 * each time a failure locks it, also again when a lock shorter than the window has run out and the
 * next failure in the same window locks it anew. The count alone is throttling state, not logged.
 */
export async function recordLoginFailure(ctx: Ctx, username: string, policy: LoginPolicy): Promise<void> {
  const row = await accountsRepo.recordLoginFailure(ctx.db, {
    username,
    now: ctx.now,
    windowMinutes: policy.windowMinutes,
    max: policy.maxFailures,
    lockMinutes: policy.lockMinutes,
  });
  // Every failure counted at or past the limit sets the lock (the repository's statement), and a
  // failure during a lock is refused before it is counted: this failure locked the username.
  if (row.failures >= policy.maxFailures && row.locked_until)
    await appendEvents(ctx, [
      {
        type: 'security.login_locked',
        entityType: 'login',
        entityId: username,
        payload: { username, failures: row.failures, lockedUntil: row.locked_until.toISOString() },
      },
    ]);
}

/**
 * Checks a code against an encrypted secret and consumes its time step: a code is accepted once
 * (RFC 6238 §5.2), so a code seen on the wire or over a shoulder cannot be replayed within its
 * window. The accepted step, or null.
 */
async function acceptTotp(
  ctx: Ctx,
  crypto: FieldCrypto,
  userId: number,
  cipher: Buffer,
  code: string,
): Promise<number | null> {
  const step = matchTotp(crypto.decrypt(cipher), code, ctx.now);
  if (step === null) return null;
  return (await accountsRepo.consumeTotpStep(ctx.db, userId, step)) ? step : null;
}

/**
 * Password, then (for admins, reviewers, auditors and anyone who enrolled) a TOTP code in the same
 * body. A code for a pending enrolment confirms it. Only then is a session created.
 */
export async function login(
  ctx: Ctx,
  input: { username: string; password: string; totp?: string },
  policy: LoginPolicy,
  crypto: FieldCrypto,
): Promise<{ token: string; csrfToken: string; user: User; expiresAt: Date }> {
  const row = await checkPassword(ctx, input.username, input.password);
  const events: Parameters<typeof appendEvents>[1][number][] = [];
  if (totpRequiredFor(row.roles) || row.totp_secret_cipher) {
    const enrolled = row.totp_secret_cipher !== null;
    if (!input.totp) throw AccountErrors.TOTP_REQUIRED({ field: 'totp', enrolled });
    if (row.totp_secret_cipher) {
      if ((await acceptTotp(ctx, crypto, row.id, row.totp_secret_cipher, input.totp)) === null)
        throw AccountErrors.TOTP_INVALID({ field: 'totp' });
    } else if (row.totp_pending_cipher) {
      const step = matchTotp(crypto.decrypt(row.totp_pending_cipher), input.totp, ctx.now);
      if (step === null) throw AccountErrors.TOTP_INVALID({ field: 'totp' });
      await accountsRepo.setTotp(
        ctx.db,
        row.id,
        { secret: row.totp_pending_cipher, pending: null, lastStep: step },
        ctx.now,
      );
      events.push({
        type: 'totp.enrolled',
        entityType: 'user',
        entityId: row.id,
        payload: { userId: row.id },
      });
    } else {
      throw AccountErrors.TOTP_REQUIRED({ field: 'totp', enrolled });
    }
  }
  await accountsRepo.clearLoginFailures(ctx.db, input.username);
  const token = randomToken();
  const csrfToken = randomToken(18);
  const expiresAt = new Date(ctx.now.getTime() + policy.sessionHours * 3_600_000);
  await accountsRepo.insertSession(ctx.db, {
    tokenHash: sha256(token),
    userId: row.id,
    csrf: csrfToken,
    now: ctx.now,
    expires: expiresAt,
  });
  events.push({
    type: 'session.created',
    entityType: 'user',
    entityId: row.id,
    payload: {
      userId: row.id,
      expiresAt,
      secondFactor: row.totp_secret_cipher !== null || events.length > 0,
    },
  });
  await appendEvents(ctx, events);
  return { token, csrfToken, user: toUser(row), expiresAt };
}

/**
 * Starts TOTP enrolment with the password (and the current code when one is already enrolled): a
 * new pending secret, confirmed by the first login that presents a code for it.
 */
export async function startTotpEnrolment(
  ctx: Ctx,
  input: { username: string; password: string; totp?: string },
  crypto: FieldCrypto,
): Promise<{ secret: string; otpauthUri: string }> {
  const row = await checkPassword(ctx, input.username, input.password);
  if (row.totp_secret_cipher) {
    if (!input.totp) throw AccountErrors.TOTP_REQUIRED({ field: 'totp', enrolled: true });
    if ((await acceptTotp(ctx, crypto, row.id, row.totp_secret_cipher, input.totp)) === null)
      throw AccountErrors.TOTP_INVALID({ field: 'totp' });
  }
  const secret = newTotpSecret();
  await accountsRepo.setTotp(
    ctx.db,
    row.id,
    { secret: row.totp_secret_cipher, pending: crypto.encrypt(secret) },
    ctx.now,
  );
  await appendEvents(ctx, [
    { type: 'totp.enrolment_started', entityType: 'user', entityId: row.id, payload: { userId: row.id } },
  ]);
  return { secret, otpauthUri: otpauthUri(secret, row.username) };
}

/** An administrator clears a user's second factor (lost device); the user enrols again. */
export async function resetTotp(ctx: Ctx, userId: number): Promise<User> {
  const row = await accountsRepo.setTotp(
    ctx.db,
    userId,
    { secret: null, pending: null, lastStep: null },
    ctx.now,
  );
  if (!row) throw AccountErrors.USER_NOT_FOUND({ user: userId });
  const revoked = await accountsRepo.revokeUserSessions(ctx.db, userId, ctx.now);
  await appendEvents(ctx, [
    {
      type: 'totp.reset',
      entityType: 'user',
      entityId: userId,
      payload: { userId, sessionsRevoked: revoked },
    },
  ]);
  return toUser(row);
}

/**
 * Ends every live session of a user (but `keepToken`'s: "sign out my other devices"); when there
 * was none to end, nothing changed and no event is written.
 */
export async function revokeUserSessions(
  ctx: Ctx,
  userId: number,
  keepToken: string | null = null,
): Promise<{ revoked: number }> {
  if (!(await accountsRepo.userById(ctx.db, userId))) throw AccountErrors.USER_NOT_FOUND({ user: userId });
  const keep = keepToken ? sha256(keepToken) : null;
  const revoked = await accountsRepo.revokeUserSessions(ctx.db, userId, ctx.now, keep);
  if (revoked === 0) return { revoked };
  await appendEvents(ctx, [
    { type: 'session.revoked_all', entityType: 'user', entityId: userId, payload: { userId, revoked } },
  ]);
  return { revoked };
}

/**
 * Disables (or re-enables) a user; disabling ends all its sessions at once. A user who already has
 * the status is left as it is, without an event.
 */
export async function setUserStatus(ctx: Ctx, userId: number, status: 'active' | 'disabled'): Promise<User> {
  const row = await accountsRepo.setUserStatus(ctx.db, userId, status, ctx.now);
  if (!row) {
    const same = await accountsRepo.userById(ctx.db, userId);
    if (!same) throw AccountErrors.USER_NOT_FOUND({ user: userId });
    return toUser(same);
  }
  const revoked = status === 'disabled' ? await accountsRepo.revokeUserSessions(ctx.db, userId, ctx.now) : 0;
  await appendEvents(ctx, [
    {
      type: status === 'disabled' ? 'user.disabled' : 'user.enabled',
      entityType: 'user',
      entityId: userId,
      payload: { userId, sessionsRevoked: revoked },
    },
  ]);
  return toUser(row);
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  await accountsRepo.revokeSession(ctx.db, sha256(token), ctx.now);
  if (ctx.actor.kind === 'user')
    await appendEvents(ctx, [
      {
        type: 'session.revoked',
        entityType: 'user',
        entityId: ctx.actor.userId,
        payload: { userId: ctx.actor.userId },
      },
    ]);
}

export async function sessionUser(
  ctx: Ctx,
  token: string,
  idleMinutes: number,
): Promise<(User & { csrfToken: string }) | null> {
  const row = await accountsRepo.sessionUser(ctx.db, sha256(token), ctx.now, idleMinutes);
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
  await appendEvents(ctx, [
    { type: 'apikey.created', entityType: 'apikey', entityId: info.id, payload: info },
  ]);
  return { key: `xy_${prefix}_${secret}`, info };
}

export async function listApiKeys(ctx: Ctx, departmentId: number | null): Promise<ApiKeyInfo[]> {
  return (await accountsRepo.listApiKeys(ctx.db, departmentId)).map(toApiKey);
}

/** Revokes a key; revoking a revoked key changes nothing and writes nothing. */
export async function revokeApiKey(ctx: Ctx, id: number): Promise<ApiKeyInfo> {
  const row = await accountsRepo.revokeApiKey(ctx.db, id, ctx.now);
  if (!row) {
    const before = await accountsRepo.apiKeyById(ctx.db, id);
    if (!before) throw AccountErrors.API_KEY_NOT_FOUND({ key: id });
    return toApiKey(before);
  }
  evictApiKeys(ctx.db, [id]);
  const info = toApiKey(row);
  await appendEvents(ctx, [{ type: 'apikey.revoked', entityType: 'apikey', entityId: id, payload: info }]);
  return info;
}

/**
 * Issues a successor with the same department, name, scopes and expiry; the old key keeps working
 * for `graceHours` (0: ends now) so that the calling system can switch without downtime.
 */
export async function rotateApiKey(
  ctx: Ctx,
  id: number,
  graceHours: number,
): Promise<{ key: string; info: ApiKeyInfo; previous: ApiKeyInfo }> {
  const old = await accountsRepo.apiKeyById(ctx.db, id);
  if (!old || old.revoked_at || old.replaced_by || (old.expires_at && old.expires_at <= ctx.now))
    throw AccountErrors.API_KEY_NOT_FOUND({ key: id });
  const prefix = randomToken(6).replace(/[-_]/g, 'x');
  const secret = randomToken(24);
  const row = await accountsRepo.insertApiKey(ctx.db, {
    departmentId: old.department_id,
    name: old.name,
    prefix,
    hash: sha256(secret),
    scopes: old.scopes,
    now: ctx.now,
    expires: old.expires_at,
  });
  const retired = await accountsRepo.retireApiKey(
    ctx.db,
    id,
    row.id,
    new Date(ctx.now.getTime() + graceHours * 3_600_000),
  );
  evictApiKeys(ctx.db, [id]);
  const info = toApiKey(row);
  const previous = toApiKey(retired as ApiKeyRow);
  await appendEvents(ctx, [
    { type: 'apikey.rotated', entityType: 'apikey', entityId: id, payload: { previous, successor: info } },
  ]);
  return { key: `xy_${prefix}_${secret}`, info, previous };
}

/**
 * Resolves a presented key. With a cache, a key verified before is checked against its cached
 * hash and expiry without a database round trip (see ApiKeyCache for how revocations reach it).
 */
export async function resolveApiKey(
  ctx: Ctx,
  presented: string,
  cache?: ApiKeyCache,
): Promise<{ keyId: number; departmentId: number; scopes: string[] } | null> {
  const m = /^xy_([A-Za-z0-9]+)_([A-Za-z0-9_-]+)$/.exec(presented);
  if (!m) return null;
  const prefix = m[1] as string;
  const presentedHash = sha256(m[2] as string);
  const nowMs = ctx.now.getTime();
  const hit = cache?.get(prefix, nowMs);
  if (hit) {
    if (!safeEqual(hit.keySha256, presentedHash)) return null;
    return { keyId: hit.keyId, departmentId: hit.departmentId, scopes: hit.scopes };
  }
  const epoch = cache?.epoch ?? 0;
  const row = await accountsRepo.apiKeyByPrefix(ctx.db, prefix);
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= ctx.now)) return null;
  if (!safeEqual(row.key_sha256, presentedHash)) return null;
  cache?.set(
    prefix,
    {
      keyId: row.id,
      departmentId: row.department_id,
      scopes: row.scopes,
      keySha256: row.key_sha256,
      expiresAt: row.expires_at?.getTime() ?? null,
    },
    epoch,
    nowMs,
  );
  return { keyId: row.id, departmentId: row.department_id, scopes: row.scopes };
}
