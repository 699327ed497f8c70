import { civilDate, computeWindow, DEFAULT_PERIOD_POLICY, type Severity } from '../../../domain/periods';
import { validateCitizenId, validateUscc } from '../../../domain/identifiers';
import type { SubjectType } from '../../../domain/subject-types';
import type { Bilingual } from '../../../domain/i18n';
import { actorDepartment, actorLabel, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { appendEvents, type NewEvent } from '../../platform/events';
import {
  getItemVersion,
  isProvider,
  resolveSeverity,
  validatePayload,
  type ItemVersion,
} from '../catalog';
import { findByIdentifier, findManyByCodes, registerSubject, type Subject } from '../subjects';
import { RecordErrors } from './records.errors';
import { recordsRepo, type NewRecordRow, type RecordHeadRow } from './records.repository';

export interface RecordInput {
  itemCode: string;
  /** Field values keyed by the item's field codes (e.g. CF_WSH). */
  payload: Record<string, unknown>;
  /** Declared severity; required by items whose severity rule is `declared`. */
  severity?: Severity | null;
}

export interface FieldError {
  field: string;
  code: string;
  message: Bilingual;
}

export type RowOutcome =
  | { outcome: 'created' | 'updated' | 'unchanged'; recordId: number; subjectId: number; version: number }
  | { outcome: 'rejected'; errors: FieldError[]; cause?: unknown };

export interface SubmitOptions {
  /** Unknown subjects with a valid code are registered (marked as created by collection). */
  registerUnknownSubjects?: boolean;
  /** Checks the registered name against the submitted one (consistency). */
  checkNames?: boolean;
  changeReason?: string | null;
}

interface Prepared {
  index: number;
  item: ItemVersion;
  subject: Subject;
  docNo: string;
  row: Omit<NewRecordRow, 'subjectId'>;
}

const itemCache = new Map<string, ItemVersion>();

async function loadItem(ctx: Ctx, code: string): Promise<ItemVersion | null> {
  // Item versions are immutable once written; only the "current" pointer moves, so cache per request batch.
  const cached = itemCache.get(code);
  if (cached) return cached;
  try {
    return await getItemVersion(ctx, code);
  } catch {
    return null;
  }
}

function fieldErr(field: string, code: string, message: Bilingual): FieldError {
  return { field, code, message };
}

function today(now: Date): string {
  return civilDate(now);
}

/** Values of x-sensitive fields are kept encrypted; subject identity fields live in the registry. */
function storedPayload(item: ItemVersion, payload: Record<string, unknown>, crypto: FieldCrypto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = (item.payloadSchema.properties ?? {}) as Record<string, { 'x-sensitive'?: boolean }>;
  const identity = new Set([item.keyFields.subjectIdNo].filter(Boolean) as string[]);
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined || v === null || v === '') continue;
    if (identity.has(k)) continue;
    if (props[k]?.['x-sensitive']) out[k] = { enc: crypto.encrypt(String(v)).toString('base64') };
    else out[k] = v;
  }
  return out;
}

/** Comparable form: ciphertexts differ on every write, so sensitive values compare by presence. */
function comparable(payload: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(payload)
      .sort()
      .map((k) => {
        const v = payload[k];
        return [k, v && typeof v === 'object' && 'enc' in v ? '<enc>' : v];
      }),
  );
}

/**
 * Submits records for one providing department: the single service behind the API, file
 * ingestion and the demo seeder. Each row is validated against its catalogue item version; valid
 * rows are created, corrected (a new version when content changed) or left unchanged, all in the
 * caller's transaction, with one event per change. Returns an outcome per row, in input order.
 */
