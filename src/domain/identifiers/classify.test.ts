import { describe, expect, it } from 'vitest';
import { checkId } from './classify';
import { validateUscc } from './uscc';

describe('checkId kind detection', () => {
  it('classifies an all-digit USCC as uscc', () => {
    expect(checkId('914403001922038216')).toMatchObject({
      kind: 'uscc',
      valid: true,
      details: { subjectType: 'ENTERPRISE', divisionCode: '440300', orgCode: '192203821' },
    });
  });

  it.each(['9144030071526726XG', '91350100M000100Y43', '91500103MA5U00003N'])(
    'classifies %s as uscc',
    (c) => {
      expect(checkId(c)).toMatchObject({ kind: 'uscc', valid: true });
    },
  );

  it('classifies 11010519491231002X as a citizen ID', () => {
    expect(checkId('11010519491231002X')).toEqual({
      input: '11010519491231002X',
      kind: 'citizen_id',
      valid: true,
      normalized: '11010519491231002X',
      details: { birthDate: '1949-12-31', sex: 'F', divisionCode: '110105', legacy15: false },
    });
  });

  it('prefers citizen_id when the input is valid as both, and says so', () => {
    const both = '110105199001011304';
    expect(validateUscc(both).valid).toBe(true);
    expect(checkId(both)).toMatchObject({
      kind: 'citizen_id',
      valid: true,
      warnings: ['AMBIGUOUS_KIND'],
      alsoValidAs: 'uscc',
    });
    expect(checkId(both, { kind: 'uscc' })).toMatchObject({ kind: 'uscc', valid: true });
  });

  it('reports the USCC failure for a mistyped USCC, even an all-digit one', () => {
    expect(checkId('914403001922038217')).toMatchObject({
      kind: 'uscc',
      reason: 'CHECK_CHARACTER_WRONG',
      expected: '6',
    });
    expect(checkId('91350100M000100Y44')).toMatchObject({ kind: 'uscc', reason: 'CHECK_CHARACTER_WRONG' });
  });

  it('reports the citizen ID failure for a mistyped ID number', () => {
    // Month 13 in an ID whose prefix 11 is also a USCC prefix (机构编制/机关).
    expect(checkId('110105194913310028')).toMatchObject({
      kind: 'citizen_id',
      reason: 'IMPOSSIBLE_BIRTH_DATE',
    });
    expect(checkId('110105194912310021')).toMatchObject({
      kind: 'citizen_id',
      reason: 'CHECK_CHARACTER_WRONG',
      expected: 'X',
    });
    expect(checkId('440524188001010014')).toMatchObject({
      kind: 'citizen_id',
      reason: 'IMPOSSIBLE_BIRTH_DATE',
    });
  });

  it('passes today through to the birth-date check', () => {
    expect(checkId('500103202506010029', { today: '2025-05-31' })).toMatchObject({
      kind: 'citizen_id',
      reason: 'IMPOSSIBLE_BIRTH_DATE',
    });
  });

  it('classifies organisation codes by length, with or without the hyphen', () => {
    expect(checkId('19220382-1')).toMatchObject({ kind: 'org_code', valid: true, normalized: '192203821' });
    expect(checkId('71526726X')).toMatchObject({
      kind: 'org_code',
      valid: true,
      details: { printed: '71526726-X' },
    });
    expect(checkId('1922-03821')).toMatchObject({
      kind: 'org_code',
      reason: 'ILLEGAL_CHARACTER',
      position: 5,
    });
  });

  it('classifies 15-digit numbers: GS15 first, then a legacy ID, else the GS15 failure', () => {
    expect(checkId('500103000000012')).toMatchObject({ kind: 'gs15', valid: true });
    expect(checkId('440524800101001')).toMatchObject({
      kind: 'citizen_id',
      valid: true,
      normalized: '440524198001010013',
    });
    expect(checkId('500103800101004')).toMatchObject({
      kind: 'gs15',
      valid: true,
      warnings: ['AMBIGUOUS_KIND'],
      alsoValidAs: 'citizen_id',
    });
    expect(checkId('500103000000013')).toMatchObject({ kind: 'gs15', reason: 'CHECK_CHARACTER_WRONG' });
  });

  it('reports other lengths as WRONG_LENGTH of unknown kind', () => {
    const r = checkId('1234567');
    expect(r).toMatchObject({ kind: 'unknown', valid: false, reason: 'WRONG_LENGTH' });
    expect(r.message?.zh).toContain('长度 7');
    expect(checkId('')).toMatchObject({ kind: 'unknown', reason: 'WRONG_LENGTH' });
  });

  it('validates only the requested kind when one is given', () => {
    expect(checkId('914403001922038216', { kind: 'citizen_id' })).toMatchObject({
      kind: 'citizen_id',
      valid: false,
      reason: 'IMPOSSIBLE_BIRTH_DATE',
    });
    expect(checkId('19220382-1', { kind: 'uscc' })).toMatchObject({ kind: 'uscc', reason: 'WRONG_LENGTH' });
    expect(checkId('500103000000012', { kind: 'gs15' })).toMatchObject({ kind: 'gs15', valid: true });
    expect(checkId('19220382-1', { kind: 'org_code' })).toMatchObject({ kind: 'org_code', valid: true });
  });

  it('accepts known Fujian exceptions only when they are in the override set', () => {
    const code = '91350100M0001TGQXM';
    expect(checkId(code)).toMatchObject({
      kind: 'uscc',
      valid: false,
      reason: 'CHECK_CHARACTER_WRONG',
      expected: '1',
    });
    expect(checkId(code, { knownExceptions: new Set([code]) })).toMatchObject({
      kind: 'uscc',
      valid: true,
      warnings: ['CHECKSUM_OVERRIDE'],
      details: { subjectType: 'ENTERPRISE', divisionCode: '350100' },
    });
    expect(checkId('91350211M0000XUF46', { knownExceptions: new Set([code]) })).toMatchObject({
      valid: false,
    });
  });

  it('returns plain JSON-serialisable data', () => {
    for (const input of [
      '914403001922038216',
      '914403001922038217',
      '11010519491231002X',
      '19220382-1',
      'x',
    ]) {
      const r = checkId(input);
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    }
  });
});
