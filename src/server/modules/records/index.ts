export { recordsRoutes } from './records.routes';
export {
  applySubmission,
  checkSubmission,
  newSubmitCache,
  submitRecords,
  type CheckedSubmission,
  stopRecord,
  markDisputed, // remedies (issue 6)
  correctRecord,
  getRecordHistory, // remedies (issue 6)
  listRecords, // remedies (issue 6)
  type FieldError,
  type RecordInput,
  type RowOutcome,
  type SubmitCache,
  type SubmitOptions,
} from './records.service';
export { publicProfile, clearProfileCaches, setDisputeLookup, type DisputeLookup } from './records.profile';
export {
  correctionsByMonth,
  fieldsFilled,
  recordsCreatedByDay,
  withdrawalsByMonth,
  type CreatedByDayRow,
  type FilledRow,
  type MonthCountRow,
  type RecordStatsFilter,
} from './records.stats';
