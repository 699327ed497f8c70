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
