import { describe, expect, it } from 'vitest';
import { apiKeyState, canRotate, rotationEndsAt } from './apiKeyState';

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
  it('offers rotation only for a key the server will rotate', () => {
    expect(canRotate({ revokedAt: null, expiresAt: null, replacedBy: null }, now)).toBe(true);
    expect(canRotate({ revokedAt: null, expiresAt: null }, now)).toBe(true);
    expect(canRotate({ revokedAt: null, expiresAt: null, replacedBy: 9 }, now)).toBe(false);
    expect(canRotate({ revokedAt: '2026-05-01T00:00:00Z', expiresAt: null, replacedBy: null }, now)).toBe(
      false,
    );
    expect(canRotate({ revokedAt: null, expiresAt: '2026-05-01T00:00:00Z', replacedBy: null }, now)).toBe(
      false,
    );
  });
  it('tells when the old key stops working after a rotation', () => {
    expect(rotationEndsAt(null, 24, now).toISOString()).toBe('2026-06-02T08:00:00.000Z');
    expect(rotationEndsAt(null, 0, now).toISOString()).toBe('2026-06-01T08:00:00.000Z');
    // Its own expiry, when sooner than the grace period, stays.
    expect(rotationEndsAt('2026-06-01T10:00:00Z', 24, now).toISOString()).toBe('2026-06-01T10:00:00.000Z');
    expect(rotationEndsAt('2026-07-01T00:00:00Z', 24, now).toISOString()).toBe('2026-06-02T08:00:00.000Z');
  });
});
