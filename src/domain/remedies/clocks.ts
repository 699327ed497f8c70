/**
 * The credit-repair procedure and its working-day clocks (国办发〔2025〕22号, REFERENCE §5.4, §5.9):
 *
 *   draft ──submit──▶ submitted ──forward (≤ forwardDays wd)──▶ forwarded ──decide (≤ decideDays wd
 *     │                  │                                        │   of receipt, +extensionDays once)
 *     └── withdraw ──────┴── reject (not admissible) ──▶ rejected  └──▶ granted | refused
 *
 * Deadlines follow the calendar's convention: "within n working days from D" is the n-th working
 * day strictly after D (the start day is not counted), with statutory holidays skipped and make-up
 * working days (调休) counted. A step taken on its deadline day is in time; after it, overdue.
 */
import type { CivilDate, WorkingDayCalendar } from '../calendar';
import type { RepairPolicy } from './policy';

export const REPAIR_STATUSES = [
  'draft',
  'submitted',
  'forwarded',
  'granted',
  'refused',
  'rejected',
  'withdrawn',
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

export const REPAIR_ACTIONS = [
  'upload',
  'submit',
  'withdraw',
  'forward',
  'reject',
  'extend',
  'decide',
] as const;
export type RepairAction = (typeof REPAIR_ACTIONS)[number];

const ALLOWED: Record<RepairAction, readonly RepairStatus[]> = {
  upload: ['draft'],
  submit: ['draft'],
  withdraw: ['draft', 'submitted', 'forwarded'],
  forward: ['submitted'],
  reject: ['submitted'],
  extend: ['forwarded'],
  decide: ['forwarded'],
};

/** Whether `action` can be taken on an application in `status`. */
export function canAct(status: RepairStatus, action: RepairAction): boolean {
  return ALLOWED[action].includes(status);
}

export const FINAL_STATUSES: readonly RepairStatus[] = ['granted', 'refused', 'rejected', 'withdrawn'];

/** The day the platform must have forwarded the application and answered the applicant. */
export function answerDue(
  cal: WorkingDayCalendar,
  appliedOn: CivilDate,
  policy: Pick<RepairPolicy, 'forwardDays'>,
): CivilDate {
  return cal.addWorkingDays(appliedOn, policy.forwardDays);
}

/** The day the deciding department must decide, counted from the day it received the application. */
export function decideDue(
  cal: WorkingDayCalendar,
  receivedOn: CivilDate,
  policy: Pick<RepairPolicy, 'decideDays'>,
): CivilDate {
  return cal.addWorkingDays(receivedOn, policy.decideDays);
}

/** The decision deadline after the one extension. */
export function extendedDue(
  cal: WorkingDayCalendar,
  due: CivilDate,
  policy: Pick<RepairPolicy, 'extensionDays'>,
): CivilDate {
  return cal.addWorkingDays(due, policy.extensionDays);
}

/** The provider's deadline to answer an objection opened on `openedOn`. */
export function objectionDue(
  cal: WorkingDayCalendar,
  openedOn: CivilDate,
  policy: Pick<RepairPolicy, 'objectionDays'>,
): CivilDate {
  return cal.addWorkingDays(openedOn, policy.objectionDays);
}

export function isOverdue(due: CivilDate | null, today: CivilDate): boolean {
  return due !== null && today > due;
}

/** Working days late (0 when in time). */
export function workingDaysLate(cal: WorkingDayCalendar, due: CivilDate, on: CivilDate): number {
  return on > due ? cal.workingDaysBetween(due, on) : 0;
}

export interface ClockState {
  status: RepairStatus;
  answerDue: CivilDate | null;
  decideDue: CivilDate | null;
}

/** Who has to act next and by when, or null when nobody has to (draft or final). */
export function pendingStep(a: ClockState): { stage: 'forward' | 'decide'; due: CivilDate } | null {
  if (a.status === 'submitted' && a.answerDue) return { stage: 'forward', due: a.answerDue };
  if (a.status === 'forwarded' && a.decideDue) return { stage: 'decide', due: a.decideDue };
  return null;
}
