import { describe, expect, it } from 'vitest';
import { citizenIdCheckChar, makeCitizenId, maskCitizenId, validateCitizenId } from './citizen-id';

describe('citizenIdCheckChar', () => {
  it('reproduces the worked examples', () => {
    expect(citizenIdCheckChar('11010519491231002')).toBe('X');
    expect(citizenIdCheckChar('44052418800101001')).toBe('4');
  });
});

describe('validateCitizenId', () => {
  it('decodes 11010519491231002X', () => {
    expect(validateCitizenId('11010519491231002X')).toEqual({
      valid: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      divisionCode: '110105',
      legacy15: false,
      warnings: [],
    });
  });

  it('accepts a lowercase x', () => {
    expect(validateCitizenId('11010519491231002x')).toMatchObject({
      valid: true,
      normalized: '11010519491231002X',
    });
  });

  it('rejects 440524188001010014 only because the birth year is before 1900', () => {
    // The checksum is right (see above); the 1900 floor is a platform rule.
    const r = validateCitizenId('440524188001010014');
    expect(r).toMatchObject({ valid: false, reason: 'IMPOSSIBLE_BIRTH_DATE', position: 7 });
    if (!r.valid) expect(r.message.en).toContain('before 1900');
  });

  it('accepts the leap day 2000-02-29 and rejects 1900-02-29', () => {
    expect(validateCitizenId(makeCitizenId('500103', '20000229', '001'))).toMatchObject({
      valid: true,
      birthDate: '2000-02-29',
      sex: 'M',
    });
    const first17 = '50010319000229001';
    const r = validateCitizenId(first17 + citizenIdCheckChar(first17));
    expect(r).toMatchObject({ valid: false, reason: 'IMPOSSIBLE_BIRTH_DATE' });
    if (!r.valid) expect(r.message.zh).toBe('出生日期 19000229 不存在');
  });

  it('rejects birth dates after the given today, and never reads the clock', () => {
    const id = makeCitizenId('500103', '20250601', '002');
    expect(validateCitizenId(id, { today: '2025-06-01' }).valid).toBe(true);
    expect(validateCitizenId(id, { today: '2025-05-31' })).toMatchObject({ reason: 'IMPOSSIBLE_BIRTH_DATE' });
    expect(validateCitizenId(makeCitizenId('500103', '20990101', '002')).valid).toBe(true);
  });

  it('throws on a malformed today option', () => {
    expect(() => validateCitizenId('11010519491231002X', { today: '2025-02-30' })).toThrow(RangeError);
    expect(() => validateCitizenId('11010519491231002X', { today: '20250201' })).toThrow(RangeError);
  });

  it('upgrades a legacy 15-digit number to 18 characters', () => {
    expect(validateCitizenId('440524800101001')).toEqual({
      valid: true,
      normalized: '440524198001010013',
      birthDate: '1980-01-01',
      sex: 'M',
      divisionCode: '440524',
      legacy15: true,
      warnings: [],
    });
    expect(validateCitizenId('440524801301001')).toMatchObject({ reason: 'IMPOSSIBLE_BIRTH_DATE' });
  });

  it('reports CHECK_CHARACTER_WRONG with the expected character', () => {
    const r = validateCitizenId('110105194912310021');
    expect(r).toMatchObject({ valid: false, reason: 'CHECK_CHARACTER_WRONG', position: 18, expected: 'X' });
    if (!r.valid) {
      expect(r.message.zh).toBe('公民身份号码第18位校验码错误（为 1），应为 X');
      expect(r.message.en).toBe('citizen ID number check character at position 18 is wrong (1); expected X');
    }
  });

  it('accepts a recorded exception with a warning', () => {
    expect(
      validateCitizenId('110105194912310021', { knownExceptions: new Set(['110105194912310021']) }),
    ).toMatchObject({ valid: true, warnings: ['CHECKSUM_OVERRIDE'] });
  });

  it('reports ILLEGAL_CHARACTER and WRONG_LENGTH', () => {
    expect(validateCitizenId('1101051949123100XX')).toMatchObject({
      reason: 'ILLEGAL_CHARACTER',
      position: 17,
    });
    expect(validateCitizenId('11010519491231002Y')).toMatchObject({
      reason: 'ILLEGAL_CHARACTER',
      position: 18,
    });
    expect(validateCitizenId('44052480010100X')).toMatchObject({ reason: 'ILLEGAL_CHARACTER', position: 15 });
    expect(validateCitizenId('1101051949123100')).toMatchObject({ reason: 'WRONG_LENGTH' });
  });
});

describe('maskCitizenId', () => {
  it('keeps the first and last four characters', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('1101**********002X');
    expect(maskCitizenId('440524800101001')).toBe('4405*******1001');
    expect(maskCitizenId('11010519491231002x')).toBe('1101**********002X');
  });

  it('masks short strings completely', () => {
    expect(maskCitizenId('12345678')).toBe('********');
  });
});

describe('makeCitizenId', () => {
  it('refuses impossible input', () => {
    expect(() => makeCitizenId('11010', '19491231', '002')).toThrow(RangeError);
    expect(() => makeCitizenId('110105', '19490229', '002')).toThrow(RangeError);
    expect(() => makeCitizenId('110105', '18991231', '002')).toThrow(RangeError);
    expect(() => makeCitizenId('110105', '19491231', '02')).toThrow(RangeError);
  });
});
