/**
 * Credit-repair applications: draft → materials → submit (clock starts, query code issued) →
 * platform forwards (or finds it inadmissible) → the deciding department decides, once extendable.
 * Every step is a row in repair_steps and an event carrying its deadline, in the caller's
 * transaction; a granted decision applies its effects in that same transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { civilDate } from '../../../domain/periods';
import {
  answerDue,
  canAct,
  commitmentText,
  decideDue,
  extendedDue,
  formatQueryCode,
  isOverdue,
  normaliseQueryCode,
  pendingStep,
  workingDaysLate,
  type RepairAction,
  type RepairStatus,
} from '../../../domain/remedies';
import { actorLabel, hasRole, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { appendEvents, type NewEvent } from '../../platform/events';
import { getDepartment } from '../accounts';
import { workingCalendar } from '../calendar';
import { findByIdentifier, getSubject } from '../subjects';
import { applyGrantedRepair, type GrantEffects } from './remedies.effects';
import { RemedyErrors } from './remedies.errors';
import { repairPolicy } from './remedies.policy';
import { remediesRepo, type ApplicationRow, type FileRow, type StepRow } from './remedies.repository';
import {
  ineligibleError,
  loadTarget,
  targetLabels,
  targetRef,
  type Target,
  type TargetLabels,
} from './remedies.targets';

export interface RepairDeps {
  crypto: FieldCrypto;
}

export interface IncomingFile {
  kind: 'evidence' | 'authorisation';
  filename: string;
  mediaType: string;
  content: Buffer;
}

const STATUS_TEXT: Record<RepairStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  submitted: { zh: '已提交，待平台转办', en: 'submitted, awaiting forwarding' },
  forwarded: { zh: '已转办，待部门决定', en: 'forwarded, awaiting the decision' },
  granted: { zh: '准予修复', en: 'granted' },
  refused: { zh: '不予修复', en: 'refused' },
  rejected: { zh: '不予受理', en: 'not admitted' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

const ACTION_TEXT: Record<RepairAction, { zh: string; en: string }> = {
  upload: { zh: '上传材料', en: 'given files' },
  submit: { zh: '提交', en: 'submitted' },
  withdraw: { zh: '撤回', en: 'withdrawn' },
  forward: { zh: '转办', en: 'forwarded' },
  reject: { zh: '不予受理', en: 'rejected' },
  extend: { zh: '延期', en: 'extended' },
  decide: { zh: '作出决定', en: 'decided' },
};

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest();
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function requireStage(a: ApplicationRow, action: RepairAction): void {
  const status = a.status as RepairStatus;
  if (!canAct(status, action))
    throw RemedyErrors.WRONG_STAGE({
      status: STATUS_TEXT[status].zh,
      action: ACTION_TEXT[action].zh,
      actionEn: ACTION_TEXT[action].en,
      statusCode: status,
    });
}

/** The subject account acting, or an error saying who may apply. */
function applicantOf(ctx: Ctx): { userId: number; subjectId: number } {
  const a = ctx.actor;
  if (a.kind !== 'user' || !a.roles.includes('subject') || !a.subjectId)
    throw RemedyErrors.NOT_SUBJECT_ACCOUNT();
  return { userId: a.userId, subjectId: a.subjectId };
}

function assertApplicant(ctx: Ctx, a: ApplicationRow): void {
  if (ctx.actor.kind !== 'user' || ctx.actor.userId !== a.applicant_user_id)
    throw RemedyErrors.NOT_APPLICANT();
}

async function assertDecider(ctx: Ctx, a: ApplicationRow): Promise<void> {
  const actor = ctx.actor;
  if (actor.kind === 'user' && actor.departmentId === a.department_id) return;
  const dept = await getDepartment(ctx, a.department_id);
  throw RemedyErrors.NOT_YOUR_DEPARTMENT({ department: dept.name });
}

/** Who may read an application: its applicant, the subject's accounts, the platform, auditors, the deciding department. */
function canRead(ctx: Ctx, a: ApplicationRow): boolean {
  const actor = ctx.actor;
  if (actor.kind !== 'user') return false;
  if (actor.userId === a.applicant_user_id || (actor.subjectId ?? null) === a.subject_id) return true;
  if (hasRole(actor, 'platform_admin') || hasRole(actor, 'auditor')) return true;
  return actor.departmentId === a.department_id;
}

