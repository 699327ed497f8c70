import { totpCode } from '../../src/server/modules/accounts/accounts.totp';

/**
 * The TOTP secret test users of roles that need a second factor (platform_admin, dept_reviewer,
 * auditor) are created with: `createUser(ctx, { …, totpSecret: TEST_TOTP_SECRET })`.
 */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** The code an authenticator holding `secret` shows at `at` (use the test app's clock). */
export function totpAt(at: Date, secret = TEST_TOTP_SECRET): string {
  return totpCode(secret, at);
}

/** A login body with the current code; users without a second factor ignore it. */
export function loginBody(
  username: string,
  password: string,
  at: Date,
  secret = TEST_TOTP_SECRET,
): { username: string; password: string; totp: string } {
  return { username, password, totp: totpCode(secret, at) };
}
