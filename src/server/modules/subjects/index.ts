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
export type { SubjectRow } from './subjects.repository';
