export { recordsRoutes } from './records.routes';
export { submitRecords, stopRecord, correctRecord, type RecordInput, type RowOutcome } from './records.service';
export { publicProfile, clearProfileCaches } from './records.profile';
