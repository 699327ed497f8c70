/**
 * GB 11714-1997 organisation code (组织机构代码): 8-character body + 1 check character.
 * It is also embedded in every USCC at positions 9–17.
 */
import {
  checkCharacterWrongMessage,
  illegalCharacterMessage,
  wrongLengthMessage,
  type IdFailure,
  type WarningCode,
} from './messages';
import { codePoints, normalizeIdInput } from './normalize';

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 11714 values use the full Latin alphabet (A=10 … Z=35). This is a different table from the
 * USCC's 31-character one (where U=27, here U=30), so the two must never be shared.
 */
function orgCharValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55;
  return -1;
}

export function isOrgCodeBodyChar(c: string): boolean {
  return c.length === 1 && orgCharValue(c) >= 0;
}

/** Check character for an 8-character body; throws on malformed input (a programming error). */
export function orgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new RangeError(`organisation code body must have 8 characters: ${body8}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = orgCharValue(body8.charAt(i));
    if (v < 0) throw new RangeError(`illegal organisation code character: ${body8.charAt(i)}`);
    sum += v * (ORG_WEIGHTS[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  if (c === 10) return 'X';
  if (c === 11) return '0';
  return String(c);
}

/** Full 9-character code (no hyphen) from an 8-character body. */
export function makeOrgCode(body8: string): string {
  return body8 + orgCodeCheckChar(body8);
}

/** `19220382-1` style printed form of a normalised 9-character code. */
export function formatOrgCode(code9: string): string {
  return `${code9.slice(0, 8)}-${code9.slice(8)}`;
}

export type OrgCodeReason = 'WRONG_LENGTH' | 'ILLEGAL_CHARACTER' | 'CHECK_CHARACTER_WRONG';

export interface OrgCodeValid {
  readonly valid: true;
  /** 9 characters, no hyphen (the storage form). */
  readonly normalized: string;
  /** Printed form with the hyphen before the check character. */
  readonly printed: string;
  readonly warnings: readonly WarningCode[];
}

export type OrgCodeResult = OrgCodeValid | IdFailure<OrgCodeReason>;

export interface OrgCodeOptions {
  /** Normalised codes accepted despite a wrong check character (recorded overrides). */
  readonly knownExceptions?: ReadonlySet<string>;
}

const ORG_LENGTH_TEXT = { zh: '9 位（印刷形式为 8 位-1 位）', en: '9 characters (printed as 8, hyphen, 1)' };

/**
 * Positions in failures refer to the 9-character form without the hyphen, so position 9 is
 * always the check character whether or not the input was in printed form.
 */
export function validateOrgCode(raw: string, opts: OrgCodeOptions = {}): OrgCodeResult {
  const cleaned = normalizeIdInput(raw);
  let chars = codePoints(cleaned);
  if (chars.length >= 2 && chars[chars.length - 2] === '-') {
    // Printed form: drop the separator first so a short body reads as WRONG_LENGTH.
    chars = [...chars.slice(0, -2), ...chars.slice(-1)];
  } else if (chars.length === 10 && chars.includes('-')) {
    // A misplaced hyphen is a more useful diagnosis than "wrong length".
    const position = chars.indexOf('-') + 1;
    return {
      valid: false,
      reason: 'ILLEGAL_CHARACTER',
      position,
      message: illegalCharacterMessage('org_code', position, '-', {
        zh: '数字或大写字母（连字符只能出现在校验码之前）',
        en: 'a digit or uppercase letter (a hyphen may only precede the check character)',
      }),
      normalized: cleaned,
    };
  }
  const normalized = chars.join('');
  if (chars.length !== 9) {
    return {
      valid: false,
      reason: 'WRONG_LENGTH',
      message: wrongLengthMessage('org_code', chars.length, ORG_LENGTH_TEXT),
      normalized,
    };
  }
  for (let i = 0; i < 8; i++) {
    const c = chars[i] ?? '';
    if (!isOrgCodeBodyChar(c)) {
      return {
        valid: false,
        reason: 'ILLEGAL_CHARACTER',
        position: i + 1,
        message: illegalCharacterMessage('org_code', i + 1, c, {
          zh: '数字或大写字母',
          en: 'a digit or uppercase letter',
        }),
        normalized,
      };
    }
  }
  const actual = chars[8] ?? '';
  if (!/^[0-9X]$/.test(actual)) {
    return {
      valid: false,
      reason: 'ILLEGAL_CHARACTER',
      position: 9,
      message: illegalCharacterMessage('org_code', 9, actual, { zh: '数字或 X', en: 'a digit or X' }),
      normalized,
    };
  }
  const expected = orgCodeCheckChar(normalized.slice(0, 8));
  const warnings: WarningCode[] = [];
  if (actual !== expected) {
    if (!opts.knownExceptions?.has(normalized)) {
      return {
        valid: false,
        reason: 'CHECK_CHARACTER_WRONG',
        position: 9,
        expected,
        message: checkCharacterWrongMessage('org_code', 9, expected, actual),
        normalized,
      };
    }
    warnings.push('CHECKSUM_OVERRIDE');
  }
  return { valid: true, normalized, printed: formatOrgCode(normalized), warnings };
}
