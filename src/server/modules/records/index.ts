export { recordsRoutes } from './records.routes';
export {
  newSubmitCache,
  submitRecords,
  stopRecord,
  correctRecord,
  type FieldError,
  type RecordInput,
  type RowOutcome,
  type SubmitCache,
  type SubmitOptions,
} from './records.service';
export { publicProfile, clearProfileCaches } from './records.profile';
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
