/**
 * The set-up most server tests repeat: a transaction as the system, the national catalogue, a
 * district department providing catalogue items, staff accounts with a second factor, and signing
 * one of them in for a session cookie and CSRF token.
 */
import type { FastifyInstance } from 'fastify';
import { makeUscc } from '../../src/domain/identifiers';
import { createDepartment, createUser, type Department } from '../../src/server/modules/accounts';
import { seedNationalCatalog, setProviders } from '../../src/server/modules/catalog';
import { SYSTEM, type Ctx, type Role } from '../../src/server/platform/context';
import { withTransaction } from '../../src/server/platform/db';
import type { TestApp } from './app';
import { TEST_TOTP_SECRET, loginBody } from './totp';

/** Runs `fn` in one transaction as the system at `now` (default: the test app's clock). */
export function inSetup<T>(
  t: Pick<TestApp, 'db' | 'clock'>,
  fn: (ctx: Ctx) => Promise<T>,
  now: Date = t.clock.now,
  requestId = 'setup',
): Promise<T> {
  return withTransaction(t.db.pool, (tx) => fn({ db: tx, actor: SYSTEM, requestId, now }));
}

/** The department most tests use: the district market regulator. */
export const MARKET_REGULATOR = {
  uscc: makeUscc('11', '500103', 'MB150002'),
  name: '重庆市渝中区市场监督管理局',
  region: '500103',
};

/** Its English name, for tests that create it with one (`createOffice({ department: { nameEn } })`). */
export const MARKET_REGULATOR_EN = 'Yuzhong District Administration for Market Regulation';

export interface Staff {
  username: string;
  password: string;
  displayName: string;
  roles: Role[];
  /** Whether the account belongs to the office's department (officers, reviewers). */
  inDepartment: boolean;
  /** Whether it has the test TOTP secret (default true); only some roles require one. */
  totp?: boolean;
}

export const OFFICER: Staff = {
  username: 'officer',
  password: 'officer-pass-1',
  displayName: 'O',
  roles: ['dept_officer'],
  inDepartment: true,
};
export const REVIEWER: Staff = {
  username: 'reviewer',
  password: 'review-pass-12',
  displayName: 'R',
  roles: ['dept_reviewer'],
  inDepartment: true,
};
export const ADMIN: Staff = {
  username: 'admin',
  password: 'admin-pass-12',
  displayName: 'A',
  roles: ['platform_admin'],
  inDepartment: false,
};

/** Creates one staff account, in `departmentId` when it belongs to a department. */
export async function createStaff(ctx: Ctx, staff: Staff, departmentId?: number): Promise<number> {
  const user = await createUser(ctx, {
    ...(staff.totp === false ? {} : { totpSecret: TEST_TOTP_SECRET }),
    username: staff.username,
    displayName: staff.displayName,
    password: staff.password,
    roles: staff.roles,
    ...(staff.inDepartment ? { departmentId } : {}),
  });
  return user.id;
}

export interface OfficeOptions {
  /** Changes to the department (default: the market regulator, without an English name). */
  department?: Partial<typeof MARKET_REGULATOR> & { nameEn?: string | null };
  /**
   * Catalogue items the department provides (default `['XZCF']`); `null` seeds no catalogue at
   * all, for tests that need accounts only.
   */
  provides?: string[] | null;
  /** Accounts to create, in order (default: an officer). */
  staff?: Staff[];
}

export interface Office {
  dept: Department;
  /** User ids by username. */
  users: Record<string, number>;
}

/** The national catalogue, a department providing items, and its staff, in one transaction's `ctx`. */
export async function createOffice(ctx: Ctx, opts: OfficeOptions = {}): Promise<Office> {
  const provides = opts.provides === undefined ? ['XZCF'] : opts.provides;
  if (provides) await seedNationalCatalog(ctx);
  const dept = await createDepartment(ctx, { ...MARKET_REGULATOR, ...opts.department });
  for (const item of provides ?? []) await setProviders(ctx, item, [dept.id]);
  const users: Record<string, number> = {};
  for (const s of opts.staff ?? [OFFICER]) users[s.username] = await createStaff(ctx, s, dept.id);
  return { dept, users };
}

export type SessionHeaders = { cookie: string; 'x-csrf-token': string };

/**
 * Signs in with a fresh TOTP code at the test clock; returns the session cookie and CSRF token
 * headers a state-changing request needs. A refused login throws: set-up is broken, not the test.
 */
export async function login(
  app: FastifyInstance,
  username: string,
  password: string,
  clock: { now: Date },
): Promise<SessionHeaders> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: loginBody(username, password, clock.now),
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'xy_session');
  return { cookie: `xy_session=${c?.value}`, 'x-csrf-token': res.json().csrfToken as string };
}

/** The parties and provider of a penalty (行政处罚) record, as most record tests submit it. */
export function penaltyPayload(
  dept: { name: string; uscc: string },
  subject: { name: string; uscc: string },
  docNo: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    CF_XDR_MC: subject.name,
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: subject.uscc,
    CF_FRDB: '张三',
    CF_WSH: docNo,
    CF_WFXW: '销售过期食品',
    CF_SY: '经查，当事人销售超过保质期的食品',
    CF_YJ: '《中华人民共和国食品安全法》第一百二十四条',
    CF_CFLB: ['罚款'],
    CF_NR: '罚款2000元',
    CF_NR_FK: '0.2',
    CF_JDRQ: '2026-03-10',
    CF_CFJG: dept.name,
    CF_CFJGDM: dept.uscc,
    CF_SJLY: dept.name,
    CF_SJLYDM: dept.uscc,
    ...extra,
  };
}