function repairEvent(type: string, a: ApplicationRow, data: Record<string, unknown>): NewEvent {
  return {
    type: `repair.${type}`,
    entityType: 'repair_application',
    entityId: a.id,
    subjectId: a.subject_id,
    payload: {
      applicationId: a.id,
      targetKind: a.target_kind,
      recordId: a.record_id,
      entryId: a.list_entry_id,
      departmentId: a.department_id,
      status: a.status,
      ...data,
    },
  };
}

async function step(
  ctx: Ctx,
  a: ApplicationRow,
  name: string,
  opts: { due?: string | null; late?: boolean; data?: Record<string, unknown> } = {},
): Promise<NewEvent> {
  const data = opts.data ?? {};
  await remediesRepo.insertStep(ctx.db, {
    applicationId: a.id,
    step: name,
    at: ctx.now,
    actor: actorLabel(ctx.actor),
    due: opts.due ?? null,
    late: opts.late ?? false,
    data,
  });
  return repairEvent(name, a, { due: opts.due ?? null, late: opts.late ?? false, ...data });
}

async function load(ctx: Ctx, id: number, forUpdate = false): Promise<ApplicationRow> {
  const a = await remediesRepo.application(ctx.db, id, forUpdate);
  if (!a) throw RemedyErrors.APPLICATION_NOT_FOUND({ application: id });
  return a;
}

// ---- views ----

export interface ApplicationView {
  id: number;
  queryCode: string | null;
  status: RepairStatus;
  statusLabel: { zh: string; en: string };
  target: TargetLabels & { kind: string; recordId: number | null; entryId: number | null };
  subject: { ref: string };
  departmentId: number;
  applicant: { kind: string; agentName: string | null };
  statement: string;
  commitment: { text: string; sha256: string; acceptedAt: string | null };
  files: {
    id: number;
    kind: string;
    filename: string;
    mediaType: string;
    size: number;
    sha256: string;
    uploadedAt: string;
  }[];
  steps: {
    step: string;
    at: string;
    actor: string;
    due: string | null;
    late: boolean;
    data: Record<string, unknown>;
  }[];
  clock: {
    appliedOn: string | null;
    answerDue: string | null;
    receivedOn: string | null;
    decideDue: string | null;
    extended: boolean;
    extensionReason: string | null;
    pending: { stage: 'forward' | 'decide'; due: string; overdue: boolean; workingDaysLate: number } | null;
  };
  decision: { decidedAt: string; reasons: string | null; late: boolean; lateReason: string | null } | null;
  closedReason: string | null;
  createdAt: string;
  effects?: GrantEffects;
}

const fileView = (f: FileRow) => ({
  id: f.id,
  kind: f.kind,
  filename: f.filename,
  mediaType: f.media_type,
  size: f.size,
  sha256: f.sha256.toString('hex'),
  uploadedAt: f.uploaded_at.toISOString(),
});

const stepView = (s: StepRow) => ({
  step: s.step,
  at: s.at.toISOString(),
  actor: s.actor,
  due: s.due,
  late: s.late,
  data: s.data,
});

async function pendingOf(ctx: Ctx, a: ApplicationRow): Promise<ApplicationView['clock']['pending']> {
  const p = pendingStep({
    status: a.status as RepairStatus,
    answerDue: a.answer_due,
    decideDue: a.decide_due,
  });
  if (!p) return null;
  const today = civilDate(ctx.now);
  const cal = await workingCalendar(ctx);
  return { ...p, overdue: isOverdue(p.due, today), workingDaysLate: workingDaysLate(cal, p.due, today) };
}

