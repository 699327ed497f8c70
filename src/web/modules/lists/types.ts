/** Shapes of the lists API (src/server/modules/lists/lists.schemas.ts). */
export interface Bi {
  zh: string;
  en: string;
}

export interface LegalBasis {
  instrument: string;
  article?: string;
  rank: string;
  note?: string;
}

export interface ListPeriod {
  kind: 'fixed' | 'until_performed' | 'indefinite';
  months?: number;
  maxMonths?: number;
  reviewMonths?: number;
}

export interface ListType {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  domain: string;
  kind: string;
  authority: Bi;
  legalBasis: LegalBasis[];
  basisStatus: string;
  conditions: { entry: Bi; exit: Bi; publishedIn: string };
  period: ListPeriod;
  earlyExit: { conditions: Bi; minMonths: number } | null;
  public: boolean;
  statementDays: number;
  status: string;
  /** Departments bound as the listing authority (empty: not bound); `nameEn` null when none. */
  departments?: { id: number; name: string; nameEn?: string | null }[];
  activeEntries?: number;
}

export interface EntryView {
  id: number;
  listType: { code: string; version: number; nameZh: string; nameEn: string; kind: string; public: boolean };
  subject: { ref: string; name: string; type: string; uscc: string | null; idMasked: string | null };
  /** The deciding department; `nameEn` is its English name, null when it has none. */
  department: { id: number; name: string | null; nameEn?: string | null };
  stage: string;
  status: string;
  summary: string;
  facts: {
    kind: string;
    recordId: number | null;
    itemCode: string | null;
    docNo: string | null;
    title: string | null;
    date: string | null;
    severity: string | null;
  }[];
  parties: {
    ref: string;
    name: string | null;
    role: string;
    roleLabel: Bi;
    uscc: string | null;
    idMasked: string | null;
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
  legalBasis: LegalBasis[];
  exitConditions: Bi;
  steps?: { step: string; at: string; actor: string; data: Record<string, unknown> }[];
  /** Only in the subject's own view: whether it may submit its statement now (the server decides). */
  statementOpen?: boolean;
}

export interface EntryPage {
  items: EntryView[];
  more: boolean;
}
