export { listsRoutes } from './lists.routes';
export { periodRound, type PeriodRound } from './lists.periods';
export {
  calendarFor,
  decideEntry,
  endEntry,
  notifyEntry,
  proposeEntry,
  submitStatement,
  withdrawEntry,
  type DecideInput,
  type EndInput,
  type NotifyInput,
  type ProposeInput,
} from './lists.entries';
export {
  entriesOfSubject,
  getEntry,
  listEntries,
  publicListTypes,
  publishedEntry,
  searchPublished,
} from './lists.queries';
export {
  createListType,
  getListType,
  listListTypes,
  setListTypeDepartments,
  versionListType,
  type ListType,
} from './lists.types';
export { BASES, LIST_SEED_ACTOR, SEED_LIST_TYPES, seedListTypes, type ListSeedSummary } from './lists.seed';
export type { EntryView } from './lists.views';
export { ListErrors } from './lists.errors';
