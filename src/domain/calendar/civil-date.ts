/**
 * Civil dates ('YYYY-MM-DD', proleptic Gregorian, China time) and their arithmetic.
 *
 * Arithmetic works on day numbers (days since 1970-01-01) computed with plain integer maths, so
 * results never depend on the host time zone or on Intl/ICU data, and behave the same in Node and
 * in browsers.
 */

export type CivilDate = string;

const CIVIL_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isCivilDate(s: unknown): s is CivilDate {
  if (typeof s !== 'string') return false;
  const m = CIVIL_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function parseCivilDate(s: string): { year: number; month: number; day: number } {
  if (!isCivilDate(s)) throw new RangeError(`not a civil date (YYYY-MM-DD): ${String(s)}`);
  return { year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) };
}

export function formatCivilDate(year: number, month: number, day: number): CivilDate {
  if (year < 0 || year > 9999) throw new RangeError(`year out of range: ${year}`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the whole proleptic Gregorian range.
export function toDayNumber(date: CivilDate): number {
  const { year, month, day } = parseCivilDate(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(n: number): CivilDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`bad day number: ${n}`);
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return formatCivilDate(year, month, day);
}

export function addDays(date: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer: ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** b − a in days. */
export function diffDays(a: CivilDate, b: CivilDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CivilDate): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: CivilDate): boolean {
  return isoWeekday(date) >= 6;
}

/**
 * Time zones whose offset has been a fixed UTC+8 for every instant since 1992 (the PRC's last
 * daylight-saving summer was 1991; Hong Kong, Macau and Taiwan stopped earlier), plus UTC.
 * Instants before 1992 may come out an hour off in summer; the platform's records postdate that.
 */
const FIXED_OFFSET_MINUTES: Readonly<Record<string, number>> = {
  'Asia/Shanghai': 480,
  'Asia/Chongqing': 480,
  'Asia/Chungking': 480,
  'Asia/Harbin': 480,
  PRC: 480,
  'Asia/Hong_Kong': 480,
  'Asia/Macau': 480,
  'Asia/Taipei': 480,
  UTC: 0,
  'Etc/UTC': 0,
};

function offsetMinutes(tz: string): number {
  const offset = FIXED_OFFSET_MINUTES[tz];
  if (offset === undefined) {
    throw new RangeError(`unsupported time zone ${tz}: only China time (UTC+8) and UTC are supported`);
  }
  return offset;
}

/**
 * The civil date of an instant in China time. Uses fixed offset arithmetic rather than Intl so
 * browsers without full ICU data, or with an odd host zone, agree with the server.
 */
export function civilDate(instant: Date, tz = 'Asia/Shanghai'): CivilDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  const shifted = ms + offsetMinutes(tz) * 60_000;
  return fromDayNumber(Math.floor(shifted / 86_400_000));
}

/** The instant at which a civil date starts (00:00) in the given zone, e.g. 00:00 +08:00. */
export function startOfCivilDate(date: CivilDate, tz = 'Asia/Shanghai'): Date {
  return new Date(toDayNumber(date) * 86_400_000 - offsetMinutes(tz) * 60_000);
}

export function compareCivilDates(a: CivilDate, b: CivilDate): number {
  parseCivilDate(a);
  parseCivilDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
