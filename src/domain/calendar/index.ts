export type { CivilDate } from './civil-date';
export {
  addDays,
  civilDate,
  compareCivilDates,
  daysInMonth,
  diffDays,
  formatCivilDate,
  fromDayNumber,
  isCivilDate,
  isoWeekday,
  isWeekend,
  parseCivilDate,
  startOfCivilDate,
  toDayNumber,
} from './civil-date';
export type {
  CalendarCoverage,
  CalendarData,
  CalendarOverride,
  CalendarYear,
  DayInfo,
  DayKind,
  RangeCoverage,
  WorkingDayCalendar,
} from './calendar';
export { CN_CALENDAR_DATA, createCalendar } from './calendar';
