export {
  DEFAULT_REPAIR_POLICY,
  checkRepairPolicy,
  type NonRepairableItemRule,
  type NonRepairableValueRule,
  type RepairPolicy,
} from './policy';
export {
  entryEligibility,
  nonRepairableRule,
  recordEligibility,
  recordState,
  repairableFrom,
  type Eligibility,
  type EntryFacts,
  type Ineligible,
  type RecordFacts,
} from './eligibility';
export {
  FINAL_STATUSES,
  REPAIR_ACTIONS,
  REPAIR_STATUSES,
  answerDue,
  canAct,
  decideDue,
  extendedDue,
  isOverdue,
  objectionDue,
  pendingStep,
  workingDaysLate,
  type ClockState,
  type RepairAction,
  type RepairStatus,
} from './clocks';
export { COMMITMENT_TEMPLATE_VERSION, commitmentText, type CommitmentInput } from './commitment';
export { safeFilename, sniffEvidence, type EvidenceType, type Sniffed } from './files';
export { CODE_SYMBOLS, formatQueryCode, normaliseQueryCode } from './query-code';
