/**
 * What a repair application is about: one credit record or one list entry, read through the owning
 * modules, with whether it can be repaired now and who decides.
 */
import type { Bilingual } from '../../../domain/i18n';
import { civilDate } from '../../../domain/periods';
import {
  entryEligibility,
  recordEligibility,
  type Eligibility,
  type RepairPolicy,
} from '../../../domain/remedies';
import type { Ctx } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { getItemVersion } from '../catalog';
import { getEntry, getListType, type EntryView } from '../lists';
import { getRecordHistory } from '../records';
import { RemedyErrors } from './remedies.errors';

/** A target named in Chinese and, when its item or list type has an English name, in English. */
export interface TargetLabels {
  label: string;
  labelEn: string | null;
}

/** Full description (for the applicant and the deciding department) in `label`/`labelEn`. */
export interface Target extends TargetLabels {
  kind: 'record' | 'list_entry';
  recordId: number | null;
  entryId: number | null;
  subjectId: number;
  departmentId: number;
  /** What the public status page may say: the kind of information, no document number. */
  publicLabel: Bilingual;
  eligibility: Eligibility;
}

export type TargetRef = { recordId: number; entryId?: undefined } | { entryId: number; recordId?: undefined };

export function targetRef(input: { recordId?: number | null; entryId?: number | null }): TargetRef {
  const r = input.recordId ?? null;
  const e = input.entryId ?? null;
  if ((r === null) === (e === null)) throw RemedyErrors.TARGET_REQUIRED({ field: 'recordId' });
  return r !== null ? { recordId: r } : { entryId: e as number };
}

/** A target's labels: the item's or list type's name, the document number, the date. */
export function targetLabels(
  name: { zh: string; en: string | null },
  ref: string,
  date: string,
): TargetLabels {
  return { label: `${name.zh} ${ref}（${date}）`, labelEn: name.en ? `${name.en} ${ref} (${date})` : null };
}

async function recordTarget(ctx: Ctx, id: number, policy: RepairPolicy): Promise<Target> {
  let h;
  try {
    h = await getRecordHistory(ctx, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'RECORD_NOT_FOUND')
      throw RemedyErrors.RECORD_NOT_FOUND({ field: 'recordId', record: id });
    throw err;
  }
  const r = h.head;
  const item = await getItemVersion(ctx, r.item_code, r.item_version);
  const eligibility = recordEligibility(
    {
      itemCode: r.item_code,
      periodRule: item.periodRule,
      severity: r.severity,
      decisionDate: r.decision_date,
      windowFrom: r.window_from,
      windowUntil: r.window_until,
      stopKind: r.stop_kind,
      payload: r.payload,
    },
    civilDate(ctx.now),
    policy,
  );
  return {
    kind: 'record',
    recordId: r.id,
    entryId: null,
    subjectId: r.subject_id,
    departmentId: r.department_id,
    ...targetLabels({ zh: item.nameZh, en: item.nameEn }, r.doc_no, r.decision_date),
    publicLabel: { zh: item.nameZh, en: item.nameEn },
    eligibility,
  };
}

async function entryTarget(ctx: Ctx, id: number): Promise<Target> {
  let e: EntryView;
  try {
    e = await getEntry(ctx, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'ENTRY_NOT_FOUND')
      throw RemedyErrors.ENTRY_NOT_FOUND({ field: 'entryId', entry: id });
    throw err;
  }
  const list = await getListType(ctx, e.listType.code, e.listType.version);
  const eligibility = entryEligibility(
    { listKind: list.kind, earlyExit: list.earlyExit, effectiveFrom: e.effectiveFrom, status: e.status },
    civilDate(ctx.now),
  );
  return {
    kind: 'list_entry',
    recordId: null,
    entryId: e.id,
    subjectId: Number(e.subject.ref.slice(1)),
    departmentId: e.department.id,
    ...targetLabels(
      { zh: list.nameZh, en: list.nameEn },
      e.decision?.decisionNo ?? `#${e.id}`,
      e.effectiveFrom ?? '',
    ),
    publicLabel: { zh: list.nameZh, en: list.nameEn },
    eligibility,
  };
}

export function loadTarget(ctx: Ctx, ref: TargetRef, policy: RepairPolicy): Promise<Target> {
  return ref.recordId !== undefined ? recordTarget(ctx, ref.recordId, policy) : entryTarget(ctx, ref.entryId);
}

/** The coded error for an ineligible target (what the applicant is told). */
export function ineligibleError(e: Eligibility): AppError | null {
  if (e.eligible) return null;
  switch (e.code) {
    case 'NOT_YET':
      return RemedyErrors.REPAIR_TOO_EARLY({ field: 'recordId', from: e.from });
    case 'NON_REPAIRABLE':
      return RemedyErrors.NOT_REPAIRABLE({
        field: 'recordId',
        rule: e.rule,
        basis: e.basis.zh,
        basisEn: e.basis.en,
      });
    case 'NOT_DISCLOSED':
      return RemedyErrors.NOTHING_TO_REPAIR({
        field: 'recordId',
        state: e.message.zh,
        stateEn: e.message.en,
        stateCode: e.state,
      });
  }
}
