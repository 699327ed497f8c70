import { describe, expect, it } from 'vitest';
import { gs15CheckDigit, makeGs15, validateGs15 } from './gs15';

describe('GS15 registration number', () => {
  it('reproduces the worked example 500103000000012', () => {
    expect(gs15CheckDigit('50010300000001')).toBe('2');
    expect(makeGs15('500103', '00000001')).toBe('500103000000012');
    expect(validateGs15('500103000000012')).toEqual({
      valid: true,
      normalized: '500103000000012',
      authorityCode: '500103',
      warnings: [],
    });
  });

  it('accepts exactly one check digit for any 14 digits', () => {
    for (const body of ['00000000000000', '50010300000001', '11000012345678', '99999999999999']) {
      const ok = [...'0123456789'].filter((d) => validateGs15(body + d).valid);
      expect(ok).toEqual([gs15CheckDigit(body)]);
    }
  });

  it('reports CHECK_CHARACTER_WRONG', () => {
    const r = validateGs15('500103000000013');
    expect(r).toMatchObject({ valid: false, reason: 'CHECK_CHARACTER_WRONG', position: 15, expected: '2' });
    if (!r.valid) expect(r.message.en).toContain('expected 2');
  });

  it('reports ILLEGAL_CHARACTER and WRONG_LENGTH', () => {
    expect(validateGs15('5001030000000A2')).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 14 });
    expect(validateGs15('50010300000001')).toMatchObject({ reason: 'WRONG_LENGTH' });
  });

  it('accepts a recorded exception with a warning', () => {
    expect(validateGs15('500103000000013', { knownExceptions: new Set(['500103000000013']) })).toMatchObject({
      valid: true,
      warnings: ['CHECKSUM_OVERRIDE'],
    });
  });

  it('generator refuses malformed parts', () => {
    expect(() => makeGs15('50010', '00000001')).toThrow(RangeError);
    expect(() => gs15CheckDigit('5001030000000A')).toThrow(RangeError);
  });
});