export async function applicationView(
  ctx: Ctx,
  a: ApplicationRow,
  opts: { showCode: boolean } = { showCode: true },
): Promise<ApplicationView> {
  // One after the other: inside a transaction these share one connection.
  const files = await remediesRepo.files(ctx.db, a.id);
  const steps = await remediesRepo.steps(ctx.db, a.id);
  const pending = await pendingOf(ctx, a);
  const [name] = await remediesRepo.targetNames(
    ctx.db,
    a.record_id === null ? [] : [a.record_id],
    a.list_entry_id === null ? [] : [a.list_entry_id],
  );
  const status = a.status as RepairStatus;
  return {
    id: a.id,
    queryCode: opts.showCode ? a.query_code : null,
    status,
    statusLabel: STATUS_TEXT[status],
    target: {
      kind: a.target_kind,
      recordId: a.record_id,
      entryId: a.list_entry_id,
      label: a.target_label,
      // The stored label is the Chinese one made at the draft; the English one is made when read.
      labelEn: name
        ? targetLabels({ zh: name.name_zh, en: name.name_en }, name.ref, name.on_date).labelEn
        : null,
    },
    subject: { ref: `S${a.subject_id}` },
    departmentId: a.department_id,
    applicant: { kind: a.applicant_kind, agentName: a.agent_name },
    statement: a.statement,
    commitment: {
      text: a.commitment_text,
      sha256: a.commitment_sha256.toString('hex'),
      acceptedAt: iso(a.commitment_at),
    },
    files: files.map(fileView),
    steps: steps.map(stepView),
    clock: {
      appliedOn: a.applied_on,
      answerDue: a.answer_due,
      receivedOn: a.received_on,
      decideDue: a.decide_due,
      extended: a.extended_at !== null,
      extensionReason: a.extension_reason,
      pending,
    },
    decision: a.decided_at
      ? {
          decidedAt: a.decided_at.toISOString(),
          reasons: a.decision_reasons,
          late: a.decision_late ?? false,
          lateReason: a.late_reason,
        }
      : null,
    closedReason: a.closed_reason,
    createdAt: a.created_at.toISOString(),
  };
}

// ---- use cases ----

/** Whether the subject's record or entry can be repaired now, and the commitment it would sign. */
export async function checkEligibility(ctx: Ctx, input: { recordId?: number; entryId?: number }) {
  const policy = await repairPolicy(ctx);
  const target = await loadTarget(ctx, targetRef(input), policy);
  const subjectId = ctx.actor.kind === 'user' ? (ctx.actor.subjectId ?? null) : null;
  // Neither a subject account nor another department's staff learns other subjects' information
  // (document numbers, dates) by probing ids: the full label is for the subject, the department
  // that decides on it and platform administrators.
  const deciding =
    ctx.actor.kind === 'user' &&
    (ctx.actor.roles.includes('platform_admin') ||
      (ctx.actor.departmentId !== null && ctx.actor.departmentId === target.departmentId));
  const full = subjectId === target.subjectId || deciding;
  return {
    target: {
      kind: target.kind,
      recordId: target.recordId,
      entryId: target.entryId,
      label: full ? target.label : target.publicLabel.zh,
      labelEn: full ? target.labelEn : target.publicLabel.en,
    },
    ownSubject: subjectId === target.subjectId,
    eligibility: target.eligibility,
    clocks: {
      forwardDays: policy.forwardDays,
      decideDays: policy.decideDays,
      extensionDays: policy.extensionDays,
    },
    free: true,
  };
}

export async function createDraft(
  ctx: Ctx,
  deps: RepairDeps,
  input: {
    recordId?: number;
    entryId?: number;
    statement: string;
    agent?: { name: string; subject: string } | null;
  },
): Promise<ApplicationView> {
  const me = applicantOf(ctx);
  const policy = await repairPolicy(ctx);
  const target: Target = await loadTarget(ctx, targetRef(input), policy);
  const agentName = input.agent?.name?.trim() || null;
  if (target.subjectId !== me.subjectId) {
    // An agent names the subject it acts for by its code: it must already know whose information
    // this is, so ids cannot be probed for other subjects' names and documents.
    const represented = input.agent ? await findByIdentifier(ctx, deps.crypto, input.agent.subject) : null;
    if (!agentName || !represented || represented.id !== target.subjectId)
      throw RemedyErrors.NOT_THE_SUBJECT({ field: 'agent' });
  }
  const bad = ineligibleError(target.eligibility);
  if (bad) throw bad;
  const live = await remediesRepo.liveFor(ctx.db, { recordId: target.recordId, entryId: target.entryId });
  if (live !== undefined) throw RemedyErrors.APPLICATION_EXISTS({ application: live });

  const subject = await getSubject(ctx, target.subjectId);
  const text = commitmentText({
    subjectName: subject.name,
    subjectCode: subject.uscc ?? subject.idMasked ?? `S${subject.id}`,
    target: target.label,
    date: civilDate(ctx.now),
    agentName,
  });
  const row = await remediesRepo.insertApplication(
    ctx.db,
    {
      target_kind: target.kind,
      record_id: target.recordId,
      list_entry_id: target.entryId,
      subject_id: target.subjectId,
      department_id: target.departmentId,
      target_label: target.label,
      applicant_user_id: me.userId,
      applicant_kind: target.subjectId === me.subjectId ? 'self' : 'agent',
      agent_name: target.subjectId === me.subjectId ? null : agentName,
      statement: input.statement.trim(),
      commitment_text: text,
      commitment_sha256: sha256(text),
    },
    ctx.now,
  );
  // A concurrent draft for the same target won the unique index.
  if (!row)
    throw RemedyErrors.APPLICATION_EXISTS({
      application:
        (await remediesRepo.liveFor(ctx.db, { recordId: target.recordId, entryId: target.entryId })) ?? 0,
    });
  await appendEvents(ctx, [await step(ctx, row, 'drafted', { data: { applicantKind: row.applicant_kind } })]);
  return applicationView(ctx, row);
}