export async function submitRecords(
  ctx: Ctx,
  crypto: FieldCrypto,
  departmentId: number,
  inputs: readonly RecordInput[],
  opts: SubmitOptions = {},
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = new Array(inputs.length);
  const prepared: Prepared[] = [];
  const day = today(ctx.now);
  const items = new Map<string, ItemVersion | null>();
  const providerOf = new Map<string, boolean>();
  const subjectCache = new Map<string, Subject | null>();

  // Resolve every subject named in the submission with two queries instead of one per row.
  const codes: string[] = [];
  for (const input of inputs) {
    if (!items.has(input.itemCode)) items.set(input.itemCode, await loadItem(ctx, input.itemCode));
    const kf = items.get(input.itemCode)?.keyFields;
    if (!kf) continue;
    const code = String((kf.subjectUscc && input.payload[kf.subjectUscc]) || (kf.subjectIdNo && input.payload[kf.subjectIdNo]) || '').trim();
    if (code) codes.push(code);
  }
  for (const [code, subject] of await findManyByCodes(ctx, crypto, codes)) subjectCache.set(code, subject);

  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i] as RecordInput;
    if (!items.has(input.itemCode)) items.set(input.itemCode, await loadItem(ctx, input.itemCode));
    const item = items.get(input.itemCode);
    if (!item) {
      outcomes[i] = reject(RecordErrors.CATALOG_ITEM_UNKNOWN({ field: 'itemCode', item: input.itemCode }), 'itemCode');
      continue;
    }
    if (!providerOf.has(item.code)) providerOf.set(item.code, await isProvider(ctx, item.code, departmentId));
    if (!providerOf.get(item.code)) {
      outcomes[i] = reject(RecordErrors.DEPARTMENT_NOT_PROVIDER({ field: 'itemCode', item: item.code }), 'itemCode');
      continue;
    }
    const v = validatePayload(item, input.payload);
    if (!v.ok) {
      outcomes[i] = { outcome: 'rejected', errors: v.errors };
      continue;
    }
    const payload = v.value as Record<string, unknown>;
    const kf = item.keyFields;
    const docNo = String(payload[kf.docNo] ?? '').trim();
    const decisionDate = String(payload[kf.decisionDate] ?? '');
    if (decisionDate > day) {
      outcomes[i] = {
        outcome: 'rejected',
        errors: [
          fieldErr(kf.decisionDate, 'DATE_IN_FUTURE', {
            zh: `决定日期（${decisionDate}）晚于今天`,
            en: `The decision date (${decisionDate}) is in the future`,
          }),
        ],
      };
      continue;
    }
    let severity: Severity | null;
    try {
      severity = resolveSeverity(item, payload, input.severity ?? undefined);
    } catch (err) {
      outcomes[i] = reject(err, 'severity');
      continue;
    }

    // The subject: by USCC, else by citizen ID (blind index); unknown valid codes are registered.
    const subjectName = String(payload[kf.subjectName] ?? '').trim();
    const uscc = kf.subjectUscc ? String(payload[kf.subjectUscc] ?? '').trim() : '';
    const idNo = kf.subjectIdNo ? String(payload[kf.subjectIdNo] ?? '').trim() : '';
    const key = uscc || idNo;
    if (!key) {
      outcomes[i] = reject(RecordErrors.SUBJECT_CODE_REQUIRED({ field: kf.subjectUscc ?? 'subject' }), kf.subjectUscc ?? 'subject');
      continue;
    }
    let subject = subjectCache.get(key);
    if (subject === undefined) {
      subject = await findByIdentifier(ctx, crypto, key);
      if (!subject && opts.registerUnknownSubjects !== false) {
        try {
          subject = await registerUnknown(ctx, crypto, { uscc, idNo, name: subjectName, category: kf.subjectCategory ? String(payload[kf.subjectCategory] ?? '') : '' });
        } catch (err) {
          outcomes[i] = reject(err, uscc ? (kf.subjectUscc as string) : (kf.subjectIdNo as string));
          continue;
        }
      }
      subjectCache.set(key, subject);
    }
    if (!subject) {
      outcomes[i] = {
        outcome: 'rejected',
        errors: [fieldErr(kf.subjectUscc ?? 'subject', 'SUBJECT_NOT_FOUND', { zh: `未登记的主体 ${key}`, en: `Unregistered subject ${key}` })],
      };
      continue;
    }
    if (opts.checkNames !== false && subjectName && subject.type !== 'NATURAL_PERSON' && subjectName !== subject.name) {
      outcomes[i] = {
        outcome: 'rejected',
        errors: [
          fieldErr(kf.subjectName, 'NAME_MISMATCH', {
            zh: `名称“${subjectName}”与登记名称“${subject.name}”不一致`,
            en: `Name "${subjectName}" does not match the registered name "${subject.name}"`,
          }),
        ],
      };
      continue;
    }
    if (!item.subjectTypes.includes(subject.type)) {
      outcomes[i] = reject(RecordErrors.SUBJECT_TYPE_NOT_APPLICABLE({ field: kf.subjectName, item: item.code, type: subject.type }), kf.subjectName);
      continue;
    }
    const validityField = kf.validityEnd ?? (item.periodRule.kind === 'validity' ? item.periodRule.field : undefined);
    const validityEnd = validityField ? (payload[validityField] as string | undefined) : undefined;
    if (validityEnd !== undefined && validityEnd < decisionDate) {
      outcomes[i] = {
        outcome: 'rejected',
        errors: [
          fieldErr(validityField as string, 'VALIDITY_BEFORE_DECISION', {
            zh: `有效期截止日（${validityEnd}）早于决定日期（${decisionDate}）`,
            en: `The validity end (${validityEnd}) is before the decision date (${decisionDate})`,
          }),
        ],
      };
      continue;
    }
    let window;
    try {
      window = computeWindow(item.periodRule, {
        decisionDate,
        validityEnd,
        severity: severity ?? undefined,
        policy: DEFAULT_PERIOD_POLICY,
      });
    } catch (err) {
      outcomes[i] = {
        outcome: 'rejected',
        errors: [
          fieldErr(item.periodRule.kind === 'severity' ? 'severity' : kf.decisionDate, 'PERIOD_UNDEFINED', {
            zh: `无法计算公示期：${(err as Error).message}`,
            en: `The disclosure period cannot be computed: ${(err as Error).message}`,
          }),
        ],
      };
      continue;
    }
    prepared.push({
      index: i,
      item,
      subject,
      docNo,
      row: {
        itemCode: item.code,
        itemVersion: item.version,
        categoryCode: item.categoryCode,
        docNo,
        decisionDate,
        severity,
        payload: JSON.stringify(storedPayload(item, payload, crypto)),
        windowFrom: window.from,
        windowUntil: window.until,
      },
    });
  }

  // Duplicate document numbers inside one submission: the last one wins, earlier ones are unchanged.
  const existing = await recordsRepo.existing(
    ctx.db,
    departmentId,
    prepared.map((p) => ({ itemCode: p.item.code, docNo: p.docNo })),
  );
  const byKey = new Map(existing.map((r) => [`${r.item_code}\u0000${r.doc_no}`, r]));
  const toInsert: Prepared[] = [];
  const seen = new Map<string, Prepared>();
  const events: NewEvent[] = [];
  const by = actorLabel(ctx.actor);

  for (const p of prepared) {
    const k = `${p.item.code}\u0000${p.docNo}`;
    const head = byKey.get(k);
    if (!head) {
      const dup = seen.get(k);
      if (dup) outcomes[dup.index] = { outcome: 'rejected', errors: [fieldErr(p.item.keyFields.docNo, 'DUPLICATE_IN_BATCH', { zh: `文书号 ${p.docNo} 在本批次中重复`, en: `Document number ${p.docNo} appears twice in this batch` })] };
      seen.set(k, p);
      continue;
    }
    if (head.stop_kind === 'withdrawn') {
      outcomes[p.index] = reject(RecordErrors.RECORD_WITHDRAWN({ field: p.item.keyFields.docNo, docNo: p.docNo }), p.item.keyFields.docNo);
      continue;
    }
    const same =
      head.decision_date === p.row.decisionDate &&
      head.severity === p.row.severity &&
      head.subject_id === p.subject.id &&
      comparable(head.payload) === comparable(JSON.parse(p.row.payload) as Record<string, unknown>);
    if (same) {
      outcomes[p.index] = { outcome: 'unchanged', recordId: head.id, subjectId: head.subject_id, version: head.version };
      continue;
    }
    const updated = await recordsRepo.correct(ctx.db, head.id, p.row, opts.changeReason ?? null, ctx.now, by);
    outcomes[p.index] = { outcome: 'updated', recordId: head.id, subjectId: head.subject_id, version: updated.version };
    events.push(recordEvent('record.corrected', updated, { reason: opts.changeReason ?? null }));
  }
  for (const p of seen.values()) toInsert.push(p);

  const ids = await recordsRepo.insertMany(
    ctx.db,
    departmentId,
    toInsert.map((p) => ({ ...p.row, subjectId: p.subject.id })),
    ctx.now,
    by,
  );
  toInsert.forEach((p, j) => {
    const id = ids[j] as number;
    outcomes[p.index] = { outcome: 'created', recordId: id, subjectId: p.subject.id, version: 1 };
    events.push({
      type: 'record.created',
      entityType: 'record',
      entityId: id,
      subjectId: p.subject.id,
      payload: {
        id,
        subjectId: p.subject.id,
        departmentId,
        itemCode: p.row.itemCode,
        itemVersion: p.row.itemVersion,
        docNo: p.row.docNo,
        decisionDate: p.row.decisionDate,
        severity: p.row.severity,
        windowFrom: p.row.windowFrom,
        windowUntil: p.row.windowUntil,
        payloadSha256: sha256Hex(p.row.payload),
      },
    });
  });
  await appendEvents(ctx, events);
  return outcomes;
}

