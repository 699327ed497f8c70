import type { FormPath } from '../../api/errors';
import type { Role } from '../../api/types';

/** Sensitive payload values come back as ciphertext objects; they are never shown or re-sent. */
export function isEncrypted(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'enc' in v;
}

/** The corrections body: empty inputs are left out (the catalogue decides what is required). */
export function correctionBody(v: {
  payload?: Record<string, unknown>;
  severity?: string | null;
  reason: string;
}) {
  const payload: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v.payload ?? {})) {
    if (val === undefined || val === null || val === '' || isEncrypted(val)) continue;
    if (Array.isArray(val) && val.length === 0) continue;
    payload[k] = typeof val === 'string' ? val.trim() : val;
  }
  return { payload, ...(v.severity ? { severity: v.severity } : {}), reason: v.reason.trim() };
}

/** Row errors name payload fields (and sometimes `severity`): put each on its input. */
export function payloadResolver(keys: readonly string[]) {
  return (path: FormPath): FormPath | null => {
    if (path[0] === 'reason') return ['reason'];
    if (path[0] === 'severity' || (path[0] === 'payload' && path[1] === 'severity')) return ['severity'];
    if (path[0] === 'payload' && typeof path[1] === 'string' && keys.includes(path[1]))
      return ['payload', path[1]];
    return null;
  };
}

/** A provider withdraws its own record; only the credit office stops one for a court order. */
export function stopKindsFor(roles: readonly Role[]): ('withdrawn' | 'court_order' | 'other')[] {
  if (roles.includes('platform_admin')) return ['withdrawn', 'court_order', 'other'];
  if (roles.includes('dept_officer')) return ['withdrawn'];
  return [];
}