export async function addFiles(ctx: Ctx, id: number, files: IncomingFile[]): Promise<ApplicationView> {
  const a = await load(ctx, id, true);
  assertApplicant(ctx, a);
  requireStage(a, 'upload');
  const policy = await repairPolicy(ctx);
  const have = await remediesRepo.files(ctx.db, id);
  if (have.length + files.length > policy.maxFiles)
    throw RemedyErrors.TOO_MANY_FILES({ max: policy.maxFiles });
  const events: NewEvent[] = [];
  for (const f of files) {
    const digest = sha256(f.content);
    const row = await remediesRepo.insertFile(ctx.db, {
      applicationId: id,
      kind: f.kind,
      filename: f.filename,
      mediaType: f.mediaType,
      content: f.content,
      sha256: digest,
      at: ctx.now,
      by: actorLabel(ctx.actor),
    });
    events.push(
      await step(ctx, a, 'file_added', {
        data: {
          fileId: row.id,
          kind: f.kind,
          mediaType: f.mediaType,
          size: f.content.length,
          sha256: digest.toString('hex'),
        },
      }),
    );
  }
  await appendEvents(ctx, events);
  return applicationView(ctx, a);
}

export async function submitApplication(
  ctx: Ctx,
  id: number,
  input: { acceptCommitment: boolean; commitmentSha256?: string },
  random: (n: number) => Buffer = randomBytes,
): Promise<ApplicationView> {
  const a = await load(ctx, id, true);
  assertApplicant(ctx, a);
  requireStage(a, 'submit');
  if (!input.acceptCommitment) throw RemedyErrors.COMMITMENT_REQUIRED({ field: 'acceptCommitment' });
  if (input.commitmentSha256 && input.commitmentSha256.toLowerCase() !== a.commitment_sha256.toString('hex'))
    throw RemedyErrors.COMMITMENT_MISMATCH({ field: 'commitmentSha256' });
  const files = await remediesRepo.files(ctx.db, id);
  if (a.applicant_kind === 'agent' && !files.some((f) => f.kind === 'authorisation'))
    throw RemedyErrors.AUTHORISATION_REQUIRED({ field: 'files' });
  // Eligibility may have changed since the draft (a correction, an expiry): check again.
  const policy = await repairPolicy(ctx);
  const target = await loadTarget(
    ctx,
    a.record_id !== null ? { recordId: a.record_id } : { entryId: a.list_entry_id as number },
    policy,
  );
  const bad = ineligibleError(target.eligibility);
  if (bad) throw bad;

  const appliedOn = civilDate(ctx.now);
  const cal = await workingCalendar(ctx);
  const due = answerDue(cal, appliedOn, policy);
  const updated = await remediesRepo.updateApplication(
    ctx.db,
    id,
    {
      status: 'submitted',
      commitment_at: ctx.now,
      submitted_at: ctx.now,
      applied_on: appliedOn,
      answer_due: due,
      query_code: formatQueryCode(random(10)),
    },
    ctx.now,
  );
  const event = await step(ctx, updated, 'submitted', {
    due,
    data: {
      appliedOn,
      commitmentSha256: a.commitment_sha256.toString('hex'),
      files: files.length,
      deadlineExact: cal.coverageOf(appliedOn, due).exact,
    },
  });
  await appendEvents(ctx, [event]);
  return applicationView(ctx, updated);
}

