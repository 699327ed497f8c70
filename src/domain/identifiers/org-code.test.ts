import { describe, expect, it } from 'vitest';
import { formatOrgCode, makeOrgCode, orgCodeCheckChar, validateOrgCode } from './org-code';

describe('orgCodeCheckChar', () => {
  it('reproduces the worked examples', () => {
    expect(orgCodeCheckChar('19220382')).toBe('1');
    expect(orgCodeCheckChar('71526726')).toBe('X');
    expect(orgCodeCheckChar('MA5U0000')).toBe('3');
  });

  it('writes a computed 11 as 0', () => {
    // A weighted sum divisible by 11 gives 11 − 0 = 11, which has no single digit of its own.
    expect(orgCodeCheckChar('00000000')).toBe('0');
  });

  it('throws on malformed bodies', () => {
    expect(() => orgCodeCheckChar('1922038')).toThrow(RangeError);
    expect(() => orgCodeCheckChar('1922038*')).toThrow(RangeError);
  });
});

describe('validateOrgCode', () => {
  it.each([
    ['19220382-1', '192203821'],
    ['71526726-X', '71526726X'],
    ['71526726-x', '71526726X'],
    ['192203821', '192203821'],
    [' 19220382 - 1 ', '192203821'],
  ])('accepts %s as %s', (input, normalized) => {
    expect(validateOrgCode(input)).toEqual({
      valid: true,
      normalized,
      printed: formatOrgCode(normalized),
      warnings: [],
    });
  });

  it('reports CHECK_CHARACTER_WRONG with the expected character', () => {
    const r = validateOrgCode('19220382-2');
    expect(r).toMatchObject({ valid: false, reason: 'CHECK_CHARACTER_WRONG', position: 9, expected: '1' });
    if (!r.valid) expect(r.message.zh).toContain('第9位校验码错误');
  });

  it('accepts a recorded exception with a warning', () => {
    expect(validateOrgCode('19220382-2', { knownExceptions: new Set(['192203822']) })).toMatchObject({
      valid: true,
      warnings: ['CHECKSUM_OVERRIDE'],
    });
  });

  it('reports ILLEGAL_CHARACTER for bad characters and misplaced hyphens', () => {
    expect(validateOrgCode('1922*382-1')).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 5 });
    expect(validateOrgCode('1922-03821')).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 5 });
    expect(validateOrgCode('19220382-A')).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 9 });
  });

  it('reports WRONG_LENGTH', () => {
    expect(validateOrgCode('1922038-1')).toMatchObject({ reason: 'WRONG_LENGTH' });
    expect(validateOrgCode('1922038211')).toMatchObject({ reason: 'WRONG_LENGTH' });
  });

  it('makeOrgCode round-trips', () => {
    expect(makeOrgCode('MA5U0000')).toBe('MA5U00003');
    expect(validateOrgCode(makeOrgCode('ZZZZZZZZ')).valid).toBe(true);
  });
});
