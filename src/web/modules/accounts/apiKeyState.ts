import type { ApiKeyInfo } from '../../api/types';

/** What a key can do now: revoked, past its expiry (the server refuses it), or in force. */
export function apiKeyState(
  k: Pick<ApiKeyInfo, 'revokedAt' | 'expiresAt'>,
  now: number,
): 'revoked' | 'expired' | 'active' {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  return 'active';
}

/**
 * Whether the server will rotate a key: not revoked, not past its expiry and not already replaced
 * by a successor (it answers API_KEY_NOT_FOUND otherwise).
 */
export function canRotate(
  k: Pick<ApiKeyInfo, 'revokedAt' | 'expiresAt' | 'replacedBy'>,
  now: number,
): boolean {
  return apiKeyState(k, now) === 'active' && !k.replacedBy;
}

/**
 * When the old key stops working after a rotation with `graceHours` of grace: the end of the
 * grace period, or its own expiry if that comes first (as the server sets it).
 */
export function rotationEndsAt(expiresAt: string | null, graceHours: number, now: number): Date {
  const grace = now + Math.max(0, graceHours) * 3_600_000;
  const own = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  return new Date(Number.isNaN(own) ? grace : Math.min(own, grace));
}
