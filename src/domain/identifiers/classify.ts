/**
 * `checkId`: validates an identifier of a given kind, or works out the kind from the input.
 *
 * Kind detection (when `opts.kind` is absent), by length of the normalised input:
 *
 * - 18 characters: validated as both USCC and citizen ID.
 *   - Exactly one valid → that kind. (All-digit USCCs such as 914403001922038216 exist, so
 *     "only digits" alone says nothing.)
 *   - Both valid → citizen ID, with AMBIGUOUS_KIND. A random ID number passes the USCC checks
 *     far more often (pos 1–2 like 11/12/31/51 are both province and USCC prefixes; ~1 in 341
 *     then passes both checksums) than an all-digit USCC happens to carry a real birth date at
 *     positions 7–14 and pass MOD 11-2. Treating it as personal data is also the safe default.
 *   - Neither valid → report the failure of the more plausible kind:
 *     1. anything other than 17 digits + digit/X cannot be an ID → USCC;
 *     2. positions 1–2 are a province code used in ID numbers and positions 7–14 are a real
 *        date in 1800–2099, or at least start with 19/20 → citizen ID (a typo in an ID; also
 *        covers dates rejected only for being before 1900 or in the future). USCCs rarely
 *        match: the common prefixes 91/92/93 are not province codes;
 *     3. positions 1–8 are a known USCC prefix + division digits → USCC;
 *     4. otherwise → citizen ID (digits only, so the ID diagnosis is the more concrete one).
 * - 15 characters: valid GS15 wins (AMBIGUOUS_KIND if it is also a legacy ID with a real
 *   date); else a legacy 15-digit citizen ID if its date is valid; else the GS15 failure.
 * - 9 characters, or 10 containing a hyphen: organisation code.
 * - Anything else: kind `unknown`, WRONG_LENGTH.
 *
 * Positions in failures are 1-based positions in `normalized` (see normalize.ts).
 */
import type { SubjectType } from '../subject-types';
import { isRealDate, validateCitizenId, type CitizenIdResult } from './citizen-id';
import { validateGs15, type Gs15Result } from './gs15';
import {
  KIND_NAMES,
  type IdFailure,
  type IdKind,
  type LocalizedText,
  type ReasonCode,
  type WarningCode,
} from './messages';
import { codePoints, normalizeIdInput } from './normalize';
import { validateOrgCode, type OrgCodeResult } from './org-code';
import { findUsccCategory, validateUscc, USCC_ALPHABET, type UsccResult } from './uscc';

export interface CheckIdOptions {
  /** Skip detection and validate as this kind. */
  readonly kind?: IdKind;
  /** `YYYY-MM-DD`; citizen IDs born after it are rejected. Never read from the clock here. */
  readonly today?: string;
  /**
   * Normalised codes that fail a checksum but are recorded as genuinely registered (the platform
   * keeps these as overrides in its database); they validate with CHECKSUM_OVERRIDE.
   */
  readonly knownExceptions?: ReadonlySet<string>;
}

export interface UsccDetails {
  readonly authority: string;
  readonly category: string;
  readonly authorityLabel: LocalizedText;
  readonly categoryLabel: LocalizedText;
  readonly subjectType: SubjectType;
  readonly divisionCode: string;
  readonly orgCode: string;
}

export interface OrgCodeDetails {
  readonly printed: string;
}

export interface CitizenIdDetails {
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
  readonly divisionCode: string;
  readonly legacy15: boolean;
}

export interface Gs15Details {
  readonly authorityCode: string;
}

export type CheckIdDetails = UsccDetails | OrgCodeDetails | CitizenIdDetails | Gs15Details;

/** Plain JSON-serialisable data: safe to return from an API or print from the CLI. */
export interface CheckIdResult {
  readonly input: string;
  readonly kind: IdKind | 'unknown';
  readonly valid: boolean;
  readonly reason?: ReasonCode;
  readonly position?: number;
  readonly expected?: string;
  readonly message?: LocalizedText;
  /** For valid citizen IDs this is the 18-character form, also for 15-digit input. */
  readonly normalized: string;
  readonly warnings?: readonly WarningCode[];
  /** Set with AMBIGUOUS_KIND: the other kind the input also validates as. */
  readonly alsoValidAs?: IdKind;
  readonly details?: CheckIdDetails;
}

function fromFailure(input: string, kind: IdKind, f: IdFailure): CheckIdResult {
  return {
    input,
    kind,
    valid: false,
    reason: f.reason,
    ...(f.position !== undefined ? { position: f.position } : {}),
    ...(f.expected !== undefined ? { expected: f.expected } : {}),
    message: f.message,
    normalized: f.normalized,
  };
}

function fromValid(
  input: string,
  kind: IdKind,
  normalized: string,
  warnings: readonly WarningCode[],
  details: CheckIdDetails,
  alsoValidAs?: IdKind,
): CheckIdResult {
  const allWarnings: WarningCode[] = [...warnings];
  if (alsoValidAs) allWarnings.push('AMBIGUOUS_KIND');
  return {
    input,
    kind,
    valid: true,
    normalized,
    ...(allWarnings.length > 0 ? { warnings: allWarnings } : {}),
    ...(alsoValidAs ? { alsoValidAs } : {}),
    details,
  };
}

