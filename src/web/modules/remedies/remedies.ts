import { type Msg, codeText } from '../../i18n/lang';

/** What the remedies API returns (see src/server/modules/remedies/remedies.schemas.ts). */
export interface Eligibility {
  eligible: boolean;
  code?: string;
  from?: string;
  rule?: string;
  state?: string;
  message: Msg;
}

export interface MyRecord {
  id: number;
  itemCode: string;
  docNo: string;
  decisionDate: string;
  severity: string | null;
  windowFrom: string;
  windowUntil: string | null;
  version: number;
  state: string;
  disputed: boolean;
  eligibility: Eligibility;
}

export interface Pending {
  stage: 'forward' | 'decide';
  due: string;
  overdue: boolean;
  workingDaysLate: number;
}

export interface Application {
  id: number;
  queryCode: string | null;
  status: string;
  statusLabel: Msg;
  /** `labelEn`: the same in English, null when the item or list type has no English name. */
  target: {
    kind: string;
    recordId: number | null;
    entryId: number | null;
    label: string;
    labelEn?: string | null;
  };
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
  steps: { step: string; at: string; actor: string; due: string | null; late: boolean }[];
  clock: {
    appliedOn: string | null;
    answerDue: string | null;
    receivedOn: string | null;
    decideDue: string | null;
    extended: boolean;
    extensionReason: string | null;
    pending: Pending | null;
  };
  decision: { decidedAt: string; reasons: string | null; late: boolean; lateReason: string | null } | null;
  closedReason: string | null;
  createdAt: string;
}

export interface Objection {
  id: number;
  subject: { ref: string };
  recordId: number | null;
  applicationId: number | null;
  departmentId: number;
  ground: string;
  statement: string;
  openedOn: string;
  due: string;
  overdue: boolean;
  status: 'open' | 'closed';
  outcome: string | null;
  outcomeReasons: string | null;
  resolvedAt: string | null;
  late: boolean | null;
  /** The record's version made by a correction that answered the objection. */
  resultVersion?: number | null;
  /** The contested record: item, document number, date (null for a repair decision). */
  record?: { label: string; labelEn: string | null } | null;
}

/** What an objection contests, as a person reads it: the record by its document, else the application. */
export function objectionTarget(o: Objection): Msg {
  if (o.record) return { zh: o.record.label, en: o.record.labelEn ?? o.record.label };
  const ref = o.recordId ? `#${o.recordId}` : o.applicationId ? `R${o.applicationId}` : '—';
  return { zh: ref, en: ref };
}

export interface PublicStatus {
  queryCode: string;
  kind: string;
  information: Msg | null;
  status: string;
  statusLabel: Msg;
  appliedOn: string | null;
  answerDue: string | null;
  receivedOn: string | null;
  decideDue: string | null;
  extended: boolean;
  decidedOn: string | null;
  pending: Pending | null;
  steps: { step: string; on: string; due: string | null; late: boolean }[];
  free: boolean;
}

export const STEP_LABELS: Record<string, Msg> = {
  drafted: { zh: '起草', en: 'Drafted' },
  file_added: { zh: '上传材料', en: 'File added' },
  submitted: { zh: '提交申请', en: 'Submitted' },
  forwarded: { zh: '平台转办', en: 'Forwarded' },
  rejected: { zh: '不予受理', en: 'Not admitted' },
  extended: { zh: '延期', en: 'Extended' },
  granted: { zh: '准予修复', en: 'Granted' },
  refused: { zh: '不予修复', en: 'Refused' },
  withdrawn: { zh: '撤回', en: 'Withdrawn' },
};

export const GROUND_LABELS: Record<string, Msg> = {
  content: { zh: '内容有误', en: 'Content' },
  classification: { zh: '分类（严重程度）有误', en: 'Classification' },
  period: { zh: '公示期限有误', en: 'Period' },
  repair_decision: { zh: '对修复决定有异议', en: 'Repair decision' },
};

export const OUTCOME_LABELS: Record<string, Msg> = {
  confirmed: { zh: '维持', en: 'Confirmed' },
  corrected: { zh: '已更正', en: 'Corrected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  overturned: { zh: '撤销原决定，准予修复', en: 'Overturned: repair granted' },
};

/** Where one of the subject's records stands (`recordState` in src/domain/remedies/eligibility.ts). */
const RECORD_STATE_LABELS: Record<string, Msg> = {
  disclosed: { zh: '公示中', en: 'Disclosed' },
  pending: { zh: '尚未公示', en: 'Not yet disclosed' },
  unpublished: { zh: '不予公示', en: 'Not published' },
  expired: { zh: '公示期满', en: 'Period ended' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  court_order: { zh: '法院裁定停止', en: 'Stopped by court order' },
  repaired: { zh: '已修复', en: 'Repaired' },
  other: { zh: '已停止公示', en: 'Stopped' },
};

/** A record state in both languages; an unknown one shows as it came. */
export function recordStateText(state: string): Msg {
  return codeText(RECORD_STATE_LABELS, state);
}

/** A deadline as the queue shows it: the date, and how late when past it. */
export function deadlineText(p: Pending | null): Msg | null {
  if (!p) return null;
  const who: Msg =
    p.stage === 'forward' ? { zh: '平台转办', en: 'Forwarding' } : { zh: '部门决定', en: 'Decision' };
  if (!p.overdue) return { zh: `${who.zh}期限 ${p.due}`, en: `${who.en} due ${p.due}` };
  return {
    zh: `${who.zh}已逾期 ${p.workingDaysLate} 个工作日（期限 ${p.due}）`,
    en: `${who.en} overdue by ${p.workingDaysLate} working day(s) (due ${p.due})`,
  };
}

/** Tag colour of an application status. */
export function statusColor(status: string): string {
  switch (status) {
    case 'granted':
      return 'green';
    case 'refused':
    case 'rejected':
      return 'red';
    case 'withdrawn':
      return 'default';
    case 'draft':
      return 'gold';
    default:
      return 'blue';
  }
}