import { createHash } from 'node:crypto';
function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function recordEvent(type: string, r: RecordHeadRow, extra: Record<string, unknown>): NewEvent {
  return {
    type,
    entityType: 'record',
    entityId: r.id,
    subjectId: r.subject_id,
    payload: {
      id: r.id,
      subjectId: r.subject_id,
      departmentId: r.department_id,
      itemCode: r.item_code,
      itemVersion: r.item_version,
      docNo: r.doc_no,
      decisionDate: r.decision_date,
      severity: r.severity,
      windowFrom: r.window_from,
      windowUntil: r.window_until,
      version: r.version,
      stopKind: r.stop_kind,
      payloadSha256: sha256Hex(JSON.stringify(r.payload)),
      ...extra,
    },
  };
}

function reject(err: unknown, field: string): RowOutcome {
  const e = err as { code?: string; text?: Bilingual; details?: { field?: string } };
  return {
    outcome: 'rejected',
    errors: [
      fieldErr(e.details?.field ?? field, e.code ?? 'INVALID', e.text ?? { zh: '记录无效', en: 'Invalid record' }),
    ],
    cause: err,
  };
}

const CATEGORY_TYPES: Record<string, SubjectType> = {
  法人及非法人组织: 'ENTERPRISE',
  个体工商户: 'INDIVIDUAL_BUSINESS',
  自然人: 'NATURAL_PERSON',
};

