/**
 * The listing procedure: propose → notify (notice + credit-repair notice, 两书同达) → statement or
 * waiver → decide (with reasons) → published when the list is public → ends by its dates or by an
 * exit decision. Each step is a row in list_entry_steps and an event, in the caller's transaction.
 */
import { CN_CALENDAR_DATA, createCalendar, type WorkingDayCalendar } from '../../../domain/calendar';
import {
  decisionBlock,
  earliestExit,
  endBlock,
  entryPeriod,
  factsAllUsed,
  factsKey,
  PARTY_ROLE_LABELS,
  partyRoleFits,
  statementBlock,
  statementDeadline,
  statementStart,
  type EndReason,
  type PartyRole,
  type ProcedureBlock,
} from '../../../domain/lists';
import { civilDate } from '../../../domain/periods';
import { actorLabel, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { appendEvents, type NewEvent } from '../../platform/events';
import { findByIdentifier, SubjectErrors } from '../subjects';
import { ListErrors } from './lists.errors';
import {
  actingDepartment,
  assertListingAuthority,
  assertOwnDepartment,
  statementChannel,
  waiverDocument,
} from './lists.policy';
import { listsRepo, type EntryPatch, type EntryViewRow } from './lists.repository';
import { getListType, type ListType } from './lists.types';
import { entryViews, type EntryView } from './lists.views';

export interface FactInput {
  recordId?: number;
  docNo?: string;
  title?: string;
  date?: string;
  issuedBy?: string;
}

export interface ProposeInput {
  listType: string;
  /** The subject: USCC, citizen ID (exact) or the platform reference S<id>. */
  subject: string;
  /** The dishonest conduct in words. */
  summary: string;
  facts: FactInput[];
  parties?: { subject: string; role: PartyRole; note?: string }[];
}

export interface NotifyInput {
  /** The day both notices were served (default: today); the period counts from today at the earliest. */
  notifiedOn?: string;
  noticeNo: string;
  repairNoticeNo: string;
  channel?: string;
}

export interface DecideInput {
  outcome: 'list' | 'not_list';
  decisionNo: string;
  reasons: string;
  /** A longer period within the list's maximum (fixed lists), or a cap (until-performed lists). */
  periodMonths?: number;
}

export interface EndInput {
  reason: EndReason;
  note?: string;
}

/** The working-day calendar with the administrator's overrides. */
export async function calendarFor(ctx: Ctx): Promise<WorkingDayCalendar> {
  const overrides = await listsRepo.calendarOverrides(ctx.db);
  return createCalendar(
    CN_CALENDAR_DATA,
    overrides.map((o) => ({ date: o.day, kind: o.kind, ...(o.name ? { name: o.name } : {}) })),
  );
}

function stepEvent(type: string, e: EntryViewRow, data: Record<string, unknown>): NewEvent {
  return {
    type: `list_entry.${type}`,
    entityType: 'list_entry',
    entityId: e.id,
    subjectId: e.subject_id,
    payload: {
      entryId: e.id,
      listType: e.list_type_code,
      listTypeVersion: e.list_type_version,
      subjectId: e.subject_id,
      departmentId: e.department_id,
      ...data,
    },
  };
}

export async function step(
  ctx: Ctx,
  e: EntryViewRow,
  name: string,
  data: Record<string, unknown>,
): Promise<NewEvent> {
  await listsRepo.insertStep(ctx.db, {
    entryId: e.id,
    step: name,
    at: ctx.now,
    actor: actorLabel(ctx.actor),
    data,
  });
  return stepEvent(name, e, data);
}

const TEXT_LABELS = {
  summary: { zh: '失信行为描述', en: 'The summary of the conduct' },
  noticeNo: { zh: '列入告知书文号', en: 'The notice number' },
  repairNoticeNo: { zh: '信用修复告知书文号', en: 'The credit-repair notice number' },
  decisionNo: { zh: '决定书文号', en: 'The decision number' },
  reasons: { zh: '决定理由', en: 'The reasons' },
  reason: { zh: '撤回理由', en: 'The reason' },
} as const;

/** A required text, trimmed; empty or blank (whitespace only) is refused. */
function required(value: string, field: keyof typeof TEXT_LABELS): string {
  const text = value.trim();
  if (!text)
    throw ListErrors.FIELD_BLANK({ field, label: TEXT_LABELS[field].zh, labelEn: TEXT_LABELS[field].en });
  return text;
}

function blockError(b: ProcedureBlock) {
  switch (b.code) {
    case 'WRONG_STAGE':
      return ListErrors.WRONG_STAGE({ stage: b.stage });
    case 'STATEMENT_PERIOD_OPEN':
      return ListErrors.STATEMENT_PERIOD_OPEN({ deadline: b.deadline });
    case 'STATEMENT_PERIOD_OVER':
      return ListErrors.STATEMENT_PERIOD_OVER({ deadline: b.deadline });
    case 'STATEMENT_ALREADY_MADE':
      return ListErrors.STATEMENT_ALREADY_MADE();
  }
}

async function loadForUpdate(ctx: Ctx, id: number): Promise<EntryViewRow> {
  const e = await listsRepo.entry(ctx.db, id, true);
  if (!e) throw ListErrors.ENTRY_NOT_FOUND({ entry: id });
  return e;
}

async function reload(ctx: Ctx, id: number): Promise<EntryView> {
  const row = await listsRepo.entry(ctx.db, id);
  if (!row) throw ListErrors.ENTRY_NOT_FOUND({ entry: id });
  const [view] = await entryViews(ctx, [row], { at: ctx.now, steps: true });
  return view as EntryView;
}

/** A department proposes an entry, citing the facts; refused without facts or for the same facts twice. */
export async function proposeEntry(ctx: Ctx, crypto: FieldCrypto, input: ProposeInput): Promise<EntryView> {
  const departmentId = actingDepartment(ctx.actor);
  const summary = required(input.summary, 'summary');
  const list = await getListType(ctx, input.listType);
  if (list.status !== 'active')
    throw ListErrors.LIST_TYPE_NOT_ACCEPTING({ field: 'listType', code: list.code, status: list.status });
  assertListingAuthority(ctx.actor, list, departmentId);
  const subject = await findByIdentifier(ctx, crypto, input.subject);
  if (!subject) throw SubjectErrors.SUBJECT_NOT_FOUND({ field: 'subject', code: input.subject });

  const facts = input.facts.filter((f) => f.recordId || f.docNo?.trim());
  if (!facts.length) throw ListErrors.FACTS_REQUIRED({ field: 'facts' });
  const recordIds = [...new Set(facts.map((f) => f.recordId).filter((id): id is number => !!id))];
  const records = new Map((await listsRepo.factRecords(ctx.db, recordIds)).map((r) => [r.id, r]));
  for (const id of recordIds) {
    const r = records.get(id);
    if (!r) throw ListErrors.FACT_RECORD_NOT_FOUND({ field: 'facts', record: id });
    if (r.subject_id !== subject.id)
      throw ListErrors.FACT_RECORD_OTHER_SUBJECT({ field: 'facts', record: id });
    if (r.stop_kind === 'withdrawn') throw ListErrors.FACT_RECORD_WITHDRAWN({ field: 'facts', record: id });
  }

  const parties: { subjectId: number; role: string; note: string | null; code: string }[] = [];
  for (const [i, p] of (input.parties ?? []).entries()) {
    const party = await findByIdentifier(ctx, crypto, p.subject);
    if (!party) throw ListErrors.PARTY_NOT_REGISTERED({ field: `parties[${i}].subject`, code: p.subject });
    if (party.id === subject.id) throw ListErrors.PARTY_IS_SUBJECT({ field: `parties[${i}].subject` });
    if (!partyRoleFits(p.role as PartyRole, party.type)) {
      const label = PARTY_ROLE_LABELS[p.role as PartyRole];
      const person = party.type === 'NATURAL_PERSON';
      throw ListErrors.PARTY_ROLE_MISMATCH({
        field: `parties[${i}].role`,
        code: p.subject,
        roleZh: label?.zh ?? p.role,
        roleEn: (label?.en ?? p.role).toLowerCase(),
        typeZh: person ? '自然人' : '组织',
        typeEn: person ? 'natural person' : 'organisation',
      });
    }
    parties.push({ subjectId: party.id, role: p.role, note: p.note?.trim() || null, code: `S${party.id}` });
  }

  // A cited record counts under its document number too: citing the record or its document is
  // the same facts.
  const refs = facts.map((f) =>
    f.recordId ? { recordId: f.recordId, docNo: records.get(f.recordId)?.doc_no } : { docNo: f.docNo },
  );
  const keys = factsKey(refs);
  await listsRepo.lockSubjectOnList(ctx.db, list.code, subject.id);
  const dup = await listsRepo.sameFacts(ctx.db, list.code, subject.id, keys, civilDate(ctx.now), ctx.now);
  if (dup !== undefined) throw ListErrors.DUPLICATE_ENTRY({ field: 'facts', code: list.code, entry: dup });
  // An entry that has ended (expiry, exit, repair, …) used its facts up: a new listing needs new
  // ones. Withdrawn proposals and decisions not to list do not count.
  const ended = await listsRepo.endedWithFacts(
    ctx.db,
    list.code,
    subject.id,
    keys,
    civilDate(ctx.now),
    ctx.now,
  );
  const used = ended.find((d) => factsAllUsed(refs, d.facts_key));
  if (used)
    throw ListErrors.FACTS_ALREADY_USED({
      field: 'facts',
      code: list.code,
      entry: used.id,
      endedOn: used.ended_at ? civilDate(used.ended_at) : used.effective_until,
    });

  const id = await listsRepo.insertEntry(ctx.db, {
    code: list.code,
    version: list.version,
    kind: list.kind,
    subjectId: subject.id,
    departmentId,
    factsKey: keys,
    summary,
    now: ctx.now,
  });
  const factRows = facts.map((f) =>
    f.recordId
      ? {
          kind: 'record' as const,
          recordId: f.recordId,
          docNo: null,
          docTitle: null,
          docDate: null,
          issuedBy: null,
        }
      : {
          kind: 'document' as const,
          recordId: null,
          docNo: (f.docNo ?? '').trim(),
          docTitle: f.title?.trim() || null,
          docDate: f.date || null,
          issuedBy: f.issuedBy?.trim() || null,
        },
  );
  await listsRepo.insertFacts(ctx.db, id, factRows);
  await listsRepo.insertParties(ctx.db, id, parties);
  const row = (await listsRepo.entry(ctx.db, id)) as EntryViewRow;
  const event = await step(ctx, row, 'proposed', {
    summary: row.summary,
    facts: factRows,
    parties: parties.map((p) => ({ subjectId: p.subjectId, role: p.role, note: p.note })),
  });
  await appendEvents(ctx, [event]);
  return reload(ctx, id);
}

/**
 * Serves the notice and the credit-repair notice together (两书同达) and opens the statement
 * period: `statementDays` working days after the day of service, or after the day the notice is
 * recorded here when that is later (a backdated notice does not shorten the period).
 */
export async function notifyEntry(ctx: Ctx, id: number, input: NotifyInput): Promise<EntryView> {
  const e = await loadForUpdate(ctx, id);
  assertOwnDepartment(ctx.actor, e.department_id);
  const noticeNo = required(input.noticeNo, 'noticeNo');
  const repairNoticeNo = required(input.repairNoticeNo, 'repairNoticeNo');
  if (e.stage !== 'proposed') throw ListErrors.WRONG_STAGE({ stage: e.stage });
  const today = civilDate(ctx.now);
  const notifiedOn = input.notifiedOn ?? today;
  if (notifiedOn > today || notifiedOn < civilDate(e.proposed_at))
    throw ListErrors.NOTIFIED_ON_INVALID({ field: 'notifiedOn', date: notifiedOn });
  const list = await getListType(ctx, e.list_type_code, e.list_type_version);
  assertListingAuthority(ctx.actor, list, e.department_id);
  const calendar = await calendarFor(ctx);
  const statementFrom = statementStart(notifiedOn, today);
  const deadline = statementDeadline(calendar, statementFrom, list.statementDays);
  const patch: EntryPatch = {
    stage: 'notified',
    notified_on: notifiedOn,
    notified_at: ctx.now,
    notice_no: noticeNo,
    repair_notice_no: repairNoticeNo,
    statement_deadline: deadline,
  };
  await listsRepo.updateEntry(ctx.db, id, patch, ctx.now);
  const event = await step(ctx, e, 'notified', {
    notifiedOn,
    noticeNo: patch.notice_no,
    repairNoticeNo: patch.repair_notice_no,
    channel: input.channel?.trim() || null,
    statementDays: list.statementDays,
    statementFrom,
    statementDeadline: deadline,
    deadlineExact: calendar.coverageOf(statementFrom, deadline).exact,
    // What the credit-repair notice tells the subject: how and when it can leave the list.
    repairNotice: {
      exitConditions: list.conditions.exit,
      earlyExit: list.earlyExit,
      period: list.period,
    },
  });
  await appendEvents(ctx, [event]);
  return reload(ctx, id);
}

/**
 * The subject's statement and defence (陈述申辩), or its waiver, within the statement period. A
 * waiver recorded by the department for the subject cites the waiver the subject signed.
 */
export async function submitStatement(
  ctx: Ctx,
  id: number,
  input: { text?: string; waived?: boolean; waiverDocNo?: string; attachments?: string[] },
): Promise<EntryView> {
  const e = await loadForUpdate(ctx, id);
  const channel = statementChannel(ctx.actor, e);
  const block = statementBlock(
    {
      stage: e.stage as 'notified',
      statementDeadline: e.statement_deadline,
      statementAt: e.statement_at,
      waivedAt: e.waived_at,
    },
    civilDate(ctx.now),
  );
  if (block) throw blockError(block);
  const waived = input.waived === true;
  const text = input.text?.trim() ?? '';
  if (!waived && !text) throw ListErrors.STATEMENT_EMPTY({ field: 'text' });
  const waiverDocNo = waived ? waiverDocument(channel, input.waiverDocNo) : null;
  await listsRepo.updateEntry(
    ctx.db,
    id,
    waived ? { waived_at: ctx.now } : { statement_at: ctx.now },
    ctx.now,
  );
  const event = waived
    ? await step(ctx, e, 'statement_waived', { channel, waiverDocNo })
    : await step(ctx, e, 'statement', { channel, text, attachments: input.attachments ?? [] });
  await appendEvents(ctx, [event]);
  return reload(ctx, id);
}

/** The decision, with reasons; refused before the statement period ends unless stated or waived. */
export async function decideEntry(ctx: Ctx, id: number, input: DecideInput): Promise<EntryView> {
  const e = await loadForUpdate(ctx, id);
  assertOwnDepartment(ctx.actor, e.department_id);
  const decisionNo = required(input.decisionNo, 'decisionNo');
  const reasons = required(input.reasons, 'reasons');
  const today = civilDate(ctx.now);
  const block = decisionBlock(
    {
      stage: e.stage as 'notified',
      statementDeadline: e.statement_deadline,
      statementAt: e.statement_at,
      waivedAt: e.waived_at,
    },
    today,
  );
  if (block) throw blockError(block);
  const list = await getListType(ctx, e.list_type_code, e.list_type_version);
  assertListingAuthority(ctx.actor, list, e.department_id);
  const events: NewEvent[] = [];
  if (input.outcome === 'not_list') {
    await listsRepo.updateEntry(
      ctx.db,
      id,
      {
        stage: 'not_listed',
        decided_at: ctx.now,
        decision_no: decisionNo,
        decision_reasons: reasons,
      },
      ctx.now,
    );
    events.push(
      await step(ctx, e, 'decided', {
        outcome: 'not_list',
        decisionNo,
        reasons,
      }),
    );
    await appendEvents(ctx, events);
    return reload(ctx, id);
  }
  const period = entryPeriod(list.period, today, input.periodMonths);
  if (!period)
    throw ListErrors.PERIOD_NOT_ALLOWED({
      field: 'periodMonths',
      code: list.code,
      months: input.periodMonths,
    });
  await listsRepo.updateEntry(
    ctx.db,
    id,
    {
      stage: 'listed',
      decided_at: ctx.now,
      decision_no: decisionNo,
      decision_reasons: reasons,
      period_months: period.months,
      effective_from: period.from,
      effective_until: period.until,
      review_on: period.reviewOn,
      published_at: list.public ? ctx.now : null,
    },
    ctx.now,
  );
  events.push(
    await step(ctx, e, 'decided', {
      outcome: 'list',
      decisionNo,
      reasons,
      periodMonths: period.months,
      effectiveFrom: period.from,
      effectiveUntil: period.until,
      reviewOn: period.reviewOn,
      earliestExit: earliestExit(list, period.from),
    }),
  );
  if (list.public) events.push(await step(ctx, e, 'published', { publishedAt: ctx.now.toISOString() }));
  await appendEvents(ctx, events);
  return reload(ctx, id);
}

/** Withdraws a proposal that has not been decided. */
export async function withdrawEntry(ctx: Ctx, id: number, reason: string): Promise<EntryView> {
  const e = await loadForUpdate(ctx, id);
  assertOwnDepartment(ctx.actor, e.department_id);
  const text = required(reason, 'reason');
  if (e.stage !== 'proposed' && e.stage !== 'notified') throw ListErrors.WRONG_STAGE({ stage: e.stage });
  await listsRepo.updateEntry(ctx.db, id, { stage: 'withdrawn', end_note: text }, ctx.now);
  await appendEvents(ctx, [await step(ctx, e, 'withdrawn', { reason: text })]);
  return reload(ctx, id);
}

/**
 * Ends an active entry now: early exit or removal by credit repair (after the list's minimum time),
 * performance of the obligation, a court order, or another ground. The credit-repair module calls
 * this with its own context (a system actor or the deciding department's reviewer).
 */
export async function endEntry(ctx: Ctx, id: number, input: EndInput): Promise<EntryView> {
  const e = await loadForUpdate(ctx, id);
  assertOwnDepartment(ctx.actor, e.department_id);
  const list: ListType = await getListType(ctx, e.list_type_code, e.list_type_version);
  const block = endBlock(
    list,
    {
      stage: e.stage as 'listed',
      decidedAt: e.decided_at,
      effectiveFrom: e.effective_from,
      effectiveUntil: e.effective_until,
      endedAt: e.ended_at,
    },
    input.reason,
    ctx.now,
  );
  if (block?.code === 'NOT_ACTIVE') throw ListErrors.NOT_ACTIVE({ entry: id });
  if (block?.code === 'EARLY_EXIT_NOT_ALLOWED') throw ListErrors.EARLY_EXIT_NOT_ALLOWED({ code: list.code });
  if (block?.code === 'EARLY_EXIT_TOO_SOON')
    throw ListErrors.EARLY_EXIT_TOO_SOON({ earliest: block.earliest });
  await listsRepo.updateEntry(
    ctx.db,
    id,
    { ended_at: ctx.now, end_reason: input.reason, end_note: input.note?.trim() || null },
    ctx.now,
  );
  await appendEvents(ctx, [await step(ctx, e, 'ended', { reason: input.reason, note: input.note ?? null })]);
  return reload(ctx, id);
}
