export type {
  ComputeWindowInput,
  DisclosureWindow,
  DisclosureWindowInput,
  PeriodPolicy,
  PeriodRule,
  Severity,
  SeverityClassPolicy,
  SeverityWindow,
  WindowStatus,
} from './periods';
// Re-exported because callers computing windows need "today" as a China civil date.
export { civilDate, startOfCivilDate, type CivilDate } from '../calendar';
export {
  DEFAULT_PERIOD_POLICY,
  LONG_TERM_VALIDITY,
  SEVERITIES,
  addMonths,
  computeWindow,
  disclosureWindow,
  isInWindow,
  isRepairable,
  isSeverity,
  validatePolicy,
  windowStatus,
  windowToInstants,
} from './periods';
