/**
 * Reason codes, warning codes and their bilingual messages. The codes are stable strings that
 * API clients and stored audit records rely on; the messages may be reworded freely.
 */

export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

export type IdKind = 'uscc' | 'org_code' | 'citizen_id' | 'gs15';

export const ID_KINDS: readonly IdKind[] = ['uscc', 'org_code', 'citizen_id', 'gs15'];

export function isIdKind(v: string): v is IdKind {
  return (ID_KINDS as readonly string[]).includes(v);
}

export type ReasonCode =
  | 'WRONG_LENGTH'
  | 'ILLEGAL_CHARACTER'
  | 'UNKNOWN_AUTHORITY'
  | 'UNKNOWN_CATEGORY'
  | 'DIVISION_NOT_DIGITS'
  | 'ORG_CODE_CHECK_FAILED'
  | 'CHECK_CHARACTER_WRONG'
  | 'IMPOSSIBLE_BIRTH_DATE';

/**
 * - CHECKSUM_OVERRIDE: the code fails its checksum but is in the caller's recorded set of known
 *   registered exceptions (e.g. early Fujian pilot USCCs).
 * - NONSTANDARD_CATEGORY: USCC prefix 9-9, which only some implementations list.
 * - AMBIGUOUS_KIND: without an explicit kind the input is valid as two kinds; the reported one
 *   was chosen by the rule documented in classify.ts.
 */
export type WarningCode = 'CHECKSUM_OVERRIDE' | 'NONSTANDARD_CATEGORY' | 'AMBIGUOUS_KIND';

export const WARNING_MESSAGES: Readonly<Record<WarningCode, LocalizedText>> = {
  CHECKSUM_OVERRIDE: {
    zh: '校验码不符合编码规则，但该代码已登记为已知例外，按有效处理',
    en: 'the check character does not follow the coding rule, but the code is a recorded known exception and is accepted',
  },
  NONSTANDARD_CATEGORY: {
    zh: '机构类别码 9-9（工商/市场监管“其他”）并非所有实现都收录，请人工核实',
    en: 'category 9-9 (market regulation "other") is not listed by every implementation; verify manually',
  },
  AMBIGUOUS_KIND: {
    zh: '该号码同时符合两种代码的编码规则，已按推定类型处理；如有误请指定类型',
    en: 'the input is valid as two kinds of identifier; the more likely kind was assumed, specify the kind if this is wrong',
  },
};

/** Failure shape shared by every validator; `R` narrows the reason set per identifier. */
export interface IdFailure<R extends ReasonCode = ReasonCode> {
  readonly valid: false;
  readonly reason: R;
  /** 1-based position in `normalized`. */
  readonly position?: number;
  /** The character that would make the code valid at `position`. */
  readonly expected?: string;
  readonly message: LocalizedText;
  readonly normalized: string;
}

export const KIND_NAMES: Readonly<Record<IdKind, LocalizedText>> = {
  uscc: { zh: '统一社会信用代码', en: 'unified social credit code' },
  org_code: { zh: '组织机构代码', en: 'organisation code' },
  citizen_id: { zh: '公民身份号码', en: 'citizen ID number' },
  gs15: { zh: '工商注册号', en: 'business registration number' },
};

/** Control and invisible characters are shown as U+XXXX so the message stays readable. */
export function showChar(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  if (cp < 0x21 || (cp >= 0x7f && cp < 0xa1) || cp === 0xfeff || (cp >= 0x200b && cp <= 0x200f)) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return c;
}

export function wrongLengthMessage(kind: IdKind, actual: number, expected: LocalizedText): LocalizedText {
  const k = KIND_NAMES[kind];
  return {
    zh: `${k.zh}应为${expected.zh}，实际为 ${actual} 位`,
    en: `a ${k.en} has ${expected.en}; got ${actual}`,
  };
}

export function illegalCharacterMessage(
  kind: IdKind,
  position: number,
  char: string,
  allowed: LocalizedText,
): LocalizedText {
  const k = KIND_NAMES[kind];
  const c = showChar(char);
  return {
    zh: `${k.zh}第${position}位字符“${c}”不合法，该位置只能是${allowed.zh}`,
    en: `character "${c}" at position ${position} is not allowed in a ${k.en}; expected ${allowed.en}`,
  };
}

export function checkCharacterWrongMessage(
  kind: IdKind,
  position: number,
  expected: string,
  actual: string,
): LocalizedText {
  const k = KIND_NAMES[kind];
  return {
    zh: `${k.zh}第${position}位校验码错误（为 ${actual}），应为 ${expected}`,
    en: `${k.en} check character at position ${position} is wrong (${actual}); expected ${expected}`,
  };
}
