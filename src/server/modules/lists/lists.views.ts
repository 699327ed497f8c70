import type { LegalBasis } from '../../../domain/catalog';
import type { Bilingual } from '../../../domain/i18n';
import {
  earliestExit,
  entryStatusAt,
  PARTY_ROLE_LABELS,
  stageAt,
  type EntryStage,
  type EntryStatus,
  type ListTypeDefinition,
  type PartyRole,
} from '../../../domain/lists';
import type { Ctx } from '../../platform/context';
import { listDepartments } from '../accounts';
import { listsRepo, type EntryViewRow, type StepRow } from './lists.repository';

export interface EntryView {
  id: number;
  listType: {
    code: string;
    version: number;
    nameZh: string;
    nameEn: string;
    kind: string;
    domain: string;
    public: boolean;
    basisStatus: string;
  };
  subject: { ref: string; name: string; type: string; uscc: string | null; idMasked: string | null };
  department: { id: number; name: string | null; nameEn: string | null };
  stage: EntryStage;
  /** Where the entry stands at the instant asked about. */
  status: EntryStatus;
  summary: string;
  facts: {
    kind: 'record' | 'document';
    recordId: number | null;
    itemCode: string | null;
    docNo: string | null;
    title: string | null;
    date: string | null;
    issuedBy: string | null;
    severity: string | null;
  }[];
  parties: {
    ref: string;
    name: string | null;
    type: string;
    uscc: string | null;
    idMasked: string | null;
    role: string;
    roleLabel: Bilingual;
    note: string | null;
  }[];
  proposedAt: string;
  notice: {
    notifiedOn: string;
    noticeNo: string | null;
    repairNoticeNo: string | null;
    statementDeadline: string | null;
  } | null;
  statementAt: string | null;
  waivedAt: string | null;
  decision: {
    decidedAt: string;
    decisionNo: string | null;
    reasons: string | null;
    periodMonths: number | null;
  } | null;
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  reviewOn: string | null;
  earliestExit: string | null;
  publishedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  endNote: string | null;
  legalBasis: LegalBasis[];
  exitConditions: Bilingual;
  steps?: { step: string; at: string; actor: string; data: Record<string, unknown> }[];
  /**
   * Only in the subject's own view (`/me/list-entries`): whether the caller may submit its
   * statement (or waiver) now — its own entry, notified, nothing stated yet, the period not over.
   */
  statementOpen?: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The entry as it stood at `at`: what came later (notice, statement, decision, publication, end) is
 * left out and, when its steps are at hand, the stage is the one they had reached by then.
 */
function asOf(r: EntryViewRow, steps: readonly StepRow[] | null, at: Date): EntryViewRow {
  const later = (d: Date | null) => d !== null && d.getTime() > at.getTime();
  const out: EntryViewRow = { ...r };
  if (later(r.notified_at))
    Object.assign(out, {
      notified_on: null,
      notified_at: null,
      notice_no: null,
      repair_notice_no: null,
      statement_deadline: null,
    });
  if (later(r.statement_at)) out.statement_at = null;
  if (later(r.waived_at)) out.waived_at = null;
  if (later(r.decided_at))
    Object.assign(out, {
      decided_at: null,
      decision_no: null,
      decision_reasons: null,
      period_months: null,
      effective_from: null,
      effective_until: null,
      review_on: null,
    });
  if (later(r.published_at)) out.published_at = null;
  if (later(r.ended_at)) Object.assign(out, { ended_at: null, end_reason: null });
  if (steps) out.stage = stageAt(steps, at) ?? r.stage;
  // end_note holds the end's note or the withdrawal's reason.
  if (!out.ended_at && out.stage !== 'withdrawn') out.end_note = null;
  return out;
}

/**
 * Assembles views of entries at instant `at` with their facts, parties, department names and
 * (optionally) the procedural steps up to `at`. `publicView` leaves out what is not published:
 * steps, statements, internal notes and natural persons among related parties.
 */
export async function entryViews(
  ctx: Ctx,
  rows: readonly EntryViewRow[],
  opts: { at: Date; steps?: boolean; publicView?: boolean },
): Promise<EntryView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const withSteps = opts.steps && !opts.publicView;
  const [facts, parties, steps, departments] = await Promise.all([
    listsRepo.facts(ctx.db, ids),
    listsRepo.parties(ctx.db, ids),
    withSteps ? listsRepo.steps(ctx.db, ids) : Promise.resolve([]),
    listDepartments(ctx),
  ]);
  const depts = new Map(departments.map((d) => [d.id, d]));
  return rows.map((row) => {
    const stepsOf = withSteps
      ? steps.filter((s) => s.entry_id === row.id && s.at.getTime() <= opts.at.getTime())
      : null;
    const r = asOf(row, stepsOf, opts.at);
    const def = r.list_definition as unknown as ListTypeDefinition;
    const view: EntryView = {
      id: r.id,
      listType: {
        code: r.list_type_code,
        version: r.list_type_version,
        nameZh: def.nameZh,
        nameEn: def.nameEn,
        kind: r.list_kind,
        domain: def.domain,
        public: def.public,
        basisStatus: def.basisStatus,
      },
      subject: {
        ref: `S${r.subject_id}`,
        name: r.subject_name,
        type: r.subject_type,
        uscc: r.subject_uscc,
        idMasked: r.subject_id_masked,
      },
      department: {
        id: r.department_id,
        name: depts.get(r.department_id)?.name ?? null,
        nameEn: depts.get(r.department_id)?.nameEn ?? null,
      },
      stage: r.stage as EntryStage,
      status: entryStatusAt(
        {
          stage: r.stage as EntryStage,
          decidedAt: r.decided_at,
          effectiveFrom: r.effective_from,
          effectiveUntil: r.effective_until,
          endedAt: r.ended_at,
        },
        opts.at,
      ),
      summary: r.summary,
      facts: facts
        .filter((f) => f.entry_id === r.id)
        .map((f) => ({
          kind: f.kind,
          recordId: f.record_id,
          itemCode: f.record_item_code,
          docNo: f.doc_no ?? f.record_doc_no,
          title: f.doc_title,
          date: f.doc_date ?? f.record_decision_date,
          issuedBy: f.issued_by,
          severity: f.record_severity,
        })),
      parties: parties
        .filter((p) => p.entry_id === r.id && !(opts.publicView && p.type === 'NATURAL_PERSON'))
        .map((p) => ({
          ref: `S${p.subject_id}`,
          name: p.name,
          type: p.type,
          uscc: p.uscc,
          idMasked: p.id_masked,
          role: p.role,
          roleLabel: PARTY_ROLE_LABELS[p.role as PartyRole] ?? { zh: p.role, en: p.role },
          note: opts.publicView ? null : p.note,
        })),
      proposedAt: r.proposed_at.toISOString(),
      notice: r.notified_on
        ? {
            notifiedOn: r.notified_on,
            noticeNo: r.notice_no,
            repairNoticeNo: r.repair_notice_no,
            statementDeadline: r.statement_deadline,
          }
        : null,
      statementAt: iso(r.statement_at),
      waivedAt: iso(r.waived_at),
      decision: r.decided_at
        ? {
            decidedAt: r.decided_at.toISOString(),
            decisionNo: r.decision_no,
            reasons: r.decision_reasons,
            periodMonths: r.period_months,
          }
        : null,
      effectiveFrom: r.effective_from,
      effectiveUntil: r.effective_until,
      reviewOn: r.review_on,
      earliestExit: r.effective_from ? earliestExit(def, r.effective_from) : null,
      publishedAt: iso(r.published_at),
      endedAt: iso(r.ended_at),
      endReason: r.end_reason,
      endNote: opts.publicView ? null : r.end_note,
      legalBasis: def.legalBasis,
      exitConditions: def.conditions.exit,
    };
    if (opts.publicView) {
      view.statementAt = null;
      view.waivedAt = null;
      view.notice = null;
    }
    if (stepsOf)
      view.steps = stepsOf.map((s) => ({
        step: s.step,
        at: s.at.toISOString(),
        actor: s.actor,
        data: s.data,
      }));
    return view;
  });
}