export async function withdrawApplication(ctx: Ctx, id: number, reason: string): Promise<ApplicationView> {
  const a = await load(ctx, id, true);
  assertApplicant(ctx, a);
  requireStage(a, 'withdraw');
  const updated = await remediesRepo.updateApplication(
    ctx.db,
    id,
    { status: 'withdrawn', closed_reason: reason.trim() },
    ctx.now,
  );
  await appendEvents(ctx, [await step(ctx, updated, 'withdrawn', { data: { reason: reason.trim() } })]);
  return applicationView(ctx, updated);
}

/** The platform forwards to the deciding department (its answer to the applicant); the 3-day clock starts. */
export async function forwardApplication(
  ctx: Ctx,
  id: number,
  note: string | undefined,
): Promise<ApplicationView> {
  const a = await load(ctx, id, true);
  requireStage(a, 'forward');
  const policy = await repairPolicy(ctx);
  const cal = await workingCalendar(ctx);
  const today = civilDate(ctx.now);
  const due = decideDue(cal, today, policy);
  const late = isOverdue(a.answer_due, today);
  const updated = await remediesRepo.updateApplication(
    ctx.db,
    id,
    { status: 'forwarded', forwarded_at: ctx.now, received_on: today, decide_due: due },
    ctx.now,
  );
  const event = await step(ctx, updated, 'forwarded', {
    due,
    late,
    data: {
      receivedOn: today,
      answerDue: a.answer_due,
      note: note?.trim() || null,
      deadlineExact: cal.coverageOf(today, due).exact,
    },
  });
  await appendEvents(ctx, [event]);
  return applicationView(ctx, updated);
}

/** The platform finds the application inadmissible (e.g. not the platform's information) and answers so. */
export async function rejectApplication(ctx: Ctx, id: number, reason: string): Promise<ApplicationView> {
  const a = await load(ctx, id, true);
  requireStage(a, 'reject');
  const late = isOverdue(a.answer_due, civilDate(ctx.now));
  const updated = await remediesRepo.updateApplication(
    ctx.db,
    id,
    { status: 'rejected', closed_reason: reason.trim() },
    ctx.now,
  );
  await appendEvents(ctx, [
    await step(ctx, updated, 'rejected', { due: a.answer_due, late, data: { reason: reason.trim() } }),
  ]);
  return applicationView(ctx, updated);
}

/** One extension, with a reason, asked before the decision deadline passes. */
export async function extendApplication(ctx: Ctx, id: number, reason: string): Promise<ApplicationView> {
  const a = await load(ctx, id, true);
  await assertDecider(ctx, a);
  requireStage(a, 'extend');
  if (a.extended_at) throw RemedyErrors.EXTENSION_USED({ at: a.extended_at.toISOString() });
  const today = civilDate(ctx.now);
  if (isOverdue(a.decide_due, today)) throw RemedyErrors.EXTENSION_TOO_LATE({ due: a.decide_due });
  const policy = await repairPolicy(ctx);
  const cal = await workingCalendar(ctx);
  const due = extendedDue(cal, a.decide_due as string, policy);
  const updated = await remediesRepo.updateApplication(
    ctx.db,
    id,
    { extended_at: ctx.now, extension_reason: reason.trim(), decide_due: due },
    ctx.now,
  );
  await appendEvents(ctx, [
    await step(ctx, updated, 'extended', { due, data: { previousDue: a.decide_due, reason: reason.trim() } }),
  ]);
  return applicationView(ctx, updated);
}

/**
 * The department's decision. After the deadline a decision is still taken (refusing it would only
 * hurt the applicant) but it must say why it is late, and it is recorded and shown as overdue.
 */
