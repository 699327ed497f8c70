export { subjectsRoutes } from './subjects.routes';
export {
  registerSubject,
  updateSubject,
  getSubject,
  findByIdentifier,
  findForProfile,
  profileUscc,
  toSubject,
  findManyByCodes,
  subjectAsOf,
  formerNamesAsOf,
  searchSubjects,
  citizenBlindIndex,
  citizenBlindIndexes,
  type Subject,
  type NewSubject,
} from './subjects.service';
export { SubjectErrors } from './subjects.errors';
export {
  rotateBlindKey,
  countStaleBlind,
  blindKeyCensus,
  BLIND_TARGET,
  type BlindKeyCensus,
  type BlindRotationReport,
} from './subjects.blindkey';
export type { SubjectRow } from './subjects.repository';
