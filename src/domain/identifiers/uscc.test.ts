import { describe, expect, it } from 'vitest';
import type { SubjectType } from '../subject-types';
import { makeUscc, USCC_ALPHABET, USCC_AUTHORITIES, usccCheckChar, validateUscc } from './uscc';

const FUJIAN_EXCEPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['91350100M0001TGQXM', '1'],
  ['91350211M0000XUF46', 'R'],
  ['91350203M0001FUE2P', 'J'],
];

describe('usccCheckChar', () => {
  it('reproduces the worked examples', () => {
    expect(usccCheckChar('91440300192203821')).toBe('6');
    expect(usccCheckChar('9144030071526726X')).toBe('G');
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(usccCheckChar('91500103MA5U00003')).toBe('N');
  });

  it('rejects malformed input loudly', () => {
    expect(() => usccCheckChar('9144030019220382')).toThrow(RangeError);
    expect(() => usccCheckChar('9144030019220382I')).toThrow(RangeError);
  });
});

describe('validateUscc', () => {
  it('decodes Huawei 914403001922038216 (all digits)', () => {
    expect(validateUscc('914403001922038216')).toEqual({
      valid: true,
      normalized: '914403001922038216',
      authority: '9',
      category: '1',
      authorityLabel: { zh: '工商（市场监管）', en: 'Market regulation (formerly industry and commerce)' },
      categoryLabel: { zh: '企业', en: 'Enterprise' },
      subjectType: 'ENTERPRISE',
      divisionCode: '440300',
      orgCode: '192203821',
      warnings: [],
    });
  });

  it.each(['9144030071526726XG', '91350100M000100Y43', '91500103MA5U00003N'])('accepts %s', (code) => {
    const r = validateUscc(code);
    expect(r.valid).toBe(true);
    if (r.valid) expect(r.warnings).toEqual([]);
  });

  it('normalises case, whitespace and full-width characters', () => {
    const r = validateUscc(' 9144 0300 7152 6726 xg\n');
    expect(r).toMatchObject({ valid: true, normalized: '9144030071526726XG', orgCode: '71526726X' });
    expect(validateUscc('９１５００１０３ＭＡ５Ｕ００００３Ｎ')).toMatchObject({ valid: true });
  });

  it.each(FUJIAN_EXCEPTIONS)('rejects legacy Fujian code %s (computed check %s)', (code, expected) => {
    expect(validateUscc(code)).toMatchObject({
      valid: false,
      reason: 'CHECK_CHARACTER_WRONG',
      position: 18,
      expected,
    });
  });

  it.each(FUJIAN_EXCEPTIONS)('accepts %s as a recorded exception with a warning', (code) => {
    const knownExceptions = new Set(FUJIAN_EXCEPTIONS.map(([c]) => c));
    expect(validateUscc(code, { knownExceptions })).toMatchObject({
      valid: true,
      subjectType: 'ENTERPRISE',
      divisionCode: code.slice(2, 8),
      warnings: ['CHECKSUM_OVERRIDE'],
    });
  });

  it('does not let the exception set override structural failures', () => {
    const knownExceptions = new Set(['B1350100M0001TGQXM']);
    expect(validateUscc('B1350100M0001TGQXM', { knownExceptions })).toMatchObject({
      reason: 'UNKNOWN_AUTHORITY',
    });
  });

  it('reports WRONG_LENGTH', () => {
    const r = validateUscc('91440300192203821');
    expect(r).toMatchObject({ valid: false, reason: 'WRONG_LENGTH' });
    if (!r.valid) {
      expect(r.position).toBeUndefined();
      expect(r.message.zh).toContain('18 位');
      expect(r.message.en).toContain('got 17');
    }
  });

  it('reports ILLEGAL_CHARACTER with a 1-based position', () => {
    expect(validateUscc('91440300I922038216')).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 9 });
    expect(validateUscc('91440300192203821-')).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 18 });
    const r = validateUscc('9144030019220382O6');
    expect(r).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 17 });
    if (!r.valid) expect(r.message.zh).toContain('第17位字符“O”不合法');
  });

  it('reports UNKNOWN_AUTHORITY and UNKNOWN_CATEGORY', () => {
    expect(validateUscc('B14403001922038216')).toMatchObject({ reason: 'UNKNOWN_AUTHORITY', position: 1 });
    const r = validateUscc('944403001922038216');
    expect(r).toMatchObject({ reason: 'UNKNOWN_CATEGORY', position: 2 });
    if (!r.valid) expect(r.message.en).toContain('allowed: 1, 2, 3, 9');
    expect(validateUscc('Y24403001922038216')).toMatchObject({ reason: 'UNKNOWN_CATEGORY' });
  });

  it('reports DIVISION_NOT_DIGITS', () => {
    expect(validateUscc('9144A3001922038216')).toMatchObject({ reason: 'DIVISION_NOT_DIGITS', position: 5 });
  });

  it('reports ORG_CODE_CHECK_FAILED at position 17 with the GB 11714 check', () => {
    const r = validateUscc('914403001922038226');
    expect(r).toMatchObject({ reason: 'ORG_CODE_CHECK_FAILED', position: 17, expected: '1' });
    if (!r.valid) {
      expect(r.message.zh).toContain('应为 1');
      expect(r.message.en).toContain('expected 1');
    }
  });

  it('reports CHECK_CHARACTER_WRONG at position 18', () => {
    const r = validateUscc('914403001922038217');
    expect(r).toMatchObject({ reason: 'CHECK_CHARACTER_WRONG', position: 18, expected: '6' });
    if (!r.valid) {
      expect(r.message.zh).toBe('统一社会信用代码第18位校验码错误（为 7），应为 6');
      expect(r.message.en).toContain('position 18 is wrong (7); expected 6');
    }
  });

  it('uses the GB 11714 value table (U=30) for position 17, not the USCC one (U=27)', () => {
    // MA5U0000 → 3 only with U=30; the USCC table would give a different check.
    expect(makeUscc('91', '500103', 'MA5U0000')).toBe('91500103MA5U00003N');
  });

  it('accepts 9-9 with a NONSTANDARD_CATEGORY warning', () => {
    expect(validateUscc(makeUscc('99', '500103', 'MA5U0000'))).toMatchObject({
      valid: true,
      subjectType: 'OTHER_ORG',
      warnings: ['NONSTANDARD_CATEGORY'],
    });
  });

  it.each<[string, SubjectType]>([
    ['11', 'GOVERNMENT'],
    ['12', 'PUBLIC_INSTITUTION'],
    ['13', 'SOCIAL_ORG'],
    ['31', 'OTHER_ORG'],
    ['51', 'SOCIAL_ORG'],
    ['52', 'SOCIAL_ORG'],
    ['53', 'SOCIAL_ORG'],
    ['71', 'OTHER_ORG'],
    ['72', 'OTHER_ORG'],
    ['91', 'ENTERPRISE'],
    ['92', 'INDIVIDUAL_BUSINESS'],
    ['93', 'FARMER_COOP'],
    ['N1', 'OTHER_ORG'],
    ['N2', 'OTHER_ORG'],
    ['N3', 'OTHER_ORG'],
    ['Y1', 'OTHER_ORG'],
  ])('maps prefix %s to %s', (prefix, subjectType) => {
    expect(validateUscc(makeUscc(prefix, '500103', '0000001A'))).toMatchObject({ valid: true, subjectType });
  });

  it('has a complete, well-formed authority table', () => {
    for (const a of USCC_AUTHORITIES) {
      expect(USCC_ALPHABET).toContain(a.code);
      expect(a.label.zh).not.toBe('');
      expect(a.label.en).not.toBe('');
      for (const c of a.categories) {
        expect(USCC_ALPHABET).toContain(c.code);
        expect(validateUscc(makeUscc(a.code + c.code, '100000', '12345678')).valid).toBe(true);
      }
    }
    expect(USCC_AUTHORITIES.map((a) => a.code).join('')).toBe('123456789ANY');
  });

  it('makeUscc refuses input that cannot yield a valid code', () => {
    expect(() => makeUscc('94', '500103', 'MA5U0000')).toThrow(RangeError);
    expect(() => makeUscc('91', '50010A', 'MA5U0000')).toThrow(RangeError);
    expect(() => makeUscc('91', '500103', 'MA5O0000')).toThrow(RangeError);
  });
});
