import type { Queryable } from './db';

export const ROLES = ['platform_admin', 'dept_officer', 'dept_reviewer', 'auditor', 'subject'] as const;
export type Role = (typeof ROLES)[number];

export type Actor =
  | {
      kind: 'user';
      userId: number;
      username: string;
      roles: readonly Role[];
      departmentId: number | null;
      /** Set for a subject's own account (role `subject`). */
      subjectId?: number | null;
    }
  | { kind: 'apikey'; keyId: number; departmentId: number; scopes: readonly string[] }
  | { kind: 'system'; name: string }
  | { kind: 'public' };

/** What every use case receives: the transaction, who acts, the request, and the instant. */
export interface Ctx {
  db: Queryable;
  actor: Actor;
  requestId: string;
  now: Date;
}

export const SYSTEM: Actor = { kind: 'system', name: 'system' };
export const PUBLIC: Actor = { kind: 'public' };

export function actorDepartment(actor: Actor): number | null {
  if (actor.kind === 'user') return actor.departmentId;
  if (actor.kind === 'apikey') return actor.departmentId;
  return null;
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.kind === 'user' && actor.roles.includes(role);
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.userId}`;
    case 'apikey':
      return `apikey:${actor.keyId}`;
    case 'system':
      return `system:${actor.name}`;
    case 'public':
      return 'public';
  }
}

/** The subject a caller acts as, when it is a subject's own account. */
export function actorSubject(actor: Actor): number | null {
  return actor.kind === 'user' ? (actor.subjectId ?? null) : null;
}