async function registerUnknown(
  ctx: Ctx,
  crypto: FieldCrypto,
  s: { uscc: string; idNo: string; name: string; category: string },
): Promise<Subject | null> {
  if (s.uscc) {
    const r = validateUscc(s.uscc);
    if (!r.valid) return null;
    return registerSubject(ctx, crypto, { uscc: s.uscc, name: s.name || s.uscc, origin: 'collection' });
  }
  const r = validateCitizenId(s.idNo, { today: today(ctx.now) });
  if (!r.valid) return null;
  const existing = await findByIdentifier(ctx, crypto, r.normalized);
  if (existing) return existing;
  void CATEGORY_TYPES;
  return registerSubject(ctx, crypto, { citizenId: r.normalized, name: s.name, origin: 'collection' });
}

/** The department a write is made for: the caller's own, or (for the platform admin) the one named. */
export function writingDepartment(ctx: Ctx, requested: number | undefined): number {
  const own = actorDepartment(ctx.actor);
  if (own !== null) return own;
  if (requested === undefined) throw RecordErrors.DEPARTMENT_REQUIRED({ field: 'departmentId' });
  return requested;
}

async function ownRecord(ctx: Ctx, id: number): Promise<RecordHeadRow> {
  const head = await recordsRepo.byId(ctx.db, id);
  if (!head) throw RecordErrors.RECORD_NOT_FOUND({ record: id });
  const dept = actorDepartment(ctx.actor);
  if (dept !== null && dept !== head.department_id) throw RecordErrors.NOT_OWN_RECORD();
  return head;
}