function fromUscc(input: string, r: UsccResult): CheckIdResult {
  if (!r.valid) return fromFailure(input, 'uscc', r);
  return fromValid(input, 'uscc', r.normalized, r.warnings, {
    authority: r.authority,
    category: r.category,
    authorityLabel: r.authorityLabel,
    categoryLabel: r.categoryLabel,
    subjectType: r.subjectType,
    divisionCode: r.divisionCode,
    orgCode: r.orgCode,
  });
}

function fromCitizen(input: string, r: CitizenIdResult, alsoValidAs?: IdKind): CheckIdResult {
  if (!r.valid) return fromFailure(input, 'citizen_id', r);
  return fromValid(
    input,
    'citizen_id',
    r.normalized,
    r.warnings,
    { birthDate: r.birthDate, sex: r.sex, divisionCode: r.divisionCode, legacy15: r.legacy15 },
    alsoValidAs,
  );
}

function fromOrgCode(input: string, r: OrgCodeResult): CheckIdResult {
  if (!r.valid) return fromFailure(input, 'org_code', r);
  return fromValid(input, 'org_code', r.normalized, r.warnings, { printed: r.printed });
}

function fromGs15(input: string, r: Gs15Result, alsoValidAs?: IdKind): CheckIdResult {
  if (!r.valid) return fromFailure(input, 'gs15', r);
  return fromValid(input, 'gs15', r.normalized, r.warnings, { authorityCode: r.authorityCode }, alsoValidAs);
}

/**
 * Province-level codes that occur in ID numbers; 81–83 are used in residence permits for Hong
 * Kong, Macao and Taiwan residents.
 */
const ID_PROVINCES = new Set([
  ...'11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46'.split(' '),
  ...'50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '),
]);

/** Assumes 17 digits + digit/X; see rule 2 in the module comment. */
function looksLikeCitizenId(s: string): boolean {
  if (!ID_PROVINCES.has(s.slice(0, 2))) return false;
  const date = s.slice(6, 14);
  const year = Number(date.slice(0, 4));
  return (isRealDate(date) && year >= 1800 && year <= 2099) || /^(19|20)/.test(date);
}

function isUsccStructured(s: string): boolean {
  return (
    [...s].every((c) => USCC_ALPHABET.includes(c)) &&
    findUsccCategory(s.slice(0, 2)) !== undefined &&
    /^\d{6}$/.test(s.slice(2, 8))
  );
}

function classify18(input: string, normalized: string, opts: CheckIdOptions): CheckIdResult {
  const uscc = validateUscc(input, opts);
  const citizen = validateCitizenId(input, opts);
  if (citizen.valid) return fromCitizen(input, citizen, uscc.valid ? 'uscc' : undefined);
  if (uscc.valid) return fromUscc(input, uscc);
  if (!/^\d{17}[\dX]$/.test(normalized)) return fromUscc(input, uscc);
  if (looksLikeCitizenId(normalized)) return fromCitizen(input, citizen);
  if (isUsccStructured(normalized)) return fromUscc(input, uscc);
  return fromCitizen(input, citizen);
}

function classify15(input: string, opts: CheckIdOptions): CheckIdResult {
  const gs15 = validateGs15(input, opts);
  const citizen = validateCitizenId(input, opts);
  if (gs15.valid) return fromGs15(input, gs15, citizen.valid ? 'citizen_id' : undefined);
  if (citizen.valid) return fromCitizen(input, citizen);
  return fromGs15(input, gs15);
}

export function checkId(input: string, opts: CheckIdOptions = {}): CheckIdResult {
  switch (opts.kind) {
    case 'uscc':
      return fromUscc(input, validateUscc(input, opts));
    case 'org_code':
      return fromOrgCode(input, validateOrgCode(input, opts));
    case 'citizen_id':
      return fromCitizen(input, validateCitizenId(input, opts));
    case 'gs15':
      return fromGs15(input, validateGs15(input, opts));
    case undefined:
      break;
  }
  const normalized = normalizeIdInput(input);
  const length = codePoints(normalized).length;
  if (length === 18) return classify18(input, normalized, opts);
  if (length === 15) return classify15(input, opts);
  if (length === 9 || (length === 10 && normalized.includes('-'))) {
    return fromOrgCode(input, validateOrgCode(input, opts));
  }
  return {
    input,
    kind: 'unknown',
    valid: false,
    reason: 'WRONG_LENGTH',
    message: {
      zh: `长度 ${length} 不符合任何支持的代码：${KIND_NAMES.uscc.zh} 18 位、${KIND_NAMES.citizen_id.zh} 18 位或 15 位、${KIND_NAMES.gs15.zh} 15 位、${KIND_NAMES.org_code.zh} 9 位`,
      en: `length ${length} matches no supported identifier: ${KIND_NAMES.uscc.en} 18, ${KIND_NAMES.citizen_id.en} 18 or 15, ${KIND_NAMES.gs15.en} 15, ${KIND_NAMES.org_code.en} 9`,
    },
    normalized,
  };
}
