/**
 * GB 11643-1999 citizen identity number (公民身份号码): 6-digit address code, 8-digit birth
 * date, 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character. Legacy 15-digit
 * numbers (pre-1999) have a 6-digit YYMMDD date in the 1900s and no check character.
 *
 * This module never reads the clock: "born in the future" is only checked against an explicit
 * `today`, so results are reproducible.
 */
import {
  checkCharacterWrongMessage,
  illegalCharacterMessage,
  wrongLengthMessage,
  type IdFailure,
  type LocalizedText,
  type WarningCode,
} from './messages';
import { codePoints, normalizeIdInput } from './normalize';

/** W_i = 2^(18-i) mod 11. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Birth years before this are treated as typos: nobody alive was registered with them. */
export const MIN_BIRTH_YEAR = 1900;

/** Check character for the first 17 digits; throws on malformed input (a programming error). */
export function citizenIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`citizen ID check needs 17 digits: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** True when `yyyymmdd` (8 digits) names a day that exists in the Gregorian calendar. */
export function isRealDate(yyyymmdd: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

/** Parses a `YYYY-MM-DD` option into `YYYYMMDD`; a bad option is a caller bug, so it throws. */
function parseToday(today: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const compact = m ? `${m[1]}${m[2]}${m[3]}` : '';
  if (!isRealDate(compact)) throw new RangeError(`today must be a real YYYY-MM-DD date: ${today}`);
  return compact;
}

export type CitizenIdReason =
  'WRONG_LENGTH' | 'ILLEGAL_CHARACTER' | 'IMPOSSIBLE_BIRTH_DATE' | 'CHECK_CHARACTER_WRONG';

export interface CitizenIdValid {
  readonly valid: true;
  /** Always the 18-character form; 15-digit input is upgraded (19xx century, computed check). */
  readonly normalized: string;
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
  /** Address code of the original household registration, not necessarily current residence. */
  readonly divisionCode: string;
  /** The input was a legacy 15-digit number. */
  readonly legacy15: boolean;
  readonly warnings: readonly WarningCode[];
}

export type CitizenIdResult = CitizenIdValid | IdFailure<CitizenIdReason>;

export interface CitizenIdOptions {
  /** `YYYY-MM-DD`; when given, birth dates after it are rejected. */
  readonly today?: string;
  /** Normalised 18-character numbers accepted despite a wrong check character. */
  readonly knownExceptions?: ReadonlySet<string>;
}

const DIGIT_TEXT: LocalizedText = { zh: '数字', en: 'a digit' };

function birthDateProblem(yyyymmdd: string, todayCompact: string | undefined): LocalizedText | undefined {
  const shown = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (!isRealDate(yyyymmdd)) {
    return { zh: `出生日期 ${yyyymmdd} 不存在`, en: `birth date ${yyyymmdd} does not exist` };
  }
  if (Number(yyyymmdd.slice(0, 4)) < MIN_BIRTH_YEAR) {
    return {
      zh: `出生日期 ${shown} 早于 ${MIN_BIRTH_YEAR} 年，不可能有效`,
      en: `birth date ${shown} is before ${MIN_BIRTH_YEAR} and cannot be valid`,
    };
  }
  if (todayCompact !== undefined && yyyymmdd > todayCompact) {
    return { zh: `出生日期 ${shown} 晚于今天`, en: `birth date ${shown} is in the future` };
  }
  return undefined;
}

export function validateCitizenId(raw: string, opts: CitizenIdOptions = {}): CitizenIdResult {
  const todayCompact = opts.today === undefined ? undefined : parseToday(opts.today);
  const normalized = normalizeIdInput(raw);
  const chars = codePoints(normalized);
  const fail = (
    reason: CitizenIdReason,
    message: LocalizedText,
    position?: number,
    expected?: string,
  ): IdFailure<CitizenIdReason> => ({
    valid: false,
    reason,
    ...(position !== undefined ? { position } : {}),
    ...(expected !== undefined ? { expected } : {}),
    message,
    normalized,
  });

  if (chars.length !== 18 && chars.length !== 15) {
    return fail(
      'WRONG_LENGTH',
      wrongLengthMessage('citizen_id', chars.length, {
        zh: '18 位（旧号码 15 位）',
        en: '18 characters (legacy: 15 digits)',
      }),
    );
  }
  const legacy15 = chars.length === 15;
  const digitCount = legacy15 ? 15 : 17;
  for (let i = 0; i < digitCount; i++) {
    const c = chars[i] ?? '';
    if (c < '0' || c > '9') {
      return fail('ILLEGAL_CHARACTER', illegalCharacterMessage('citizen_id', i + 1, c, DIGIT_TEXT), i + 1);
    }
  }
  if (!legacy15 && !/^[0-9X]$/.test(chars[17] ?? '')) {
    return fail(
      'ILLEGAL_CHARACTER',
      illegalCharacterMessage('citizen_id', 18, chars[17] ?? '', { zh: '数字或 X', en: 'a digit or X' }),
      18,
    );
  }
  const birth = legacy15 ? `19${normalized.slice(6, 12)}` : normalized.slice(6, 14);
  const problem = birthDateProblem(birth, todayCompact);
  if (problem) return fail('IMPOSSIBLE_BIRTH_DATE', problem, 7);

  const first17 = legacy15
    ? `${normalized.slice(0, 6)}19${normalized.slice(6, 15)}`
    : normalized.slice(0, 17);
  const expected = citizenIdCheckChar(first17);
  const full = first17 + expected;
  const warnings: WarningCode[] = [];
  if (!legacy15 && normalized.charAt(17) !== expected) {
    if (!opts.knownExceptions?.has(normalized)) {
      return fail(
        'CHECK_CHARACTER_WRONG',
        checkCharacterWrongMessage('citizen_id', 18, expected, normalized.charAt(17)),
        18,
        expected,
      );
    }
    warnings.push('CHECKSUM_OVERRIDE');
  }
  return {
    valid: true,
    normalized: legacy15 ? full : normalized,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: Number(first17.charAt(16)) % 2 === 1 ? 'M' : 'F',
    divisionCode: normalized.slice(0, 6),
    legacy15,
    warnings,
  };
}

/**
 * Display mask: first 4 and last 4 characters kept. Strings too short to keep 8 characters and
 * still hide something are masked entirely, so a mangled value never leaks in clear.
 */
export function maskCitizenId(id: string): string {
  const chars = codePoints(normalizeIdInput(id));
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

/** Builds a valid 18-character number, for demo data and tests; throws on impossible input. */
export function makeCitizenId(division6: string, birthYyyymmdd: string, seq3: string): string {
  if (!/^\d{6}$/.test(division6)) throw new RangeError(`division must be 6 digits: ${division6}`);
  if (!isRealDate(birthYyyymmdd) || Number(birthYyyymmdd.slice(0, 4)) < MIN_BIRTH_YEAR) {
    throw new RangeError(`birth date must be a real YYYYMMDD date from ${MIN_BIRTH_YEAR}: ${birthYyyymmdd}`);
  }
  if (!/^\d{3}$/.test(seq3)) throw new RangeError(`sequence must be 3 digits: ${seq3}`);
  const first17 = division6 + birthYyyymmdd + seq3;
  return first17 + citizenIdCheckChar(first17);
}
