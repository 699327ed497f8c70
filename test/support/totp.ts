import {
  hotp,
  base32Decode,
  totpCode,
  totpStep,
  TOTP_STEP_SECONDS,
  TOTP_WINDOW,
} from '../../src/server/modules/accounts/accounts.totp';

/**
 * The TOTP secret test users of roles that need a second factor (platform_admin, dept_reviewer,
 * auditor) are created with: `createUser(ctx, { …, totpSecret: TEST_TOTP_SECRET })`.
 */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** The code an authenticator holding `secret` shows at `at` (use the test app's clock). */
export function totpAt(at: Date, secret = TEST_TOTP_SECRET): string {
  return totpCode(secret, at);
}

// The server accepts each time step once per account (no replay), and tests run on a fixed clock:
// successive logins of one user at one instant use the next step of the acceptance window (now−1,
// now, now+1), as a person would wait for the next code. When a test logs one user in more than
// three times at the same instant, the clock (`at` is the test app's clock object) moves on 90 s,
// as it would for a person waiting for fresh codes.
const used = new Map<string, number>();

/** A login body with a code not used before for this user; users without a second factor ignore it. */
export function loginBody(
  username: string,
  password: string,
  at: Date,
  secret = TEST_TOTP_SECRET,
): { username: string; password: string; totp: string } {
  let key = `${username}\u0000${secret}\u0000${at.getTime()}`;
  let n = used.get(key) ?? 0;
  if (n > 2 * TOTP_WINDOW) {
    at.setTime(at.getTime() + (2 * TOTP_WINDOW + 1) * TOTP_STEP_SECONDS * 1000);
    key = `${username}\u0000${secret}\u0000${at.getTime()}`;
    n = used.get(key) ?? 0;
  }
  used.set(key, n + 1);
  const step = totpStep(at) - TOTP_WINDOW + n;
  return { username, password, totp: hotp(base32Decode(secret) as Buffer, step) };
}
