export type {
  DivisionLevel,
  DivisionRow,
  DivisionLookup,
  DivisionsVersion,
  AtOption,
  ChildrenOptions,
} from './divisions';
export {
  DIVISIONS_VERSION,
  lookupDivision,
  isKnownDivision,
  divisionPath,
  divisionAncestors,
  childrenOf,
  provinces,
  currentDivision,
  allDivisions,
} from './divisions';
