import type { Bi, LegalBasis } from '../lists/types';

export interface Trigger {
  kind: string;
  listType?: string;
  itemCode?: string;
  minSeverity?: string;
}

export interface Measure {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  content: Bi;
  kind: 'restriction' | 'incentive';
  class: 1 | 2 | 3;
  reducesRights: boolean;
  legalBasis: LegalBasis[];
  triggers: Trigger[];
  scenarios: string[];
  subjectTypes: string[];
  implementingBodies: string[];
  lift: { kind: string; months?: number };
  liftNote: Bi;
  status: string;
  /** Related-party roles the measure also reaches (empty: the listed subject only). */
  reachesRoles?: string[];
}

export interface Scenario {
  code: string;
  nameZh: string;
  nameEn: string;
  sort: number;
}

/**
 * A fact a check cites: a list entry or a record, or (`party_entry`) an entry on another subject
 * naming the checked one as a related party (the server's `factProps`).
 */
export interface CheckFact {
  kind: string;
  role?: string;
  roleName?: Bi;
  listedSubject?: {
    ref: string;
    type: string;
    name: string | null;
    uscc: string | null;
    idMasked: string | null;
  };
  entryId?: number;
  listName?: Bi;
  decisionNo?: string | null;
  recordId?: number;
  itemCode?: string;
  docNo?: string;
  effectiveFrom?: string;
  effectiveUntil?: string | null;
  disclosedUntil?: string | null;
  departmentName?: string | null;
  /** The department's English name, null when it has none. */
  departmentNameEn?: string | null;
}

export interface CheckResult {
  checkId: string;
  at: string;
  scenario: { code: string; nameZh: string; nameEn: string };
  subject: { ref: string; name: string; type: string; uscc: string | null; idMasked: string | null };
  outcome: 'allow' | 'restrict' | 'review';
  clean: boolean;
  measures: (Pick<
    Measure,
    'code' | 'nameZh' | 'nameEn' | 'kind' | 'class' | 'legalBasis' | 'implementingBodies' | 'liftNote'
  > & {
    effect: string;
    appliesUntil: string | null;
    triggers: CheckFact[];
  })[];
  /** Incentives the subject does not get because it is not clean, with the facts why. */
  withheld: { code: string; nameZh: string; nameEn: string; reason: Bi; blockers: CheckFact[] }[];
}
