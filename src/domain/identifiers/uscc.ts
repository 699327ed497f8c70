/**
 * GB 32100-2015 unified social credit code (统一社会信用代码, USCC).
 *
 * Layout: pos 1 registration authority, pos 2 institution category, pos 3–8 division code of
 * the registering authority, pos 9–17 GB 11714 organisation code, pos 18 MOD 31 check.
 */
import type { SubjectType } from '../subject-types';
import {
  checkCharacterWrongMessage,
  illegalCharacterMessage,
  showChar,
  wrongLengthMessage,
  type IdFailure,
  type LocalizedText,
  type WarningCode,
} from './messages';
import { codePoints, normalizeIdInput } from './normalize';
import { orgCodeCheckChar } from './org-code';

/** The standard omits I, O, Z, S, V to avoid confusion with 1, 0, 2, 5, U. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** W_i = 3^(i-1) mod 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export interface UsccCategoryInfo {
  /** Position-2 character. */
  readonly code: string;
  readonly label: LocalizedText;
  readonly subjectType: SubjectType;
  /** Accepted, but with a NONSTANDARD_CATEGORY warning because sources disagree on it. */
  readonly nonstandard?: boolean;
}

export interface UsccAuthorityInfo {
  /** Position-1 character. */
  readonly code: string;
  readonly label: LocalizedText;
  readonly categories: readonly UsccCategoryInfo[];
}

const OTHER: LocalizedText = { zh: '其他', en: 'Other' };

/**
 * Authority × category table (GB 32100 appendix as reproduced by several implementations).
 * The SubjectType mapping is the platform's own: categories without a dedicated subject type
 * fall back to OTHER_ORG rather than guessing a closer one.
 */
