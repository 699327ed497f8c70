import { actorSubject, type Actor } from '../../platform/context';
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
 * A list type bound to departments (its listing authority) takes proposals, notices and decisions
 * only from those departments' accounts; an unbound list type from any department. The `system`
 * actor (other modules ending entries) is not a department and passes.
 */
export function assertListingAuthority(
  actor: Actor,
  list: { code: string; departments: readonly { id: number; name: string; nameEn?: string | null }[] },
  departmentId: number,
): void {
  if (actor.kind === 'system' || list.departments.length === 0) return;
  if (!list.departments.some((d) => d.id === departmentId))
    throw ListErrors.NOT_LISTING_AUTHORITY({
      field: 'listType',
      code: list.code,
      departments: list.departments.map((d) => d.name).join('、'),
      departmentsEn: list.departments.map((d) => d.nameEn || d.name).join(', '),
    });
}

/**
 * How a statement reaches the entry: from the subject itself through its own account (role
 * `subject`), or on its behalf through a reviewer of the deciding department or a system of that
 * department (for subjects without an account). A waiver on its behalf needs the subject's signed
 * waiver (`waiverDocument`).
 */
export type StatementChannel = 'self' | 'on_behalf';

export function statementChannel(
  actor: Actor,
  entry: { department_id: number; subject_id: number },
): StatementChannel {
  const own = actorSubject(actor);
  if (own !== null) {
    if (own === entry.subject_id) return 'self';
    throw ListErrors.NOT_FOR_SUBJECT();
  }
  if (actor.kind === 'apikey' && actor.departmentId === entry.department_id) return 'on_behalf';
  if (
    actor.kind === 'user' &&
    actor.roles.includes('dept_reviewer') &&
    actor.departmentId === entry.department_id
  )
    return 'on_behalf';
  throw ListErrors.NOT_FOR_SUBJECT();
}

/**
 * A waiver of the statement is the subject's own act: made through its own account, or recorded
 * by the deciding department only citing the waiver the subject signed (its number, kept in the
 * step). Otherwise the department could waive for the subject and decide at once. Returns the
 * document number to record (null when the subject waives itself without citing one).
 */
export function waiverDocument(channel: StatementChannel, waiverDocNo: string | undefined): string | null {
  const doc = waiverDocNo?.trim() || null;
  if (channel === 'on_behalf' && !doc) throw ListErrors.WAIVER_DOC_REQUIRED({ field: 'waiverDocNo' });
  return doc;
}
