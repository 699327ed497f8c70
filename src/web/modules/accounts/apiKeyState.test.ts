import { describe, expect, it } from 'vitest';
import { apiKeyState } from './apiKeyState';

describe('API key state on the console', () => {
  const now = Date.parse('2026-06-01T08:00:00Z');
  it('does not call a key past its expiry active', () => {
    expect(apiKeyState({ revokedAt: null, expiresAt: '2026-06-01T08:00:00Z' }, now)).toBe('expired');
    expect(apiKeyState({ revokedAt: null, expiresAt: '2026-05-01T00:00:00Z' }, now)).toBe('expired');
  });
  it('keeps keys in force and revoked keys apart', () => {
    expect(apiKeyState({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(apiKeyState({ revokedAt: null, expiresAt: '2026-07-01T00:00:00Z' }, now)).toBe('active');
    expect(apiKeyState({ revokedAt: '2026-05-01T00:00:00Z', expiresAt: '2026-05-01T00:00:00Z' }, now)).toBe(
      'revoked',
    );
  });
});