export async function decideApplication(
  ctx: Ctx,
  deps: RepairDeps,
  id: number,
  input: { outcome: 'granted' | 'refused'; reasons: string; lateReason?: string },
): Promise<ApplicationView> {
  const a = await load(ctx, id, true);
  await assertDecider(ctx, a);
  requireStage(a, 'decide');
  const today = civilDate(ctx.now);
  const late = isOverdue(a.decide_due, today);
  const lateReason = input.lateReason?.trim() || null;
  if (late && !lateReason) {
    const cal = await workingCalendar(ctx);
    throw RemedyErrors.LATE_REASON_REQUIRED({
      field: 'lateReason',
      due: a.decide_due,
      days: workingDaysLate(cal, a.decide_due as string, today),
    });
  }
  const updated = await remediesRepo.updateApplication(
    ctx.db,
    id,
    {
      status: input.outcome,
      decided_at: ctx.now,
      decided_by: actorLabel(ctx.actor),
      decision_reasons: input.reasons.trim(),
      decision_late: late,
      late_reason: late ? lateReason : null,
    },
    ctx.now,
  );
  const effects =
    input.outcome === 'granted' ? await applyGrantedRepair(ctx, deps.crypto, updated) : undefined;
  const event = await step(ctx, updated, input.outcome, {
    due: a.decide_due,
    late,
    data: {
      reasons: input.reasons.trim(),
      lateReason: late ? lateReason : null,
      ...(effects ? { effects } : {}),
    },
  });
  await appendEvents(ctx, [event]);
  const view = await applicationView(ctx, updated);
  return effects ? { ...view, effects } : view;
}

export async function getApplication(ctx: Ctx, id: number): Promise<ApplicationView> {
  const a = await load(ctx, id);
  if (!canRead(ctx, a)) throw RemedyErrors.APPLICATION_NOT_FOUND({ application: id });
  return applicationView(ctx, a, {
    showCode: ctx.actor.kind === 'user' && ctx.actor.userId === a.applicant_user_id,
  });
}

export async function fileOf(ctx: Ctx, id: number, fileId: number) {
  const a = await load(ctx, id);
  if (!canRead(ctx, a)) throw RemedyErrors.APPLICATION_NOT_FOUND({ application: id });
  const f = await remediesRepo.fileContent(ctx.db, id, fileId);
  if (!f) throw RemedyErrors.FILE_NOT_FOUND({ file: fileId });
  return { ...f, subject_id: a.subject_id };
}

export async function myApplications(ctx: Ctx): Promise<ApplicationView[]> {
  const me = applicantOf(ctx);
  const rows = await remediesRepo.ofApplicant(ctx.db, me.userId, me.subjectId, 200);
  const out: ApplicationView[] = [];
  for (const r of rows)
    out.push(await applicationView(ctx, r, { showCode: r.applicant_user_id === me.userId }));
  return out;
}

/** The console queue: the platform sees what awaits forwarding; a department what awaits its decision. */
export async function repairQueue(ctx: Ctx, f: { overdue: boolean; limit: number }) {
  const admin = hasRole(ctx.actor, 'platform_admin') || hasRole(ctx.actor, 'auditor');
  const dept = ctx.actor.kind === 'user' ? ctx.actor.departmentId : null;
  const rows = await remediesRepo.queue(ctx.db, {
    status: admin ? null : 'forwarded',
    departmentId: admin ? null : dept,
    overdueOn: f.overdue ? civilDate(ctx.now) : null,
    limit: f.limit,
  });
  const out: ApplicationView[] = [];
  for (const r of rows) out.push(await applicationView(ctx, r, { showCode: false }));
  return out;
}

/** What anyone holding the query code may see: progress and deadlines, no personal data. */
export async function publicStatus(ctx: Ctx, raw: string) {
  const code = normaliseQueryCode(raw);
  if (!code) throw RemedyErrors.QUERY_CODE_INVALID({ field: 'code' });
  const a = await remediesRepo.byQueryCode(ctx.db, code);
  if (!a) throw RemedyErrors.QUERY_CODE_UNKNOWN({ field: 'code' });
  const steps = await remediesRepo.steps(ctx.db, a.id);
  const pending = await pendingOf(ctx, a);
  const policy = await repairPolicy(ctx);
  const target = await loadTarget(
    ctx,
    a.record_id !== null ? { recordId: a.record_id } : { entryId: a.list_entry_id as number },
    policy,
  ).catch(() => null);
  const status = a.status as RepairStatus;
  return {
    queryCode: code,
    kind: a.target_kind,
    information: target?.publicLabel ?? null,
    status,
    statusLabel: STATUS_TEXT[status],
    appliedOn: a.applied_on,
    answerDue: a.answer_due,
    receivedOn: a.received_on,
    decideDue: a.decide_due,
    extended: a.extended_at !== null,
    decidedOn: a.decided_at ? civilDate(a.decided_at) : null,
    pending,
    steps: steps
      .filter((s) => s.step !== 'drafted' && s.step !== 'file_added')
      .map((s) => ({ step: s.step, on: civilDate(s.at), due: s.due, late: s.late })),
    free: true,
  };
}
