import type { Actor } from '../../platform/context';
import { ListErrors } from './lists.errors';

/**
 * Who may do what on list entries. The listing department acts through its officers and
 * reviewers (or its systems' API keys); the platform administrator configures list types but does
 * not decide entries. The `system` actor is how other modules (credit repair) end an entry.
 */
export function actingDepartment(actor: Actor): number {
  if (actor.kind === 'user' && actor.departmentId !== null) return actor.departmentId;
  if (actor.kind === 'apikey') return actor.departmentId;
  throw ListErrors.DEPARTMENT_REQUIRED();
}

export function assertOwnDepartment(actor: Actor, departmentId: number): void {
  if (actor.kind === 'system') return;
  if (actingDepartment(actor) !== departmentId) throw ListErrors.NOT_OWN_DEPARTMENT();
}

/**
 * How a statement reaches the entry: from the subject itself (issue 6 adds subject accounts; an
 * `Actor` of kind `subject` will map to 'self' here) or on its behalf through a reviewer of the
 * deciding department or a system of that department.
 */
export type StatementChannel = 'self' | 'on_behalf';

export function statementChannel(actor: Actor, entry: { department_id: number }): StatementChannel {
  if (actor.kind === 'apikey' && actor.departmentId === entry.department_id) return 'on_behalf';
  if (
    actor.kind === 'user' &&
    actor.roles.includes('dept_reviewer') &&
    actor.departmentId === entry.department_id
  )
    return 'on_behalf';
  throw ListErrors.NOT_FOR_SUBJECT();
}