/** A provider's correction: a new version of the same record, history kept. */
export async function correctRecord(
  ctx: Ctx,
  crypto: FieldCrypto,
  id: number,
  input: { payload: Record<string, unknown>; severity?: Severity | null; reason: string },
): Promise<RowOutcome> {
  const head = await ownRecord(ctx, id);
  if (head.stopped_at) throw RecordErrors.RECORD_STOPPED({ record: id });
  const [outcome] = await submitRecords(
    ctx,
    crypto,
    head.department_id,
    [{ itemCode: head.item_code, payload: input.payload, severity: input.severity ?? null }],
    { changeReason: input.reason },
  );
  return outcome as RowOutcome;
}

export async function stopRecord(
  ctx: Ctx,
  id: number,
  input: { kind: 'withdrawn' | 'court_order' | 'other'; reason: string; effectiveAt?: Date },
): Promise<RecordHeadRow> {
  const head = input.kind === 'withdrawn' ? await ownRecord(ctx, id) : await recordsRepo.byId(ctx.db, id);
  if (!head) throw RecordErrors.RECORD_NOT_FOUND({ record: id });
  const stopped = await recordsRepo.stop(ctx.db, id, {
    kind: input.kind,
    reason: input.reason,
    effectiveAt: input.effectiveAt && input.effectiveAt < ctx.now ? input.effectiveAt : ctx.now,
    at: ctx.now,
    by: actorLabel(ctx.actor),
  });
  if (!stopped) throw RecordErrors.RECORD_STOPPED({ record: id });
  await appendEvents(ctx, [recordEvent(`record.${input.kind === 'withdrawn' ? 'withdrawn' : 'stopped'}`, stopped, { reason: input.reason })]);
  return stopped;
}

export async function getRecordHistory(ctx: Ctx, id: number) {
  const head = await recordsRepo.byId(ctx.db, id);
  if (!head) throw RecordErrors.RECORD_NOT_FOUND({ record: id });
  const [versions, stops] = await Promise.all([recordsRepo.versions(ctx.db, id), recordsRepo.stops(ctx.db, id)]);
  return { head, versions, stops };
}

export async function listRecords(
  ctx: Ctx,
  f: { departmentId: number | null; itemCode?: string; subjectId?: number; docNo?: string; limit: number; offset: number },
) {
  return recordsRepo.list(ctx.db, {
    departmentId: f.departmentId,
    itemCode: f.itemCode ?? null,
    subjectId: f.subjectId ?? null,
    docNo: f.docNo ?? null,
    limit: f.limit,
    offset: f.offset,
  });
}

export function isDisclosedOn(
  r: { window_from: string; window_until: string | null; stopped_at: Date | null },
  day: string,
  at: Date,
): boolean {
  return r.window_from <= day && (r.window_until === null || r.window_until > day) && (!r.stopped_at || r.stopped_at > at);
}

export { today as civilToday };