export const USCC_AUTHORITIES: readonly UsccAuthorityInfo[] = [
  {
    code: '1',
    label: { zh: '机构编制', en: 'Institutional establishment (bianzhi) authorities' },
    categories: [
      { code: '1', label: { zh: '机关', en: 'State organ' }, subjectType: 'GOVERNMENT' },
      { code: '2', label: { zh: '事业单位', en: 'Public institution' }, subjectType: 'PUBLIC_INSTITUTION' },
      {
        code: '3',
        label: {
          zh: '中央编办直接管理机构编制的群众团体',
          en: 'Mass organisation whose establishment is managed directly by the central bianzhi office',
        },
        subjectType: 'SOCIAL_ORG',
      },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: '2',
    label: { zh: '外交', en: 'Foreign affairs' },
    categories: [
      {
        code: '1',
        label: { zh: '外国常驻新闻机构', en: 'Resident office of a foreign news organisation' },
        subjectType: 'OTHER_ORG',
      },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: '3',
    label: { zh: '司法行政', en: 'Justice administration' },
    categories: [
      { code: '1', label: { zh: '律师执业机构', en: 'Law firm' }, subjectType: 'OTHER_ORG' },
      { code: '2', label: { zh: '公证处', en: 'Notary office' }, subjectType: 'OTHER_ORG' },
      {
        code: '3',
        label: { zh: '基层法律服务所', en: 'Grassroots legal service office' },
        subjectType: 'OTHER_ORG',
      },
      {
        code: '4',
        label: { zh: '司法鉴定机构', en: 'Forensic appraisal institution' },
        subjectType: 'OTHER_ORG',
      },
      { code: '5', label: { zh: '仲裁委员会', en: 'Arbitration commission' }, subjectType: 'OTHER_ORG' },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: '4',
    label: { zh: '文化', en: 'Culture' },
    categories: [
      {
        code: '1',
        label: { zh: '外国在华文化中心', en: 'Foreign cultural centre in China' },
        subjectType: 'OTHER_ORG',
      },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: '5',
    label: { zh: '民政', en: 'Civil affairs' },
    // Civil affairs registers only social organisations, so even "other" is one.
    categories: [
      { code: '1', label: { zh: '社会团体', en: 'Social association' }, subjectType: 'SOCIAL_ORG' },
      {
        code: '2',
        label: { zh: '民办非企业单位', en: 'Private non-enterprise unit (social service organisation)' },
        subjectType: 'SOCIAL_ORG',
      },
      { code: '3', label: { zh: '基金会', en: 'Foundation' }, subjectType: 'SOCIAL_ORG' },
      { code: '9', label: OTHER, subjectType: 'SOCIAL_ORG' },
    ],
  },
  {
    code: '6',
    label: { zh: '旅游', en: 'Tourism' },
    categories: [
      {
        code: '1',
        label: {
          zh: '外国旅游部门常驻代表机构',
          en: 'Resident representative office of a foreign tourism authority',
        },
        subjectType: 'OTHER_ORG',
      },
      {
        code: '2',
        label: {
          zh: '港澳台地区旅游部门常驻内地（大陆）代表机构',
          en: 'Mainland representative office of a Hong Kong, Macao or Taiwan tourism authority',
        },
        subjectType: 'OTHER_ORG',
      },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: '7',
    label: { zh: '宗教', en: 'Religious affairs' },
    categories: [
      {
        code: '1',
        label: { zh: '宗教活动场所', en: 'Venue for religious activities' },
        subjectType: 'OTHER_ORG',
      },
      { code: '2', label: { zh: '宗教院校', en: 'Religious school' }, subjectType: 'OTHER_ORG' },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: '8',
    label: { zh: '工会', en: 'Trade unions' },
    categories: [
      { code: '1', label: { zh: '基层工会', en: 'Grassroots trade union' }, subjectType: 'OTHER_ORG' },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: '9',
    label: { zh: '工商（市场监管）', en: 'Market regulation (formerly industry and commerce)' },
    categories: [
      { code: '1', label: { zh: '企业', en: 'Enterprise' }, subjectType: 'ENTERPRISE' },
      {
        code: '2',
        label: { zh: '个体工商户', en: 'Individual business' },
        subjectType: 'INDIVIDUAL_BUSINESS',
      },
      {
        code: '3',
        label: { zh: '农民专业合作社', en: "Farmers' specialised co-operative" },
        subjectType: 'FARMER_COOP',
      },
      // Listed by a minority of implementations only; accepted so real codes are not rejected.
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG', nonstandard: true },
    ],
  },
  {
    code: 'A',
    label: {
      zh: '中央军委改革和编制办公室',
      en: 'Central Military Commission Office for Reform and Organisational Structure',
    },
    categories: [
      // A military public institution is still a 事业单位 for the platform's purposes.
      {
        code: '1',
        label: { zh: '军队事业单位', en: 'Military public institution' },
        subjectType: 'PUBLIC_INSTITUTION',
      },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: 'N',
    label: { zh: '农业农村', en: 'Agriculture and rural affairs' },
    categories: [
      {
        code: '1',
        label: { zh: '组级集体经济组织', en: 'Group-level collective economic organisation' },
        subjectType: 'OTHER_ORG',
      },
      {
        code: '2',
        label: { zh: '村级集体经济组织', en: 'Village-level collective economic organisation' },
        subjectType: 'OTHER_ORG',
      },
      {
        code: '3',
        label: { zh: '乡镇级集体经济组织', en: 'Township-level collective economic organisation' },
        subjectType: 'OTHER_ORG',
      },
      { code: '9', label: OTHER, subjectType: 'OTHER_ORG' },
    ],
  },
  {
    code: 'Y',
    label: { zh: '其他', en: 'Other registration authorities' },
    categories: [{ code: '1', label: OTHER, subjectType: 'OTHER_ORG' }],
  },
];

export function findUsccAuthority(code: string): UsccAuthorityInfo | undefined {
  return USCC_AUTHORITIES.find((a) => a.code === code);
}

/** Looks up a two-character prefix such as `91`. */
export function findUsccCategory(
  prefix: string,
): { readonly authority: UsccAuthorityInfo; readonly category: UsccCategoryInfo } | undefined {
  const authority = findUsccAuthority(prefix.charAt(0));
  const category = authority?.categories.find((c) => c.code === prefix.charAt(1));
  return authority && category && prefix.length === 2 ? { authority, category } : undefined;
}

function usccValue(c: string): number {
  return c.length === 1 ? USCC_ALPHABET.indexOf(c) : -1;
}

/** Position-18 check character; throws on malformed input (a programming error). */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`USCC check needs 17 characters: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccValue(first17.charAt(i));
    if (v < 0) throw new RangeError(`illegal USCC character: ${first17.charAt(i)}`);
    sum += v * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Builds a valid USCC, for demo data and tests. Throws on input that cannot produce a valid
 * code, so a broken fixture fails loudly instead of generating a code that validation rejects.
 */
export function makeUscc(prefix: string, division: string, orgBody: string): string {
  if (!findUsccCategory(prefix)) throw new RangeError(`unknown USCC authority/category prefix: ${prefix}`);
  if (!/^\d{6}$/.test(division)) throw new RangeError(`division must be 6 digits: ${division}`);
  if (orgBody.length !== 8 || [...orgBody].some((c) => usccValue(c) < 0)) {
    throw new RangeError(`organisation code body must be 8 USCC-alphabet characters: ${orgBody}`);
  }
  const first17 = prefix + division + orgBody + orgCodeCheckChar(orgBody);
  return first17 + usccCheckChar(first17);
}

export type UsccReason =
  | 'WRONG_LENGTH'
  | 'ILLEGAL_CHARACTER'
  | 'UNKNOWN_AUTHORITY'
  | 'UNKNOWN_CATEGORY'
  | 'DIVISION_NOT_DIGITS'
  | 'ORG_CODE_CHECK_FAILED'
  | 'CHECK_CHARACTER_WRONG';

export interface UsccValid {
  readonly valid: true;
  readonly normalized: string;
  /** Position 1, e.g. `9`. */
  readonly authority: string;
  /** Position 2, e.g. `1` (so the prefix is authority + category). */
  readonly category: string;
  readonly authorityLabel: LocalizedText;
  readonly categoryLabel: LocalizedText;
  readonly subjectType: SubjectType;
  /**
   * Positions 3–8: the registering authority's division at registration time. Divisions are
   * re-coded over time and USCCs are not, so this is not the subject's current district.
   */
  readonly divisionCode: string;
  /** Positions 9–17, GB 11714 organisation code without hyphen. */
  readonly orgCode: string;
  readonly warnings: readonly WarningCode[];
}

export type UsccResult = UsccValid | IdFailure<UsccReason>;

export interface UsccOptions {
  /**
   * Normalised codes accepted despite failing a checksum (pos 17 or 18): legacy codes known to be
   * registered. Structural failures are never overridden.
   */
  readonly knownExceptions?: ReadonlySet<string>;
}

const ALPHABET_TEXT: LocalizedText = {
  zh: '数字或除 I、O、Z、S、V 以外的大写字母',
  en: 'a digit or an uppercase letter other than I, O, Z, S, V',
};

/**
 * Checks are ordered from structure to checksum so the first failure reported is the most
 * specific one; an error anywhere in 9–16 usually breaks both checksums, and position 17 is
 * reported because it is the earlier, narrower check.
 */
export function validateUscc(raw: string, opts: UsccOptions = {}): UsccResult {
  const normalized = normalizeIdInput(raw);
  const chars = codePoints(normalized);
  const fail = (
    reason: UsccReason,
    message: LocalizedText,
    position?: number,
    expected?: string,
  ): IdFailure<UsccReason> => ({
    valid: false,
    reason,
    ...(position !== undefined ? { position } : {}),
    ...(expected !== undefined ? { expected } : {}),
    message,
    normalized,
  });

  if (chars.length !== 18) {
    return fail(
      'WRONG_LENGTH',
      wrongLengthMessage('uscc', chars.length, { zh: '18 位', en: '18 characters' }),
    );
  }
  const bad = chars.findIndex((c) => usccValue(c) < 0);
  if (bad >= 0) {
    return fail(
      'ILLEGAL_CHARACTER',
      illegalCharacterMessage('uscc', bad + 1, chars[bad] ?? '', ALPHABET_TEXT),
      bad + 1,
    );
  }
  const a = normalized.charAt(0);
  const authority = findUsccAuthority(a);
  if (!authority) {
    return fail(
      'UNKNOWN_AUTHORITY',
      {
        zh: `统一社会信用代码第1位登记管理部门码“${showChar(a)}”不存在`,
        en: `position 1 of the unified social credit code: "${showChar(a)}" is not a known registration authority`,
      },
      1,
    );
  }
  const k = normalized.charAt(1);
  const category = authority.categories.find((c) => c.code === k);
  if (!category) {
    const allowed = authority.categories.map((c) => c.code).join('、');
    return fail(
      'UNKNOWN_CATEGORY',
      {
        zh: `统一社会信用代码第2位机构类别码“${showChar(k)}”不属于登记管理部门“${authority.label.zh}”（${a}），可用类别为 ${allowed}`,
        en: `position 2 of the unified social credit code: "${showChar(k)}" is not a category of authority ${a} (${authority.label.en}); allowed: ${allowed.replaceAll('、', ', ')}`,
      },
      2,
    );
  }
  for (let i = 2; i < 8; i++) {
    const c = chars[i] ?? '';
    if (c < '0' || c > '9') {
      return fail(
        'DIVISION_NOT_DIGITS',
        {
          zh: `统一社会信用代码第${i + 1}位“${c}”应为数字（第3–8位为登记管理机关行政区划码）`,
          en: `position ${i + 1} of the unified social credit code ("${c}") must be a digit (positions 3–8 are the division code)`,
        },
        i + 1,
      );
    }
  }
  const orgCode = normalized.slice(8, 17);
  const orgExpected = orgCodeCheckChar(orgCode.slice(0, 8));
  const overridable = opts.knownExceptions?.has(normalized) === true;
  const warnings: WarningCode[] = [];
  if (orgCode.charAt(8) !== orgExpected) {
    if (!overridable) {
      return fail(
        'ORG_CODE_CHECK_FAILED',
        {
          zh: `统一社会信用代码第17位（组织机构代码校验码）错误（为 ${orgCode.charAt(8)}），应为 ${orgExpected}`,
          en: `position 17 of the unified social credit code (organisation code check character) is wrong (${orgCode.charAt(8)}); expected ${orgExpected}`,
        },
        17,
        orgExpected,
      );
    }
    warnings.push('CHECKSUM_OVERRIDE');
  }
  const expected = usccCheckChar(normalized.slice(0, 17));
  const actual = normalized.charAt(17);
  if (actual !== expected) {
    if (!overridable) {
      return fail(
        'CHECK_CHARACTER_WRONG',
        checkCharacterWrongMessage('uscc', 18, expected, actual),
        18,
        expected,
      );
    }
    if (!warnings.includes('CHECKSUM_OVERRIDE')) warnings.push('CHECKSUM_OVERRIDE');
  }
  if (category.nonstandard) warnings.push('NONSTANDARD_CATEGORY');
  return {
    valid: true,
    normalized,
    authority: a,
    category: k,
    authorityLabel: authority.label,
    categoryLabel: category.label,
    subjectType: category.subjectType,
    divisionCode: normalized.slice(2, 8),
    orgCode,
    warnings,
  };
}
