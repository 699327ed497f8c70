/**
 * Legacy 15-digit business registration number (工商注册号, GS15-2006): 6-digit first-registration
 * authority code + 8-digit sequence + ISO 7064 MOD 11,10 check digit. No longer issued; kept
 * because older 双公示 records carry it as 行政相对人代码_2.
 */
import {
  checkCharacterWrongMessage,
  illegalCharacterMessage,
  wrongLengthMessage,
  type IdFailure,
  type WarningCode,
} from './messages';
import { codePoints, normalizeIdInput } from './normalize';

/** The MOD 11,10 running product after the 14 data digits. */
function mod1110Product(first14: string): number {
  let p = 10;
  for (let i = 0; i < 14; i++) {
    let s = (p + (first14.charCodeAt(i) - 48)) % 10;
    if (s === 0) s = 10;
    p = (2 * s) % 11;
  }
  return p;
}

/** Check digit for 14 digits; throws on malformed input (a programming error). */
export function gs15CheckDigit(first14: string): string {
  if (!/^\d{14}$/.test(first14)) throw new RangeError(`GS15 check needs 14 digits: ${first14}`);
  // Valid when (P + check) mod 10 == 1; P is never 0 because 2·S mod 11 ≠ 0 for S in 1..10.
  return String((11 - mod1110Product(first14)) % 10);
}

/** Builds a valid number from the authority code and sequence, for demo data and tests. */
export function makeGs15(authority6: string, seq8: string): string {
  if (!/^\d{6}$/.test(authority6)) throw new RangeError(`authority code must be 6 digits: ${authority6}`);
  if (!/^\d{8}$/.test(seq8)) throw new RangeError(`sequence must be 8 digits: ${seq8}`);
  return authority6 + seq8 + gs15CheckDigit(authority6 + seq8);
}

export type Gs15Reason = 'WRONG_LENGTH' | 'ILLEGAL_CHARACTER' | 'CHECK_CHARACTER_WRONG';

export interface Gs15Valid {
  readonly valid: true;
  readonly normalized: string;
  /** First-registration authority code (positions 1–6). */
  readonly authorityCode: string;
  readonly warnings: readonly WarningCode[];
}

export type Gs15Result = Gs15Valid | IdFailure<Gs15Reason>;

export interface Gs15Options {
  /** Normalised numbers accepted despite a wrong check digit (recorded overrides). */
  readonly knownExceptions?: ReadonlySet<string>;
}

export function validateGs15(raw: string, opts: Gs15Options = {}): Gs15Result {
  const normalized = normalizeIdInput(raw);
  const chars = codePoints(normalized);
  if (chars.length !== 15) {
    return {
      valid: false,
      reason: 'WRONG_LENGTH',
      message: wrongLengthMessage('gs15', chars.length, { zh: '15 位数字', en: '15 digits' }),
      normalized,
    };
  }
  const bad = chars.findIndex((c) => c < '0' || c > '9');
  if (bad >= 0) {
    return {
      valid: false,
      reason: 'ILLEGAL_CHARACTER',
      position: bad + 1,
      message: illegalCharacterMessage('gs15', bad + 1, chars[bad] ?? '', { zh: '数字', en: 'a digit' }),
      normalized,
    };
  }
  const expected = gs15CheckDigit(normalized.slice(0, 14));
  const actual = normalized.charAt(14);
  const warnings: WarningCode[] = [];
  if (actual !== expected) {
    if (!opts.knownExceptions?.has(normalized)) {
      return {
        valid: false,
        reason: 'CHECK_CHARACTER_WRONG',
        position: 15,
        expected,
        message: checkCharacterWrongMessage('gs15', 15, expected, actual),
        normalized,
      };
    }
    warnings.push('CHECKSUM_OVERRIDE');
  }
  return { valid: true, normalized, authorityCode: normalized.slice(0, 6), warnings };
}
