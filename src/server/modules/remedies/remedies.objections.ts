/**
 * Objections (异议): a subject contests a record's content, classification, period, or a repair
 * decision. While under review the record shows "有异议/核查中" on its public page; the provider
 * confirms, corrects (a new version) or withdraws it within the configured working days, and the
 * outcome is an event the subject sees.
 */
import { civilDate } from '../../../domain/periods';
import { isOverdue, objectionDue, workingDaysLate } from '../../../domain/remedies';
import { actorLabel, hasRole, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import { appendEvents, type NewEvent } from '../../platform/events';
import { getDepartment } from '../accounts';
import { workingCalendar } from '../calendar';
import { correctRecord, getRecordHistory, markDisputed, stopRecord } from '../records';
import { applyGrantedRepair } from './remedies.effects';
import { RemedyErrors } from './remedies.errors';
import { repairPolicy } from './remedies.policy';
import { remediesRepo, type ObjectionRow, type TargetNameRow } from './remedies.repository';
import { targetLabels, type TargetLabels } from './remedies.targets';

export const OBJECTION_GROUNDS = ['content', 'classification', 'period', 'repair_decision'] as const;
export type ObjectionGround = (typeof OBJECTION_GROUNDS)[number];
export const OBJECTION_OUTCOMES = ['confirmed', 'corrected', 'withdrawn', 'overturned'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

export interface ObjectionView {
  id: number;
  subject: { ref: string };
  recordId: number | null;
  applicationId: number | null;
  departmentId: number;
  ground: string;
  statement: string;
  openedAt: string;
  openedOn: string;
  due: string;
  overdue: boolean;
  status: 'open' | 'closed';
  outcome: string | null;
  outcomeReasons: string | null;
  resolvedAt: string | null;
  late: boolean | null;
  lateReason: string | null;
  resultVersion: number | null;
  /** The contested record as its department knows it: item, document number, date (null: none). */
  record: TargetLabels | null;
}

/** The objections' views, each naming its record (one query for all of them). */
async function views(ctx: Ctx, rows: readonly ObjectionRow[], today: string): Promise<ObjectionView[]> {
  const ids = [...new Set(rows.flatMap((o) => (o.record_id === null ? [] : [o.record_id])))];
  const names = new Map((await remediesRepo.targetNames(ctx.db, ids, [])).map((n) => [n.id, n]));
  return rows.map((o) => view(o, today, o.record_id === null ? undefined : names.get(o.record_id)));
}

function view(o: ObjectionRow, today: string, name: TargetNameRow | undefined): ObjectionView {
  return {
    id: o.id,
    subject: { ref: `S${o.subject_id}` },
    recordId: o.record_id,
    record: name ? targetLabels({ zh: name.name_zh, en: name.name_en }, name.ref, name.on_date) : null,
    applicationId: o.repair_application_id,
    departmentId: o.department_id,
    ground: o.ground,
    statement: o.statement,
    openedAt: o.opened_at.toISOString(),
    openedOn: o.opened_on,
    due: o.due,
    overdue: o.status === 'open' && isOverdue(o.due, today),
    status: o.status,
    outcome: o.outcome,
    outcomeReasons: o.outcome_reasons,
    resolvedAt: o.resolved_at ? o.resolved_at.toISOString() : null,
    late: o.resolution_late,
    lateReason: o.late_reason,
    resultVersion: o.result_version,
  };
}

function objectionEvent(type: string, o: ObjectionRow, data: Record<string, unknown>): NewEvent {
  return {
    type: `objection.${type}`,
    entityType: 'objection',
    entityId: o.id,
    subjectId: o.subject_id,
    payload: {
      objectionId: o.id,
      recordId: o.record_id,
      applicationId: o.repair_application_id,
      departmentId: o.department_id,
      ground: o.ground,
      due: o.due,
      ...data,
    },
  };
}

export async function openObjection(
  ctx: Ctx,
  input: { recordId?: number; applicationId?: number; ground: ObjectionGround; statement: string },
): Promise<ObjectionView> {
  const a = ctx.actor;
  if (a.kind !== 'user' || !a.roles.includes('subject') || !a.subjectId)
    throw RemedyErrors.NOT_SUBJECT_ACCOUNT();
  const subjectId = a.subjectId;
  let recordId: number | null = input.recordId ?? null;
  let applicationId: number | null = null;
  let departmentId: number;
  if (input.ground === 'repair_decision') {
    if (!input.applicationId) throw RemedyErrors.OBJECTION_APPLICATION_REQUIRED({ field: 'applicationId' });
    const app = await remediesRepo.application(ctx.db, input.applicationId);
    if (!app || app.subject_id !== subjectId || app.status !== 'refused')
      throw RemedyErrors.OBJECTION_APPLICATION_INVALID({
        field: 'applicationId',
        application: input.applicationId,
      });
    applicationId = app.id;
    recordId = app.record_id;
    departmentId = app.department_id;
  } else {
    if (recordId === null) throw RemedyErrors.TARGET_REQUIRED({ field: 'recordId' });
    let head;
    try {
      head = (await getRecordHistory(ctx, recordId)).head;
    } catch (err) {
      if (err instanceof AppError && err.code === 'RECORD_NOT_FOUND')
        throw RemedyErrors.RECORD_NOT_FOUND({ field: 'recordId', record: recordId });
      throw err;
    }
    if (head.subject_id !== subjectId) throw RemedyErrors.NOT_THE_SUBJECT({ field: 'recordId' });
    departmentId = head.department_id;
  }
  const open = await remediesRepo.openObjectionOn(
    ctx.db,
    input.ground === 'repair_decision' ? null : recordId,
    applicationId,
  );
  if (open !== undefined) throw RemedyErrors.OBJECTION_OPEN({ objection: open });

  const policy = await repairPolicy(ctx);
  const cal = await workingCalendar(ctx);
  const today = civilDate(ctx.now);
  const due = objectionDue(cal, today, policy);
  const row = await remediesRepo.insertObjection(
    ctx.db,
    {
      subject_id: subjectId,
      record_id: recordId,
      repair_application_id: applicationId,
      department_id: departmentId,
      ground: input.ground,
      statement: input.statement.trim(),
      opened_by: a.userId,
      opened_on: today,
      due,
    },
    ctx.now,
  );
  if (!row)
    throw RemedyErrors.OBJECTION_OPEN({
      objection: (await remediesRepo.openObjectionOn(ctx.db, recordId, applicationId)) ?? 0,
    });
  if (row.record_id !== null) await markDisputed(ctx, row.record_id, ctx.now);
  await appendEvents(ctx, [
    objectionEvent('opened', row, { openedOn: today, deadlineExact: cal.coverageOf(today, due).exact }),
  ]);
  return (await views(ctx, [row], today))[0] as ObjectionView;
}

export interface ResolveInput {
  outcome: ObjectionOutcome;
  reasons: string;
  lateReason?: string;
  correction?: { payload: Record<string, unknown>; severity?: 'MINOR' | 'GENERAL' | 'SERIOUS' | null };
}

const ALLOWED: Record<'record' | 'repair_decision', readonly ObjectionOutcome[]> = {
  record: ['confirmed', 'corrected', 'withdrawn'],
  repair_decision: ['confirmed', 'overturned'],
};

/** The provider's answer. A late answer is still taken, with its reason, and flagged. */
export async function resolveObjection(
  ctx: Ctx,
  crypto: FieldCrypto,
  id: number,
  input: ResolveInput,
): Promise<ObjectionView> {
  const o = await remediesRepo.objection(ctx.db, id, true);
  if (!o) throw RemedyErrors.OBJECTION_NOT_FOUND({ objection: id });
  if (ctx.actor.kind !== 'user' || ctx.actor.departmentId !== o.department_id) {
    const dept = await getDepartment(ctx, o.department_id);
    throw RemedyErrors.NOT_YOUR_DEPARTMENT({ department: dept.name });
  }
  if (o.status !== 'open') throw RemedyErrors.OBJECTION_CLOSED();
  const kind = o.ground === 'repair_decision' ? 'repair_decision' : 'record';
  if (!ALLOWED[kind].includes(input.outcome))
    throw RemedyErrors.OBJECTION_OUTCOME_INVALID({
      field: 'outcome',
      ground: o.ground,
      outcome: input.outcome,
    });
  const today = civilDate(ctx.now);
  const late = isOverdue(o.due, today);
  const lateReason = input.lateReason?.trim() || null;
  if (late && !lateReason) {
    const cal = await workingCalendar(ctx);
    throw RemedyErrors.LATE_REASON_REQUIRED({
      field: 'lateReason',
      due: o.due,
      days: workingDaysLate(cal, o.due, today),
    });
  }
  const reasons = input.reasons.trim();
  let resultVersion: number | null = null;
  const source = `objection:${o.id}`;
  if (input.outcome === 'corrected') {
    if (!input.correction) throw RemedyErrors.CORRECTION_REQUIRED({ field: 'correction' });
    const outcome = await correctRecord(ctx, crypto, o.record_id as number, {
      payload: input.correction.payload,
      severity: input.correction.severity ?? null,
      reason: `异议 ${o.id}：${reasons}`,
    });
    if (outcome.outcome === 'rejected') {
      const first = outcome.errors[0];
      throw RemedyErrors.CORRECTION_REJECTED({
        field: first?.field,
        errors: outcome.errors,
        first: first?.message.zh ?? '',
        firstEn: first?.message.en ?? '',
      });
    }
    if (outcome.outcome === 'unchanged')
      throw RemedyErrors.CORRECTION_REJECTED({
        field: 'correction.payload',
        first: '更正内容与当前版本相同',
        firstEn: 'the correction changes nothing',
      });
    resultVersion = outcome.version;
    await remediesRepo.markRecompute(ctx.db, {
      subjectId: o.subject_id,
      reason: 'record_corrected',
      kinds: ['evaluation', 'report'],
      source,
      at: ctx.now,
    });
  } else if (input.outcome === 'withdrawn') {
    await stopRecord(ctx, o.record_id as number, { kind: 'withdrawn', reason: `异议 ${o.id}：${reasons}` });
    await remediesRepo.markRecompute(ctx.db, {
      subjectId: o.subject_id,
      reason: 'record_withdrawn',
      kinds: ['evaluation', 'report'],
      source,
      at: ctx.now,
    });
  } else if (input.outcome === 'overturned') {
    const app = await remediesRepo.application(ctx.db, o.repair_application_id as number, true);
    if (!app) throw RemedyErrors.APPLICATION_NOT_FOUND({ application: o.repair_application_id });
    const granted = await remediesRepo.updateApplication(
      ctx.db,
      app.id,
      {
        status: 'granted',
        decided_at: ctx.now,
        decided_by: actorLabel(ctx.actor),
        decision_reasons: `异议 ${o.id} 复核：${reasons}`,
      },
      ctx.now,
    );
    const effects = await applyGrantedRepair(ctx, crypto, granted);
    await remediesRepo.insertStep(ctx.db, {
      applicationId: app.id,
      step: 'granted',
      at: ctx.now,
      actor: actorLabel(ctx.actor),
      due: null,
      data: { onObjection: o.id, reasons },
    });
    // Ordering inside the transaction: the repair event before the objection's outcome.
    await appendEvents(ctx, [
      {
        type: 'repair.granted',
        entityType: 'repair_application',
        entityId: app.id,
        subjectId: app.subject_id,
        payload: { applicationId: app.id, status: 'granted', onObjection: o.id, reasons, effects },
      },
    ]);
  }
  const updated = await remediesRepo.updateObjection(
    ctx.db,
    id,
    {
      status: 'closed',
      outcome: input.outcome,
      outcome_reasons: reasons,
      resolved_at: ctx.now,
      resolved_by: actorLabel(ctx.actor),
      resolution_late: late,
      late_reason: late ? lateReason : null,
      result_version: resultVersion,
    },
    ctx.now,
  );
  if (updated.record_id !== null) await markDisputed(ctx, updated.record_id, null);
  await appendEvents(ctx, [
    objectionEvent('resolved', updated, {
      outcome: input.outcome,
      reasons,
      late,
      lateReason: late ? lateReason : null,
      resultVersion,
    }),
  ]);
  return (await views(ctx, [updated], today))[0] as ObjectionView;
}

export async function myObjections(ctx: Ctx): Promise<ObjectionView[]> {
  const a = ctx.actor;
  if (a.kind !== 'user' || !a.subjectId) throw RemedyErrors.NOT_SUBJECT_ACCOUNT();
  const rows = await remediesRepo.objections(ctx.db, {
    subjectId: a.subjectId,
    departmentId: null,
    status: null,
    overdueOn: null,
    limit: 200,
  });
  const today = civilDate(ctx.now);
  return views(ctx, rows, today);
}

/** The provider's queue (own department), or every objection for the platform and auditors. */
export async function objectionQueue(
  ctx: Ctx,
  f: { status?: 'open' | 'closed'; overdue: boolean; limit: number },
): Promise<ObjectionView[]> {
  const all = hasRole(ctx.actor, 'platform_admin') || hasRole(ctx.actor, 'auditor');
  const dept =
    ctx.actor.kind === 'user'
      ? ctx.actor.departmentId
      : ctx.actor.kind === 'apikey'
        ? ctx.actor.departmentId
        : null;
  const today = civilDate(ctx.now);
  const rows = await remediesRepo.objections(ctx.db, {
    subjectId: null,
    departmentId: all ? null : (dept ?? -1),
    status: f.status ?? null,
    overdueOn: f.overdue ? today : null,
    limit: f.limit,
  });
  return views(ctx, rows, today);
}
